"""Long messages tell the story first and ask last ("昨晚剪了一晚上…到底咋回事"): find the
sentences that ask, so the question weighs more than the background."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[。！？!?；;\n])|(?<=[，,])(?=\s*\S{6,})|(?<=\.)\s+")
_ASKS = re.compile(
    r"[?？]|吗|么|嘛|怎|如何|咋|能不能|可不可以|可以不|能否|是不是|有没有|为什么|为啥|多久|多少|几天|"
    r"哪|什么|啥|要不要|行不行|求|帮我|请问|想知道|想问|在哪|办法|"
    r"\b(?:how|what|why|when|where|which|can i|can you|could|is it|is there|do i|does|should|help|"
    r"anyone|any way|need to|want to)\b"
)
#: Shorter than this (CJK characters or words) the whole message is the question.
LONG_CJK = 28
LONG_WORDS = 18


def is_long(text: str) -> bool:
    """True for a message long enough to carry background before the question."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk > LONG_CJK or (not cjk and len(text.split()) > LONG_WORDS)


def asking_part(text: str) -> str | None:
    """The sentences of a long `text` that ask something, or None when it is short, has a single
    sentence or every sentence asks (then the whole message is the question)."""
    if not is_long(text):
        return None
    sentences = [s.strip(" ，,") for s in _SPLIT.split(text) if s.strip(" ，,。.!！")]
    if len(sentences) < 2:
        return None
    asking = [s for s in sentences if _ASKS.search(s)]
    if not asking or len(asking) == len(sentences):
        return None
    return " ".join(asking)
