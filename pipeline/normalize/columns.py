"""A PDF page's two columns set side by side on each line, read one after the other.

A text extractor that keeps a page's layout (`pdftotext -layout` and its kind) sets the
lines of a page's columns side by side: each line holds a line of the left column, a
run of spaces, and the line of the right column that stands beside it, so that read
line by line the two columns' sentences alternate. The columns are found where many
lines' second parts start at the same display column (a Chinese character is two
columns wide, as the extractor sets them); within that block the left parts are read
first, then the right ones, each a line of its own, and the column rejoin then joins
their wraps. A right part that starts further in is indented: it opens a paragraph, and
keeps its indent.

The text is rearranged, not edited: the result is made of slices of the text (each
part with the line break after its line), so every character keeps its offset
(`OffsetMap.rearranged`).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

# a part after a gap of spaces, somewhere in the text (most texts have none)
_GAP_ANYWHERE = re.compile(r"\S {2,}\S")
_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_ROWS = 6  # lines with a part at one column that make a page's columns
_FULL = 0.75  # a column's lines fill it: their median width is at least this share of its width (a table's cells do not)
_DRIFT = 4  # display columns a part may start further in (its indent, a half-width mark before it)
_NARROWEST = 12  # display columns of the narrowest column (six characters): a quote marker's (> ) is none
_WIDE = ("W", "F")


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in _WIDE else 1 for char in text)


def side_by_side(text: str) -> list[tuple[int, int]]:
    """The slices of `text` that read its side-by-side columns one after the other, in
    order (with the rest of the text as it stands); [] when it has none.

    >>> left = ["  一位友人致贺新春时说，追梦中的出", "彩人生，需善待三天：昨天、今天、明", "天。昨天成功与否，可为镜鉴；今天机不",
    ...         "可失，须倍加珍惜；明天咬定目标，必达", "诗与远方。", "  抚今追昔，最佳际遇就在当下。抓住"]
    >>> right = ["识，借助信息技能理清了海量研究资料。", "有位著名企业家本是网络门外汉，潜", "心追寻互联网的打开方式，终成当代",
    ...          "电商的巨擘。将学习融入逐梦的年轮，", "在奋斗中学习、于学习中赋能。", "  我们的党在奋斗中收获了更多自信。"]
    >>> page = "标题\\n" + "".join(f"{l}{' ' * (40 - _display_width(l))}{r}\\n" for l, r in zip(left, right))
    >>> print("".join(page[start:end] for start, end in side_by_side(page)))
    标题
      一位友人致贺新春时说，追梦中的出
    彩人生，需善待三天：昨天、今天、明
    天。昨天成功与否，可为镜鉴；今天机不
    可失，须倍加珍惜；明天咬定目标，必达
    诗与远方。
      抚今追昔，最佳际遇就在当下。抓住
    识，借助信息技能理清了海量研究资料。
    有位著名企业家本是网络门外汉，潜
    心追寻互联网的打开方式，终成当代
    电商的巨擘。将学习融入逐梦的年轮，
    在奋斗中学习、于学习中赋能。
      我们的党在奋斗中收获了更多自信。
    <BLANKLINE>
    """
    if len(_GAP_ANYWHERE.findall(text)) < _ROWS:
        return []
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()  # the text ends with a line break: no line after it
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    parts = [_parts(line, start) for line, start in zip(lines, starts)]
    boundaries = _column_starts(parts)
    if not boundaries:
        return []
    newline = text.find("\n")  # the line break after the text's last line, which has none
    pieces: list[tuple[int, int]] = []
    block: list[tuple[int, list[tuple[int, int] | None]]] = []  # (line number, its slices by column)

    def flush() -> None:
        columns: list[list[tuple[int, int]]] = [[] for _ in range(len(boundaries) + 1)]
        widths: list[list[int]] = [[] for _ in range(len(boundaries) + 1)]
        for number, by_column in block:
            end = starts[number] + len(lines[number])
            break_after = (end, end + 1) if end < len(text) else (newline, newline + 1)
            for column, piece in enumerate(by_column):
                if piece is not None:
                    columns[column] += [piece, break_after]
                    widths[column].append(_display_width(text[piece[0]:piece[1]].strip()))
        filled = all(len(found) >= _ROWS and sorted(found)[len(found) // 2] >= _FULL * (right - left)
                     for found, left, right in zip(widths, [0] + boundaries, boundaries))
        if filled:
            pieces.extend(piece for column in columns for piece in column)
        else:
            pieces.extend((starts[number], starts[number] + len(lines[number]) + 1) for number, _ in block)
        block.clear()

    for number, found in enumerate(parts):
        by_column = _by_column(found, boundaries)
        if by_column is None:
            flush()  # a line across the columns (a title, a page's head) ends them
            pieces.append((starts[number], starts[number] + len(lines[number]) + 1))
        else:
            block.append((number, by_column))
    flush()
    return [(start, min(end, len(text))) for start, end in pieces if start < min(end, len(text))]


class _Part(NamedTuple):
    """A part of a line between gaps of spaces."""

    start: int  # where its text starts in the text
    end: int
    column: int  # the display column its text starts at
    width: int  # its display width
    gap: int  # the spaces before it (its indent, as far as it goes)


def _parts(line: str, start: int) -> list[_Part]:
    """A line's parts between gaps of spaces, the first from the line's start (its indent is
    its own) or, where the line starts further in, from its text."""
    found, position, gap = [], 0, 0
    indent = len(line) - len(line.lstrip(" "))
    if indent >= 2 and indent < len(line):
        position = gap = indent  # a part alone further in: the columns before it are blank there
    for space in _GAP.finditer(line, position):
        found.append(_Part(start + position, start + space.start(), _display_width(line[:position]),
                           _display_width(line[position:space.start()]), gap))
        position, gap = space.end(), space.end() - space.start()
    found.append(_Part(start + position, start + len(line), _display_width(line[:position]),
                       _display_width(line[position:]), gap))
    return found


def _column_starts(parts: list[list[_Part]]) -> list[int]:
    """The display columns where the columns after the first start, left to right: where
    most lines' parts start, give or take a few columns (an indent, a line that runs a
    character or two into the gap), with enough lines to make a column."""
    counts = Counter(part.column for found in parts for part in found if part.column >= _NARROWEST)
    starts: list[int] = []
    for column, _ in counts.most_common():
        if all(abs(column - start) >= _NARROWEST for start in starts) \
                and sum(counts[column + drift] for drift in range(-_DRIFT, _DRIFT + 1)) >= _ROWS:
            starts.append(column)
    return sorted(starts)


def _by_column(found: list[_Part], boundaries: list[int]) -> list[tuple[int, int] | None] | None:
    """A line's parts by the column each stands in, as the slice that reads it (an indent
    inside its column kept), None where a column is blank; None for a line whose parts do not
    stand one a column (one across the columns, a title or a page's head, runs past the next
    column's start)."""
    by_column: list[tuple[int, int] | None] = [None] * (len(boundaries) + 1)
    for part in found:
        if part.start == part.end:
            continue
        # the column it starts in: before the next column's start, give or take an indent
        at = bisect_right([start - _DRIFT for start in boundaries], part.column)
        if by_column[at] is not None \
                or at < len(boundaries) and part.column + part.width > boundaries[at] + _DRIFT:
            return None
        indent = part.gap if at == 0 else min(max(part.column - boundaries[at - 1], 0), part.gap)
        by_column[at] = (part.start - indent, part.end)
    return by_column
