"""Surveys: admins define and open or close them, users see theirs and answer once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Actor, Services
from core.errors import DomainError, NotFound
from plugins.feedback.audience import matches
from plugins.feedback.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

QUESTION_KINDS = ("CSAT", "NPS", "SINGLE_CHOICE", "MULTIPLE_CHOICE", "TEXT")
SCORE_RANGES = {"CSAT": (1, 5), "NPS": (0, 10)}
AREAS = ("ACCOUNT", "CONTENT", "APPEALS", "FEATURES", "PAYMENTS", "ADS", "SUPPORT", "HELP_CENTER", "OTHER")
TEXT_ANSWER_MAX = 2000
DELIVER_JOB = "feedback.survey_deliver"


@dataclass(frozen=True)
class QuestionSpec:
    """A question as an admin defines it."""

    kind: str
    prompt: str
    options: list[str]
    required: bool = True


@dataclass(frozen=True)
class AnswerSpec:
    """One answer as a user sends it."""

    question_id: int
    score: int | None = None
    choices: list[str] | None = None
    text: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _invalid(detail: str, field: str) -> DomainError:
    return DomainError("INVALID_SURVEY", field=field, detail=detail)


async def create_survey(
    actor: Actor, *, title: str, description: str | None, area: str | None, questions: list[QuestionSpec],
    roles: list[str] | None, registered_before: date | None, registered_after: date | None,
    closes_at: datetime | None,
) -> Survey:  # fmt: skip
    """A DRAFT survey with its questions (admins)."""
    title = " ".join((title or "").split())
    if not 1 <= len(title) <= 120:
        raise _invalid("title must be 1-120 characters", "input.title")
    if area is not None and area not in AREAS:
        raise _invalid("unknown area", "input.area")
    if not 1 <= len(questions) <= 30:
        raise _invalid("1 to 30 questions", "input.questions")
    for i, q in enumerate(questions):
        field = f"input.questions.{i}"
        if q.kind not in QUESTION_KINDS:
            raise _invalid("unknown question kind", field)
        if not 1 <= len(q.prompt.strip()) <= 300:
            raise _invalid("prompt must be 1-300 characters", field)
        choice = q.kind.endswith("CHOICE")
        options = [o.strip() for o in q.options]
        if choice and (not 2 <= len(options) <= 20 or len(set(options)) != len(options) or "" in options):
            raise _invalid("choice questions need 2-20 distinct options", field)
        if not choice and options:
            raise _invalid("only choice questions have options", field)
    if closes_at is not None and closes_at <= _now():
        raise _invalid("closesAt must be in the future", "input.closesAt")
    audience = {
        "roles": sorted(set(roles or [])),
        "registered_before": registered_before.isoformat() if registered_before else None,
        "registered_after": registered_after.isoformat() if registered_after else None,
    }
    async with in_transaction():
        survey = await Survey.create(
            title=title, description=(description or "").strip()[:2000], area=area, audience=audience,
            created_by_id=int(actor.user_id), closes_at=closes_at,
        )  # fmt: skip
        await SurveyQuestion.bulk_create(
            [
                SurveyQuestion(
                    survey=survey,
                    position=i,
                    kind=q.kind,
                    prompt=q.prompt.strip(),
                    options=[o.strip() for o in q.options],
                    required=q.required,
                )  # fmt: skip
                for i, q in enumerate(questions)
            ]
        )
    return survey


async def set_status(services: Services, survey_pk: int, status: str) -> Survey:
    """Open a draft (and deliver invitations by a job) or close an open survey."""
    survey = await Survey.get_or_none(id=survey_pk)
    if survey is None:
        raise NotFound(field="input.surveyId")
    if status == "OPEN" and survey.status == "DRAFT":
        survey.status, survey.opened_at = "OPEN", _now()
        await survey.save(update_fields=["status", "opened_at"])
        await services.jobs.enqueue(DELIVER_JOB, survey_id=survey.pk)
    elif status == "CLOSED" and survey.status != "CLOSED":
        survey.status, survey.closed_at = "CLOSED", _now()
        await survey.save(update_fields=["status", "closed_at"])
    elif status != survey.status:
        raise _invalid(f"a {survey.status} survey cannot become {status}", "input.status")
    return survey


def is_open(survey: Survey) -> bool:
    """Open and not past its closing time."""
    return survey.status == "OPEN" and (survey.closes_at is None or survey.closes_at > _now())


async def surveys_for(user: Any) -> list[Survey]:
    """Open surveys targeted at `user` that they have not answered yet."""
    answered = SurveyResponse.filter(user_id=user.pk).values_list("survey_id", flat=True)
    candidates = (
        await Survey.filter(status="OPEN").exclude(id__in=list(await answered)).order_by("-id").limit(50)
    )
    return [s for s in candidates if is_open(s) and matches(s.audience, user)]


def _check_answer(question: SurveyQuestion, answer: AnswerSpec, field: str) -> dict[str, Any]:
    if question.kind in SCORE_RANGES:
        low, high = SCORE_RANGES[question.kind]
        if answer.score is None:
            raise DomainError("ANSWER_REQUIRED", field=field)
        if not low <= answer.score <= high:
            raise DomainError("SCORE_OUT_OF_RANGE", field=field, low=low, high=high)
        return {"score": answer.score}
    if question.kind.endswith("CHOICE"):
        choices = list(dict.fromkeys(answer.choices or []))
        if not choices:
            raise DomainError("ANSWER_REQUIRED", field=field)
        if any(c not in question.options for c in choices) or (
            question.kind == "SINGLE_CHOICE" and len(choices) > 1
        ):
            raise DomainError("INVALID_CHOICE", field=field)
        return {"choices": choices}
    text = (answer.text or "").strip()
    if not text:
        raise DomainError("ANSWER_REQUIRED", field=field)
    if len(text) > TEXT_ANSWER_MAX:
        raise DomainError("FEEDBACK_TOO_LONG", field=field, limit=TEXT_ANSWER_MAX)
    return {"text": text}


async def answer(user: Any, survey_pk: int, answers: list[AnswerSpec]) -> SurveyResponse:
    """Answer a survey once: all required questions, scores in range, choices from the options."""
    survey = await Survey.get_or_none(id=survey_pk)
    if survey is None or survey.status == "DRAFT" or not matches(survey.audience, user):
        raise NotFound(field="input.surveyId")
    if not is_open(survey):
        raise DomainError("SURVEY_CLOSED", field="input.surveyId")
    questions = {q.pk: q for q in await SurveyQuestion.filter(survey_id=survey.pk)}
    given: dict[int, dict[str, Any]] = {}
    for i, item in enumerate(answers):
        field = f"input.answers.{i}"
        question = questions.get(item.question_id)
        if question is None or item.question_id in given:
            raise DomainError("INVALID_INPUT", field=field, detail="unknown or repeated question")
        empty = item.score is None and not item.choices and not (item.text or "").strip()
        if empty and not question.required:
            continue
        given[item.question_id] = _check_answer(question, item, field)
    for question in sorted(questions.values(), key=lambda q: q.position):
        if question.required and question.pk not in given:
            raise DomainError("ANSWER_REQUIRED", field=f"input.answers.question{question.position}")
    if await SurveyResponse.exists(survey_id=survey.pk, user_id=user.pk):
        raise DomainError("ALREADY_ANSWERED", field="input.surveyId")
    try:
        async with in_transaction():
            response = await SurveyResponse.create(survey_id=survey.pk, user_id=user.pk)
            await SurveyAnswer.bulk_create(
                [SurveyAnswer(response=response, question_id=qid, **values) for qid, values in given.items()]
            )
    except IntegrityError:  # a concurrent second answer by the same user
        raise DomainError("ALREADY_ANSWERED", field="input.surveyId") from None
    return response
