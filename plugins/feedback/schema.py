"""GraphQL operations of the feedback plugin: thin resolvers over the services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from core.errors import DomainError
from core.idempotency import create_once
from core.pagination import page_by_key
from core.roles import Role
from plugins.account.api import AccountSummary, account_of_actor
from plugins.feedback import insights, results, submissions, surveys
from plugins.feedback.models import Feedback
from plugins.feedback.models import Survey as SurveyModel
from plugins.feedback.types import (
    FeedbackCategory,
    FeedbackEntry,
    FeedbackEntryConnection,
    FeedbackError,
    FeedbackInsights,
    FeedbackReceipt,
    InsightEvidence,
    InsightSource,
    NpsWeek,
    Survey,
    SurveyConnection,
    SurveyQuestionKind,
    SurveyQuestionResult,
    SurveyResponseReceipt,
    SurveyResults,
    SurveyStatus,
    WeakSpot,
)
from schema.idempotency import client_mutation_id, input_payload
from schema.info import Info
from schema.permissions import requires
from schema.relay import connection, int_pk

FeedbackSubmitResult = Annotated[FeedbackReceipt | FeedbackError, strawberry.union("FeedbackSubmitResult")]
SurveyCreateResult = Annotated[Survey | FeedbackError, strawberry.union("SurveyCreateResult")]
SurveySetStatusResult = Annotated[Survey | FeedbackError, strawberry.union("SurveySetStatusResult")]
SurveyAnswerResult = Annotated[SurveyResponseReceipt | FeedbackError, strawberry.union("SurveyAnswerResult")]


@strawberry.input(description="Feedback about an area of the service.")
class FeedbackSubmitInput:
    category: FeedbackCategory = strawberry.field(description="What it is about.")
    text: str = strawberry.field(description="1 to 2,000 characters.")
    rating: int | None = strawberry.field(default=None, description="1 (bad) to 5 (great).")
    screenshot: Upload | None = strawberry.field(default=None, description="An image, at most 5 MB.")
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="A survey question.")
class SurveyQuestionInput:
    kind: SurveyQuestionKind = strawberry.field(description="Kind.")
    prompt: str = strawberry.field(description="1 to 300 characters.")
    options: list[str] | None = strawberry.field(
        default=None, description="2 to 20 options (choice questions)."
    )
    required: bool = strawberry.field(default=True, description="Must be answered.")


@strawberry.input(description="Who a survey is for; leave empty for everyone.")
class SurveyAudienceInput:
    roles: list[str] | None = strawberry.field(default=None, description="Any of these roles.")
    registered_before: date | None = strawberry.field(
        default=None, description="Accounts created before this day."
    )
    registered_after: date | None = strawberry.field(
        default=None, description="Accounts created on or after this day."
    )


@strawberry.input(description="A new survey (created as DRAFT).")
class SurveyCreateInput:
    title: str = strawberry.field(description="1 to 120 characters.")
    description: str | None = strawberry.field(default=None, description="Introduction.")
    area: FeedbackCategory | None = strawberry.field(default=None, description="Service area it is about.")
    questions: list[SurveyQuestionInput] = strawberry.field(description="1 to 30 questions.")
    audience: SurveyAudienceInput | None = strawberry.field(
        default=None, description="Target; default everyone."
    )
    closes_at: datetime | None = strawberry.field(default=None, description="Stop taking answers at.")


@strawberry.input(description="Open a draft (invitations go out) or close a survey.")
class SurveySetStatusInput:
    survey_id: strawberry.ID = strawberry.field(description="The survey.")
    status: SurveyStatus = strawberry.field(description="OPEN or CLOSED.")


@strawberry.input(description="An answer to one question.")
class SurveyAnswerItemInput:
    question_id: strawberry.ID = strawberry.field(description="The question.")
    score: int | None = strawberry.field(default=None, description="CSAT 1-5 or NPS 0-10.")
    choices: list[str] | None = strawberry.field(default=None, description="Chosen options.")
    text: str | None = strawberry.field(default=None, description="Free text, at most 2,000 characters.")


@strawberry.input(description="Answers to a survey (once per user).")
class SurveyAnswerInput:
    survey_id: strawberry.ID = strawberry.field(description="The survey.")
    answers: list[SurveyAnswerItemInput] = strawberry.field(description="One per question.")


async def _user(info: Info) -> AccountSummary:
    return await account_of_actor(info.context.require_user())


@strawberry.type
class FeedbackQuery:
    @strawberry.field(description="Open surveys for you that you have not answered (in-app delivery).")
    async def my_surveys(self, info: Info) -> list[Survey]:
        return [Survey.from_model(s) for s in await surveys.surveys_for(await _user(info))]

    @strawberry.field(description="All surveys, newest first (ADMIN).", extensions=requires(Role.ADMIN))
    async def surveys(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> SurveyConnection:
        return connection(await page_by_key(SurveyModel.all(), first, after), Survey.from_model)

    @strawberry.field(
        description="A survey's results: NPS, distributions, free-text answers (ADMIN).",
        extensions=requires(Role.ADMIN),
    )
    async def survey_results(self, info: Info, survey_id: strawberry.ID) -> SurveyResults | None:
        survey = await SurveyModel.get_or_none(id=int_pk(survey_id, "Survey", field="surveyId"))
        if survey is None:
            return None
        responses, per_question = await results.survey_results(survey)
        return SurveyResults(
            survey=Survey.from_model(survey),
            responses=responses,
            questions=[SurveyQuestionResult.from_result(r) for r in per_question],
        )

    @strawberry.field(
        description="NPS week by week, oldest first, over every NPS survey question (ADMIN). `weeks` is "
        "clamped to 1..52; the last week ends now.",
        extensions=requires(Role.ADMIN),
    )
    async def nps_trend(self, info: Info, weeks: int = 8) -> list[NpsWeek]:
        found = await results.nps_trend(datetime.now(UTC), max(1, min(weeks, 52)))
        return [NpsWeek(since=w.since, until=w.until, responses=w.responses, nps=w.nps) for w in found]

    @strawberry.field(
        description="Feedback submissions, newest first (staff).",
        extensions=requires(Role.AGENT, Role.REVIEWER),
    )
    async def feedback_entries(
        self, info: Info, category: FeedbackCategory | None = None, first: int | None = None,
        after: str | None = None,
    ) -> FeedbackEntryConnection:  # fmt: skip
        query = Feedback.all() if category is None else Feedback.filter(category=category.value)
        return connection(await page_by_key(query, first, after), FeedbackEntry.from_model)

    @strawberry.field(
        description="Weak spots ranked from every available signal, with evidence (ADMIN). Default: last 30 days.",
        extensions=requires(Role.ADMIN),
    )
    async def feedback_insights(
        self,
        info: Info,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 20,
    ) -> FeedbackInsights:
        until = until or datetime.now(UTC)
        since = since or until - timedelta(days=30)
        if since >= until:
            raise DomainError("INVALID_INPUT", field="since", detail="since must be before until")
        found = await insights.insights(info.context.services, since, until, max(1, min(limit, 100)))
        return FeedbackInsights(
            since=since,
            until=until,
            weak_spots=[
                WeakSpot(
                    key=s.key,
                    area=s.area,
                    title=s.title,
                    score=s.score,
                    evidence=[
                        InsightEvidence(source=e.source, summary=e.summary, value=e.value) for e in s.evidence
                    ],
                )  # fmt: skip
                for s in found.spots
            ],
            sources=[InsightSource(name=n, available=a) for n, a in found.sources.items()],
        )


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="Send feedback: category, text, optional 1-5 rating and screenshot.")
    async def feedback_submit(self, info: Info, input: FeedbackSubmitInput) -> FeedbackSubmitResult:
        actor = info.context.require_user()
        entry = await create_once(
            info.context, "feedbackSubmit", input.client_mutation_id, input_payload(input),
            lambda: submissions.submit(
                info.context.services, actor, category=input.category.value, text=input.text,
                rating=input.rating, screenshot=input.screenshot, language=info.context.language,
            ),
            lambda pk: submissions.own_feedback(actor, int(pk)),
        )  # fmt: skip
        return FeedbackReceipt(
            id=FeedbackEntry.from_model(entry).id, message=info.context.message("FEEDBACK_THANKS")
        )

    @strawberry.mutation(
        description="Define a survey (ADMIN); it starts as DRAFT.", extensions=requires(Role.ADMIN)
    )
    async def survey_create(self, info: Info, input: SurveyCreateInput) -> SurveyCreateResult:
        actor = info.context.require_user()
        audience = input.audience or SurveyAudienceInput()
        survey = await surveys.create_survey(
            actor, title=input.title, description=input.description,
            area=input.area.value if input.area else None,
            questions=[surveys.QuestionSpec(q.kind.value, q.prompt, list(q.options or []), q.required) for q in input.questions],
            roles=audience.roles, registered_before=audience.registered_before,
            registered_after=audience.registered_after, closes_at=input.closes_at,
        )  # fmt: skip
        return Survey.from_model(survey)

    @strawberry.mutation(
        description="Open (and deliver) or close a survey (ADMIN).", extensions=requires(Role.ADMIN)
    )
    async def survey_set_status(self, info: Info, input: SurveySetStatusInput) -> SurveySetStatusResult:
        pk = int_pk(input.survey_id, "Survey", field="input.surveyId")
        return Survey.from_model(await surveys.set_status(info.context.services, pk, input.status.value))

    @strawberry.mutation(description="Answer a survey once, while it is open.")
    async def survey_answer(self, info: Info, input: SurveyAnswerInput) -> SurveyAnswerResult:
        user = await _user(info)
        pk = int_pk(input.survey_id, "Survey", field="input.surveyId")
        answers = [
            surveys.AnswerSpec(
                int_pk(a.question_id, "SurveyQuestion", field=f"input.answers.{i}.questionId"),
                a.score,
                a.choices,
                a.text,
            )
            for i, a in enumerate(input.answers)
        ]
        await surveys.answer(user, pk, answers)
        return SurveyResponseReceipt(survey_id=input.survey_id, message=info.context.message("SURVEY_THANKS"))
