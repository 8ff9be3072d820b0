"""Traditional to simplified with OpenCC, and which script a text is in.

OpenCC's `t2s` maps OpenCC's standard traditional forms, which are what GBK/Big5
news sites in mainland China and Hong Kong publish; the regional `tw2s`/`hk2s`
chains only add variant-glyph tables and cost another pass. Phrase tables may
change a phrase's length, so each changed run of text becomes one edit and keeps
the offset map exact at its ends.

OpenCC's `t2s` is a character table plus 277 phrases. A run that holds none of the
phrases converts character by character, which `str.translate` does at C speed
with OpenCC's own table; only runs holding a phrase go through OpenCC itself
(tests/test_normalize.py checks the two give the same text).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import regex
from opencc import OpenCC

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
def _converter() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _fast_path() -> tuple[dict[int, str], regex.Pattern]:
    """OpenCC t2s's character table for str.translate, and a pattern of its phrases."""
    table = {ord(key): values[0] for key, values in _opencc_rows("TSCharacters.txt") if values[0] != key}
    phrases = sorted((key for key, _ in _opencc_rows("TSPhrases.txt")), key=len, reverse=True)
    return table, regex.compile("|".join(regex.escape(p) for p in phrases))


_HAN_RUN = regex.compile(r"\p{Han}+")


def traditional_to_simplified_char(char: str) -> str:
    return _character_tables()[0].get(char, char)


def detect_script(text: str) -> str:
    """simplified, traditional or mixed, by the characters only one script uses.

    >>> detect_script("经济发展"), detect_script("經濟發展"), detect_script("經濟发展")
    ('simplified', 'traditional', 'mixed')
    """
    traditional, simplified, _ = _character_tables()
    trad = sum(1 for ch in text if ch in traditional)
    simp = sum(1 for ch in text if ch in simplified)
    if trad == 0 or simp > 4 * trad:
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
    """
    _, _, convertible = _character_tables()
    if convertible.isdisjoint(text):
        return []
    table, phrases = _fast_path()
    edits = []
    # OpenCC needs the neighbours of a traditional character to pick a phrase: the whole run
    for run in _HAN_RUN.finditer(text):
        original = run.group()
        if not convertible.isdisjoint(original):
            simplified = _converter().convert(original) if phrases.search(original) else original.translate(table)
            if simplified != original:
                edits.append(Edit(run.start(), run.end(), simplified))
    return edits
