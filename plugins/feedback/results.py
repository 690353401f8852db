"""Survey results: response count, per-question distributions, CSAT average, NPS, free-text answers;
the NPS trend week by week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from plugins.feedback.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

TEXT_ANSWERS_SHOWN = 100


@dataclass
class QuestionResult:
    """Aggregates of one question."""

    question: SurveyQuestion
    answers: int = 0
    average: float | None = None
    nps: float | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def nps_score(scores: list[int]) -> float | None:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100..100."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)


def summarize(question: SurveyQuestion, answers: list[SurveyAnswer]) -> QuestionResult:
    """The aggregates of one question's answers."""
    result = QuestionResult(question, answers=len(answers))
    if question.kind in ("CSAT", "NPS"):
        scores = [a.score for a in answers if a.score is not None]
        counts = Counter(scores)
        low, high = (1, 5) if question.kind == "CSAT" else (0, 10)
        result.distribution = [(str(v), counts.get(v, 0)) for v in range(low, high + 1)]
        result.average = round(sum(scores) / len(scores), 2) if scores else None
        if question.kind == "NPS":
            result.nps = nps_score(scores)
    elif question.kind.endswith("CHOICE"):
        counts = Counter(c for a in answers for c in a.choices)
        result.distribution = [(option, counts.get(option, 0)) for option in question.options]
    else:
        result.texts = [a.text for a in sorted(answers, key=lambda a: -a.pk)[:TEXT_ANSWERS_SHOWN]]
    return result


async def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """(responses, per-question results) of a survey: three queries however many answers."""
    responses = await SurveyResponse.filter(survey_id=survey.pk).count()
    questions = list(await SurveyQuestion.filter(survey_id=survey.pk).order_by("position"))
    grouped: dict[int, list[SurveyAnswer]] = {q.pk: [] for q in questions}
    for answer in await SurveyAnswer.filter(question_id__in=list(grouped)):
        grouped[answer.question_id].append(answer)
    return responses, [summarize(q, grouped[q.pk]) for q in questions]


@dataclass
class NpsWeek:
    """The NPS of the answers given in one week."""

    since: datetime
    until: datetime
    responses: int
    nps: float | None


async def nps_trend(until: datetime, weeks: int) -> list[NpsWeek]:
    """NPS week by week (oldest first) over every NPS question answered in the `weeks` weeks
    before `until`: one query, bucketed here."""
    since = until - timedelta(weeks=weeks)
    rows = await SurveyAnswer.filter(
        question__kind="NPS", score__not_isnull=True, response__created_at__gte=since,
        response__created_at__lt=until,
    ).values("score", at="response__created_at")  # fmt: skip
    scores: list[list[int]] = [[] for _ in range(weeks)]
    for row in rows:
        index = int((row["at"] - since) / timedelta(weeks=1))
        scores[min(max(index, 0), weeks - 1)].append(row["score"])
    return [
        NpsWeek(since + timedelta(weeks=i), since + timedelta(weeks=i + 1), len(week), nps_score(week))
        for i, week in enumerate(scores)
    ]
