"""selfserve core: settings, plugin manager, storage, redis, jobs, events and security primitives.

Nothing in here knows about GraphQL or HTTP: `schema/` builds the API on top of it and `selfserve/`
assembles the running service.
"""
