"""Trusted-documents manifests: the format GraphQL Code Generator's client preset writes
(`persisted-documents.json`, SHA-256 hex -> document text). Kept below the plugins so a plugin can
publish its own documents as a manifest; `selfserve.persisted` runs requests against one."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from graphql import parse, print_ast

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(ValueError):
    """The trusted-documents manifest cannot be used (start-up stops with this message)."""


def sha256_hex(text: str) -> str:
    """The lower-case hex SHA-256 of a document's UTF-8 text (what APQ clients send)."""
    # surrogatepass: a lone surrogate (valid JSON, not UTF-8) hashes to something no client sent,
    # so it ends as a typed error (mismatch, unlisted, or a parse error) instead of a 500.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def manifest_of(documents: dict[str, str]) -> dict[str, str]:
    """A trusted-documents manifest for documents (name -> text): each document printed the way
    graphql-js prints it (Apollo Client hashes `print(query)`), keyed by its SHA-256."""
    printed = (print_ast(parse(text)) for _, text in sorted(documents.items()))
    return {sha256_hex(text): text for text in sorted(printed)}


def load_manifest(path: str | Path) -> dict[str, str]:
    """Read and check a manifest: a JSON object of SHA-256 hex -> document text, each key the
    hash of its text (a manifest written with another hash algorithm is refused, not half-used)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"SELFSERVE_TRUSTED_DOCUMENTS: cannot read {path}: {error}") from None
    if not isinstance(data, dict) or not data:
        raise ManifestError(f"SELFSERVE_TRUSTED_DOCUMENTS: {path} must be a non-empty JSON object")
    for key, text in data.items():
        if not isinstance(text, str) or not SHA256_HEX.match(key) or sha256_hex(text) != key:
            raise ManifestError(
                f"SELFSERVE_TRUSTED_DOCUMENTS: entry {key[:80]!r} of {path} is not the SHA-256 of its "
                "document (generate it with hashAlgorithm: 'sha256')"
            )
    return data
