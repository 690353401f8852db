"""Writing the assistant's answers: concise (summary plus key steps), in the message's language."""

from __future__ import annotations

from typing import Any

MAX_STEPS = 5

TEXTS = {
    "steps": {"zh-CN": "操作步骤：", "en": "Steps:"},
    "more": {"zh-CN": "完整图文教程见「{title}」。", "en": "Full guide with pictures: “{title}”."},
    "human": {
        "zh-CN": "好的，可以为你转接人工客服：点击「转人工客服」，这段对话会作为工单交给客服，一般 4 小时内首次回复（优先客服 15 分钟）。",
        "en": "Sure. Tap “Talk to a human” and this conversation goes to a human agent as a ticket; the first reply usually comes within 4 hours (15 minutes with priority support).",
    },
    "human_not_offered": {
        "zh-CN": "抱歉，本服务未提供人工客服。你可以继续向我提问，或在帮助中心查看图文教程。",
        "en": "Sorry, talking to a human agent is not offered on this service. You can keep asking me, or read the step-by-step guides in the help center.",
    },
    "out_of_domain": {
        "zh-CN": "抱歉，这个问题我帮不上忙。我是平台的自助服务助手，可以解答账号安全、视频与评论管理、申诉、直播和电商等功能、充值退款、广告合作、增值服务等问题。你也可以随时转人工客服。",
        "en": "Sorry, I can't help with that. I'm the platform's self-service assistant: I can help with account security, managing videos and comments, appeals, features such as live streaming and shops, top-ups and refunds, advertising and premium add-ons. You can also talk to a human agent at any time.",
    },
    "unclear": {
        "zh-CN": "没太看懂你的问题，可以用一句话描述一下遇到的情况吗？例如「忘记密码怎么办」。",
        "en": "I didn't quite get that. Could you describe your problem in a sentence, e.g. “I forgot my password”?",
    },
    "forwarded": {
        "zh-CN": "你的消息已转给人工客服，客服回复后会通知你，也可以在「我的工单」查看。",
        "en": "Your message was passed to the human agent handling your ticket; you'll be notified of the reply, or check “My tickets”.",
    },
}

HANDOFF_ACTION = {
    "kind": "handoff",
    "target": "assistantHandoff",
    "label": {"zh-CN": "转人工客服", "en": "Talk to a human"},
}


def text(key: str, language: str, **params: Any) -> str:
    """A fixed text in `language`."""
    return TEXTS[key].get(language, TEXTS[key]["en"]).format(**params)


def both(key: str) -> str:
    """A fixed text in both languages (when the message's language is unknown)."""
    return TEXTS[key]["zh-CN"] + "\n" + TEXTS[key]["en"]


def article_answer(article: Any, language: str) -> str:
    """The article's summary and its first steps, numbered."""
    parts = [article.summary or article.title]
    if article.steps:
        parts.append(text("steps", language))
        parts.extend(f"{i}. {step}" for i, step in enumerate(article.steps[:MAX_STEPS], 1))
    parts.append(text("more", language, title=article.title))
    return "\n".join(parts)
