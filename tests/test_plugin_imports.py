"""Plugins meet only through `plugins/<x>/api.py`: no plugin module imports another plugin's models,
types, service or internals, nor names them in `strawberry.lazy(...)`, and neither do the plugins'
tests (they set up and inspect another plugin's data through its api or GraphQL, and share helpers
through the top-level `tests` package); and the import-linter contracts in pyproject.toml hold, with
no exception (`make lint` runs them too)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every absolute import and `strawberry.lazy("module")` in a module; `from
    plugins.x import api` counts as `plugins.x.api`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.count(".") == 1 and node.module.startswith("plugins."):
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "lazy"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def cross_plugin_imports(*, tests: bool = False) -> list[str]:
    """`path:line -> module` for every import of another plugin that is not its `api` module
    (in the plugins' tests too when `tests`)."""
    bad = []
    for path in sorted(PLUGINS.rglob("*.py")):
        owner, *inner = path.relative_to(PLUGINS).parts
        if "tests" in inner and not tests:
            continue
        for line, module in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[0] != "plugins" or len(parts) < 2 or parts[1] == owner:
                continue
            if parts[2:] != ["api"]:
                bad.append(f"{path.relative_to(ROOT)}:{line} -> {module}")
    return bad


def test_the_scan_finds_an_import_of_another_plugins_internals():
    tree = ast.parse(
        "from plugins.account.models import User\n"
        "from plugins.account import api\n"
        "from plugins.helpcenter import search\n"
        'X = strawberry.lazy("plugins.account.types")\n'
    )
    modules = [module for _, module in _imported_modules(tree)]
    assert modules == ["plugins.account.models", "plugins.account.api", "plugins.helpcenter.search"] + [
        "plugins.account.types"
    ]


def test_no_plugin_imports_another_plugin_except_through_its_api():
    assert cross_plugin_imports(tests=True) == []


def test_the_import_linter_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "import-linter is a dev dependency (make install)"
    run = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout, run.stdout[-2000:]
