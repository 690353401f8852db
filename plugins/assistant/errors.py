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
    "HANDOFF_NOT_OFFERED": {
        "en": "Talking to a human agent is not offered on this service; the help center and the assistant are here for you.",
        "zh-CN": "本服务未提供人工客服，你可以查看帮助中心或继续向助手提问。",
    },
}

CODES = tuple(MESSAGES)
