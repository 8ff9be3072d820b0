"""The organization tagger: a linear-chain CRF over characters (pipeline/models/organizations.json).

It reads what the pipeline already has, so tuning the rules still steers it: each
character and its neighbours, the jieba token it sits in and that token's tag, the
organization words of rules/organizations.yaml ending around it, and the rule
candidates themselves (gazetteer, suffix, dictionary, enumeration, office), stacked
as features rather than merged after. The model card is pipeline/models/README.md;
`python -m pipeline.train organizations` trains it with python-crfsuite and writes
its weights as JSON, which this module decodes with Viterbi in plain Python: the
runtime needs no CRF library, and looking weights up by feature family (the character
itself, not a string built from it) is faster than handing strings to crfsuite.

Only the text before a trigger is tagged (at most `window` characters of its clause):
the end of a rule candidate, a token jieba tags as an organization or abbreviation,
or a token ending in a character that often ends a name in the training data. A name
ends where its last word does, and most clauses of an article hold none.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from functools import lru_cache
from importlib import resources

import ahocorasick
import numpy
import regex

from .. import ruleset
from ..segment import Segmented

MODEL = "organizations.json"
LABELS = ("B", "I", "O")
_CLAUSE = regex.compile(r"[^，。；！？：、,;!?:\s]+")
_DELIMITER = regex.compile(r"[，。；！？：、,;!?:\s]")
_TRIGGER_TAGS = frozenset({"nt", "j", "nz", "eng"})  # jieba: organization, abbreviation, brand, Latin
_EDGE = "\x02"  # the character beyond either end of a clause

# the feature family of each rule source
_SOURCES = {"organizations.gazetteer": "g", "organizations.dictionary": "d",
            "organizations.enumeration": "e", "organizations.level_office": "o"}


def _source_code(rule: str) -> str:
    return "s" if rule.startswith("organizations.suffix.") else _SOURCES.get(rule, "x")


@ruleset.cached
def _endings() -> ahocorasick.Automaton:
    """Every organization word of rules/organizations.yaml, with its length and type."""
    automaton = ahocorasick.Automaton()
    for word, (org_type, _stem) in ruleset.read_yaml("organizations.yaml")["suffixes"].items():
        automaton.add_word(word, (len(word), org_type))
    automaton.make_automaton()
    return automaton


# the characters around: two before (q, p), this one (c), two after (n, m)
_CHAR_FAMILIES = {"q": -2, "p": -1, "c": 0, "n": 1, "m": 2}
_PAIR_FAMILIES = {"b": (-1, 0), "a": (0, 1)}  # the pair ending at the character, the pair starting at it
_PAIR_BASE = 0x110000  # a pair of characters as one number: first * base + second
_PLACES = "BMES"  # a character's place in its token: begins, middle, ends, single


@lru_cache(maxsize=1)
def model() -> dict:
    """The weights in the shapes the tagger reads fastest: one table indexed by code
    point for each character family, sorted pair codes for each pair family, rows of
    one matrix for every other feature (row 0 all zeros, for unknown ones), and the
    row of each tag and place."""
    stored = json.loads(resources.files("pipeline.models").joinpath(MODEL).read_text(encoding="utf-8"))
    features = stored["features"]
    size = max(ord(value) for family in _CHAR_FAMILIES for value in features.get(family, {})) + 1
    chars = {}
    for family in _CHAR_FAMILIES:
        table = numpy.zeros((size + 1, 3))  # the last row for every character the model lacks
        for value, weights in features.get(family, {}).items():
            table[ord(value)] = weights
        chars[family] = table
    pairs = {}
    for family in _PAIR_FAMILIES:
        entries = sorted((ord(value[0]) * _PAIR_BASE + ord(value[1]), weights)
                         for value, weights in features[family].items())
        pairs[family] = (numpy.array([code for code, _ in entries], dtype=numpy.int64),
                         numpy.array([weights for _, weights in entries] + [[0.0, 0.0, 0.0]]))
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
    return {"chars": chars, "char_limit": size, "pairs": pairs, "weights": numpy.array(matrix),
            "rows": rows, "tags": {tag: number for number, tag in enumerate(tags)}, "tag_rows": tag_rows,
            "transitions": stored["transitions"], "trigger_chars": frozenset(stored["trigger_chars"]),
            "window": stored["window"]}


def windows(segmented: Segmented, candidates, trigger_chars: frozenset[str], window: int) -> list[tuple[int, int]]:
    """[start, end) of the stretches to tag: each clause holding a trigger, from at most
    `window` characters before its first trigger to its end."""
    ends = {c.end for c in candidates}
    ends.update(idx + len(word) for word, tag, idx in segmented.tokens
                if tag in _TRIGGER_TAGS or word[-1] in trigger_chars)
    if not ends:
        return []
    clauses = [match.span() for match in _CLAUSE.finditer(segmented.text)]
    clause_ends = [end for _, end in clauses]
    found: list[tuple[int, int]] = []
    for end in sorted(ends):
        index = bisect_left(clause_ends, end)
        if index == len(clauses) or clauses[index][0] >= end:
            continue  # the trigger ends on punctuation
        clause_start, clause_end = clauses[index]
        if not found or found[-1][1] != clause_end:
            found.append((max(clause_start, end - window), clause_end))
    return found


def marks(segmented: Segmented, candidates) -> list[tuple[int, str, str]]:
    """The rarer features of a document, by position: e an organization word of the
    rules ending here (its type) or around (i), r a rule candidate's source and place."""
    found = []
    for last, (length, org_type) in _endings().iter(segmented.text):
        found.append((last, "e", org_type))
        found.extend((position, "e", "i") for position in range(last - length + 1, last))
    for candidate in candidates:
        code = _source_code(candidate.rule)
        for position in range(candidate.start, candidate.end):
            place = "B" if position == candidate.start else "E" if position == candidate.end - 1 else "I"
            found.append((position, "r", code + place))
    return sorted(found)


def _padded(text: str, start: int, end: int) -> str:
    """text[start:end] with two characters either side, _EDGE for those beyond the clause."""
    before = _DELIMITER.split(text[max(start - 2, 0):start])[-1]
    after = _DELIMITER.split(text[end:end + 2])[0]
    return before.rjust(2, _EDGE) + text[start:end] + after.ljust(2, _EDGE)


def features(segmented: Segmented, start: int, end: int, marks: list) -> tuple[dict[str, list[str]], list]:
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
    tokens, starts = segmented.tokens, segmented.starts
    index = max(bisect_left(starts, start + 1) - 1, 0)
    while index < len(tokens) and tokens[index].idx < end:
        word, tag, idx = tokens[index]
        length = len(word)
        for position in range(max(idx, start), min(idx + length, end)):
            offset = position - idx
            tags.append(tag + ("S" if length == 1 else "B" if offset == 0 else "E" if offset == length - 1 else "M"))
            words.append(word if length > 1 else "")
        index += 1
    columns["t"], columns["w"] = tags, words
    low, high = bisect_left(marks, (start,)), bisect_left(marks, (end,))
    return columns, [(position - start, family, value) for position, family, value in marks[low:high]]


def feature_names(columns: dict[str, list[str]], sparse: list) -> list[list[str]]:
    """The features as the strings the trainer sees: family letter, then value."""
    rows = [[family + value for family, value in zip(columns, values) if value]
            for values in zip(*columns.values())]
    for offset, family, value in sparse:
        rows[offset].append(family + value)
    return rows


def scores(segmented: Segmented, stretches: list[tuple[int, int]], marks: list) -> numpy.ndarray:
    """The score of B, I and O at each character of the stretches, one after another:
    the sum of the weights of its features (those of `features`), all looked up at once."""
    settings = model()
    text = segmented.text
    at = _positions(stretches)
    codes = numpy.minimum(numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32),
                          settings["char_limit"]).astype(numpy.int64)
    delimiter = numpy.zeros(len(text) + 4, dtype=bool)
    delimiter[[match.start() for match in _DELIMITER.finditer(text)]] = True
    delimiter[len(text):] = True  # beyond the end; and before the start, through index -1 and -2
    edge = ord(_EDGE)

    def around(shift: int) -> numpy.ndarray:
        where = at + shift
        inside = numpy.ones(len(at), dtype=bool)
        for step in range(1, abs(shift) + 1):
            inside &= ~delimiter[at + (step if shift > 0 else -step)]
        return numpy.where(inside, codes[numpy.clip(where, 0, len(text) - 1)], edge)

    near = {family: around(shift) for family, shift in _CHAR_FAMILIES.items()}
    chars = settings["chars"]
    total = sum(chars[family][near[family]] for family in _CHAR_FAMILIES)
    for family, (first, second) in _PAIR_FAMILIES.items():
        keys, weights = settings["pairs"][family]
        wanted = near[_family_at(first)] * _PAIR_BASE + near[_family_at(second)]
        found = numpy.minimum(numpy.searchsorted(keys, wanted), len(keys) - 1)
        total += weights[numpy.where(keys[found] == wanted, found, len(keys))]
    # the token of each character: its tag and place, and the token itself
    rows, weights = settings["rows"], settings["weights"]
    tokens = segmented.tokens
    starts = numpy.array(segmented.starts)
    lengths = numpy.array([len(word) for word, _, _ in tokens])
    unknown = len(settings["tags"])
    tag_numbers = numpy.array([settings["tags"].get(tag, unknown) for _, tag, _ in tokens])
    word_table = rows.get("w", {})
    word_rows = numpy.array([word_table.get(word, 0) for word, _, _ in tokens])
    token = numpy.searchsorted(starts, at, side="right") - 1
    offset, length = at - starts[token], lengths[token]
    place = numpy.where(length == 1, 3, numpy.where(offset == 0, 0, numpy.where(offset == length - 1, 2, 1)))
    total += weights[settings["tag_rows"][tag_numbers[token], place]] + weights[word_rows[token]]
    # the rarer features, where they fall on a tagged character
    if marks:
        positions = numpy.array([position for position, _, _ in marks])
        mark_rows = numpy.array([rows.get(family, {}).get(value, 0) for _, family, value in marks])
        index = numpy.minimum(numpy.searchsorted(at, positions), len(at) - 1)
        hit = (at[index] == positions) & (mark_rows > 0)
        numpy.add.at(total, index[hit], weights[mark_rows[hit]])
    return total


def _family_at(shift: int) -> str:
    return next(family for family, where in _CHAR_FAMILIES.items() if where == shift)


def best_paths(emissions: numpy.ndarray, sizes: list[int]) -> numpy.ndarray:
    """Viterbi over B/I/O (0, 1, 2) for each stretch (`sizes` characters each, one after
    another in `emissions`): the labels of highest score under the model, in the same
    order, all stretches a step at a time, the longest first."""
    transitions = numpy.array(model()["transitions"])  # [before, after]
    order = numpy.argsort([-size for size in sizes], kind="stable")
    lengths = numpy.array(sizes)[order]
    offsets = (numpy.cumsum(sizes) - sizes)[order]
    longest = int(lengths[0])
    score = emissions[offsets].copy()
    back = numpy.zeros((longest, len(sizes), 3), dtype=numpy.int8)
    for step in range(1, longest):
        active = int(numpy.count_nonzero(lengths > step))
        options = score[:active, :, None] + transitions[None, :, :]
        back[step, :active] = options.argmax(axis=1)
        score[:active] = options.max(axis=1) + emissions[offsets[:active] + step]
    label = score.argmax(axis=1)
    labels = numpy.zeros(len(emissions), dtype=numpy.int8)
    everyone = numpy.arange(len(sizes))
    for step in range(longest - 1, -1, -1):
        active = lengths > step
        labels[offsets[active] + step] = label[active]
        if step:
            label = numpy.where(active, back[step, everyone, label], label)
    return labels


def inside_probability(emissions: numpy.ndarray, sizes: list[int]) -> numpy.ndarray:
    """For each character, the probability under the model that it is part of a name
    (label B or I), by the forward-backward algorithm over each stretch; in linear
    space, each step rescaled to sum to one (the scales cancel out)."""
    transitions = numpy.exp(numpy.array(model()["transitions"]))
    order = numpy.argsort([-size for size in sizes], kind="stable")
    lengths = numpy.array(sizes)[order]
    offsets = (numpy.cumsum(sizes) - sizes)[order]
    longest = int(lengths[0])
    weights = numpy.exp(emissions - emissions.max(axis=1, keepdims=True))
    forward = weights.copy()
    forward[offsets] /= forward[offsets].sum(axis=1, keepdims=True)
    for step in range(1, longest):
        here = offsets[:int(numpy.count_nonzero(lengths > step))] + step
        values = (forward[here - 1] @ transitions) * weights[here]
        forward[here] = values / values.sum(axis=1, keepdims=True)
    backward = numpy.ones_like(emissions)
    for step in range(longest - 2, -1, -1):
        here = offsets[:int(numpy.count_nonzero(lengths > step + 1))] + step
        values = (weights[here + 1] * backward[here + 1]) @ transitions.T
        backward[here] = values / values.sum(axis=1, keepdims=True)
    joint = forward * backward
    return joint[:, :2].sum(axis=1) / joint.sum(axis=1)


def tag(segmented: Segmented, candidates) -> tuple[list[tuple[int, int, float]], dict[int, float]]:
    """The organizations the model finds in the stretches worth tagging, [start, end)
    and the least probability among its characters of being inside a name; and that
    probability for every character of the stretches, by position."""
    settings = model()
    stretches = windows(segmented, candidates, settings["trigger_chars"], settings["window"])
    if not stretches:
        return [], {}
    sizes = [end - start for start, end in stretches]
    emissions = scores(segmented, stretches, marks(segmented, candidates))
    found = decode(best_paths(emissions, sizes), sizes)
    # the probabilities matter only where the model or a rule found a name
    begins = numpy.cumsum(sizes) - sizes
    ends = [end for _, end in stretches]
    wanted = sorted({int(numpy.searchsorted(begins, first, side="right")) - 1 for first, _ in found}
                    | {bisect_left(ends, c.end) for c in candidates})
    wanted = [number for number in wanted if number < len(stretches)]
    if not wanted:
        return [], {}
    at = _positions([stretches[number] for number in wanted])
    rows = numpy.concatenate([numpy.arange(begins[number], begins[number] + sizes[number]) for number in wanted])
    inside = dict(zip(at.tolist(), inside_probability(emissions[rows], [sizes[number] for number in wanted]).tolist()))
    every = _positions(stretches)
    spans = []
    for first, last in found:
        start, end = int(every[first]), int(every[last - 1]) + 1
        spans.append((start, end, min(inside[position] for position in range(start, end))))
    return spans, inside


def _positions(stretches: list[tuple[int, int]]) -> numpy.ndarray:
    """The position in the text of every character of the stretches, one after another."""
    sizes = numpy.array([end - start for start, end in stretches])
    firsts = numpy.array([start for start, _ in stretches])
    return numpy.repeat(firsts - (numpy.cumsum(sizes) - sizes), sizes) + numpy.arange(sizes.sum())


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
