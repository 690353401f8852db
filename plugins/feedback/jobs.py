"""The survey delivery job: invite the audience in-app (and by email when they chose email)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.context import Services
from core.notify import Message, queue_notification
from plugins.feedback.audience import members
from plugins.feedback.errors import NOTICES
from plugins.feedback.models import Survey, SurveyDelivery
from plugins.feedback.surveys import is_open


def _invite(user: Any, survey: Survey, channel: str) -> Message:
    text = NOTICES["SURVEY_INVITE"].get(user.language) or NOTICES["SURVEY_INVITE"]["en"]
    return Message(
        channel=channel,
        target=str(user.pk) if channel == "INAPP" else user.email,
        subject=survey.title,
        body=text.format(title=survey.title),
        kind="feedback.survey",
        user_id=str(user.pk),
        data={"survey_id": survey.pk},
    )


async def deliver_survey(services: Services, survey_id: int) -> int:
    """Invite every audience member not invited yet (safe to re-run); returns how many were invited."""
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None or not is_open(survey):
        return 0
    invited = 0
    async for batch in members(survey.audience):
        done = set(
            await SurveyDelivery.filter(survey_id=survey.pk, user_id__in=[u.pk for u in batch]).values_list(
                "user_id", flat=True
            )
        )
        fresh = [u for u in batch if u.pk not in done]
        if not fresh:
            continue
        await SurveyDelivery.bulk_create([SurveyDelivery(survey_id=survey.pk, user_id=u.pk) for u in fresh])
        for user in fresh:
            await queue_notification(services, _invite(user, survey, "INAPP"))
            if user.email and "EMAIL" in (user.notification_channels or []):
                await queue_notification(services, _invite(user, survey, "EMAIL"))
        invited += len(fresh)
    survey.delivered_at = datetime.now(UTC)
    await survey.save(update_fields=["delivered_at"])
    return invited
