"""Forum Markdown under attack (issue 11 #15): nested quotes are bounded, rendering never raises,
and the work it does grows linearly with the post, checked by counting operations (never time):
a regex lint proves no pattern can rescan the text, and a size-doubling check counts the
renderer's Python steps plus the characters handed to every regex call."""

from __future__ import annotations

import re
import sys
from re import _constants as sre
from re import _parser as sre_parse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.community import markdown
from plugins.community.rules import THREAD_BODY_MAX
from plugins.community.tests.gql import THREAD_CREATE

#: Inputs the review used, and friends: each is repeated up to the maximum post size.
ADVERSARIAL = {
    "bold openers": "**x ",
    "italic openers": "*x ",
    "bare stars": "*",
    "double stars": "**",
    "nested quotes": ">",
    "spaced quotes": "> ",
    "links": "[",
    "half links": "[a](",
    "backticks": "`a",
    "mixed": "**a *b `c [d](e ",
    "quote lines": ">>>>>>>> **x\n",
    "fences": "```\n",
}


async def test_deeply_nested_quotes_post_and_render_bounded(client):
    # given the review's attack: a post of 10,000 `>`
    alice = await client.signup()
    for body in (">" * THREAD_BODY_MAX, "> " * (THREAD_BODY_MAX // 2), "**x " * (THREAD_BODY_MAX // 4)):
        # when it is posted
        response = await client.gql(
            THREAD_CREATE, {"input": {"board": "account", "title": "quote", "body": body}}, token=alice.token
        )
        # then it is a thread (no internal error) whose quotes nest at most MAX_QUOTE_DEPTH deep
        thread = response["data"]["forumThreadCreate"]
        assert thread["__typename"] == "ForumThread", response
        assert thread["bodyHtml"].count("<blockquote>") <= markdown.MAX_QUOTE_DEPTH


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(list("*_`>#-[]()!/: \n\tab1.<&\"'")), max_size=THREAD_BODY_MAX),
    st.sampled_from(sorted(ADVERSARIAL.values())),
    st.integers(min_value=0, max_value=THREAD_BODY_MAX),
)
def test_rendering_never_raises_and_stays_safe(noise, pattern, repeats):
    source = (noise + pattern * repeats)[:THREAD_BODY_MAX]
    html = markdown.render(source)
    assert "<script" not in html and "javascript:" not in html.replace("&", "")
    assert html.count("<blockquote>") <= markdown.MAX_QUOTE_DEPTH * max(1, source.count("\n") + 1)
    markdown.plain_text(source)


def _class_contains(items: list, char: int) -> bool:
    """Whether a parsed character class (`[...]`) matches `char` (the subset this module uses)."""
    negate, found = False, False
    for op, value in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            found |= value == char
        elif op is sre.RANGE:
            found |= value[0] <= char <= value[1]
        elif op is sre.CATEGORY:
            found |= bool(
                re.match({sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_DIGIT: r"\d"}.get(value, r"\w"), chr(char))
            )
    return found != negate


def _flatten(parsed) -> list:
    flat = []
    for op, value in parsed:
        if op is sre.SUBPATTERN:
            flat.extend(_flatten(value[-1]))
        else:
            flat.append((op, value))
    return flat


def rescanning_repeats(pattern: re.Pattern) -> list[str]:
    """Unbounded repeats that could make a search rescan the text from many starting points: any
    repeat of `.` or of a group, and a repeated class not introduced by a literal it excludes.
    A pattern anchored with `^` (no MULTILINE) is tried at one position only and is exempt."""
    items = _flatten(sre_parse.parse(pattern.pattern, pattern.flags))
    if items and items[0] == (sre.AT, sre.AT_BEGINNING) and not pattern.flags & re.MULTILINE:
        return []
    problems = []
    for index, (op, value) in enumerate(items):
        if op not in (sre.MAX_REPEAT, sre.MIN_REPEAT) or value[1] != sre.MAXREPEAT:
            continue
        body = list(value[2])
        if len(body) != 1 or body[0][0] not in (sre.IN, sre.NOT_LITERAL, sre.LITERAL):
            problems.append(f"{pattern.pattern}: unbounded repeat of {body}")
            continue
        kind, members = body[0]
        members = (
            members
            if kind is sre.IN
            else [(sre.NEGATE, None), (sre.LITERAL, members)]
            if kind is sre.NOT_LITERAL
            else [(sre.LITERAL, members)]
        )
        previous = items[index - 1] if index else None
        if previous is None:
            continue  # a leading run: a match from its first character consumes it whole
        if previous[0] is not sre.LITERAL or _class_contains(members, previous[1]):
            problems.append(f"{pattern.pattern}: repeated class may rescan after {previous}")
    return problems


def test_no_regex_of_the_renderer_can_rescan_the_text():
    patterns = [value for value in vars(markdown).values() if isinstance(value, re.Pattern)]
    assert len(patterns) >= 5
    assert [problem for pattern in patterns for problem in rescanning_repeats(pattern)] == []
    # (the lint catches the emphasis regexes the review found quadratic)
    assert rescanning_repeats(re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"))
    assert rescanning_repeats(re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])"))


class _CountingPattern:
    """A compiled pattern that adds the length of every string it is handed to `work`."""

    def __init__(self, pattern: re.Pattern, work: list[int]) -> None:
        self._pattern, self._work = pattern, work

    def __getattr__(self, name: str):
        method = getattr(self._pattern, name)

        def counted(*args, **kwargs):
            text = next((a for a in args if isinstance(a, str)), "")
            self._work[0] += len(text)
            return method(*args, **kwargs)

        return counted


def work_of(source: str, monkeypatch) -> int:
    """Operations to render `source`: Python line events inside the renderer, plus characters
    given to its regexes (each linear by the lint above)."""
    work = [0]
    for name, value in list(vars(markdown).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(markdown, name, _CountingPattern(value, work))
    filename = markdown.__file__

    def tracer(frame, event, arg):
        if frame.f_code.co_filename != filename:
            return None
        if event == "line":
            work[0] += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        markdown.render(source)
        markdown.plain_text(source)
    finally:
        sys.settrace(previous)
        monkeypatch.undo()
    return work[0]


def test_work_grows_linearly_with_the_post(monkeypatch):
    for name, unit in ADVERSARIAL.items():
        sizes = [THREAD_BODY_MAX // 4, THREAD_BODY_MAX // 2, THREAD_BODY_MAX]
        counts = [work_of((unit * (size // len(unit) + 1))[:size], monkeypatch) for size in sizes]
        for smaller, larger in zip(counts, counts[1:], strict=False):
            # doubling the input at most (about) doubles the work
            assert larger <= 2.2 * smaller + 50, (name, counts)
