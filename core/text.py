"""Text utilities shared by the plugins that analyse what people write (help search, the assistant,
forum search): normalising, sanitising, language detection, a light English stemmer and Chinese
segmentation (jieba) through a `Tokenizer` object.

No process-global state changes: each `Tokenizer` is built with its owner's domain words (article
keywords such as 两步验证) and is read-only afterwards, so two owners never see each other's words.
The one process-wide thing is jieba's base dictionary, loaded once and never modified.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

#: CJK unified ideographs (with extension A and compatibility ideographs).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:['’][a-z]+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_HAS_LATIN = re.compile(r"[A-Za-z]")
_STORE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

EN_STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being am do does "
    "did doing i me my mine we our you your he she it its they them their this that these those there "
    "here what which who whom whose can could would should will shall may might must have has had having "
    "so too very just not no yes about into over than then there's i'm i've it's im ive dont don't "
    "please pls plz hi hello hey thanks thank any some how why when where get got want wanna need".split()
)
#: Words kept for classification even though search drops them (they carry intent: "how", "why").
INTENT_WORDS = frozenset("how why when where can not no".split())

_IRREGULAR = {
    "paid": "pay",
    "forgot": "forget",
    "forgotten": "forget",
    "lost": "lose",
    "stolen": "steal",
    "children": "child",
    "went": "go",
    "gone": "go",
    "sent": "send",
    "made": "make",
    "bought": "buy",
    "won't": "will",
    "can't": "can",
    "cannot": "can",
    "didn't": "did",
    "doesn't": "doe",
    "isn't": "is",
    "wasn't": "was",
    "logged": "log",
    "login": "log",
    "logins": "log",
    "signin": "sign",
}


def normalize(text: str) -> str:
    """NFKC, lower case, no control characters, lone surrogates replaced."""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text
    text = unicodedata.normalize("NFKC", text).lower()
    return _CONTROL.sub(" ", text)


def sanitize(text: str) -> str:
    """Safe to store and show: lone surrogates replaced, control characters (but newlines and
    tabs) removed. PostgreSQL refuses NUL and invalid UTF-8."""
    if _has_surrogate(text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _STORE_CONTROL.sub("", text)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese characters."""
    return bool(_HAS_CJK.search(text))


def detect_language(text: str, fallback: str) -> str:
    """zh-CN when the text has Chinese characters, en when it has Latin letters, else `fallback`."""
    if has_cjk(text):
        return "zh-CN"
    if _HAS_LATIN.search(text):
        return "en"
    return fallback


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed, -ly and a few irregular forms."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ness", ""), ("ment", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    if word.endswith("ing") and len(word) >= 6:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) >= 5:
        base = word[:-2] if not word.endswith("ied") else word[:-3] + "y"
        return _undouble(base)
    if word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h") and len(word) >= 5:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(base: str) -> str:
    if len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "lsz":
        return base[:-1]
    if base.endswith(("at", "iv", "ur", "bl", "ok", "ak", "ac", "lv", "ov")) and len(base) >= 3:
        return base + "e"  # activat-ed -> activate, remov-ed -> remove
    return base


@functools.lru_cache(maxsize=1)
def _base_dictionary() -> Any:
    """jieba's shipped dictionary, loaded once per process (start-up log silenced); read-only:
    every `Tokenizer` with words of its own segments with a copy."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    base = jieba.Tokenizer()
    base.initialize()
    return base


class Tokenizer:
    """Chinese segmentation (jieba, search mode) and search terms, knowing `words` besides jieba's
    dictionary. Built once by its owner (the help library, the assistant's model, a forum index);
    immutable afterwards, so it is safe to share between threads."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = frozenset(w for w in words if has_cjk(w) and 1 < len(w) <= 8)
        self._jieba: Any = None

    def _segmenter(self) -> Any:
        if self._jieba is None:
            base = _base_dictionary()
            if not self.words:
                self._jieba = base  # nothing to add: the shared dictionary is never written to
            else:
                import jieba

                own = jieba.Tokenizer()
                own.FREQ, own.total, own.initialized = dict(base.FREQ), base.total, True
                for word in sorted(self.words):
                    own.add_word(word)
                self._jieba = own
        return self._jieba

    def segment(self, run: str) -> list[str]:
        """jieba words of a Chinese run (search mode: long words plus their parts)."""
        return [w for w in self._segmenter().lcut_for_search(run, HMM=True) if w.strip()]

    def terms(self, text: str, *, bigrams: bool = True, keep_intent_words: bool = False) -> list[str]:
        """Terms for BM25: jieba words and character bigrams for Chinese, stemmed English words
        (stop words dropped). Input must be normalised."""
        terms: list[str] = []
        for run in runs(text):
            if _HAS_CJK.match(run):
                terms.extend(self.segment(run))
                if bigrams:
                    terms.extend(run[i : i + 2] for i in range(len(run) - 1))
                if len(run) == 1:
                    terms.append(run)
            else:
                word = run.replace("’", "'")
                if word in EN_STOPWORDS and not (keep_intent_words and word in INTENT_WORDS):
                    continue
                terms.append(stem(word))
        return terms


def runs(text: str) -> list[str]:
    """Chinese and Latin/digit runs of normalised text."""
    return _RUN.findall(text)
