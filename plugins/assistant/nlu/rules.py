"""Rules the model does not need to learn: asking for a human, and follow-up phrasing."""

from __future__ import annotations

import re

#: Explicit requests for a person (normalised text). 人工智能 (AI) is not a request for a human.
_HUMAN = re.compile(
    r"转人工|人工客服|人工服务|人工坐席|真人客服|找真人|要真人|活人|找客服|联系客服|客服电话|投诉电话|"
    r"(?<!智能)人工(?!智能)|"
    r"\b(?:real|live|actual) (?:person|human|agent|people)\b|\bhuman (?:agent|being|support|operator)\b|"
    r"\b(?:talk|speak|chat) (?:to|with) (?:a |an |some )?(?:human|person|someone|somebody|agent|representative|rep|staff|operator)\b|"
    r"\bcustomer (?:service|support) (?:agent|rep|representative|person)\b|\bcontact (?:a |an )?(?:human|agent|support staff)\b"
)
#: Paying to reach support faster is the priority-support topic, not a request for a person now.
_PRIORITY = re.compile(r"花钱|付费|更快|优先|会员|vip|加急|\b(?:pay|paid|faster|priority|premium)\b")
_FOLLOW_UP_ZH = re.compile(r"^(?:那|那么|那如果|还有|另外|再问|如果是)|呢[?？]?$")
_FOLLOW_UP_EN = re.compile(r"^(?:what about|how about|and |what if|also |and if|same for|then )")


def asks_for_human(text: str) -> bool:
    """True when normalised `text` asks to talk to a person."""
    return bool(_HUMAN.search(text)) and not _PRIORITY.search(text)


def looks_like_follow_up(text: str) -> bool:
    """True for "那退款呢?" / "what about refunds?" style messages that lean on the context."""
    text = text.strip()
    return bool(_FOLLOW_UP_ZH.search(text) or _FOLLOW_UP_EN.search(text))


def is_short(text: str) -> bool:
    """Short enough that the conversation's topic may be what it is about."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return (cjk and cjk <= 10) or (not cjk and len(text.split()) <= 5)
