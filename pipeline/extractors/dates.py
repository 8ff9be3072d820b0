"""Dates, periods and durations, resolved against the article's date (rules/dates.yaml).

Each rule names a resolver. Matches are taken in text order, longest first where
they overlap, so that an anaphoric year (翌年) is resolved against the last date
mentioned before it. Then the rules of rules/date_ranges.yaml join two neighbouring
dates into one mention (2022年3月5日至3月20日: a period whose second end takes the
year and month it does not write from the first).
"""
from __future__ import annotations

import bisect
import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Iterator, NamedTuple

import regex

from .. import ruleset, windows
from ..dateref import ReferenceDate
from ..segment import Segmented
from ..types import Mention
from . import Context
from .numbers import CN_DIGITS, CN_UNITS, parse_number, parse_vague

_CN_DIGITS = "〇一二三四五六七八九"


# The records below are made for every match (a date, what it resolved to, what the text
# said before it): named tuples, made at 0.33 us where a frozen dataclass, which sets each
# field through object.__setattr__, took 0.8


class _Before(NamedTuple):
    """What the text said before a match: the last date (for 翌年) and the last day (for 次日
    and a bare day)."""

    date: date | None = None
    day: date | None = None
    end: int = -1  # where the last date ends in the text
    month: bool = False  # whether the last date was written with its month (2018年12月, not 2018年)
    republic: bool = False  # whether the text has dated by the Republic's years (民国108年, 108年1月1日)
    since: bool = False  # whether the last day starts a span up to now (自2022年2月24日爆发以来)


class _Resolved(NamedTuple):
    value: str
    kind: str
    start: date | None = None
    end: date | None = None
    resolved: bool = True
    borrowed: int = 0  # fields taken from the reference date: 1 the year, 2 the year and month, 3 the week
    holiday: str = ""  # the holiday it is the day of, when its year was borrowed: found again in another year
    anchors: bool = True  # whether later words of the text count from it (上年's year, compared with, does not)
    republic: bool = False  # a year of the Republic's era


class _Found(NamedTuple):
    rule: str
    start: int
    end: int
    resolved: _Resolved


_UNRESOLVED = _Resolved("", "date", resolved=False)
_LIST_SEPARATOR = "、"  # between the numbers of a list that writes its unit once (7、8月)
_WEEK_BORROWED = 3  # a bare weekday (周三): its week is the reference date's


@ruleset.cached
def _table() -> dict:
    return ruleset.read_yaml("dates.yaml")


@ruleset.cached
def _lunar_calendar() -> dict:
    """{"years": lunar year -> (its first day, its months in order as (month, leap, days)),
    "solar": holiday -> {year: day}}, from lunar_calendar.yaml."""
    table = ruleset.read_yaml("lunar_calendar.yaml")
    years = {}
    for year, (first, leap, lengths) in table["lunar_years"].items():
        months = [(month, False) for month in range(1, 13)]
        if leap:
            months.insert(leap, (leap, True))
        years[year] = (_mmdd(year, first), [(month, is_leap, 29 + int(length))
                                            for (month, is_leap), length in zip(months, lengths)])
    solar = table["solar_holidays"]
    return {"years": years, "solar": {name: {year: _mmdd(year, days[column]) for year, days in solar["years"].items()}
                                      for column, name in enumerate(solar["columns"])}}


def _mmdd(year: int, mmdd: str) -> date:
    return date(year, int(mmdd[:2]), int(mmdd[2:]))


def _int(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text.replace("廿", "二十").replace("卅", "三十").replace("元", "一"))  # 元月: January
    return int(value) if value is not None else None


def _digits(text: str) -> str:
    """Digits written one by one, Arabic or Chinese (二〇二五, 零八), as Arabic digits."""
    return "".join(ch if ch.isdigit() else str(_CN_DIGITS.index(ch)) if ch in _CN_DIGITS else
                   "0" if ch == "零" else "?" for ch in text)


def _year(text: str) -> int | None:
    if "千" in text:  # 两千零八: a numeral, not digits one by one
        return _int(text)
    digits = _digits(text)
    return int(digits) if digits.isdigit() else None


_SHORT_YEAR_AHEAD = 10  # a two-digit year may lie this many years after the reference year, no more


def _short_year(text: str, reference: ReferenceDate | None) -> int | None:
    """A two-digit year (05, 九七, 五四) in the hundred years that end ten years after the
    reference year: news tells of the past more than of a far future (五四年 in 2019 is 1954).
    Two neighbouring digits (七八, 三五) say a vague number, not a year."""
    digits = _digits(text)
    if not digits.isdigit() or parse_vague(text):
        return None
    latest = (reference.year if reference else 2000) + _SHORT_YEAR_AHEAD
    return latest - (latest - int(digits)) % 100


def _match_year(match: regex.Match, reference: ReferenceDate | None) -> int | None:
    year = ruleset.group(match, "y")
    if year:
        return _year(year)
    short_year = ruleset.group(match, "yy")
    return _short_year(short_year, reference) if short_year else None


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
          months: tuple[int, int] | None = None, borrowed: int = 0) -> _Resolved | None:
    if not 1 <= year <= 9999:
        return None
    span = _span(year, month, day, months)
    if span is None:
        return None
    value = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")
    return _Resolved(value, "date", *span, borrowed=borrowed)


def _day(point: date, borrowed: int = 0) -> _Resolved | None:
    return _date(point.year, point.month, point.day, borrowed=borrowed)


def _period(first: _Resolved | None, final: _Resolved | None) -> _Resolved | None:
    if first is None or final is None:
        return None
    if not first.resolved or not final.resolved:
        return _Resolved("", "period", resolved=False)
    if final.end < first.start:
        return None
    return _Resolved(f"{first.value}/{final.value}", "period", first.start, final.end)


_PART_EDGES = {"初": 0, "末": 1, "底": 1}  # after a quarter or a half year: its first or last month


def _part(name: str | None) -> tuple[int, int] | None:
    if not name:
        return None
    if name[-1] in _PART_EDGES and name not in _table()["parts"]:  # 一季度末: the quarter's last month
        month = _table()["parts"][name[:-1]][_PART_EDGES[name[-1]]]
        return month, month
    return tuple(_table()["parts"][name])


def _reference_day(reference: ReferenceDate) -> date:
    return date(reference.year, reference.month, reference.day)


def _nearest_with_day(point: date, day: int) -> date:
    """The date nearest `point` that is the `day`th of its month.

    >>> _nearest_with_day(date(2019, 10, 3), 5), _nearest_with_day(date(2019, 10, 1), 30)
    (datetime.date(2019, 10, 5), datetime.date(2019, 9, 30))
    """
    months = [(point.year + (point.month - 2 + step) // 12, (point.month - 2 + step) % 12 + 1) for step in range(3)]
    return min((date(year, month, day) for year, month in months if day <= calendar.monthrange(year, month)[1]),
               key=lambda candidate: abs(candidate - point))


def _absolute(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    year = _match_year(match, reference)
    if year is None:
        return None
    groups = ruleset.groupdict(match)
    if len(groups.get("y") or "") == 3 and not groups.get("m") and (republic := _republic_year(year, before)):
        return republic  # 在107年, in a text of Taiwan's
    return _date(year, _int(groups.get("m")), _int(groups.get("d")), _part(groups.get("part")))


def _edge_day(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """The first or last day of the year or month the match names (今年最后一天, 2019年的第一天)."""
    container = (_absolute if match["y"] else _relative)(match, reference, before)
    if container is None or not container.resolved:
        return container
    return _day(container.end if match["edge"].startswith("最后") else container.start)


def _first_month(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """January of the year written (2019年首月) or named relative to the reference date (今年首月)."""
    if match["y"]:
        return _date(_year(match["y"]), 1)
    if reference is None:
        return _UNRESOLVED
    return _date(reference.year + _table()["relative_years"][match["rel"]], 1)


def _span_of_years(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    groups = ruleset.groupdict(match)
    first = _year(groups["y"]) if groups.get("y") else _short_year(groups["yy"], reference)
    last = groups.get("y2") or groups["yy2"]
    final = _year(last)
    if first is not None and final is not None and len(last) == 2:  # 2017-18赛季, 98年至02年: the next year so written
        final += first // 100 * 100 + (100 if final < first % 100 else 0)
    if first is None or final is None or final <= first:
        return None
    return _Resolved(f"{first}/{final}", "period", date(first, 1, 1), date(final, 12, 31))


def _relative(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """Everything the reference date completes: 今年5月, 本月十日, 12月3日, 29日, 上个季度, 年底;
    a bare day (29日) sometimes the last day the text gave (below)."""
    groups = ruleset.groupdict(match)
    table = _table()
    if reference is None:
        return _UNRESOLVED
    # 今日, or 今（3）日 as Taiwan's papers write it
    relative_day = groups.get("reld") or (groups["reld_head"] + "日" if groups.get("reld_head") else None)
    if relative_day:
        if reference.day is None:
            return _UNRESOLVED
        named = _reference_day(reference) + timedelta(days=table["relative_days"][relative_day])
        if groups.get("reld_number"):  # the day's number wins over a reference a day or two off
            named = _nearest_with_day(named, int(groups["reld_number"]))
        return _day(named)
    if groups.get("this_day"):  # 去年的今天: the reference day in that year (28 February for 29)
        if reference.day is None:
            return _UNRESOLVED
        year = reference.year + table["relative_years"][groups["rel"]]
        return _date(year, reference.month, min(reference.day, calendar.monthrange(year, reference.month)[1]))
    if groups.get("relq"):
        if reference.month is None:
            return _UNRESOLVED
        quarter = reference.year * 4 + (reference.month - 1) // 3 + table["relative_quarters"][groups["relq"]]
        return _date(quarter // 4, months=(quarter % 4 * 3 + 1, quarter % 4 * 3 + 3))
    if groups.get("season"):  # 今春: 今年 and its 春季
        groups["rel"], groups["part"] = table["short_seasons"][groups["season_year"]], table["season_parts"][groups["season"]]
    year = reference.year + (table["relative_years"][groups["rel"]] if groups.get("rel") else 0)
    if groups.get("same"):
        return _same_period(year, match, before)
    if groups.get("season") == "冬" and groups["season_year"] == "今" and reference.month is not None \
            and reference.month <= 2:
        year -= 1  # a winter is the year it begins in: 今冬 in February is the one begun in December, as 去冬 is
    month, day, borrowed = _int(groups.get("m")), _int(groups.get("d")), 0
    if groups.get("relm"):
        if reference.month is None:
            return _UNRESOLVED
        if groups["relm"] in table["compared_with"] and before.month \
                and _same_sentence(match, before):
            index = before.date.year * 12 + before.date.month - 1 + table["relative_months"][groups["relm"]]
            return _date(index // 12, index % 12 + 1)._replace(anchors=False)  # 3月份CPI …… 比上月回落
        index = reference.month - 1 + table["relative_months"].get(groups["relm"], 0)
        year, month = (year + index // 12, index % 12 + 1) if groups.get("rel") else \
            (reference.year + index // 12, index % 12 + 1)
    elif month is None and (day is not None or groups.get("mpart")):
        if day is not None and before.day is not None and not before.since and not groups.get("rel") and (
                before.day.year != reference.year or reference.day is None or day > reference.day):
            # in the month of the last day the text gave, when the reference month would put the
            # day in the future or the text tells of another year: 本报北京1月31日电 …… 28日 in an
            # article of 1 February, 1990年8月21日 …… 于20日 (a month alone is background more
            # often: 2018年11月 …… 截至11日; and so is a day of the article's own year: 1月31日 …… 11日,
            # and a day a span up to now starts from: 自2022年2月24日爆发以来 …… 欧盟23日宣布)
            year, month, borrowed = before.day.year, before.day.month, 2
        elif day is None and before.month and _same_sentence(match, before):
            year, month, borrowed = before.date.year, before.date.month, 2  # 8月下旬 …… 较月初: August
        elif reference.month is None:
            return _UNRESOLVED
        else:
            month, borrowed = reference.month, 2
            if day is not None and reference.day is not None and day > reference.day and not _ahead(match):
                # a day still to come this month, when last month's was a day or three before the
                # reference date and no word of the future stands near: last month's, which the news
                # tells of (31日 in an article of 1 January; 30日 in one of 14 June is 30 June)
                last_year, last_month = (year, month - 1) if month > 1 else (year - 1, 12)
                if reference.day + calendar.monthrange(last_year, last_month)[1] - day <= _JUST_PAST_DAYS:
                    year, month = last_year, last_month
        if day is not None and day > calendar.monthrange(year, month)[1]:
            # 30日 in an article of February: the last month that has the day (news tells what was)
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    elif month is not None and not groups.get("rel"):
        year, borrowed = _year_of_month(month, day, match, reference, before), 1
    elif groups.get("part") and not groups.get("rel"):
        told = _year_told(match, reference, before)
        if told is not None:
            year = told
        else:
            borrowed = 1  # 下半年: the reference year's
    return _date(year, month, day, _part(groups.get("part")) if not month else None, borrowed)


# days (a month counted as 31) within which a date after a word of the future is this year's, though past
_JUST_PAST_MONTH = 31
# a day that starts a span up to now: 以来 or 至今 later in its clause (自2022年2月24日爆发以来)
_SINCE = regex.compile(r"[^，。；！？,;!?\n]{0,12}?(?:以来|至今)")
_JUST_PAST_DAYS = 3  # a bare day of last month this recent is the one told of, not this month's still to come
_NARRATIVE_REACH = 150  # characters after a date of another year within which a yearless month is of that year
_FUTURE_REACH = 6  # characters before a month within which a word of the future makes it this year's (将于3月)
_REVIEWING_MONTHS = 3  # an article of the year's first months tells of last year (bulletins, reviews of the year)


def _says_the_future(words: str) -> bool:
    """Whether `words`, the few characters around a date, hold a word of the future (将, 预计, 力争)."""
    return any(word in words for word in _table()["future_words"])


def _ahead(match: regex.Match) -> bool:
    """Whether a word of the future stands near the match (农历十月将举行, 国庆假期将至)."""
    return _says_the_future(match.string[max(match.start() - _FUTURE_REACH, 0):match.end() + _FUTURE_REACH])


def _year_told(match: regex.Match, reference: ReferenceDate, before: _Before) -> int | None:
    """The year a bare part of a year (四季度, 年底) is of when the text told of one: that of a date
    before it in its sentence (2020年下半年经济回升，四季度增长), or last year's, within reach, in an
    article of the year's first months, which reviews it (2018年4月 …… 10月 …… 年底, in February
    2019); none when a word of the future is near (2018年增长6%，下半年将放缓)."""
    if before.date is None:
        return None
    if _ahead(match):
        return None
    same_sentence = _same_sentence(match, before)
    review = (before.date.year == reference.year - 1 and reference.month is not None
              and reference.month <= _REVIEWING_MONTHS and match.start() - before.end <= _NARRATIVE_REACH)
    return before.date.year if same_sentence or review else None


def _year_of_month(month: int, day: int | None, match: regex.Match, reference: ReferenceDate,
                   before: _Before) -> int:
    """The year of a month written without one (5月22日, 12月份, 10月): the reference year,
    unless the text just gave a date of another year and the month reads as that year's: in
    the same sentence (2018年7、8月), after a year long past (1935年5月 …… 5月22日, a story
    told), or where the reference year would put it in the future (2018年全年 …… 12月份, in an
    article of February 2019). Months run on from that date's month where that is the nearer
    way (2018年12月 …… 1月: 2019; 2024年12月末 …… 较11月末: 2024).
    The reference year stays for the month before the reference month and for the reference
    month up to the reference day (a dateline, 本报北京2月14日电; 读1月30日人民日报), after a
    word of the future (将在3月29日; the next year's when the reference year's is past by more
    than a month: 新规将于2月1日起施行, in December; not after a plan told as past, 原计划于), and
    for a month before the reference month after last year's date in another sentence
    (2018年全年增长6% …… 1月，出口: this January). Months of a schedule still to come run on into
    the next year in the sentence as they do after another year's date (9月1日开学，1月16日放寒假)."""
    text = match.string
    lead = text[max(match.start() - _FUTURE_REACH, 0):match.start()]
    planned = next((word for word in _table()["future_before_date"] if lead.endswith(word)), None)
    if planned and not text.endswith(tuple(_table()["past_plan"]), 0, match.start() - len(planned)) \
            and reference.month is not None \
            and (month, day or 31) < (reference.month, reference.day or 1) \
            and (reference.month - month) * 31 + (reference.day or 1) - (day or 31) > _JUST_PAST_MONTH:
        return reference.year + 1  # not a day of the last weeks, begun already (将在8月24日起的17天内, on the 25th)
    last = before.date
    if last is not None and last.year == reference.year and reference.month is not None \
            and (last.month, last.day) >= (reference.month, reference.day or 1) and _runs_on(month, before) \
            and _same_sentence(match, before):
        return reference.year + 1  # 本学期于9月1日开学，1月16日放寒假 told in August: a schedule runs on into next year
    if last is None or last.year == reference.year:
        told_of_now = last is None or before.month and last.month <= (reference.month or 12)
        return reference.year - 1 if told_of_now and _of_the_year_reviewed(month, match, reference) else reference.year
    if last.year < reference.year - 1 and any(
            word in text[max(before.end - 2, 0):before.end + 2] for word in _table()["since_words"]):
        return reference.year  # 1961年以来最长的阴雨 …… 直到3月上旬: a span up to now, no story of 1961
    if reference.month is not None and (reference.month - month == 1 or month == reference.month and (
            day is None or reference.day is None or day <= reference.day)):
        return reference.year
    if _says_the_future(lead):
        return reference.year
    same_sentence = _same_sentence(match, before)
    near = match.start() - before.end <= _NARRATIVE_REACH
    future = reference.month is not None and (month, day or 0) > (reference.month, reference.day or 31)
    if not (same_sentence or near and (last.year < reference.year - 1 or future)):
        return reference.year
    return last.year + 1 if _runs_on(month, before) else last.year


def _runs_on(month: int, before: _Before) -> bool:
    """Whether `month`, before the month of the last date told, runs on into the next year: where
    that is the nearer way (2018年12月 …… 1月: 2019); it looks back within the year otherwise
    (2024年12月末 …… 较11月末)."""
    last = before.date.month
    return before.month and month < last and 12 - last + month < last - month


def _same_sentence(match: regex.Match, before: _Before) -> bool:
    """Whether `match` stands in the sentence of the last date told."""
    return not _SENTENCE_END.search(match.string, before.end, match.start())


def _of_the_year_reviewed(month: int, match: regex.Match, reference: ReferenceDate) -> bool:
    """Whether a month after the reference month, with no word of the future near it, is last
    year's: when it is one of the last months before an article of the year's first months, which
    tells of them (12月份，我国进出口总值 in January: last December; 9月30日前通航 in February:
    this September). A date written alone (a heading, a query: 12月30号) tells of nothing."""
    if reference.month is None or month <= reference.month:
        return False
    text = match.string
    if not _NON_BLANK.search(text, 0, match.start()) and not _NON_BLANK.search(text, match.end()):
        return False  # the date is the whole text (found at the first character that is not blank)
    if _ahead(match):
        return False
    return reference.month + 12 - month <= _REVIEWING_MONTHS


_SENTENCE_END = regex.compile(r"[。！？；!?\n]")
_NON_BLANK = regex.compile(r"\S")
_ANTECEDENT_REACH = 80  # characters after a date within which a bare 当年 is that date's year


def _after_an_event(match: regex.Match, word: str) -> bool:
    """Whether `word` (次年, 次月) follows 的, counting from an event: 取得所得的次年三月一日."""
    return word in _table()["after_an_event"] and match.string[match.start() - 1:match.start()] == "的"


def _anaphoric(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    if _after_an_event(match, match["ana"]):
        return None
    if match["ana"] in _table()["anaphoric_only"] and (before.date is None or not match["m"] and (
            match.start() - before.end > _ANTECEDENT_REACH)):
        return None  # 当年马帮穿行的古道, 讲述当年的窘况: back then, no year
    anchor = before.date.year if before.date else (reference.year if reference else None)
    if anchor is None:
        return _UNRESOLVED
    year = anchor + _table()["anaphoric_years"][match["ana"]]
    if ruleset.group(match, "same"):
        return _same_period(year, match, before)
    resolved = _date(year, _int(match["m"]), _int(match["d"]), _part(ruleset.group(match, "part")))
    if resolved is not None and match["ana"] in _table()["compared_with"]:
        return resolved._replace(anchors=False)
    return resolved


def _same_period(year: int, match: regex.Match, before: _Before) -> _Resolved | None:
    """去年同期, 上年同期: the month the sentence told before it, in `year` (5月份，…… 比去年同期下降:
    2024-05), else the year."""
    if before.date is not None and before.month and _same_sentence(match, before):
        return _date(year, before.date.month)._replace(anchors=False)
    return _date(year)


def _anaphoric_month(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    if (before.date is None or not before.month or match.start() - before.end > _ANTECEDENT_REACH
            or _after_an_event(match, match["anam"])):
        return None  # 开通当月, 取得所得的次月: the month of an event the text does not date
    index = before.date.month - 1 + _table()["anaphoric_months"][match["anam"]]
    return _date(before.date.year + index // 12, index % 12 + 1, _int(match["d"]))


def _range_year(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> tuple[int | None, int]:
    """The year a compact range is in: written (2019年, 19年, 今年), or of a month or day before it in
    its sentence (2024年春节：2月10日至17日), or the reference's (after a year alone, a range tells of
    every year or of the coming one as often as of that year: 从2013年起，每年 …… 8月1日至20日); and
    whether borrowed."""
    year = _match_year(match, reference)
    if year is not None or reference is None:
        return year, 0
    if match["rel"]:
        return reference.year + _table()["relative_years"][match["rel"]], 0
    if before.month and _same_sentence(match, before):
        return before.date.year, 1
    return reference.year, 1


def _day_range(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    year, borrowed = _range_year(match, reference, before)
    if year is None:
        return _Resolved("", "period", resolved=False)
    month = _int(match["m"])
    return _period(_date(year, month, _int(match["d"]), borrowed=borrowed),
                   _date(year, month, _int(match["d2"]), borrowed=borrowed))


def _month_range(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    year, _ = _range_year(match, reference, before)
    if year is None:
        return _Resolved("", "period", resolved=False)
    first, final = _int(match["m"]), _int(match["m2"])
    if first is None or final is None or final <= first:
        return None
    return _period(_date(year, first), _date(year, final))


def _first_months(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """January to the month `m2` of the year written (今年前10个月: 2024-01/2024-10)."""
    year, _ = _range_year(match, reference, before)
    last = _int(match["m2"])
    if year is None or last is None:
        return _Resolved("", "period", resolved=False)
    return _period(_date(year, 1), _date(year, last))


def _era(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """A year of an era, named (民国108年, 令和元年, 光绪二十年) or, as Taiwan writes the Republic's,
    not (108年1月1日)."""
    number = 1 if match["n"] == "元" else _int(match["n"])
    groups = ruleset.groupdict(match)
    era = groups.get("era") or "民国"
    table = _table()
    first = table["eras"][era] if era in table["eras"] else table["reign_eras"][era]
    resolved = _date(first + number, _int(groups.get("m")), _int(groups.get("d"))) if number else None
    return resolved._replace(republic=True) if resolved is not None and era in table["republic_eras"] else resolved


_REPUBLIC_YEARS = range(100, 130)  # 2011 to 2040, the years dates.republic_year reads without 民国


def _republic_year(number: int, before: _Before) -> _Resolved | None:
    """A bare year of the Republic (较107年, 在107年) in a text that has dated by the Republic's
    years; None otherwise (建党100年 is a length of time, 在105年 a year of the Han)."""
    if not before.republic or number not in _REPUBLIC_YEARS:
        return None
    table = _table()
    return _date(table["eras"][table["republic_eras"][0]] + number)._replace(republic=True)


def _decade(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """A decade or a century as a period (上世纪80年代 and 1980年代 -> 1980/1989, 20世纪 -> 1900/1999)."""
    groups = ruleset.groupdict(match)
    decade = _int(groups.get("dec"))
    if decade is not None and decade < 10:
        decade *= 10  # 八九十年代: the first decade written by its tens digit alone
    if decade is not None and decade >= 100:
        base = 0  # 1990年代: the decade's first year in full
    elif groups.get("c"):
        base = (_int(groups["c"]) - 1) * 100
    elif groups.get("crel"):
        if reference is None:
            return _Resolved("", "period", resolved=False)
        base = (reference.year // 100 + {"上": -1, "下": 1}.get(groups["crel"], 0)) * 100
    else:  # a bare decade (or span's last): the latest one that does not start after the reference year
        pivot = reference.year if reference else 1999
        last = _int(groups["dec2"]) if groups.get("dec2") else decade
        base = pivot // 100 * 100 - (100 if pivot // 100 * 100 + last > pivot else 0)
    first = base + (decade or 0)
    final = base + _int(groups["dec2"]) + 9 if groups.get("dec2") else first + (9 if decade is not None else 99)
    if first < 0:
        return None
    return _Resolved(f"{first:04d}/{final:04d}", "period", date(max(first, 1), 1, 1), date(final, 12, 31))


def _monday(reference: ReferenceDate, relative: str | None) -> date:
    """The Monday of the week `relative` (上, 下个, ...) to the reference day's; weeks start on Monday."""
    today = _reference_day(reference)
    weeks = _table()["relative_weeks"][relative] if relative else 0
    return today - timedelta(days=today.isoweekday() - 1, weeks=-weeks)


def _weekday(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """A weekday of the reference week, or of the week named (下周三); a bare one borrows the week."""
    if reference is None or reference.day is None:
        return _UNRESOLVED
    day = _monday(reference, match["wrel"]) + timedelta(days=_table()["weekdays"][match["wd"]] - 1)
    return _day(day, borrowed=0 if match["wrel"] else _WEEK_BORROWED)


def _nth_weekday(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """The nth or the last weekday of the month the match names (十月的第一个星期一)."""
    month = (_absolute if match["y"] else _relative)(match, reference, before)
    if month is None or not month.resolved:
        return month
    weekday = _table()["weekdays"][match["wd"]]
    if match["last"]:
        return _day(month.end - timedelta(days=(month.end.isoweekday() - weekday) % 7))
    day = month.start + timedelta(days=(weekday - month.start.isoweekday()) % 7 + 7 * (_int(match["nth"]) - 1))
    return _day(day) if day <= month.end else None


def _week(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """A week as its ISO week (2016-W44, the granularity written), its weekend as a period."""
    if reference is None or reference.day is None:
        return _UNRESOLVED
    monday = _monday(reference, match["wrel"])
    if match["weekend"]:
        return _period(_day(monday + timedelta(days=5)), _day(monday + timedelta(days=6)))
    year, week, _ = monday.isocalendar()
    return _Resolved(f"{year:04d}-W{week:02d}", "date", monday, monday + timedelta(days=6))


def _holiday_on(name: str, year: int) -> date | None:
    table = _table()
    name = table["short_holidays"].get(name, name)
    solar = _lunar_calendar()["solar"]
    if name in solar:  # a solar term (冬至)
        return solar[name].get(year)
    fixed = table["fixed_holidays"].get(name)
    if fixed:
        return date(year, int(fixed[:2]), int(fixed[2:]))
    if name in table["weekday_holidays"]:
        month, weekday, nth = table["weekday_holidays"][name]
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    festival, days_after = table["lunar_holidays"][name]
    if festival in table["lunar_festivals"]:
        day = _lunar_date(year, *table["lunar_festivals"][festival])
    else:
        day = _lunar_calendar()["solar"][festival].get(year)
    return day + timedelta(days=days_after) if day else None


_HALF_YEAR = 183  # days
_RECENT = 122  # days: a holiday this recent, rather than one eight months ahead, is the one a text tells of


def _lunar_month_days(year: int, month: int, leap: bool = False) -> tuple[date, int] | None:
    """The first day and the length of lunar month `month` (its leap month when `leap`) of lunar
    year `year`; None for a leap month the year does not have, or a year outside the table."""
    known = _lunar_calendar()["years"].get(year)
    if known is None:
        return None
    first, months = known
    offset = 0
    for number, is_leap, days in months:
        if (number, is_leap) == (month, leap):
            return first + timedelta(days=offset), days
        offset += days
    return None


def _lunar_date(year: int, month: int, day: int, leap: bool = False) -> date | None:
    """Day `day` of lunar month `month` of lunar year `year`; None for a day the month does not have."""
    known = _lunar_month_days(year, month, leap)
    return known[0] + timedelta(days=day - 1) if known and 1 <= day <= known[1] else None


_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12, "年": 12}  # 年廿八: Hong Kong's 腊月廿八


def _lunar_month_number(written: str) -> int:
    """The number of a lunar month as written before 月 (正, 冬, 八, 10)."""
    return _LUNAR_MONTHS.get(written) or _int(written)


def _lunar_day(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    month = _lunar_month_number(match["lunar_month"]) if match["lunar_month"] else 1  # 大年初一: 正月
    day, leap = _int(match["lunar_day"].removeprefix("初")), bool(ruleset.group(match, "leap"))
    if match["y"]:
        found = _lunar_date(_year(match["y"]), month, day, leap)
    elif reference is None:
        return _UNRESOLVED
    else:  # the lunar year whose month falls in the reference year: 腊月 ends the lunar year before
        lunar_year = reference.year - 1 if month == 12 else reference.year
        found = _nearest(reference, lambda year: _lunar_date(year, month, day, leap), lunar_year, _ahead(match))
    return _day(found) if found else None


def _lunar_month(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """A lunar month, or two neighbouring ones (农历二三月), as the period of their days."""
    first = _lunar_month_number(match["lunar_month"])
    final = _lunar_month_number(match["lunar_month2"]) if match["lunar_month2"] else first
    leap = bool(match["leap"])
    if final < first:
        return None
    if match["y"]:
        year = _year(match["y"])
    elif reference is None:
        return _Resolved("", "period", resolved=False)
    else:  # the lunar year whose month falls in the reference year, as for a lunar day
        year = reference.year - 1 if first == 12 else reference.year
        start = _nearest(reference, lambda lunar_year: _lunar_date(lunar_year, first, 1, leap), year, _ahead(match))
        that_year = _lunar_date(year, first, 1, leap)
        if start is not None and start != that_year:
            year += 1 if start > that_year else -1  # that year's is long past, or far ahead: the nearest
    opening, closing = _lunar_month_days(year, first, leap), _lunar_month_days(year, final, leap and final == first)
    if opening is None or closing is None:
        return None
    return _period(_day(opening[0]), _day(closing[0] + timedelta(days=closing[1] - 1)))


def _lunar_range(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """Days of the first lunar month (大年初一至初六): the second end in the first's lunar year."""
    first = _lunar_day(match, reference, before)
    if first is None or not first.resolved:
        return _Resolved("", "period", resolved=False) if first is not None else None
    final = _lunar_date(first.start.year, 1, _int(match["lunar_day2"].removeprefix("初")))
    return _period(first, _day(final)) if final else None


def _holiday(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    groups = ruleset.groupdict(match)
    name = groups["holiday"]
    year = _match_year(match, reference)
    if year is not None:
        day = _holiday_on(name, year)
    elif reference is None:
        return _UNRESOLVED
    elif groups.get("rel"):
        day = _holiday_on(name, reference.year + _table()["relative_years"][groups["rel"]])
    else:
        day = _nearest(reference, lambda year: _holiday_on(name, year), reference.year, _ahead(match))
        return _day(day, borrowed=1)._replace(holiday=name) if day else None
    return _day(day) if day else None


def _nearest(reference: ReferenceDate, day_in: Callable[[int], date | None], year: int,
             ahead: bool = False) -> date | None:
    """day_in(year), unless that is over half a year before the reference date: then the
    next year's (春节 in a December article is the coming one); or so far after it that last
    year's lies within _RECENT days, and no word of the future (`ahead`) says it is to come:
    then last year's (双11 in a January article is the one just past, as news tells what was;
    中秋 in February is this year's)."""
    day = day_in(year)
    today = date(reference.year, reference.month or 1, reference.day or 1)
    if day is not None and reference.month is not None and (today - day).days > _HALF_YEAR:
        return day_in(year + 1)
    if day is not None and reference.month is not None and not ahead and (day - today).days > 365 - _RECENT:
        return day_in(year - 1)
    return day


def _pair(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    if reference is None:
        return _Resolved("", "period", resolved=False)
    offset = _table()["relative_pairs"][match["pair"]]
    if match["unit"] == "年":
        return _period(_date(reference.year + offset), _date(reference.year + offset + 1))
    if reference.day is None:
        return _Resolved("", "period", resolved=False)
    first = _reference_day(reference) + timedelta(days=offset)
    return _period(_day(first), _day(first + timedelta(days=1)))


def _plan(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    groups = ruleset.groupdict(match)
    plan = groups.get("plan") or groups.get("plan_bare") or f"{groups['plan_number']}五"  # 第一个五年计划: 一五
    first = _table()["plans"][plan]
    return _Resolved(f"{first}/{first + 4}", "period", date(first, 1, 1), date(first + 4, 12, 31))


def _anaphoric_day(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    if _after_an_event(match, match["anad"]):
        return None
    last_day = before.day
    if last_day is None:
        if reference is None or reference.day is None:
            return _UNRESOLVED
        last_day = _reference_day(reference)
    return _day(last_day + timedelta(days=_table()["anaphoric_days"][match["anad"]]))


_HALF_OFFSETS = {"M": (15, "D"), "Y": (6, "M")}  # 半个月 is 15 days, 半年 six months
_CLAUSE_ENDS = frozenset("，,。！？；：!?;:\n")


def _after_an_event_told(match: regex.Match, before: _Before) -> bool:
    """Whether a length after (7天后) counts from an event its own clause tells of (在法国上市7天后,
    遇难一个月后), not from the reference date or a date: the word just before it is the event, and
    no date and no word of the future (预计两年后投入使用) stand in the clause with it."""
    text, start = match.string, match.start()
    if not regex.match(r"\p{Han}", text[start - 1:start]):
        return False
    clause_start = next((at + 1 for at in range(start - 1, -1, -1) if text[at] in _CLAUSE_ENDS), 0)  # back to its clause's start
    if before.date and before.end > clause_start:
        return False  # 2月20日出发3天后抵达: after that day
    return not _says_the_future(text[max(start - _FUTURE_REACH, clause_start):match.end() + _FUTURE_REACH])


def _offset(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    unit = _table()["offset_units"][match["unit"]]
    if match["num"] == "半":
        amount, unit = _HALF_OFFSETS[unit]
    else:
        amount = _int(match["num"])
    if not amount:
        return None
    half = match["half"] or "半" in match["unit"]  # 一年半后, 一个半月后
    sign = -1 if match["dir"] == "前" else 1
    if sign > 0 and _after_an_event_told(match, before):  # 上市7天后: a length after that event
        return _Resolved(f"P{amount}.5{unit}" if half else f"P{amount}{unit}", "duration")
    if half:  # counted in the half's unit: 18 months, 45 days
        extra, unit = _HALF_OFFSETS[unit]
        amount = amount * (12 if unit == "M" else 30) + extra
    if unit == "Y" and sign > 0 and before.date:
        return _date(before.date.year + amount)  # 2015年开工，两年后建成: after the last date mentioned
    if unit == "M" and sign > 0 and before.date:
        if not before.month:
            return _UNRESOLVED  # 2015年开工，半年后建成: a month of 2015 or 2016, not the reference's
        index = before.date.year * 12 + before.date.month - 1 + amount  # 2014年3月开班，半年后结业
        return _date(index // 12, index % 12 + 1)
    if unit in "DW" and sign > 0 and before.day:  # 2月20日出发，3天后抵达
        return _day(before.day + timedelta(days=amount * (7 if unit == "W" else 1)))
    if reference is None or unit in "DW" and reference.day is None or unit == "M" and reference.month is None:
        return _UNRESOLVED
    if unit in "DW":
        days = amount * (7 if unit == "W" else 1)
        return _day(_reference_day(reference) + timedelta(days=sign * days))
    if unit == "M":
        index = reference.year * 12 + reference.month - 1 + sign * amount
        return _date(index // 12, index % 12 + 1)
    return _date(reference.year + sign * amount)


def _duration(match: regex.Match, reference: ReferenceDate | None, before: _Before) -> _Resolved | None:
    """A length of time; a range of lengths (5至6天, 两三天) has its low end's."""
    unit = match["unit"]
    written = match["low"] or match["num"]
    if "." in written:  # 1.5小时, 1.5至2小时: ISO 8601 allows a fraction
        fraction = Decimal(written)
        if not fraction:
            return None
        designator = _table()["duration_units"][unit]
        length = f"{fraction.normalize():f}"
        return _Resolved(f"PT{length}H" if designator == "H" else f"P{length}{designator}", "duration")
    vague = parse_vague(match["num"]) if match["low"] is None else None
    amount = int(vague[0]) if vague else _int(written)
    if not amount:
        return None
    if match["num2"]:
        return _length_in_two_units(amount, _table()["duration_units"][unit], match)
    if unit == "年" and not (match["low"] or match["mid"] or match["more"] or match["since"]) \
            and (republic := _republic_year(amount, before)):
        return republic  # 较107年, in a text of Taiwan's
    half = match["more"] == "半" or "半" in unit  # 一年半, 两个半小时
    length = f"{amount}.5" if half else str(amount)  # ISO 8601 allows a fraction
    designator = _table()["duration_units"][unit]
    return _Resolved(f"PT{length}H" if designator == "H" else f"P{length}{designator}", "duration")


def _length_in_two_units(amount: int, designator: str, match: regex.Match) -> _Resolved | None:
    """Years and months (三年六个月: P3Y6M), or hours, minutes and seconds (2小时01分09秒: PT2H1M9S)."""
    second, seconds = _int(match["num2"]), _int(match["num3"]) if match["num3"] else 0
    if designator == "Y" and match["unit2"].endswith("月") and second:
        return _Resolved(f"P{amount}Y{second}M", "duration")
    if designator == "H" and match["unit2"].startswith("分") and second is not None and second < 60 \
            and seconds is not None and seconds < 60:
        minutes_seconds = (f"{second}M" if second else "") + (f"{seconds}S" if seconds else "")
        return _Resolved(f"PT{amount}H{minutes_seconds}", "duration")
    return None  # 3天5分钟: no length of these two units


_RESOLVERS: dict[str, Callable] = {
    "absolute": _absolute, "edge_day": _edge_day, "first_month": _first_month, "span": _span_of_years, "relative": _relative, "anaphoric": _anaphoric,
    "anaphoric_month": _anaphoric_month, "anaphoric_day": _anaphoric_day, "day_range": _day_range, "month_range": _month_range, "first_months": _first_months, "era": _era,
    "decade": _decade, "weekday": _weekday, "nth_weekday": _nth_weekday, "week": _week, "holiday": _holiday, "lunar_day": _lunar_day, "lunar_month": _lunar_month, "lunar_range": _lunar_range, "pair": _pair, "plan": _plan,
    "offset": _offset, "duration": _duration}


def _find(text: str, reference: ReferenceDate | None,
          word_end: Callable[[int, int], int] | None = None) -> list[_Found]:
    """Every date of the text; `word_end(start, end)` is where a match should end so as not
    to cut the word its last characters begin: the rule matches again up to there, and
    the match stays whole when it cannot (春节|前夕, 19世纪|末)."""
    found = []
    before = _Before()
    for rule, match in ruleset.find_longest(ruleset.load("dates.yaml"), text):
        cut = word_end(match.start(), match.end()) if word_end else match.end()
        if cut < match.end():
            match = rule.pattern.match(text, match.start(), cut) or match
        listed = rule.data.get("list")
        for start, end, item in _list_items(match, listed) if listed else ((match.start(), match.end(), match),):
            resolved = _RESOLVERS[rule.data["resolve"]](item, reference, before)
            if resolved is None:
                continue
            if resolved.kind == "date" and resolved.start is not None and resolved.anchors:
                before = _Before(resolved.start, resolved.start if len(resolved.value) == 10 else before.day,
                                 end, len(resolved.value) >= 7, before.republic or resolved.republic,
                                 bool(_SINCE.match(text, end)))
            found.append(_Found(rule.id, start, end, resolved))
    return found


class _ListItem:
    """A match of a list rule read as one number of its list (the 7 of 2018年7、8月): the
    resolvers read the rule's groups as they are, but the list's group holds that number."""

    def __init__(self, match: regex.Match, index: int, number: str) -> None:
        self.match, self.index, self.number = match, index, number
        self.re, self.string = match.re, match.string

    def start(self) -> int:
        return self.match.start()

    def end(self) -> int:
        return self.match.end()

    def group(self, index: int) -> str | None:
        return self.number if index == self.index else self.match.group(index)

    def groups(self) -> tuple[str | None, ...]:
        values = list(self.match.groups())
        values[self.index - 1] = self.number
        return tuple(values)

    def __getitem__(self, name: str) -> str | None:
        return self.group(self.re.groupindex[name])


def _list_items(match: regex.Match, name: str) -> Iterator[tuple[int, int, _ListItem]]:
    """Each number of the list in group `name` (7、8), with its span: the first takes what
    the list's match has before it (2018年7), the last what it has after it (8月)."""
    index = match.re.groupindex[name]
    position, numbers = match.start(index), match.group(index).split(_LIST_SEPARATOR)
    for order, number in enumerate(numbers):
        start = match.start() if order == 0 else position
        end = match.end() if order == len(numbers) - 1 else position + len(number)
        yield start, end, _ListItem(match, index, number)
        position += len(number) + len(_LIST_SEPARATOR)


# Joining: two neighbouring dates become one mention (rules/date_ranges.yaml).

_NAMED_DAY_RULES = ("dates.weekday", "dates.holiday", "dates.holiday_of_year")
_SYMBOLS = {"day": "◆", "named_day": "◇"}


def _inherit(final: _Resolved, first: _Resolved, chronological: bool = True) -> _Resolved | None:
    """The second date with the fields it borrowed from the reference taken from the first one.

    In a range (chronological) the second end may fall in the next year: 12月28日至1月3日. A bare
    weekday is the first on or after the first date (下周一至周三); a holiday is found again in
    the year (2019年春节和元宵节), a part of a year keeps its months (2018年初至年底).
    """
    if not final.borrowed:
        return final
    if final.borrowed == _WEEK_BORROWED:  # 下周一至周三: the weekday on or after the first date
        return _day(first.start + timedelta(days=(final.start.isoweekday() - first.start.isoweekday()) % 7))
    month = first.start.month if final.borrowed == 2 and len(first.value) >= 7 else final.start.month
    day = final.start.day if len(final.value) == 10 else None
    for year in (first.start.year, first.start.year + 1) if chronological else (first.start.year,):
        if final.holiday:
            on = _holiday_on(final.holiday, year)
            moved = _day(on) if on else None
        elif len(final.value) == 4:
            moved = _date(year, months=(final.start.month, final.end.month))
        else:
            moved = _date(year, month if len(final.value) >= 7 else None, day)
        if moved is not None and (moved.end >= first.start or not chronological):
            return moved
    return None


def _join_range(first: _Found, final: _Found) -> tuple[_Resolved, ...] | None:
    ended = _inherit(final.resolved, first.resolved)
    if ended is not None and ended.value == first.resolved.value and ended.end >= first.resolved.start:
        # 一季度至三季度, 2018年初至年底: parts of one year, which is the value (the span in start and end)
        return (_Resolved(first.resolved.value, "date", first.resolved.start, ended.end),)
    period = _period(first.resolved, ended) if ended is not None else None
    return (period,) if period is not None else None


def _join_list(first: _Found, final: _Found) -> tuple[_Resolved, ...] | None:
    if first.resolved.borrowed >= final.resolved.borrowed:  # nothing written in the first to inherit
        return None
    ended = _inherit(final.resolved, first.resolved, chronological=False)
    return (first.resolved, ended) if ended is not None else None


def _join_same_day(first: _Found, final: _Found) -> tuple[_Resolved, ...] | None:
    """The date beside a weekday or holiday; a holiday only when it falls on that date (国庆节，10月8日 are two)."""
    named, written = (first, final) if first.rule in _NAMED_DAY_RULES else (final, first)
    if named.rule == "dates.weekday":
        return (_on_weekday(written.resolved, named.resolved.start.isoweekday()),)
    if named.resolved.value[4:] != written.resolved.value[4:]:
        return None
    return (written.resolved,)


def _on_weekday(written: _Resolved, weekday: int) -> _Resolved:
    """A day whose year the text did not write, in the year next to it where it falls on the weekday
    written beside it (2月4日（星期日） in a holiday schedule of December 2023: 2024); as it is when
    it falls on it in its own year, or in neither."""
    if written.borrowed != 1 or len(written.value) != 10 or written.start.isoweekday() == weekday:
        return written
    for year in (written.start.year + 1, written.start.year - 1):
        if not (written.start.month == 2 and written.start.day == 29) \
                and written.start.replace(year=year).isoweekday() == weekday:
            return _day(written.start.replace(year=year), borrowed=1)
    return written


def _join_same_weekday(first: _Found, final: _Found) -> tuple[_Resolved, ...] | None:
    """The date beside a weekday that it falls on (a holiday beside its date is a mention of
    its own, as both are right: 2月5日，大年初一)."""
    named, written = (first, final) if first.rule in _NAMED_DAY_RULES else (final, first)
    if named.rule != "dates.weekday" or named.resolved.start.isoweekday() != written.resolved.start.isoweekday():
        return None
    return (written.resolved,)


# A join returns one mention for the two dates, or the two dates again (a list: 5月和10月).
_JOINS: dict[str, Callable] = {"range": _join_range, "same_day": _join_same_day, "same_weekday": _join_same_weekday,
                               "list": _join_list}


@ruleset.cached
def _join_gap() -> re.Pattern | None:
    """Any run of the characters the rules of date_ranges.yaml read (`windows.reach`); None
    where some rule's are not known."""
    reaches = [windows.reach(rule.pattern) for rule in ruleset.load("date_ranges.yaml")]
    if None in reaches:
        return None
    return re.compile(windows.standard_class(frozenset().union(*(reached.alphabet for reached in reaches))) + "*")


def _joined(rules: tuple[ruleset.Rule, ...], text: str, found: list[_Found],
            gap: re.Pattern | None = None) -> list[_Found]:
    """`found` with every pair of dates that a join rule matches replaced by one mention.

    The join rules read a skeleton of the text where each resolved date is one symbol.
    A match joins two neighbouring dates and reads every character between them: where
    `gap` (a run of the characters the rules read) spans no stretch between two
    neighbouring dates, no rule joins any (in 225 of the 246 of 300 news articles with
    two dates or more), and the skeleton is not made.
    """
    joinable = [index for index, item in enumerate(found)
                if item.resolved.kind == "date" and item.resolved.start is not None]
    if len(joinable) < 2:
        return found
    if gap is not None and not any(gap.fullmatch(text, found[first].end, found[final].start)
                                   for first, final in zip(joinable, joinable[1:])):
        return found
    pieces, starts, symbol_at = [], [], {}  # skeleton text; where each date's symbol stands; which date
    shift, position = 0, 0  # skeleton offset minus text offset, up to `position` in the text
    offsets = [(0, 0)]  # (skeleton offset, text offset) where each stretch of copied text starts
    for index in joinable:
        item = found[index]
        pieces.append(text[position:item.start])
        at = item.start + shift
        pieces.append(_SYMBOLS["named_day" if item.rule in _NAMED_DAY_RULES else "day"])
        symbol_at[at] = index
        starts.append(at)
        shift += 1 - (item.end - item.start)
        position = item.end
        offsets.append((position + shift, position))
    pieces.append(text[position:])
    skeleton = "".join(pieces)

    def text_start(at: int) -> int:
        if at in symbol_at:
            return found[symbol_at[at]].start
        sk, tx = offsets[bisect.bisect_right([o[0] for o in offsets], at) - 1]
        return tx + at - sk

    def text_end(at: int) -> int:  # `at` is the skeleton offset of the last character
        if at in symbol_at:
            return found[symbol_at[at]].end
        return text_start(at) + 1

    found = list(found)
    merged: dict[int, _Found | None] = {}  # index -> the mention it became, None for a second end
    for rule, matches in zip(rules, ruleset.find_overlapping(rules, skeleton), strict=True):
        for match in matches:
            members = [symbol_at[at] for at in starts[bisect.bisect_left(starts, match.start()):
                                                      bisect.bisect_left(starts, match.end())]]
            if len(members) != 2 or any(member in merged for member in members):
                continue
            first, final = found[members[0]], found[members[1]]
            resolved = _JOINS[rule.data["join"]](first, final)
            if resolved is None:
                continue
            if len(resolved) == 2:  # each keeps its own span; the second now in the first's year
                found[members[1]] = _Found(final.rule, final.start, final.end, resolved[1])
                continue
            merged[members[0]] = _Found(rule.id, text_start(match.start()), text_end(match.end() - 1), resolved[0])
            merged[members[1]] = None
    return [merged.get(index, item) for index, item in enumerate(found) if merged.get(index, item) is not None]


_EXAMPLE_REFERENCE = ReferenceDate(2025, 6, 15)


def joins(rule: ruleset.Rule, text: str) -> bool:
    """Whether `rule` of date_ranges.yaml changes the dates found in `text` (for checking its phrases)."""
    found = _find(text, _EXAMPLE_REFERENCE)
    return _joined((rule,), text, found) != found


_TIME_UNITS = "年月日号天周时点分秒"  # what a date or time ends its number with

# a number goes on to the left of a match that starts after one of these (几十年, 一百八十三天)
_NUMERAL_BEFORE = frozenset("0123456789" + CN_DIGITS + CN_UNITS + "几数")


def _cuts_a_word(segmented: Segmented, start: int, end: int) -> bool:
    """Whether a date found at `[start, end)` begins inside a word jieba found and is no
    date there: a number that goes on to the left (几十年 read as 十年, 一百八十三天 as
    八十三天), or a date word that cuts a person's name (周天|宇, 王重阳, 张黎明|天), or
    whose first character belongs to a word the match runs out of (目前|年 is no 前年, 如今|年
    no 今年). A preposition jieba glues to what follows (比上|年, 至今|年6月) cuts nothing.
    """
    text = segmented.text
    last = segmented.token_at(end - 1)
    if last.tag.startswith("nr") and last.end == end + 1 and text[start] not in _NUMERAL_BEFORE:
        return True  # 周天|宇: a name's first characters (jieba's guessed names run longer: 今天上午)
    word = segmented.token_at(start)
    if word.idx == start:
        return False
    if text[start - 1] in _NUMERAL_BEFORE:
        return True
    if text[start] in _NUMERAL_BEFORE or text[word.idx:start] in _table()["glued_before"]:
        return False  # a number starts here; or 比, 从, 至 glued to it
    if text[word.end:word.end + 1] in ("（", "("):
        return False  # 今（3）日 after a name jieba glued 今 to (柯文|哲今|（): the bracket parts them
    return word.tag.startswith("nr") or end > word.end


def _word_end(segmented: Segmented) -> Callable[[int, int], int]:
    """Where a date from `start` to `end` must end: before a word of jieba's that begins
    inside it, after its unit, and runs on past it, whose first characters it took for a
    part of a period (2019年中|国: 2019年; 今年初|步: 今年). A word that begins with the
    unit itself cuts nothing (1月31|日电, 2000|年前, 40|年里: jieba glues the unit on)."""
    text = segmented.text

    def end_at(start: int, end: int) -> int:
        last = segmented.token_at(end - 1)
        cut = start < last.idx and last.end > end and text[last.idx] not in _TIME_UNITS
        return last.idx if cut else end
    return end_at


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    text = segmented.text
    found = [item for item in _find(text, _now_of_text(text, context.reference_date), _word_end(segmented))
             if not _cuts_a_word(segmented, item.start, item.end)]
    found = _joined(ruleset.load("date_ranges.yaml"), text, found, _join_gap())
    return [Mention("dates", text[item.start:item.end], item.start, item.end, item.rule, {
        "value": item.resolved.value, "kind": item.resolved.kind,
        "start_date": item.resolved.start.isoformat() if item.resolved.start else "",
        "end_date": item.resolved.end.isoformat() if item.resolved.end else "",
        "resolved": item.resolved.resolved}) for item in found]
_DATELINE = regex.compile(r"(?<![\d.])((?:19|20)\d\d)[年\-/.](1[0-2]|0?[1-9])[月\-/.](3[01]|[12]\d|0?[1-9])")
_YEAR = regex.compile(r"(?<![\d.到至])((?:19|20)\d\d)年(?!前|目标|远景)")
_LEAD_MONTH_DAY = regex.compile(r"(?m)^[ \t]*(1[0-2]|[1-9])月(3[01]|[12]\d|[1-9])日")
_LEAD = 300  # a dateline or byline stands in the first few lines


# a dispatch's dateline (本报北京1月31日电, 新华社南京四日电, 本报天津九日讯): the day it was filed
_DATELINE_DAY = regex.compile(
    r"(?<![\d〇零一二三四五六七八九十廿卅每当次同])(?:(?P<m>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月)?"
    r"(?P<d>3[01]|[12]\d|[1-9]|[一二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九])"
    r"日(?:电|讯)(?![量费力网视器价表话脑])")
_DATELINE_LAG = 7  # days a dispatch may be filed before the paper prints it (a weekly's)


def _now_of_text(text: str, reference: ReferenceDate | None) -> ReferenceDate | None:
    """The day the text speaks from: a dispatch's dateline a few days before the reference date,
    where its 今天, 昨日 and 今年 count from (本报北京1月31日电 …… 证监会今天宣布, printed on 1
    February: 31 January), else the reference date.

    >>> _now_of_text("本报北京1月31日电  证监会今天宣布", ReferenceDate(2019, 2, 1)).iso
    '2019-01-31'
    >>> _now_of_text("新华社南京三十一日电  今天", ReferenceDate(2019, 1, 1)).iso
    '2018-12-31'
    >>> _now_of_text("本报北京2月1日电  今天", ReferenceDate(2019, 2, 1)).iso
    '2019-02-01'
    """
    if reference is None or reference.day is None:
        return reference
    dateline = _DATELINE_DAY.search(text, 0, _LEAD)
    if not dateline:
        return reference
    day, month = _int(dateline["d"]), _int(dateline["m"]) if dateline["m"] else None
    published = _reference_day(reference)
    for lag in range(1, _DATELINE_LAG + 1):
        filed = published - timedelta(days=lag)
        if filed.day == day and month in (None, filed.month):
            return ReferenceDate(filed.year, filed.month, filed.day, "dateline")
    return reference


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
