"""core.fields.DatetimeField reads the same values as tortoise's and describes the same column."""

from __future__ import annotations

import datetime

import pytest
from tortoise import fields

from core.fields import DatetimeField

TEXTS = [
    "2026-12-01 15:00:00.123456+00:00",  # what tortoise writes on SQLite
    "2026-12-01T15:00:00+00:00",
    "2026-12-01 15:00:00",  # naive: UTC
    "2026-12-01 23:30:00+08:00",  # another offset: converted to the configured zone
    "2026-12-01T15:00:00Z",
    "2026-12-01",
]


@pytest.mark.parametrize("text", TEXTS)
def test_reads_what_tortoise_reads(text, monkeypatch):
    monkeypatch.setenv("USE_TZ", "True")
    monkeypatch.setenv("TIMEZONE", "UTC")
    ours, theirs = DatetimeField().to_python_value(text), fields.DatetimeField().to_python_value(text)
    assert ours == theirs
    assert ours is not None and theirs is not None
    assert (ours.isoformat(), ours.tzinfo) == (theirs.isoformat(), theirs.tzinfo)


def test_values_that_are_not_text_are_tortoises_business(monkeypatch):
    monkeypatch.setenv("USE_TZ", "True")
    monkeypatch.setenv("TIMEZONE", "UTC")
    moment = datetime.datetime(2026, 12, 1, 15, tzinfo=datetime.UTC)
    assert DatetimeField().to_python_value(moment) == fields.DatetimeField().to_python_value(moment)
    assert DatetimeField(null=True).to_python_value(None) is None


def test_text_the_standard_parser_refuses_falls_back_to_tortoises_parser(monkeypatch):
    monkeypatch.setenv("USE_TZ", "True")
    monkeypatch.setenv("TIMEZONE", "UTC")
    text = "20261201T150000Z"  # basic format: iso8601 reads it, fromisoformat in 3.11 does not
    assert DatetimeField().to_python_value(text) == fields.DatetimeField().to_python_value(text)


def test_migrations_see_tortoises_field():
    ours = DatetimeField(null=True, auto_now_add=True, db_index=True).deconstruct()
    theirs = fields.DatetimeField(null=True, auto_now_add=True, db_index=True).deconstruct()
    assert ours == theirs
    assert ours[0] == "tortoise.fields.data.DatetimeField"
