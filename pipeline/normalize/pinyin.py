"""Pinyin annotations after characters: `網(wǎng)` becomes `網`.

A parenthesis goes only when it holds one pinyin syllable that pypinyin gives as a
reading of the character before it, so `(CNY)`, `(2021)`, `(试行)` and `(an)`
after a character that is not read `an` all stay.
"""
from __future__ import annotations

from functools import lru_cache

import regex
from pypinyin import Style, pinyin

from .offsets import Edit

_SYLLABLE = r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}"
# a layout wrap (one space or line break) may fall before, inside or after the syllable;
# the pattern starts at the parenthesis, which the engine finds by a fast scan (started
# at the character before, it would try every Chinese character of the text)
ANNOTATION = regex.compile(r"(?<=(?P<char>\p{Han})[ \n]?)[(（](?P<syllable>[ \n]?" + _SYLLABLE
                            + r"(?:[ \n]" + _SYLLABLE + r")?[ \n]?)[)）]")


@lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """Tone-marked and plain readings of a character.

    >>> sorted(readings("網"))
    ['wang', 'wǎng']
    """
    marked = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")
    plain = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(r for group in marked + plain for r in group)


def is_reading(char: str, syllable: str) -> bool:
    return syllable.lower().replace("v", "ü") in readings(char)


def remove_annotations(text: str) -> list[Edit]:
    """Edits that drop each annotation that is a reading of the character before it.

    >>> remove_annotations("網(wǎng)站和人民币(CNY)与(an)，發 (f ā)展")
    [Edit(start=1, end=7, replacement=''), Edit(start=24, end=30, replacement='')]
    >>> remove_annotations("办法(试行)")
    []
    """
    return [Edit(m.end("char"), m.end(), "") for m in ANNOTATION.finditer(text)
            if is_reading(m.group("char"), "".join(m.group("syllable").split()))]
