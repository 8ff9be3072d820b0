"""The join rules of rules/date_ranges.yaml on their phrases in real text (their `examples` are
written over the symbols that stand for dates, and checked by the loader)."""
from __future__ import annotations

import pytest

from pipeline import ruleset
from pipeline.extractors import dates

JOIN_PHRASES = [pytest.param(rule, phrase, id=f"{rule.id}-{phrase}")
                for rule in ruleset.load("date_ranges.yaml") for phrase in rule.data["phrases"]]


@pytest.mark.parametrize(("rule", "phrase"), JOIN_PHRASES)
def test_dates_join_rule_joins_its_phrases(rule, phrase):
    assert dates.joins(rule, phrase)


def test_dates_every_join_rule_has_phrases():
    assert all(rule.data.get("phrases") for rule in ruleset.load("date_ranges.yaml"))
