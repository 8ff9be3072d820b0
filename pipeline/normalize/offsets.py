"""Offset maps: every normalized character remembers the raw span it came from.

A normalization step never edits text in place. It returns a list of `Edit`s
(half-open `[start, end)` spans of its input and their replacement); `apply_edits`
builds the new text together with a map from each new character to the span of
the step's input it came from; `OffsetMap.edited` makes the map of the edited text
from the map of the text before, so after the whole chain every normalized character
points into the raw input.

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

    def edited(self, edits: Iterable[Edit]) -> "OffsetMap":
        """The map of the text that `edits` (sorted, not overlapping; see `splice`) make
        of the text this map describes.

        Built from slices of this map, one or two per edit that changes the length
        (a step may make thousands of edits, most of them keeping their length).
        """
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        cursor = 0
        for start, end, new in edits:
            if len(new) == end - start:
                continue  # character for character: mapped with the text around it
            starts.append(self.starts[cursor:start])
            ends.append(self.ends[cursor:start])
            if new:  # (one-element slices repeated: array methods, cheaper than np.full)
                if end > start:
                    first, last = self.starts[start:start + 1], self.ends[end - 1:end]
                else:  # an insertion: where the character after it starts, or the text ends
                    first = last = self.starts[start:start + 1] if start < len(self) \
                        else self.ends[-1:] if len(self) else np.zeros(1, dtype=np.int64)
                starts.append(first.repeat(len(new)))
                ends.append(last.repeat(len(new)))
            cursor = end
        if not starts:  # no edit changed the length
            return self
        starts.append(self.starts[cursor:])
        ends.append(self.ends[cursor:])
        return OffsetMap(np.concatenate(starts), np.concatenate(ends))

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
    return splice(text, edits), OffsetMap.identity(len(text)).edited(edits)
