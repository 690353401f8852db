"""Reviewers' moderation: removing a video or banning an account creates a `Decision` with a
reason code, a statement of reasons (EU DSA Art. 17) and an appeal deadline, and notifies the user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.context import Services
from core.duties import require_may_moderate
from core.errors import DomainError
from core.events import Event
from plugins.content.models import Decision, Video
from plugins.content.notices import notify_user
from plugins.content.settings import content_settings

REASONS = (
    "SPAM",
    "IMPERSONATION",
    "HARASSMENT",
    "VIOLENCE",
    "ADULT_CONTENT",
    "MISINFORMATION",
    "COPYRIGHT",
    "MINOR_SAFETY",
    "OTHER",
)
MAX_STATEMENT = 5000
EXPIRED_BANS_JOB = "content.lift_expired_bans"


def _clean(reason: str, statement: str) -> tuple[str, str]:
    if reason not in REASONS:
        raise DomainError("INVALID_INPUT", field="input.reason", detail="reason")
    statement = (statement or "").strip()
    if not 10 <= len(statement) <= MAX_STATEMENT:
        raise DomainError(
            "INVALID_INPUT",
            field="input.statement",
            detail=f"statement of reasons: 10 to {MAX_STATEMENT} characters",
        )
    return reason, statement


async def remove_video(
    services: Services,
    reviewer_id: int,
    video_id: int,
    *,
    reason: str,
    statement: str,
    reviewer_roles: frozenset[str] = frozenset(),
) -> Decision:
    """Remove a video and record the decision (one transaction), then notify its owner. A staff
    member's video is removed only by an ADMIN (`core.duties`)."""
    from plugins.account.api import roles_of

    reason, statement = _clean(reason, statement)
    now = datetime.now(UTC)
    window = timedelta(days=content_settings(services).appeal_window_days)
    async with in_transaction():
        video = await Video.filter(id=video_id).select_for_update().first()
        if video is None:
            raise DomainError("NOT_FOUND", field="input.videoId")
        if video.owner_id == reviewer_id:
            raise DomainError("CANNOT_MODERATE_SELF", field="input.videoId")
        require_may_moderate(reviewer_roles, await roles_of(video.owner_id), field="input.videoId")
        if video.removed_at is not None:
            raise DomainError("ALREADY_REMOVED", field="input.videoId")
        # A video its owner already deleted stays in Recently deleted; restoring it shows REMOVED.
        video.status = video.status if video.status == "DELETED" else "REMOVED"
        video.removed_at = now
        await video.save(update_fields=["status", "removed_at", "updated_at"])
        decision = await Decision.create(
            kind="VIDEO_REMOVAL",
            subject_user_id=video.owner_id,
            video_id=video.id,
            reason=reason,
            statement=statement,
            reviewer_id=reviewer_id,
            appealable_until=now + window,
        )
    await _announce(services, decision, "content.notice.video_removed", title=video.title)
    return decision


async def ban_account(
    services: Services,
    reviewer_id: int,
    user_id: int,
    *,
    reason: str,
    statement: str,
    until: datetime | None,
    reviewer_roles: frozenset[str] = frozenset(),
) -> Decision:
    """Ban an account (BANNED: sign-in gives a restricted session) with a decision, then notify.
    A staff account (an admin included) is banned only by an ADMIN (`core.duties`)."""
    from plugins.account.api import lock_account, set_account_status

    reason, statement = _clean(reason, statement)
    now = datetime.now(UTC)
    if until is not None:
        until = until if until.tzinfo else until.replace(tzinfo=UTC)
        if until <= now:
            raise DomainError("INVALID_INPUT", field="input.until", detail="until must be in the future")
    if user_id == reviewer_id:
        raise DomainError("CANNOT_MODERATE_SELF", field="input.userId")
    window = timedelta(days=content_settings(services).appeal_window_days)
    async with in_transaction():
        user = await lock_account(user_id)
        if user is None:
            raise DomainError("NOT_FOUND", field="input.userId")
        require_may_moderate(reviewer_roles, user.roles or (), field="input.userId")
        if user.status == "BANNED":
            raise DomainError("ALREADY_BANNED", field="input.userId")
        decision = await Decision.create(
            kind="ACCOUNT_BAN",
            subject_user_id=user.id,
            reason=reason,
            statement=statement,
            reviewer_id=reviewer_id,
            appealable_until=now + window,
            ban_until=until,
        )
        await set_account_status(services, user.id, "BANNED", reason=f"decision {decision.id}")
    await _announce(services, decision, "content.notice.account_banned")
    return decision


async def _announce(services: Services, decision: Decision, key: str, **params: Any) -> None:
    await notify_user(
        services,
        decision.subject_user_id,
        key=key,
        kind="decision",
        data={"decisionId": decision.id},
        reason=decision.reason,
        statement=decision.statement,
        appealable_until=decision.appealable_until.strftime("%Y-%m-%d"),
        **params,
    )
    await services.events.publish(
        Event(
            "decision.created",
            {"decision_id": decision.id, "kind": decision.kind, "user_id": decision.subject_user_id},
            channels=(f"user:{decision.subject_user_id}",),
        )
    )


async def decisions_for(user_id: int) -> list[Decision]:
    """The decisions about a user, newest first."""
    return await Decision.filter(subject_user_id=user_id).order_by("-id").limit(200)


async def lift_expired_bans(services: Services) -> int:
    """Periodic job: make ACTIVE again each account whose temporary ban ended and which has no
    other standing ban. Returns how many accounts were lifted."""
    from plugins.account.api import set_account_status

    now = datetime.now(UTC)
    expired = await Decision.filter(
        kind="ACCOUNT_BAN", ban_until__lte=now, reversed_at__isnull=True, lifted_at__isnull=True
    )
    lifted = 0
    for decision in expired:
        async with in_transaction():
            standing = (
                await Decision.filter(kind="ACCOUNT_BAN", subject_user_id=decision.subject_user_id)
                .filter(reversed_at__isnull=True)
                .filter(Q(ban_until__isnull=True) | Q(ban_until__gt=now))
                .exists()
            )
            if not standing:
                await set_account_status(services, decision.subject_user_id, "ACTIVE", reason="ban expired")
                lifted += 1
            await Decision.filter(id=decision.id).update(lifted_at=now)
    return lifted
