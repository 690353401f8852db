"""GraphQL operations of the ads plugin: thin resolvers over `inquiries` and `applications`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from core.errors import NotFound
from core.idempotency import create_once
from core.pagination import page_by_key
from core.roles import Role
from plugins.ads import applications, inquiries
from plugins.ads.models import AdApplication as ApplicationModel
from plugins.ads.models import AdInquiry
from plugins.ads.types import (
    AdApplication,
    AdApplicationConnection,
    AdApplicationStatus,
    AdBudgetRange,
    AdIndustry,
    AdInquiryConnection,
    AdInquiryNode,
    AdInquiryReceipt,
    AdReviewAction,
    AdsError,
)
from schema.idempotency import client_mutation_id, input_payload
from schema.info import Info
from schema.permissions import requires
from schema.relay import connection, int_pk, to_global_id

AdInquiryCreateResult = Annotated[AdInquiryReceipt | AdsError, strawberry.union("AdInquiryCreateResult")]
AdApplicationCreateResult = Annotated[AdApplication | AdsError, strawberry.union("AdApplicationCreateResult")]
AdApplicationReviewResult = Annotated[AdApplication | AdsError, strawberry.union("AdApplicationReviewResult")]
AdApplicationDocumentsAddResult = Annotated[
    AdApplication | AdsError, strawberry.union("AdApplicationDocumentsAddResult")
]


@strawberry.input(description="A request to talk to sales about advertising.")
class AdInquiryCreateInput:
    company: str = strawberry.field(description="Company name, at most 100 characters.")
    contact_name: str = strawberry.field(description="Who to talk to, at most 50 characters.")
    contact: str = strawberry.field(description="Mainland mobile number or email address.")
    budget: AdBudgetRange = strawberry.field(description="Monthly budget range.")
    goals: str = strawberry.field(description="What you want to achieve, at most 2,000 characters.")
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="An application to advertise: business licence, industry and qualifications.")
class AdApplicationCreateInput:
    company_name: str = strawberry.field(description="Company name as on the licence.")
    credit_code: str = strawberry.field(description="18-character unified social credit code.")
    industry: AdIndustry = strawberry.field(description="Industry.")
    licence: Upload = strawberry.field(description="Business licence: image or PDF, at most 10 MB.")
    qualifications: list[Upload] | None = strawberry.field(
        default=None, description="Industry qualification documents (images or PDF, at most 5)."
    )
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="A reviewer's step on an application.")
class AdApplicationReviewInput:
    application_id: strawberry.ID = strawberry.field(description="The application.")
    action: AdReviewAction = strawberry.field(description="What to do.")
    reason: str | None = strawberry.field(
        default=None, description="Required for REQUEST_DOCUMENTS and REJECT; shown to the applicant."
    )


@strawberry.input(description="Documents the reviewer asked for.")
class AdApplicationDocumentsAddInput:
    application_id: strawberry.ID = strawberry.field(description="The application (NEEDS_DOCUMENTS).")
    documents: list[Upload] = strawberry.field(description="Images or PDF, at most 10 MB each.")
    note: str | None = strawberry.field(default=None, description="A note for the reviewer.")


@strawberry.type
class AdsQuery:
    @strawberry.field(description="Your advertiser applications, newest first, with their progress.")
    async def my_ad_applications(self, info: Info) -> list[AdApplication]:
        actor = info.context.require_user()
        rows = await ApplicationModel.filter(applicant_id=int(actor.user_id)).order_by("-id").limit(50)
        return [AdApplication.from_model(a) for a in rows]

    @strawberry.field(
        description="One application (its applicant, reviewers and sales); null otherwise.",
        extensions=requires(user=True, permission="ads:read"),
    )
    async def ad_application(self, info: Info, id: strawberry.ID) -> AdApplication | None:
        actor = info.context.require_caller()
        pk = int_pk(id, "AdApplication")
        try:
            return AdApplication.from_model(await applications.get_for(actor, pk))
        except NotFound:
            return None

    @strawberry.field(
        description="The review queue, oldest first (REVIEWER or SALES).",
        extensions=requires(Role.REVIEWER, Role.SALES, permission="ads:read"),
    )
    async def ad_applications(
        self, info: Info, status: AdApplicationStatus | None = None, first: int | None = None,
        after: str | None = None,
    ) -> AdApplicationConnection:  # fmt: skip
        query = ApplicationModel.all()
        if status is not None:
            query = query.filter(status=status.value)
        page = await page_by_key(query, first, after, descending=False)
        return connection(page, AdApplication.from_model)

    @strawberry.field(
        description="Advertising inquiries of a sales queue, newest first (SALES).",
        extensions=requires(Role.SALES, permission="ads:read"),
    )
    async def ad_inquiries(
        self,
        info: Info,
        queue: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AdInquiryConnection:
        query = AdInquiry.all() if not queue else AdInquiry.filter(queue=queue)
        page = await page_by_key(query, first, after)
        services = info.context.services
        return connection(page, lambda i: AdInquiryNode.from_model(i, inquiries.reveal_contact(services, i)))


@strawberry.type
class AdsMutation:
    @strawberry.mutation(
        description="Ask about advertising: routed to a sales queue, answered with next steps."
    )
    async def ad_inquiry_create(self, info: Info, input: AdInquiryCreateInput) -> AdInquiryCreateResult:
        context = info.context
        inquiry, hours = await create_once(
            context, "adInquiryCreate", input.client_mutation_id, input_payload(input),
            lambda: inquiries.create_inquiry(
                context.services, context.actor, ip=context.ip, language=context.language,
                company=input.company, contact_name=input.contact_name, contact=input.contact,
                budget=input.budget.value, goals=input.goals,
            ),
            lambda pk: inquiries.own_inquiry(context.actor, int(pk)),
            identify=lambda created: created[0].pk,
        )  # fmt: skip
        return AdInquiryReceipt(
            id=to_global_id("AdInquiry", inquiry.pk),
            queue=inquiry.queue,
            respond_within_hours=hours,
            next_steps=inquiries.next_steps(inquiry.queue, hours, context.language),
        )

    @strawberry.mutation(description="Apply as an advertiser with the business licence and qualifications.")
    async def ad_application_create(
        self, info: Info, input: AdApplicationCreateInput
    ) -> AdApplicationCreateResult:
        actor = info.context.require_user()
        application = await create_once(
            info.context, "adApplicationCreate", input.client_mutation_id, input_payload(input),
            lambda: applications.create_application(
                info.context.services, actor, company_name=input.company_name, credit=input.credit_code,
                industry=input.industry.value, licence=input.licence, qualifications=input.qualifications,
            ),
            lambda pk: applications.own_application(actor, int(pk)),
        )  # fmt: skip
        return AdApplication.from_model(application)

    @strawberry.mutation(
        description="Review step: start, request documents, approve or reject (REVIEWER or SALES).",
        extensions=requires(Role.REVIEWER, Role.SALES, permission="ads:write"),
    )
    async def ad_application_review(
        self, info: Info, input: AdApplicationReviewInput
    ) -> AdApplicationReviewResult:
        actor = info.context.require_caller()
        pk = int_pk(input.application_id, "AdApplication", field="input.applicationId")
        application = await applications.review(
            info.context.services, actor, application_pk=pk, action=input.action.value, reason=input.reason
        )
        return AdApplication.from_model(application)

    @strawberry.mutation(
        description="Upload the documents a reviewer asked for; the application returns to review."
    )
    async def ad_application_documents_add(
        self, info: Info, input: AdApplicationDocumentsAddInput
    ) -> AdApplicationDocumentsAddResult:
        actor = info.context.require_user()
        pk = int_pk(input.application_id, "AdApplication", field="input.applicationId")
        application = await applications.add_documents(
            info.context.services, actor, application_pk=pk, uploads=input.documents, note=input.note
        )
        return AdApplication.from_model(application)
