"""Advertiser applications: submission with licence and documents, the review flow, the timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.context import Actor, Services
from core.duties import forbid_own_case
from core.errors import DomainError, Forbidden, NotFound
from core.notify import Message, queue_notification
from plugins.ads import credit_code, events, rules
from plugins.ads.models import AdApplication, AdApplicationEvent

#: Review action -> (statuses it applies to, resulting status, reason required).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "START_REVIEW": (("SUBMITTED",), "IN_REVIEW", False),
    "REQUEST_DOCUMENTS": (("SUBMITTED", "IN_REVIEW"), "NEEDS_DOCUMENTS", True),
    "APPROVE": (("SUBMITTED", "IN_REVIEW"), "APPROVED", False),
    "REJECT": (("SUBMITTED", "IN_REVIEW", "NEEDS_DOCUMENTS"), "REJECTED", True),
}
OPEN_STATUSES = ("SUBMITTED", "IN_REVIEW", "NEEDS_DOCUMENTS")


async def _store(services: Services, upload: Any, field: str) -> dict[str, Any]:
    stored = await services.storage.save(
        upload, allowed=rules.FILE_TYPES, max_bytes=rules.FILE_MAX_BYTES, field=field
    )
    return {
        "key": stored.key,
        "content_type": stored.content_type,
        "size": stored.size,
        "filename": stored.filename,
        "uploaded_at": datetime.now(UTC).isoformat(),
    }


def is_reviewer(actor: Actor | None) -> bool:
    """Reviewers, sales staff and admins see every application; so does an app with `ads:read`."""
    return actor is not None and (actor.has_role(*rules.STAFF_ROLES) or actor.has_permission("ads:read"))


def may_review(actor: Actor | None) -> bool:
    """Reviewers, sales staff and admins review applications; so does an app with `ads:write`."""
    return actor is not None and (actor.has_role(*rules.STAFF_ROLES) or actor.has_permission("ads:write"))


async def create_application(
    services: Services, actor: Actor, *, company_name: str, credit: str, industry: str, licence: Any,
    qualifications: list[Any] | None,
) -> AdApplication:  # fmt: skip
    """Validate everything, then store the files (typed by content), then the application."""
    company_name = rules.text(company_name, field="input.companyName", limit=100)
    code = credit_code.normalize(credit)
    if not credit_code.is_valid(code):
        raise DomainError("INVALID_CREDIT_CODE", field="input.creditCode")
    if industry not in rules.INDUSTRIES:
        raise DomainError("INVALID_INPUT", field="input.industry", detail="unknown industry")
    qualifications = list(qualifications or [])
    if len(qualifications) > rules.MAX_DOCUMENTS:
        raise DomainError("TOO_MANY_DOCUMENTS", field="input.qualifications", limit=rules.MAX_DOCUMENTS)
    if industry in rules.REGULATED and not qualifications:
        raise DomainError("QUALIFICATION_REQUIRED", field="input.qualifications")
    if licence is None:
        raise DomainError("INVALID_INPUT", field="input.licence", detail="required")
    if await AdApplication.exists(
        credit_code=code, applicant_id=int(actor.user_id), status__in=OPEN_STATUSES
    ):
        raise DomainError("APPLICATION_PENDING", field="input.creditCode")
    licence_file = await _store(services, licence, "input.licence")
    documents = [await _store(services, f, f"input.qualifications.{i}") for i, f in enumerate(qualifications)]
    async with in_transaction():
        application = await AdApplication.create(
            applicant_id=int(actor.user_id),
            company_name=company_name,
            credit_code=code,
            industry=industry,
            licence=licence_file,
            documents=documents,
        )
        await AdApplicationEvent.create(
            application=application, actor_id=int(actor.user_id), kind="SUBMITTED", status="SUBMITTED"
        )
        await services.events.publish(events.event(events.SUBMITTED, application))
    return application


async def get_for(actor: Actor, application_pk: int, field: str = "id") -> AdApplication:
    """The application if the actor is its applicant or a reviewer; NOT_FOUND otherwise."""
    application = await AdApplication.get_or_none(id=application_pk)
    if application is None or (str(application.applicant_id) != actor.user_id and not is_reviewer(actor)):
        raise NotFound(field=field)
    return application


async def review(
    services: Services, actor: Actor, *, application_pk: int, action: str, reason: str | None
) -> AdApplication:
    """Move an application through review; every step is on its timeline and the applicant is told."""
    if not may_review(actor):
        raise Forbidden()
    if action not in TRANSITIONS:
        raise DomainError("INVALID_INPUT", field="input.action", detail="unknown action")
    allowed_from, target, needs_reason = TRANSITIONS[action]
    note = (reason or "").strip()
    if (needs_reason and not note) or len(note) > 2000:
        raise DomainError("REASON_REQUIRED", field="input.reason")
    async with in_transaction():
        application = await AdApplication.filter(id=application_pk).select_for_update().first()
        if application is None:
            raise NotFound(field="input.applicationId")
        forbid_own_case(actor.user_id, application.applicant_id, field="input.applicationId")
        if application.status not in allowed_from:
            raise DomainError(
                "INVALID_TRANSITION", field="input.action", status=application.status, action=action
            )
        application.status = target
        application.reviewer_id = actor.user_pk  # None for an app (its timeline entry and audit name it)
        if target in ("APPROVED", "REJECTED", "NEEDS_DOCUMENTS"):
            application.decision_reason = note
        await application.save(update_fields=["status", "reviewer_id", "decision_reason", "updated_at"])
        await AdApplicationEvent.create(
            application=application, actor_id=actor.user_pk, kind=action, status=target, note=note
        )
        if target in events.DECISIONS:
            await services.events.publish(events.event(events.DECIDED, application))
    await _tell_applicant(services, application)
    return application


async def add_documents(
    services: Services, actor: Actor, *, application_pk: int, uploads: list[Any], note: str | None
) -> AdApplication:
    """The applicant answers a request for documents; the application goes back to review."""
    application = await get_for(actor, application_pk, "input.applicationId")
    if str(application.applicant_id) != actor.user_id:
        raise NotFound(field="input.applicationId")
    if application.status != "NEEDS_DOCUMENTS":
        raise DomainError(
            "INVALID_TRANSITION",
            field="input.applicationId",
            status=application.status,
            action="ADD_DOCUMENTS",
        )
    if not uploads:
        raise DomainError("INVALID_INPUT", field="input.documents", detail="required")
    if len(application.documents) + len(uploads) > rules.MAX_DOCUMENTS * 2:
        raise DomainError("TOO_MANY_DOCUMENTS", field="input.documents", limit=rules.MAX_DOCUMENTS * 2)
    note = rules.text(note, field="input.note", limit=2000, required=False)
    stored = [await _store(services, f, f"input.documents.{i}") for i, f in enumerate(uploads)]
    async with in_transaction():
        locked = await AdApplication.filter(id=application.pk).select_for_update().first()
        if locked is None:  # gone since it was checked
            raise DomainError("NOT_FOUND", field="input.applicationId")
        if locked.status != "NEEDS_DOCUMENTS":
            raise DomainError(
                "INVALID_TRANSITION",
                field="input.applicationId",
                status=locked.status,
                action="ADD_DOCUMENTS",
            )
        locked.documents = [*locked.documents, *stored]
        locked.status = "IN_REVIEW"
        await locked.save(update_fields=["documents", "status", "updated_at"])
        await AdApplicationEvent.create(
            application=locked,
            actor_id=int(actor.user_id),
            kind="DOCUMENTS_ADDED",
            status="IN_REVIEW",
            note=note,
        )
    return locked


async def _tell_applicant(services: Services, application: AdApplication) -> None:
    from plugins.ads.errors import STATUS_TEXT

    text = STATUS_TEXT[application.status]
    await queue_notification(
        services,
        Message(
            channel="INAPP",
            target=str(application.applicant_id),
            subject="广告主入驻申请进度 / Advertiser application update",
            body=f"{text['zh-CN']}\n{text['en']}",
            kind="ads.application",
            user_id=str(application.applicant_id),
            data={"application_id": application.pk, "status": application.status},
        ),
    )


async def own_application(actor: Actor, application_id: int) -> AdApplication:
    """An application the actor filed (a retried `adApplicationCreate` returns it again)."""
    application = await AdApplication.get_or_none(id=application_id, applicant_id=int(actor.user_id))
    if application is None:
        raise NotFound(field="input.clientMutationId")
    return application
