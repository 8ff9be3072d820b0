"""Offset maps: every normalized character remembers the raw span it came from.

A normalization step never edits text in place. It returns a list of `Edit`s
(half-open `[start, end)` spans of its input and their replacement); `apply_edits`
builds the new text together with a map from each new character to the span of
the step's input it came from. `OffsetMap.then` composes two maps, so after the
whole chain every normalized character points into the raw input.

A replacement of the same length as the span it replaces maps character by
character (traditional to simplified, width folding); any other replacement maps
every new character to the whole replaced span, and an insertion to an empty span
at its position.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple

import numpy as np


class Edit(NamedTuple):
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class OffsetMap:
    """For normalized character i, the raw span `[starts[i], ends[i])` it came from."""

    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        positions = np.arange(length + 1, dtype=np.int64)
        return cls(positions[:-1], positions[1:])

    def __len__(self) -> int:
        return len(self.starts)

    def then(self, step: "OffsetMap") -> "OffsetMap":
        """The map of a text that `step` made from the text this map describes."""
        # an insertion has an empty span at position p: it maps to where raw
        # character p starts, or to the end of the text
        starts_or_end = np.append(self.starts, self.ends[-1] if len(self) else 0)
        starts = starts_or_end[step.starts]
        ends = starts.copy()
        nonempty = step.ends > step.starts
        ends[nonempty] = self.ends[step.ends[nonempty] - 1]
        return OffsetMap(starts, ends)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw `[start, end)` of the normalized span `[start, end)`.

        >>> OffsetMap.identity(5).raw_span(1, 3)
        (1, 3)
        """
        if not 0 <= start < end <= len(self):
            raise ValueError(f"not a non-empty span of the normalized text: [{start}, {end})")
        return int(self.starts[start]), int(self.ends[end - 1])


def splice(text: str, edits: Iterable[Edit]) -> str:
    """The text with non-overlapping edits (sorted by start) applied.

    >>> splice("1365 万 元", [Edit(4, 5, ""), Edit(6, 7, "")])
    '1365万元'
    """
    pieces: list[str] = []
    cursor = 0
    for start, end, new in edits:
        if start < cursor or end < start:
            raise ValueError(f"edits overlap or run backwards at {Edit(start, end, new)}")
        pieces += (text[cursor:start], new)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits (sorted by start) and map the result onto `text`.

    >>> new, offsets = apply_edits("1365 万 元", [Edit(4, 5, ""), Edit(6, 7, "")])
    >>> new, offsets.raw_span(0, len(new))
    ('1365万元', (0, 8))
    >>> apply_edits("網(wǎng)站", [Edit(1, 7, "")])[0]
    '網站'
    """
    edits = list(edits)
    new_text = splice(text, edits)  # raises on overlapping edits
    # the new text as pieces, each (length, first, span_end): `first` is the input
    # position of its first character; a piece that maps character by character (kept
    # text, or a replacement of the same length) has span_end -1, any other maps every
    # character to [first, span_end). Expanded to characters by a few array operations,
    # not per edit: a step may make thousands of edits.
    pieces: list[tuple[int, int, int]] = []
    cursor = 0
    for start, end, new in edits:
        if start > cursor:
            pieces.append((start - cursor, cursor, -1))
        if new:
            pieces.append((len(new), start, -1 if len(new) == end - start else end))
        cursor = end
    if cursor < len(text):
        pieces.append((len(text) - cursor, cursor, -1))
    lengths, firsts, span_ends = np.array(pieces, dtype=np.int64).reshape(-1, 3).T
    one_to_one = np.repeat(span_ends < 0, lengths)
    starts = np.repeat(firsts, lengths)
    within = np.arange(len(new_text), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    starts += np.where(one_to_one, within, 0)
    ends = np.where(one_to_one, starts + 1, np.repeat(span_ends, lengths))
    return new_text, OffsetMap(starts, ends)
