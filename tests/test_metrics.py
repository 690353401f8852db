"""`/metrics`: scraped over HTTP as Prometheus would, the counters move with the right labels for
queries, errors, refusals, jobs and websocket subscriptions; access needs the token (or loopback
outside production, and nothing in production without a token)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess

import httpx
import pytest
from starlette.testclient import TestClient

from selfserve.app import create_app
from tests.helpers import metric_value as value
from tests.helpers import parse_metrics as parse
from tests.helpers import scrape_metrics as scrape
from tests.helpers import settings_for

TOKEN = "metrics-token-for-tests"


async def test_request_counters_move_with_operation_and_outcome(client):
    before = await scrape(client)
    ok = await client.gql("query MetricsHome { me { id } }")
    assert ok["data"] == {"me": None}
    await client.gql("query MetricsHome { me { id } }")
    denied = await client.gql("query MetricsMine { myAdApplications { id } }")
    assert denied["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    invalid = await client.gql("query MetricsBroken { nope }")
    assert invalid["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    unnamed = await client.gql("{ me { id } }")
    assert unnamed["data"] == {"me": None}
    unparsable = await client.http.post("/graphql", json={"query": "query {"})
    assert unparsable.status_code == 200  # application/json: request errors answer 200
    after = await scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "selfserve_graphql_requests_total"
    assert moved(requests, operation="MetricsHome", outcome="ok") == 2
    assert moved(requests, operation="MetricsMine", outcome="error") == 1
    assert moved(requests, operation="MetricsBroken", outcome="bad_request") == 1
    # Unnamed, and not even parsed: one label for both.
    assert moved(requests, operation="_unnamed", outcome="ok") == 1
    assert moved(requests, operation="_unnamed", outcome="bad_request") == 1
    errors = "selfserve_graphql_errors_total"
    assert moved(errors, code="UNAUTHENTICATED") == 1
    assert moved(errors, code="GRAPHQL_VALIDATION_FAILED") == 1
    assert moved(errors, code="GRAPHQL_PARSE_FAILED") == 1
    assert moved("selfserve_graphql_request_duration_seconds_count", operation="MetricsHome") == 2
    assert moved("selfserve_http_requests_total", route="/graphql", status="200") == 5
    # The unsent outbox and the pool are read at scrape time.
    assert value(after, "selfserve_db_pool_connections", state="max") >= 1
    assert ("selfserve_outbox_lag_seconds", ()) in after
    assert ("selfserve_job_dead_letters", ()) in after


async def test_operation_names_are_bounded(make_client):
    async with make_client(plugins="account", metrics_max_operation_names=2) as client:
        for name in ("First", "Second", "Third", "Fourth"):
            await client.gql(f"query {name} {{ me {{ id }} }}")
        samples = await scrape(client)
    requests = "selfserve_graphql_requests_total"
    assert value(samples, requests, operation="First", outcome="ok") == 1
    assert value(samples, requests, operation="Second", outcome="ok") == 1
    assert value(samples, requests, operation="_other", outcome="ok") == 2
    assert value(samples, requests, operation="Third", outcome="ok") == 0
    # A name the document does not hold is no label either.
    body = {"query": "query Real { me { id } }", "operationName": "Invented"}
    async with make_client(plugins="account") as client:
        await client.http.post("/graphql", json=body)
        samples = await scrape(client)
    assert value(samples, requests, operation="Invented", outcome="bad_request") == 0
    assert value(samples, requests, operation="_unnamed", outcome="bad_request") == 1


async def test_a_rate_limited_request_is_counted_as_such(make_client):
    async with make_client(plugins="account", rate_limit_ip_per_minute=2) as client:
        statuses = []
        for _ in range(3):
            answer = await client.http.post("/graphql", json={"query": "query Limited { me { id } }"})
            statuses.append(answer.status_code)
        assert statuses == [200, 200, 429]
        samples = await scrape(client)
    requests = "selfserve_graphql_requests_total"
    assert value(samples, requests, operation="Limited", outcome="ok") == 2
    # Refused before parsing: the name is not known, the outcome and code are.
    assert value(samples, requests, operation="_unnamed", outcome="rate_limited") == 1
    assert value(samples, "selfserve_graphql_errors_total", code="RATE_LIMITED") == 1


async def test_job_runs_are_counted_by_job_and_outcome(make_client):
    from tests.plugins.dummy import hooks as dummy

    async with make_client(extra_plugins=(dummy,)) as client:
        await client.services.jobs.run_now("dummy.job", value="x")  # inline: not a queued run
        await client.services.jobs.enqueue("dummy.job", value="y")
        await client.services.jobs.drain()
        samples = await scrape(client)
    assert value(samples, "selfserve_job_runs_total", job="dummy.job", outcome="ok") == 1
    assert value(samples, "selfserve_job_duration_seconds_count", job="dummy.job") == 1
    assert value(samples, "selfserve_job_runs_total", job="dummy.job", outcome="error") == 0
    # A plugin's own metric (`register_metrics`), moved by both runs.
    assert value(samples, "selfserve_dummy_jobs_total", kind="plain") == 2


def test_websocket_subscriptions_gauge_and_error_codes(backend, tmp_path):
    from tests.plugins.dummy import hooks as dummy

    settings = settings_for(backend, tmp_path, metrics_token=TOKEN)
    app = create_app(settings, extra_plugins=(dummy,))
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def gauge() -> float:
        answer = http.get("/metrics", headers=auth)
        assert answer.status_code == 200
        samples = parse(answer.text)
        return value(samples, "selfserve_websocket_subscriptions"), value(
            samples, "selfserve_websocket_connections"
        )

    with TestClient(app) as http:
        assert gauge() == (0, 0)
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {}})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json(
                {"id": "w1", "type": "subscribe", "payload": {"query": "subscription { dummyWait }"}}
            )
            assert ws.receive_json() == {"id": "w1", "type": "next", "payload": {"data": {"dummyWait": 1}}}
            assert gauge() == (1, 1)
            ws.send_json({"id": "w1", "type": "complete"})
            ws.send_json({"id": "w2", "type": "subscribe", "payload": {"query": "subscription { nope }"}})
            assert ws.receive_json()["type"] == "error"
            assert gauge() == (0, 1)
        assert gauge() == (0, 0)
        samples = parse(http.get("/metrics", headers=auth).text)
    assert value(samples, "selfserve_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1


async def test_metrics_need_the_token_when_one_is_set(make_client):
    async with make_client(plugins="account", metrics_token=TOKEN) as client:
        missing = await client.http.get("/metrics")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = await client.http.get("/metrics", headers={"Authorization": "Bearer not-it"})
        assert wrong.status_code == 401
        # The token is needed from loopback too; with it, any peer may scrape.
        local = httpx.ASGITransport(app=client.app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=local, base_url="http://testserver") as http:
            assert (await http.get("/metrics")).status_code == 401
        samples = await scrape(client, token=TOKEN, peer="203.0.113.9")
    assert ("selfserve_websocket_subscriptions", ()) in samples


async def test_without_a_token_development_answers_loopback_only(make_client):
    async with make_client(plugins="account") as client:
        remote = await client.http.get("/metrics")  # the test client's peer is 203.0.113.7
        assert remote.status_code == 404
        samples = await scrape(client)  # loopback
    assert ("selfserve_websocket_connections", ()) in samples


async def test_production_without_a_token_hides_metrics(make_client, client):
    # `client` first: the shared database is migrated (production apps do not migrate).
    async with make_client(plugins="account", env="production") as production:
        local = httpx.ASGITransport(app=production.app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=local, base_url="http://testserver") as http:
            answer = await http.get("/metrics")
        assert answer.status_code == 404
        assert "selfserve_" not in answer.text
    async with make_client(plugins="account", env="production", metrics_token=TOKEN) as production:
        assert (await production.http.get("/metrics")).status_code == 401
        samples = await scrape(production, token=TOKEN)
    assert ("selfserve_graphql_requests_total", (("operation", "_unnamed"), ("outcome", "ok"))) not in samples


async def test_the_internal_listener_serves_metrics_on_its_own_port(make_client):
    port = 20150
    async with make_client(plugins="account", env="test", metrics_port=port) as client:
        await client.gql("query Internal { me { id } }")
        async with httpx.AsyncClient() as http:
            answer = await http.get(f"http://127.0.0.1:{port}/metrics")
            assert answer.status_code == 200
            other = await http.get(f"http://127.0.0.1:{port}/graphql")
            assert other.status_code == 404
    samples = parse(answer.text)
    assert value(samples, "selfserve_graphql_requests_total", operation="Internal", outcome="ok") == 1


@pytest.mark.services
async def test_a_worker_serves_its_job_metrics_and_the_api_sees_the_queue(make_client, backend, tmp_path):
    if not backend.is_real:
        pytest.skip("the worker pool runs on Redis: the services half")
    from core.idempotency import PURGE_JOB
    from tests.faults.workers import SELFSERVE, Worker, stopped_at_end, worker_env

    port = 20161
    async with make_client(plugins="account", jobs_in_process=False) as api:
        await api.services.redis.delete("selfserve:jobs:stream")
        await api.services.jobs.enqueue(PURGE_JOB)
        await api.services.jobs.drain()  # relayed to the stream; no worker yet
        queued = await scrape(api)
        assert value(queued, "selfserve_job_queue_depth", state="stream") == 1
        log = tmp_path / "worker.log"
        env = worker_env(
            backend.database_url, backend.redis_url, tmp_path / "var", SELFSERVE_PLUGINS="account"
        )
        with log.open("ab") as out:
            process = subprocess.Popen(
                [SELFSERVE, "worker", "--metrics-port", str(port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, log)
        with stopped_at_end(worker):
            runs = 0.0
            async with httpx.AsyncClient() as http:
                for _ in range(150):
                    assert worker.alive(), worker.output()[-2000:]
                    with contextlib.suppress(httpx.HTTPError):
                        answer = await http.get(f"http://127.0.0.1:{port}/metrics")
                        runs = value(
                            parse(answer.text), "selfserve_job_runs_total", job=PURGE_JOB, outcome="ok"
                        )
                        if runs:
                            break
                    await asyncio.sleep(0.2)
            assert runs >= 1, worker.output()[-2000:]
            assert worker.stop() == 0
        drained = await scrape(api)
    # The worker declared its consumer group: the API now reads what is taken and unacknowledged.
    assert ("selfserve_job_queue_depth", (("state", "pending"),)) in drained
    # The API process ran no job itself: its counters are the worker's business.
    assert value(drained, "selfserve_job_runs_total", job=PURGE_JOB, outcome="ok") == 0
