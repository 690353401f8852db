"""GraphQL types of the feedback plugin."""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry

from plugins.feedback.errors import CODES
from plugins.feedback.models import Feedback
from plugins.feedback.models import Survey as SurveyModel
from plugins.feedback.models import SurveyQuestion as QuestionModel
from plugins.feedback.results import QuestionResult
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, to_global_id


@strawberry.type(description="Why a feedback or survey operation failed.")
class FeedbackError(PluginError, codes=CODES, plugin="feedback"):
    pass


feedback_error_handler = FeedbackError.handler


@strawberry.enum(description="What the feedback is about (the service areas).")
class FeedbackCategory(enum.Enum):
    ACCOUNT = "ACCOUNT"
    CONTENT = "CONTENT"
    APPEALS = "APPEALS"
    FEATURES = "FEATURES"
    PAYMENTS = "PAYMENTS"
    ADS = "ADS"
    SUPPORT = "SUPPORT"
    HELP_CENTER = "HELP_CENTER"
    OTHER = "OTHER"


@strawberry.enum(description="Question kinds: CSAT 1-5, NPS 0-10, single or multiple choice, free text.")
class SurveyQuestionKind(enum.Enum):
    CSAT = "CSAT"
    NPS = "NPS"
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
    TEXT = "TEXT"


@strawberry.enum(description="A survey's state: only OPEN surveys take answers.")
class SurveyStatus(enum.Enum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@strawberry.type(description="Feedback was received.")
class FeedbackReceipt:
    id: strawberry.ID = strawberry.field(description="The feedback.")
    message: str = strawberry.field(description="Thanks, in the request's language.")


@strawberry.type(description="A feedback submission (staff view).")
class FeedbackEntry(Node):
    category: FeedbackCategory = strawberry.field(description="Area.")
    text: str = strawberry.field(description="What the user wrote.")
    rating: int | None = strawberry.field(description="1-5, if given.")
    has_screenshot: bool = strawberry.field(description="A screenshot was attached.")
    created_at: datetime = strawberry.field(description="When it was sent.")

    @classmethod
    def from_model(cls, entry: Feedback) -> FeedbackEntry:
        return cls(
            id=to_global_id("FeedbackEntry", entry.pk),
            category=FeedbackCategory(entry.category),
            text=entry.text,
            rating=entry.rating,
            has_screenshot=entry.screenshot is not None,
            created_at=entry.created_at,
        )


@strawberry.type(description="A survey question.")
class SurveyQuestion:
    id: strawberry.ID = strawberry.field(description="Pass as `questionId` when answering.")
    kind: SurveyQuestionKind = strawberry.field(description="Kind.")
    prompt: str = strawberry.field(description="The question.")
    options: list[str] = strawberry.field(description="Options of choice questions.")
    required: bool = strawberry.field(description="Must be answered.")

    @classmethod
    def from_model(cls, q: QuestionModel) -> SurveyQuestion:
        return cls(
            id=to_global_id("SurveyQuestion", q.pk),
            kind=SurveyQuestionKind(q.kind),
            prompt=q.prompt,
            options=list(q.options),
            required=q.required,
        )


@strawberry.type(description="Who a survey is for; empty means everyone.")
class SurveyAudience:
    roles: list[str] = strawberry.field(description="Any of these roles (USER is everyone).")
    registered_before: date | None = strawberry.field(description="Accounts created before this day.")
    registered_after: date | None = strawberry.field(description="Accounts created on or after this day.")


async def _questions(ids: list[int]) -> list[list[QuestionModel]]:
    grouped: dict[int, list[QuestionModel]] = {i: [] for i in ids}
    for q in await QuestionModel.filter(survey_id__in=list(set(ids))).order_by("position"):
        grouped[q.survey_id].append(q)
    return [grouped[i] for i in ids]


@strawberry.type(description="A survey defined by an admin.")
class Survey(Node):
    model: strawberry.Private[SurveyModel]
    title: str = strawberry.field(description="Title.")
    description: str = strawberry.field(description="Introduction.")
    area: FeedbackCategory | None = strawberry.field(description="Service area it is about, if one.")
    status: SurveyStatus = strawberry.field(description="DRAFT, OPEN or CLOSED.")
    closes_at: datetime | None = strawberry.field(description="When it stops taking answers.")
    audience: SurveyAudience = strawberry.field(description="Who it is for.")

    @strawberry.field(description="Its questions in order.")
    async def questions(self, info: Info) -> list[SurveyQuestion]:
        rows = await info.context.loader("feedback.questions", _questions).load(self.model.pk)
        return [SurveyQuestion.from_model(q) for q in rows]

    @classmethod
    def from_model(cls, survey: SurveyModel) -> Survey:
        audience = survey.audience or {}
        return cls(
            id=to_global_id("Survey", survey.pk),
            model=survey,
            title=survey.title,
            description=survey.description,
            area=FeedbackCategory(survey.area) if survey.area else None,
            status=SurveyStatus(survey.status),
            closes_at=survey.closes_at,
            audience=SurveyAudience(
                roles=list(audience.get("roles") or []),
                registered_before=date.fromisoformat(audience["registered_before"])
                if audience.get("registered_before")
                else None,
                registered_after=date.fromisoformat(audience["registered_after"])
                if audience.get("registered_after")
                else None,
            ),
        )


SurveyConnection = Connection[Survey]
FeedbackEntryConnection = Connection[FeedbackEntry]


@strawberry.type(description="An answer was recorded.")
class SurveyResponseReceipt:
    survey_id: strawberry.ID = strawberry.field(description="The survey.")
    message: str = strawberry.field(description="Thanks, in the request's language.")


@strawberry.type(description="How many answers had one value or option.")
class SurveyBucket:
    value: str = strawberry.field(description="Score (as text) or option.")
    count: int = strawberry.field(description="Answers.")


@strawberry.type(description="Aggregates of one question.")
class SurveyQuestionResult:
    question: SurveyQuestion = strawberry.field(description="The question.")
    answers: int = strawberry.field(description="How many answered it.")
    average: float | None = strawberry.field(description="Mean score (CSAT, NPS).")
    nps: float | None = strawberry.field(description="Net Promoter Score -100..100 (NPS questions).")
    distribution: list[SurveyBucket] = strawberry.field(description="Answers per score or option.")
    text_answers: list[str] = strawberry.field(description="Free-text answers, newest first (at most 100).")

    @classmethod
    def from_result(cls, result: QuestionResult) -> SurveyQuestionResult:
        return cls(
            question=SurveyQuestion.from_model(result.question),
            answers=result.answers,
            average=result.average,
            nps=result.nps,
            distribution=[SurveyBucket(value=v, count=c) for v, c in result.distribution],
            text_answers=result.texts,
        )


@strawberry.type(description="A survey's results.")
class SurveyResults:
    survey: Survey = strawberry.field(description="The survey.")
    responses: int = strawberry.field(description="Users who answered.")
    questions: list[SurveyQuestionResult] = strawberry.field(description="Per question.")


@strawberry.type(description="The NPS of one week's answers to every NPS question.")
class NpsWeek:
    since: datetime = strawberry.field(description="Week start (inclusive).")
    until: datetime = strawberry.field(description="Week end (exclusive).")
    responses: int = strawberry.field(description="NPS answers given in the week.")
    nps: float | None = strawberry.field(description="Net Promoter Score -100..100 (null: no answers).")


@strawberry.type(description="One fact behind a weak spot.")
class InsightEvidence:
    source: str = strawberry.field(description="feedback, survey, forum, tickets, search or articles.")
    summary: str = strawberry.field(description="What it says.")
    value: float = strawberry.field(description="Its main number.")


@strawberry.type(description="Something users struggle with, and why we think so.")
class WeakSpot:
    key: str = strawberry.field(
        description="topic:<topic>, area:<AREA>, search:<lang>:<query>, forum:<id> or survey:<id>."
    )
    area: str = strawberry.field(description="Service area (ACCOUNT, PAYMENTS, HELP_CENTER, FEEDBACK, ...).")
    title: str = strawberry.field(description="Topic, query, thread title or area.")
    score: float = strawberry.field(description="Weight of the evidence (higher is worse).")
    evidence: list[InsightEvidence] = strawberry.field(description="The signals behind it.")


@strawberry.type(description="Whether a signal source answered.")
class InsightSource:
    name: str = strawberry.field(description="feedback, survey, forum, tickets or helpcenter.")
    available: bool = strawberry.field(description="False when its plugin is disabled or failed.")


@strawberry.type(description="Weak spots of a period, ranked, with the evidence for each.")
class FeedbackInsights:
    since: datetime = strawberry.field(description="Start of the period.")
    until: datetime = strawberry.field(description="End of the period.")
    weak_spots: list[WeakSpot] = strawberry.field(description="Highest score first.")
    sources: list[InsightSource] = strawberry.field(description="Which signals were used.")
