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
at its position. A text rearranged from slices of the one before (`rearranged`: a PDF
page's side-by-side columns read one after the other) keeps each character's span, so
the map need not run in the raw text's order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple

import numpy as np

_GATHERED = 40  # edits that change the length, from which numpy gathers the new map (measured)


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

        Only the edits that change the length matter (character for character, a
        character keeps its span). A few are spliced in as slices of this map; a damaged
        page has hundreds, and then the new map is gathered by index arrays that numpy
        builds per segment (the text kept before each edit, then its replacement): a
        slice costs Python a few steps per edit, the gather a fixed cost per call. Many
        edits that only delete leave the map of the characters kept, taken by a mask.
        """
        changed = [(start, end, len(new)) for start, end, new in edits if len(new) != end - start]
        if not changed:
            return self
        if len(changed) < _GATHERED:
            return self._spliced(changed)
        if not any(new_length for _, _, new_length in changed):
            return self._kept(changed)
        return self._gathered(changed)

    def _kept(self, changed: list[tuple[int, int, int]]) -> "OffsetMap":
        """`edited` for many edits (start, end, replacement length) that all delete: the
        characters kept keep their spans (most layout and markup steps only delete; one
        slice assignment an edit and one mask: 19 to 52 µs a call on damaged pages,
        where the gather takes 47 to 83)."""
        kept = np.ones(len(self), dtype=bool)
        for start, end, _ in changed:
            kept[start:end] = False
        return OffsetMap(self.starts[kept], self.ends[kept])

    def _gathered(self, changed: list[tuple[int, int, int]]) -> "OffsetMap":
        """`edited` for many edits (start, end, replacement length) that change the length."""
        start, end, new_length = np.array(changed, dtype=np.int64).T
        length = len(self)
        # one array holding both sides of the map and, last, where the text ends:
        # a replacement spans from its first replaced start to its last replaced end;
        # an insertion sits where the character after it starts, or at the text's end
        values = np.concatenate([self.starts, self.ends, self.ends[-1:] if length else np.zeros(1, np.int64)])
        first = np.where(start < length, start, 2 * length)
        last = np.where(end > start, length + end - 1, first)
        kept_from = np.concatenate([[0], end])  # segment 2k is kept text, 2k + 1 edit k's replacement
        segment_length = np.empty(2 * len(changed) + 1, np.int64)
        segment_length[0::2], segment_length[1::2] = np.concatenate([start, [length]]) - kept_from, new_length
        # kept text counts up from where it starts; a replacement repeats one position
        counting = np.zeros(len(segment_length), np.int64)
        counting[0::2] = 1
        position_in_segment = np.arange(segment_length.sum()) - np.repeat(
            np.cumsum(segment_length) - segment_length, segment_length)
        counted = np.repeat(counting, segment_length) * position_in_segment
        from_start = np.empty_like(segment_length)
        from_start[0::2], from_start[1::2] = kept_from, first
        from_end = np.empty_like(segment_length)
        from_end[0::2], from_end[1::2] = kept_from + length, last
        return OffsetMap(values[np.repeat(from_start, segment_length) + counted],
                         values[np.repeat(from_end, segment_length) + counted])

    def _spliced(self, changed: list[tuple[int, int, int]]) -> "OffsetMap":
        """`edited` for a few edits (start, end, replacement length) that change the length."""
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        cursor = 0
        for start, end, new_length in changed:
            starts.append(self.starts[cursor:start])
            ends.append(self.ends[cursor:start])
            if new_length:  # (one-element slices repeated: array methods, cheaper than np.full)
                if end > start:
                    first, last = self.starts[start:start + 1], self.ends[end - 1:end]
                else:  # an insertion: where the character after it starts, or the text ends
                    first = last = self.starts[start:start + 1] if start < len(self) \
                        else self.ends[-1:] if len(self) else np.zeros(1, dtype=np.int64)
                starts.append(first.repeat(new_length))
                ends.append(last.repeat(new_length))
            cursor = end
        starts.append(self.starts[cursor:])
        ends.append(self.ends[cursor:])
        return OffsetMap(np.concatenate(starts), np.concatenate(ends))

    def rearranged(self, pieces: list[tuple[int, int]]) -> "OffsetMap":
        """The map of the text made of the slices `pieces` of this one's text, in their order
        (which need not be the text's: a page's columns set side by side, read one after the
        other; a slice may repeat, as a line break taken after two parts of one line): each
        character keeps its span.

        >>> OffsetMap.identity(6).rearranged([(3, 6), (0, 3)]).starts.tolist()
        [3, 4, 5, 0, 1, 2]
        """
        index = np.concatenate([np.arange(start, end) for start, end in pieces]) if pieces \
            else np.zeros(0, np.int64)
        return OffsetMap(self.starts[index], self.ends[index])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw `[start, end)` of the normalized span `[start, end)`.

        >>> OffsetMap.identity(5).raw_span(1, 3)
        (1, 3)
        """
        (raw_start,), (raw_end,) = self.raw_spans([start], [end])
        return raw_start, raw_end

    def raw_spans(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """Raw starts and ends of the normalized spans `[starts[i], ends[i])`, in one look-up.

        >>> OffsetMap.identity(5).raw_spans([0, 1], [2, 3])
        ([0, 1], [2, 3])
        """
        for start, end in zip(starts, ends):
            if not 0 <= start < end <= len(self):
                raise ValueError(f"not a non-empty span of the normalized text: [{start}, {end})")
        firsts, lasts = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64) - 1
        raw_starts, raw_ends = self.starts[firsts], self.ends[lasts]
        # a span across rearranged text (a column's end, the next's start) maps to all it covers
        for index in np.flatnonzero(raw_starts >= raw_ends).tolist():
            raw_starts[index] = self.starts[firsts[index]:lasts[index] + 1].min()
            raw_ends[index] = self.ends[firsts[index]:lasts[index] + 1].max()
        return raw_starts.tolist(), raw_ends.tolist()


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
