"""The join rules of rules/date_ranges.yaml on their phrases in real text (their `examples` are
written over the symbols that stand for dates, and checked by the loader)."""
from __future__ import annotations

import pytest

from pipeline import ruleset
from pipeline.extractors import dates

from .conftest import load_cases

JOIN_PHRASES = [pytest.param(rule, phrase, id=f"{rule.id}-{phrase}")
                for rule in ruleset.load("date_ranges.yaml") for phrase in rule.data["phrases"]]


@pytest.mark.parametrize(("rule", "phrase"), JOIN_PHRASES)
def test_dates_join_rule_joins_its_phrases(rule, phrase):
    assert dates.joins(rule, phrase)


def test_dates_every_join_rule_has_phrases():
    assert all(rule.data.get("phrases") for rule in ruleset.load("date_ranges.yaml"))


GAP_TEXTS = [pytest.param(text, id=text[:24]) for text in
             [phrase for rule in ruleset.load("date_ranges.yaml") for phrase in rule.data["phrases"]]
             + [case.values[0]["text"] for case in load_cases("dates.yaml")]
             + ["3月5日记者来到7月8日", "2019年3月5日，国庆节", "5月和10月"]]


@pytest.mark.parametrize("text", GAP_TEXTS)
def test_dates_join_gap_leaves_what_the_skeleton_joins(text):
    # where a character no join rule reads stands between every two neighbouring dates the
    # skeleton is not made: the dates come out as the join rules leave them
    rules = ruleset.load("date_ranges.yaml")
    found = dates._find(text, dates._EXAMPLE_REFERENCE)
    assert dates._joined(rules, text, found, dates._join_gap()) == dates._joined(rules, text, found)
