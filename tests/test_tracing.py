"""OpenTelemetry tracing: a span per request with the resolver batches and SQL statements under it
(an in-memory exporter on the app's own provider); without the setting no tracing at all; with
the setting and without the packages, one clear warning and an untraced app."""

from __future__ import annotations

import builtins
import logging

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from selfserve.app import create_app
from selfserve.tracing import Tracing, make_tracing
from tests.helpers import Client, settings_for


async def test_spans_per_request_dataloader_batch_and_sql_statement(backend, tmp_path, client):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(settings_for(backend, tmp_path, plugins="account"))
    async with app.router.lifespan_context(app):
        services = app.state.services
        services.tracer = Tracing(provider)
        services.tracer.instrument_orm(services.orm)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            account = await Client(http, app).signup()
            # Signing up writes (in a transaction): writes are traced too.
            assert "INSERT" in {span.name for span in exporter.get_finished_spans()}
            exporter.clear()
            body = await Client(http, app).gql(
                "query Traced { me { realNameStatus isAdult } }", token=account.token
            )
    assert body["data"]["me"] == {"realNameStatus": "NONE", "isAdult": None}
    spans = exporter.get_finished_spans()
    (request,) = [span for span in spans if span.name == "POST /graphql"]
    assert request.attributes["http.response.status_code"] == 200
    assert request.attributes["http.request.method"] == "POST"
    (batch,) = [span for span in spans if span.name == "dataloader account.real_name"]
    assert batch.attributes["selfserve.batch_size"] == 1  # two fields, one batch
    # Background work (outbox nudges) traces on its own; the request's statements are its children.
    sql = [
        span
        for span in spans
        if span.attributes.get("db.operation.name") == "SELECT"
        and span.context.trace_id == request.context.trace_id
    ]
    assert sql, [span.name for span in spans]
    ids = {span.context.span_id: span for span in spans}

    def under_request(span) -> bool:
        while span.parent is not None:
            if span.parent.span_id == request.context.span_id:
                return True
            span = ids[span.parent.span_id]
        return False

    assert under_request(batch)
    assert all(under_request(span) for span in sql)
    assert any(span.parent.span_id == batch.context.span_id for span in sql)
    # Statements carry no values: the span is named by the SQL keyword only.
    assert {span.name for span in sql} == {"SELECT"}


def test_no_endpoint_no_tracing(backend, tmp_path):
    assert make_tracing(settings_for(backend, tmp_path)) is None


def test_missing_packages_warn_once_and_trace_nothing(backend, tmp_path, monkeypatch, caplog):
    real_import = builtins.__import__

    def without_otel(name, *args, **kwargs):
        if name.startswith("opentelemetry"):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_otel)
    with caplog.at_level(logging.WARNING, logger="selfserve.tracing"):
        tracing = make_tracing(settings_for(backend, tmp_path, otel_endpoint="http://127.0.0.1:20199"))
    assert tracing is None
    (warning,) = caplog.records
    assert "SELFSERVE_OTEL_ENDPOINT" in warning.getMessage() and "otel" in warning.getMessage()


def test_an_endpoint_builds_an_otlp_exporter_on_the_apps_own_provider(backend, tmp_path):
    from opentelemetry import trace

    tracing = make_tracing(settings_for(backend, tmp_path, otel_endpoint="http://127.0.0.1:20199"))
    try:
        assert isinstance(tracing, Tracing)
        # Never the global provider: two apps in one process keep their spans apart.
        assert trace.get_tracer_provider() is not tracing.provider
        (processor,) = tracing.provider._active_span_processor._span_processors
        assert processor.span_exporter._endpoint == "http://127.0.0.1:20199/v1/traces"
    finally:
        tracing.provider.shutdown()
