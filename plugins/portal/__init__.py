"""portal (free): the self-service web portal and staff console, rendered on the server with
Jinja2 from the public GraphQL schema (every page runs `.graphql` documents kept beside its
templates, in-process, with the signed-in user's context)."""
