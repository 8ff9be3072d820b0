"""Chinese text decoded with the wrong double-byte charset (Big5 as GBK or GB18030, GBK as Big5)."""
from __future__ import annotations

import pytest

from pipeline.normalize import crossread, normalize

from .conftest import load_cases


@pytest.mark.parametrize("case", load_cases("crossread.yaml"))
def test_crossread_table(case):
    assert normalize(case["text"]).text == case["normalized"]
    if case.get("stays"):
        assert crossread.repair(case["text"]) == []


def test_crossread_reads_a_long_run_of_lost_bytes():
    """A run of U+FFFD as long as a page (a binary file read as text) is no misread page."""
    assert normalize("记者报道" + "\ufffd" * 3000 + "完").text == "记者报道完"


@pytest.mark.parametrize("text", [param.values[0]["text"] for param in load_cases("crossread.yaml")],
                         ids=[param.id for param in load_cases("crossread.yaml")])
def test_crossread_readings_score_no_more_than_their_bound(text):
    # a line whose bound reads no better than the line is not read: the bound must hold
    # for every codec's reading of every line, misread or clean (the cases' known gaps too)
    for line in text.split("\n"):
        for misread in crossread._MISREADS:
            stream = crossread._stream(line, misread)
            if stream is None:
                continue
            units, guessed = crossread._units(stream, misread)
            reading = crossread._best_reading(units)
            score, _, _ = crossread._text_score(
                "".join(crossread._LOST if guess else char for char, guess in zip(reading, guessed)))
            score += crossread._LOST_BYTE * sum(guessed)
            assert score <= crossread._most_score(units, guessed), (line, misread)
            wide = sum(1 for options in units if options[0][1] >= "\x80")
            assert sum(1 for char in reading if char >= "\x80") == wide, (line, misread)
