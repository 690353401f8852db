"""Appeals: filing one against one's own decision, the reviewers' queue, review, decision (an
overturn restores the subject in the same transaction), and a single escalation.

States: SUBMITTED -> IN_REVIEW -> OVERTURNED | UPHELD; UPHELD -> ESCALATED (once) -> IN_REVIEW
-> OVERTURNED | UPHELD. See docs/appeals.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from core.duties import forbid_own_case, require_may_moderate
from core.errors import DomainError
from core.events import Event
from core.pagination import Page, page_by_key, page_by_offset
from core.storage import DOCUMENT_TYPES, IMAGE_TYPES, VIDEO_TYPES
from plugins.appeals.models import OPEN_STATUSES, Appeal, AppealEvent
from plugins.appeals.settings import appeals_settings

EVIDENCE_TYPES = IMAGE_TYPES | DOCUMENT_TYPES | VIDEO_TYPES
OUTCOMES = ("OVERTURN", "UPHOLD")


def _now() -> datetime:
    return datetime.now(UTC)


async def create_appeal(
    services: Services, user_id: int, decision_id: int, reason: str, evidence: list[Any] | None
) -> Appeal:
    """File an appeal. Every check (ownership, window, one per decision, reason, each file's type
    and size) passes before anything is written, and the appeal and its first audit entry are
    written together."""
    from plugins.content.api import get_decision

    settings = appeals_settings(services)
    decision = await get_decision(decision_id)
    if decision is None or decision.subject_user_id != user_id:
        raise DomainError("NOT_FOUND", field="input.decisionId")  # another user's: not enumerable
    if decision.reversed_at is not None:
        raise DomainError("DECISION_REVERSED", field="input.decisionId")
    if decision.appealable_until < _now():
        raise DomainError("APPEAL_WINDOW_CLOSED", field="input.decisionId")
    if await Appeal.filter(decision_id=decision.id).exists():
        raise DomainError("ALREADY_APPEALED", field="input.decisionId")
    reason = (reason or "").strip()
    if not settings.min_reason_chars <= len(reason) <= settings.max_reason_chars:
        raise DomainError(
            "INVALID_INPUT",
            field="input.reason",
            detail=f"reason: {settings.min_reason_chars} to {settings.max_reason_chars} characters",
        )
    stored = await _store_evidence(services, list(evidence or []), round_number=1)
    try:
        async with in_transaction():
            appeal = await Appeal.create(
                decision_id=decision.id,
                user_id=user_id,
                reason=reason,
                evidence=stored,
                due_at=_now() + timedelta(hours=settings.sla_hours),
            )
            await AppealEvent.create(appeal_id=appeal.id, actor_id=user_id, kind="SUBMITTED")
            # In the transaction (the outbox): a refused appeal publishes nothing.
            await services.events.publish(
                Event(
                    "appeal.created",
                    {
                        "appeal_id": appeal.id,
                        "decision_id": decision.id,
                        "user_id": user_id,
                        "status": appeal.status,
                    },
                    channels=(f"user:{user_id}",),
                )
            )
    except IntegrityError:
        # A concurrent request filed the appeal first: the unique decision refused this one.
        raise DomainError("ALREADY_APPEALED", field="input.decisionId") from None
    from plugins.content.api import notify_user

    await notify_user(
        services,
        user_id,
        key="appeals.notice.received",
        kind="appeal",
        data={"appealId": appeal.id},
        due_at=appeal.due_at.strftime("%Y-%m-%d %H:%M"),
    )
    return appeal


async def own_appeal(user_id: int, appeal_id: int) -> Appeal:
    """An appeal the user filed (a retried `appealCreate` returns it again)."""
    appeal = await Appeal.get_or_none(id=appeal_id, user_id=user_id)
    if appeal is None:
        raise DomainError("NOT_FOUND", field="input.decisionId")
    return appeal


def _check_reviewer(appeal: Appeal, decision: Any, reviewer_id: int) -> None:
    # The appellant, the decision's reviewer and, on escalation, the first round's reviewer are
    # parties: an escalation goes to someone else.
    earlier = appeal.first_reviewer_id if appeal.round > 1 else None
    forbid_own_case(reviewer_id, appeal.user_id, decision.reviewer_id, earlier, field="input.appealId")


async def _locked(appeal_id: int) -> tuple[Appeal, Any]:
    from plugins.content.api import get_decision

    appeal = await Appeal.filter(id=appeal_id).select_for_update().first()
    if appeal is None:
        raise DomainError("NOT_FOUND", field="input.appealId")
    return appeal, await get_decision(appeal.decision_id)


async def start_review(reviewer_id: int, appeal_id: int) -> Appeal:
    """A reviewer takes a SUBMITTED or ESCALATED appeal: IN_REVIEW, assigned to them."""
    async with in_transaction():
        appeal, decision = await _locked(appeal_id)
        _check_reviewer(appeal, decision, reviewer_id)
        if appeal.status == "IN_REVIEW" and appeal.reviewer_id == reviewer_id:
            return appeal
        if appeal.status not in ("SUBMITTED", "ESCALATED"):
            raise DomainError("INVALID_STATUS", field="input.appealId", status=appeal.status)
        appeal.status, appeal.reviewer_id = "IN_REVIEW", reviewer_id
        await appeal.save(update_fields=["status", "reviewer_id", "updated_at"])
        await AppealEvent.create(appeal_id=appeal.id, actor_id=reviewer_id, kind="REVIEW_STARTED")
    return appeal


async def decide(
    services: Services,
    reviewer_id: int,
    appeal_id: int,
    outcome: str,
    note: str,
    *,
    reviewer_roles: frozenset[str] = frozenset(),
) -> Appeal:
    """Decide an open appeal. OVERTURN reverses the decision and restores its subject in the same
    transaction as the appeal's new status and its audit entries; the user is told afterwards.
    A staff member's appeal is decided only by an ADMIN (`core.duties`)."""
    from plugins.account.api import roles_of
    from plugins.content.api import notify_user, reverse_decision

    settings = appeals_settings(services)
    note = (note or "").strip()
    if not 1 <= len(note) <= settings.max_note_chars:
        raise DomainError(
            "INVALID_INPUT", field="input.note", detail=f"note: 1 to {settings.max_note_chars} characters"
        )
    if outcome not in OUTCOMES:
        raise DomainError("INVALID_INPUT", field="input.outcome", detail="outcome")
    async with in_transaction() as connection:
        appeal, decision = await _locked(appeal_id)
        if appeal.status not in OPEN_STATUSES:
            raise DomainError("INVALID_STATUS", field="input.appealId", status=appeal.status)
        _check_reviewer(appeal, decision, reviewer_id)
        require_may_moderate(reviewer_roles, await roles_of(appeal.user_id), field="input.appealId")
        if appeal.status == "IN_REVIEW" and appeal.reviewer_id not in (None, reviewer_id):
            raise DomainError("ASSIGNED_TO_ANOTHER_REVIEWER", field="input.appealId")
        steps: list[str] = []
        if outcome == "OVERTURN":
            reversal = await reverse_decision(
                services, decision.id, actor_id=reviewer_id, note=note, connection=connection
            )
            steps = reversal.steps
        appeal.status = "OVERTURNED" if outcome == "OVERTURN" else "UPHELD"
        appeal.reviewer_id, appeal.note, appeal.decided_at = reviewer_id, note, _now()
        if appeal.round == 1:
            appeal.first_reviewer_id = reviewer_id
        await appeal.save(
            update_fields=["status", "reviewer_id", "note", "decided_at", "first_reviewer_id", "updated_at"]
        )
        await AppealEvent.bulk_create(
            [AppealEvent(appeal_id=appeal.id, actor_id=reviewer_id, kind=appeal.status, note=note)]
            + [AppealEvent(appeal_id=appeal.id, actor_id=reviewer_id, kind=step) for step in steps]
        )
    overturned = appeal.status == "OVERTURNED"
    await notify_user(
        services,
        appeal.user_id,
        key="appeals.notice.overturned" if overturned else "appeals.notice.upheld",
        kind="appeal",
        data={"appealId": appeal.id, "status": appeal.status},
        translated={} if overturned or appeal.round > 1 else {"next_step": "appeals.notice.can_escalate"},
        note=note,
    )
    await services.events.publish(
        Event(
            "appeal.decided",
            {
                "appeal_id": appeal.id,
                "status": appeal.status,
                "decision_id": decision.id,
                "user_id": appeal.user_id,
            },
            channels=(f"user:{appeal.user_id}",),
        )
    )
    return appeal


async def _store_evidence(services: Services, files: list[Any], round_number: int) -> list[dict[str, Any]]:
    """Check and store evidence files (images, PDF, video by content) given in `round_number`."""
    settings = appeals_settings(services)
    if len(files) > settings.max_evidence_files:
        raise DomainError("TOO_MANY_FILES", field="input.evidence", limit=settings.max_evidence_files)
    stored = []
    for index, upload in enumerate(files):
        saved = await services.storage.save(
            upload,
            allowed=EVIDENCE_TYPES,
            max_bytes=settings.max_evidence_bytes,
            field=f"input.evidence.{index}",
        )
        stored.append(
            {
                "key": saved.key,
                "contentType": saved.content_type,
                "size": saved.size,
                "filename": saved.filename,
                "round": round_number,
            }
        )
    return stored


async def escalate(
    services: Services,
    user_id: int,
    appeal_id: int,
    reason: str | None = None,
    evidence: list[Any] | None = None,
) -> Appeal:
    """The user asks a second, different reviewer to look at an UPHELD appeal (once), optionally
    adding what is new (a statement of up to the reason limit, up to 5 more files)."""
    settings = appeals_settings(services)
    appeal = await Appeal.get_or_none(id=appeal_id, user_id=user_id)
    if appeal is None:
        raise DomainError("NOT_FOUND", field="id")
    _check_escalatable(appeal)
    addition = (reason or "").strip()
    if len(addition) > settings.max_reason_chars:
        raise DomainError(
            "INVALID_INPUT", field="input.reason", detail=f"at most {settings.max_reason_chars} characters"
        )
    stored = await _store_evidence(services, list(evidence or []), round_number=2)
    async with in_transaction():
        appeal = await Appeal.filter(id=appeal_id, user_id=user_id).select_for_update().first()
        if appeal is None:  # gone since it was checked
            raise DomainError("NOT_FOUND", field="id")
        _check_escalatable(appeal)
        appeal.status, appeal.round, appeal.reviewer_id = "ESCALATED", 2, None
        appeal.due_at = _now() + timedelta(hours=settings.sla_hours)
        appeal.evidence = [*(appeal.evidence or []), *stored]
        await appeal.save(
            update_fields=["status", "round", "reviewer_id", "due_at", "evidence", "updated_at"]
        )
        await AppealEvent.create(appeal_id=appeal.id, actor_id=user_id, kind="ESCALATED", note=addition)
    return appeal


def _check_escalatable(appeal: Appeal) -> None:
    if appeal.round > 1:
        raise DomainError("ALREADY_ESCALATED", field="id")
    if appeal.status != "UPHELD":
        raise DomainError("INVALID_STATUS", field="id", status=appeal.status)


async def appeals_of(user_id: int, first: int | None, after: str | None) -> Page:
    """The user's appeals, newest first."""
    return await page_by_key(Appeal.filter(user_id=user_id), first, after)


#: What a GraphQL appeal and `can_view_appeal` read of a row (the queue reads only these).
APPEAL_COLUMNS = (
    "decision_id", "user_id", "reason", "evidence", "status", "round", "note", "created_at",
    "due_at", "decided_at",
)  # fmt: skip


async def queue(first: int | None, after: str | None) -> Page:
    """Open appeals for reviewers (`core.rows.Row`s), the one due soonest first."""
    return await page_by_offset(
        Appeal.filter(status__in=OPEN_STATUSES).order_by("due_at", "id"), first, after, columns=APPEAL_COLUMNS
    )


async def owned_or_none(user_id: int, appeal_id: int) -> Appeal | None:
    """The user's appeal with this id."""
    return await Appeal.get_or_none(id=appeal_id, user_id=user_id)
