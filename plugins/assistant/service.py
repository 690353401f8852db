"""The assistant's conversations: understand a message, answer from the help content, persist both
sides, and hand the conversation to a human (support plugin) when asked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import DomainError, NotFound
from core.settings import plugin_settings
from core.text import detect_language, normalize
from plugins.assistant import compose, handoff
from plugins.assistant.actions import catalogue
from plugins.assistant.actions.state import Pending, is_no, is_yes, pending_of, with_pending
from plugins.assistant.actions.texts import say
from plugins.assistant.engine import get_engine
from plugins.assistant.models import Conversation, Message
from plugins.assistant.nlu.understand import understand
from plugins.assistant.settings import AssistantSettings
from plugins.assistant.text import clean_message


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
    pending_action: dict[str, str] | None = None


#: A slot's value (the appeal's reason) needs at least this many characters.
MIN_SLOT_CHARS = 10


def settings_of(services: Services) -> AssistantSettings:
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

    normalized = normalize(text)
    pending = _own_pending(context, conversation)
    if pending is not None and conversation is not None:
        reply = await _continue_pending(context, conversation, pending, text, normalized, language)
        if reply is not None:
            return reply

    from plugins.helpcenter.api import help_library

    engine = await get_engine(services)
    library = await help_library(services)
    last_topic = conversation.last_topic if conversation else None
    if not any(ch.isalnum() for ch in normalized):
        result_topic, confidence, handoff_flag, answer = None, 0.0, False, _unclear(text, context.language)
        article = None
    else:
        understood = understand(engine.model, library.topic_scores, normalized, language, last_topic)
        result_topic, confidence, handoff_flag = understood.topic, understood.confidence, understood.handoff
        article = library.article(result_topic, language) if result_topic else None
        human = "human" if handoff.offered(services) else "human_not_offered"
        if understood.reason == "human":
            answer = compose.text(human, language)
        elif article is not None:
            answer = compose.article_answer(article, language)
            if result_topic == "platform.human_agent":
                answer = compose.text(human, language)
        else:
            answer = compose.text("out_of_domain", language)
    article_pks = [article.pk] if article else []
    actions = engine.actions_for(result_topic, language, handoff_flag)
    if not handoff.offered(services):  # nobody takes a handoff here: neither offer nor promise one
        handoff_flag = False
        actions = [action for action in actions if action["kind"] != compose.HANDOFF_ACTION["kind"]]
    answer, offer, subject = await _with_user_data(context, result_topic, language, answer, normalized)
    state = with_pending(conversation.state if conversation else {}, offer)
    if subject:
        state["subject"] = subject  # a later handoff carries it into the ticket
    conversation = await _record(
        context, conversation, text, language, answer, result_topic, confidence, article_pks, state
    )
    return Reply(
        str(conversation.pk),
        answer,
        result_topic,
        confidence,
        article_pks,
        actions,
        handoff_flag,
        _public(offer, language),
    )


def _public(pending: Pending | None, language: str) -> dict[str, str] | None:
    """The pending action as the API shows it (only once it awaits a yes/no)."""
    if pending is None or pending.awaiting != "confirm":
        return None
    return {"id": pending.id, "kind": pending.kind, "summary": catalogue.summary(pending, language)}


def _own_pending(context: Any, conversation: Conversation | None) -> Pending | None:
    pending = pending_of(conversation.state) if conversation else None
    actor = str(context.actor.user_id) if context.actor else None
    return pending if pending is not None and pending.user_id == actor else None


async def _with_user_data(
    context: Any, topic: str | None, language: str, answer: str, text: str
) -> tuple[str, Pending | None, str | None]:
    """The answer with the user's own data first (a status, an offer); a banned user is offered
    the appeal before anything else; anonymous users get a sign-in link for data questions."""
    if context.actor is None:
        if catalogue.about_data(topic, text):
            url = settings_of(context.services).sign_in_url
            answer = say("sign_in", language, url=url) + "\n\n" + answer
        return answer, None, None
    outcome = await catalogue.banned_first(context, language) or await catalogue.read(
        context, topic, language, text
    )
    if outcome is None:
        return answer, None, None
    offer = outcome.offer
    parts = [outcome.text] if outcome.text else []
    if offer is not None and offer.awaiting == "confirm":
        parts.append(say("confirm_prompt", language, summary=catalogue.summary(offer, language)))
    parts.append(answer)
    return "\n\n".join(parts), offer, outcome.subject


async def _continue_pending(
    context: Any,
    conversation: Conversation,
    pending: Pending,
    text: str,
    normalized: str,
    language: str,
) -> Reply | None:
    """A message while an action is pending: fills its slot, or answers its yes/no. None when the
    user moved on (the pending action is then dropped by the normal answer)."""
    if is_no(normalized):
        return await _finish(context, conversation, pending, False, language, text)
    if pending.awaiting != "confirm":
        if len(text.strip()) < MIN_SLOT_CHARS:
            return await _reply_pending(context, conversation, pending, text, language, "reason_too_short")
        pending.params[pending.awaiting] = text.strip()
        pending.awaiting = "confirm"
        prompt = say("confirm_prompt", language, summary=catalogue.summary(pending, language))
        return await _reply_pending(context, conversation, pending, text, language, None, prompt)
    if is_yes(normalized):
        return await _finish(context, conversation, pending, True, language, text)
    return None


async def _reply_pending(
    context: Any,
    conversation: Conversation,
    pending: Pending,
    text: str,
    language: str,
    key: str | None,
    answer: str | None = None,
) -> Reply:
    answer = answer or say(key or "ask_reason", language)
    state = with_pending(conversation.state, pending)
    await _record(context, conversation, text, language, answer, conversation.last_topic, 1.0, [], state)
    return Reply(
        str(conversation.pk), answer, conversation.last_topic, 1.0, [], [], False, _public(pending, language)
    )


async def _finish(
    context: Any, conversation: Conversation, pending: Pending, confirm: bool, language: str, text: str
) -> Reply:
    """Claim the pending action (a second confirmation finds nothing), then run or drop it."""
    async with in_transaction():
        locked = await Conversation.filter(id=conversation.pk).select_for_update().first()
        current = pending_of(locked.state) if locked else None
        if locked is None or current is None or current.id != pending.id:
            raise NotFound()
        await Conversation.filter(id=conversation.pk).update(state=with_pending(locked.state, None))
    conversation.state = with_pending(conversation.state, None)
    if not confirm:
        answer = say("declined", language)
    elif pending.awaiting != "confirm":
        # Confirmed before the slot was filled: ask again, nothing is done.
        return await _reply_pending(context, conversation, pending, text, language, "ask_reason")
    else:
        answer = await catalogue.run(context, pending, language)
    await _record(context, conversation, text, language, answer, conversation.last_topic, 1.0, [], None)
    return Reply(str(conversation.pk), answer, conversation.last_topic, 1.0, [], [], False, None)


async def confirm(context: Any, conversation_id: str, action_id: str, confirmed: bool) -> Reply:
    """`assistantConfirm`: carry out (or drop) the conversation's pending action; only the user
    it was offered to may, and only once."""
    actor = context.require_user(allow_restricted=True)
    await _rate_limit(context, settings_of(context.services))
    conversation = await load_conversation(context, conversation_id)
    if conversation is None:
        raise DomainError("INVALID_INPUT", field="input.conversationId", detail="conversationId")
    pending = _own_pending(context, conversation)
    if pending is None or pending.id != str(action_id) or pending.user_id != str(actor.user_id):
        raise NotFound()
    marker = "(confirm)" if confirmed else "(decline)"
    return await _finish(context, conversation, pending, confirmed, conversation.language, marker)


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
    state: dict[str, Any] | None = None,
) -> Conversation:
    actor_id = int(context.actor.user_id) if context.actor else None
    async with in_transaction():
        if conversation is None:
            conversation = await Conversation.create(
                id=uuid.uuid4(),
                user_id=actor_id,
                language=language,
                last_topic=topic,
                message_count=0,
                state=state or {},
            )
            state = None
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
        if state is not None:
            updates["state"] = state
            conversation.state = state
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
