"""The portal's documents are the first trusted-documents manifest: the committed
`persisted-documents.json` matches `templates/*.graphql`, `selfserve documents manifest` prints it,
and the portal keeps working when the API runs only trusted documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core.db import use_orm
from plugins.portal.documents import all_documents
from plugins.portal.manifest import COMMITTED, manifest_text
from schema.documents import sha256_hex

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_manifest_matches_the_portal_documents():
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert COMMITTED.read_text(encoding="utf-8") == manifest_text(), (
        "run `selfserve documents manifest > plugins/portal/persisted-documents.json`"
    )
    assert len(committed) == len(all_documents())
    assert all(sha256_hex(text) == key for key, text in committed.items())


def test_the_cli_prints_the_manifest():
    printed = subprocess.run(
        [sys.executable, "-m", "selfserve.cli", "documents", "manifest"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert printed.stdout == manifest_text()


async def test_the_portal_works_in_trusted_documents_mode(make_client, tmp_path):
    # A manifest that lists none of the portal's documents: the portal runs them in-process.
    other = "query Only { helpCategories { key } }"
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({sha256_hex(other): other}), encoding="utf-8")
    async with make_client(trusted_documents=str(path)) as portal:
        from plugins.helpcenter.api import ensure_seeded

        with use_orm(portal.services.orm):
            await ensure_seeded(portal.services)
        page = await portal.http.get("/help/payments/payments-refund", params={"lang": "en"})
        assert page.status_code == 200
        assert "<title>Refunds" in page.text
        home = await portal.http.get("/", params={"q": "refund", "lang": "en"})
        assert home.status_code == 200
        assert "<mark>" in home.text
        # ... while /graphql refuses the very same document text from outside.
        document = all_documents()["help_home"]
        refused = await portal.http.post(
            "/graphql", json={"query": document}, headers={"Accept": "application/graphql-response+json"}
        )
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
