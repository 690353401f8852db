"""Persisted documents on `/graphql`: Apollo's Automatic Persisted Queries (APQ) and a trusted-documents
mode for production.

APQ (`extensions.persistedQuery = {version: 1, sha256Hash}`, over POST and GET): a request with the
hash alone runs the document registered under that hash, or answers `PERSISTED_QUERY_NOT_FOUND`
(message `PersistedQueryNotFound`, which Apollo Client's persisted-queries link looks for) so the
client sends the hash and the text; the text is registered once its hash is verified and it has
parsed and validated. Documents live in the app's redis under `apq:doc:<hash>` with a TTL, and an
index (`apq:index`, a sorted set by registration time) bounds their number: the oldest go first.

Trusted documents (`SELFSERVE_TRUSTED_DOCUMENTS=manifest.json`, the `{"<sha256>": "<document>"}`
file GraphQL Code Generator's client preset writes as `persisted-documents.json`): only the listed
documents run, by hash (`extensions.persistedQuery.sha256Hash` or `documentId`) or by a text whose
hash is listed; an unknown hash answers `PERSISTED_QUERY_NOT_FOUND`, an unlisted text
`PERSISTED_QUERY_NOT_ALLOWED`, and nothing is registered. In-process callers (the portal) call the
schema directly and are not affected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from schema.documents import SHA256_HEX, load_manifest, sha256_hex
from selfserve.transport import GRAPHQL_RESPONSE, RequestError

#: Apollo's APQ protocol version.
VERSION = 1
INDEX_KEY = "apq:index"
DOC_PREFIX = "apq:doc:"


@dataclass
class Persisted:
    """The outcome of resolving a request: the document to run, and whether to register it."""

    query: str
    register_hash: str | None = None


def _not_found(media_type: str) -> RequestError:
    # 200 for legacy `application/json` clients (older Apollo links turn persisted queries off on a
    # 400); the GraphQL-over-HTTP media type gets a 4xx for a request that ran nothing.
    status = 404 if media_type == GRAPHQL_RESPONSE else 200
    return RequestError(status, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")


def _requested_hash(params: dict[str, Any]) -> str | None:
    """The hash a request names (`extensions.persistedQuery.sha256Hash` or `documentId`)."""
    persisted = params["extensions"].get("persistedQuery")
    if persisted is not None:
        if not isinstance(persisted, dict):
            raise RequestError(400, "BAD_REQUEST", "`extensions.persistedQuery` must be an object")
        if persisted.get("version") != VERSION:
            raise RequestError(
                400, "PERSISTED_QUERY_NOT_SUPPORTED", "Unsupported persisted query version (use 1)"
            )
        value = persisted.get("sha256Hash")
    else:
        value = params["document_id"]
        if isinstance(value, str) and value.startswith("sha256:"):
            value = value[len("sha256:") :]  # the GraphQL-over-HTTP persisted-documents form
    if value is None:
        return None
    if not isinstance(value, str) or not SHA256_HEX.match(value.lower()):
        raise RequestError(400, "BAD_REQUEST", "a persisted document hash is 64 hex digits (SHA-256)")
    return value.lower()


class PersistedDocuments:
    """Resolves hashes to documents for one app: the APQ store in redis, or the trusted manifest."""

    def __init__(self, settings: Any, manifest: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.manifest = manifest

    @classmethod
    def from_settings(cls, settings: Any) -> PersistedDocuments:
        """APQ, or trusted-documents mode when `SELFSERVE_TRUSTED_DOCUMENTS` names a manifest."""
        path = settings.trusted_documents
        return cls(settings, load_manifest(path) if path else None)

    @property
    def trusted_only(self) -> bool:
        """True in trusted-documents mode."""
        return self.manifest is not None

    async def resolve(self, redis: Any, params: dict[str, Any], media_type: str) -> Persisted:
        """The document a request runs; raises `RequestError` for an unknown, mismatched or
        (trusted mode) unlisted document."""
        requested = _requested_hash(params)
        query = params["query"]
        if self.manifest is None and requested is None:
            return Persisted(query)  # a plain request: nothing persisted is involved
        limit = self.settings.max_body_bytes
        if query is not None and len(query.encode("utf-8", "surrogatepass")) > limit:
            # The GET query string has no body limit of its own: never store more than a POST takes.
            raise RequestError(413, "PAYLOAD_TOO_LARGE", f"document over {limit} bytes")
        if self.manifest is not None:
            return Persisted(self._trusted(requested, query, media_type))
        if query is None:
            assert requested is not None  # a request without text names a hash (checked above)
            stored = await redis.get(DOC_PREFIX + requested)
            if stored is None:
                raise _not_found(media_type)
            return Persisted(stored)
        if sha256_hex(query) != requested:
            raise RequestError(400, "PERSISTED_QUERY_HASH_MISMATCH", "provided sha does not match query")
        return Persisted(query, register_hash=requested)

    def trusted_document(self, payload: dict[str, Any]) -> str:
        """The listed document a websocket `subscribe` payload runs in trusted mode: its text, or
        the manifest's text for `extensions.persistedQuery.sha256Hash` / `documentId`; raises
        `RequestError` otherwise."""
        query, extensions = payload.get("query"), payload.get("extensions")
        params = {
            "query": query if isinstance(query, str) and query.strip() else None,
            "extensions": extensions if isinstance(extensions, dict) else {},
            "document_id": payload.get("documentId"),
        }
        return self._trusted(_requested_hash(params), params["query"], GRAPHQL_RESPONSE)

    def _trusted(self, requested: str | None, query: str | None, media_type: str) -> str:
        assert self.manifest is not None
        if query is None:
            found = self.manifest.get(requested or "")
            if found is None:
                raise _not_found(media_type)
            return found
        if requested is not None and sha256_hex(query) != requested:
            raise RequestError(400, "PERSISTED_QUERY_HASH_MISMATCH", "provided sha does not match query")
        if sha256_hex(query) not in self.manifest:
            raise RequestError(
                400, "PERSISTED_QUERY_NOT_ALLOWED", "only the deployment's trusted documents run here"
            )
        return query

    async def register(self, redis: Any, sha256: str, query: str) -> None:
        """Keep a verified, valid document for `persisted_queries_ttl_seconds`, dropping the
        oldest beyond `persisted_queries_max_entries`."""
        ttl = self.settings.persisted_queries_ttl_seconds
        limit = self.settings.persisted_queries_max_entries
        now = time.time()
        async with redis.pipeline(transaction=True) as pipe:
            pipe.set(DOC_PREFIX + sha256, query, ex=ttl)
            pipe.zadd(INDEX_KEY, {sha256: now})
            pipe.zremrangebyscore(INDEX_KEY, "-inf", now - ttl)  # expired documents leave the index
            pipe.zcard(INDEX_KEY)
            *_, size = await pipe.execute()
        if size > limit:
            oldest = await redis.zpopmin(INDEX_KEY, size - limit)
            if oldest:
                await redis.delete(*(DOC_PREFIX + name for name, _ in oldest))
