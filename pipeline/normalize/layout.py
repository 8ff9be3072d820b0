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
    rf"(?<=[{_HAN}{_CJK_MARK}])[ \t\u3000\u00a0]+(?=[{_HAN}{_CJK_MARK}\d\"])"  # after Chinese
    rf"|(?<=[\d%\"])[ \t\u3000\u00a0]+(?=[{_HAN}{_CJK_MARK}])"  # a number or a quote, then Chinese
    rf"|(?<=[{_HAN}])[ \t\u3000\u00a0]+(?=[,.;:!?])"  # before a mark
    rf"|(?<=[{_HAN}{_CJK_MARK}]\")[ \t\u3000\u00a0]+(?=[\d{_HAN}])"  # after a quote that follows Chinese
)
_LINE_MARKER = regex.compile(r"(?m)^[ \t]*>[ \t]+")  # quote markers of a text extractor
# an ASCII mark between Chinese text is a folded full-width mark; digits keep `1,000`
_HALF_MARK = regex.compile(rf"(?<=[{_HAN}{_CJK_MARK}\"])[,;:!?]")
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


_SENTENCE_END = "。！？!?；;：:”’\"）)"
_PARAGRAPH = regex.compile(r"[^\n]+(?:\n[^\n]+)*")
_COLUMN_LINE = 24  # a narrow column's line, in characters
_COLUMN_RUN = 4  # so many narrow paragraphs in a row make a column, not headings
_WRAPPED_LINE = 20  # a line this long that stops mid-sentence was wrapped


def join_broken_lines(text: str) -> list[Edit]:
    r"""Edits that rejoin text a layout broke mid-sentence.

    A single line break after a long line that stops mid-sentence was a wrap. A
    run of narrow one-line paragraphs, each stopping mid-sentence, is a sidebar
    column whose lines were set apart by blank lines: they are rejoined into one
    paragraph. Any other blank line is a real boundary and stays.

    >>> from .offsets import apply_edits
    >>> column = "1992年,伴随三峡\n\n工程上马,党中央、国务\n\n院向全国发出对口支援\n\n三峡库区的号召。"
    >>> apply_edits(column, join_broken_lines(column))[0]
    '1992年,伴随三峡工程上马,党中央、国务院向全国发出对口支援三峡库区的号召。'
    >>> join_broken_lines("合作项目60\n\n人才培养上，近年来")
    []
    """
    edits = []
    for line in regex.finditer(r"(?m)^([^\n]*)\n(?=[\p{Han}\d])", text):
        body = line.group(1).rstrip()
        if len(body) >= _WRAPPED_LINE and body[-1] not in _SENTENCE_END:
            edits.append(Edit(line.end() - 1, line.end(), ""))
    paragraphs = [p for p in _PARAGRAPH.finditer(text)]
    run: list[regex.Match] = []
    for paragraph in paragraphs + [None]:
        narrow = paragraph is not None and "\n" not in paragraph.group() \
            and len(paragraph.group().strip()) <= _COLUMN_LINE
        if narrow and (not run or run[-1].group().rstrip()[-1] not in _SENTENCE_END):
            run.append(paragraph)
            continue
        if len(run) >= _COLUMN_RUN:
            edits.extend(Edit(a.end(), b.start(), "") for a, b in zip(run, run[1:]))
        run = [paragraph] if narrow else []
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


_LINE_PADDING = regex.compile(r"(?m)^[ \t\u3000\xa0]+|[ \t\u3000\xa0]+$|\n(?=\n)|\A\n+|\n+\Z")


def one_paragraph_a_line(text: str) -> list[Edit]:
    r"""Edits to the canonical line form: no indentation or trailing blanks, no blank lines.

    Run last: the layout repairs read blank lines as paragraph, column or page bounds.

    >>> from .offsets import apply_edits
    >>> apply_edits("标题\n\n\u3000\u3000第一段。\xa0\n\n\n  第二段。\n", one_paragraph_a_line(
    ...     "标题\n\n\u3000\u3000第一段。\xa0\n\n\n  第二段。\n"))[0]
    '标题\n第一段。\n第二段。'
    """
    return [Edit(m.start(), m.end(), "") for m in _LINE_PADDING.finditer(text)]
