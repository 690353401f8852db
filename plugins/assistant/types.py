"""GraphQL types of the assistant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Union

import strawberry

from plugins.assistant.errors import CODES
from schema.errors import PluginError

if TYPE_CHECKING:
    from plugins.helpcenter.api import HelpArticle


@strawberry.type(description="Why an assistant operation failed.")
class AssistantError(PluginError, codes=CODES, plugin="assistant"):
    pass


assistant_error_handler = AssistantError.handler

HelpArticleRef = Annotated["HelpArticle", strawberry.lazy("plugins.helpcenter.api")]  # noqa: F821


@strawberry.type(description="A self-service operation the assistant suggests.")
class AssistantAction:
    kind: str = strawberry.field(
        description="operation (a GraphQL operation), page (a self-service path) or handoff."
    )
    label: str = strawberry.field(description="Button text in the answer's language.")
    target: str = strawberry.field(description="The operation name or page path to open.")


@strawberry.type(description="A change the assistant offers to make for the user, awaiting their yes or no.")
class AssistantPendingAction:
    id: strawberry.ID = strawberry.field(description="Pass it to `assistantConfirm`.")
    kind: str = strawberry.field(
        description="What it does: appeals.file, account.sign_out_others, payments.refund, ..."
    )
    summary: str = strawberry.field(description="What will happen, in the conversation's language.")


@strawberry.type(description="The assistant's answer to one message.")
class AssistantReply:
    conversation_id: strawberry.ID = strawberry.field(
        description="Pass it back to continue this conversation."
    )
    answer: str = strawberry.field(description="The answer, in the language of the message.")
    topic: str | None = strawberry.field(
        description="The help topic understood; null when the assistant has no confident answer."
    )
    confidence: float = strawberry.field(description="How sure the assistant is of the topic, 0 to 1.")
    articles: list[HelpArticleRef] = strawberry.field(description="The help articles the answer comes from.")
    actions: list[AssistantAction] = strawberry.field(description="Suggested self-service actions.")
    handoff: bool = strawberry.field(
        description="True when a human agent is offered (or already has the conversation)."
    )
    pending_action: AssistantPendingAction | None = strawberry.field(
        default=None, description="A change awaiting the user's confirmation (`assistantConfirm`)."
    )


def handoff_result(result_types: Sequence[Any]) -> Any:
    """The `AssistantHandoffResult` union: what the enabled plugins' `handoff_ticket` return (the
    `handoff_result_types` hook; support's `Ticket`) or an `AssistantError`."""
    members = tuple(dict.fromkeys(result_types)) + (AssistantError,)
    return Annotated[Union[members], strawberry.union("AssistantHandoffResult")]  # noqa: UP007
