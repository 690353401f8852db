"""A conversation's state: the pending action (awaiting a slot such as the appeal's reason, or a
yes/no), kept in `assistant_conversation.state` so every API process sees the same conversation.
Also the words that answer a pending action: "好的", "yes" confirm; "算了", "no" decline."""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

_YES = re.compile(
    r"^(?:好|好的|好啊|好呀|行|可以|是|是的|对|确认|确定|嗯|嗯嗯|ok|okay|yes|y|yep|yeah|sure|confirm|"
    r"go ahead|do it|please do|yes please)[\s!！。.,，~]*$"
)
_NO = re.compile(
    r"^(?:不|不用|不要|不了|算了|取消|别|先不|no|n|nope|cancel|never mind|nevermind|stop|don't|do not)"
    r"(?:了|吧|啦)?[\s!！。.,，~]*$"
)


def is_yes(text: str) -> bool:
    """True when normalised `text` confirms."""
    return bool(_YES.match(text.strip()))


def is_no(text: str) -> bool:
    """True when normalised `text` declines or cancels."""
    return bool(_NO.match(text.strip()))


@dataclass
class Pending:
    """An action offered to `user_id`: `awaiting` is a slot name or "confirm"."""

    kind: str
    user_id: str
    params: dict[str, Any] = field(default_factory=dict)
    awaiting: str = "confirm"
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def pending_of(state: dict[str, Any] | None) -> Pending | None:
    """The pending action stored in a conversation's state."""
    raw = (state or {}).get("pending")
    return Pending(**raw) if raw else None


def with_pending(state: dict[str, Any] | None, pending: Pending | None) -> dict[str, Any]:
    """The state with `pending` set (or cleared)."""
    state = dict(state or {})
    if pending is None:
        state.pop("pending", None)
    else:
        state["pending"] = asdict(pending)
    return state
