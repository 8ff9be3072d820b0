"""PDF and web layout: spaces inside words and numbers, stray markers, punctuation width.

PDF text extraction turns every line end inside running text into a space and puts
spaces around Latin-font runs (`资金 1365 万 元`). Chinese uses no spaces between
words, so a space with a Chinese character on one side and a Chinese character or
a digit on the other is an artefact; spaces between Latin words stay. Line breaks
stay too: a blank line is a paragraph, column or page boundary, and joining across
it would glue unrelated text (`合作项目60` + `人才培养上`).
"""
from __future__ import annotations

import regex

from .offsets import Edit

_HAN = r"\p{Han}"
_CJK_MARK = r"，。、；：！？“”‘’（）《》〈〉【】—…·"
_WRAP_SPACE = regex.compile(
    rf"(?<=[{_HAN}{_CJK_MARK}])[ \t\u3000\u00a0]+(?=[{_HAN}{_CJK_MARK}\d])"  # after Chinese
    rf"|(?<=[\d%])[ \t\u3000\u00a0]+(?=[{_HAN}{_CJK_MARK}])"  # a number, then Chinese
)
_LINE_MARKER = regex.compile(r"(?m)^[ \t]*>[ \t]+")  # quote markers of a text extractor
# an ASCII mark between Chinese text is a folded full-width mark; digits keep `1,000`
_HALF_MARK = regex.compile(rf"(?<=[{_HAN}{_CJK_MARK}\"])[,;:!?](?=[^\d]|$)")
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_DOUBLE_DASH = regex.compile(rf"(?<=[{_HAN}\"”])--(?=[{_HAN}\"“])")


def fix_layout(text: str) -> list[Edit]:
    """Edits for layout damage.

    >>> from .offsets import apply_edits
    >>> apply_edits("投入资金 1365 万 元,建设 敬老院39个\\n\\n> 小区综合帮扶", fix_layout(
    ...     "投入资金 1365 万 元,建设 敬老院39个\\n\\n> 小区综合帮扶"))[0]
    '投入资金1365万元，建设敬老院39个\\n\\n小区综合帮扶'
    >>> fix_layout("Xi Jinping and iPhone 15 Pro, 1,000")
    []
    """
    edits = [Edit(m.start(), m.end(), "") for m in _WRAP_SPACE.finditer(text)]
    edits += [Edit(m.start(), m.end(), "") for m in _LINE_MARKER.finditer(text)]
    edits += [Edit(m.start(), m.end(), _FULL[m.group()]) for m in _HALF_MARK.finditer(text)]
    edits += [Edit(m.start(), m.end(), "——") for m in _DOUBLE_DASH.finditer(text)]
    return sorted(edits)


_WIDE = regex.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\uff05\uff0e]")


def fold_width(text: str) -> list[Edit]:
    """Full-width digits, Latin letters, `％`, `．` and the ideographic space to ASCII.

    >>> fold_width("２０２５年ＧＤＰ增长５％，")
    [Edit(start=0, end=4, replacement='2025'), Edit(start=5, end=8, replacement='GDP'), Edit(start=10, end=12, replacement='5%')]
    """
    edits = []
    for run in regex.finditer(_WIDE.pattern + "+", text):
        folded = "".join(" " if ch == "\u3000" else chr(ord(ch) - 0xFEE0) for ch in run.group())
        edits.append(Edit(run.start(), run.end(), folded))
    return edits
