"""Where a request comes from: the facts sessions, throttles and security events record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClientInfo:
    """Where a request comes from (for sessions, throttles and security events)."""

    ip: str
    user_agent: str = ""
    language: str = "zh-CN"
    device_name: str = ""


def from_context(context: Any, device_name: str = "") -> ClientInfo:
    """The client facts of a GraphQL request context."""
    return ClientInfo(
        ip=context.ip, user_agent=context.user_agent, language=context.language, device_name=device_name or ""
    )
