"""The places the rules know: China's divisions down to counties (rules/places.txt) and the
world's countries (rules/countries.txt), for the extractors that tell a place from a name."""
from __future__ import annotations

from typing import NamedTuple

from .. import ruleset


class Places(NamedTuple):
    every: frozenset[str]  # every place's name and short form
    major: frozenset[str]  # those of provinces and cities only
    full: frozenset[str]  # the names in full (杭州市), no short forms but the countries' (印尼)


@ruleset.cached
def places() -> Places:
    """China's divisions down to counties, and the world's countries (their short forms, 印尼 and
    沙特, being names of them only).

    >>> "杭州" in places().every, "杭州" in places().full, "印尼" in places().full
    (True, False, True)
    """
    every, major, full = set(), set(), set()
    for name, level, short in ruleset.rows("places.txt"):
        every.update((name, short))
        full.add(name)
        if level != "county":
            major.update((name, short))
    for name, short in ruleset.rows("countries.txt"):
        every.update((name, short))
        major.update((name, short))
        full.update((name, short))
    return Places(frozenset(every), frozenset(major), frozenset(full))
