"""The extractors against the spec tables in tests/cases/ (one case a line)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline import extract

from .conftest import load_cases


def _project(mention, keys) -> dict:
    values = {"text": mention.text, **mention.attrs}
    out = {}
    for key in keys:
        value = values.get(key)
        out[key] = value if not isinstance(value, Decimal) else value.normalize()
    return out


def _expected(items: list[dict]) -> list[dict]:
    out = []
    for item in items:
        row = {}
        for key, value in item.items():
            row[key] = Decimal(value).normalize() if key in ("amount", "amount_max", "value", "value_max") \
                and item.get("kind") is None else value
        out.append(row)
    return out


def _check(case: dict, kind: str, reference_date=None) -> None:
    """The mentions of one kind, in order; each compared on the fields its expectation gives."""
    expected = _expected(case[kind])
    found = [m for m in extract(case["text"], reference_date) if m.kind == kind]
    keys = [list(item) for item in case[kind]]
    keys += [["text"]] * (len(found) - len(keys))
    assert [_project(m, k) for m, k in zip(found, keys)] == expected[:len(found)]
    assert len(found) == len(expected), [m.text for m in found]


@pytest.mark.parametrize("case", load_cases("money.yaml"))
def test_money_table(case):
    _check(case, "money")


@pytest.mark.parametrize("case", load_cases("counts.yaml"))
def test_counts_table(case):
    _check(case, "counts")


@pytest.mark.parametrize("case", load_cases("dates.yaml"))
def test_dates_table(case):
    _check(case, "dates", case.get("reference"))


@pytest.mark.parametrize("case", load_cases("organizations.yaml"))
def test_organizations_table(case):
    _check(case, "organizations")


_NEWSY = st.text(alphabet=st.sampled_from(list("0123456789.,万亿元人个所年月日号今去翌集团大学省市区委政府约余多至—“”《》，。、？?()（）"
                                                   "浙江涪陵华峰投入资金项目建设十四五百千两零〇 \n<>/ab")), max_size=120)


@given(st.one_of(st.text(max_size=120), _NEWSY))
@example("0\nW")  # a number and a unit symbol on two lines are no mention (found by this test)
@example("报价800\nRMB")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_extract_never_raises_and_maps_every_mention_into_the_raw_text(raw):
    for mention in extract(raw, "2025-12-03"):
        assert 0 <= mention.start < mention.end
        assert 0 <= mention.raw_start <= mention.raw_end <= len(raw)
        assert mention.text and mention.text in mention.sentence
