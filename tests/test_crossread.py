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
