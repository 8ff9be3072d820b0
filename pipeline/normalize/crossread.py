"""Chinese text decoded with the wrong charset, line by line: Big5 read as GBK, GBK read as
Big5 (`repair`), and UTF-8, GBK or Big5 read with a charset of another script (`reread`).

A Taiwan or Hong Kong page in Big5 that a client reads as GBK or GB18030 (the page
names no charset, or the wrong one) turns into kana, Cyrillic, rare characters and
private-use ones: Big5 keeps its commonest characters at A4xx and A5xx, where GBK has
the kana. A GBK page read as Big5 turns into traditional characters that make no words.
Both codecs pair a lead byte 0x81 to 0xFE with a trail byte, so the bytes come back
whole but where the wrong decoder had no character for a pair: Python's decoders then
give one `�` for the lead byte alone and read on from the trail byte (a Big5 trail byte
0x40 to 0x7E becomes an ASCII letter, `，` becomes `�A`), out of step until a byte
below 0x80 stands where they look for a lead.

The repair works line by line. A text with no four uncommon characters within eight is
left alone: that costs one numpy look-up over the text (`CharClass`), so clean text
pays almost nothing; in any other text, so is a line whose characters are mostly common.
Each other line is turned back into the bytes the wrong decoder read
(a `�` is one byte, one of those the decoder could not pair with the byte after it),
read with the other codec, and the likeliest reading of the unknown bytes is chosen by
character frequency and the words characters make; the reading replaces the line when
it is far more natural per character than the line and makes words as real text does
(a line of Japanese kana or of Cyrillic reads as common characters in Big5 too, but
as characters that make no words).

A charset detector's guess or another locale's default reads a Chinese page with a
charset of another script as often: chardet takes GBK for windows-1251 or KOI8-R, a
Japanese or Korean system reads UTF-8 as Shift_JIS or EUC-KR. Each byte or pair then
becomes a letter of that script, so the bytes come back whole from the line (a `�`
stands for a byte lost, and the character it was in stays lost); `reread` decodes them
as UTF-8, GB18030 and Big5 and keeps the reading that passes the same test, made
stricter: its characters must be as common as news's and of no other script. It runs
first of the charset repairs: these charsets share letters with windows-1252 (« » ° ±),
which the others would read in pieces. Shift_JIS, which loses bytes, is left to the
repairs that weigh a lost byte with the characters around: charset.py's for UTF-8,
`repair` for GBK and Big5 (it pairs bytes as they do).
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .charfreq import log_frequency
from .charset import lost_leads
from .codepoints import CharClass, code_points
from .mojibake import MOST_WORD_BONUS, begins_word, gbk_bytes, pair_bonus, triple_bonus
from .offsets import Edit
from .script import traditional_to_simplified_chars

_LOST = "\ufffd"
_COMMON = -12.0  # log-probability from which a character counts as common (some 4,700 of the CJK block)
_MARKS = "，。、“”：；？！（）《》…—·‘’【】「」『』〈〉～"  # Chinese marks, commonest first
_MARK = -5.0  # the commonest mark (，): likelier than any character but the commonest few
_OTHER = -14.0  # kana, Cyrillic, box drawing, private use: rare in Chinese news
_LOST_BYTE = -12.0  # a byte the wrong decoder could not read, or a pair the right one cannot
_SUSPECT_LEAST = 4  # uncommon characters a line needs before it is read again
# and a text, that many within so many characters: a misread line holds many such clusters,
# a clean text seldom one (five of 1,653 articles of news); the gate that spares clean text
_CLUSTER = 8
# and their share of the line's characters that are not ASCII: three in four in a misread
# line (one in two for one in a hundred), one in twenty for one line of news in a hundred
_SUSPECT_SHARE = 0.4
_MARGIN = 4.0  # log-probability per character by which a reading must beat the line
# pairs of Chinese characters of a reading that must make a word: in a line of news,
# half of them (three in ten for one line in twenty); in common characters at random, none
_WORD_SHARE = 0.12
# what an ideographic space earns at the start of a line (there it indents a paragraph),
# and a mark that ends a sentence at its end
_INDENT = 2.0
_PARAGRAPH_ENDS = "。！？”…）"
_FOREIGN_SHARE = 0.1  # characters of other scripts a reading may hold: a name, a unit, a symbol
# what a reading's characters score on average at least: a line of news -6.8 (one in a hundred
# below -8.3); the bytes of a line of Greek, Russian or Japanese decoded as Chinese, -9 and below
_MEAN_CHARACTER = -9.0
_NEWS_CHARACTER = -8.0  # above it, the characters of most lines of news
_PATHS = 8  # readings kept while unknown bytes are chosen
_CANDIDATES = 64  # likeliest characters weighed for a pair with an unknown byte


class _Misread(NamedTuple):
    wrong: str  # the codec that read the line
    right: str  # the codec the bytes are in


# GB18030 reads every pair GBK leaves unassigned (as private-use characters), so a Big5 page
# read by it keeps step; gbk_bytes gives the bytes of both decoders' characters. Shift_JIS
# pairs a lead with a trail byte as both do
_MISREADS = (_Misread("gbk", "big5"), _Misread("big5", "gbk"), _Misread("shift_jis", "gbk"),
             _Misread("shift_jis", "big5"))
# the other charsets a page's bytes are read with (a charset detector's guess, a browser's or
# a client's default of another locale: chardet takes GBK for windows-1251 or KOI8-R, a
# Japanese or Korean system reads UTF-8 as Shift_JIS or EUC-KR), each byte or pair a
# character, so the bytes come back whole but for a `�`. Windows-1252 and Latin-1 are
# charset.py's; the other Latin ones (windows-1250, Mac Roman) share most of their letters,
# which those repairs read first
_READERS = ("cp1251", "koi8_r", "iso8859_5", "cp866", "mac_cyrillic", "cp1253", "cp1255", "tis_620",
            "shift_jis", "euc_jp", "euc_kr")
_PAGE_CHARSETS = ("utf-8", "gb18030", "big5")
# read back where the bytes lost are weighed with the characters around: span by span by
# charset.py, line by line by `repair`
_REPAIRED_ELSEWHERE = frozenset({("shift_jis", "utf-8"), ("shift_jis", "gb18030"), ("shift_jis", "big5")})


@lru_cache(maxsize=1)
def _common() -> CharClass:
    """ASCII, Chinese marks and common characters (their traditional forms too): what a
    line that needs no repair is made of."""
    chars = [chr(code) for code in range(0x4E00, 0xA000) if log_frequency(chr(code)) >= _COMMON]
    return CharClass([chr(code) for code in range(0x80)] + list(_MARKS) + ["\u3000", "\xa0"] + chars)


def _to_bytes(char: str, codec: str) -> bytes | None:
    if char < "\x80":
        return char.encode("ascii")
    if codec == "gbk":
        return gbk_bytes(char)
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        return None


def _char_score(char: str) -> float:
    """How likely a character is in Chinese news (a traditional form as its simplified one)."""
    if "\u3400" <= char <= "\u9fff":
        return log_frequency(char)
    if char < "\x80":
        return 0.0
    if char == _LOST:
        return _LOST_BYTE
    if char == "\u3000":  # it indents every paragraph of a Chinese page
        return _MARK
    rank = _MARKS.find(char)
    return _MARK - 0.1 * rank if rank >= 0 else _OTHER


def _foreign(char: str) -> bool:
    """Whether a character is of another script than Chinese text's (not ASCII, a Chinese
    character, mark, full-width form, ideographic or no-break space, or a lost byte)."""
    return not (char < "\x80" or "\u3400" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f"
                or "\uff00" <= char <= "\uffef" or char in _MARKS or char == _LOST or char == "\xa0")


def _text_score(text: str) -> tuple[float, int, int]:
    """(score of the characters and the words they make, Chinese character pairs, those that
    make a word)."""
    simplified = traditional_to_simplified_chars(text)
    score = sum(map(_char_score, simplified))
    pairs = words = 0
    for first, second in zip(simplified, simplified[1:]):
        if "\u3400" <= first <= "\u9fff" and "\u3400" <= second <= "\u9fff":
            pairs += 1
            bonus = pair_bonus(first, second)
            words += bonus > 0
            score += bonus
    return score, pairs, words


@lru_cache(maxsize=4096)
def _options(misread: _Misread, lead: int | None, trail: int | tuple[int, ...]) -> tuple[tuple[float, str], ...]:
    """The characters the right codec reads from a lead and a trail byte, likeliest first.
    An unknown lead (None) is one the wrong codec could not pair with the trail; an
    unknown trail is given as the bytes it may be."""
    lost = lost_leads(misread.wrong)
    found = set()
    for second in trail if isinstance(trail, tuple) else (trail,):
        for first in lost[second] if lead is None else (lead,):
            try:
                char = bytes((first, second)).decode(misread.right)
            except UnicodeDecodeError:
                continue
            if len(char) == 1:
                found.add((_char_score(traditional_to_simplified_chars(char)), char))
    return tuple(sorted(found, reverse=True)[:_CANDIDATES])


def _stream(line: str, misread: _Misread) -> list[int | None] | None:
    """The bytes the wrong decoder read as `line`, None for an unknown byte (a `�`); None
    when a character is none of its readings."""
    stream: list[int | None] = []
    for char in line:
        if char == _LOST:
            stream.append(None)
            continue
        encoded = _to_bytes(char, misread.wrong)
        if encoded is None or len(encoded) > 2:
            return None
        stream.extend(encoded)
    return stream


def _unknown_byte(stream: list[int | None], k: int, lost: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    """The bytes the unknown `k`th of the stream may be: one the wrong codec could not pair
    with the byte after it (when that one is unknown too, with any it may be; past two
    unknown bytes, any byte 0x80 or above)."""
    after = stream[k + 1] if k + 1 < len(stream) else None
    if after is not None:
        return lost[after]
    after_next = stream[k + 2] if k + 2 < len(stream) else None
    if k + 1 < len(stream) and after_next is not None:
        return tuple(sorted(set().union(*(lost[byte] for byte in lost[after_next]))))
    return tuple(range(0x80, 0x100))


def _units(stream: list[int | None], misread: _Misread) -> tuple[list[tuple[tuple[float, str], ...]], list[bool]]:
    """The characters the right codec reads from the stream, each as its options (score, char),
    and whether each is a guess from two unknown bytes."""
    lost = lost_leads(misread.wrong)
    units: list[tuple[tuple[float, str], ...]] = []
    guessed: list[bool] = []
    k = 0
    while k < len(stream):
        lead = stream[k]
        if lead is not None and lead < 0x80:
            units.append(((0.0, chr(lead)),))
            guessed.append(False)
            k += 1
            continue
        trail = stream[k + 1] if k + 1 < len(stream) else 0
        if trail is None:
            trail = _unknown_byte(stream, k + 1, lost)
        options = _options(misread, lead, trail) if isinstance(trail, tuple) or trail >= 0x40 else ()
        if options:
            units.append(options)
            guessed.append(lead is None and stream[k + 1] is None)
            k += 2
        else:  # the right codec cannot read the pair either: as its decoder does, one byte lost
            units.append(((_LOST_BYTE, _LOST),))
            guessed.append(False)
            k += 1
    return units, guessed


def _best_reading(units: list[tuple[tuple[float, str], ...]]) -> str:
    """The likeliest reading of the units, weighing the words each chosen character makes
    with the one or two before (下半年 over 下在年) and, where it is known, the one after
    (a narrow beam would drop a character whose word only the next one completes)."""
    if all(len(options) == 1 for options in units):  # no unknown byte (most lines): one path
        return "".join(options[0][1] for options in units)
    paths = [(0.0, "", "")]  # (score, text, its last two characters simplified)
    for k, options in enumerate(units):
        after = traditional_to_simplified_chars(units[k + 1][0][1]) \
            if len(options) > 1 and k + 1 < len(units) and len(units[k + 1]) == 1 else ""
        heads = [(total, text, tail, begins_word(tail[-2:-1], tail[-1:])) for total, text, tail in paths]
        indenting = not paths[0][1].strip("\u3000")  # nothing but indentation before (on the best reading)
        grown = []
        for score, char in options:
            simplified = traditional_to_simplified_chars(char)
            if after:
                score += pair_bonus(simplified, after)
            if char == "\u3000" and indenting or k + 1 == len(units) and char in _PARAGRAPH_ENDS:
                score += _INDENT
            grown.extend((total + score + pair_bonus(tail[-1:], simplified)
                          + (triple_bonus(tail[-2:-1], tail[-1:], simplified) if opens else 0.0),
                          text + char, tail[-1:] + simplified)
                         for total, text, tail, opens in heads)
        paths = sorted(grown, reverse=True)[:_PATHS] if len(grown) > 1 else grown
    return max(paths)[1]


def _most_score(units: list[tuple[tuple[float, str], ...]], guessed: list[bool]) -> float:
    """What `_repair_line` scores a reading of the units at the most: the likeliest character
    of each unit (a guessed one as the two bytes lost), every pair of characters a word, and
    a unit more for the rounding of the sums (added up in another order)."""
    score = 1.0
    wide_before = False
    for options, guess in zip(units, guessed):
        wide = options[0][1] >= "\x80"
        score += 2 * _LOST_BYTE if guess else options[0][0]
        if wide and wide_before:
            score += MOST_WORD_BONUS
        wide_before = wide
    return score


def _rereadings(line: str):
    """The line's bytes as each of _READERS read them, decoded as each charset Chinese
    pages are in (a `�` is the one byte the reader has no character for, windows-1251's
    0x98; where it has several or reads pairs, a byte lost: 0xFF, which none of the
    charsets reads, stands for it, and the character it was in comes back as `�`)."""
    pieces = line.split(_LOST)
    for wrong in _READERS:
        try:
            data = _hole(wrong).join(piece.encode(wrong) for piece in pieces)
        except UnicodeEncodeError:
            continue  # a character this codec never gives: it did not read the line
        for right in _PAGE_CHARSETS:
            if (wrong, right) not in _REPAIRED_ELSEWHERE:
                yield data.decode(right, "replace")


@lru_cache(maxsize=None)
def _hole(codec: str) -> bytes:
    """The byte a `�` of `codec` stands for: the one byte it reads no character from, when
    it has only one (a codec of pairs has a lead byte alone for each); else 0xFF, a byte lost."""
    holes = [byte for byte in range(0x100) if bytes((byte,)).decode(codec, "replace") == _LOST]
    return bytes(holes) if len(holes) == 1 else b"\xff"


def _reread_line(line: str) -> str | None:
    """The line's bytes decoded as the charset its page is in, when one of the other
    charsets read them and that reads far more naturally."""
    readings = list(_rereadings(line))
    if not readings:  # no other charset gives its characters (most lines of Chinese)
        return None
    damaged, _, _ = _text_score(line)
    best = None
    for reading in readings:
        score, pairs, words = _text_score(reading)
        characters = sum(1 for char in reading if char >= "\x80")
        # a reading in Chinese: characters that make words, few of another script (the bytes
        # of a line of Russian read as GB18030 are fewer characters, but of every script)
        foreign = sum(map(_foreign, reading))
        # the characters alone, without the words they make or the bytes lost
        kept = traditional_to_simplified_chars(reading.replace(_LOST, ""))
        mean = sum(map(_char_score, kept)) / max(sum(1 for char in kept if char >= "\x80"), 1)
        # characters as common as news holds are enough; a little rarer ones must make words
        if (characters and score - damaged >= _MARGIN * characters and foreign <= _FOREIGN_SHARE * characters
                and (mean >= _NEWS_CHARACTER or mean >= _MEAN_CHARACTER and words >= _WORD_SHARE * pairs)
                and (best is None or score > best[0])):
            best = (score, reading)
    return best[1] if best else None


def _repair_line(line: str) -> str | None:
    """The line read with the other codec, when that reads far more naturally."""
    streams = [(misread, stream) for misread in _MISREADS if (stream := _stream(line, misread)) is not None]
    if not streams:  # no codec of the misreads gives its characters
        return None
    damaged, _, _ = _text_score(line)
    best = None
    for misread, stream in streams:
        units, guessed = _units(stream, misread)
        # (a unit's options are all ASCII or all not)
        characters = sum(1 for options in units if options[0][1] >= "\x80")
        # most lines are not text of the codec that reads them: even the likeliest character
        # of each unit, every pair of them a word, reads no better than the line
        if _most_score(units, guessed) - damaged < _MARGIN * characters:
            continue
        reading = _best_reading(units)
        # a character guessed from two unknown bytes is no evidence: it scores as the two `�`
        # it replaces (else a run of `�` would read as invented common words)
        score, pairs, words = _text_score("".join(_LOST if guess else char for char, guess in zip(reading, guessed)))
        score += _LOST_BYTE * sum(guessed)
        if (characters and score - damaged >= _MARGIN * characters and words >= _WORD_SHARE * pairs
                and (best is None or score > best[0])):
            best = (score, reading)
    return best[1] if best else None


def repair(text: str) -> list[Edit]:
    """Edits restoring lines of Big5 read as GBK or GB18030 and of GBK read as Big5.

    >>> from .offsets import apply_edits
    >>> damaged = "中國經濟穩定發展，市場信心持續增強。".encode("big5").decode("gbk", "replace")
    >>> apply_edits(damaged, repair(damaged))[0]
    '中國經濟穩定發展，市場信心持續增強。'
    >>> damaged = "中国经济稳定发展，市场信心持续增强。".encode("gbk").decode("big5", "replace")
    >>> apply_edits(damaged, repair(damaged))[0]
    '中国经济稳定发展，市场信心持续增强。'
    >>> repair("东京的街头写着ありがとうございます，一位Иванов先生也来了。")
    []
    """
    return _repair_suspect_lines(text, _repair_line)


def reread(text: str) -> list[Edit]:
    """Edits restoring lines of UTF-8, GBK or Big5 read with one of the other charsets
    (_READERS: Cyrillic, Greek, Hebrew, Thai, Japanese and Korean ones).

    >>> from .offsets import apply_edits
    >>> damaged = "国务院部署稳就业措施。".encode("utf-8").decode("cp1251")
    >>> damaged, apply_edits(damaged, reread(damaged))[0]
    ('е›ЅеЉЎй™ўйѓЁзЅІзЁіе°±дёљжЋЄж–ЅгЂ‚', '国务院部署稳就业措施。')
    >>> damaged = "国务院部署稳就业措施。".encode("gbk").decode("koi8_r")
    >>> apply_edits(damaged, reread(damaged))[0]
    '国务院部署稳就业措施。'
    >>> reread("莫斯科的街头写着Добро пожаловать，一位Иванов先生也来了。")
    []
    """
    return _repair_suspect_lines(text, _reread_line)


def _repair_suspect_lines(text: str, repair_line) -> list[Edit]:
    """Edits replacing the lines that look misread (see the module's docstring) by what
    `repair_line` makes of them, where it makes anything."""
    lines = _suspect_lines(text)
    if lines is None:
        return []
    starts, ends, suspect, suspects = lines
    edits = _repair_lines(text, starts, ends, suspect & (suspects >= _SUSPECT_LEAST), repair_line)
    if edits:  # a page is read with one codec: its short lines were misread too
        repaired = np.isin(starts, [edit.start for edit in edits])
        edits = sorted(edits + _repair_lines(text, starts, ends, suspect & (suspects > 0) & ~repaired, repair_line))
    return edits


# `reread` and `repair` mostly see the same text (neither, nor the repair between them, edited it)
@lru_cache(maxsize=1)
def _suspect_lines(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Per line: where it starts and ends, whether it looks misread and its uncommon
    characters; None for a text with no cluster of uncommon characters."""
    codes = code_points(text)
    uncommon = ~_common().mask(codes)
    found = np.flatnonzero(uncommon)  # a few in clean text
    if len(found) < _SUSPECT_LEAST or not (found[_SUSPECT_LEAST - 1:] - found[:1 - _SUSPECT_LEAST] < _CLUSTER).any():
        return None
    # per line: its uncommon characters and those not ASCII, counted by where the line's
    # bounds fall among their positions (cumulative sums over the whole text cost a fifth more)
    breaks = np.flatnonzero(codes == 0x0A)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(text)]])
    bounds = np.concatenate([starts, ends])
    uncommon_before = np.searchsorted(found, bounds)
    ascii_before = np.searchsorted(np.flatnonzero(codes < 0x80), bounds)
    lines = len(starts)
    suspects = uncommon_before[lines:] - uncommon_before[:lines]
    wide = ends - starts - (ascii_before[lines:] - ascii_before[:lines])
    suspect = suspects >= _SUSPECT_SHARE * wide
    return starts, ends, suspect, suspects


def _repair_lines(text: str, starts: np.ndarray, ends: np.ndarray, chosen: np.ndarray, repair_line) -> list[Edit]:
    """Edits restoring the chosen lines that `repair_line` reads far more naturally."""
    edits = []
    for start, end in zip(starts[chosen].tolist(), ends[chosen].tolist()):
        repaired = repair_line(text[start:end])
        if repaired is not None:
            edits.append(Edit(start, end, repaired))
    return edits
