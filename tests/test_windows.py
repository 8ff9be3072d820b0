"""Scanning only the windows where a rule can match finds exactly what scanning the
whole text finds: on every rule's examples, the extractor cases, and random text
made of their pieces (pipeline/windows.py)."""
from __future__ import annotations

import random
import pytest
import regex

from pipeline import ruleset, windows

from .conftest import CASES, load_cases

RULE_FILES = ["money.yaml", "counts.yaml", "dates.yaml", "organizations.yaml", "date_ranges.yaml"]
_NOISE = list("的是在了和与及年月日号元万亿个人名次天周前后今明去本上下第每近约超《》“”，。、；：（）\n 　0123456789一二三四五六七八九十百千")


def _texts(name: str) -> list[str]:
    texts = []
    for rule in ruleset.load(name):
        examples = rule.data.get("examples") or {}
        texts += examples.get("match", []) + examples.get("no_match", [])
    if (CASES / name).is_file():
        texts += [case.values[0]["text"] for case in load_cases(name)]
    return texts


def _random_texts(pieces: list[str], count: int, seed: int) -> list[str]:
    """Pieces and noise run together, so that windows start and end everywhere."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            parts.append("".join(rng.choice(_NOISE) for _ in range(rng.randint(0, 40))))
            piece = rng.choice(pieces)
            start = rng.randint(0, len(piece))
            parts.append(piece[start:start + rng.randint(1, 30)] if rng.random() < 0.3 else piece)
        texts.append("".join(parts))
    return texts


def _spans(matches) -> list:
    return [(m.span(), [m.span(group) for group in range(len(m.groups()) + 1)]) for m in matches]


@pytest.mark.parametrize("name", ["money.yaml", "counts.yaml", "dates.yaml", "date_ranges.yaml"])
def test_windows_are_known_for_every_numeric_rule(name):
    """A rule whose windows are unknown is scanned over whole texts: a conditional group once
    left money.yuan_jiao_fen so, and the money stage took 2.6 times its CPU. (Two older rules of
    organizations.yaml have none, and are left as they are.)"""
    assert [rule.id for rule in ruleset.load(name) if windows.reach(rule.pattern) is None] == []


@pytest.mark.parametrize("name", RULE_FILES)
def test_windows_find_what_the_whole_text_finds(name):
    patterns = [rule.pattern for rule in ruleset.load(name)]
    # never falling back to the whole text, so that every text is scanned by windows
    scanner = windows.Scanner(patterns, windows_only=True)
    texts = _texts(name)
    for text in texts + _random_texts(texts, 400, seed=len(name)):
        found = scanner.finditer(text)
        for pattern, matches in zip(patterns, found, strict=True):
            assert _spans(matches) == _spans(pattern.finditer(text)), (pattern.pattern, text)


def test_windows_find_what_the_whole_text_finds_overlapped():
    # dates join neighbouring dates with every match of the joining rules, overlapping ones too
    patterns = [rule.pattern for rule in ruleset.load("date_ranges.yaml")]
    scanner = windows.Scanner(patterns, windows_only=True, overlapped=True)
    texts = _texts("date_ranges.yaml")
    for text in texts + _random_texts(texts, 400, seed=1):
        found = scanner.finditer(text)
        for pattern, matches in zip(patterns, found, strict=True):
            assert _spans(matches) == _spans(pattern.finditer(text, overlapped=True)), (pattern.pattern, text)


def test_windows_leave_unmodelled_patterns_to_the_whole_text():
    assert windows.reach(regex.compile(r"[^，]+公司")) is None  # negated class consumed
    assert windows.reach(regex.compile(r"(\d)\1")) is None  # numbered back reference
    assert windows.reach(regex.compile(r"\d*")) is None  # may match nothing
    assert windows.reach(regex.compile(r"(?:公司){e<=1}")) is None  # fuzzy matching
    assert windows.reach(regex.compile(r"[[:digit:]]+个")) is None  # a POSIX class
    found = windows.reach(regex.compile(r"(?<!第)\d+个(?!月)"))
    assert found.triggers == frozenset({"个"}) and found.margin == 1


def test_windows_read_a_named_back_reference_as_its_group():
    pattern = regex.compile(r"(?P<unit>[个人])(?:至|到)\d+(?P=unit)")
    found = windows.reach(pattern)
    assert found.triggers == frozenset({"至", "到"}) and found.alphabet == frozenset({"个", "人", "至", "到", "\\d"})
    scanner = windows.Scanner([pattern], windows_only=True)
    text = "3个至5个，3个至5人，7人到9人"
    found = scanner.finditer(text)[0]
    assert _spans(found) == _spans(pattern.finditer(text)) and [m.group() for m in found] == ["个至5个", "人到9人"]


def test_windows_trigger_shared_by_the_branches_of_an_alternation():
    # each branch's own rarest character would be its first: together they are commoner than 年
    assert windows.reach(regex.compile(r"(?:今|去|明|前|后)年")).triggers == frozenset({"年"})
    assert windows.reach(regex.compile(r"\d+(?:美元|日元|欧元|英镑)")).triggers == frozenset({"元", "镑"})


def test_windows_open_none_for_a_run_without_a_second_trigger():
    # every match consumes a currency word and a digit: the run 日元 holds no digit, so no match
    pattern = regex.compile(r"\d+(?:美元|日元)")
    found = windows.reach(pattern)
    assert found.triggers == frozenset({"元"}) and found.second_triggers == frozenset({"\\d"})
    assert windows.reach(regex.compile(r"年|月")).second_triggers is None  # one character a match consumes
    scanner = windows.Scanner([pattern], windows_only=True)
    text = "日元走强，美国3美元"
    assert scanner.groups[0].windows(text, text[::-1], [1, 9]) == [(7, 10)]
    assert [m.group() for m in scanner.finditer(text)[0]] == ["3美元"]


@pytest.mark.parametrize("windows_seconds, whole_seconds, cheaper, documents_between", [
    (0.001, 0.001, True, 100),  # a tie: windows, and both ways again after a hundred documents
    (0.001, 0.009, True, 900),  # the losing way costs nine times the winning one: nine times as seldom
    (0.009, 0.001, False, 900),
    (0.001, 1.0, True, 10_000),  # however lopsided, both ways again after ten thousand
    (0.0, 0.0, True, 10_000),
], ids=["tie", "windows cheaper", "whole cheaper", "lopsided", "no time"])
def test_windows_retry_both_ways_the_more_seldom_the_more_the_loser_cost(
        windows_seconds, whole_seconds, cheaper, documents_between):
    group = windows.Scanner([regex.compile(r"\d+个")]).groups[0]
    for _ in range(windows._TRIALS):
        assert group.way() is None  # the first documents: both ways, timed
        group.compared(windows_seconds, whole_seconds)
    assert [group.way() for _ in range(documents_between)] == [cheaper] * documents_between
    assert group.way() is None


@pytest.mark.parametrize("text", [
    "日元走强，美国3美元", "3美元至5美元", "3美元，到5日元", "至3美元", "美元到",
], ids=["no range word", "a range", "a range word, no range", "a range word first", "no digit"])
def test_windows_skip_a_rule_whose_own_second_triggers_stand_in_no_window(text):
    # both rules look for 元 and share their windows; only the range holds 至 or 到, so it is
    # not scanned where the windows hold neither
    amount = regex.compile(r"\d+(?:美元|日元)")
    amount_range = regex.compile(r"\d+(?:美元|日元)[至到]\d+(?:美元|日元)")
    scanner = windows.Scanner([amount, amount_range], windows_only=True)
    assert [second is not None for second in scanner.groups[0].rule_second_triggers] == [True, True]
    expected = [_spans(pattern.finditer(text)) for pattern in (amount, amount_range)]
    assert [_spans(matches) for matches in scanner.finditer(text)] == expected
