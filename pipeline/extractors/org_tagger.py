"""The organization tagger: a linear-chain CRF over characters (pipeline/models/organizations.json).

It reads what the pipeline already has, so tuning the rules still steers it: each
character and its neighbours, the jieba token it sits in and that token's tag, the
organization words of rules/organizations.yaml ending around it, the rule
candidates themselves (gazetteer, suffix, dictionary, enumeration, office), stacked
as features rather than merged after, and the names of the training data around it
(a lexicon shipped with the weights). The model card is pipeline/models/README.md;
`python -m pipeline.train organizations` trains it with python-crfsuite and writes
its weights as JSON, which this module decodes with Viterbi in plain Python: the
runtime needs no CRF library, and looking weights up by feature family (the character
itself, not a string built from it) is faster than handing strings to crfsuite.

Only the text before a trigger is tagged (at most `window` characters of its clause):
the end of a rule candidate or of a training name, a token jieba tags as an organization or abbreviation,
or a token ending in a character that often ends a name in the training data. A name
ends where its last word does, and most clauses of an article hold none.
"""
from __future__ import annotations

import json
import threading
import weakref
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple
from importlib import resources

import numpy
import regex

from .. import ruleset
from ..segment import Segmented

MODEL = "organizations.json"
LABELS = ("B", "I", "O")
_DELIMITER = regex.compile(r"[，。；！？：、,;!?:\s]")
_TRIGGER_TAGS = frozenset({"nt", "j", "nz", "eng"})  # jieba: organization, abbreviation, brand, Latin
_EDGE = "\x02"  # the character beyond either end of a clause

# the feature family of each rule source
_SOURCES = {"organizations.gazetteer": "g", "organizations.dictionary": "d",
            "organizations.enumeration": "e", "organizations.level_office": "o", "organizations.listed_office": "o",
            "organizations.hint": "h"}


def _source_code(rule: str) -> str:
    return "s" if rule.startswith("organizations.suffix.") else _SOURCES.get(rule, "x")


class _Endings(NamedTuple):
    """The organization words of rules/organizations.yaml, as `_organization_words` looks them up."""
    types: dict[str, str]  # each word's type
    lengths: dict[str, list[int]]  # by last character, the lengths of the words ending in it, shortest first
    last_chars: numpy.ndarray  # _char_table of those characters
    words_of_one: numpy.ndarray  # _char_table of the words of one character
    last_pairs: numpy.ndarray  # the last two characters of each longer word, as _code numbers, sorted


@ruleset.cached
def _endings() -> _Endings:
    # not a unit's word (科, 系, 中心): it names an organization only after one, which the features see
    types = {word: org_type for word, (org_type, stem) in ruleset.read_yaml("organizations.yaml")["suffixes"].items()
             if stem != "unit"}
    lengths: dict[str, set[int]] = {}
    for word in types:
        lengths.setdefault(word[-1], set()).add(len(word))
    return _Endings(types, {char: sorted(each) for char, each in lengths.items()}, _char_table(frozenset(lengths)),
                    _char_table(frozenset(word for word in types if len(word) == 1)),
                    numpy.unique([_code(word[-2:]) for word in types if len(word) > 1]).astype(numpy.int64))


def _organization_words(arrays: Layout) -> list[tuple[int, int, str]]:
    """(last, length, type) of every organization word of the rules in the text,
    overlapping ones too, in text order. The words are tried at the characters that end
    one (a thirtieth of the text), found by a table look-up (an Aho-Corasick automaton
    walked every character at twice the cost), and of those at the ones that end a
    word of one character or the last two of a longer one (a third of them)."""
    endings = _endings()
    text, codes, found = arrays.text, arrays.codes, []
    table = endings.last_chars
    lasts = numpy.flatnonzero(_looked_up(table, codes))
    befores = codes[numpy.maximum(lasts - 1, 0)]
    ending = _looked_up(endings.words_of_one, codes[lasts]) \
        | ((lasts > 0) & _among(befores * _PAIR_BASE + codes[lasts], endings.last_pairs))
    for last in lasts[ending].tolist():
        for length in endings.lengths[text[last]]:
            if length > last + 1:
                break
            org_type = endings.types.get(text[last + 1 - length:last + 1])
            if org_type is not None:
                found.append((last, length, org_type))
    return found


# the characters around: two before (q, p), this one (c), two after (n, m)
_CHAR_FAMILIES = {"q": -2, "p": -1, "c": 0, "n": 1, "m": 2}
# the pairs ending at the character (b) and starting at it (a), the pairs before (y) and after (z) it
_PAIR_FAMILIES = {"b": (-1, 0), "a": (0, 1), "y": (-2, -1), "z": (1, 2)}
# the tokens around a token's edge: h the tag and v the word (two characters or more) of
# the token before, on its first character; k the tag and x the word of the token after,
# on its last. A name's edges are where its words meet the words around it (在 ... 举行).
_BEFORE_FAMILIES, _AFTER_FAMILIES = ("h", "v"), ("k", "x")
_PAIR_BASE = 0x110000  # a pair of characters as one number: first * base + second (their numbers in the model)
_PLACES = "BMES"  # a character's place in its token: begins, middle, ends, single
# the number in _PLACES of a character's place, by whether it begins its token (1) plus whether it ends it (2)
_PLACE_NUMBERS = numpy.array([_PLACES.index(place) for place in "MBES"])


# the folder the model is read from: None for the one the package ships; the trainer points it
# at the folder it wrote a model into (--out), to check that model and score it
model_folder: Path | None = None


@lru_cache(maxsize=1)
def model() -> dict:
    """The weights in the shapes the tagger reads fastest: one table indexed by code
    point for each character family, a table indexed by pairs of characters for the
    pair families, rows of one matrix for every other feature (row 0 all zeros, for
    unknown ones), and the row of each tag and place."""
    folder = resources.files("pipeline.models") if model_folder is None else model_folder
    stored = json.loads(folder.joinpath(MODEL).read_text(encoding="utf-8"))
    features = stored["features"]
    # the characters the model knows, numbered from 1 (0 for every other): tables by
    # number are small enough to stay in the processor's caches
    known = sorted({char for family in _CHAR_FAMILIES for char in features.get(family, {})}
                   | {char for family in _PAIR_FAMILIES for pair in features.get(family, {}) for char in pair})
    size = max(map(ord, known)) + 1
    char_numbers = numpy.zeros(size + 1, dtype=numpy.int64)  # by code point; the last for those beyond
    char_numbers[[ord(char) for char in known]] = numpy.arange(1, len(known) + 1)
    # the weights of each character family, by character number (a table a family)
    chars = numpy.zeros((len(_CHAR_FAMILIES), len(known) + 1, 3))  # row 0 for every character the model lacks
    for column, family in enumerate(_CHAR_FAMILIES):
        for value, weights in features.get(family, {}).items():
            chars[column, char_numbers[ord(value)]] = weights
    # every pair of every pair family in one table, each with its weights in each family
    # (zeros where the family lacks it): a pair of characters is looked up once for the
    # four families that read it; its row by the pair's number (first * (known + 1) +
    # second), in a table of every pair of known characters (a few MB: one look-up a
    # pair, where a binary search among the model's pairs costs a dozen)
    pair_weights: dict[int, numpy.ndarray] = {}
    for column, family in enumerate(_PAIR_FAMILIES):
        for value, weights in features[family].items():
            code = int(char_numbers[ord(value[0])]) * (len(known) + 1) + int(char_numbers[ord(value[1])])
            pair_weights.setdefault(code, numpy.zeros((len(_PAIR_FAMILIES), 3)))[column] = weights
    pair_rows = numpy.full((len(known) + 1) ** 2, len(pair_weights), dtype=numpy.min_scalar_type(len(pair_weights)))
    pair_rows[list(pair_weights)] = numpy.arange(len(pair_weights))  # the last row, all zeros, for the others
    # by family, then pair row (a table a family)
    pairs = numpy.array(list(pair_weights.values()) + [numpy.zeros((len(_PAIR_FAMILIES), 3))]).transpose(1, 0, 2).copy()
    matrix = [[0.0, 0.0, 0.0]]
    rows: dict[str, dict[str, int]] = {}
    for family, table in sorted(features.items()):
        if family in _CHAR_FAMILIES or family in _PAIR_FAMILIES:
            continue
        rows[family] = {}
        for value, weights in table.items():
            rows[family][value] = len(matrix)
            matrix.append(weights)
    tags = sorted({value[:-1] for value in rows.get("t", {})})
    tag_rows = numpy.zeros((len(tags) + 1, len(_PLACES)), dtype=numpy.int64)  # the last for unknown tags
    for number, tag in enumerate(tags):
        for place_number, place in enumerate(_PLACES):
            tag_rows[number, place_number] = rows["t"].get(tag + place, 0)
    # the word families (the token, the token before, the token after): one look-up of a
    # word gives its row in each
    word_families = ("w",) + _BEFORE_FAMILIES[1:] + _AFTER_FAMILIES[1:]
    every_word = sorted({word for family in word_families for word in rows.get(family, {})})
    # by family, then word number (0: unknown): each family's rows one piece of memory
    word_rows = numpy.zeros((len(word_families), len(every_word) + 1), dtype=numpy.int64)
    for number, word in enumerate(every_word, start=1):
        word_rows[:, number] = [rows.get(family, {}).get(word, 0) for family in word_families]
    # by length, the words of two and three characters (nine in ten of the words looked
    # up) as `_code` numbers, with their numbers: see _word_numbers
    short_words = {length: _Codes({_code(word): number for number, word in enumerate(every_word, start=1)
                                   if len(word) == length})
                   for length in _CODED_LENGTHS}
    return {"chars": chars, "char_numbers": char_numbers, "pair_rows": pair_rows, "pairs": pairs,
            "weights": numpy.array(matrix),
            "rows": rows, "tags": {tag: number for number, tag in enumerate(tags)}, "tag_rows": tag_rows,
            "words": {word: number for number, word in enumerate(every_word, start=1)}, "word_rows": word_rows,
            "short_words": short_words,
            "tag_tables": {}, "transitions": stored["transitions"], "trigger_chars": frozenset(stored["trigger_chars"]),
            "window": stored["window"], "lexicon": Lexicon(stored.get("lexicon", {}))}


class Lexicon:
    """The names of the training data (two characters or more), each with its grade
    (`LEXICON_SHARES`), for the lexicon feature. Looked up where tokens start, all at
    once, by the numbers of their first characters (`_PAIR_BASE`): the names of two
    characters by the pair (`pairs`), the longer ones by their first three (`triples`,
    each with the lengths of its names), which few starts share with a name: a tenth of
    the look-ups of the names by their first two characters. (An Aho-Corasick automaton
    of them all walks every character, a fifth of the stage's time.) Only the starts
    whose characters each stand in their place in some name are looked up (`pair_places`,
    `triple_places`: a table by code point for each place): a tenth and a quarter of
    them, found by table look-ups at a fifth of the cost of a binary search. A pair's
    number in `pairs` is that of its name's value (`values`), a triple's in `triples`
    that of its names' lengths (`lengths`): no slice of the text nor look-up of it for
    the names of two characters, one for each of the lengths of the longer ones."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        lengths: dict[str, set[int]] = {}
        for name in names:
            if len(name) > 2:
                lengths.setdefault(name[:3], set()).add(len(name))
        by_triple = {triple: tuple(sorted(sizes)) for triple, sizes in lengths.items()}  # the lengths of its names
        self.lengths = [()] + sorted(set(by_triple.values()))  # by number, from 1
        length_numbers = {sizes: number for number, sizes in enumerate(self.lengths)}
        self.triples = _Codes({_code(triple): length_numbers[sizes] for triple, sizes in by_triple.items()})
        self.values = [None] + sorted(set(names.values()))  # by number, from 1
        value_numbers = {value: number for number, value in enumerate(self.values)}
        self.pairs = _Codes({_code(name): value_numbers[value] for name, value in names.items() if len(name) == 2})
        self.pair_places = [_char_table(frozenset(name[place] for name in names if len(name) == 2))
                            for place in range(2)]
        self.triple_places = [_char_table(frozenset(triple[place] for triple in by_triple))
                              for place in range(3)]

    def __len__(self) -> int:
        return len(self.names)


def _code(chars: str) -> int:
    """Two or three characters as one number: their code points in base _PAIR_BASE."""
    code = 0
    for char in chars:
        code = code * _PAIR_BASE + ord(char)
    return code


# a training name's share of its occurrences labelled as a name, as a grade: at least
# 0.7 (a), at least 0.3 (b), less (c): 中央 and 政府 are names in a few places only
LEXICON_SHARES = ((0.7, "a"), (0.3, "b"), (0.0, "c"))


def lexicon_grade(share: float) -> str:
    return next(grade for least, grade in LEXICON_SHARES if share >= least)


@dataclass(frozen=True)
class Layout:
    """What the rules and the tagger read of a document's characters and tokens, as
    arrays built once per document (per-token loops in Python cost more than the
    tagging itself)."""
    text: str
    codes: numpy.ndarray  # code point of each character
    starts: numpy.ndarray  # of each token
    lengths: numpy.ndarray
    ends: numpy.ndarray
    tag_numbers: numpy.ndarray  # of each token's tag, in _TAG_NUMBERS

    @cached_property
    def delimiter(self) -> numpy.ndarray:
        """Whether each character ends a clause; True beyond the end and before the start
        (index -1, -2). On demand: the tagger reads it of the documents joined (`joined`)
        only, where one look-up serves them all."""
        delimiter = numpy.ones(len(self.codes) + 2, dtype=bool)
        delimiter[:len(self.codes)] = _looked_up(_delimiters(), self.codes)
        return delimiter

    @cached_property
    def boundaries(self) -> tuple[bytes, bytes]:
        """For each position of the text and the one past its end, whether a token starts
        there, and whether one ends there (a byte each: indexing bytes is as fast as a set
        and costs no hashing of every token)."""
        size = len(self.codes) + 1
        starts, ends = numpy.zeros(size, dtype=bool), numpy.zeros(size, dtype=bool)
        starts[self.starts] = True
        ends[self.ends] = True
        return starts.tobytes(), ends.tobytes()

    def with_tag(self, tags) -> numpy.ndarray:
        """Whether each token's tag is one of `tags` (a table by tag number: numpy.isin
        would sort the tags of every token)."""
        numbers = [_TAG_NUMBERS[tag] for tag in tags]
        table = numpy.zeros(len(_TAG_NUMBERS), dtype=bool)
        table[numbers] = True
        return table[self.tag_numbers]

    def ending_in(self, chars: frozenset[str]) -> numpy.ndarray:
        """The numbers of the tokens whose last character is one of `chars`, in order."""
        table = _cached_char_table(chars)
        return numpy.flatnonzero(_looked_up(table, self.codes[self.ends - 1]))

    def ending_with(self, ends: frozenset[str]) -> numpy.ndarray:
        """The numbers of the tokens whose text ends with one of `ends` (of one or two
        characters), and of those of one character that ends one, in order.

        >>> from pipeline.segment import segment
        >>> [token.text for token in segment("水利局与社会协会的会").tokens]
        ['水利局', '与', '社会', '协会', '的', '会']
        >>> layout(segment("水利局与社会协会的会")).ending_with(frozenset({"局", "协会"})).tolist()
        [0, 3, 5]
        """
        last_chars, singles, pairs = _ends_tables(ends)
        tokens = numpy.flatnonzero(_looked_up(last_chars, self.codes[self.ends - 1]))
        lasts = self.codes[self.ends[tokens] - 1]
        longer = self.lengths[tokens] > 1
        befores = self.codes[(self.ends[tokens] - 2) * longer]  # not numpy.where: see scores
        ending = _looked_up(singles, lasts) | (longer & _among(befores * _PAIR_BASE + lasts, pairs))
        return tokens[~longer | ending]

    def tagged(self, tag: str) -> numpy.ndarray:
        """The numbers of the tokens jieba tags `tag`, in order."""
        return numpy.flatnonzero(self.tag_numbers == _TAG_NUMBERS[tag])


class _Numbering(dict):
    """A number for every key, the next free one for a new key (one thread at a time
    numbers: two threads of a Dask worker meeting new tags at once must not take the
    same number)."""

    def __init__(self) -> None:
        super().__init__()
        self._numbering = threading.Lock()

    def __missing__(self, key: str) -> int:
        with self._numbering:
            return self.setdefault(key, len(self))


_TAG_NUMBERS = _Numbering()  # jieba's tags (a few dozen), numbered as they come
# what stands between documents tagged together (`joined`): a line break, which ends a
# clause (_DELIMITER), held by a token of no jieba tag, so the model has no weight for
# it, as for no token at all
_SEPARATOR, _SEPARATOR_TAG = "\n", ""
_SPACE_TAG = "_SP"  # segment's tag of a run of white space
# by id, the layouts of the documents laid out last (up to LAID_OUT, of documents still
# alive): the rules and the tagger share them, and the documents tagged together
# (`joined`) are laid out once
_layouts: dict[int, Layout] = {}
LAID_OUT = 64


def layout(segmented: Segmented) -> Layout:
    """The arrays of `segmented`, built on the first call for it (dropped with it, or
    when LAID_OUT documents have been laid out since)."""
    key = id(segmented)
    found = _layouts.get(key)
    if found is None:
        if len(_layouts) >= LAID_OUT:
            _layouts.pop(next(iter(_layouts)), None)  # the oldest (None: another thread took it first)
        text, tokens = segmented.text, segmented.tokens
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32).astype(numpy.int64)
        starts = numpy.array(segmented.starts, dtype=numpy.int64)
        tag_numbers = numpy.fromiter(map(_TAG_NUMBERS.__getitem__, map(itemgetter(1), tokens)),
                                     dtype=numpy.int64, count=len(tokens))
        # a token runs to the next one's start (the text's end), but for the one space
        # after a word that is no token of its own (segment's tokens; an _SP token holds
        # all its white space): the lengths of the words read one by one cost 10 ms
        # over 300 articles
        bounds = numpy.append(starts[1:], len(text))[:len(starts)]
        lengths = bounds - starts - ((codes[bounds - 1] == ord(" ")) & (tag_numbers != _TAG_NUMBERS[_SPACE_TAG]))
        found = _layouts[key] = Layout(text, codes, starts, lengths, starts + lengths, tag_numbers)
        weakref.finalize(segmented, _layouts.pop, key, None)
    return found


def joined(layouts: list[Layout]) -> tuple[Layout, list[int]]:
    """The documents as one, each after a _SEPARATOR (which ends a clause, as the start
    and end of a document do) held by a token of _SEPARATOR_TAG (as no token is, to the
    model); and where each document begins in it. Every stretch the tagger
    reads lies within a clause, so it tags the joined documents as it tags each alone,
    in one pass of array operations instead of one a document."""
    if len(layouts) == 1:
        return layouts[0], [0]
    offsets = numpy.cumsum([0] + [len(each.text) + 1 for each in layouts[:-1]]).tolist()

    def joining(pairs) -> numpy.ndarray:  # each document's part, then the separator's; the last separator left out
        return numpy.concatenate([part for pair in pairs for part in pair][:-1])

    starts = joining((each.starts + offset, [offset + len(each.text)]) for offset, each in zip(offsets, layouts))
    lengths = joining((each.lengths, [1]) for each in layouts)
    return Layout(text=_SEPARATOR.join(each.text for each in layouts),
                  codes=joining((each.codes, [ord(_SEPARATOR)]) for each in layouts),
                  starts=starts, lengths=lengths, ends=starts + lengths,
                  tag_numbers=joining((each.tag_numbers, [_TAG_NUMBERS[_SEPARATOR_TAG]]) for each in layouts)), offsets


@lru_cache(maxsize=1)
def _delimiters() -> numpy.ndarray:
    """For each code point up to the last delimiter and one more, whether it ends a clause."""
    every = "".join(map(chr, range(0xFF20)))  # up to the full-width punctuation
    table = numpy.zeros(len(every) + 1, dtype=bool)
    table[[match.start() for match in _DELIMITER.finditer(every)]] = True
    return table


@dataclass(frozen=True)
class Stretches:
    """[start, end) of the stretches to tag (of `windows`), in text order, as arrays: the
    tagger reads them so (as a list of pairs, turning them into arrays and back cost
    5 ms over 300 articles)."""
    starts: numpy.ndarray
    ends: numpy.ndarray

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def sizes(self) -> numpy.ndarray:
        return self.ends - self.starts

    def spans(self) -> list[tuple[int, int]]:
        return list(zip(self.starts.tolist(), self.ends.tolist()))


def windows(arrays: Layout, candidates, names: list[tuple[int, int, str]], trigger_chars: frozenset[str],
            window: int) -> Stretches:
    """[start, end) of the stretches to tag: from at most `window` characters before
    each trigger's end (a rule candidate's, a training name's of `names`, a token's of a
    trigger tag or character) to the end of its clause, those of one clause merged. (Ending
    a few characters past the last trigger instead would tag a quarter fewer
    characters but leave out 2% of the training names.)"""
    triggering = arrays.with_tag(_TRIGGER_TAGS)
    triggering[arrays.ending_in(trigger_chars)] = True
    # in order, the same end more than once too (it makes the same stretch): numpy.union1d
    # goes through a table of hashes (see _distinct), a tenth of this function's time
    ends = numpy.sort(numpy.concatenate((numpy.compress(triggering, arrays.ends),  # compress: see _in_places
                                         numpy.array([c.end for c in candidates] + [end for _, end, _ in names],
                                                     dtype=numpy.int64))))
    ends = ends[~arrays.delimiter[ends - 1]]  # a trigger ending on punctuation
    if not len(ends):
        return Stretches(ends, ends)
    breaks = numpy.flatnonzero(arrays.delimiter[:len(arrays.codes)])
    clause = numpy.searchsorted(breaks, ends)
    clause_ends = numpy.append(breaks, len(arrays.codes))[clause]
    starts = numpy.maximum(numpy.concatenate(([0], breaks + 1))[clause], ends - window)
    firsts = numpy.flatnonzero(numpy.diff(clause_ends, prepend=-1))  # the first trigger of each clause
    return Stretches(starts[firsts], clause_ends[firsts])


def _char_table(chars: frozenset[str]) -> numpy.ndarray:
    """For each code point up to the highest of `chars` and one more, whether it is one of them."""
    table = numpy.zeros(max(map(ord, chars), default=0) + 2, dtype=bool)
    table[[ord(char) for char in chars]] = True
    return table


def _looked_up(table: numpy.ndarray, numbers: numpy.ndarray) -> numpy.ndarray:
    """table[number] for each of `numbers` (none negative), the table's last entry for
    those beyond it (a _char_table's False, the number of characters the model lacks):
    take's clip mode, half the time of numpy.minimum and then indexing or take.

    >>> _looked_up(numpy.array([5, 6, 0]), numpy.array([1, 0, 2, 9])).tolist()
    [6, 5, 0, 0]
    """
    return table.take(numbers, mode="clip")


_cached_char_table = lru_cache(maxsize=8)(_char_table)  # for sets of characters that recur (the rules')


@lru_cache(maxsize=8)
def _ends_tables(ends: frozenset[str]) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Of `ends` (of one or two characters): a _char_table of their last characters, one
    of those of one character, and those of two as _code numbers, sorted."""
    return (_char_table(frozenset(end[-1] for end in ends)), _char_table(frozenset(end for end in ends if len(end) == 1)),
            numpy.array(sorted(_code(end) for end in ends if len(end) == 2), dtype=numpy.int64))


def lexicon_names(arrays: Layout, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """[start, end) and grade of every training name of `lexicon` in the text (the
    model's lexicon at run time; the trainer's of the other folds for a training
    sentence) that starts where a token does: one starting inside a word is mostly
    part of other words (组建 行业 of 建行), 1% of the names matched on a dev tenth.
    It may end inside one (外交部 of 外交部长)."""
    if not len(lexicon):
        return []
    codes, size = arrays.codes, len(arrays.codes)
    text, names = arrays.text, lexicon.names
    every_start = arrays.starts[arrays.starts + 2 <= size]
    starts = _in_places(codes, every_start, lexicon.pair_places)
    numbers = lexicon.pairs.numbers_of(codes[starts] * _PAIR_BASE + codes[starts + 1])
    held = numpy.flatnonzero(numbers)
    values = lexicon.values
    found = [(start, start + 2, values[number])
             for start, number in zip(starts.take(held).tolist(), numbers.take(held).tolist())]
    starts = _in_places(codes, every_start[every_start + 3 <= size], lexicon.triple_places)
    triples = (codes[starts] * _PAIR_BASE + codes[starts + 1]) * _PAIR_BASE + codes[starts + 2]
    numbers = lexicon.triples.numbers_of(triples)
    held = numpy.flatnonzero(numbers)
    lengths = lexicon.lengths
    found += [(start, start + length, value)
              for start, number in zip(starts.take(held).tolist(), numbers.take(held).tolist())
              for length in lengths[number]
              if start + length <= size and (value := names.get(text[start:start + length])) is not None]
    return sorted(found)


def _in_places(codes: numpy.ndarray, starts: numpy.ndarray, places: list[numpy.ndarray]) -> numpy.ndarray:
    """Those of `starts` from which on the characters are each one of its place's (`places`,
    of _char_table): each place looked up for the starts the places before kept (the first
    keeps a quarter to a half of them for the model's lexicon, a tenth to a thirtieth for
    the gazetteer's). By compress, not indexing by the mask: indexing by a mask of
    scattered Trues costs four times as much (25,000 starts, a quarter True: 83 us against 18)."""
    for place, table in enumerate(places):
        # each start's character at `place`, read from the codes from `place` on: no sum of every start and `place`
        starts = numpy.compress(_looked_up(table, codes[place:].take(starts)), starts)
    return starts


def _distinct(values: numpy.ndarray) -> numpy.ndarray:
    """The distinct numbers of `values`, sorted: `numpy.unique` by a sort alone (NumPy 2's
    goes through a table of hashes first: 6 to 12 times the time for 300 to 20,000 numbers).

    >>> _distinct(numpy.array([5, 1, 5, 3, 1])).tolist()
    [1, 3, 5]
    """
    ordered = numpy.sort(values)
    kept = numpy.ones(len(ordered), dtype=bool)
    kept[1:] = ordered[1:] != ordered[:-1]
    return ordered[kept]


def _among(values: numpy.ndarray, sorted_values: numpy.ndarray) -> numpy.ndarray:
    """Whether each of `values` is one of `sorted_values` (a binary search each: numpy.isin
    would sort both)."""
    if not len(sorted_values):
        return numpy.zeros(len(values), dtype=bool)
    found = numpy.minimum(numpy.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[found] == values


_HASH_BITS = 16  # of `_Codes`' table: a few thousand codes, one in ten places or fewer
_NO_CODE, _SHARED_PLACE = -1, -2  # in that table: a place no code hashes to, or several do (every code is positive)


def _hashed(codes: numpy.ndarray) -> numpy.ndarray:
    """A number of _HASH_BITS bits for each `_code` number (of up to three characters)."""
    return (codes ^ (codes >> 21) ^ (codes >> 42)) & ((1 << _HASH_BITS) - 1)


class _Codes:
    """Some `_code` numbers, each with a number (1 or more), for finding those
    of many numbers at once: a table by hash (`_hashed`) holds the code and its number
    where one code alone hashes, a binary search finds those whose place several share (a
    binary search of each cost 66 ns, the 54,000 words of two characters of 300 articles
    3.6 ms; the table 0.8).

    >>> coded = _Codes({_code("中国"): 7, _code("银行"): 9})
    >>> coded.numbers_of(numpy.array([_code("银行"), _code("中行"), _code("中国")])).tolist()
    [9, 0, 7]
    """

    def __init__(self, numbers: dict[int, int]) -> None:
        self.codes = numpy.array(sorted(numbers), dtype=numpy.int64)
        self.numbers = numpy.array([numbers[code] for code in self.codes.tolist()], dtype=numpy.int64)
        places = _hashed(self.codes)
        alone = numpy.bincount(places, minlength=1 << _HASH_BITS)[places] == 1
        self.place_codes = numpy.full(1 << _HASH_BITS, _NO_CODE, dtype=numpy.int64)
        self.place_codes[places] = numpy.where(alone, self.codes, _SHARED_PLACE)
        self.place_numbers = numpy.zeros(1 << _HASH_BITS, dtype=numpy.int64)
        self.place_numbers[places[alone]] = self.numbers[alone]

    def numbers_of(self, values: numpy.ndarray) -> numpy.ndarray:
        """The number of each of `values` (0 for one that is none of the codes)."""
        places = _hashed(values)
        held = self.place_codes.take(places)
        found = self.place_numbers.take(places) * (held == values)  # not numpy.where: see scores
        shared = numpy.flatnonzero(held == _SHARED_PLACE)
        if len(shared):
            some = values[shared]
            at = numpy.minimum(numpy.searchsorted(self.codes, some), len(self.codes) - 1)
            found[shared] = self.numbers[at] * (self.codes[at] == some)
        return found


class Marks(NamedTuple):
    """The rarer features of a text (of `marks`): where each stands, in order, and its
    number in `_mark_features`, in that order at a position (the order they are added in)."""
    positions: numpy.ndarray
    numbers: numpy.ndarray

    def within(self, start: int, end: int) -> list[tuple[int, str, str]]:
        """(offset from `start`, family, value) of each mark of text[start:end], in order."""
        low, high = numpy.searchsorted(self.positions, [start, end]).tolist()
        every = _mark_features()
        return [(position - start, *every[number])
                for position, number in zip(self.positions[low:high].tolist(), self.numbers[low:high].tolist())]


_SPAN_PLACES = "BIE"  # a character's place in a span of `marks`: first, inside, last


@ruleset.cached
def _mark_features() -> list[tuple[str, str]]:
    """Every (family, value) that `marks` gives, sorted."""
    return sorted({("e", "i")} | {("e", org_type) for org_type in _endings().types.values()}
                  | {("l", place + grade) for _, grade in LEXICON_SHARES for place in _SPAN_PLACES}
                  | {("r", code + place) for code in {*_SOURCES.values(), "s", "x"} for place in _SPAN_PLACES})


@ruleset.cached
def _mark_numbers() -> dict[tuple[str, str], int]:
    """The number of each feature of `_mark_features`."""
    return {feature: number for number, feature in enumerate(_mark_features())}


def marks(arrays: Layout, candidates, names: list[tuple[int, int, str]]) -> Marks:
    """The rarer features of a document, by position: e an organization word of the
    rules ending here (its type) or around (i), r a rule candidate's source and place,
    l a training name's place (B, I, E) and grade (`names`, of `lexicon_names`): once
    at a position however many names give it, as many times as given for the others.
    Made as one number a mark (position, then feature) by array operations over the
    spans, not a tuple a character sorted (19 -> 12 ms over 300 articles)."""
    numbers = _mark_numbers()
    every = []
    if names:
        starts, ends, grades = zip(*names)
        by_grade = {grade: [numbers["l", place + grade] for place in _SPAN_PLACES] for grade in set(grades)}
        every.append(_distinct(_mark_keys(starts, ends, *zip(*map(by_grade.__getitem__, grades)))))
    words = _organization_words(arrays)
    if words:
        lasts, lengths, org_types = (numpy.array(column) for column in zip(*words))
        inside = numpy.full(len(words), numbers["e", "i"])
        of_type = numpy.array([numbers["e", org_type] for org_type in org_types.tolist()])
        firsts = numpy.where(lengths == 1, of_type, inside)  # a word of one character is its type alone
        every.append(_mark_keys(lasts - lengths + 1, lasts + 1, firsts, inside, of_type))
    if candidates:
        by_code: dict[str, list[int]] = {}
        for candidate in candidates:
            code = _source_code(candidate.rule)
            if code not in by_code:
                by_code[code] = [numbers["r", code + place] for place in _SPAN_PLACES]
        every.append(_mark_keys([c.start for c in candidates], [c.end for c in candidates],
                                *zip(*(by_code[_source_code(c.rule)] for c in candidates))))
    keys = numpy.sort(numpy.concatenate(every)) if every else numpy.zeros(0, dtype=numpy.int64)
    positions, features = numpy.divmod(keys, len(numbers))
    return Marks(positions, features)


def _mark_keys(starts, ends, first, middle, last) -> numpy.ndarray:
    """position * len(_mark_features()) + feature number of each character of the spans
    [starts, ends): the span's `first` at its first character, else `last` at its last,
    `middle` between."""
    starts, ends = numpy.asarray(starts, dtype=numpy.int64), numpy.asarray(ends, dtype=numpy.int64)
    sizes = ends - starts
    positions = _runs(starts, sizes)
    span = numpy.repeat(numpy.arange(len(sizes)), sizes)
    inner = numpy.where(positions == ends[span] - 1, numpy.asarray(last)[span], numpy.asarray(middle)[span])
    feature = numpy.where(positions == starts[span], numpy.asarray(first)[span], inner)
    return positions * len(_mark_numbers()) + feature


def _padded(text: str, start: int, end: int) -> str:
    """text[start:end] with two characters either side, _EDGE for those beyond the clause."""
    before = _DELIMITER.split(text[max(start - 2, 0):start])[-1]
    after = _DELIMITER.split(text[end:end + 2])[0]
    return before.rjust(2, _EDGE) + text[start:end] + after.ljust(2, _EDGE)


def features(segmented: Segmented, start: int, end: int, marks: Marks) -> tuple[dict[str, list[str]], list]:
    """The features of each character of text[start:end], as the trainer reads them: a
    column of values for each family every character has (the characters around, the
    pairs around, t the token's tag and the character's place in it, w the token when
    longer than one character, else empty), and (offset, family, value) for the rarer
    ones, from `marks`."""
    padded = _padded(segmented.text, start, end)
    size = end - start
    columns = {family: list(padded[2 + shift:2 + shift + size]) for family, shift in _CHAR_FAMILIES.items()}
    for family, (first, second) in _PAIR_FAMILIES.items():
        columns[family] = [padded[i + 2 + first] + padded[i + 2 + second] for i in range(size)]
    tags, words = [], []
    around = {family: [] for family in _BEFORE_FAMILIES + _AFTER_FAMILIES}
    tokens, starts = segmented.tokens, segmented.starts
    index = max(bisect_left(starts, start + 1) - 1, 0)
    while index < len(tokens) and tokens[index].idx < end:
        word, tag, idx = tokens[index]
        length = len(word)
        before = _neighbour(tokens[index - 1]) if index > 0 else ("", "")
        after = _neighbour(tokens[index + 1]) if index + 1 < len(tokens) else ("", "")
        for position in range(max(idx, start), min(idx + length, end)):
            offset = position - idx
            tags.append(tag + ("S" if length == 1 else "B" if offset == 0 else "E" if offset == length - 1 else "M"))
            words.append(word if length > 1 else "")
            for family, value in zip(_BEFORE_FAMILIES, before):
                around[family].append(value if offset == 0 else "")
            for family, value in zip(_AFTER_FAMILIES, after):
                around[family].append(value if offset == length - 1 else "")
        index += 1
    columns["t"], columns["w"] = tags, words
    columns.update(around)
    return columns, marks.within(start, end)


def _neighbour(token) -> tuple[str, str]:
    """A token's tag and, when two characters or more and no punctuation or space, its
    word (a single character is already one of the characters around)."""
    word = token.text
    return token.tag, word if len(word) > 1 and not _DELIMITER.search(word) else ""


def feature_names(columns: dict[str, list[str]], sparse: list) -> list[list[str]]:
    """The features as the strings the trainer sees: family letter, then value."""
    rows = [[family + value for family, value in zip(columns, values) if value]
            for values in zip(*columns.values())]
    for offset, family, value in sparse:
        rows[offset].append(family + value)
    return rows


def scores(arrays: Layout, stretches: Stretches, marks: Marks) -> numpy.ndarray:
    """The score of B, I and O at each character of the stretches, one after another:
    the sum of the weights of its features (those of `features`), all looked up at once."""
    settings = model()
    near, padded_at, centre = _around(settings, arrays, stretches)
    at = padded_at.take(centre)
    # the characters and pairs around each character: each family's table is looked up
    # for the padded stretches shifted by the family's offset (the sums at the padding
    # are not read). Rows are gathered by `take` (indexing by an array copies each row's
    # cells one by one, 5 to 20 times as slow), one family at a time: all at once would
    # make an array of every weight of a million characters, fresh memory that costs more
    # to map in than the look-ups
    size = len(near) - 4
    total = numpy.zeros((size, 3))
    for column, shift in enumerate(_CHAR_FAMILIES.values()):
        total += settings["chars"][column].take(near[2 + shift:2 + shift + size], axis=0)
    # pair i: characters i and i + 1
    pair_rows = settings["pair_rows"].take(near[:-1] * settings["chars"].shape[1] + near[1:])
    for column, (first, _) in enumerate(_PAIR_FAMILIES.values()):
        total += settings["pairs"][column].take(pair_rows[2 + first:2 + first + size], axis=0)
    total = total.take(centre - 2, axis=0)
    # the token of each character: its tag and place, and the token itself (the number of
    # tokens starting at or before it, counted over the text: less than half the cost of
    # a binary search for each)
    rows, weights = settings["rows"], settings["weights"]
    token_starts = numpy.zeros(len(arrays.codes), dtype=numpy.int64)
    token_starts[arrays.starts] = 1
    token = token_starts.cumsum().take(at) - 1
    offset, length = at - arrays.starts.take(token), arrays.lengths.take(token)
    # looked up, not chosen by numpy.where, which branches on each character (nested, five times the time)
    place = _PLACE_NUMBERS.take((offset == 0) + 2 * (offset == length - 1))
    # one token more, after the last, of no tag (numbered before the tag tables are read)
    # and no word: the token before the first (number -1) and after the last, all of
    # whose rows are row 0 (no test of a token's neighbour being in the text)
    tag_numbers = numpy.append(arrays.tag_numbers, _TAG_NUMBERS[_SEPARATOR_TAG])
    model_tags, neighbour_tags = _tag_tables(settings)
    # the words are looked up (_word_numbers) for the tokens the stretches hold and those
    # either side, of two characters or more (the model knows no word of one): a quarter
    # of the tokens, 22 -> 14 ms over 300 articles; the others keep row 0
    held = numpy.zeros(len(arrays.starts), dtype=bool)
    held[token] = True
    wanted = held.copy()
    wanted[1:] |= held[:-1]
    wanted[:-1] |= held[1:]
    wanted &= arrays.lengths > 1
    word_numbers = numpy.zeros(len(arrays.starts) + 1, dtype=numpy.int64)
    looked_up = numpy.flatnonzero(wanted)
    word_numbers[looked_up] = _word_numbers(arrays, looked_up, settings)
    # rows by `take` from flat tables (indexing by two arrays of numbers costs more)
    word_rows = settings["word_rows"]
    tag_rows = settings["tag_rows"].reshape(-1).take(model_tags.take(tag_numbers.take(token)) * len(_PLACES) + place)
    total += weights.take(tag_rows, axis=0) + weights.take(word_rows[0].take(word_numbers.take(token)), axis=0)
    # the tokens before and after, on a token's first and last character (row 0, all
    # zeros, on its other characters: adding zeros everywhere costs less than picking
    # the edges out and back in; multiplying the rows by whether the character is on the
    # edge costs a fifth of numpy.where(edge, rows, 0), which branches on each character)
    for column, (tag_table, step, edge) in enumerate(((neighbour_tags[0], -1, place % 3 == 0),
                                                      (neighbour_tags[1], 1, place >= 2)), start=1):
        neighbour = token + step
        tag_rows = tag_table.take(tag_numbers.take(neighbour)) * edge
        neighbour_rows = word_rows[column].take(word_numbers.take(neighbour)) * edge
        total += weights.take(tag_rows, axis=0) + weights.take(neighbour_rows, axis=0)
    # the rarer features, where they fall on a tagged character
    if len(marks.positions):
        positions = marks.positions
        mark_rows = numpy.array([rows.get(family, {}).get(value, 0) for family, value in _mark_features()]).take(
            marks.numbers)
        index = numpy.minimum(numpy.searchsorted(at, positions), len(at) - 1)
        hit = numpy.flatnonzero((at.take(index) == positions) & (mark_rows > 0))  # numbers, not a mask: see _in_places
        numpy.add.at(total, index.take(hit), weights.take(mark_rows.take(hit), axis=0))
    return total


_CODED_LENGTHS = (2, 3)  # the words `_word_numbers` finds by their characters as one number


def _word_numbers(arrays: Layout, tokens: numpy.ndarray, settings: dict) -> numpy.ndarray:
    """The number in the model's words (0 for none) of each of `tokens` (two characters
    or more): of two or three characters, found by their characters as one number
    (`_code`, from the text's code points) among the model's words so coded
    (`_Codes`); of more, by their text. (Looking each word up by its string, all
    strings of the tokens walked to pick them, cost 12 ms over 300 articles.)"""
    starts, lengths = arrays.starts[tokens], arrays.lengths[tokens]
    numbers = numpy.zeros(len(tokens), dtype=numpy.int64)
    for length, coded in settings["short_words"].items():
        chosen = numpy.flatnonzero(lengths == length)
        if not len(chosen):
            continue
        firsts = starts[chosen]
        code = arrays.codes[firsts]
        for place in range(1, length):
            code = code * _PAIR_BASE + arrays.codes[firsts + place]
        numbers[chosen] = coded.numbers_of(code)
    longer = numpy.flatnonzero(lengths > _CODED_LENGTHS[-1])
    text, words = arrays.text, settings["words"]
    numbers[longer] = [words.get(text[start:start + length], 0)
                       for start, length in zip(starts[longer].tolist(), lengths[longer].tolist())]
    return numbers


def _tag_tables(settings: dict) -> tuple[numpy.ndarray, tuple[numpy.ndarray, numpy.ndarray]]:
    """By the number of each of jieba's tags seen so far (in _TAG_NUMBERS), its number
    in the model (the last for tags it lacks), and its rows in the families of the
    token before and after. Kept with the model, built again only when a tag is seen
    for the first time (a few dozen in all)."""
    known = settings["tag_tables"]
    if len(_TAG_NUMBERS) not in known:
        unknown = len(settings["tags"])
        rows = settings["rows"]
        known[len(_TAG_NUMBERS)] = (
            numpy.array([settings["tags"].get(tag, unknown) for tag in _TAG_NUMBERS], dtype=numpy.int64),
            tuple(numpy.array([rows.get(family, {}).get(tag, 0) for tag in _TAG_NUMBERS], dtype=numpy.int64)
                  for family, _ in (_BEFORE_FAMILIES, _AFTER_FAMILIES)))
    return known[len(_TAG_NUMBERS)]


def _around(settings: dict, arrays: Layout, stretches: Stretches) -> tuple[numpy.ndarray, ...]:
    """Each stretch's characters with two more either side, as the model numbers them
    (the edge mark for those beyond the clause), one stretch after another; their
    positions in the text; and where each character of the stretches stands among
    them. A stretch ends where its clause does, so only the two characters before it
    may be of the clause."""
    firsts, sizes = stretches.starts, stretches.sizes
    padded_sizes = sizes + 4
    begins = numpy.cumsum(padded_sizes) - padded_sizes
    positions = _runs(firsts - 2, padded_sizes)
    codes = arrays.codes.take(numpy.clip(positions, 0, len(arrays.codes) - 1))
    near = _looked_up(settings["char_numbers"], codes)
    before = arrays.delimiter[firsts - 1]  # True before the text's start (index -1)
    # by their numbers, not a mask (see _in_places)
    beyond = numpy.concatenate((begins + sizes + 2, begins + sizes + 3, numpy.compress(before, begins + 1),
                                numpy.compress(before | arrays.delimiter[firsts - 2], begins)))
    near[beyond] = settings["char_numbers"][ord(_EDGE)]
    return near, positions, _runs(begins + 2, sizes)


_BATCH_CELLS = 1 << 18  # characters' room in a batch decoded side by side (stretches times the longest): 6 MB an array


def _in_batches(decoder, emissions: numpy.ndarray, sizes: list[int], dtype) -> numpy.ndarray:
    """`decoder` (emissions, sizes -> a value per character) run on the stretches side by
    side, longest first, in batches of bounded room, its values put back in the order
    of `emissions`. One batch holds a whole article but the longest; the steps of a
    batch cost the same however many stretches it holds."""
    lengths = numpy.asarray(sizes)
    begins = numpy.cumsum(lengths) - lengths
    order = numpy.argsort(-lengths, kind="stable")
    found = numpy.empty(len(emissions), dtype=dtype)
    first = 0
    while first < len(order):
        chosen = order[first:first + max(_BATCH_CELLS // int(lengths[order[first]]), 1)]
        first += len(chosen)
        batch = lengths[chosen]
        rows = _runs(begins[chosen], batch)
        found[rows] = decoder(emissions.take(rows, axis=0), batch)
    return found


def _grid(emissions: numpy.ndarray, lengths: numpy.ndarray,
          labels_first: bool = False) -> tuple[numpy.ndarray, tuple, numpy.ndarray]:
    """Stretches of `lengths` (longest first) side by side, each ending at the last
    step: [step, stretch, label] ([step, label, stretch] with `labels_first`), zeros
    before a stretch starts; (step, stretch) of each row of `emissions`; and how many
    stretches began before each step (the first ones). Ending together, every stretch
    is read at each step by a plain slice."""
    longest = int(lengths[0])
    stretch = numpy.repeat(numpy.arange(len(lengths)), lengths)
    step = numpy.arange(len(emissions)) - numpy.repeat(numpy.cumsum(lengths) - longest, lengths)
    if labels_first:
        grid = numpy.zeros((longest, 3, len(lengths)))
        cells = grid.reshape(-1)
        for label in range(3):
            cells[(step * 3 + label) * len(lengths) + stretch] = emissions[:, label]
    else:
        grid = numpy.zeros((longest, len(lengths), 3))
        grid[step, stretch] = emissions
    running = numpy.searchsorted(-lengths, numpy.arange(longest) - longest, side="left")
    return grid, (step, stretch), running


def best_paths(emissions: numpy.ndarray, sizes: list[int]) -> numpy.ndarray:
    """Viterbi over B/I/O (0, 1, 2) for each stretch (`sizes` characters each, one after
    another in `emissions`): the labels of highest score under the model, in the same order."""
    return _in_batches(_best_paths_side_by_side, emissions, sizes, numpy.int8)


_FEW = 4  # stretches running side by side at most in the steps Viterbi takes in plain Python


def _best_paths_side_by_side(emissions: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    # the labels as rows, [step, label, stretch]: at each step the best of the three
    # labels before and its number are elementwise maxima and comparisons of whole rows
    # (argmax and max over the middle axis of [stretch, before, after] copy their input
    # first: a step cost eight times as much); the maxima are the same sums, the first
    # of equal ones wins, as with argmax. Each label's row of a step is one piece of
    # memory (read through a transposed [step, stretch, label] grid, Viterbi cost 15% more)
    transitions = numpy.array(model()["transitions"])[:, :, None]  # [before, after, stretch]
    grid, where, running = _grid(emissions, lengths, labels_first=True)
    running = running.tolist()
    # the first steps, where no more than _FEW stretches have begun (the longest: one of a
    # clause of 471 characters among a chunk's of 50 or less), in plain Python: a step of
    # array operations costs some 10 us however few stretches it holds
    few = bisect_right(running, _FEW)
    score = grid[0].copy()
    if few > 1:
        begun = running[few - 1]
        score[:, :begun], back_alone = _best_paths_alone(grid[:few, :, :begun].tolist(), running[:few])
        score[:, begun:] += grid[few - 1, :, begun:]  # those that begin at that step
    # the label before, of the stretches begun before each step (`running`), the only
    # ones read back: one byte each (the comparisons' own type: as intp they were cast
    # and took eight times the memory, Viterbi 30 -> 21 ms over 300 articles)
    back = numpy.empty(grid.shape, dtype=numpy.int8)
    for step in range(max(few, 1), len(grid)):  # few array operations a step: a step costs their overhead
        active = running[step]
        options = score[:, None, :active] + transitions
        best = numpy.maximum(options[0], options[1])
        pointer = back[step, :, :active]
        numpy.greater(options[1], options[0], out=pointer)
        pointer[options[2] > best] = 2
        numpy.maximum(best, options[2], out=score[:, :active])
        score += grid[step]  # a stretch that begins here starts from its emissions alone
    labels = numpy.empty((len(grid), len(lengths)), dtype=numpy.intp)
    labels[-1] = score.argmax(axis=0)
    each = numpy.arange(len(lengths))
    for step in range(len(grid) - 1, max(few, 1) - 1, -1):
        active = running[step]
        labels[step - 1, :active] = back[step].take(labels[step, :active] * len(lengths) + each[:active])
    if few > 1:
        begun = running[few - 1]
        labels[:few - 1, :begun] = _labels_back(back_alone, labels[few - 1, :begun].tolist(), running[:few])
    return labels[where].astype(numpy.int8)


def _best_paths_alone(grid: list, running: list[int]) -> tuple[list[list[float]], list]:
    """Viterbi's first steps in plain Python, as the array operations take them (the
    same sums and comparisons, so the same scores and labels), for the stretches begun
    before the last of them (`running`, of _grid): their scores by label after it, and
    the label before of each label of each stretch running at each step (for
    `_labels_back`). `grid`: [step][label][stretch] of those steps and stretches."""
    transitions = model()["transitions"]
    into = [[transitions[before][after] for before in range(3)] for after in range(3)]
    score = [list(column) for column in zip(*grid[0])]  # by stretch, then label
    back: list[list[list[int]]] = [[]]
    for step in range(1, len(grid)):
        emitted = list(zip(*grid[step]))
        pointers = []
        for stretch in range(running[step]):  # those begun before this step
            last, pointer, new = score[stretch], [], []
            for (to_first, to_second, to_third), emission in zip(into, emitted[stretch]):
                first, second, third = last[0] + to_first, last[1] + to_second, last[2] + to_third
                best, before = (second, 1) if second > first else (first, 0)
                if third > best:
                    best, before = third, 2
                pointer.append(before)
                new.append(best + emission)
            pointers.append(pointer)
            score[stretch] = new
        for stretch in range(running[step], len(score)):  # not begun, or beginning here
            score[stretch] = [0.0 + emission for emission in emitted[stretch]]
        back.append(pointers)
    return [list(label) for label in zip(*score)], back


def _labels_back(back: list, last: list[int], running: list[int]) -> list[list[int]]:
    """The labels of the steps before the last of `_best_paths_alone`'s, by step then
    stretch, from those of its last step (`last`, by stretch); 0 where a stretch has
    not begun."""
    labels = [last]
    for step in range(len(back) - 1, 0, -1):
        after = labels[-1]
        labels.append([back[step][stretch][after[stretch]] if stretch < running[step] else 0
                       for stretch in range(len(after))])
    return labels[:0:-1]


def inside_probability(emissions: numpy.ndarray, sizes: list[int]) -> numpy.ndarray:
    """For each character, the probability under the model that it is part of a name
    (label B or I), by the forward-backward algorithm over each stretch; in linear
    space, rescaled every few steps (the scales cancel out)."""
    return _in_batches(_inside_side_by_side, emissions, sizes, float)


_RESCALE = 8  # steps between rescalings of forward-backward: far from under- or overflow


def _inside_side_by_side(emissions: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    transitions = numpy.exp(numpy.array(model()["transitions"]))
    grid, where, running = _grid(emissions - emissions.max(axis=1, keepdims=True), lengths)
    weights = numpy.exp(grid)
    forward = weights.copy()
    for step in range(1, len(grid)):
        active = running[step]
        row = forward[step, :active]
        numpy.matmul(forward[step - 1, :active], transitions, out=row)
        row *= weights[step, :active]
        if step % _RESCALE == 0:
            row /= row.sum(axis=1, keepdims=True)
    backward = numpy.ones_like(grid)
    after = transitions.T
    for step in range(len(grid) - 2, -1, -1):
        numpy.matmul(weights[step + 1] * backward[step + 1], after, out=backward[step])
        if step % _RESCALE == 0:
            backward[step] /= backward[step].sum(axis=1, keepdims=True)
    joint = (forward * backward)[where]
    return joint[:, :2].sum(axis=1) / joint.sum(axis=1)


class _Placed(NamedTuple):
    """What the tagger reads of a rule's candidate, at its place among documents tagged together."""
    start: int
    end: int
    rule: str


class Tagged:
    """What the model makes of some articles, tagged together (see `joined`): the names
    on each one's best paths (`spans`, [start, end) in its own text), and on demand the
    probability of each character of some stretches of being inside a name
    (forward-backward costs as much as Viterbi: the extractor asks only for the
    stretches where it needs them)."""

    def __init__(self, documents: list[tuple[Layout, list]], together: tuple[Layout, list[int]] | None = None) -> None:
        """`documents`: each one's layout and rule candidates; `together`: their layouts
        joined, when the caller has joined them already."""
        settings = model()
        arrays, self._offsets = together or joined([each for each, _ in documents])
        candidates = [_Placed(c.start + offset, c.end + offset, c.rule)
                      for (_, own), offset in zip(documents, self._offsets) for c in own]
        names = lexicon_names(arrays, settings["lexicon"])
        stretches = windows(arrays, candidates, names, settings["trigger_chars"], settings["window"])
        self.spans: list[list[tuple[int, int]]] = [[] for _ in documents]
        self._stretches = stretches
        if not stretches:
            return
        self._sizes = stretches.sizes
        self._begins = numpy.cumsum(self._sizes) - self._sizes
        self._ends = stretches.ends
        # for each document, the number of the first stretch past it (a later document's)
        self._limits = numpy.searchsorted(self._ends, self._offsets[1:] + [len(arrays.text) + 1])
        self._emissions = scores(arrays, stretches, marks(arrays, candidates, names))
        self._every = _positions(stretches)
        found = decode(best_paths(self._emissions, self._sizes.tolist()), self._sizes.tolist())
        for first, last in found:
            start = int(self._every[first])
            document = bisect_right(self._offsets, start) - 1
            offset = self._offsets[document]
            self.spans[document].append((start - offset, int(self._every[last - 1]) + 1 - offset))

    def inside(self, spans: list[list[tuple[int, int]]]) -> list[dict[int, float]]:
        """For each document, by position, the probability under the model that the
        character is part of a name, for every character of the stretches that hold
        that document's `spans`."""
        found: list[dict[int, float]] = [{} for _ in spans]
        ends = [end + offset for own, offset in zip(spans, self._offsets) for _, end in own]
        if not ends or not self._stretches:
            return found
        # the stretch that holds a span, or the first after it: its own document's only
        holding = numpy.searchsorted(self._ends, numpy.array(ends, dtype=numpy.int64))
        wanted = _distinct(holding[holding < numpy.repeat(self._limits, [len(own) for own in spans])])
        if not len(wanted):
            return found
        chosen = self._sizes[wanted]
        rows = _runs(self._begins[wanted], chosen)
        positions = self._every[rows]  # in the order of the text: a document's after the one's before
        probabilities = inside_probability(self._emissions.take(rows, axis=0), chosen.tolist()).tolist()
        cuts = [0] + numpy.searchsorted(positions, self._offsets[1:]).tolist() + [len(positions)]
        for document, offset in enumerate(self._offsets):
            low, high = cuts[document], cuts[document + 1]
            found[document] = dict(zip((positions[low:high] - offset).tolist(), probabilities[low:high]))
        return found


def _positions(stretches: Stretches) -> numpy.ndarray:
    """The position in the text of every character of the stretches, one after another."""
    return _runs(stretches.starts, stretches.sizes)


def _runs(firsts: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    """The numbers first, first + 1, ... of each run of `lengths` beginning at `firsts`,
    one run after another.

    >>> _runs(numpy.array([5, 0]), numpy.array([2, 3])).tolist()
    [5, 6, 0, 1, 2]
    """
    return numpy.repeat(firsts - (numpy.cumsum(lengths) - lengths), lengths) + numpy.arange(lengths.sum())


def decode(labels: numpy.ndarray, sizes: list[int]) -> list[tuple[int, int]]:
    """[first, last) of each name in B/I/O labels (0, 1, 2) of stretches of `sizes`
    characters, one after another; an I without a B before it starts a name.

    >>> decode(numpy.array([2, 0, 1, 2, 1, 1, 0, 1, 1]), [7, 2])
    [(1, 3), (4, 6), (6, 7), (7, 9)]
    """
    inside = labels != 2
    first = numpy.zeros(len(labels) + 1, dtype=bool)
    first[numpy.cumsum(sizes) - sizes] = True
    first[len(labels)] = True
    before = numpy.concatenate(([False], inside[:-1]))
    begins = inside & ((labels == 0) | first[:-1] | ~before)
    after = numpy.concatenate((inside[1:], [False]))
    following = numpy.concatenate((begins[1:], [True]))
    ends = inside & (first[1:] | ~after | following)
    return list(zip(numpy.flatnonzero(begins).tolist(), (numpy.flatnonzero(ends) + 1).tolist()))
