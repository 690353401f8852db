"""Message catalogue: every code of every plugin has its own text in both languages, a plugin's
text is never replaced by another's, core codes have one owner, and every placeholder a message
names is filled where the error is raised."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from core.db import use_orm
from core.errors import CORE_MESSAGES
from core.i18n import SUPPORTED_LANGUAGES, Catalog, CatalogError
from core.plugins import get_plugin_manager, plugin_results
from selfserve.services import error_catalog

ROOT = Path(__file__).resolve().parent.parent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _plugin_messages() -> dict[str, dict]:
    return dict(plugin_results(get_plugin_manager(), "register_error_codes"))


def test_every_code_has_its_own_text_in_both_languages_with_the_same_placeholders():
    catalog = error_catalog(get_plugin_manager())
    for plugin, code, texts in catalog.entries():
        where = f"{plugin or 'core'}:{code}"
        assert set(texts) == set(SUPPORTED_LANGUAGES), where
        assert all(texts[language].strip() for language in SUPPORTED_LANGUAGES), where
        assert texts["en"] != texts["zh-CN"], f"{where} is not translated"
        assert _placeholders(texts["en"]) == _placeholders(texts["zh-CN"]), where


def test_no_plugin_text_is_replaced_by_another_plugins():
    catalog = error_catalog(get_plugin_manager())
    for plugin, messages in _plugin_messages().items():
        for code, texts in messages.items():
            for language in SUPPORTED_LANGUAGES:
                params = {name: f"<{name}>" for name in _placeholders(texts[language])}
                expected = texts[language].format(**params)
                assert catalog.message(code, language, params, namespace=plugin) == expected, (plugin, code)


def test_a_flat_merge_would_have_overwritten_codes_that_the_namespaces_keep():
    shared = [code for code in {c for m in _plugin_messages().values() for c in m}
              if len({m[code]["en"] for m in _plugin_messages().values() if code in m}) > 1]  # fmt: skip
    assert {"FILE_TOO_LARGE", "FILE_TYPE_NOT_ALLOWED", "UNKNOWN_CATEGORY"} <= set(shared)


def test_a_plugin_redefining_a_core_code_stops_start_up():
    catalog = Catalog(CORE_MESSAGES)
    with pytest.raises(CatalogError, match="'rogue' redefines core message code"):
        catalog.add("rogue", {"NOT_FOUND": {"en": "gone", "zh-CN": "没了"}})


def _raise_sites() -> list[tuple[str, str, int, str, set[str]]]:
    """`(plugin or "core", file, line, code, keyword names)` of each `DomainError("CODE", ...)`."""
    sites = []
    for path in sorted([*(ROOT / "plugins").rglob("*.py"), *(ROOT / "core").rglob("*.py")]):
        if "tests" in path.parts:
            continue
        relative = path.relative_to(ROOT)
        plugin = relative.parts[1] if relative.parts[0] == "plugins" else "core"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            name = getattr(name, "id", None) or getattr(name, "attr", None)
            if name == "DomainError" and node.args and isinstance(node.args[0], ast.Constant):
                keywords = {k.arg for k in node.keywords}
                if None not in keywords:  # `**params`: checked where they are built
                    sites.append((plugin, str(relative), node.lineno, node.args[0].value, keywords))
    return sites


def test_every_raised_code_has_a_message_and_every_placeholder_is_filled():
    catalog = error_catalog(get_plugin_manager())
    sites = _raise_sites()
    assert len(sites) > 100
    problems = []
    for plugin, path, line, code, keywords in sites:
        texts = catalog.texts(code, None if plugin == "core" else plugin)
        if not texts:
            problems.append(f"{path}:{line} {code} has no message")
            continue
        missing = set().union(*(_placeholders(t) for t in texts.values())) - keywords
        if missing:
            problems.append(f"{path}:{line} {code} leaves {sorted(missing)} empty")
    assert problems == []


HELP_CREATE = """mutation($i: HelpArticleCreateInput!) { helpArticleCreate(input: $i) {
  __typename ... on HelpError { code message field } } }"""


async def test_helpcenter_answers_its_own_unknown_category_text_with_support_enabled(client):
    assert client.services.pm.get_plugin("support") is not None
    from plugins.helpcenter.api import ensure_seeded

    with use_orm(client.services.orm):
        await ensure_seeded(client.services)
    admin = await client.signup(roles=("ADMIN",))
    article = {
        "slug": "x-y",
        "locale": "en",
        "topic": "account.x",
        "category": "nope",
        "title": "T",
        "body": "B",
    }
    for language, start in (("en", "Unknown category. Use one of: "), ("zh-CN", "分类不存在，可选：")):
        body = await client.gql(
            HELP_CREATE, {"i": article}, token=admin.token, headers={"Accept-Language": language}
        )
        error = body["data"]["helpArticleCreate"]
        assert (error["__typename"], error["code"], error["field"]) == (
            "HelpError",
            "UNKNOWN_CATEGORY",
            "input.category",
        )
        assert error["message"].startswith(start), error
        assert len(error["message"]) > len(start) + 3  # the categories placeholder is filled
