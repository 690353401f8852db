"""Support metrics over a time window: response and resolution times, SLA attainment, CSAT,
volume by category and the assistant's containment. No GraphQL here."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.functions import Count

from core.context import Services
from core.db import column
from core.errors import DomainError
from plugins.support.models import Ticket, TicketRating

logger = logging.getLogger("selfserve.support")
DEFAULT_WINDOW = timedelta(days=30)


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..1) of `values`, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def window(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    """The window, defaulting to the last 30 days; `INVALID_INPUT` when it is reversed."""
    until = until or datetime.now(UTC)
    since = since or until - DEFAULT_WINDOW
    if since.tzinfo is None or until.tzinfo is None:
        since, until = since.replace(tzinfo=since.tzinfo or UTC), until.replace(tzinfo=until.tzinfo or UTC)
    if since >= until:
        raise DomainError("INVALID_INPUT", field="since", detail="since must be before until")
    return since, until


@dataclass
class MetricsReport:
    """Everything `supportMetrics` shows (times in seconds, shares in 0..1)."""

    since: datetime
    until: datetime
    tickets: int = 0
    first_response_median: float | None = None
    first_response_p90: float | None = None
    resolution_median: float | None = None
    resolution_p90: float | None = None
    first_response_attainment: float | None = None
    resolution_attainment: float | None = None
    sla_attainment: float | None = None
    sla_breaches: int = 0
    csat_average: float | None = None
    csat_count: int = 0
    csat_distribution: dict[int, int] = field(default_factory=dict)
    volume_by_category: dict[str, int] = field(default_factory=dict)
    assistant_conversations: int | None = None
    assistant_handoffs: int | None = None
    assistant_containment: float | None = None


def _share(met: int, missed: int) -> float | None:
    return met / (met + missed) if met + missed else None


async def compute(services: Services, since: datetime | None, until: datetime | None) -> MetricsReport:
    """The report for tickets created and ratings given in [since, until)."""
    since, until = window(since, until)
    report = MetricsReport(since=since, until=until)
    rows = await Ticket.filter(created_at__gte=since, created_at__lt=until).values(
        "category", "created_at", "first_response_at", "first_response_due_at", "first_response_breached",
        "solved_at", "resolution_due_at", "resolution_breached", "merged_into_id",
    )  # fmt: skip
    rows = [row for row in rows if row["merged_into_id"] is None]  # duplicates are not separate work
    report.tickets = len(rows)
    report.volume_by_category = dict(Counter(row["category"] for row in rows).most_common())
    first = [
        (r["first_response_at"] - r["created_at"]).total_seconds() for r in rows if r["first_response_at"]
    ]
    solved = [(r["solved_at"] - r["created_at"]).total_seconds() for r in rows if r["solved_at"]]
    report.first_response_median, report.first_response_p90 = percentile(first, 0.5), percentile(first, 0.9)
    report.resolution_median, report.resolution_p90 = percentile(solved, 0.5), percentile(solved, 0.9)
    fr_met = sum(
        1 for r in rows if r["first_response_at"] and r["first_response_at"] <= r["first_response_due_at"]
    )
    fr_missed = sum(1 for r in rows if r["first_response_breached"] or (
        r["first_response_at"] and r["first_response_at"] > r["first_response_due_at"]))  # fmt: skip
    res_met = sum(1 for r in rows if r["solved_at"] and r["solved_at"] <= r["resolution_due_at"])
    res_missed = sum(1 for r in rows if r["resolution_breached"] or (
        r["solved_at"] and r["solved_at"] > r["resolution_due_at"]))  # fmt: skip
    report.first_response_attainment = _share(fr_met, fr_missed)
    report.resolution_attainment = _share(res_met, res_missed)
    report.sla_attainment = _share(fr_met + res_met, fr_missed + res_missed)
    report.sla_breaches = fr_missed + res_missed
    scores = await column(TicketRating.filter(created_at__gte=since, created_at__lt=until), "score")
    report.csat_count = len(scores)
    report.csat_average = sum(scores) / len(scores) if scores else None
    counts = Counter(scores)
    report.csat_distribution = {score: counts.get(score, 0) for score in range(1, 6)}
    await _containment(services, report)
    return report


async def _containment(services: Services, report: MetricsReport) -> None:
    """Assistant containment from the assistant plugin, when it is enabled and provides it."""
    from core.plugins import enabled

    if not enabled(services.pm, "assistant"):
        return
    try:
        from plugins.assistant.api import containment
    except ImportError:
        return
    try:
        conversations, handed_off = await containment(report.since, report.until)
    except Exception:  # another plugin's failure must not take the metrics down
        logger.exception("assistant containment failed")
        return
    report.assistant_conversations, report.assistant_handoffs = conversations, handed_off
    report.assistant_containment = (conversations - handed_off) / conversations if conversations else None


async def category_rows(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Tickets and ratings per category for tickets created in [since, until) (two queries)."""
    counts = (
        await Ticket.filter(created_at__gte=since, created_at__lt=until)
        .annotate(n=Count("id"))
        .group_by("category")
        .values("category", "n")
    )
    ratings = await TicketRating.filter(ticket__created_at__gte=since, ticket__created_at__lt=until).values(
        "score", category="ticket__category"
    )
    by_category: dict[str, list[int]] = {}
    for rating in ratings:
        by_category.setdefault(rating["category"], []).append(rating["score"])
    rows = []
    for row in sorted(counts, key=lambda r: (-r["n"], r["category"])):
        scores = by_category.get(row["category"], [])
        rows.append(
            {
                "category": row["category"],
                "tickets": row["n"],
                "csat_average": sum(scores) / len(scores) if scores else None,
                "csat_count": len(scores),
                "low_ratings": sum(1 for s in scores if s <= 2),
            }
        )
    return rows
