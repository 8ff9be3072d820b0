"""UTF-8 text read with the wrong charset (GBK, windows-1252), repaired span by span.

A page or a fragment of one stored in UTF-8 but decoded as GBK turns every three
bytes of a Chinese character into one and a half GBK characters (`涓枃` for 中文),
and a byte the GBK decoder cannot pair into U+FFFD (one `�` a byte); decoded as
windows-1252 each byte becomes a Latin letter or mark (`æ—¥æœ¬` for 日本). The
damaged span sits inside correctly decoded text, so the repair works within the
line: from each character that a UTF-8 lead byte could have become, it turns the
characters back into the bytes the wrong decoder read (a `�` is one unknown byte),
reads them as UTF-8, and keeps the longest reading that ends on a character
boundary and reads far more naturally than the damage. A space inside a
character's bytes is a layout wrap and goes with the repair, unless the bytes after
it do not go on with the character: then it is the character's byte A0, which
windows-1252 reads as a no-break space and HTML's `&nbsp;` or a scraper's white space
left a plain one (`ä¹ è¿‘å¹³` for 习近平). An unknown byte is
filled by the likeliest character the known bytes allow (by frequency and by the
word it makes with the character before), and counted as lossy.

A lenient GBK decoder (damage.md) leaves no `�`: it drops a pair it has no character
for, and gives one `?` for a lead byte and the byte below 0x40 after it. In UTF-8 text
a pair is a character's last byte and the next one's lead, or a character's last two
bytes, so a drop shows where the bytes stop making UTF-8 (a continuation byte where a
lead should be, or the reverse): the pair is put back as unknown bytes of the kinds GBK
has no pair for. A `?` where a character wants its last byte is that byte, and the
ASCII byte after it (a digit, a space, a `<`) is lost; two pairs dropped in a row lose a
character, whose mojibake the reading drops. Each such assumption costs the reading,
so that rare characters of clean text do not read as lost pairs.

The cost is in proportion to the damage: only characters a UTF-8 lead byte can
become start a reading (a few rare ones in clean text), and a reading stops at the
first byte that is not UTF-8.
"""
from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from functools import lru_cache
from typing import Callable, NamedTuple

import regex

from .charfreq import log_frequency
from .mojibake import begins_word, gbk_bytes, pair_bonus, triple_bonus
from .codepoints import CharClass
from .offsets import Edit
from .pinyin import TONE_MARKED
from .script import traditional_to_simplified_chars

_LOST = "\ufffd"
_LOST_RUN = regex.compile(_LOST + "+")
_MARGIN = 4.0  # log-probability per repaired character by which a reading must beat the damage
# what a reading pays for each byte or pair it assumes a lenient decoder lost: clean text holds
# rare characters that a lost pair would make UTF-8 of (娴“ as 浪衰 when AA E8 was dropped)
_LENIENT_LOSS = -4.0
_WRAP = " \t\n\u3000"
_ASCII_IN_REPAIR = -10.0  # a Latin letter the bytes of a repair give: as unlikely as a rare character
_IDEOGRAPHIC_SPACE = -6.0


def _cp1252_table() -> dict[str, int]:
    table = {chr(byte): byte for byte in range(0x100)}  # Latin-1, and windows-1252's holes read as it
    table.update((char, byte) for byte in range(0x80, 0xA0) if (char := bytes([byte]).decode("cp1252", "ignore")))
    return table


_CP1252_BYTES = _cp1252_table()


def _cp1252_byte(char: str) -> int | None:
    """The byte windows-1252, as browsers read it (its holes as Latin-1), turns into `char`.

    >>> _cp1252_byte("æ"), _cp1252_byte("—"), _cp1252_byte("\x81"), _cp1252_byte("中")
    (230, 151, 129, None)
    """
    return _CP1252_BYTES.get(char)


class _Codec(NamedTuple):
    name: str
    starts: CharClass  # characters a UTF-8 lead byte of a 3-byte sequence can become
    to_bytes: object  # character -> the bytes the wrong decoder read, or None
    # the byte after a `�` (None when not known) -> the bytes the `�` can stand for: those
    # the decoder has no character for there
    lost: object
    # what a text this codec misread shows, when its readings are common characters too
    shows: regex.Pattern | None = None
    # whether a lenient decoder of it may have read the text (damage.md): a pair it has no
    # character for dropped without a trace, and a lead byte before a byte below 0x40 one `?`
    lenient: bool = False


@lru_cache(maxsize=None)
def lost_leads(decoder: str) -> tuple[tuple[int, ...], ...]:
    """For each byte, the bytes Python's `decoder` turns into `�` alone when that byte
    follows them (it then reads on from the byte after), in order: for GBK 0x80, 0xFF and
    the leads it cannot pair with the byte (below 0x40, 0x7F, 0xFF, or a user-defined or
    unassigned cell). GB18030 reads most of those cells as characters, and so loses a
    subset of these bytes. (The codec's own function: 32,768 decodings by name took twice the time.)"""
    decode = codecs.getdecoder(decoder)
    return tuple(tuple(lead for lead in range(0x80, 0x100) if decode(bytes((lead, after)), "replace")[0][0] == _LOST)
                 for after in range(0x100))


def _gbk_lost(after: int | None) -> tuple[int, ...]:
    """The bytes a `�` of Python's GBK decoder can stand for: 0x80 or 0xFF, or a lead byte
    that the byte after it (when known) cannot end a pair with."""
    return tuple(range(0x80, 0x100)) if after is None else lost_leads("gbk")[after]


def _utf8_lead_readings(encode: Callable[[str], bytes | None], decoders: tuple[str, ...]) -> CharClass:
    """The characters `encode` writes as a pair of bytes that open a 3-byte UTF-8
    character (a lead byte E3 to EF, then a continuation byte): what the 832 such pairs
    decode to, kept where they encode back to such a pair (every such character is the
    decoding of its own pair; encoding all 65,000 characters of the plane instead took
    a fifth of a second of every process's start).

    >>> _utf8_lead_readings(gbk_bytes, ("gbk",)).positions("作家鎺㈣")  # 鎺 is E6 8E, of 探 in UTF-8
    [2]
    """
    pairs = [bytes((lead, after)) for lead in range(0xE3, 0xF0) for after in range(0x80, 0xC0)]
    read = {pair.decode(decoder, "ignore") for pair in pairs for decoder in decoders}
    return CharClass(char for char in read if len(char) == 1 and 0x80 <= ord(char) < 0x10000
                     and (encoded := encode(char)) and len(encoded) == 2
                     and 0xE3 <= encoded[0] <= 0xEF and 0x80 <= encoded[1] <= 0xBF)


@lru_cache(maxsize=None)
def _codecs() -> tuple[_Codec, ...]:
    # GB18030 reads pairs GBK leaves unassigned, and gbk_bytes gives their bytes too
    gbk_starts = _utf8_lead_readings(gbk_bytes, ("gbk", "gb18030"))
    cp1252_starts = CharClass(bytes([b]).decode("latin-1") for b in range(0xE3, 0xF0))
    # windows-1252 reads every byte but five (0x81, 0x8D, 0x8F, 0x90, 0x9D): only these become `�`
    cp1252_holes = tuple(byte for byte in range(0x80, 0xA0) if not bytes([byte]).decode("cp1252", "ignore"))
    # Shift_JIS, a Japanese system's default (Excel there opens a UTF-8 file as it): its pairs
    # for kanji take a UTF-8 lead byte first; a continuation byte is a half-width kana or a lead
    sjis_starts = _utf8_lead_readings(_sjis_bytes, ("shift_jis",))
    return (
        _Codec("gbk", gbk_starts, gbk_bytes, _gbk_lost, lenient=True),
        # its readings hold common Chinese characters: only a text with half-width kana (every
        # continuation byte alone, none in Chinese text) is read back
        _Codec("shift_jis", sjis_starts, _sjis_bytes,
               lambda after: tuple(range(0x80, 0x100)) if after is None else lost_leads("shift_jis")[after],
               regex.compile("[\uff61-\uff9f]")),
        _Codec("windows-1252", cp1252_starts,
               {char: bytes([byte]) for char, byte in _CP1252_BYTES.items()}.get,
               lambda after: cp1252_holes),
    )


@lru_cache(maxsize=4096)
def _sjis_bytes(char: str) -> bytes | None:
    """The bytes Shift_JIS read as `char`, None when it reads none as it."""
    try:
        return char.encode("shift_jis")
    except UnicodeEncodeError:
        return None


# A byte of the stream: known (an int), a `�` (None: the bytes it may be depend on the byte
# after it), the bytes a lenient decoder's `?` or dropped pair may be (a tuple), or both
# bytes after a character's lead that it dropped as one pair (_DROPPED_PAIR, twice)
_Byte = int | None | tuple[int, ...] | object
_DROPPED_PAIR = object()


def _continuation(byte: _Byte) -> bool:
    return not isinstance(byte, int) or 0x80 <= byte <= 0xBF


_CANDIDATES = 32  # likeliest characters weighed for a unit with unknown bytes
# the first bytes of the 3-byte characters of Chinese text: punctuation (“”—…, E2), marks and
# kana (E3), Chinese characters (E4 to E9), full-width forms (，：（）！？, EF)
_LEADS_OF_TEXT = frozenset([0xE2, *range(0xE3, 0xEA), 0xEF])


@lru_cache(maxsize=4096)  # bounded: a worker's memory stays flat over any corpus
def _candidates(unit: tuple[int | tuple[int, ...], ...]) -> tuple[tuple[float, str], ...]:
    """The likeliest characters of a 3-byte UTF-8 unit, best first, none of a script a
    repair may not produce; an unknown byte is given as the bytes it may be."""
    options = [[b] if isinstance(b, int) else [byte for byte in b
                                               if (byte in _LEADS_OF_TEXT if i == 0 else 0x80 <= byte <= 0xBF)]
               for i, b in enumerate(unit)]
    return _likeliest(bytes((first, second, third))
                      for first in options[0] for second in options[1] for third in options[2])


def _likeliest(sequences) -> tuple[tuple[float, str], ...]:
    """The likeliest characters the byte sequences read as UTF-8, best first, none of a
    script a repair may not produce."""
    found = []
    for sequence in sequences:
        try:
            char = sequence.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.append((_char_score(char), char))
    return tuple(option for option in sorted(found, reverse=True)[:_CANDIDATES] if option[0] > float("-inf"))


# A lenient GBK decoder (damage.md) drops a pair it has no character for without a trace. In
# UTF-8 text its pairs take the bytes of a character, the last of one and the first of the
# next, or the last two of one: a dropped pair is a continuation byte and a lead (a
# character's end and the next one's start lost: 中国 is E4 B8 AD E5 9B BD, and GBK has no
# character for AD E5, so 涓浗 is all that shows) or two continuation bytes.
@lru_cache(maxsize=None)
def _gbk_unassigned() -> frozenset[tuple[int, int]]:
    """The pairs of a continuation byte and a continuation or lead byte that GBK has no character for."""
    decode = codecs.getdecoder("gbk")
    unassigned = set()
    for first in range(0x80, 0xC0):
        for second in (*range(0x80, 0xC0), *_LEADS_OF_TEXT):
            try:
                decode(bytes((first, second)))
            except UnicodeDecodeError:
                unassigned.add((first, second))
    return frozenset(unassigned)


@lru_cache(maxsize=None)
def _dropped_before_lead() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The bytes a dropped pair of a character's last byte and the next one's lead may be:
    (last bytes, leads). (The user rows, AA to AF, pair with every lead: the two are
    weighed apart, not as pairs.)"""
    pairs = [pair for pair in _gbk_unassigned() if pair[1] in _LEADS_OF_TEXT]
    return tuple(sorted({last for last, _ in pairs})), tuple(sorted({lead for _, lead in pairs}))


@lru_cache(maxsize=64)
def _dropped_tail_candidates(lead: int) -> tuple[tuple[float, str], ...]:
    """The likeliest characters of `lead` whose last two bytes were a dropped pair."""
    return _likeliest(bytes((lead, second, third)) for second, third in _gbk_unassigned() if third < 0xC0)


# a lenient decoder gives no `�` and no private-use character (GB18030's reading of the pairs it
# drops): a line holding one was read by another decoder (a GBK byte shift read by Python's codec)
_NOT_LENIENT = re.compile("[\ufffd\ue000-\uf8ff]")
# a lenient decoder's `?` where a character wants its last byte: that byte (0x81 to 0xBF)
# before a byte below 0x40 that the decoder swallowed, or 0x80 read alone
_QUESTION_LAST = tuple(range(0x80, 0xC0))


def _gbk_symbols() -> str:
    """The marks and symbols of GBK's first two rows, which Chinese text writes (■, ★, №, ①, ㈠, Ⅳ, ℃, ±)."""
    return "".join(char for lead in (0xA1, 0xA2) for trail in range(0xA1, 0xFF)
                   if (char := bytes((lead, trail)).decode("gbk", "ignore")))


# with pinyin's letters with a tone mark (an annotation's 發(fā), which the pinyin step removes after the repairs)
# and the zero-width spaces and joiners a page holds (dropped after the repairs)
_PLAUSIBLE = regex.compile(r"[\p{Han}\u3000-\u303f\uff01-\uff5e\u2010-\u2027\u200b-\u200d\u2060\ufeff\u00a0\u00b7\x20-\x7e\n"
                           + regex.escape(_gbk_symbols() + TONE_MARKED + "ü", special_only=True) + "]")


_PUNCTUATION = "，。、“”：《》（）；？！—…·【】「」"  # Chinese punctuation, commonest first (the web's and Hong Kong's brackets last)
_RARE_MARK = -12.0  # another mark, symbol or letter: as likely as a rare character


def _char_score(char: str) -> float:
    """How likely a character is in Chinese news; -inf for scripts a repair may not produce
    (Hangul, Syriac: bytes of Chinese text that happen to read as UTF-8)."""
    if "\u3400" <= char <= "\u9fff":
        return log_frequency(char)
    rank = _PUNCTUATION.find(char)
    if rank >= 0:  # as likely as a common character, the commoner marks a little more (。 over 》)
        return -6.0 - 0.1 * rank
    if char == "\u3000":  # the commonest of the rarer marks (two open a paragraph: pair_bonus)
        return _RARE_MARK + 1.0
    return _RARE_MARK if _PLAUSIBLE.match(char) else float("-inf")


_LINE_BEFORE = 200  # characters of the line before a reading that its marks are weighed with
_PATHS = 16  # readings kept after each unit: a word bonus (8 at most) cannot lift one from far below


def _best_path(units: list[list[tuple[float, str]]], before: str, after: str,
               open_before: frozenset[str] = frozenset()) -> str:
    """The likeliest reading of units with alternatives, weighing the words each pair and
    triple of characters makes, and the quotes and brackets open (`open_before`: those
    the line left open before it)."""
    if all(len(options) == 1 for options in units):  # no unknown byte (half the readings): one path
        return "".join(options[0][1] for options in units)
    paths = [(0.0, before)]  # (score, text) of the best readings, the texts all as long
    for options in units:
        if len(paths) == 1 and len(options) == 1:
            # a known character after a single reading (most units: an unknown byte's options
            # collapse at the next known one): nothing to choose, one reading goes on
            (total, text), ((score, char),) = paths[0], options
            last = text[-1:]
            first = text[-2:-1] if begins_word(text[-2:-1], last) else None
            paths = [(_extended_score(total, text, last, first, score, char, open_before), text + char)]
            continue
        # each reading's last character, and the one before when the two may begin a word (else
        # None): sliced and weighed once, not per option
        heads = [(total, text, text[-1:], text[-2:-1] if begins_word(text[-2:-1], text[-1:]) else None)
                 for total, text in paths]
        if len(heads) == 1:
            # one reading before (nine options in ten: an unknown byte opens most runs): each
            # option extends it, with no choice among readings to make
            ((total, text, last, first),) = heads
            grown = {char: (_extended_score(total, text, last, first, score, char, open_before), text + char)
                     for score, char in options}
        else:
            grown = {}
            for score, char in options:
                # the texts are all as long: the best (score, text) is the best (score, text + char),
                # and only the winner is extended (measured: a third of _best_path's time)
                best_total, best_text = max((_extended_score(total, text, last, first, score, char, open_before),
                                             text) for total, text, last, first in heads)
                grown[char] = (best_total, best_text + char)
        paths = sorted(grown.values(), reverse=True)[:_PATHS]
    return max((total + pair_bonus(text[-1:], after), text) for total, text in paths)[1][len(before):]


def _extended_score(total: float, text: str, last: str, first: str | None, score: float, char: str,
                    open_before: frozenset[str]) -> float:
    """The score of a reading (`total`, `text`, its `last` character and, when the two may
    begin a word, the `first` before it) with a character of `score` after it."""
    return (total + score + pair_bonus(last, char)
            + (triple_bonus(first, last, char) if first is not None else 0.0)
            + (_balance(text, char, open_before) if char in _PAIRED_MARKS else 0.0))


_CLOSING = {"”": "“", "’": "‘", "）": "（", "》": "《", "」": "「", "』": "『", "】": "【"}
_OPENING = {opening: closing for closing, opening in _CLOSING.items()}
_PAIRED_MARKS = frozenset(_CLOSING) | frozenset(_OPENING)
_BALANCE = 3.0  # a quote or bracket left open makes its closing mark likely and another opening one not


def _open_marks(line: str) -> frozenset[str]:
    """The opening marks that `line` leaves open.

    >>> sorted(_open_marks("他说：“（好）"))
    ['“']
    """
    return frozenset(opening for closing, opening in _CLOSING.items() if line.rfind(opening) > line.rfind(closing))


def _balance(reading: str, mark: str, open_before: frozenset[str]) -> float:
    """What the marks before say of `mark` (those of the reading so far, else those the
    line before it left open): a closing mark after its opening one, left open, is likely;
    an opening one while it is open is not. (Nothing is said otherwise: a quote may open
    on an earlier line.)

    >>> _balance("好", "”", frozenset("“")), _balance("好", "“", frozenset("“")), _balance("”好", "”", frozenset("“"))
    (3.0, -3.0, 0.0)
    """
    closing = mark if mark in _CLOSING else _OPENING[mark]
    opening = _CLOSING[closing]
    last_opening, last_closing = reading.rfind(opening), reading.rfind(closing)
    opened = last_opening > last_closing if last_opening != last_closing else opening in open_before
    if not opened:
        return 0.0
    return _BALANCE if mark == closing else -_BALANCE


class _Reading(NamedTuple):
    end: int  # in the text
    units: list[list[tuple[float, str]]]  # each with its options, likeliest first
    filled: int  # units with an unknown byte
    cut: int  # characters lost whole (1 when the reading ends where a lenient decoder dropped one)
    score: float
    asked: list[int]  # units whose last byte a lenient decoder's `?` stands for


def _read(text: str, start: int, codec: _Codec, lenient_line: bool) -> _Reading | None:
    """The best reading from `start` (`lenient_line`: whether a lenient decoder may have read its line)."""
    stream: list[_Byte] = []  # the bytes the wrong decoder read
    position = start
    # (end, units, unknown bytes filled, score, last unit's options, `?` units, characters lost)
    # of the best reading so far
    best = None
    units: list[list[tuple[float, str]]] = []
    lost = 0
    asked: list[int] = []
    cut = False
    han = 0  # units that are not ASCII
    assumed = 0  # pairs, bytes and characters a lenient decoder lost, by assumption
    gain = 0.0
    damaged = 0.0
    length, to_bytes = len(text), codec.to_bytes
    while True:
        # gather the bytes of one UTF-8 character
        while len(stream) < (2 if stream and isinstance(stream[0], int) and 0xC2 <= stream[0] <= 0xDF else 3):
            char = text[position] if position < length else None
            # a character the lenient decoder read right after bytes of one UTF-8 character (its
            # lead known; a space between is no layout wrap of a run but words set apart: 张雅楠　鞍山)
            lenient = lenient_line and stream and isinstance(stream[0], int) and 0xE0 <= stream[0] <= 0xEF \
                and text[position - 1] not in _WRAP
            if lenient and (char is None or char.isascii() and char != "?" and (
                    char not in _WRAP or not _goes_on(text, position + 1, stream, to_bytes))):
                # a character cut where the text ends or goes on in ASCII: after its lead, the pair of
                # its continuation bytes was dropped (。 is E3 80 82, and GBK has no character for
                # 80 82); after its second byte, at a line's end, its last byte was read as a `?` that
                # is gone (the decoder's for a lead at the end of its data, or one a cleaner took
                # with a tag), and before a letter two pairs were dropped: the character is lost
                if len(stream) == 1:
                    stream += (_DROPPED_PAIR, _DROPPED_PAIR)
                    assumed += 1
                elif char is None or char == "\n":
                    asked.append(len(units))
                    stream.append(_QUESTION_LAST)
                else:
                    cut = True
                    assumed += 1
                break
            if char is None:
                break
            if char == _LOST:
                stream.append(None)
            elif char == "?" and lenient:
                # 0x80 alone where the character wants two more bytes, else its last byte
                if len(stream) == 2:
                    asked.append(len(units))
                stream.append(0x80 if len(stream) == 1 else _QUESTION_LAST)
            elif char in _WRAP and stream:
                nbsp = to_bytes("\xa0") if char == " " else None  # a byte the wrong decoder read as one
                if nbsp is not None and not _goes_on(text, position + 1, stream, to_bytes):
                    stream += nbsp  # the character's byte A0, a no-break space made plain
                # else a layout wrap inside a character's bytes
            else:
                encoded = to_bytes(char)
                if encoded is None:
                    break
                if lenient and len(encoded) == 2 and isinstance(stream[-1], int):
                    if len(stream) == 2 and encoded[0] >= 0xC0:
                        # a lead where the character wants its last byte: two pairs in a row dropped,
                        # this character lost with the next; the reading may end before it
                        cut = True
                        assumed += 1
                        break
                    if len(stream) == 2 and _continuation(encoded[0]) and _continuation(encoded[1]):
                        # the pair after a character's second byte ends with the next one's lead:
                        # two continuation bytes mean it was dropped
                        stream += _dropped_before_lead()
                        assumed += 1
                    elif len(stream) == 1 and encoded[0] >= 0xC0:
                        # the pair after a lead is its two continuation bytes: a lead means it was dropped
                        stream += (_DROPPED_PAIR, _DROPPED_PAIR)
                        assumed += 1
                stream += encoded
            damaged += _damage_score(char)
            position += 1
            if isinstance(stream[0], int) and stream[0] < 0x80:
                break
        reading_score = gain - damaged + _LENIENT_LOSS * assumed
        if cut:  # the mojibake of the lost character goes with the reading: a wrong character is worse
            if han and _plausible(han, lost, assumed, reading_score) and (best is None or reading_score > best[3]):
                best = (position, len(units), lost, reading_score, None, len(asked), 1)
            break
        if not stream:
            break
        lead = stream[0]
        if isinstance(lead, int) and lead < 0x80:
            units.append([(0.0, chr(lead))])
            gain += _ASCII_IN_REPAIR if chr(lead).isalpha() else 0.0
            stream.pop(0)
        elif isinstance(lead, int) and 0xC2 <= lead <= 0xDF and len(stream) >= 2 and isinstance(stream[1], int) \
                and 0x80 <= stream[1] <= 0xBF:
            # a two-byte character (the no-break space of `&nbsp;`, `·`)
            char = bytes((lead, stream[1])).decode("utf-8")
            score = _char_score(char)
            if score == float("-inf"):
                break  # a script a repair may not produce: no reading goes on over it
            units.append([(score, char)])
            han += 1
            gain += score
            del stream[:2]
        elif len(stream) >= 3 and (not isinstance(lead, int) or 0xE0 <= lead <= 0xEF) \
                and _continuation(stream[1]) and _continuation(stream[2]):
            unit = stream[:3]
            if not any(isinstance(byte, int) for byte in unit):
                break
            open_options = None
            if not all(isinstance(byte, int) for byte in unit):
                following = _first_byte(text, position, codec) if len(stream) == 3 else None
                options = _unit_options(unit, stream, codec, following)
                if following is not None and unit[2] is None:
                    # the character after is the next byte only if the reading goes on over it
                    open_options = _unit_options(unit, stream, codec, None)
                lost += 1
            else:
                try:
                    char = bytes(unit).decode("utf-8")
                except UnicodeDecodeError:
                    break
                score = _char_score(char)
                options = [(score, char)] if score > float("-inf") else []
            if not options:
                break
            units.append(options)
            han += 1
            gain += options[0][0]
            del stream[:3]
        else:
            break
        # a reading may end only where the damaged text's characters end
        # one GBK character and a lost byte read as one UTF-8 character is as often the end of a
        # GBK byte shift (its lone lead byte made U+FFFD), which repair_gbk_shifts reads whole
        weak = han == 1 and lost and codec.name == "gbk"
        reading_score = gain - damaged + _LENIENT_LOSS * assumed
        if not stream and han and not weak and _plausible(han, lost, assumed, reading_score) \
                and (best is None or reading_score > best[3]):
            best = (position, len(units), lost, reading_score, open_options, len(asked), 0)
    if best is None:
        return None
    end, count, filled, score, last_options, asked_count, cut_count = best
    read = units[:count]
    if last_options:  # the reading ends before the character that followed its last unknown byte
        read[-1] = last_options
    return _Reading(end, read, filled, cut_count, score, asked[:asked_count])


def _plausible(han: int, filled: int, assumed: int, score: float) -> bool:
    """Whether a reading of `han` characters, `filled` of them with unknown bytes, reads far
    more naturally than the damage; one that assumes a lenient decoder lost bytes (`assumed`)
    must also read most of its characters from known bytes: a rare character of clean text,
    or of another repair's (鐘 of a Big5 page read back), before a mark reads as a dropped pair."""
    return score >= _MARGIN * han and (not assumed or 2 * filled <= han)


def _goes_on(text: str, position: int, stream: list[_Byte], to_bytes: Callable) -> bool:
    """Whether the characters from `position` give the continuation bytes the character
    whose first bytes are `stream` still needs (a `�` may be one)."""
    needed = (2 if isinstance(stream[0], int) and 0xC2 <= stream[0] <= 0xDF else 3) - len(stream)
    following: list[int | None] = []
    while position < len(text) and len(following) < needed:
        char = text[position]
        position += 1
        if char in _WRAP:
            continue  # a wrap of more than one character
        encoded = None if char == _LOST else to_bytes(char)
        if char != _LOST and encoded is None:
            return False
        following += [None] if encoded is None else encoded
    return len(following) >= needed and all(_continuation(byte) for byte in following[:needed])


def _unit_options(unit: list[_Byte], stream: list[_Byte], codec: _Codec,
                  following: int | None) -> tuple[tuple[float, str], ...]:
    """The characters a 3-byte unit with unknown bytes may be, likeliest first (none of a
    script a repair may not produce); `following` is the first byte after the stream."""
    if unit[1] is _DROPPED_PAIR:
        return _dropped_tail_candidates(unit[0])
    return _candidates(tuple(b if b is not None else codec.lost(_byte_after(stream, k, following))
                             for k, b in enumerate(unit)))


def _byte_after(stream: list[_Byte], k: int, following: int | None) -> int | None:
    """The byte the wrong decoder read after the `k`th of the stream: `following`, the
    first byte of the next character, beyond the stream; None when not known."""
    after = stream[k + 1] if k + 1 < len(stream) else following
    return after if isinstance(after, int) else None


def _first_byte(text: str, position: int, codec: _Codec) -> int | None:
    """The first byte the wrong decoder read as the character at `position`; None for a
    `�`, a layout wrap (it may stand inside a character's bytes) or the text's end."""
    if position >= len(text) or text[position] == _LOST or text[position] in _WRAP:
        return None
    encoded = codec.to_bytes(text[position])
    return encoded[0] if encoded else None


@lru_cache(maxsize=65536)  # one look-up per character of a damaged span; bounded
def _damage_score(char: str) -> float:
    if char == _LOST or char.isascii():
        return 0.0
    return log_frequency(char) if "\u3400" <= char <= "\u9fff" else -12.0


def repair_misread_spans(text: str) -> tuple[list[Edit], int]:
    """Edits restoring spans of UTF-8 read as GBK, Shift_JIS or windows-1252, and the unknown bytes filled.

    >>> from .offsets import apply_edits
    >>> damaged = "作家贾平凹鎺㈣�垮共鏃辩殑瀹氳タ鏃�，曾这样描述"
    >>> edits, lossy = repair_misread_spans(damaged)
    >>> apply_edits(damaged, edits)[0], lossy
    ('作家贾平凹探访干旱的定西时，曾这样描述', 2)
    >>> apply_edits("作家æŽ¢è®¿å¹²æ— ±çš„定西", repair_misread_spans("作家æŽ¢è®¿å¹²æ— ±çš„定西")[0])[0]
    '作家探访干旱的定西'
    >>> repair_misread_spans("经济发展，安全稳定。")
    ([], 0)
    """
    edits: list[Edit] = []  # sorted by start
    lossy = 0
    lenient_lines: dict[int, bool] = {}  # by the line's start: only lines with a start are scanned
    # a codec whose mark the text shows reads first: where two read the same span, it is its
    shown = [codec for codec in _codecs() if codec.shows is not None and codec.shows.search(text)]
    for codec in shown + [codec for codec in _codecs() if codec.shows is None]:
        for start in codec.starts.positions(text):
            taken = bisect_right(edits, (start, len(text) + 1))  # the edits that start at or before `start`
            if taken and edits[taken - 1].end > start:
                continue
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start) % (len(text) + 1)  # the text's end for the last line
            if codec.lenient and line_start not in lenient_lines:
                lenient_lines[line_start] = _NOT_LENIENT.search(text, line_start, line_end) is None
            reading = _read(text, start, codec, codec.lenient and lenient_lines[line_start])
            if reading is None:
                continue
            end, units, filled, cut, _, asked = reading
            if taken < len(edits) and edits[taken].start < end:
                continue  # it would run over a span another codec read back (a codec before this one)
            repaired = _best_path(units, text[start - 1:start], text[end:end + 1],
                                  _open_marks(text[max(line_start, start - _LINE_BEFORE):start]))
            edits.insert(taken, Edit(start, end, repaired))
            # and a character lost where a `?` stands for a last byte but 0x80, the byte below 0x40 after it
            lossy += filled + cut + sum(repaired[unit].encode("utf-8")[-1] != 0x80 for unit in asked)
    return edits, lossy


# GBK and Big5 pages read as windows-1252 or Latin-1, as an HTTP client does when a page
# names no charset: every byte becomes a Latin letter or mark (`ÖÐ¹ú` for 中国, a trail
# byte below 0x80 an ASCII letter). Nothing is lost: the bytes come back whole.
_DOUBLE_BYTE_CODECS = ("gbk", "big5")
_LOST_BYTE = -12.0  # the score of a byte a reading cannot use: as unlikely as a rare character
_LATIN_LETTER = regex.compile(r"[^\W\d_\p{Han}]")  # a letter of an alphabet
_DOUBLE_BYTE_FLOOR = -5.0  # score per byte a reading must reach (-10 a character: common ones, not rare)
# beside a Latin letter, a single pair, or a short run whose pairs end in ASCII letters,
# is the accented letters of a Latin word as often
_LATIN_WORD_PAIRS = 3


@lru_cache(maxsize=None)
def _pair_run() -> re.Pattern:
    """A run of characters windows-1252 or Latin-1 make of a lead byte (0x81 to 0xFE), each
    followed, past layout wraps, by one they make of a trail byte (0x40 to 0xFE but 0x7F):
    the pairs a GBK or Big5 reading takes. (A standard `re` pattern: Chinese text holds many
    “”—…, which are such characters too, and the engine passes the others by, and reads a
    run, at C speed: a search from where the last run ended, not a loop over its pairs.)"""
    def made_of(low: int, high: int) -> str:
        return "".join(re.escape(char) for char, byte in _CP1252_BYTES.items() if low <= byte <= high and byte != 0x7F)
    pair = f"[{made_of(0x81, 0xFE)}][{re.escape(_WRAP)}]*[{made_of(0x40, 0xFE)}]"
    return re.compile(f"{pair}(?:{pair})*")  # (the first pair outside the repeat: `re` then skips to its class)


# each character of a run of pairs as the byte it was read from (a Latin-1 character), its layout wraps dropped
_PAIR_BYTES = {ord(char): chr(byte) for char, byte in _CP1252_BYTES.items()} | {ord(wrap): None for wrap in _WRAP}


def _byte_of(char: str) -> int | None:
    """The byte windows-1252 or Latin-1 read as `char`, 0xFF (never UTF-8) for a `�`."""
    return 0xFF if char == _LOST else _cp1252_byte(char)


def _high_byte(text: str, position: int) -> bool:
    """Whether the character at `position` stands for a byte of 0x80 or above (a `�`, a
    byte the wrong decoder could not read, does too)."""
    byte = _byte_of(text[position]) if 0 <= position < len(text) else None
    return byte is not None and byte >= 0x80


def _bytes_beside(text: str, position: int, step: int) -> list[int]:
    """Up to three bytes 0x80 or above from `position` on, in the direction of `step`,
    past layout wraps: enough for a UTF-8 reading to finish a character a run cuts."""
    found: list[int] = []
    while 0 <= position < len(text) and len(found) < 3:
        if text[position] not in _WRAP:
            byte = _byte_of(text[position])
            if byte is None or byte < 0x80:
                break
            found.append(byte)
        position += step
    return found


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _utf8_score_per_byte(data: bytes) -> float:
    """The score of `data` read as UTF-8 per byte read, a byte it cannot read scored as a
    lost one; the bytes of a character cut by either end of the run are left out."""
    head = data[:3]  # at most the three continuation bytes of one character
    body = data[len(head) - len(head.lstrip(_CONTINUATION_BYTES)):]
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    reading = decoder.decode(body, final=False)
    read = len(body) - len(decoder.getstate()[0])
    if not read:
        return float("-inf")
    return sum(_LOST_BYTE if char == _LOST else _char_score(char) for char in reading) / read


def _double_byte_char_score(char: str) -> float:
    # the ideographic space indents every paragraph of a GBK page: as common as punctuation
    return _IDEOGRAPHIC_SPACE if char == "\u3000" else _char_score(char)


def _best_double_byte_reading(data: bytes) -> tuple[float, str] | None:
    """The likelier of the GBK and the Big5 reading of `data`: (score per byte, text)."""
    readings = []
    for codec in _DOUBLE_BYTE_CODECS:
        try:
            reading = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # scored as simplified text: jieba's dictionary, behind the scores, holds a few
        # traditional forms with tiny counts of their own
        score = sum(map(_double_byte_char_score, traditional_to_simplified_chars(reading)))
        readings.append((score / len(data), reading))
    return max(readings, default=None)


def repair_double_byte_misreads(text: str) -> list[Edit]:
    """Edits restoring runs of GBK or Big5 text read as windows-1252 or Latin-1.

    >>> from .offsets import apply_edits
    >>> damaged = "ÖÐ¹ú¾­¼Ã·¢Õ¹, Müller said"
    >>> apply_edits(damaged, repair_double_byte_misreads(damaged))[0]
    '中国经济发展, Müller said'
    >>> apply_edits("¤¤°ê¸gÀÙ", repair_double_byte_misreads("¤¤°ê¸gÀÙ"))[0]
    '中國經濟'
    >>> repair_double_byte_misreads("Ségolène Royal, Ñuñoa, æ—¥æœ¬, 经济发展")
    []
    """
    edits: list[Edit] = []
    end = 0
    while run := _pair_run().search(text, end):
        start, end = run.span()
        data = run.group().translate(_PAIR_BYTES).encode("latin-1")
        if _high_byte(text, start - 1) or _high_byte(text, end):
            continue  # the pairs are out of step with the bytes: not GBK or Big5 (UTF-8 ã\x80\x82)
        beside_letter = bool(start and _LATIN_LETTER.match(text, start - 1) or _LATIN_LETTER.match(text, end))
        if beside_letter and (len(data) == 2 or len(data) <= 2 * _LATIN_WORD_PAIRS
                              and any(trail < 0x80 for trail in data[1::2])):
            continue  # the accented letters of a Latin word (Größe, Müller, Ñuñoa), not 5G网络
        best = _best_double_byte_reading(data)
        # UTF-8 read as windows-1252 (æ—¥æœ¬) reads better as UTF-8, byte for byte, with
        # the bytes around that finish its characters: the UTF-8 repairs after this one restore it
        around = bytes(reversed(_bytes_beside(text, start - 1, -1))) + data + bytes(_bytes_beside(text, end, 1))
        if best is not None and best[0] >= _DOUBLE_BYTE_FLOOR and best[0] > _utf8_score_per_byte(around):
            edits.append(Edit(start, end, best[1]))
    return edits


def drop_lost_bytes(text: str) -> list[Edit]:
    """Edits dropping each U+FFFD the repairs left: a byte no decoder could read.

    A stray byte in a good file leaves one; what it stood for is lost either way,
    and the text reads on without it (the caller counts each as lossy).

    >>> drop_lost_bytes("开放\ufffd合作")
    [Edit(start=2, end=3, replacement='')]
    """
    return [Edit(m.start(), m.end(), "") for m in _LOST_RUN.finditer(text)]
