"""GraphQL types of the ads plugin."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from plugins.ads.errors import CODES, STATUS_TEXT
from plugins.ads.models import AdApplication as ApplicationModel
from plugins.ads.models import AdApplicationEvent, AdInquiry
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, to_global_id


@strawberry.type(description="Why an advertising operation failed.")
class AdsError(PluginError, codes=CODES, plugin="ads"):
    pass


ads_error_handler = AdsError.handler


@strawberry.enum(description="Monthly advertising budget, in CNY.")
class AdBudgetRange(enum.Enum):
    UNDER_10K = "UNDER_10K"
    FROM_10K_TO_50K = "FROM_10K_TO_50K"
    FROM_50K_TO_200K = "FROM_50K_TO_200K"
    FROM_200K_TO_1M = "FROM_200K_TO_1M"
    OVER_1M = "OVER_1M"


@strawberry.enum(
    description="Advertiser industry. GAMES, EDUCATION, FINANCE and HEALTHCARE need qualifications."
)
class AdIndustry(enum.Enum):
    ECOMMERCE = "ECOMMERCE"
    GAMES = "GAMES"
    EDUCATION = "EDUCATION"
    FOOD_BEVERAGE = "FOOD_BEVERAGE"
    BEAUTY = "BEAUTY"
    AUTOMOTIVE = "AUTOMOTIVE"
    FINANCE = "FINANCE"
    HEALTHCARE = "HEALTHCARE"
    TRAVEL = "TRAVEL"
    TECHNOLOGY = "TECHNOLOGY"
    LOCAL_SERVICES = "LOCAL_SERVICES"
    OTHER = "OTHER"


@strawberry.enum(description="Where an advertiser application is.")
class AdApplicationStatus(enum.Enum):
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_DOCUMENTS = "NEEDS_DOCUMENTS"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


@strawberry.enum(description="A reviewer's step on an application.")
class AdReviewAction(enum.Enum):
    START_REVIEW = "START_REVIEW"
    REQUEST_DOCUMENTS = "REQUEST_DOCUMENTS"
    APPROVE = "APPROVE"
    REJECT = "REJECT"


@strawberry.type(description="An inquiry was received and routed to sales.")
class AdInquiryReceipt:
    id: strawberry.ID = strawberry.field(description="The inquiry.")
    queue: str = strawberry.field(description="The sales queue it went to.")
    respond_within_hours: int = strawberry.field(description="Working hours until sales answers.")
    next_steps: list[str] = strawberry.field(description="What happens next, in the request's language.")


@strawberry.type(description="An advertising inquiry as sales staff see it.")
class AdInquiryNode(Node):
    company: str = strawberry.field(description="Company name.")
    contact_name: str = strawberry.field(description="Who to talk to.")
    contact: str = strawberry.field(description="Phone or email, in full (sales staff only).")
    budget: AdBudgetRange = strawberry.field(description="Budget range.")
    goals: str = strawberry.field(description="What the company wants to achieve.")
    queue: str = strawberry.field(description="Sales queue.")
    language: str = strawberry.field(description="Language the inquiry was made in.")
    created_at: datetime = strawberry.field(description="When it came in.")

    @classmethod
    def from_model(cls, inquiry: AdInquiry, contact: str) -> AdInquiryNode:
        return cls(
            id=to_global_id("AdInquiry", inquiry.pk),
            company=inquiry.company,
            contact_name=inquiry.contact_name,
            contact=contact,
            budget=AdBudgetRange(inquiry.budget),
            goals=inquiry.goals,
            queue=inquiry.queue,
            language=inquiry.language,
            created_at=inquiry.created_at,
        )


@strawberry.type(description="An uploaded file (its type checked by content).")
class AdDocument:
    content_type: str = strawberry.field(
        description="image/jpeg, image/png, image/gif, image/webp or application/pdf."
    )
    size: int = strawberry.field(description="Bytes.")
    filename: str = strawberry.field(description="Name the client gave.")
    uploaded_at: datetime = strawberry.field(description="When it was uploaded.")
    application_pk: strawberry.Private[int] = 0
    index: strawberry.Private[int] = 0

    @strawberry.field(
        description="Signed download URL, valid 5 minutes and for the caller only (null for apps)."
    )
    def download_url(self, info: Info) -> str | None:
        from plugins.ads.files import document_url

        return document_url(info.context, self.application_pk, self.index)

    @classmethod
    def from_record(cls, record: dict[str, Any], application_pk: int = 0, index: int = 0) -> AdDocument:
        return cls(
            content_type=record["content_type"],
            size=record["size"],
            filename=record.get("filename", ""),
            uploaded_at=datetime.fromisoformat(record["uploaded_at"]),
            application_pk=application_pk,
            index=index,
        )


@strawberry.type(description="One step of an application's progress.")
class AdApplicationStep:
    kind: str = strawberry.field(
        description="SUBMITTED, START_REVIEW, REQUEST_DOCUMENTS, DOCUMENTS_ADDED, APPROVE or REJECT."
    )
    status: AdApplicationStatus = strawberry.field(description="Status after this step.")
    note: str = strawberry.field(description="Reviewer's reason or applicant's note.")
    created_at: datetime = strawberry.field(description="When it happened.")


async def _events_by_application(ids: Sequence[int]) -> list[list[AdApplicationEvent]]:
    grouped: dict[int, list[AdApplicationEvent]] = {i: [] for i in ids}
    for event in await AdApplicationEvent.filter(application_id__in=list(set(ids))).order_by("id"):
        grouped[event.application_id].append(event)
    return [grouped[i] for i in ids]


@strawberry.type(description="An advertiser application: licence, documents, review status and progress.")
class AdApplication(Node):
    model: strawberry.Private[ApplicationModel]
    company_name: str = strawberry.field(description="Company name as on the licence.")
    credit_code: str = strawberry.field(description="Unified social credit code (business licence number).")
    industry: AdIndustry = strawberry.field(description="Industry.")
    status: AdApplicationStatus = strawberry.field(description="Review status.")
    decision_reason: str = strawberry.field(
        description="The reviewer's reason for the last request or decision."
    )
    licence: AdDocument = strawberry.field(description="The business licence file.")
    documents: list[AdDocument] = strawberry.field(description="Qualification and added documents.")
    created_at: datetime = strawberry.field(description="Submitted at.")
    updated_at: datetime = strawberry.field(description="Last change.")

    @strawberry.field(description="Where the application is and what to do next, in the request's language.")
    def status_text(self, info: Info) -> str:
        texts = STATUS_TEXT[self.model.status]
        return texts.get(info.context.language) or texts["en"]

    @strawberry.field(description="Every step so far, oldest first.")
    async def progress(self, info: Info) -> list[AdApplicationStep]:
        events = await info.context.loader("ads.events", _events_by_application).load(self.model.pk)
        return [
            AdApplicationStep(
                kind=e.kind, status=AdApplicationStatus(e.status), note=e.note, created_at=e.created_at
            )
            for e in events
        ]

    @classmethod
    def from_model(cls, application: ApplicationModel) -> AdApplication:
        return cls(
            id=to_global_id("AdApplication", application.pk),
            model=application,
            company_name=application.company_name,
            credit_code=application.credit_code,
            industry=AdIndustry(application.industry),
            status=AdApplicationStatus(application.status),
            decision_reason=application.decision_reason,
            licence=AdDocument.from_record(application.licence, application.pk, 0),
            documents=[
                AdDocument.from_record(d, application.pk, i + 1) for i, d in enumerate(application.documents)
            ],
            created_at=application.created_at,
            updated_at=application.updated_at,
        )


AdApplicationConnection = Connection[AdApplication]
AdInquiryConnection = Connection[AdInquiryNode]
