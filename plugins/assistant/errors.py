"""The assistant plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "HANDOFF_UNAVAILABLE": {
        "en": "Handing over to a human agent is not available right now. Please try again later.",
        "zh-CN": "暂时无法转接人工客服，请稍后再试。",
    },
    "ALREADY_HANDED_OFF": {
        "en": "This conversation is already with a human agent.",
        "zh-CN": "该对话已转接人工客服。",
    },
}

CODES = tuple(MESSAGES)
