"""Real-name photos for reviewers: decrypted on the fly through signed URLs, every view audited,
never of one's own submission; deleted 30 days after the decision (the `PHOTO_PURGE_JOB`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core.context import Services
from core.files import FileClaims, FileGrant, file_route, signed_url
from core.roles import Role
from plugins.account.models import RealNameVerification
from plugins.account.sessions import actor_for_session

KIND = "real-name-photo"
PHOTO_FIELDS = ("idFront", "idBack", "selfie")
#: ID photos are kept this long after the decision, then deleted (number, mask and decision stay).
PHOTO_RETENTION_DAYS = 30
PHOTO_PURGE_JOB = "account.purge_real_name_photos"


def may_review(actor: Any, user_pk: int) -> bool:
    """A reviewer on a normal session, and not the person who submitted it."""
    return (
        actor is not None
        and not actor.restricted
        and actor.has_role(Role.REVIEWER)
        and str(actor.user_id) != str(user_pk)
    )


def photo_url(context: Any, record: RealNameVerification, field: str) -> str | None:
    """The signed URL of one photo of a submission for the request's reviewer (null for anyone
    else, for their own submission and once the photos are deleted)."""
    if field not in (record.photos_enc or {}) or not may_review(context.actor, record.user_id):
        return None
    return signed_url(context.services, context.actor, KIND, f"{record.user_id}:{field}")


async def authorize(services: Services, claims: FileClaims) -> FileGrant | None:
    """The decrypted photo, if the URL's holder is still a reviewer and it is not their own."""
    user_pk, _, field = claims.ref.partition(":")
    if not user_pk.isdigit() or field not in PHOTO_FIELDS:
        return None
    actor = await actor_for_session(services, claims.user_id, claims.session_id)
    if not may_review(actor, int(user_pk)):
        return None
    record = await RealNameVerification.get_or_none(user_id=int(user_pk))
    photo = (record.photos_enc or {}).get(field) if record is not None else None
    if photo is None:
        return None
    extension = "png" if photo.get("type") == "image/png" else "jpg"
    return FileGrant(
        key=photo["key"],
        filename=f"{field}.{extension}",
        owner_id=user_pk,
        actor=actor,
        decrypt_context=f"account.realname:{user_pk}:{field}",
    )


async def purge_photos(services: Services, now: datetime | None = None) -> int:
    """The periodic job: delete the encrypted ID photos of submissions decided more than
    `PHOTO_RETENTION_DAYS` ago. Returns how many submissions lost their photos."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=PHOTO_RETENTION_DAYS)
    due = await RealNameVerification.filter(
        status__in=("VERIFIED", "REJECTED"), reviewed_at__lt=cutoff, photos_deleted_at__isnull=True
    ).limit(500)
    for record in due:
        for photo in (record.photos_enc or {}).values():
            services.storage.delete(photo["key"])
        await RealNameVerification.filter(id=record.pk).update(
            photos_enc={}, photos_deleted_at=datetime.now(UTC)
        )
    return len(due)


def routes() -> list[Any]:
    """The photo download route."""
    return [file_route(KIND, authorize)]
