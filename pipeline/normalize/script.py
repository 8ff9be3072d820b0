"""Traditional to simplified with OpenCC, and which script a text is in.

OpenCC's `t2s` maps OpenCC's standard traditional forms. Taiwan and Hong Kong
sources write some characters in their own forms (`著` for the particle 着, `裡`,
`衞`, `揹`), which `t2s` leaves alone. So a line written in traditional goes first
through the union of OpenCC's `tw2s` and `hk2s` first stages (TWVariantsRev and
HKVariantsRev with their phrase tables, which keep 著名, 顯著, 名著 as they are),
then through `t2s`: the same chain `tw2s` and `hk2s` run, with both regions' tables
at once, since a page rarely says which region it quotes. Traditional forms that
OpenCC's own `s2t` writes but `t2s` does not read back (`揹` for 背) map back too.
The regional stage runs only on lines written in traditional, and on a simplified
line's runs holding a traditional-only form: `著` is also the simplified 著 of 著名, 显著. Phrase tables may change a phrase's length, so each
changed run of text becomes one edit and keeps the offset map exact at its ends.

OpenCC's `t2s` is a character table plus 277 phrases. A run that holds none of the
phrases converts character by character, which `str.translate` does at C speed
with OpenCC's own table; only runs holding a phrase go through OpenCC itself
(tests/test_normalize.py checks the two give the same text).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources

import regex
from opencc import OpenCC

from .. import ruleset
from .codepoints import CharClass, CharTable
from .offsets import Edit


def _opencc_rows(name: str):
    """(key, candidates) of one of OpenCC's dictionary files, the first candidate preferred."""
    with resources.files("opencc").joinpath("dictionary", name).open(encoding="utf-8") as rows:
        for row in rows:
            key, values = row.rstrip("\n").split("\t")
            yield key, values.split(" ")


@lru_cache(maxsize=1)
def _character_tables() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Traditional-only characters to their simplified form; simplified-only characters;
    every character OpenCC may change (於 is also simplified, but 得益於 becomes 得益于;
    沈 alone stays, but 沈船 becomes 沉船)."""
    table = list(_opencc_rows("TSCharacters.txt"))
    traditional = {key: values[0] for key, values in table if key not in values}
    simplified = frozenset(key for key, values in _opencc_rows("STCharacters.txt") if key not in values)
    # characters OpenCC may change: by its character table, or inside one of its phrases (沈船)
    convertible = frozenset(key for key, values in table if values[0] != key) \
        | frozenset(char for key, _ in _opencc_rows("TSPhrases.txt") for char in key)
    return traditional, simplified, convertible


@lru_cache(maxsize=1)
def _regional() -> tuple[dict[int, str], re.Pattern, dict[str, str]]:
    """Regional forms to OpenCC's standard traditional: a character table for
    str.translate, a phrase pattern, phrases."""
    characters: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        characters.update((key, values[0]) for key, values in _opencc_rows(name) if key != values[0])
    for name in ("TWVariantsRevPhrases.txt", "HKVariantsRevPhrases.txt"):
        phrases.update((key, values[0]) for key, values in _opencc_rows(name))
    to_simplified_char = {key: values[0] for key, values in _opencc_rows("TSCharacters.txt")}
    for simplified, values in _opencc_rows("STCharacters.txt"):
        characters.update((other, simplified) for other in values[1:]
                          if other not in to_simplified_char and other != simplified)
    # keep a regional mapping only if what t2s then makes of it is at least as common in
    # simplified text: OpenCC's tables map 抬 to a standard 擡 that t2s does not read back
    from .charfreq import log_frequency

    def final(char: str) -> str:
        return to_simplified_char.get(char, char)

    table = {ord(key): value for key, value in characters.items()
             if log_frequency(final(value)) >= log_frequency(final(key))}
    pattern = _phrase_pattern(phrases)
    return table, pattern, phrases


def _phrase_pattern(phrases) -> re.Pattern:
    """A pattern of literal phrases, the longest first. Compiled by the standard `re`,
    which scans a few hundred literal alternatives five times faster than `regex`, as a
    tree of shared beginnings (`ruleset.alternation`): a tenth less of to_simplified's
    time on damaged articles than the phrases one after another."""
    return re.compile(ruleset.alternation(phrases))


def _standard_traditional(run: str) -> str:
    """A traditional run with its Taiwan and Hong Kong forms made OpenCC-standard.

    >>> _standard_traditional("他看著衞星裡的著名作品")
    '他看着衛星裏的著名作品'
    """
    characters, pattern, phrases = _regional()
    pieces, cursor = [], 0
    for match in pattern.finditer(run):
        pieces.append(run[cursor:match.start()].translate(characters))
        pieces.append(phrases[match.group()])
        cursor = match.end()
    pieces.append(run[cursor:].translate(characters))
    return "".join(pieces)


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _fast_path() -> tuple[dict[int, str], re.Pattern]:
    """OpenCC t2s's character table for str.translate, and a pattern of its phrases."""
    table = {ord(key): values[0] for key, values in _opencc_rows("TSCharacters.txt") if values[0] != key}
    return table, _phrase_pattern(key for key, _ in _opencc_rows("TSPhrases.txt"))


@lru_cache(maxsize=1)
def _text_tables() -> tuple[CharTable, CharTable]:
    """The regional forms to OpenCC's standard traditional, and t2s's character table, as
    CharTables (4 MB each): a text's lines in traditional convert at once, in two numpy look-ups
    over the text (measured: a fifth of to_simplified's time went to str.translate, line by line)."""
    regional_characters, _, _ = _regional()
    table, _ = _fast_path()
    return (CharTable({chr(code): char for code, char in regional_characters.items()}),
            CharTable({chr(code): char for code, char in table.items()}))


@lru_cache(maxsize=1)
def _script_classes() -> tuple[CharClass, CharClass]:
    """The traditional-only and the simplified-only characters, to count over whole texts."""
    traditional, simplified, _ = _character_tables()
    return CharClass(traditional), CharClass(simplified)


_HAN_RUN = regex.compile(r"\p{Han}+")


def character_table() -> dict[int, str]:
    """OpenCC t2s's character table, for str.translate."""
    return _fast_path()[0]


@lru_cache(maxsize=1)
def traditional_to_simplified_table() -> dict[int, str]:
    """Each traditional-only character (its code point) to its simplified form, for str.translate."""
    return {ord(key): value for key, value in _character_tables()[0].items()}


def traditional_to_simplified_chars(text: str) -> str:
    """Each traditional-only character as its simplified form, one by one (no phrases).

    >>> traditional_to_simplified_chars("發展著")
    '发展著'
    """
    return text.translate(traditional_to_simplified_table())


def detect_script(text: str) -> str:
    """simplified, traditional or mixed, by the characters only one script uses.

    >>> detect_script("经济发展"), detect_script("經濟發展"), detect_script("經濟发展")
    ('simplified', 'traditional', 'mixed')
    """
    traditional, simplified = _script_classes()
    trad = traditional.count(text)
    if trad == 0:
        return "simplified"
    simp = simplified.count(text)
    if simp > 4 * trad:
        return "simplified"
    if simp == 0 or trad > 4 * simp:
        return "traditional"
    return "mixed"


def to_simplified(text: str) -> list[Edit]:
    """Edits that turn every traditional run into simplified.

    >>> to_simplified("從外部輸血到自我造血")
    [Edit(start=0, end=10, replacement='从外部输血到自我造血')]
    >>> to_simplified("从外部输血")
    []
    >>> to_simplified("他們看著衞星裡，顯著")  # Taiwan and Hong Kong forms on a traditional line
    [Edit(start=0, end=7, replacement='他们看着卫星里'), Edit(start=8, end=10, replacement='显著')]
    >>> to_simplified("显著提高")  # 著 on a simplified line stays
    []
    >>> to_simplified("现在村里，他笑著說，很好")  # ... but not in a run written in traditional
    [Edit(start=5, end=9, replacement='他笑着说')]
    """
    traditional, _, convertible = _character_tables()
    traditional_class, simplified_class = _script_classes()
    # only a line holding a traditional-only form converts (on a simplified line, only
    # the runs holding one): one scan settles most texts
    found = traditional_class.positions(text)
    table, phrases = _fast_path()
    edits = []
    standard_text = converted_text = None  # the whole text converted, made at its first line in traditional
    first = 0  # the first traditional-only form of the line
    while first < len(found):
        start = text.rfind("\n", 0, found[first]) + 1
        end = text.find("\n", found[first])
        end = len(text) if end == -1 else end
        following = bisect_left(found, end, first)
        line = text[start:end]
        in_traditional = following - first >= simplified_class.count(line)
        first = following
        if in_traditional:
            # a line without phrases converts character by character: each changed run is cut
            # from the whole text converted character by character
            if converted_text is None:
                regional_table, t2s_table = _text_tables()
                standard_text = regional_table.translate(text)
                converted_text = t2s_table.translate(standard_text)
            standard_line, converted_line = standard_text[start:end], converted_text[start:end]
            _, regional_phrases, _ = _regional()
            if not regional_phrases.search(line) and not phrases.search(standard_line):
                edits += [Edit(start + run.start(), start + run.end(), converted_line[run.start():run.end()])
                          for run in _HAN_RUN.finditer(line) if converted_line[run.start():run.end()] != run.group()]
                continue
        # OpenCC needs the neighbours of a traditional character to pick a phrase: the whole run
        for run in _HAN_RUN.finditer(line):
            original = run.group()
            # on a simplified line only a run holding a traditional-only form converts (乾 of
            # 王丙乾, 氾 of 氾水 are simplified too), with its regional forms: a sentence quoted
            # in traditional (笑著說) is a traditional run
            if not in_traditional and traditional.keys().isdisjoint(original):
                continue
            standard = _standard_traditional(original)
            if convertible.isdisjoint(standard) and standard == original:
                continue
            converted = _converter().convert(standard) if phrases.search(standard) else standard.translate(table)
            if converted != original:
                edits.append(Edit(start + run.start(), start + run.end(), converted))
    return edits
