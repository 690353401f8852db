"""Advertising inquiries: validate, store (contact encrypted), route to a sales queue, confirm."""

from __future__ import annotations

from core.context import Actor, Services
from core.errors import DomainError
from core.notify import Message, queue_notification
from plugins.ads import rules
from plugins.ads.errors import NEXT_STEPS
from plugins.ads.models import AdInquiry

#: Inquiries per client address per hour (anonymous callers are allowed).
INQUIRY_LIMIT = (5, 3600)


def next_steps(queue: str, hours: int, language: str) -> list[str]:
    """What happens next for an inquiry routed to `queue`, in `language`."""
    texts = NEXT_STEPS[queue].get(language) or NEXT_STEPS[queue]["en"]
    return [line.format(hours=hours) for line in texts]


async def create_inquiry(
    services: Services, actor: Actor | None, *, ip: str, language: str, company: str, contact_name: str,
    contact: str, budget: str, goals: str,
) -> tuple[AdInquiry, int]:  # fmt: skip
    """Store an inquiry in the queue its budget belongs to; returns it and the answer time (hours)."""
    company = rules.text(company, field="input.company", limit=100)
    contact_name = rules.text(contact_name, field="input.contactName", limit=50)
    normalized, masked = rules.contact(contact)
    goals = rules.text(goals, field="input.goals", limit=2000)
    if budget not in rules.BUDGETS:
        raise DomainError("INVALID_INPUT", field="input.budget", detail="unknown budget range")
    who = actor.user_id if actor else ip
    await services.rate_limiter.hit(f"ads:inquiry:{who}", *INQUIRY_LIMIT)
    queue, hours = rules.BUDGETS[budget]
    inquiry = await AdInquiry.create(
        user_id=int(actor.user_id) if actor else None,
        company=company,
        contact_name=contact_name,
        contact_enc=services.pii.encrypt_text(normalized, "ads.inquiry.contact"),
        contact_masked=masked,
        budget=budget,
        goals=goals,
        queue=queue,
        language=language,
    )
    if "@" in normalized:  # a confirmation with the same next steps, sent by the retried notify job
        await queue_notification(
            services,
            Message(
                channel="EMAIL",
                target=normalized,
                subject="广告合作咨询已收到 / Advertising inquiry received",
                body="\n".join(next_steps(queue, hours, language)),
                kind="ads.inquiry",
                user_id=actor.user_id if actor else None,
                data={"inquiry_id": inquiry.pk, "queue": queue},
            ),
        )
    return inquiry, hours


def reveal_contact(services: Services, inquiry: AdInquiry) -> str:
    """The full contact of an inquiry (sales staff only; callers check the role)."""
    return services.pii.decrypt_text(inquiry.contact_enc, "ads.inquiry.contact")


async def own_inquiry(actor: Actor | None, inquiry_id: int) -> tuple[AdInquiry, int]:
    """An inquiry this caller sent and its answer time (a retried `adInquiryCreate` returns it
    again; the key of an anonymous caller is scoped by address, see `core.idempotency`)."""
    user_id = int(actor.user_id) if actor else None
    inquiry = await AdInquiry.get_or_none(id=inquiry_id, user_id=user_id)
    if inquiry is None:
        raise DomainError("NOT_FOUND", field="input.clientMutationId")
    return inquiry, rules.BUDGETS[inquiry.budget][1]
