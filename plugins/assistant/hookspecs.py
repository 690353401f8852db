"""Hooks the assistant offers (added to the plugin manager while the assistant is enabled).

Handing a conversation to a human is an extension point: the support plugin implements
`handoff_ticket`, `handoff_message` and `handoff_result_types`. With no implementation the
handoff is not offered (the assistant says so; `assistantHandoff` answers HANDOFF_NOT_OFFERED).
"""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def register_assistant_actions():
    """Return a list of `core.contributions.AssistantActionSpec`: self-service actions the
    assistant may offer for a topic."""


@hookspec
def handoff_result_types():
    """Return the GraphQL types `handoff_ticket` may return (support: `[Ticket]`); they are the
    members of `AssistantHandoffResult` besides `AssistantError`."""


@hookspec
def handoff_ticket(context, conversation_id, subject, transcript, topic):
    """Create (or return the open) ticket for a conversation handed to a human (may be async):
    the requester is the signed-in actor of `context`; `transcript` is a list of
    `{"role", "body", "topic", "at"}` dicts, oldest first. Return the GraphQL object (one of
    `handoff_result_types`), or None when this plugin does not take it. The first answer wins."""


@hookspec
def handoff_message(services, conversation_id, body, user_id):
    """Pass a requester's message of a handed-off conversation to its ticket (may be async);
    return True when this plugin delivered it. Raise `DomainError("NOT_FOUND")` when the
    conversation has no open ticket of `user_id`."""
