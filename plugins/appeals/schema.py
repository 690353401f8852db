"""GraphQL operations of the appeals plugin: thin resolvers over `service`.

Filing, following and escalating appeals work in a restricted (banned) session: that is the way
out of a wrongful ban. Reviewing needs the REVIEWER role on a normal session."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from core import audit
from core.idempotency import create_once
from core.pagination import Page
from core.roles import Role
from plugins.appeals import models, service
from plugins.appeals.types import Appeal, AppealError, AppealOutcome, appeal_of, appeals_of
from schema.idempotency import client_mutation_id, input_payload
from schema.info import Info
from schema.permissions import requires
from schema.relay import Connection, connection, int_pk
from schema.selection import selected_names

AppealCreateResult = Annotated[Appeal | AppealError, strawberry.union("AppealCreateResult")]
AppealDecideResult = Annotated[Appeal | AppealError, strawberry.union("AppealDecideResult")]
AppealEscalateResult = Annotated[Appeal | AppealError, strawberry.union("AppealEscalateResult")]
AppealStartReviewResult = Annotated[Appeal | AppealError, strawberry.union("AppealStartReviewResult")]


@strawberry.input(description="An appeal against one of your decisions.")
class AppealCreateInput:
    decision_id: strawberry.ID = strawberry.field(
        description="The decision (yours, within its appeal window)."
    )
    reason: str = strawberry.field(description="Why it is wrong, 10 to 2,000 characters.")
    evidence: list[Upload] | None = strawberry.field(
        default=None, description="Up to 5 files: images, PDF or video, 20 MB each."
    )
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="Escalate an upheld appeal, optionally with what is new.")
class AppealEscalateInput:
    appeal_id: strawberry.ID = strawberry.field(description="The upheld appeal.")
    reason: str | None = strawberry.field(
        default=None, description="What the second reviewer should know (up to 2,000)."
    )
    evidence: list[Upload] | None = strawberry.field(default=None, description="Up to 5 more files.")


@strawberry.input(description="A reviewer's decision on an appeal.")
class AppealDecideInput:
    appeal_id: strawberry.ID = strawberry.field(description="The appeal.")
    outcome: AppealOutcome = strawberry.field(description="OVERTURN restores the subject automatically.")
    note: str = strawberry.field(description="Shown to the user, 1 to 2,000 characters.")


async def _page(info: Info, page: Page) -> Connection[Appeal]:
    appeals = await appeals_of(info.context, page.items, selected_names(info))
    return connection(Page(appeals, page.cursors, page.has_next))


async def _one(info: Info, appeal: models.Appeal) -> Appeal:
    return await appeal_of(info.context, appeal, selected_names(info))


@strawberry.type
class AppealsQuery:
    @strawberry.field(
        description="Your appeals with status and due time, newest first (also in restricted mode)."
    )
    async def appeals(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Appeal]:
        actor = info.context.require_user(allow_restricted=True)
        return await _page(info, await service.appeals_of(int(actor.user_id), first, after))

    @strawberry.field(
        description="Open appeals, the one due soonest first.",
        extensions=requires(Role.REVIEWER, permission="appeals:read"),
    )
    async def appeal_queue(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Appeal]:
        return await _page(info, await service.queue(first, after))


@strawberry.type
class AppealsMutation:
    @strawberry.mutation(description="Appeal one of your decisions (multipart when attaching evidence).")
    async def appeal_create(self, info: Info, input: AppealCreateInput) -> AppealCreateResult:
        actor = info.context.require_user(allow_restricted=True)
        decision_pk = int_pk(input.decision_id, "Decision", field="input.decisionId")
        appeal = await create_once(
            info.context, "appealCreate", input.client_mutation_id, input_payload(input),
            lambda: service.create_appeal(
                info.context.services, int(actor.user_id), decision_pk, input.reason, input.evidence
            ),
            lambda pk: service.own_appeal(int(actor.user_id), int(pk)),
        )  # fmt: skip
        return await _one(info, appeal)

    @strawberry.mutation(
        description="Take an appeal into review (assigned to you).", extensions=requires(Role.REVIEWER)
    )
    async def appeal_start_review(self, info: Info, id: strawberry.ID) -> AppealStartReviewResult:
        reviewer = info.context.require_user(allow_restricted=True)  # admitted by `requires`
        appeal = await service.start_review(
            int(reviewer.user_id), int_pk(id, "Appeal", field="input.appealId")
        )
        return await _one(info, appeal)

    @strawberry.mutation(
        description="Overturn (restores automatically) or uphold, with a note the user sees.",
        extensions=requires(Role.REVIEWER),
    )
    async def appeal_decide(self, info: Info, input: AppealDecideInput) -> AppealDecideResult:
        reviewer = info.context.require_user(allow_restricted=True)  # admitted by `requires`
        appeal = await service.decide(
            info.context.services,
            int(reviewer.user_id),
            int_pk(input.appeal_id, "Appeal", field="input.appealId"),
            input.outcome.value,
            input.note,
            reviewer_roles=reviewer.roles,
        )
        await audit.record(
            info.context.services,
            actor=reviewer,
            action="appeal.decided",
            target_type="Appeal",
            target_id=appeal.id,
            reason=input.note,
            ip=info.context.ip,
            data={"outcome": input.outcome.value},
        )
        return await _one(info, appeal)

    @strawberry.mutation(description="Ask a second, different reviewer to look at an upheld appeal (once).")
    async def appeal_escalate(self, info: Info, input: AppealEscalateInput) -> AppealEscalateResult:
        actor = info.context.require_user(allow_restricted=True)
        appeal = await service.escalate(
            info.context.services,
            int(actor.user_id),
            int_pk(input.appeal_id, "Appeal", field="input.appealId"),
            input.reason,
            input.evidence,
        )
        return await _one(info, appeal)
