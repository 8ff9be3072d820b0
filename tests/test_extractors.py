"""The extractors against the spec tables in tests/cases/ (one case a line)."""
from __future__ import annotations

from decimal import Decimal

import pytest

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
