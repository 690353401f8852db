"""The typed `info` every resolver receives: `info.context` is the request's `RequestContext`.

Annotate resolver parameters with `info: Info` (never the bare `strawberry.Info`) so the type checker
knows `info.context.services`, `info.context.actor` and the rest. Import it at module level: strawberry
resolves the annotation by name when it builds the schema.
"""

from __future__ import annotations

import strawberry

from core.context import RequestContext

#: `strawberry.Info` for this application's context; the root value is unused (None).
Info = strawberry.Info[RequestContext, None]
