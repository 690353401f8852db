"""GraphQL types of the appeals plugin. Decisions, audit entries and users of a list of appeals are
loaded with one query each per request, however long the list, before the appeals are built."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core.roles import Role
from core.rows import Row
from plugins.appeals import models
from plugins.appeals.errors import CODES
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Node, to_global_id
from schema.selection import wants

if TYPE_CHECKING:
    from plugins.account.api import User


@strawberry.type(description="Why an appeal operation failed.")
class AppealError(PluginError, codes=CODES, plugin="appeals"):
    pass


appeal_error_handler = AppealError.handler

if TYPE_CHECKING:
    from plugins.content.api import Decision

UserRef = Annotated["User", strawberry.lazy("plugins.account.api")]  # noqa: F821
DecisionRef = Annotated["Decision", strawberry.lazy("plugins.content.api")]


@strawberry.enum(description="Where an appeal is.")
class AppealStatus(enum.Enum):
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    OVERTURNED = "OVERTURNED"
    UPHELD = "UPHELD"
    ESCALATED = "ESCALATED"


@strawberry.enum(description="A reviewer's outcome: reverse the decision, or keep it.")
class AppealOutcome(enum.Enum):
    OVERTURN = "OVERTURN"
    UPHOLD = "UPHOLD"


@strawberry.type(description="A file attached to an appeal.")
class EvidenceFile:
    content_type: str = strawberry.field(description="Type read from the content.")
    round: int = strawberry.field(description="1 when filed with the appeal, 2 when added at escalation.")
    size: int = strawberry.field(description="Bytes.")
    filename: str = strawberry.field(description="Name the client gave.")
    appeal_pk: strawberry.Private[int] = 0
    index: strawberry.Private[int] = 0

    @strawberry.field(
        description="Signed download URL, valid 5 minutes and for the caller only (null for apps)."
    )
    def download_url(self, info: Info) -> str | None:
        from plugins.appeals.files import evidence_url

        return evidence_url(info.context, self.appeal_pk, self.index)


@strawberry.type(description="One step of an appeal's audit trail.")
class AppealEvent:
    kind: str = strawberry.field(
        description="SUBMITTED, REVIEW_STARTED, OVERTURNED, UPHELD, ESCALATED, VIDEO_RESTORED, BAN_LIFTED, "
        "SESSIONS_UPGRADED, DECISION_REVERSED."
    )
    note: str = strawberry.field(description="Note written with the step.")
    created_at: datetime = strawberry.field(description="When it happened.")
    # Loaded with the appeals (`appeals_of`): a plain attribute the executor completes directly.
    actor: UserRef | None = strawberry.field(
        description="Who did it: shown to reviewers only (null for the user)."
    )


def _is_reviewer(actor: Any) -> bool:
    return actor is not None and not actor.restricted and actor.has_role(Role.REVIEWER)


@strawberry.type(description="An appeal against a moderation decision.")
class Appeal(Node):
    status: AppealStatus = strawberry.field(
        description="SUBMITTED, IN_REVIEW, OVERTURNED, UPHELD or ESCALATED."
    )
    reason: str = strawberry.field(description="Why the user thinks the decision is wrong.")
    created_at: datetime = strawberry.field(description="When it was filed.")
    due_at: datetime = strawberry.field(description="When the review is due (the review target).")
    decided_at: datetime | None = strawberry.field(description="When a reviewer last decided it.")
    note: str = strawberry.field(description="The reviewer's note to the user.")
    escalated: bool = strawberry.field(description="True once escalated to a second reviewer.")
    can_escalate: bool = strawberry.field(description="True when the user may escalate it now.")
    evidence: list[EvidenceFile] = strawberry.field(description="Attached files.")
    # The related objects are loaded for the whole list at once (`appeals_of`, a fixed number of
    # queries) and kept as plain attributes: no async resolver per appeal. Unselected ones are None.
    decision: DecisionRef = strawberry.field(description="The decision appealed against.")
    user: UserRef | None = strawberry.field(description="Who filed it (reviewers and the user).")
    audit_trail: list[AppealEvent] = strawberry.field(
        description="Every step so far (the history); only reviewers see who did each step."
    )
    #: The model, or a `Row` of the columns read here (the review queue).
    model: strawberry.Private[models.Appeal | Row]


async def appeals_of(
    context: Any, rows: Sequence[models.Appeal | Row], selected: frozenset[str] | None = None
) -> list[Appeal]:
    """GraphQL appeals for `rows`, with what `selected` asks for of their decisions, users and
    audit trails (with actors): at most three queries whatever the number of rows."""
    from plugins.account.api import load_users
    from plugins.content.api import load_decisions

    decision_ids = list(dict.fromkeys(a.decision_id for a in rows))
    decisions = (
        dict(zip(decision_ids, await load_decisions(decision_ids, context), strict=True))
        if rows and wants(selected, "decision")
        else {}
    )
    trails: dict[int, list[tuple[str, str, datetime, int | None]]] = {a.id: [] for a in rows}
    if rows and wants(selected, "auditTrail"):
        events = models.AppealEvent.filter(appeal_id__in=list(trails)).order_by("id")
        for appeal_id, kind, note, created_at, actor_id in await events.values_list(
            "appeal_id", "kind", "note", "created_at", "actor_id"
        ):
            trails[appeal_id].append((kind, note, created_at, actor_id))
    user_ids: set[int] = set()
    if wants(selected, "user"):
        user_ids.update(a.user_id for a in rows)
    show_actors = _is_reviewer(context.actor) and wants(selected, "actor")
    if show_actors:
        user_ids.update(e[3] for trail in trails.values() for e in trail if e[3] is not None)
    users: dict[int, Any] = {}
    if user_ids:
        ordered = sorted(user_ids)
        loaded = await context.loader("account.users", load_users).load_many(ordered)
        users = dict(zip(ordered, loaded, strict=True))
    return [
        _appeal(
            appeal,
            decisions.get(appeal.decision_id),
            users.get(appeal.user_id),
            [
                AppealEvent(
                    kind=kind,
                    note=note,
                    created_at=created_at,
                    actor=users.get(actor_id) if show_actors and actor_id is not None else None,
                )
                for kind, note, created_at, actor_id in trails[appeal.id]
            ],
        )
        for appeal in rows
    ]


async def appeal_of(context: Any, row: models.Appeal, selected: frozenset[str] | None = None) -> Appeal:
    """One GraphQL appeal (`appeals_of` for a single row)."""
    return (await appeals_of(context, [row], selected))[0]


def _appeal(appeal: models.Appeal | Row, decision: Any, user: Any, trail: list[AppealEvent]) -> Appeal:
    return Appeal(
        id=to_global_id("Appeal", appeal.pk),
        status=AppealStatus(appeal.status),
        reason=appeal.reason,
        created_at=appeal.created_at,
        due_at=appeal.due_at,
        decided_at=appeal.decided_at,
        note=appeal.note,
        escalated=appeal.round > 1,
        can_escalate=appeal.status == "UPHELD" and appeal.round == 1,
        evidence=[
            EvidenceFile(
                content_type=f["contentType"],
                size=f["size"],
                filename=f.get("filename", ""),
                round=f.get("round", 1),
                appeal_pk=appeal.pk,
                index=index,
            )
            for index, f in enumerate(appeal.evidence or [])
        ],
        decision=decision,
        user=user,
        audit_trail=trail,
        model=appeal,
    )


def can_view_appeal(appeal: Appeal, context: Any) -> bool:
    """The user who filed it (restricted sessions too) and reviewers."""
    actor = context.actor
    if actor is None:
        return False
    return str(appeal.model.user_id) == actor.user_id or _is_reviewer(actor)


async def load_appeals(ids: Sequence[str], context: Any) -> list[Any]:
    """Appeals by primary key, in order."""
    pks = [int(i) for i in ids if str(i).isdigit()]
    found = {a.id: a for a in await models.Appeal.filter(id__in=pks)}
    built = {a.model.id: a for a in await appeals_of(context, list(found.values()))}
    return [built.get(int(i)) if str(i).isdigit() else None for i in ids]
