"""The repository stands alone: no doc, comment or code points at files outside it (a workspace's
`shared/` folder, its API.md or DESIGN.md, absolute workspace paths). The public contract is
docs/api.md; operators read docs/operations.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"/work/|\.\./shared|(?<![\w-])shared/|\bAPI\.md\b|\bDESIGN\.md\b")
SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".html", ".graphql", ".sh", ".txt", ".js"}
SKIP_DIRS = {".venv", ".git", "var", "node_modules", "__pycache__", "artifacts", "build", "dist"}
#: May mention it: the optional second contract check compares docs/api.md with a workspace's
#: API.md when one sits beside the checkout (skipped otherwise), and this test names the patterns.
ALLOWED = {"tests/test_contract.py", "tests/test_standalone_docs.py"}
#: Vendored minified bundles (third-party text, not ours).
VENDORED = ("plugins/portal/static/graphiql/",)


def _files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in relative.parts):
            continue
        name = relative.as_posix()
        if path.is_file() and (path.suffix in SUFFIXES or path.name in ("Makefile", "run")):
            if name not in ALLOWED and not name.startswith(VENDORED):
                found.append(path)
    return found


def test_the_patterns_catch_what_they_must():
    for text in ("see /work/shared/API.md", "../shared/DESIGN.md", "`shared/helpcenter`", "per API.md"):
        assert OUTSIDE.search(text), text
    for text in ("docs/api.md", "react-devtools-shared/src", "a shared connection", "api.md"):
        assert not OUTSIDE.search(text), text


def test_nothing_references_files_outside_the_repository():
    hits = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not hits, "references outside the repository:\n" + "\n".join(hits)
