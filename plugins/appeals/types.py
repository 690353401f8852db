"""GraphQL types of the appeals plugin. Decisions, audit entries and users of a list of appeals are
loaded with one query each per request (DataLoaders), however long the list."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core.roles import Role
from plugins.appeals import models
from plugins.appeals.errors import CODES
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Node, to_global_id

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
    actor_pk: strawberry.Private[int | None]

    @strawberry.field(description="Who did it: shown to reviewers only (null for the user).")
    async def actor(self, info: Info) -> UserRef | None:
        from plugins.account.api import load_user

        if not _is_reviewer(info.context.actor):
            return None
        return await load_user(info.context, self.actor_pk)


def _is_reviewer(actor: Any) -> bool:
    return actor is not None and not actor.restricted and actor.has_role(Role.REVIEWER)


async def _decisions(ids: Sequence[int], context: Any) -> list[Any]:
    from plugins.content.api import load_decisions

    return await load_decisions(list(ids), context)


async def _events(ids: Sequence[int]) -> list[list[AppealEvent]]:
    grouped: dict[int, list[AppealEvent]] = {i: [] for i in ids}
    for row in await models.AppealEvent.filter(appeal_id__in=list(ids)).order_by("id"):
        grouped[row.appeal_id].append(
            AppealEvent(kind=row.kind, note=row.note, created_at=row.created_at, actor_pk=row.actor_id)
        )
    return [grouped[i] for i in ids]


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
    model: strawberry.Private[models.Appeal]

    @classmethod
    def from_model(cls, appeal: models.Appeal) -> Appeal:
        return cls(
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
            model=appeal,
        )

    @strawberry.field(description="The decision appealed against.")
    async def decision(self, info: Info) -> DecisionRef:
        context = info.context
        loader = context.loader("appeals.decisions", lambda ids: _decisions(ids, context))
        return await loader.load(self.model.decision_id)

    @strawberry.field(description="Who filed it (reviewers and the user).")
    async def user(self, info: Info) -> UserRef | None:
        from plugins.account.api import load_user

        return await load_user(info.context, self.model.user_id)

    @strawberry.field(description="Every step so far (the history); only reviewers see who did each step.")
    async def audit_trail(self, info: Info) -> list[AppealEvent]:
        return await info.context.loader("appeals.events", _events).load(self.model.id)


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
    return [Appeal.from_model(found[int(i)]) if str(i).isdigit() and int(i) in found else None for i in ids]
