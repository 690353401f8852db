"""`feedbackInsights`: combine every available signal into a ranked list of weak spots.

Signals (each optional: a disabled or unfinished plugin is skipped and reported as unavailable):
feedback submissions and survey results (this plugin), the forum's feedback board (community),
ticket categories and CSAT (support), searches that found nothing and unhelpful articles (helpcenter).
Signals about the same help topic merge into one weak spot. Scoring is documented in docs/feedback.md.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Avg, Count

from core.context import Services
from core.plugins import enabled
from plugins.feedback.models import Feedback, Survey, SurveyQuestion
from plugins.feedback.results import survey_results

logger = logging.getLogger("selfserve.feedback.insights")


@dataclass(frozen=True)
class Evidence:
    """One fact behind a weak spot: where it comes from, what it says, its number."""

    source: str
    summary: str
    value: float


@dataclass
class WeakSpot:
    """Something users struggle with: a help topic, a service area, a search, a forum request."""

    key: str
    area: str
    title: str
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Insights:
    """The ranked weak spots and which sources answered."""

    spots: list[WeakSpot]
    sources: dict[str, bool]


class _Board:
    def __init__(self) -> None:
        self.spots: dict[str, WeakSpot] = {}

    def add(self, key: str, area: str, title: str, score: float, evidence: Evidence) -> None:
        spot = self.spots.setdefault(key, WeakSpot(key, area, title))
        spot.score += max(score, 0.0)
        spot.evidence.append(evidence)


def _area(topic: str) -> str:
    return (topic or "other").split(".", 1)[0].upper()


async def _own_feedback(board: _Board, since: datetime, until: datetime) -> None:
    rows = await (
        Feedback.filter(created_at__gte=since, created_at__lt=until)
        .group_by("category")
        .annotate(n=Count("id"), avg=Avg("rating"))
        .values("category", "n", "avg")
    )
    low = dict(
        await Feedback.filter(created_at__gte=since, created_at__lt=until, rating__lte=2)
        .group_by("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    for row in rows:
        category, count, lows = row["category"], row["n"], low.get(row["category"], 0)
        average = f", average rating {float(row['avg']):.1f}" if row["avg"] is not None else ""
        board.add(
            f"area:{category}", category, f"Feedback about {category.lower().replace('_', ' ')}",
            count + 2 * lows,
            Evidence("feedback", f"{count} submissions, {lows} rated 1-2{average}", count),
        )  # fmt: skip


async def _surveys(board: _Board, since: datetime, until: datetime) -> None:
    still_open = Q(closed_at__isnull=True) | Q(closed_at__gte=since)  # NOT(NULL < x) would drop open ones
    surveys = await Survey.filter(still_open, opened_at__isnull=False, opened_at__lt=until)
    for survey in surveys:
        responses, results = await survey_results(survey)
        for result in results:
            q: SurveyQuestion = result.question
            key, area = (
                (f"area:{survey.area}", survey.area) if survey.area else (f"survey:{survey.pk}", "OTHER")
            )
            title = f"Feedback about {survey.area.lower()}" if survey.area else survey.title
            if q.kind == "CSAT" and result.average is not None and result.average < 4:
                summary = (
                    f"“{q.prompt}” CSAT {result.average:.2f}/5 from {result.answers} answers ({survey.title})"
                )
                board.add(
                    key,
                    area,
                    title,
                    (4 - result.average) * result.answers,
                    Evidence("survey", summary, result.average),
                )
            if q.kind == "NPS" and result.nps is not None and result.nps < 30:
                summary = f"“{q.prompt}” NPS {result.nps:+.0f} from {result.answers} answers ({survey.title})"
                board.add(
                    key,
                    area,
                    title,
                    (30 - result.nps) / 20 * result.answers,
                    Evidence("survey", summary, result.nps),
                )


async def _community(board: _Board, since: datetime, until: datetime) -> None:
    from plugins.community import api

    for thread_id, title, votes, replies in (await api.feedback_board_posts(since, until))[:20]:
        summary = f"Forum feedback thread with {votes} votes and {replies} replies"
        board.add(
            f"forum:{thread_id}",
            "FEEDBACK",
            title,
            1 + votes + replies / 2,
            Evidence("forum", summary, votes),
        )


async def _support(board: _Board, since: datetime, until: datetime) -> None:
    from plugins.support import api

    for stat in await api.category_stats(since, until):
        csat = (
            f", CSAT {stat.csat_average:.2f} from {stat.csat_count}" if stat.csat_average is not None else ""
        )
        score = stat.tickets * 0.5 + stat.low_ratings * 3
        if stat.csat_average is not None and stat.csat_count:
            score += max(4 - stat.csat_average, 0) * stat.csat_count
        summary = f"{stat.tickets} tickets, {stat.low_ratings} low ratings{csat}"
        board.add(
            f"topic:{stat.category}",
            _area(stat.category),
            stat.category,
            score,
            Evidence("tickets", summary, stat.tickets),
        )


async def _helpcenter(board: _Board, since: datetime, until: datetime) -> None:
    from plugins.helpcenter import api

    for query, language, count in await api.failed_searches(since, until, limit=20):
        summary = f"{count} searches ({language}) found nothing"
        board.add(
            f"search:{language}:{query.lower()}",
            "HELP_CENTER",
            query,
            count,
            Evidence("search", summary, count),
        )
    for stat in await api.unhelpful_articles(since, until, limit=20):
        summary = f"“{stat.title}” marked unhelpful {stat.unhelpful}×, helpful {stat.helpful}×"
        board.add(
            f"topic:{stat.topic}", _area(stat.topic), stat.topic, stat.unhelpful * 2 - stat.helpful * 0.5,
            Evidence("articles", summary, stat.unhelpful),
        )  # fmt: skip


@dataclass(frozen=True)
class Source:
    """A signal of the report. `plugin`: the OPTIONAL plugin (see the manifest) whose api the
    collector reads; the source is used while that plugin is enabled and reported unavailable
    otherwise."""

    name: str
    collect: Callable[[_Board, datetime, datetime], Awaitable[None]]
    plugin: str | None = None


SOURCES = (
    Source("feedback", _own_feedback),
    Source("survey", _surveys),
    Source("forum", _community, plugin="community"),
    Source("tickets", _support, plugin="support"),
    Source("helpcenter", _helpcenter, plugin="helpcenter"),
)


async def insights(services: Services, since: datetime, until: datetime, limit: int = 20) -> Insights:
    """Weak spots of the period, highest score first, each with its evidence."""
    board = _Board()
    available: dict[str, bool] = {}
    for source in SOURCES:
        if source.plugin is not None and not enabled(services.pm, source.plugin):
            available[source.name] = False
            continue
        try:
            await source.collect(board, since, until)
            available[source.name] = True
        except Exception:  # another plugin's failure must not take the report down
            logger.exception("insights source %s failed", source.name)
            available[source.name] = False
    spots = [s for s in board.spots.values() if s.score > 0]
    spots.sort(key=lambda s: (-s.score, s.key))
    for spot in spots:
        spot.score = round(spot.score, 2)
    return Insights(spots[:limit], available)


def spots_by_area(spots: list[WeakSpot]) -> dict[str, float]:
    """Total score per area (a summary line for dashboards)."""
    totals: dict[str, float] = defaultdict(float)
    for spot in spots:
        totals[spot.area] += spot.score
    return dict(totals)
