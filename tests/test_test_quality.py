"""Tests that cannot fail are worse than none: this finds the patterns that made wave-1 tests
always pass, in every test module of the repository.

- an `or` at the top of an assert (`assert a < b or a == b`, `assert x and y or z`): one side is
  usually always true; spell out each expectation, or mark a deliberate alternative with
  `# noqa: selfserve-or-assert (why)`;
- `is not None` on a pluggy hook call (`pm.hook.x() is not None`): a hook call always returns a list;
- `try: ...; raise AssertionError(...)` followed by `except`: the except swallows the assertion; use
  `pytest.raises`.
"""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARK = "noqa: selfserve-or-assert"


def _test_modules() -> list[Path]:
    """Every test module of the repository."""
    found = sorted((ROOT / "tests").rglob("test_*.py")) + sorted((ROOT / "plugins").rglob("tests/test_*.py"))
    return [path for path in found if ".venv" not in path.parts]


def _has_top_level_or(node: ast.expr) -> bool:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return True
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return any(_has_top_level_or(value) for value in node.values)
    return False


def _is_hook_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        if func.attr == "hook":
            return True
        func = func.value
    return False


def _raises_assertion(statements: list[ast.stmt]) -> bool:
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Raise) and node.exc is not None:
                target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(target, ast.Name) and target.id == "AssertionError":
                    return True
    return False


def _parse_in_thread(source: str) -> ast.Module:
    """Parse on a fresh thread's stack (CPython's parser checks the C recursion depth)."""
    found: list[ast.Module] = []
    worker = threading.Thread(target=lambda: found.append(ast.parse(source)))
    worker.start()
    worker.join()
    return found[0]


def problems_in(source: str, name: str = "<test>") -> list[str]:
    """The always-passing patterns found in one module's source."""
    lines = source.splitlines()
    found = []
    try:
        tree = ast.parse(source)
    except (RecursionError, SystemError):  # the running test process's stack is too deep: retry in a thread
        tree = _parse_in_thread(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            marked = any(
                MARK in lines[n - 1] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)
            )
            if _has_top_level_or(node.test) and not marked:
                found.append(f"{name}:{node.lineno}: `or` in an assert")
            test = node.test
            if (
                isinstance(test, ast.Compare)
                and isinstance(test.ops[0], ast.IsNot)
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value is None
                and _is_hook_call(test.left)
            ):
                found.append(f"{name}:{node.lineno}: `is not None` on a hook call (always a list)")
        if isinstance(node, ast.Try) and node.handlers and _raises_assertion(node.body):
            found.append(f"{name}:{node.lineno}: try/raise AssertionError/except: use pytest.raises")
    return found


def test_no_test_in_the_repository_uses_an_always_passing_pattern():
    found = [
        p
        for path in _test_modules()
        for p in problems_in(path.read_text("utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "def test():\n    assert a < b or a == b\n",
        "def test():\n    assert ok and x or y\n",
        "def test():\n    assert pm.hook.register_help_content() is not None\n",
        "def test():\n    try:\n        f()\n        raise AssertionError('must fail')\n    except Exception:\n        pass\n",
    ],
)
def test_the_checker_finds_each_pattern(source):
    assert len(problems_in(source)) == 1


def test_the_checker_accepts_plain_and_marked_asserts():
    source = (
        "def test():\n    assert a < b\n    assert x is not None\n"
        f"    assert 'en' in t or '中' in t  # {MARK} (either language)\n"
    )
    assert problems_in(source) == []
