"""Scores the held-out tests/eval_questions.tsv through the API (never trained on) and the
training data's hygiene. Accuracy is deterministic, so a floor is asserted; timing is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plugins.assistant.nlu.data import read_tsv
from plugins.assistant.tests.conftest import ask

HERE = Path(__file__).resolve().parent
#: Measured 2026-11: see bench/README.assistant.md. Floors sit a little below the measurement.
IN_DOMAIN_FLOOR = 0.92
OUT_OF_DOMAIN_FLOOR = 0.9


async def test_held_out_questions_score_above_the_floor(bot):
    rows = read_tsv(HERE / "eval_questions.tsv")
    hits = in_domain = rejected = out_of_domain = 0
    for row in rows:
        reply = (await ask(bot, row["question"]))["data"]["assistantAsk"]
        if row["topic"] == "-":
            out_of_domain += 1
            rejected += reply["topic"] is None
        else:
            in_domain += 1
            hits += reply["topic"] in row["topic"].split("|")
    assert hits / in_domain >= IN_DOMAIN_FLOOR, (hits, in_domain)
    assert rejected / out_of_domain >= OUT_OF_DOMAIN_FLOOR, (rejected, out_of_domain)


@pytest.mark.skipif(
    not Path("/work/shared/helpcenter/topics.tsv").exists(), reason="needs the shared topic list"
)
def test_training_data_is_clean():
    result = subprocess.run([sys.executable, str(HERE / "check_data.py")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
