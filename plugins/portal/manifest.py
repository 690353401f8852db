"""`selfserve documents manifest`: the portal's GraphQL documents as a trusted-documents manifest
(GraphQL Code Generator's `persisted-documents.json` format: `{"<sha256>": "<document>"}`).

The committed copy is `plugins/portal/persisted-documents.json`; a test keeps it equal to the
documents in `templates/`. A deployment that runs with `SELFSERVE_TRUSTED_DOCUMENTS` merges it
with its other clients' manifests (the portal itself runs its documents in-process and needs none).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from plugins.portal.documents import all_documents
from schema.documents import manifest_of

COMMITTED = Path(__file__).parent / "persisted-documents.json"


def manifest_text() -> str:
    """The manifest of the shipped documents as JSON (sorted keys, one entry per line)."""
    return json.dumps(manifest_of(all_documents()), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _print_manifest(settings: Any, args: argparse.Namespace) -> int:
    print(manifest_text(), end="")
    return 0


def register(cli: Any) -> None:
    """Add `documents manifest` to the command line."""
    documents = cli.add_parser("documents", help="the portal's GraphQL documents")
    commands = documents.add_subparsers(dest="documents_command", required=True)
    commands.add_parser(
        "manifest", help="print the trusted-documents manifest (persisted-documents.json format)"
    ).set_defaults(func=_print_manifest)
