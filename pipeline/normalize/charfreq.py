"""How common a Chinese character is: the score that tells a good reading from mojibake."""
from __future__ import annotations

import math

from .. import ruleset
from .script import traditional_to_simplified_chars

_UNSEEN = -16.0  # log-probability of a character jieba's dictionary never uses


@ruleset.cached
def _table() -> dict[str, float]:
    counts = {char: int(count) for char, count in ruleset.rows("char_frequency.txt")}
    total = sum(counts.values())
    return {char: math.log(count / total) for char, count in counts.items()}


def log_frequency(char: str) -> float:
    """Log-probability of a character, traditional forms scored as their simplified form.

    >>> log_frequency("的") > log_frequency("濉") > log_frequency("\\ue000")
    True
    >>> log_frequency("濉") == log_frequency("\ue000")
    False
    """
    table = _table()
    score = table.get(char)
    if score is None:
        score = table.get(traditional_to_simplified_chars(char), _UNSEEN)
    return score


def commonness(text: str) -> float:
    """Mean log-probability of the CJK characters of a text (the higher, the more natural)."""
    scores = [log_frequency(ch) for ch in text if "\u3400" <= ch <= "\u9fff" or "\ue000" <= ch <= "\uf8ff"]
    return sum(scores) / len(scores) if scores else _UNSEEN
