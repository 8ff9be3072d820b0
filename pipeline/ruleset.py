"""Load rule files from pipeline/rules/ and check each rule against its own examples.

A rule file is a YAML list of rules; every rule has an `id`, a one-line `why`, and
examples that must and must not match. `load` compiles the patterns once and raises
`RuleError` on the first rule whose examples disagree with its pattern, so a broken
rule fails at import and in the tests, never silently at run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    id: str
    why: str
    pattern: regex.Pattern
    data: dict[str, Any] = field(default_factory=dict)  # every other field of the rule


def _alternation(words) -> str:
    return "(?:" + "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def placeholders() -> dict[str, str]:
    """Named pieces a pattern may use as {NAME}: numerals, hedges, currencies."""
    from .extractors.numbers import PLACEHOLDERS

    pieces = dict(PLACEHOLDERS)
    for name, words in read_yaml("quantities.yaml").items():
        pieces[name] = _alternation(words)
    currencies = read_yaml("currencies.yaml")
    pieces["CUR"] = _alternation(currencies["words"])
    pieces["SYM"] = _alternation(currencies["symbols"])
    return pieces


def expand(pattern: str, local: dict[str, str] | None = None) -> str:
    for name, piece in {**placeholders(), **(local or {})}.items():
        pattern = pattern.replace("{" + name + "}", piece)
    return pattern


def _compile(rule_id: str, pattern: str, local: dict[str, str]) -> regex.Pattern:
    try:
        return regex.compile(expand(pattern, local), regex.VERBOSE if "\n" in pattern else 0)
    except regex.error as error:
        raise RuleError(f"{rule_id}: pattern does not compile: {error}") from error


def check_examples(rule: Rule, search) -> None:
    examples = rule.data.get("examples") or {}
    if not examples.get("match") or "no_match" not in examples:
        raise RuleError(f"{rule.id}: needs examples with at least one `match` and a `no_match` list")
    for text in examples["match"]:
        if not search(rule, text):
            raise RuleError(f"{rule.id}: example {text!r} should match")
    for text in examples["no_match"]:
        if search(rule, text):
            raise RuleError(f"{rule.id}: example {text!r} should not match")


def _pattern_search(rule: Rule, text: str) -> bool:
    return rule.pattern.search(text) is not None


def read_yaml(name: str) -> Any:
    with resources.files("pipeline.rules").joinpath(name).open(encoding="utf-8") as source:
        return yaml.safe_load(source)


@lru_cache(maxsize=None)
def load(name: str, search=_pattern_search) -> tuple[Rule, ...]:
    """The rules of `pipeline/rules/<name>`, compiled and checked.

    A rule file is a list of rules, or a mapping with the rules under `rules`; then
    every other word list or word mapping in it can be used by its patterns as
    {NAME} (the key upper-cased), longest word first: `units` becomes {UNITS}.
    """
    content = read_yaml(name)
    local: dict[str, str] = {}
    if isinstance(content, dict):
        local = {key.upper(): _alternation(words) for key, words in content.items()
                 if key != "rules" and isinstance(words, (list, dict))}
        content = content["rules"]
    rules = []
    seen = set()
    for entry in content:
        rule_id = entry.get("id", "")
        if not rule_id or rule_id in seen or not entry.get("why") or "pattern" not in entry:
            raise RuleError(f"{name}: every rule needs a unique `id`, a `why` and a `pattern` ({rule_id!r})")
        seen.add(rule_id)
        data = {k: v for k, v in entry.items() if k not in ("id", "why", "pattern")}
        rule = Rule(rule_id, entry["why"], _compile(rule_id, entry["pattern"], local), data)
        check_examples(rule, search)
        rules.append(rule)
    return tuple(rules)


def reload() -> None:
    """Forget loaded rules, so an edited rule file takes effect (for notebooks)."""
    load.cache_clear()
    placeholders.cache_clear()
