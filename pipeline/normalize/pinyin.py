"""Pinyin and zhuyin annotations after characters: `網(wǎng)`, `網[wǎng]` and `網(ㄨㄤˇ)` become `網`.

A parenthesis goes only when it holds one pinyin syllable, or one zhuyin (bopomofo)
syllable as Taiwan's texts write readings, that pypinyin gives as a reading of the
character before it, so `(CNY)`, `(2021)`, `(试行)` and `(an)`
after a character that is not read `an` all stay. The syllable may carry its tone as a
number (`都(du1)`, as dictionaries write it), and a syllable with a tone mark may stand
without brackets right after its character (`網wǎng站`: a ruby's reading, flattened into
the line when a page's markup went).
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex
from pypinyin import Style, pinyin

from .offsets import Edit

TONE_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"  # pinyin's letters with a tone mark
ZHUYIN_TONES = "ˊˇˋ˙"  # zhuyin's tone marks (the first tone has none; the light tone may lead)
_SYLLABLE = rf"(?:[a-zA-Z{TONE_MARKED}üê]{{1,7}}[1-5]?|˙?[\u3105-\u312F\u31A0-\u31BF]{{1,4}}[{ZHUYIN_TONES}]?)"
# a layout wrap (one space or line break) may fall before, inside or after the syllable, and
# two damages may each have annotated the character (推進(jìn)(jìn));
# the pattern starts at the parenthesis, which the engine finds by a fast scan (started
# at the character before, it would try every Chinese character of the text)
ANNOTATION = regex.compile(r"(?<=(?P<char>\p{Han})(?:[(（\[【]" + _SYLLABLE + r"[)）\]】])*[ \n]?)[(（\[【](?P<syllable>[ \n]?" + _SYLLABLE
                           + r"(?:[ \n]" + _SYLLABLE + r")?[ \n]?)[)）\]】]")
# runs of pinyin's letters, for a syllable with a tone mark right after a Chinese character and
# no other Latin letter or digit after it (a `re` class, scanned at C speed: a pattern that starts
# by looking behind for the character cost the damaged half's normalization 2%)
_LETTERS = re.compile(f"[a-zü{TONE_MARKED}]+")
_ANY_TONE_MARK = re.compile(f"[{TONE_MARKED}]")  # most texts hold none: flattened readings are looked for in the others


@lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """Tone-marked and plain readings of a character, in pinyin and in zhuyin.

    >>> sorted(readings("網"))
    ['wang', 'wǎng', 'ㄨㄤ', 'ㄨㄤˇ']
    """
    marked = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")
    plain = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    zhuyin = pinyin(char, style=Style.BOPOMOFO, heteronym=True, errors="ignore")
    # pypinyin writes the light tone last (ㄉㄜ˙); texts write it first as often (˙ㄉㄜ)
    zhuyin_toneless = [[r.rstrip(ZHUYIN_TONES) for r in group] for group in zhuyin]
    return frozenset(r for group in marked + plain + zhuyin + zhuyin_toneless for r in group)


def is_reading(char: str, syllable: str) -> bool:
    found = readings(char)
    return syllable.lower().replace("v", "ü").rstrip("12345") in found \
        or syllable.startswith("˙") and syllable[1:] in found  # a light tone written first


def remove_annotations(text: str) -> list[Edit]:
    """Edits that drop each annotation that is a reading of the character before it.

    >>> remove_annotations("網(wǎng)站和人民币(CNY)与(an)，發 (f ā)展")
    [Edit(start=1, end=7, replacement=''), Edit(start=24, end=30, replacement='')]
    >>> remove_annotations("办法(试行)")
    []
    >>> remove_annotations("城市[shì]和附件[an]")
    [Edit(start=2, end=7, replacement='')]
    >>> remove_annotations("推進(jìn)(jìn)")
    [Edit(start=2, end=7, replacement=''), Edit(start=7, end=12, replacement='')]
    >>> remove_annotations("誰(ㄕㄨㄟˊ)執(ㄓˊ)法，的(˙ㄉㄜ)，法(ㄕㄨㄟˊ)")
    [Edit(start=1, end=7, replacement=''), Edit(start=8, end=12, replacement=''), Edit(start=15, end=20, replacement='')]
    >>> remove_annotations("大家都(du1)会，創chuàng新和Nǐ hǎo")
    [Edit(start=3, end=8, replacement=''), Edit(start=11, end=17, replacement='')]
    """
    # from the character on, with the wrap before the bracket; after an annotation before it, from the bracket
    edits = [Edit(m.start() if text[m.end("char"):m.start()].strip() else m.end("char"), m.end(), "")
             for m in ANNOTATION.finditer(text) if is_reading(m.group("char"), "".join(m.group("syllable").split()))]
    if _ANY_TONE_MARK.search(text):
        edits = sorted(edits + [Edit(m.start(), m.end(), "") for m in _LETTERS.finditer(text) if _flattened(text, m)])
    return edits


def _flattened(text: str, letters: re.Match) -> bool:
    """Whether a run of pinyin's letters is the reading of the Chinese character right before it."""
    start, end = letters.span()
    return start > 0 and "\u3400" <= text[start - 1] <= "\u9fff" \
        and _ANY_TONE_MARK.search(letters.group()) is not None \
        and not (end < len(text) and (text[end].isascii() and text[end].isalnum() or text[end] in "êÊ")) \
        and is_reading(text[start - 1], letters.group())
