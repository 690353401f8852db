"""`core.stash`: typed keys, one value each, never confused with one another."""

from __future__ import annotations

import pytest

from core.stash import Stash, StashKey


def test_each_key_holds_its_own_value():
    stash = Stash()
    count, names = StashKey[int](), StashKey[list[str]]()
    stash[count] = 3
    stash[names] = ["a"]
    assert (stash[count], stash[names]) == (3, ["a"])
    assert len(stash) == 2


def test_two_keys_are_distinct_even_of_the_same_type():
    stash = Stash()
    first, second = StashKey[str](), StashKey[str]()
    stash[first] = "one"
    assert first in stash
    assert second not in stash
    with pytest.raises(KeyError):
        stash[second]


def test_get_setdefault_pop_and_delete():
    stash = Stash()
    key = StashKey[list[int]]()
    assert stash.get(key, None) is None
    created = stash.setdefault(key, [])
    created.append(1)
    assert stash.setdefault(key, [9]) == [1]  # the stored value, not the new default
    assert stash.get(key, None) == [1]
    assert stash.pop(key, None) == [1]
    assert stash.pop(key, "gone") == "gone"
    stash[key] = [2]
    del stash[key]
    assert key not in stash
    with pytest.raises(KeyError):
        del stash[key]
