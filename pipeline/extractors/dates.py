"""Dates, periods and durations, resolved against the article's date (rules/dates.yaml).

Each rule names a resolver. Matches are taken in text order, longest first where
they overlap, so that an anaphoric year (翌年) is resolved against the last date
mentioned before it.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import regex

from .. import ruleset
from ..dateref import ReferenceDate
from ..segment import Segmented
from ..types import Mention
from . import Context
from .numbers import parse_number


@dataclass(frozen=True)
class _Before:
    """What the text said before a match: the last date (for 翌年) and the last day (for 次日)."""

    date: date | None = None
    day: date | None = None


@dataclass(frozen=True)
class _Resolved:
    value: str
    kind: str
    start: date | None = None
    end: date | None = None
    resolved: bool = True


@ruleset.cached
def _table() -> dict:
    return ruleset.read_yaml("dates.yaml")


def _int(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value is not None else None


def _year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = "".join(str("〇一二三四五六七八九".index(ch)) if ch in "〇一二三四五六七八九" else
                     "0" if ch == "零" else "" for ch in text)
    return int(digits) if len(digits) == 4 else None


def _span(year: int, month: int | None = None, day: int | None = None,
          months: tuple[int, int] | None = None) -> tuple[date, date] | None:
    try:
        if day is not None and month is not None:
            point = date(year, month, day)
            return point, point
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        first, last = months or (1, 12)
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    except ValueError:
        return None


def _date(year: int, month: int | None = None, day: int | None = None,
          months: tuple[int, int] | None = None) -> _Resolved | None:
    span = _span(year, month, day, months)
    if span is None:
        return None
    value = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")
    return _Resolved(value, "date", *span)


def _absolute(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    year = _year(match["y"])
    if year is None:
        return None
    groups = match.groupdict()
    month, day = _int(groups.get("m")), _int(groups.get("d"))
    part = groups.get("part")
    return _date(year, month, day, tuple(_table()["parts"][part]) if part else None)


def _span_of_years(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    first, final = int(match["y"]), int(match["y2"])
    if final <= first:
        return None
    return _Resolved(f"{first}/{final}", "period", date(first, 1, 1), date(final, 12, 31))


def _relative(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    groups = match.groupdict()
    table = _table()
    if reference is None:
        kind = "date"
        return _Resolved("", kind, resolved=False)
    if groups.get("reld"):
        if reference.day is None:
            return _Resolved("", "date", resolved=False)
        day = date(reference.year, reference.month, reference.day) + timedelta(days=table["relative_days"][groups["reld"]])
        return _date(day.year, day.month, day.day)
    if groups.get("relm"):
        if reference.month is None:
            return _Resolved("", "date", resolved=False)
        index = reference.year * 12 + reference.month - 1 + table["relative_months"][groups["relm"]]
        return _date(index // 12, index % 12 + 1)
    year = reference.year + (table["relative_years"][groups["rel"]] if groups.get("rel") else 0)
    month, day = _int(groups.get("m")), _int(groups.get("d"))
    part = groups.get("part")
    return _date(year, month, day, tuple(table["parts"][part]) if part and not month else None)


def _anaphoric(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    anchor = before.date.year if before.date else (reference.year if reference else None)
    if anchor is None:
        return _Resolved("", "date", resolved=False)
    year = anchor + _table()["anaphoric_years"][match["ana"]]
    return _date(year, _int(match["m"]), _int(match["d"]))


def _plan(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    plan = match["plan"] or match["plan_bare"]
    first = _table()["plans"][plan]
    return _Resolved(f"{first}/{first + 4}", "period", date(first, 1, 1), date(first + 4, 12, 31))


def _anaphoric_day(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    last_day = before.day
    if last_day is None:
        if reference is None or reference.day is None:
            return _Resolved("", "date", resolved=False)
        last_day = date(reference.year, reference.month, reference.day)
    day = last_day + timedelta(days=_table()["anaphoric_days"][match["anad"]])
    return _date(day.year, day.month, day.day)


_DURATION_UNITS = {"年": "Y", "周": "W", "个星期": "W", "天": "D"}


def _duration(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    amount = _int(match["num"])
    if not amount:
        return None
    unit = match["unit"]
    if unit == "小时":
        return _Resolved(f"PT{amount}H", "duration")
    designator = "M" if unit.endswith("月") else _DURATION_UNITS[unit]
    return _Resolved(f"P{amount}{designator}", "duration")


_RESOLVERS: dict[str, Callable] = {"absolute": _absolute, "span": _span_of_years, "relative": _relative,
                                   "anaphoric": _anaphoric, "anaphoric_day": _anaphoric_day, "plan": _plan,
                                   "duration": _duration}


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    mentions = []
    before = _Before()
    for rule, match in ruleset.find_longest(ruleset.load("dates.yaml"), segmented.text):
        resolved = _RESOLVERS[rule.data["resolve"]](match, context.reference_date, before)
        if resolved is None:
            continue
        if resolved.kind == "date" and resolved.start is not None:
            before = _Before(resolved.start, resolved.start if len(resolved.value) == 10 else before.day)
        mentions.append(Mention("dates", match.group(), match.start(), match.end(), rule.id, {
            "value": resolved.value, "kind": resolved.kind,
            "start_date": resolved.start.isoformat() if resolved.start else "",
            "end_date": resolved.end.isoformat() if resolved.end else "",
            "resolved": resolved.resolved}))
    return mentions


_DATELINE = regex.compile(r"(?<![\d.])((?:19|20)\d\d)[年\-/.](1[0-2]|0?[1-9])[月\-/.](3[01]|[12]\d|0?[1-9])")
_YEAR = regex.compile(r"(?<![\d.到至])((?:19|20)\d\d)年(?!前|目标|远景)")
_LEAD_MONTH_DAY = regex.compile(r"(?m)^[ \t]*(1[0-2]|[1-9])月(3[01]|[12]\d|[1-9])日")
_LEAD = 300  # a dateline or byline stands in the first few lines


def reference_from_text(text: str) -> ReferenceDate | None:
    """The article's own date: a dateline, else its latest year (with a leading month and day).

    >>> reference_from_text("人民网重庆电 2025年12月03日08:29 资金到位").iso
    '2025-12-03'
    >>> reference_from_text("标题\\n12月3日，2025年全国工作会议召开。").iso
    '2025-12-03'
    >>> reference_from_text("今年5月19日举行活动。1997年起步，2021年度获奖。").iso
    '2021'
    >>> reference_from_text("没有日期") is None
    True
    """
    lead = text[:_LEAD]
    dateline = _DATELINE.search(lead)
    if dateline:
        return ReferenceDate(int(dateline[1]), int(dateline[2]), int(dateline[3]), "text")
    years = [int(m[1]) for m in _YEAR.finditer(text)]
    if not years:
        return None
    year = max(years)
    month_day = _LEAD_MONTH_DAY.search(lead)
    if month_day:
        return ReferenceDate(year, int(month_day[1]), int(month_day[2]), "text")
    return ReferenceDate(year, source="text")
