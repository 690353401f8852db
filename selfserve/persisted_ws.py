"""Trusted-documents mode on the `/graphql` websocket: a `subscribe` whose document is not in the
manifest gets a graphql-transport-ws `error` message (`PERSISTED_QUERY_NOT_FOUND` for an unknown
hash, `PERSISTED_QUERY_NOT_ALLOWED` for an unlisted text) and nothing runs; a listed one may also
be named by hash (`extensions.persistedQuery.sha256Hash` or `documentId` in the payload).
Outside trusted mode the handler is strawberry's own, unchanged."""

from __future__ import annotations

from typing import Any, cast

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from selfserve.transport import RequestError


class TrustedDocumentsWSHandler(BaseGraphQLTransportWSHandler):
    """strawberry's graphql-transport-ws handler, checking each operation against the manifest
    of the view's `persisted` documents before it starts."""

    async def handle_subscribe(self, message: Any) -> None:
        persisted = getattr(self.view, "persisted", None)
        payload = message.get("payload")
        if persisted is None or not persisted.trusted_only or not isinstance(payload, dict):
            await super().handle_subscribe(message)
            return
        if not self.connection_acknowledged or message["id"] in self.operations:
            await super().handle_subscribe(message)  # strawberry closes the socket for these
            return
        try:
            query = persisted.trusted_document(payload)
        except RequestError as error:
            refusal = {"message": error.detail, "extensions": {"code": error.code}}
            await self.send_message(cast(Any, {"id": message["id"], "type": "error", "payload": [refusal]}))
            return
        await super().handle_subscribe(cast(Any, {**message, "payload": {**payload, "query": query}}))
