"""Real-name verification (实名认证): validate the ID, refuse minors and IDs already used, store
the number and photos encrypted, and queue the submission for a reviewer."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from core.duties import forbid_own_case
from core.errors import DomainError, NotFound, RateLimited
from core.events import Event
from core.plugins import call_async
from core.storage import CHUNK, sniff_content_type
from plugins.account import idnumber
from plugins.account.models import RealNameVerification, User

ADULT_AGE = 18
#: ID checks (does this number already verify an account?) per user and per address per day.
ID_CHECKS_PER_USER_DAY = 5
ID_CHECKS_PER_IP_DAY = 20
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
PHOTO_FIELDS = ("idFront", "idBack", "selfie")


def _clean_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not 2 <= len(name) <= 50 or not name.replace(" ", "").replace("·", "").isalpha():
        raise DomainError("INVALID_INPUT", field="fullName", detail="the full name as on the ID card")
    return name


async def read_photo(upload: Any, field: str) -> tuple[bytes, str]:
    """The bytes and real type of an ID photo: JPEG or PNG by content, at most 5 MB."""
    await upload.seek(0)
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data.extend(chunk)
        if len(data) > PHOTO_MAX_BYTES:
            raise DomainError("FILE_TOO_LARGE", field=field, limit_mb=PHOTO_MAX_BYTES // (1024 * 1024))
    content_type = sniff_content_type(bytes(data[:64]))
    if content_type not in PHOTO_TYPES:
        raise DomainError("FILE_TYPE_NOT_ALLOWED", field=field)
    return bytes(data), content_type


@dataclass(frozen=True)
class RealNameSubmission:
    """What a verification provider (`real_name_decision` hook) sees of a submission."""

    user_id: int
    full_name: str
    id_number: str
    birth_date: date
    photos: dict[str, tuple[bytes, str]] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class RealNameDecision:
    """A provider's decision: approve or reject, with the note the user sees."""

    approve: bool
    note: str


async def _limit_id_checks(services: Services, user: User, ip: str) -> None:
    """Each lookup of an ID number counts, so nobody can probe which IDs are used here."""
    for key, limit in ((f"user:{user.pk}", ID_CHECKS_PER_USER_DAY), (f"ip:{ip}", ID_CHECKS_PER_IP_DAY)):
        try:
            await services.rate_limiter.hit(f"realname-id:{key}", limit, 86_400)
        except RateLimited as limited:
            raise DomainError(
                "TOO_MANY_ATTEMPTS", field="idNumber", retry_after=limited.retry_after
            ) from None


async def submit(
    services: Services, user: User, *, full_name: str, id_number: str, photos: dict[str, Any], ip: str = ""
) -> RealNameVerification:
    """Validate and queue a verification; every check runs before anything is written. ID checks
    are rate limited per user and per address, and ID_ALREADY_USED never says whose it is."""
    name = _clean_name(full_name)
    today = date.today()
    resident = idnumber.parse(id_number, today)
    if idnumber.age_on(resident.birth_date, today) < ADULT_AGE:
        raise DomainError("UNDERAGE", field="idNumber")
    existing = await RealNameVerification.get_or_none(user_id=user.pk)
    if existing is not None and existing.status in ("PENDING", "VERIFIED"):
        raise DomainError("INVALID_INPUT", field="idNumber", detail="a verification is already on file")
    await _limit_id_checks(services, user, ip)
    id_hash = services.pii.lookup_hash(resident.number)
    other = await RealNameVerification.filter(id_hash=id_hash).exclude(user_id=user.pk).first()
    if other is not None and other.status != "REJECTED":
        raise DomainError("ID_ALREADY_USED", field="idNumber")
    checked = {f: await read_photo(u, f) for f, u in photos.items() if u is not None and f in PHOTO_FIELDS}
    context = f"account.realname:{user.pk}"
    stored = {}
    for field, (data, content_type) in checked.items():
        blob = services.pii.encrypt(data, f"{context}:{field}")
        saved = await services.storage.save_bytes(blob, content_type="application/octet-stream")
        stored[field] = {"key": saved.key, "type": content_type}
    values = {
        "status": "PENDING",
        "full_name_enc": services.pii.encrypt_text(name, context),
        "id_number_enc": services.pii.encrypt_text(resident.number, context),
        "id_hash": id_hash,
        "masked_id_number": resident.masked,
        "birth_date": resident.birth_date,
        "photos_enc": stored,
        "submitted_at": datetime.now(UTC),
        "reviewed_at": None,
        "reviewer_id": None,
        "review_note": "",
    }
    try:
        async with in_transaction():
            if other is not None:  # a rejected claim on this ID does not block its rightful owner
                await RealNameVerification.filter(id=other.pk).update(id_hash=f"released:{other.pk}")
            record, _ = await RealNameVerification.update_or_create(user_id=user.pk, defaults=values)
    except IntegrityError:
        raise DomainError("ID_ALREADY_USED", field="idNumber") from None
    submission = RealNameSubmission(user.pk, name, resident.number, resident.birth_date, checked)
    for decision in await call_async(
        services.pm, "real_name_decision", submission=submission, services=services
    ):
        if isinstance(decision, RealNameDecision):
            return await _decide(services, record, None, approve=decision.approve, note=decision.note)
    return record


async def review(
    services: Services, reviewer_pk: int, *, user_pk: int, approve: bool, note: str
) -> RealNameVerification:
    """A reviewer's decision on a PENDING verification."""
    note = (note or "").strip()
    if not 1 <= len(note) <= 2000:
        raise DomainError("INVALID_INPUT", field="note", detail="a note of 1 to 2000 characters")
    record = await RealNameVerification.get_or_none(user_id=user_pk)
    if record is None:
        raise NotFound(field="userId")
    forbid_own_case(reviewer_pk, record.user_id, field="userId")  # nobody verifies themselves
    return await _decide(services, record, reviewer_pk, approve=approve, note=note)


async def _decide(
    services: Services, record: RealNameVerification, reviewer_pk: int | None, *, approve: bool, note: str
) -> RealNameVerification:
    """Record a decision on a PENDING verification (a reviewer's, or a provider's with no reviewer)."""
    user_pk = record.user_id
    status = "VERIFIED" if approve else "REJECTED"
    now = datetime.now(UTC)
    updated = await RealNameVerification.filter(id=record.pk, status="PENDING").update(
        status=status, reviewed_at=now, reviewer_id=reviewer_pk, review_note=note
    )
    if not updated:
        raise DomainError("INVALID_INPUT", field="userId", detail="this verification is not pending")
    record.status, record.reviewed_at, record.review_note = status, now, note
    await services.events.publish(
        Event("account.real_name_reviewed", {"user_id": str(user_pk), "status": status}, (f"user:{user_pk}",))
    )
    return record


async def status_by_user(user_ids: list[int]) -> list[RealNameVerification | None]:
    """The verification of each user (None where there is none): one query for the batch."""
    found = {r.user_id: r for r in await RealNameVerification.filter(user_id__in=user_ids)}
    return [found.get(i) for i in user_ids]
