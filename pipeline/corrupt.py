"""Damage clean text the way scraped Chinese news is damaged, reproducibly.

For tests and benchmarks of the normalization chain: every mechanism of
../shared/notes/damage.md, each switchable, driven by a seeded random generator.
The GBK path replays the byte-level damage: traditional characters, pinyin
annotations appended by a byte replace (which also matches across two
characters), stray bytes inserted after lead bytes, a lenient decode and a
full-width fold.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from opencc import OpenCC
from pypinyin import Style, pinyin

# the characters whose GBK bytes got annotated in the wild (damage.md)
ANNOTATED = "區業發產態優質網農環現養經醫鄉創聯數驅續協據調轉內統鎮節執"


@dataclass(frozen=True)
class Damage:
    gbk: bool = True  # traditional + pinyin byte replace + stray bytes + lenient decode + fold
    html: bool = True  # inline tags left in the text
    pdf: bool = True  # line-wrap spaces inside words and around numbers
    wide: bool = True  # full-width digits
    stray_bytes: int = 1  # stray bytes after lead bytes, per 1,000 characters (000_… has 4 in 3,367)


def lenient_gbk_decode(data: bytes) -> str:
    """The decoder that made the damage: `?` for a lead byte before a byte below 0x40
    (which it swallows), unassigned pairs dropped, ASCII resynchronizes."""
    out = []
    index = 0
    while index < len(data):
        lead = data[index]
        if lead < 0x80:
            out.append(chr(lead))
            index += 1
            continue
        if index + 1 >= len(data) or data[index + 1] < 0x40:
            out.append("?")
            index += 2
            continue
        try:
            out.append(data[index:index + 2].decode("gbk"))
        except UnicodeDecodeError:
            pass
        index += 2
    return "".join(out)


def fold_width(text: str) -> str:
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in text)


def _gbk_damage(text: str, rng: random.Random, stray_per_1000: int) -> str:
    traditional = OpenCC("s2t").convert(text)
    data = traditional.encode("gbk", errors="ignore")
    for char in ANNOTATED:
        reading = pinyin(char, style=Style.TONE)[0][0]
        key = char.encode("gbk")
        data = data.replace(key, key + f"({reading})".encode("gbk"))
    # stray bytes, each right after the lead byte of a two-byte character
    leads, index = [], 0
    while index < len(data):
        if data[index] >= 0x81:
            leads.append(index)
            index += 2
        else:
            index += 1
    count = min(len(leads), len(text) * stray_per_1000 // 1000)
    for position in sorted(rng.sample(leads, count), reverse=True):
        data = data[:position + 1] + bytes([rng.randrange(0x01, 0x20)]) + data[position + 1:]
    return fold_width(lenient_gbk_decode(data))


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _pdf_damage(text: str, rng: random.Random) -> str:
    """Spaces where PDF lines wrapped (between two Chinese characters) and around
    digit runs set in a Latin font (資金 1365 萬元)."""
    out = []
    column = 0
    for index, char in enumerate(text):
        previous = text[index - 1] if index else ""
        following = text[index + 1] if index + 1 < len(text) else ""
        if char.isdigit() and _is_han(previous):
            out.append(" ")
        out.append(char)
        if char.isdigit() and _is_han(following):
            out.append(" ")
        column = 0 if char == "\n" else column + 1
        if column >= rng.randint(18, 24) and _is_han(char) and _is_han(following):
            out.append(" ")
            column = 0
    return "".join(out)


def _html_damage(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if len(line) > 12 and rng.random() < 0.3:
            cut = rng.randrange(2, len(line) - 2)
            lines[number] = f"<strong>{line[:cut]}</strong>{line[cut:]}"
    return "\n".join(lines)


def _wide_damage(text: str, rng: random.Random) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() and rng.random() < 0.3 else ch for ch in text)


def corrupt(text: str, seed: int = 0, damage: Damage = Damage()) -> str:
    """Clean simplified text, damaged with the chosen mechanisms.

    >>> corrupt("资金1365万元", seed=1, damage=Damage(gbk=False, html=False, wide=False))
    '资金 1365 万元'
    """
    rng = random.Random(seed)
    if damage.wide:
        text = _wide_damage(text, rng)
    if damage.gbk:
        text = _gbk_damage(text, rng, damage.stray_bytes)
    if damage.html:
        text = _html_damage(text, rng)
    if damage.pdf:
        text = _pdf_damage(text, rng)
    return text
