"""GraphQL operations of the assistant: thin resolvers over `service` and `handoff`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from core.errors import NotFound
from plugins.assistant import handoff, service
from plugins.assistant.types import (
    AssistantAction,
    AssistantPendingAction,
    AssistantReply,
    handoff_result,
)
from schema.info import Info
from schema.relay import to_global_id


@strawberry.input(description="A message to the assistant.")
class AssistantAskInput:
    message: str = strawberry.field(
        description="The question, in Chinese or English (at most 2,000 characters)."
    )
    conversation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Continue this conversation (omit to start one)."
    )


@strawberry.input(description="The user's answer to a pending action.")
class AssistantConfirmInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    action_id: strawberry.ID = strawberry.field(description="`AssistantReply.pendingAction.id`.")
    confirm: bool = strawberry.field(description="True to go ahead, false to cancel.")


async def _reply(info: Info, reply: service.Reply) -> AssistantReply:
    from plugins.helpcenter.api import load_help_articles

    pending = reply.pending_action
    return AssistantReply(
        conversation_id=strawberry.ID(conversation_gid(reply.conversation_id)),
        answer=reply.answer,
        topic=reply.topic,
        confidence=reply.confidence,
        articles=await load_help_articles(info.context, reply.article_pks),
        actions=[AssistantAction(**action) for action in reply.actions],
        handoff=reply.handoff,
        pending_action=(
            AssistantPendingAction(
                id=strawberry.ID(pending["id"]), kind=pending["kind"], summary=pending["summary"]
            )
            if pending
            else None
        ),
    )


def conversation_gid(pk: str) -> strawberry.ID:
    """The public ID of a conversation."""
    return to_global_id("AssistantConversation", pk)


@strawberry.type
class AssistantMutation:
    @strawberry.mutation(
        description="Ask the 24-hour assistant (anonymous allowed, rate-limited per user or IP)."
    )
    async def assistant_ask(self, info: Info, input: AssistantAskInput) -> AssistantReply:
        return await _reply(info, await service.ask(info.context, input.message, input.conversation_id))

    @strawberry.mutation(
        description="Confirm or cancel the change the assistant offered (signed-in users, also restricted)."
    )
    async def assistant_confirm(self, info: Info, input: AssistantConfirmInput) -> AssistantReply:
        reply = await service.confirm(info.context, input.conversation_id, input.action_id, input.confirm)
        return await _reply(info, reply)


async def _assistant_handoff(self: Any, info: Info, conversation_id: strawberry.ID) -> Any:
    info.context.require_user(allow_restricted=True)
    conversation = await service.load_conversation(info.context, conversation_id)
    if conversation is None:  # no usable id
        raise NotFound()
    return await handoff.hand_off(info.context, conversation)


def assistant_mutation(handoff_types: Sequence[Any]) -> type:
    """The assistant's mutations for a deployment: `assistantHandoff` answers one of
    `handoff_types` (from the `handoff_result_types` hook) or an `AssistantError`."""
    field = strawberry.mutation(
        resolver=_assistant_handoff,
        description="Hand the conversation to a human agent as a support ticket (signed-in users).",
        graphql_type=handoff_result(handoff_types),
    )
    return strawberry.type(type("AssistantMutation", (AssistantMutation,), {"assistant_handoff": field}))
