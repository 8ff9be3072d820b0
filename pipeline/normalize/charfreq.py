"""How common a Chinese character is: the score that tells a good reading from mojibake."""
from __future__ import annotations

import math

from .. import ruleset
from .script import traditional_to_simplified_table

_UNSEEN = -16.0  # log-probability of a character jieba's dictionary never uses


@ruleset.cached
def _table() -> dict[str, float]:
    """Log-probability of each character; a traditional form has its simplified form's (one
    look-up: the repairs ask hundreds of thousands of times per thousand damaged articles)."""
    counts = {char: int(count) for char, count in ruleset.rows("char_frequency.txt")}
    total = sum(counts.values())
    table = {char: math.log(count / total) for char, count in counts.items()}
    for traditional, simplified in traditional_to_simplified_table().items():
        if chr(traditional) not in table and simplified in table:
            table[chr(traditional)] = table[simplified]
    return table


def log_frequency(char: str) -> float:
    """Log-probability of a character, traditional forms scored as their simplified form.

    >>> log_frequency("的") > log_frequency("濉") > log_frequency("\\ue000")
    True
    >>> log_frequency("濉") == log_frequency("\ue000")
    False
    >>> log_frequency("傳") == log_frequency("传")
    True
    """
    return _table().get(char, _UNSEEN)


def commonness(text: str) -> float:
    """Mean log-probability of the CJK characters of a text (the higher, the more natural)."""
    scores = [log_frequency(ch) for ch in text if "\u3400" <= ch <= "\u9fff" or "\ue000" <= ch <= "\uf8ff"]
    return sum(scores) / len(scores) if scores else _UNSEEN
