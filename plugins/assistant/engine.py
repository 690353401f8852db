"""The assistant's per-process engine: the trained intent model and the action catalogue,
built once (lazily in tests, at start-up otherwise) and kept on the process services."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.context import Services
from core.plugins import plugin_results
from core.stash import StashKey
from plugins.assistant.compose import HANDOFF_ACTION
from plugins.assistant.nlu.data import fingerprint, training_examples
from plugins.assistant.nlu.model import IntentModel, trained_model

STATE_KEY = StashKey["_State"]()


@dataclass(frozen=True)
class Engine:
    """The model and the actions (topic -> list of action dicts with bilingual labels)."""

    model: IntentModel
    actions: dict[str, list[dict[str, Any]]]

    def actions_for(self, topic: str | None, language: str, handoff: bool) -> list[dict[str, str]]:
        """The topic's actions plus the catch-all ones ("Talk to a human"), without duplicates."""
        chosen, seen = [], set()
        for spec in [*self.actions.get(topic or "", []), *self.actions.get("*", [])]:
            if spec["target"] in seen:
                continue
            seen.add(spec["target"])
            label = spec["label"].get(language) or spec["label"].get("en") or spec["target"]
            chosen.append({"kind": spec["kind"], "label": label, "target": spec["target"]})
        return chosen


@dataclass
class _State:
    engine: Engine | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def collect_actions(pm: Any) -> dict[str, list[dict[str, Any]]]:
    """Every plugin's `register_assistant_actions`, grouped by topic ("*" = any answer)."""
    actions: dict[str, list[dict[str, Any]]] = {}
    for _, specs in plugin_results(pm, "register_assistant_actions"):
        for spec in specs or []:
            actions.setdefault(spec.topic, []).append(
                {"kind": spec.kind, "target": spec.target, "label": dict(spec.label)}
            )
    return actions


def default_actions(articles: Iterable[Any]) -> list[Any]:
    """The assistant's own contribution: each shipped article's front-matter actions (labels of
    both languages merged by target) and "Talk to a human" for every answer."""
    from core.contributions import AssistantActionSpec

    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for article in articles:
        for action in article.actions:
            key = (article.topic, action["target"])
            entry = merged.setdefault(key, {"kind": action.get("kind", "operation"), "label": {}})
            entry["label"][article.locale] = action.get("label", action["target"])
    specs = [
        AssistantActionSpec(topic, v["kind"], target, v["label"])
        for (topic, target), v in sorted(merged.items())
    ]
    specs.append(
        AssistantActionSpec("*", HANDOFF_ACTION["kind"], HANDOFF_ACTION["target"], HANDOFF_ACTION["label"])
    )
    return specs


def build_engine(pm: Any) -> Engine:
    """Train the model on the assistant's data plus the shipped help articles (CPU-bound)."""
    from plugins.helpcenter.api import shipped_articles

    articles = shipped_articles()
    examples = training_examples(articles)
    # The model segments Chinese knowing the shipped articles' keywords, with its own tokenizer:
    # the same words whatever the help library holds or was built first.
    words = [k for article in articles for k in article.keywords]
    return Engine(trained_model(examples, fingerprint(examples), words), collect_actions(pm))


async def get_engine(services: Services) -> Engine:
    """The process's engine, built on first use (in a thread, once)."""
    state = services.stash.setdefault(STATE_KEY, _State())
    if state.engine is None:
        async with state.lock:
            if state.engine is None:
                state.engine = await asyncio.to_thread(build_engine, services.pm)
    return state.engine
