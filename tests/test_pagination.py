"""core.pagination: cursors are encoded only when read, and read the same as before."""

from __future__ import annotations

import base64

from core.pagination import Cursors, Page, decode_cursor, encode_cursor


def _stdlib(kind: str, value: object) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def test_cursors_read_like_a_list_of_encoded_cursors():
    keys = [101, 7, 2**40]
    cursors = Cursors("k", keys)
    expected = [_stdlib("k", key) for key in keys]
    assert len(cursors) == 3
    assert list(cursors) == expected
    assert [cursors[0], cursors[-1]] == [expected[0], expected[-1]]
    assert cursors[1:] == expected[1:]
    assert [decode_cursor(cursor, "k") for cursor in cursors] == [str(key) for key in keys]
    assert Page(["a", "b", "c"], cursors, True).end_cursor == expected[-1]
    assert Page([], Cursors("k", []), False).end_cursor is None


def test_offset_cursors_over_a_range():
    cursors = Cursors("o", range(20, 23))
    assert (
        list(cursors)
        == [encode_cursor("o", n) for n in (20, 21, 22)]
        == [_stdlib("o", n) for n in (20, 21, 22)]
    )


def test_encoding_matches_base64_for_any_text():
    for value in ("", "é", "a?b>c~", "x" * 50):
        assert encode_cursor("k", value) == _stdlib("k", value)
