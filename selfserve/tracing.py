"""Optional OpenTelemetry tracing (`SELFSERVE_OTEL_ENDPOINT`, the `otel` extra): a span per HTTP
request / websocket connection (`selfserve.observe`), per DataLoader batch (`RequestContext.loader`)
and per SQL statement (the app's tortoise connection, see `instrument_orm`).

Nothing here touches OpenTelemetry's global tracer provider: each app gets its own provider and
exporter (OTLP over HTTP to the endpoint), so apps built side by side never share spans. With the
setting but without the packages the app starts untraced and says so once, at start-up.

Span attributes follow the semantic conventions where one exists (`http.request.method`,
`url.path`, `http.response.status_code`, `graphql.operation.name`, `db.system`, `db.operation.name`);
SQL text is reduced to its first keyword: statements carry bound values, and values are user data.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

logger = logging.getLogger("selfserve.tracing")

#: tortoise client methods that send one statement (or one batch of the same statement).
SQL_METHODS = (
    "execute_insert",
    "execute_many",
    "execute_query",
    "execute_query_dict",
    "execute_query_dict_with_affected",
    "execute_script",
)


class Tracing:
    """Spans for one app, from an OpenTelemetry `TracerProvider` (the SDK's)."""

    def __init__(self, provider: Any) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer("selfserve")
        self._traced_classes: dict[type, type] = {}

    @contextlib.contextmanager
    def span(self, name: str, **attributes: Any) -> Iterator[Any]:
        """A span that is the current one inside the block (child spans nest under it)."""
        with self.tracer.start_as_current_span(
            name, attributes={k: v for k, v in attributes.items() if v is not None}
        ) as span:
            yield span

    def traced_batch(
        self, name: str, batch: Callable[[Sequence[Any]], Awaitable[list[Any]]]
    ) -> Callable[[Sequence[Any]], Awaitable[list[Any]]]:
        """`batch` (a DataLoader's load function) with a span per call: one per resolver batch."""

        async def load(keys: Sequence[Any]) -> list[Any]:
            with self.span(
                f"dataloader {name}", **{"selfserve.loader": name, "selfserve.batch_size": len(keys)}
            ):
                return await batch(keys)

        return load

    def instrument_orm(self, orm: Any) -> None:
        """Give the app's default connection (and every transaction it opens) a span per SQL
        statement. Only this app's client object changes class; tortoise itself is untouched."""
        client = orm.db("default")
        client.__class__ = self._traced(type(client))

    def _traced(self, cls: type) -> type:
        if getattr(cls, "_selfserve_traced", False):
            return cls
        found = self._traced_classes.get(cls)
        if found is not None:
            return found
        tracing = self

        def wrap(method_name: str) -> Callable[..., Any]:
            async def method(client: Any, query: str, *args: Any, **kwargs: Any) -> Any:
                operation = (query.lstrip().split(None, 1) or ["SQL"])[0].upper()
                dialect = getattr(getattr(client, "capabilities", None), "dialect", "")
                with tracing.span(
                    operation,
                    **{"db.system": _DB_SYSTEMS.get(dialect, dialect), "db.operation.name": operation},
                ):
                    return await getattr(super(traced, client), method_name)(query, *args, **kwargs)

            method.__name__ = method_name
            return method

        def _in_transaction(client: Any) -> Any:
            context = super(traced, client)._in_transaction()  # pyright: ignore[reportAttributeAccessIssue] - tortoise's private hook
            for attribute in ("client", "connection"):  # pooled/nested contexts, SQLite's
                wrapper = getattr(context, attribute, None)
                if wrapper is not None and hasattr(wrapper, "execute_query"):
                    wrapper.__class__ = tracing._traced(type(wrapper))
            return context

        namespace: dict[str, Any] = {name: wrap(name) for name in SQL_METHODS if hasattr(cls, name)}
        namespace["_in_transaction"] = _in_transaction
        namespace["_selfserve_traced"] = True
        traced = type(f"Traced{cls.__name__}", (cls,), namespace)
        self._traced_classes[cls] = traced
        return traced

    def shutdown(self) -> None:
        """Flush and stop the exporter (the app's lifespan ends)."""
        self.provider.shutdown()


_DB_SYSTEMS = {"postgres": "postgresql", "sqlite": "sqlite"}


def make_tracing(settings: Any) -> Tracing | None:
    """The app's tracing when `SELFSERVE_OTEL_ENDPOINT` is set and the packages are installed;
    None (untraced) otherwise, with one warning when the setting asks for what is not installed."""
    endpoint = settings.otel_endpoint
    if not endpoint:
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as missing:
        logger.warning(
            "SELFSERVE_OTEL_ENDPOINT is set but OpenTelemetry is not installed (%s): tracing is off; "
            "install the `otel` extra (pip install 'selfserve[otel]')",
            missing.name,
        )
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
    traces = endpoint.rstrip("/")
    if not traces.endswith("/v1/traces"):
        traces += "/v1/traces"
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces)))
    return Tracing(provider)
