"""Every GraphQL document the portal sends is valid against the committed SDL: the portal can do
nothing a mobile client could not (and a schema change that breaks a page fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from plugins.portal.documents import all_documents

SDL = Path(__file__).resolve().parents[3] / "schema" / "schema.graphql"


@pytest.fixture(scope="module")
def committed_schema():
    return build_schema(SDL.read_text(encoding="utf-8"))


def test_the_portal_ships_documents():
    assert {"help_article", "login", "ticket_events", "assistant_ask", "appeal_decide"} <= set(
        all_documents()
    )
    # the user pages' documents (videos, appeals, community, identity, ticket extras)
    assert {"my_videos", "decisions", "appeal_create", "appeal_escalate", "community", "forum_thread",
            "forum_reply_create", "real_name_submit", "account_deletion", "ticket_rate"} <= set(all_documents())  # fmt: skip
    # the agent's ticket tools (macros, assignment)
    assert {"staff_ticket_tools", "staff_ticket_macro", "staff_ticket_assign"} <= set(all_documents())


@pytest.mark.parametrize("name", sorted(all_documents()))
def test_document_is_valid_against_the_committed_sdl(committed_schema, name):
    document = parse(all_documents()[name])
    assert validate(committed_schema, document) == []
    assert len(document.definitions) == 1
