"""Repair of GBK byte-level mojibake, by inverting how it was made.

The damage (see ../shared/notes/damage.md for the bytes): operations on GBK bytes
(a stray byte inserted after a lead byte; pinyin annotations appended by a byte
replace that also matched across two characters), then a lenient decode in which
a lead byte followed by a byte below 0x40 gives `?` and swallows that byte, an
unassigned pair is dropped, and any byte below 0x80 in lead position
resynchronizes; then full-width forms folded to ASCII. Everything after the `?`
is read one byte out of step, as rare characters, until an ASCII-range trail byte
brings the decoder back in step.

So a `?` starts a window that runs to the next such ASCII character. The window
is turned back into the bytes the lenient decoder saw, with the unknowns that
mechanism allows: the byte the `?` stands for (pinned down by the pinyin when an
annotation follows), the swallowed byte (a stray, or a `<` or `(` that the text
still shows), folded punctuation, and unassigned pairs that vanished. A beam
search decodes those bytes strictly, scoring readings by character frequency,
reranks the finished readings by jieba's word model, and keeps the best reading
only when it is clearly more natural than the damaged text. UTF-8 read as GBK or
windows-1252 is charset.py's; what Latin-1 mojibake is left (not Chinese) is ftfy's.
"""
from __future__ import annotations

import codecs
import math
import re
from functools import lru_cache
from operator import itemgetter

import ftfy
import regex

from ..dictionary import segmentation_score, word_counts
from .charfreq import log_frequency
from .offsets import Edit
from .pinyin import ANNOTATION, is_reading
from .script import traditional_to_simplified_chars, traditional_to_simplified_table

_BEAM = 16
_BRANCH = 6  # best bytes tried for an unknown lead or trail
_CONSIDERED = 32  # best-scoring characters weighed with their neighbours for each unknown byte
_DROP_BRANCH = 4  # first bytes tried for a vanished pair (they are few: user rows, gaps)
_MAX_DROPS = 1  # vanished pairs in one window: a second is rarer than the cost of looking
_DROP_COST = 2.0  # a vanished unassigned pair must earn its place
_MARGIN = 5.0  # how much more natural a repair must read than the damage
_LOST_MARK = -9.0  # log-probability given to a `?` when scoring the damaged text
_MAX_UNITS = 24  # runs are short: GBK text is dense in ASCII-range trail bytes
_SILENT_WINDOW = 3  # units a window needs when no ASCII byte ends it

_SYLLABLE = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,6}"
# what may follow a `?` in a window: an annotation whose `(` was swallowed, a CJK
# character or folded punctuation (one byte pair), a resynchronizing ASCII byte
_UNIT = regex.compile(
    r"(?P<annotated>\?(?P<syllable>[ \n]?" + _SYLLABLE + r"(?:[ \n][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,5})?)[ \n]?\))"
    r"|(?P<lost>\?)"
    r"|(?P<pair>[^\x00-\x7f\s])"
    r"|(?P<folded>[!-/:-=>\[\]{}|~\"'])"
    r"|(?P<resync>[@-~])"
)
_HAN_RUN = regex.compile(r"[\u3400-\u9fff]*")
_CONTEXT = 2  # characters after a window that join its reranking
_HAN_OR_OTHER = regex.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
_PUNCTUATION = -6.0  # the commonest Chinese mark: about as likely as a common character
_SYMBOL = -14.0  # box drawing, Greek, kana and the like: rare in Chinese news
# Chinese marks from the most to the least common in news; each later one a little rarer
_COMMON_MARKS = "，。、“”：；？！（）《》…—·‘’【】「」『』〈〉～"
_SENTENCE_MARKS = frozenset("，。、：；？！")
# a letter of Latin-1's upper half, and then the line around it: the standard library's engine
# scans for one class faster than `regex` matched whole lines (300 clean articles: 4.4 to 2.9 ms)
_LATIN_LETTER = re.compile("[\u00c0-\u00ff]")


@lru_cache(maxsize=1)
def _tables():
    """Strict GBK pairs, by lead and by trail, best-reading first; unassigned pairs."""
    by_lead: dict[int, list[tuple[float, int, str]]] = {}
    by_trail: dict[int, list[tuple[float, int, str]]] = {}
    chars: dict[tuple[int, int], str] = {}
    decode = codecs.getdecoder("gbk")  # the codec's own function: decoding by name took a third more
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                char = decode(bytes((lead, trail)))[0]
            except UnicodeDecodeError:
                continue
            chars[lead, trail] = char
            score = _char_score(char)
            by_lead.setdefault(lead, []).append((score, trail, char))
            by_trail.setdefault(trail, []).append((score, lead, char))
    for table in (by_lead, by_trail):
        for options in table.values():
            options.sort(reverse=True)
    # bytes that can open an unassigned pair (the user rows, the gaps of the symbol rows)
    opens_unassigned = frozenset(lead for lead in range(0x81, 0xFF)
                                 if any((lead, t) not in chars for t in range(0x40, 0xFF) if t != 0x7F))
    return chars, by_lead, by_trail, opens_unassigned


def _char_score(char: str) -> float:
    """Character frequency, with the punctuation jieba's dictionary leaves out."""
    if "\u3400" <= char <= "\u9fff":
        return log_frequency(char)
    rank = _COMMON_MARKS.find(char)
    return _PUNCTUATION - 0.1 * rank if rank >= 0 else _SYMBOL


def _pair(lead: int, trail: int) -> str | None:
    return _tables()[0].get((lead, trail))


# one entry a character (bounded): the repairs ask for some 41,000 a round of 300 damaged
# articles, of 7,400 characters in 600; at 4,096 entries one look-up in ten missed
@lru_cache(maxsize=65536)
def gbk_bytes(char: str) -> bytes | None:
    """The bytes a GBK decoder read as `char`, None when it reads no bytes as `char`.

    GB18030, which browsers and many scrapers use for pages labelled `gbk` or `gb2312`,
    agrees with GBK on every pair GBK assigns and reads most pairs GBK leaves unassigned
    (user rows, gaps) as characters of its own, private-use ones mostly, where Python's
    GBK decoder gives `�`: those are bytes too.

    >>> gbk_bytes("中"), gbk_bytes("\ue000"), gbk_bytes("😀")
    (b'\xd6\xd0', b'\xaa\xa1', None)
    """
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        encoded = char.encode("gb18030", "ignore")  # every character, most of them in four bytes
        return encoded if len(encoded) == 2 else None


# A state of the beam: (score, text, pending, drops): the reading's score and text, the
# byte it waits on (None, a lead byte, "any" for an unknown lead) and the vanished pairs
# it assumed. A plain tuple: the beam makes hundreds of thousands of them, and a named
# tuple's constructor is a Python call.
_State = tuple
# What reading a unit's bytes does to a state: (gains, emitted, pending, drops, ranked), the
# scores it adds one after the other (so that every state's sum is the one a step by
# step reading makes, to the last bit), the characters it appends, what the state
# then waits on and the vanished pairs it then assumed. It depends on the state only
# through its pending byte, its last character and its drops, which most states of a
# beam share with others (they differ further back): it is worked out once for them.
# `ranked` is None, or a slot's ranking (gain, characters): then the move stands for one
# move a ranked reading, its gain and characters last, in the ranking's order. Most moves
# are such rankings after a vanished pair (six in seven): the beam adds the gains and
# characters they share once, not once for each reading.
_Move = tuple
_ALONE = ((0.0, ""),)  # what a move that stands for one reading adds to it (a sum plus 0.0 is the sum)


@lru_cache(maxsize=16384)  # bounded (some 10 MB): a worker's memory stays flat over any corpus
def _ranked(previous: str, options_of: tuple, following: str) -> tuple[tuple[float, str], ...]:
    """The best characters a slot may emit after `previous`, (score in context, char), best first.

    `options_of` names the slot's options, (score, byte, char) best-first: ("lead", byte)
    for the trail bytes after a known lead, ("trail", byte) for the leads before a known
    trail, ("after drop", byte, first) for the leads before a trail after a vanished
    pair. `following` is the character after the window, at its last character.
    A beam meets the same ranking again and again (about four times in five): it is cached.
    """
    _, by_lead, by_trail, _ = _tables()
    kind, byte, *dropped = options_of
    options = by_lead.get(byte, []) if kind == "lead" else by_trail.get(byte, []) if kind == "trail" \
        else _leads_after_drop(byte, *dropped)
    # options come best-first; a word bonus (at most 8) cannot lift one from far below
    if following:
        scored = [(score + pair_bonus(previous, char) + pair_bonus(char, following), char)
                  for score, _, char in options[:_CONSIDERED]]
    else:
        scored = [(score + pair_bonus(previous, char), char) for score, _, char in options[:_CONSIDERED]]
    scored.sort(reverse=True)
    return tuple(scored[:_BRANCH])


def _grow(move: _Move, ranked: tuple[tuple[float, str], ...]) -> _Move:
    """The move (one that stands for a single reading) followed by each reading of `ranked`."""
    gains, emitted, _, drops, _ = move
    return gains, emitted, None, drops, ranked


def _readings(move: _Move) -> list[_Move]:
    """The moves, one a reading, that a move with a ranking stands for."""
    gains, emitted, pending, drops, ranked = move
    return [(gains + (gain,), emitted + chars, pending, drops, None) for gain, chars in ranked]


@lru_cache(maxsize=256)
def _drop_options(lead: int) -> tuple[tuple[float, int, str], ...]:
    """The best characters that a vanished pair's first byte ends after `lead` (score, byte, char)."""
    _, by_lead, _, opens_unassigned = _tables()
    return tuple([option for option in by_lead.get(lead, []) if option[1] in opens_unassigned][:_DROP_BRANCH])


def _feed(moves: list[_Move], previous: str, slot, allow_drop: bool, following: str) -> list[_Move]:
    """All moves after reading one more byte slot after each of `moves`: a known byte, an
    unknown one (None), or a tuple of choices; `allow_drop` lets a vanished pair stand
    before the slot. `previous` is the state's last character (a move's own last one,
    once it emitted one)."""
    values = slot if slot.__class__ is tuple else (slot,)
    out: list[_Move] = []
    for move in moves:
        gains, emitted, pending, drops, ranked = move
        if ranked is not None and (pending is not None or len(values) > 1):
            # its readings part (a byte completes each after its own last character), or
            # each takes the choices in turn: they go on one by one, in the ranking's order
            out.extend(_feed(_readings(move), previous, slot, allow_drop, following))
            continue
        for value in values:
            if pending is None:  # in step (the commonest case): a first byte, ASCII or an unknown lead
                if value is None:
                    out.append((gains, emitted, "any", drops, ranked))
                elif value >= 0x80:
                    if value != 0x80 and value != 0xFF:
                        out.append((gains, emitted, value, drops, ranked))
                elif ranked is None:
                    out.append((gains, emitted + chr(value), None, drops, None))
                else:
                    out.append((gains, emitted, None, drops,
                                tuple((gain, chars + chr(value)) for gain, chars in ranked)))
                continue
            last = emitted[-1:] or previous
            if pending == "any":
                if value is not None:
                    out.append(_grow(move, _ranked(last, ("trail", value), following)))
                continue
            if allow_drop and drops < _MAX_DROPS and value is not None:
                # a vanished pair: its first byte ends the pending character, its second is
                # the lead of the character the slot's byte ends
                for option_score, bonus, trail, char in _vanished_pairs(pending, last):
                    dropped = (gains + (option_score, bonus, -_DROP_COST), emitted + char, None, drops + 1, None)
                    out.append(_grow(dropped, _ranked(char, ("after drop", value, trail), following)))
            if value is None:
                out.append(_grow(move, _ranked(last, ("lead", pending), following)))
            else:
                completed = _completion(pending, value, last, following)
                if completed is not None:
                    char, gain = completed
                    out.append((gains + (gain,), emitted + char, None, drops, None))
    return out


def _moves(options: list[list[tuple[object, bool]]], pending, previous: str, drops: int,
           following: str) -> list[_Move]:
    """Every move a unit's options make from a state waiting on `pending` after `previous`."""
    out: list[_Move] = []
    for slots in options:
        moves = [((), "", pending, drops, None)]
        for slot, allow_drop in slots:
            moves = _feed(moves, previous, slot, allow_drop, following)
        out.extend(moves)
    return out


# The states of a beam share their pending byte and, mostly, their last character (they
# differ further back, where one reading parted from another): what a slot adds to them
# is weighed once for all (bounded caches: a worker's memory stays flat)
@lru_cache(maxsize=4096)
def _completion(lead: int, trail: int, previous: str, following: str) -> tuple[str, float] | None:
    """The character a pending lead and its trail byte make, and its score after `previous`."""
    char = _pair(lead, trail)
    if char is None:
        return None
    gain = _char_score(char) + pair_bonus(previous, char)
    if following:
        gain += pair_bonus(char, following)
    return char, gain


@lru_cache(maxsize=4096)
def _vanished_pairs(lead: int, previous: str) -> tuple[tuple[float, float, int, str], ...]:
    """The vanished pairs that may follow `lead` after `previous`: (score, word bonus, second byte, char)."""
    return tuple((option_score, pair_bonus(previous, char), trail, char)
                 for option_score, trail, char in _drop_options(lead))


@lru_cache(maxsize=65536)
def _leads_after_drop(trail: int, dropped_first: int) -> list:
    """Leads before `trail` that leave the vanished pair (dropped_first, lead) unassigned."""
    chars, _, by_trail, _ = _tables()
    # both bytes are in range of a pair: `dropped_first` can open an unassigned pair
    # (_drop_options), a lead byte is 0x81 to 0xFE; the pair is unassigned if no character reads it
    return [option for option in by_trail.get(trail, []) if (dropped_first, option[1]) not in chars]


# what news writes right after a number: units of time and dates, multipliers, money and
# the commonest classifiers (2月, 7个, 46名, 3万元): after a digit, as likely as a word pair
_AFTER_NUMBER = frozenset("年月日号时点分秒周天万亿千百元角块个人名位家户所项次件条台辆吨米斤亩岁倍届期批种类场座处")
_AFTER_NUMBER_BONUS = 3.0
_DOUBLED_MARKS = frozenset("—…")
# a dash's second half over another mark, never over a quote the line left open (charset._balance)
_DOUBLED_BONUS = 1.5
_INDENT_BONUS = 6.0  # an ideographic space (as rare as a rare character alone) opening a line: as a common mark


@lru_cache(maxsize=1)
def _two_character_words() -> dict[str, dict[str, int]]:
    """jieba's two-character keys (words, and prefixes of longer words with a count of 0)
    by their first character, {first: {second: count}}, under every pair of Chinese
    characters that simplifies to them one character at a time: a pair is looked up as
    given (simplifying each pair weighed cost some 7% of normalizing damaged articles).
    Built once per process: 0.13 s, 18 MB."""
    table = traditional_to_simplified_table()
    # the traditional forms that simplify to each character (one that is no traditional form stands for itself)
    forms: dict[str, list[str]] = {}
    for code, simplified in table.items():
        if "\u3400" <= chr(code) <= "\u9fff":
            forms.setdefault(simplified, []).append(chr(code))
    followers: dict[str, dict[str, int]] = {}  # by the first character simplified
    for word, count in word_counts()[0].items():
        if len(word) != 2:
            continue
        first, second = word
        seconds = followers.setdefault(first, {})
        for given in forms.get(second, ()):
            seconds[given] = count
        if "\u3400" <= second <= "\u9fff" and ord(second) not in table:
            seconds[second] = count
    words: dict[str, dict[str, int]] = {}
    for first, seconds in followers.items():
        if not seconds:
            continue
        for given in forms.get(first, ()):
            words[given] = seconds
        if "\u3400" <= first <= "\u9fff" and ord(first) not in table:
            words[first] = seconds
    return words


_NO_WORDS: dict[str, int] = {}
MOST_WORD_BONUS = 8.0  # what a word earns at the most over its characters apart (pair_bonus, triple_bonus)


def pair_bonus(first: str, second: str) -> float:
    """How much more likely two characters are together than apart, when they make a word
    (or the second is a unit after a digit).

    Not cached: the repairs weigh over a hundred thousand distinct pairs in 200 damaged
    articles, most of them no word, and the look-up costs less than a cache miss. The
    commonest case, two Chinese characters, is settled first.
    """
    if "\u3400" <= second <= "\u9fff":
        if "\u3400" <= first <= "\u9fff":
            count = _two_character_words().get(first, _NO_WORDS).get(second)
            if not count:
                return 0.0
            together = math.log(count / word_counts()[1])
            return min(max(together - log_frequency(first) - log_frequency(second), 0.0), MOST_WORD_BONUS)
        if second in _AFTER_NUMBER and first.isdigit():
            return _AFTER_NUMBER_BONUS  # 2月11日 read back as 2有11日, 7个 as 7有个
        return 0.0
    if first in _SENTENCE_MARKS and second in _SENTENCE_MARKS:
        return _PUNCTUATION  # 。。 and ，、 do not occur: as unlikely again as a mark
    if second == "\u3000" and (first == "\n" or first == "\u3000"):
        return _INDENT_BONUS  # two ideographic spaces open most paragraphs of Chinese pages
    if first == second and first in _DOUBLED_MARKS:
        return _DOUBLED_BONUS  # a dash or an ellipsis is two of its characters
    return 0.0


def begins_word(first: str, second: str) -> bool:
    """Whether two characters are a word of jieba's dictionary or begin one (its table
    holds every prefix of its words): only then may a third make a word with them."""
    return bool(first) and second in _two_character_words().get(first, _NO_WORDS)


def triple_bonus(first: str, second: str, third: str) -> float:
    """How much more likely three characters are together than apart, when they make a
    word (国务院, 办公室): what a reading earns on top of its two pairs' pair_bonus."""
    if not ("\u3400" <= first <= "\u9fff" and "\u3400" <= second <= "\u9fff" and "\u3400" <= third <= "\u9fff"):
        return 0.0  # (an empty `first` too)
    counts, total = word_counts()
    count = counts.get(traditional_to_simplified_chars(first + second + third), 0)
    if not count:
        return 0.0
    together = math.log(count / total)
    return min(max(together - log_frequency(first) - log_frequency(second) - log_frequency(third), 0.0),
               MOST_WORD_BONUS)


# a window's states are few, and its slots' bytes recur from window to window (bounded)
@lru_cache(maxsize=16384)
def _waits_after(pending, drops: int, slot, allow_drop: bool) -> tuple[tuple[object, int], ...]:
    """What a state waiting on `pending` with `drops` vanished pairs waits on after one more
    byte slot, with the vanished pairs it then assumed: the (pending, drops) of the readings
    `_feed` gives it, without their scores and characters."""
    chars, by_lead, by_trail, _ = _tables()
    out = []
    for value in slot if slot.__class__ is tuple else (slot,):
        if pending is None:
            if value is None:
                out.append(("any", drops))
            elif value < 0x80:
                out.append((None, drops))
            elif value != 0x80 and value != 0xFF:
                out.append((value, drops))
        elif pending == "any":
            if value is not None and by_trail.get(value):
                out.append((None, drops))
        else:
            if allow_drop and drops < _MAX_DROPS and value is not None \
                    and any(_leads_after_drop(value, trail) for _, trail, _ in _drop_options(pending)):
                out.append((None, drops + 1))
            if (pending, value) in chars if value is not None else by_lead.get(pending):
                out.append((None, drops))
    return tuple(out)


def _ends_in_step(alternatives: list[list[list[tuple[object, bool]]]]) -> bool:
    """Whether any reading of a window's bytes ends in step (waiting on no byte), scores
    aside. A `?` that is a question mark before plain text opens a window no reading
    finishes (a third of the windows of damaged pages): the beam would weigh all its
    units for nothing (the few (pending, drops) states a window reaches are followed instead)."""
    states = {(None, 0)}
    for options in alternatives:
        reached: set[tuple[object, int]] = set()
        for slots in options:
            current = states
            for slot, allow_drop in slots:
                current = {after for pending, drops in current
                           for after in _waits_after(pending, drops, slot, allow_drop)}
            reached |= current
        if not reached:
            return False
        states = reached
    return any(pending is None for pending, _ in states)


def _decode_best(alternatives: list[list[list[tuple[object, bool]]]], following: str = "") -> list[_State]:
    """Finished readings of a window: one unit after another, each with alternatives."""
    if not _ends_in_step(alternatives):
        return []
    beam: list[_State] = [(0.0, "", None, 0)]
    for number, options in enumerate(alternatives):
        following_here = following if number == len(alternatives) - 1 else ""
        moves_after: dict[tuple, list[_Move]] = {}
        best: dict[tuple, _State] = {}  # by text and pending: the best state of each reading
        for score, text, pending, drops in beam:
            previous = text[-1:]
            moves = moves_after.get((pending, previous, drops))
            if moves is None:
                moves = moves_after[pending, previous, drops] = _moves(options, pending, previous, drops,
                                                                        following_here)
            for gains, emitted, next_pending, next_drops, ranked in moves:
                total = score
                for gain in gains:
                    total += gain
                stem = text + emitted
                for gain, chars in _ALONE if ranked is None else ranked:
                    reading = total + gain
                    key = (stem + chars, next_pending)
                    kept = best.get(key)
                    if kept is None or kept[0] < reading:
                        best[key] = (reading, key[0], next_pending, next_drops)
        beam = sorted(best.values(), key=itemgetter(0), reverse=True)[:_BEAM]
    return [s for s in beam if s[2] is None]


def _units(text: str, start: int) -> list[regex.Match]:
    """The units of the window that starts at a `?`: up to an ASCII byte that brings the
    decoder back in step, or else (an unassigned pair dropped put it back in step
    silently) to where the run of units ends."""
    units: list[regex.Match] = []
    for match in _UNIT.finditer(text, start):
        gap = text[units[-1].end() if units else start:match.start()]
        # a layout wrap (one space or line break) may stand between two units
        if len(gap) > 1 or gap and (not units or gap not in " \n") or len(units) == _MAX_UNITS:
            break
        units.append(match)
        if match.group("resync"):
            return units
    return units if len(units) >= _SILENT_WINDOW else []


def _alternatives(units: list[regex.Match], before: bytes) -> list[list[list[tuple[object, bool]]]]:
    """For each unit, the byte slots it may stand for."""
    out = []
    last_byte = before[-1] if before else None
    for index, unit in enumerate(units):
        drop = index > 0  # pairs vanish only once the decoder is out of step
        following = units[index + 1].group() if index + 1 < len(units) else ""
        if unit.group("annotated"):
            # `?` is the byte that, after the one before it, makes the annotated character
            syllable = "".join(unit.group("syllable").split())  # a wrap may split it
            choices = _annotated_trails(last_byte, syllable) if last_byte is not None else ()
            options = [[(choices, drop)]] if choices else []
            last_byte = choices[0] if len(choices) == 1 else None
        elif unit.group("lost") and index == 0:
            options = [[(None, drop)]]  # a stray byte inserted after a lead byte: it goes
            last_byte = None
        elif unit.group("lost"):
            # out of step, a trail byte read as a lead swallowed a real byte below 0x40:
            # the `<` of an end tag when one follows, else lost for good
            options = [[(None, drop), (0x3C, False)]] if following.startswith("/") else [[(None, drop)]]
            last_byte = None
        elif unit.group("pair"):
            encoded = gbk_bytes(unit.group())
            if encoded is None:
                return []
            options = [[(encoded[0], drop), (encoded[1], False)]] if len(encoded) == 2 \
                else [[(encoded[0], drop)]]
            last_byte = encoded[-1]
        elif unit.group("folded"):
            code = ord(unit.group())
            options = [[(0xA3, drop), (code + 0x80, False)], [(code, drop)]]
            last_byte = None
        else:
            options = [[(ord(unit.group()), drop)]]
            last_byte = ord(unit.group())
        out.append(options)
    return out


@lru_cache(maxsize=4096)  # a page's annotations are of a few characters: they recur
def _annotated_trails(lead: int, syllable: str) -> tuple[int, ...]:
    """The trail bytes that make with `lead` a character `syllable` is a reading of."""
    return tuple(trail for trail in range(0x40, 0xFF) if (char := _pair(lead, trail)) and is_reading(char, syllable))


def _word_score(text: str) -> float:
    """Log-probability of jieba's best segmentation of the Han runs, plus the marks between.

    ASCII scores nothing: a repair consumes the resynchronizing ASCII byte that the
    damaged text shows, and neither reading should gain or lose by it.
    """
    score = 0.0
    for piece in _HAN_OR_OTHER.findall(text):
        if "\u3400" <= piece[0] <= "\u9fff":
            score += _han_run_score(piece)
        else:
            score += sum(_char_score(ch) for ch in piece if not ch.isascii())
    return score


@lru_cache(maxsize=4096)  # the readings of a window share most of their runs; bounded
def _han_run_score(run: str) -> float:
    return segmentation_score(traditional_to_simplified_chars(run))


def _reading_score(state: _State, context: str = "") -> float:
    _, text, _, drops = state
    return _word_score(text + context) - _DROP_COST * drops


def _damaged_score(text: str) -> float:
    # a `?` is scored as an ordinary rare character, so that a real question mark
    # before ordinary words is never "repaired"
    return _word_score(text) + _LOST_MARK * text.count("?")


def repair_gbk_runs(text: str) -> tuple[list[Edit], int]:
    """Edits that restore `?`-led GBK mojibake runs, and how many runs stay lossy.

    >>> from .offsets import apply_edits
    >>> damaged = "發展?jié)摿?/strong>,為當?shù)剜l(xiāng)村"
    >>> edits, lossy = repair_gbk_runs(damaged)
    >>> apply_edits(damaged, edits)[0], lossy
    ('發展潛力</strong>,為當地鄉(xiāng)村', 0)
    >>> repair_gbk_runs("你好吗?我很好")
    ([], 0)
    """
    edits: list[Edit] = []
    lossy = 0
    position = 0
    while (mark := text.find("?", position)) != -1:
        position = mark + 1
        units = _units(text, mark)
        if not units:
            continue
        start = mark
        before = b""
        if mark > 0 and (encoded := gbk_bytes(text[mark - 1])) is not None and len(encoded) == 2 \
                and not (edits and edits[-1].end > mark - 1):
            start, before = mark - 1, encoded
        end = units[-1].end()
        alternatives = [[[(before[0], False), (before[1], False)]]] if before else []
        alternatives += _alternatives(units, before)
        if len(alternatives) != len(units) + bool(before) or any(not a for a in alternatives):
            lossy += bool(units[-1].group("resync"))  # a silent window may be no damage at all
            continue
        # the characters after the window, in step again, tell 開展 from 確展
        after = _HAN_RUN.match(text, end)
        context = after.group()[:_CONTEXT] if after else ""
        finished = _decode_best(alternatives, context[:1])
        damaged = text[start:end]
        if not finished:
            lossy += bool(units[-1].group("resync"))
            continue
        scores = [_reading_score(state, context) for state in finished]
        best = finished[scores.index(max(scores))]
        if max(scores) < _damaged_score(damaged + context) + _MARGIN:
            continue
        edits.append(Edit(start, end, best[1]))
        position = end
    return edits, lossy


def repair_encoding(text: str) -> list[Edit]:
    """Edits for the Latin-1 mojibake that charset.py leaves (not Chinese: `cafÃ©`), by ftfy, line by line.

    >>> repair_encoding("cafÃ© 中文")
    [Edit(start=0, end=8, replacement='café 中文')]
    >>> repair_encoding("中文新闻")
    []
    """
    edits = []
    end = 0
    while letter := _LATIN_LETTER.search(text, end):
        start = text.rfind("\n", 0, letter.start()) + 1
        end = text.find("\n", letter.start())
        end = len(text) if end == -1 else end
        line = text[start:end]
        # a tone mark of a pinyin annotation (創(chuàng)) is no mojibake: ftfy reads only the lines
        # with such a letter outside them (most of a damaged page's are annotated lines)
        if not _LATIN_LETTER.search(ANNOTATION.sub("", line)):
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            edits.append(Edit(start, end, fixed))
    return edits


# A byte lost or inserted in GBK text shifts every later pair by one byte, up to the
# next ASCII byte; a strict decoder (Python's, the WHATWG one) then gives U+FFFD for
# the lone byte before that ASCII byte (or for an unassigned pair, after which it is
# back in step). So a run ends at a U+FFFD. (A run whose lone byte pairs with an
# ASCII letter ends without one, and is left as it is.)
_SHIFT_MARGIN = 8.0  # log-probability by which the shifted reading must beat the damage
_SHIFT_GAIN = 1.0  # and so much more on each character it restores
_SHIFT_LEAST = 2  # characters a shifted run restores (its last one guessed)
_ORPHAN_LEADS = 12  # leads tried for a run's first trail byte, whose lead was lost
_GUESS_FLOOR = -5.0  # a guessed first character must make words with its neighbours


def _shift_bytes(text: str, start: int, end: int) -> tuple[list[int | None], list[int]] | None:
    """The GBK bytes of text[start:end] (None for a U+FFFD) and, per byte, its character index;
    a single space between two characters is a layout wrap and gives no byte. None when a
    character has no GBK bytes.

    Only the bytes from the last pair (paired from the end, but for the run's last pair and
    a last ASCII byte) that no character reads as are given: `_shift_one` weighs none before
    it, and in a stray byte's run of good text, read out of step, such a pair comes soon
    (seven bytes in ten of the runs of damaged pages lie before it).
    """
    pairs = _tables()[0]
    backwards: list[int | None] = []
    owners: list[int] = []
    checked = 1  # pairs from the end looked up (the last one is _shift_one's to guess)
    index = end - 1
    while index >= start:
        char = text[index]
        if char == "\ufffd":
            backwards.append(None)
            owners.append(index)
        elif char != " ":
            encoded = gbk_bytes(char)
            if encoded is None:
                return None
            backwards.extend(encoded[::-1])
            owners.extend([index] * len(encoded))
        index -= 1
        last_ascii = bool(backwards) and backwards[0] is not None and backwards[0] < 0x80
        while len(backwards) >= last_ascii + 2 * checked + 2:
            trail = backwards[last_ascii + 2 * checked]
            lead = backwards[last_ascii + 2 * checked + 1]
            if (lead, trail) not in pairs:
                if not _gbk_readable(text[start:index + 1]):
                    return None
                return backwards[::-1], owners[::-1]
            checked += 1
    return backwards[::-1], owners[::-1]


def _gbk_readable(text: str) -> bool:
    """Whether gbk_bytes gives bytes for every character of `text` but U+FFFD (one encode at C
    speed; a U+FFFD, or a pair only GB18030 reads, sends it to the look-up one by one)."""
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return all(char == "\ufffd" or gbk_bytes(char) is not None for char in text)
    return True


def _run_start(text: str, anchor: int) -> int:
    """Where the non-ASCII run that ends at `anchor` begins (single spaces are wraps)."""
    start = anchor
    while start > 0 and (not text[start - 1].isascii()
                         or text[start - 1] == " " and start > 1 and not text[start - 2].isascii()):
        start -= 1
    return start


def _shift_one(text: str, anchor: int) -> tuple[Edit, int] | None:
    """The repair of the shifted run ending at `anchor`, and whether its first character is a guess."""
    end = anchor + 1
    start = _run_start(text, anchor)
    found = _shift_bytes(text, start, end)
    if found is None:
        return None
    data, owners = found
    tail = ""
    if data and data[-1] is not None and data[-1] < 0x80:  # an ASCII letter a lone byte swallowed
        tail = chr(data[-1])
        data, owners = data[:-1], owners[:-1]
    if len(data) < 3:
        return None
    # the shifted reading pairs bytes from the end; the damaged text paired them from its start
    first = len(data) % 2  # the orphan byte, if the count is odd, is data[0]
    shifted: list[tuple[int, str | None]] = []  # (index of the first byte, character)
    following = text[end:end + 1]
    guessed = 0
    pairs = _tables()[0]
    for position in range(first, len(data) - 1, 2):
        lead, trail = data[position], data[position + 1]
        if lead is not None and trail is None and position + 2 == len(data):
            # the run's last trail byte became U+FFFD: the likeliest character with this lead
            previous = shifted[-1][1] if shifted and shifted[-1][1] else ""
            ranked = _ranked(previous, ("lead", lead), following)
            char = ranked[0][1] if ranked else None
            guessed = 1
        else:
            char = pairs.get((lead, trail))  # None where either byte is unknown
        shifted.append((position, char))
    # per shifted character: its score minus that of the damaged characters it replaces;
    # the run starts where the best suffix of these gains starts (linear in the run).
    # A suffix holding a pair no character reads as cannot be the repair: only the
    # characters after the last such pair are weighed (in good text before a shift,
    # read out of step, such pairs are common: most of a run is never scored)
    readable_from = next((number + 1 for number in range(len(shifted) - 1, -1, -1)
                          if shifted[number][1] is None), 0)
    gains = []
    previous = ""
    for _, char in shifted[readable_from:]:
        gains.append(_char_score(char) + pair_bonus(previous, char))
        previous = char
    best_total, best_from, total = float("-inf"), None, 0.0
    charged: set[int] = set()
    # walk backwards so each suffix sum is one addition; a damaged character is charged once
    for number in range(len(shifted) - 1, readable_from - 1, -1):
        position, _ = shifted[number]
        total += gains[number - readable_from]
        for owner in {owners[position], owners[position + 1]} - charged:
            total -= _char_score(text[owner]) if text[owner] != "\ufffd" else _LOST_MARK
            charged.add(owner)
        if total > best_total:
            best_total, best_from = total, number
    # a stray byte in good text also leaves a U+FFFD, and the likeliest character
    # before it reads well: a shifted run must hold known characters and gain on each
    if best_from is None or len(shifted) - best_from < _SHIFT_LEAST \
            or best_total < _SHIFT_MARGIN + _SHIFT_GAIN * (len(shifted) - best_from):
        return None
    position = shifted[best_from][0]
    # the characters the repair replaces: from the one holding the first shifted byte
    repair_start = owners[position]
    orphan_owner = owners[position - 1] if position > 0 else None
    prefix = ""
    if orphan_owner == repair_start and data[position - 1] is not None:
        # the first shifted byte is a damaged character's trail: its first byte was a
        # stray byte (it goes) or the trail of a character whose lead was lost (guessed
        # when the words it makes with its neighbours vouch for it)
        before = text[repair_start - 1:repair_start]
        after = shifted[best_from][1]
        options = [(score + pair_bonus(before, char) + pair_bonus(char, after), char)
                   for score, _, char in _tables()[2].get(data[position - 1], [])[:_ORPHAN_LEADS]]
        best_guess = max(options, default=None)
        if best_guess is not None and best_guess[0] - pair_bonus(before, after) > _GUESS_FLOOR:
            prefix = best_guess[1]
            guessed += 1
    repaired = prefix + "".join(char for _, char in shifted[best_from:]) + tail
    return Edit(repair_start, end, repaired), guessed


# GB18030 reads GBK's unassigned pairs as private-use characters (U+E000-U+E765) where
# Python's GBK decoder gives U+FFFD: a shifted run that a GB18030 decoder read often has
# no U+FFFD at all, but such characters, which clean text does not hold next to Chinese
_GB18030_PRIVATE = regex.compile(r"[\ue000-\ue765]")
_RUN_END = regex.compile(r"[\x00-\x7f\s]|\Z")  # where a run of characters GBK bytes made ends
_LOST_CHAR = regex.compile("\ufffd")  # compiled once: regex.finditer looks a pattern up in its cache per call


def _shift_anchors(text: str) -> set[int]:
    """Where a shifted run may end: at each U+FFFD, and at the last character of a run
    holding a private-use character of GB18030's."""
    anchors = {match.start() for match in _LOST_CHAR.finditer(text)}
    run_end = 0
    for private in _GB18030_PRIVATE.finditer(text):  # one fast scan: clean text holds none
        if private.start() >= run_end:
            run_end = _RUN_END.search(text, private.end()).start()
            anchors.add(run_end - 1)
    return anchors


def repair_gbk_shifts(text: str) -> tuple[list[Edit], int]:
    r"""Edits restoring runs of GBK text read one byte out of step, and the characters guessed.

    >>> from .offsets import apply_edits
    >>> clean = "我高兴地看到，在双方共同努力下".encode("gbk")
    >>> damaged = (clean[:4] + clean[5:]).decode("gbk", "replace")  # the lead byte of 兴 lost
    >>> damaged
    '我高说乜吹剑�在双方共同努力下'
    >>> apply_edits(damaged, repair_gbk_shifts(damaged)[0])[0]
    '我高兴地看到，在双方共同努力下'
    >>> repair_gbk_shifts("开放\ufffd合作，互利共赢。")
    ([], 0)
    """
    edits: list[Edit] = []
    guessed = 0
    covered = 0
    for anchor in sorted(_shift_anchors(text)):
        if anchor < covered:
            continue
        repair = _shift_one(text, anchor)
        if repair is None:
            continue
        edit, guess = repair
        if edits and edit.start < edits[-1].end:
            continue
        edits.append(edit)
        covered = edit.end
        guessed += guess
    return edits, guessed
