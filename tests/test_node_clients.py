"""Apollo Client's persisted-queries link (npm `@apollo/client`, tests/node/apq.mjs) against a real
`selfserve serve` process: the first call misses and registers, the second runs by hash alone; in
trusted-documents mode a listed document runs by hash and an unlisted one is refused.

The Node project is installed by `make install` (`npm ci` in tests/node); without it this test
skips, except under REQUIRE_SERVICES (CI), where a missing install is a failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from plugins.portal.manifest import COMMITTED
from schema.documents import sha256_hex
from tests.live_servers import free_port, processes, server_env, wait_healthy

NODE_DIR = Path(__file__).parent / "node"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with tests/node's packages installed."""
    binary = shutil.which("node")
    missing = None if binary else "node is not installed"
    if binary and not (NODE_DIR / "node_modules" / "@apollo" / "client").is_dir():
        missing = "tests/node/node_modules is missing: run `make install` (npm ci in tests/node)"
    if missing:
        if os.environ.get("REQUIRE_SERVICES", "0") not in ("", "0"):
            pytest.fail(missing)
        pytest.skip(missing)
    return binary


def start_server(group, backend, tmp_path: Path, **settings: str) -> str:
    """`selfserve serve` on a free loopback port, on this run's backend; returns its base URL."""
    port = free_port()
    env = server_env(
        env="test", var_dir=str(tmp_path / "var"), plugins="account,helpcenter",
        secret_key="node-client-test-secret-key-long-enough-for-hkdf",
        database_url=backend.database_url if backend.name == "services" else "",
        redis_url=backend.redis_url, **settings,
    )  # fmt: skip
    child = group.start(
        [sys.executable, "-m", "selfserve.cli", "serve", "--host", "127.0.0.1", "--port", str(port)], env
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, child, timeout=90)
    return base


def run_apollo(node: str, base: str, *files: Path) -> dict:
    done = subprocess.run(
        [node, "apq.mjs", base, *map(str, files)],
        cwd=NODE_DIR, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def apollo_text(node: str, file: Path) -> str:
    """The document text Apollo Client sends for a file (with the __typename its cache adds)."""
    done = subprocess.run(
        [node, "apq.mjs", "--print", str(file)], cwd=NODE_DIR, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def document_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.graphql"
    path.write_text(text, encoding="utf-8")
    return path


def test_apollo_persisted_queries_miss_register_then_hit(node, backend, tmp_path):
    # A name of its own: on a shared Redis no earlier run has registered this document.
    name = f"NodeCategories{uuid.uuid4().hex[:8]}"
    file = document_file(tmp_path, "categories", f"query {name} {{ helpCategories {{ key }} }}")
    with processes() as group:
        base = start_server(group, backend, tmp_path)
        outcome = run_apollo(node, base, file)
        requests = outcome["requests"]
        # First run: a GET with the hash alone misses, the link retries with the text (POST).
        assert requests[0] == {"method": "GET", "sentQuery": False, "status": 404,
                               "codes": ["PERSISTED_QUERY_NOT_FOUND"]}  # fmt: skip
        assert requests[1] == {"method": "POST", "sentQuery": True, "status": 200, "codes": []}
        # Second run: the hash alone is enough.
        assert requests[2] == {"method": "GET", "sentQuery": False, "status": 200, "codes": []}
        assert len(requests) == 3
        runs = outcome["runs"]
        assert runs[0]["data"] == runs[1]["data"]
        assert {c["__typename"] for c in runs[0]["data"]["helpCategories"]} == {"HelpCategory"}

        # The server kept it: any client may now send the hash alone over GET.
        text = apollo_text(node, file)
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(text)}}
        by_hash = httpx.get(
            base + "/graphql", params={"extensions": json.dumps(extensions)},
            headers={"Accept": GRAPHQL_RESPONSE}, timeout=30,
        )  # fmt: skip
        assert by_hash.status_code == 200
        assert by_hash.json()["data"] == runs[0]["data"]
        assert by_hash.headers["cache-control"] == "public, max-age=300"


def test_apollo_in_trusted_documents_mode(node, backend, tmp_path):
    listed = document_file(tmp_path, "listed", "query NodeListed { helpCategories { key name } }")
    unlisted = document_file(tmp_path, "unlisted", "query NodeUnlisted { helpCategories { description } }")
    # The deployment's manifest: the portal's committed one plus this client's document.
    manifest = json.loads(COMMITTED.read_text(encoding="utf-8"))
    text = apollo_text(node, listed)
    manifest[sha256_hex(text)] = text
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with processes() as group:
        base = start_server(group, backend, tmp_path, trusted_documents=str(path))
        outcome = run_apollo(node, base, listed, unlisted)
        listed_runs = [run for run in outcome["runs"] if run["file"] == str(listed)]
        assert all(run["error"] is None for run in listed_runs)
        assert {c["__typename"] for c in listed_runs[0]["data"]["helpCategories"]} == {"HelpCategory"}
        unlisted_runs = [run for run in outcome["runs"] if run["file"] == str(unlisted)]
        assert [run["data"] for run in unlisted_runs] == [None, None]
        assert [run["codes"] for run in unlisted_runs] == [["PERSISTED_QUERY_NOT_ALLOWED"]] * 2
        requests = outcome["requests"]
        # Listed: two GETs by hash, both answered. Unlisted: each run misses by hash, then the
        # text is refused; nothing ever ran.
        assert requests[:2] == [{"method": "GET", "sentQuery": False, "status": 200, "codes": []}] * 2
        assert [r["codes"] for r in requests[2:]] == [
            ["PERSISTED_QUERY_NOT_FOUND"],
            ["PERSISTED_QUERY_NOT_ALLOWED"],
        ] * 2
