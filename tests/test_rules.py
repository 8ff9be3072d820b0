"""Every rule file loads, and every rule matches its own examples (the loader checks them)."""
from __future__ import annotations

from importlib import resources

import pytest
import regex
import yaml

from pipeline import ruleset

from .conftest import CASES, ROOT, SAMPLES


def _holds_rules(name: str) -> bool:
    content = ruleset.read_yaml(name)
    return isinstance(content, list) or "rules" in content


RULE_FILES = sorted(p.name for p in resources.files("pipeline.rules").iterdir()
                    if p.name.endswith(".yaml") and _holds_rules(p.name))


@pytest.mark.parametrize("name", RULE_FILES)
def test_rules_load_and_match_their_examples(name):
    rules = ruleset.load(name)
    assert rules
    assert all(rule.id.split(".")[0] == name.split(".")[0] for rule in rules)


@pytest.mark.parametrize("name", sorted(p.name for p in resources.files("pipeline.rules").iterdir()
                                        if p.name.endswith((".yaml", ".txt"))))
def test_rules_files_start_with_their_source(name):
    first = resources.files("pipeline.rules").joinpath(name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Source:")


def test_rules_a_broken_example_fails_loudly():
    rule = ruleset.Rule("money.broken", "a test", __import__("regex").compile("元"),
                        {"examples": {"match": ["美元"], "no_match": ["元"]}})
    with pytest.raises(ruleset.RuleError, match="should not match"):
        ruleset.check_examples(rule, lambda r, text: r.pattern.search(text) is not None)


# from _GUARDED_BRANCHES first characters on, a rule's word list tests them first: it must match as the words do
_MANY_WORDS = [chr(0x4E00 + index) + "元" for index in range(40)] + ["一", "一元钱", "丁"]


@pytest.mark.parametrize("text", ["一元钱", "一元", "一", "丁元丁", "x丁元", "七元八", "元", "x"])
def test_rules_an_alternation_of_many_words_matches_as_the_words_do(text):
    guarded = ruleset._rule_alternation(_MANY_WORDS)
    assert "(?=[" in guarded
    plain = "(?:" + "|".join(map(regex.escape, sorted(_MANY_WORDS, key=len, reverse=True))) + ")"
    for suffix in ("", "?", "元?", "+"):  # the check of first characters stays inside the group a quantifier repeats
        found = [m.span() for m in regex.finditer(f"x?{guarded}{suffix}", text)]
        assert found == [m.span() for m in regex.finditer(f"x?{plain}{suffix}", text)]


@pytest.mark.parametrize("piece", ["NUM", "MULT"])
def test_rules_number_chars_hold_every_character_a_number_consumes(piece):
    """{UNIT_AHEAD} and {CUR_AHEAD} look past {NUMBER_CHARS} for a unit: a character a number
    may consume and {NUMBER_CHARS} lacks would lose the counts and amounts that hold it."""
    from pipeline import windows
    from pipeline.extractors.numbers import NUMBER_CHARS, PLACEHOLDERS

    number_chars = regex.compile(f"[{NUMBER_CHARS}]")
    for member in windows.reach(regex.compile(PLACEHOLDERS[piece])).alphabet:
        if member == r"\d":
            assert member in NUMBER_CHARS
        else:
            assert number_chars.fullmatch(member.lstrip("\\")), member


NEWS = ROOT.parent / "shared" / "corpora" / "news" / "peoples_daily_2019-02.jsonl"


def _texts_of(rules_file: str) -> list[str]:
    """The extractor's cases, the samples and, where ../shared is beside the repository, 300 news articles."""
    import json

    cases = yaml.safe_load((CASES / rules_file).read_text(encoding="utf-8"))
    texts = [case["text"] for section in cases.values() for case in section or ()]
    texts += [path.read_text(encoding="utf-8") for path in SAMPLES]
    if NEWS.exists():
        with NEWS.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for _, line in zip(range(300), lines)]
    return texts


@pytest.mark.parametrize("name", ["counts.yaml", "money.yaml"])
def test_rules_a_look_ahead_fragment_only_saves_work(tmp_path, name):
    """A `*_AHEAD` fragment (UNIT_AHEAD, CUR_AHEAD) lets the regex engine leave a number with no
    unit or currency ahead at once; it must never cost a match. A rule's author who lets a
    new kind of character stand between the number and its unit must widen it: with every
    such fragment emptied, each rule finds the same matches."""
    source = ruleset.rule_file(name).read_text(encoding="utf-8")
    emptied, count = regex.subn(r"(?m)^(\s+\w+_AHEAD:).*$", r"\1 ''", source)
    assert count, f"{name} has no look-ahead fragment"
    (tmp_path / name).write_text(emptied, encoding="utf-8")
    texts = _texts_of(name)
    for rule in ruleset.load(name):
        texts += [*rule.data["examples"]["match"], *rule.data["examples"]["no_match"]]
    try:
        ruleset.use_folder(tmp_path)
        without = ruleset.load(name)
    finally:
        ruleset.use_folder(None)
    with_fragment = ruleset.load(name)
    assert any(fast.pattern.pattern != plain.pattern.pattern for fast, plain in zip(with_fragment, without))
    for fast, plain in zip(with_fragment, without, strict=True):
        for text in texts:
            assert [m.span() for m in fast.pattern.finditer(text)] == \
                [m.span() for m in plain.pattern.finditer(text)], (fast.id, text[:80])
