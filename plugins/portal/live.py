"""`/portal/live`: graphql-transport-ws for portal pages, signed in by the session cookie (a page's
script never sees a token). Same schema, same subscription resolvers and checks as `/graphql`;
the handshake must come from this site's own origin (no cross-site websocket hijacking)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from core.callers import build_context
from plugins.portal import session


class _CookieGraphQL(GraphQL):
    async def get_context(self, request: Any, response: Any) -> Any:
        tokens = session.decode_tokens(request.cookies.get(session.SESSION_COOKIE))
        auth = f"Bearer {tokens.access}" if tokens else "Bearer -"
        context = await build_context(request.app.state.services, request, authorization=auth)
        context.remember("portal.authorization", auth)
        return context

    async def on_ws_connect(self, context: Any) -> Any:
        # The connection is signed in by the cookie, whatever `connection_init` carried: resolvers
        # that re-check the connection's token (ticket streams) read it from here.
        context.connection_params = {"authorization": context.memo("portal.authorization")}
        return UNSET


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    host = websocket.headers.get("host")
    return bool(origin and host and urlsplit(origin).netloc == host)


async def live(websocket: WebSocket) -> None:
    """One portal websocket connection."""
    if not _same_origin(websocket):
        await websocket.close(code=4403)
        return
    state = websocket.app.state
    app = getattr(state, "portal_live", None)
    if app is None:
        app = state.portal_live = _CookieGraphQL(
            state.schema, graphql_ide=None, allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )  # fmt: skip
    await app(websocket.scope, websocket.receive, websocket.send)
