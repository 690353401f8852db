"""GraphQL shape of `supportMetrics`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from plugins.support.metrics import MetricsReport


@strawberry.type(description="How many ratings gave one score.")
class CsatBucket:
    score: int = strawberry.field(description="1 to 5.")
    count: int = strawberry.field(description="Ratings with this score.")


@strawberry.type(description="Tickets filed in one category.")
class CategoryVolume:
    category: str = strawberry.field(description="Help topic or service area key.")
    tickets: int = strawberry.field(description="Tickets created in the window.")


@strawberry.type(description="Support desk performance over a window; times in seconds, shares 0..1.")
class SupportMetrics:
    since: datetime = strawberry.field(description="Window start (inclusive).")
    until: datetime = strawberry.field(description="Window end (exclusive).")
    tickets: int = strawberry.field(description="Tickets created in the window (merged duplicates excluded).")
    first_response_median_seconds: float | None = strawberry.field(
        description="Median time to first agent reply."
    )
    first_response_p90_seconds: float | None = strawberry.field(
        description="90th percentile time to first reply."
    )
    resolution_median_seconds: float | None = strawberry.field(description="Median time to solved.")
    resolution_p90_seconds: float | None = strawberry.field(description="90th percentile time to solved.")
    first_response_sla_attainment: float | None = strawberry.field(
        description="Share of first responses on time."
    )
    resolution_sla_attainment: float | None = strawberry.field(description="Share of resolutions on time.")
    sla_attainment: float | None = strawberry.field(description="Share of all decided SLA targets met.")
    sla_breaches: int = strawberry.field(description="Targets missed.")
    csat_average: float | None = strawberry.field(description="Average rating (1 to 5) given in the window.")
    csat_count: int = strawberry.field(description="Ratings given in the window.")
    csat_distribution: list[CsatBucket] = strawberry.field(description="Ratings per score 1..5.")
    volume_by_category: list[CategoryVolume] = strawberry.field(
        description="Tickets per category, most first."
    )
    assistant_conversations: int | None = strawberry.field(
        description="Assistant conversations (null without the assistant)."
    )
    assistant_handoffs: int | None = strawberry.field(description="Of those, handed off to a human.")
    assistant_containment: float | None = strawberry.field(
        description="Share of assistant conversations that ended without a handoff."
    )

    @classmethod
    def from_report(cls, r: MetricsReport) -> SupportMetrics:
        return cls(
            since=r.since,
            until=r.until,
            tickets=r.tickets,
            first_response_median_seconds=r.first_response_median,
            first_response_p90_seconds=r.first_response_p90,
            resolution_median_seconds=r.resolution_median,
            resolution_p90_seconds=r.resolution_p90,
            first_response_sla_attainment=r.first_response_attainment,
            resolution_sla_attainment=r.resolution_attainment,
            sla_attainment=r.sla_attainment,
            sla_breaches=r.sla_breaches,
            csat_average=r.csat_average,
            csat_count=r.csat_count,
            csat_distribution=[CsatBucket(score=s, count=c) for s, c in sorted(r.csat_distribution.items())],
            volume_by_category=[
                CategoryVolume(category=k, tickets=v) for k, v in r.volume_by_category.items()
            ],
            assistant_conversations=r.assistant_conversations,
            assistant_handoffs=r.assistant_handoffs,
            assistant_containment=r.assistant_containment,
        )
