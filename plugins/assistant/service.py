"""The assistant's conversations: understand a message, answer from the help content, persist both
sides, and hand the conversation to a human (support plugin) when asked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.errors import DomainError, NotFound
from core.settings import plugin_settings
from plugins.assistant import compose, handoff
from plugins.assistant.engine import get_engine
from plugins.assistant.models import Conversation, Message
from plugins.assistant.nlu.understand import understand
from plugins.assistant.settings import AssistantSettings
from plugins.assistant.text import clean_message
from plugins.helpcenter.search import detect_language, normalize


@dataclass(frozen=True)
class Reply:
    """What `assistantAsk` answers."""

    conversation_id: str
    answer: str
    topic: str | None
    confidence: float
    article_pks: list[int] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    handoff: bool = False


def settings_of(services: Any) -> AssistantSettings:
    """The assistant's settings, read once per process."""
    return plugin_settings(services, AssistantSettings)


async def _rate_limit(context: Any, settings: AssistantSettings) -> None:
    limiter = context.services.rate_limiter
    if context.actor is not None:
        key, limit = f"assistant:ask:user:{context.actor.user_id}", settings.rate_limit_user
    else:
        key, limit = f"assistant:ask:ip:{context.ip}", settings.rate_limit_ip
    await limiter.hit(key, limit, settings.rate_window_seconds)


def parse_conversation_id(value: str | None) -> uuid.UUID | None:
    """The UUID inside a conversation ID (global `AssistantConversation:<uuid>` or bare)."""
    if value is None:
        return None
    from schema.relay import from_global_id

    raw = value
    if not _is_uuid(value):
        raw = from_global_id(value, "AssistantConversation", field="conversationId")[1]
    if not _is_uuid(raw):
        raise DomainError("INVALID_INPUT", field="conversationId", detail="malformed ID")
    return uuid.UUID(raw)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True


async def load_conversation(
    context: Any, conversation_id: str | None, *, lock: bool = False
) -> Conversation | None:
    """The conversation if the actor may use it: a user's conversation is theirs alone; an
    anonymous one belongs to whoever holds its (unguessable) ID. Otherwise NOT_FOUND."""
    pk = parse_conversation_id(conversation_id)
    if pk is None:
        return None
    query = Conversation.filter(id=pk)
    conversation = await (query.select_for_update().first() if lock else query.first())
    owner = str(conversation.user_id) if conversation and conversation.user_id else None
    actor = context.actor.user_id if context.actor else None
    if conversation is None or (owner is not None and owner != actor):
        raise NotFound()
    return conversation


async def ask(context: Any, message: str, conversation_id: str | None) -> Reply:
    """Answer one message of a conversation (a new one when `conversation_id` is None)."""
    services = context.services
    settings = settings_of(services)
    await _rate_limit(context, settings)
    text = clean_message(message, settings.max_message_chars)
    conversation = await load_conversation(context, conversation_id)
    if conversation is not None and conversation.message_count >= settings.max_messages:
        raise DomainError("INVALID_INPUT", field="input.conversationId", detail="conversation is full")
    language = detect_language(text, context.language)
    if conversation is not None and conversation.handed_off_at is not None:
        return await _forward(context, conversation, text, language)

    from plugins.helpcenter.api import help_library

    engine = await get_engine(services)
    library = await help_library(services)
    normalized = normalize(text)
    last_topic = conversation.last_topic if conversation else None
    if not any(ch.isalnum() for ch in normalized):
        result_topic, confidence, handoff_flag, answer = None, 0.0, False, _unclear(text, context.language)
        article = None
    else:
        understood = understand(engine.model, library.topic_scores, normalized, language, last_topic)
        result_topic, confidence, handoff_flag = understood.topic, understood.confidence, understood.handoff
        article = library.article(result_topic, language) if result_topic else None
        if understood.reason == "human":
            answer = compose.text("human", language)
        elif article is not None:
            answer = compose.article_answer(article, language)
            if result_topic == "platform.human_agent":
                answer = compose.text("human", language)
        else:
            answer = compose.text("out_of_domain", language)
    article_pks = [article.pk] if article else []
    actions = engine.actions_for(result_topic, language, handoff_flag)
    conversation = await _record(
        context, conversation, text, language, answer, result_topic, confidence, article_pks
    )
    return Reply(str(conversation.pk), answer, result_topic, confidence, article_pks, actions, handoff_flag)


def _unclear(text: str, fallback: str) -> str:
    # Emoji or punctuation only: no language to detect, so say it in both.
    return compose.both("unclear") if fallback not in ("zh-CN", "en") else compose.text("unclear", fallback)


async def _record(
    context: Any,
    conversation: Conversation | None,
    text: str,
    language: str,
    answer: str,
    topic: str | None,
    confidence: float,
    article_pks: list[int],
) -> Conversation:
    actor_id = int(context.actor.user_id) if context.actor else None
    async with in_transaction():
        if conversation is None:
            conversation = await Conversation.create(
                id=uuid.uuid4(), user_id=actor_id, language=language, last_topic=topic, message_count=0
            )
        await Message.bulk_create(
            [
                Message(conversation_id=conversation.pk, role="user", body=text, language=language),
                Message(
                    conversation_id=conversation.pk,
                    role="assistant",
                    body=answer,
                    language=language,
                    topic=topic,
                    confidence=confidence,
                    articles=article_pks,
                ),
            ]
        )
        updates: dict[str, Any] = {
            "message_count": F("message_count") + 2,
            "language": language,
            "updated_at": datetime.now(UTC),
        }
        if topic is not None:
            updates["last_topic"] = topic
        if conversation.user_id is None and actor_id is not None:
            updates["user_id"] = actor_id  # signing in mid-conversation claims it
        await Conversation.filter(id=conversation.pk).update(**updates)
    return conversation


async def _forward(context: Any, conversation: Conversation, text: str, language: str) -> Reply:
    """After a handoff the bot is quiet: the message goes to the ticket's agent."""
    await handoff.forward_message(context, conversation, text)
    answer = compose.text("forwarded", language)
    async with in_transaction():
        await Message.create(
            conversation_id=conversation.pk, role="user", body=text, language=language, forwarded=True
        )
        await Message.create(
            conversation_id=conversation.pk, role="assistant", body=answer, language=language
        )
        await Conversation.filter(id=conversation.pk).update(message_count=F("message_count") + 2)
    return Reply(str(conversation.pk), answer, conversation.last_topic, 1.0, [], [], True)
