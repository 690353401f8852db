"""What other plugins may call of the community plugin (docs/contracts.md).

- `accepted_answers(services, query, language, k=3)`: solved threads matching a question (assistant, help search).
- `feedback_board_posts(since, until)`: the feedback board's threads in a period (feedback insights).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plugins.community.boards import FEEDBACK_BOARD
from plugins.community.models import Thread
from plugins.community.search import search_accepted
from schema.relay import to_global_id


@dataclass(frozen=True)
class AcceptedAnswer:
    """A solved thread: its global id, title, site path and match score."""

    thread_id: str
    title: str
    url: str
    score: float


def thread_url(thread_pk: int) -> str:
    """The site path of a thread (clients prefix their own origin)."""
    return f"/community/threads/{to_global_id('ForumThread', thread_pk)}"


async def accepted_answers(services: Any, query: str, language: str, k: int = 3) -> list[AcceptedAnswer]:
    """Up to `k` visible threads with an accepted answer that match `query`, best first."""
    hits = await search_accepted(services, query, language, max(1, min(k, 20)))
    titles = dict(await Thread.filter(id__in=[h.thread_id for h in hits]).values_list("id", "title"))
    return [
        AcceptedAnswer(
            to_global_id("ForumThread", h.thread_id), titles[h.thread_id], thread_url(h.thread_id), h.score
        )
        for h in hits
        if h.thread_id in titles
    ]


async def feedback_board_posts(since: datetime, until: datetime) -> list[tuple[str, str, int, int]]:
    """(thread global id, title, votes, replies) of visible feedback-board threads created in
    [since, until), most voted first."""
    rows = await (
        Thread.filter(
            board__slug=FEEDBACK_BOARD, status="VISIBLE", created_at__gte=since, created_at__lt=until
        )
        .order_by("-vote_count", "-reply_count", "-id")
        .limit(200)
        .values_list("id", "title", "vote_count", "reply_count")
    )
    return [(to_global_id("ForumThread", pk), title, votes, replies) for pk, title, votes, replies in rows]
