"""PDF and web layout: spaces inside words and numbers, stray markers, punctuation width.

PDF text extraction turns every line end inside running text into a space and puts
spaces around Latin-font runs (`资金 1365 万 元`). Chinese uses no spaces between
words, so a space with a Chinese character on one side and a Chinese character or
a digit on the other is an artefact; spaces between Latin words stay. Line breaks
stay too: a blank line is a paragraph, column or page boundary, and joining across
it would glue unrelated text (`合作项目60` + `人才培养上`).
"""
from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from itertools import accumulate

import regex

from .. import ruleset
from .codepoints import CharClass
from .offsets import Edit

_HAN = r"\p{Han}"
_CJK_MARK = r"，。、；：！？“”‘’（）《》〈〉【】—…·"
_WRAP_SPACE = regex.compile(
    rf"(?<=[{_HAN}{_CJK_MARK}])[ \t\u3000\u00a0]+(?=[{_HAN}{_CJK_MARK}\dA-Za-z\"])"  # after Chinese
    rf"|(?<=[\dA-Za-z%\"])[ \t\u3000\u00a0]+(?=[{_HAN}{_CJK_MARK}])"  # Latin, a number or a quote, then Chinese
    rf"|(?<=[{_HAN}])[ \t\u3000\u00a0]+(?=[,.;:!?])"  # before a mark
    rf"|(?<=[{_HAN}{_CJK_MARK}]\")[ \t\u3000\u00a0]+(?=[\d{_HAN}])"  # after a quote that follows Chinese
)
# quote markers of a text extractor or a mail (> , a mail quoted twice >> , a quoted blank line >> alone)
_LINE_MARKER = regex.compile(r"(?m)^[ \t]*>(?:[ \t]*>)*(?:[ \t]+|$)")
# an ASCII mark between Chinese text is a folded full-width mark; digits keep `1,000`
# (its look-arounds stay inside a line: it is run over the whole text)
# (after a digit, a mark before Chinese: a thousands separator has a digit after it, `1/3, 没`)
_HALF_MARK = regex.compile(rf"(?<=[{_HAN}{_CJK_MARK}\"] ?)[,;:!?]|(?<=[%)] ?)[,;:!?](?=[^\S\n]?[{_HAN}{_CJK_MARK}\"])"
                           rf"|(?<=\d ?)[,;!?](?=[^\S\n]?[{_HAN}{_CJK_MARK}\"])")
_MAINLAND_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’"}
_CORNER_QUOTE = re.compile("[「」『』]")
_ASCII_MARK = re.compile(r"[,;:!?\"'()]")  # whether a text holds any (clean Chinese text mostly none)
# ASCII quotes next to Chinese were curly ones (damage.md: a PDF font's “” became "): opening
# after these or a line's start, closing before these or its end, else the other of the last
_QUOTE = regex.compile(rf"(?<=[{_HAN}{_CJK_MARK}\d,;:!?][ \t\u3000]*)[\"']"
                       rf"|[\"'](?=[ \t\u3000]*[{_HAN}{_CJK_MARK}\d])")
_OPENS_AFTER = frozenset("：:，,、（(《—")
_CLOSES_BEFORE = frozenset("，,。.！!？?；;、）)》：:—")
_CURLY = {'"': "“”", "'": "‘’"}
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# parentheses folded with the marks around them: Chinese inside and no Latin letter, or
# Chinese or the line's edge on both sides (沈海高速（G15）和: Chinese text sets even a code in
# full-width ones)
_HALF_PARENS = regex.compile(rf"\((?=[^()\n]*{_HAN})[^()\nA-Za-z]{{1,40}}\)"
                             rf"|(?<=[{_HAN}{_CJK_MARK}]|^)\([^()\n]{{1,40}}\)(?=[{_HAN}{_CJK_MARK}]|$)", regex.MULTILINE)
# a pair of one full-width and one ASCII parenthesis: the ASCII one was folded, whatever the text
_MIXED_PARENS = regex.compile(r"（[^()（）\n]{1,40}(\))|(\()[^()（）\n]{1,40}）")
# (a PDF sets a space after it, and an indentation before it at a line's start: 标志-- 牧豆树, 　　--习近平)
_DOUBLE_DASH = regex.compile(rf"(?<=[{_HAN}{_CJK_MARK}\"'])--[ \t]*(?=[{_HAN}\d\"“‘]|$)"
                             rf"|(?<=^[ \t\u3000\u00a0]*)--[ \t\u00a0]*(?={_HAN})", regex.MULTILINE)
# a PDF font's dash read as the character 一 (damage.md: 牢记嘱托一回望过去); between numbers
# it can be nothing else (2021一2025年, 1.10一1.80元, 5000亿一6000亿元, 10月一12月, 20%一30%,
# and with a PDF's spaces 2016 年一 2035 年; not 周一9时, a weekday before a time)
_DASH_AS_ONE = regex.compile(r"(?<=\d[ \t]*[^\s\d一]?[ \t]*)一(?=[ \t]*\d)")
# ... and 一一 for ——: after a closing mark, before a digit or an opening mark, or opening a
# line that ends no sentence (a speaker's attribution: 一一黑龙江省委书记……说); 一一列举, one
# by one, has a word after it and is in a sentence
_DOUBLE_DASH_AS_ONES = regex.compile(r"(?<=[”》）)])一一|一一(?=[\d“《（(])|^一一(?=[^\n。！？]*$)", regex.MULTILINE)


_BLANKS = r"[ \t\u3000\u00a0]+"
_HEADLINE_GAP = regex.compile(rf"(?<=\p{{Han}}{{2}}){_BLANKS}(?=\p{{Han}}{{2}}|[“《（(])")  # words, not a unit
# blanks between Latin words or numbers: one plain space
_ODD_GAP = r"(?: {2,}|[ \t\u3000\u00a0]*[\t\u3000\u00a0][ \t\u3000\u00a0]*)"
_LATIN_GAP = regex.compile(rf"(?<=[A-Za-z]){_ODD_GAP}(?=[A-Za-z0-9])|(?<=[0-9.]){_ODD_GAP}(?=[A-Za-z])")
_DIGIT_GAP = regex.compile(rf"(?<=\d){_ODD_GAP}(?=\d)")  # a no-break or wide blank between numbers
_SENTENCE_MARKS = regex.compile(r"[。！？；，,：:]")
_BODY_LINE = regex.compile(r"(?m)^.*[。！？].*$")
_LINE = regex.compile(r"[^\n]+")
_HEADLINE = 40  # a title line this short, with no sentence mark, may set words apart
# a number a PDF line or its Latin font split (`2 025年`, `36. 4亿元`, `12 . 5亿元`, `1,2 34万元`),
# between non-ASCII text or a line's start (a paragraph that opens with it: `193 3年10月`)
_SPLIT_NUMBER = regex.compile(
    rf"(?<=(?:^|[^\x00-\x7f])(?:{_BLANKS})?[\d.,]*\d(?:(?:{_BLANKS})?\.)?){_BLANKS}"
    rf"(?=\.?(?:{_BLANKS})?\d[\d.,]*(?:{_BLANKS})?(?:[^\x00-\x7f]|%))", regex.MULTILINE)
# ... or a number a PDF's Latin font spaced out digit by digit (`2 0 1 9 年`, `全长1 2 0公里`,
# `1 2 . 5亿元`): three single digits or more, each after one blank, between non-ASCII text
# or a line's edge
_SPACED_DIGITS = regex.compile(r"(?<=(?:^|[^\x00-\x7f])[ \t]?)\d(?:[ \t]?[.．][ \t]?\d|[ \t]\d){2,}"
                               r"(?=[ \t]?[^\x00-\x7f\n])", regex.MULTILINE)
_DIGIT_SPACE = regex.compile(r"[ \t]")
# ... or a percent sign a PDF's Latin font set apart (`占50 %左右`), after a number in Chinese text
_SPACED_PERCENT = regex.compile(rf"(?<=[^\x00-\x7f](?:{_BLANKS})?[\d.]*\d){_BLANKS}(?=[%‰])")
# ... or a line break that wrapped one (`开展 2\n019 年`, `约有100\n00栋`, a `<br>` in `7<br>6.19万`),
# or parted it from its 万 or 亿 (`学位 12\n万个`), the line before ending in running text and the
# number (a line of digits alone is a heading)
_WRAPPED_NUMBER = regex.compile(
    rf"(?<=[^\x00-\x7f\s](?:{_BLANKS})?[\d.,]*\d\.?)(?:{_BLANKS})?\n(?:{_BLANKS})?"
    rf"(?=\.?\d[\d.,]*(?:{_BLANKS})?(?:[^\x00-\x7f]|%)|[万亿]\p{{Han}})")
# what every edit of the patterns above that mend a number holds (_SPLIT_NUMBER, _SPACED_DIGITS,
# _SPACED_PERCENT, _WRAPPED_NUMBER, and _DIGIT_GAP's): a digit, or a digit and its point, before
# a blank or a line break; clean text holds none, and one search for it saves their five scans
# (half of the layout step on clean text)
_DIGIT_BEFORE_BREAK = re.compile(r"\d[.．]?[ \t\u3000\u00a0\n]")


def fix_layout(text: str) -> list[Edit]:
    """Edits for layout damage.

    >>> from .offsets import apply_edits
    >>> apply_edits("投入资金 1365 万 元，建设 敬老院39个\\n\\n> 小区综合帮扶", fix_layout(
    ...     "投入资金 1365 万 元，建设 敬老院39个\\n\\n> 小区综合帮扶"))[0]
    '投入资金1365万元，建设敬老院39个\\n\\n小区综合帮扶'
    >>> apply_edits("在 2 025年增长36. 4%，投资12 . 5亿元、1,2 34万元。", fix_layout(
    ...     "在 2 025年增长36. 4%，投资12 . 5亿元、1,2 34万元。"))[0]
    '在2025年增长36.4%，投资12.5亿元、1,234万元。'
    >>> apply_edits("社区开展 2 \\n019 年春节活动\\n229\\n2017年", fix_layout("社区开展 2 \\n019 年春节活动\\n229\\n2017年"))[0]
    '社区开展2019年春节活动\\n229\\n2017年'
    >>> fix_layout("Xi Jinping and iPhone 15 Pro, 1,000")
    []
    >>> fix_layout("坚持问题导向 聚焦重点工作\\n正文。")  # a headline's word gap stays
    []
    """
    edits = []
    kept = set()  # where a headline's word gap starts
    first_body = _BODY_LINE.search(text)
    for line in _LINE.finditer(text, 0, first_body.start() if first_body else 0):
        body = line.group()
        if len(body.strip()) <= _HEADLINE and not _SENTENCE_MARKS.search(body):
            edits += [Edit(line.start() + m.start(), line.start() + m.end(), " ")
                      for m in _HEADLINE_GAP.finditer(body) if m.group() != " "]
            kept.update(line.start() + m.start() for m in _HEADLINE_GAP.finditer(body))
    # no match of _WRAP_SPACE holds or borders on a line break (only _WRAPPED_NUMBER's do): one pass
    edits += [Edit(m.start(), m.end(), "") for m in _WRAP_SPACE.finditer(text) if m.start() not in kept]
    if _DIGIT_BEFORE_BREAK.search(text):
        edits += [Edit(m.start(), m.end(), "") for m in _SPLIT_NUMBER.finditer(text)]
        edits += [Edit(run.start() + gap.start(), run.start() + gap.end(), "")
                  for run in _SPACED_DIGITS.finditer(text) for gap in _DIGIT_SPACE.finditer(run.group())]
        edits += [Edit(m.start(), m.end(), "") for m in _WRAPPED_NUMBER.finditer(text)]
        edits += [Edit(m.start(), m.end(), "") for m in _SPACED_PERCENT.finditer(text)]
        edits += [Edit(m.start(), m.end(), "") for m in _DIGIT_GAP.finditer(text)]
    edits += [Edit(m.start(), m.end(), " ") for m in _LATIN_GAP.finditer(text)]
    edits += [Edit(m.start(), m.end(), "") for m in _LINE_MARKER.finditer(text)]
    edits += [Edit(m.start(), m.end(), "——") for m in _DOUBLE_DASH.finditer(text)]
    edits += [Edit(m.start(), m.end(), "—") for m in _DASH_AS_ONE.finditer(text)]
    edits += [Edit(m.start(), m.end(), "——") for m in _DOUBLE_DASH_AS_ONES.finditer(text)]
    return _without_overlaps(sorted(edits))


def full_width_marks(text: str) -> list[Edit]:
    """Edits that give Chinese text back the full-width marks a width fold made ASCII.

    An ASCII `,;:!?` between Chinese text is a folded mark; in a line holding one, or in
    a text where a third of the marks are such, parentheses around Chinese were folded
    too, and an ASCII parenthesis paired with a full-width one always was; ASCII quotes
    next to Chinese were curly (a PDF font's). Taiwan's and Hong Kong's corner quotes (「」『』)
    are the mainland's curly ones (“”‘’), as simplified text writes them. Run before the spaces: a
    wrap after a folded comma is only seen as such once the comma is Chinese again.

    >>> from .offsets import apply_edits
    >>> apply_edits("江西有100个县(市、区),增长7.6%,实现", full_width_marks("江西有100个县(市、区),增长7.6%,实现"))[0]
    '江西有100个县（市、区），增长7.6%，实现'
    >>> full_width_marks("管理办法(试行)和1,000元")
    []
    >>> apply_edits("他說「這是『新』的」", full_width_marks("他說「這是『新』的」"))[0]
    '他說“這是‘新’的”'
    """
    corners = [Edit(m.start(), m.end(), _MAINLAND_QUOTES[m.group()]) for m in _CORNER_QUOTE.finditer(text)]
    if not _ASCII_MARK.search(text):
        return corners
    # each pattern scans the whole text once, not each line that holds an ASCII mark
    # (a damaged page has hundreds: a scan a line cost more than the marks found)
    marks = [Edit(m.start(), m.end(), _FULL[m.group()]) for m in _HALF_MARK.finditer(text)]
    if marks:
        # a text whose marks were folded (a third of them or more) had its parentheses folded
        # too, in a title as in a sentence; else only a line holding a folded mark is read so
        # (管理办法(试行) may be as its source wrote it)
        folded_text = 2 * len(marks) >= sum(map(text.count, "，；：！？"))
        line_starts: list[int] = []
        line_ends: list[int] = []
        for mark in marks:  # each line found from its first mark: a long line is read once
            if not line_ends or mark.start > line_ends[-1]:
                line_starts.append(text.rfind("\n", 0, mark.start) + 1)
                line_end = text.find("\n", mark.start)
                line_ends.append(len(text) if line_end == -1 else line_end)
        for paren in _HALF_PARENS.finditer(text):
            start, end = paren.span()
            line = bisect_right(line_starts, start) - 1
            if folded_text or line >= 0 and start < line_ends[line]:
                marks += [Edit(start, start + 1, "（"), Edit(end - 1, end, "）")]
    for pair in _MIXED_PARENS.finditer(text):
        folded = pair.span(1) if pair.group(1) else pair.span(2)
        marks.append(Edit(*folded, _FULL[text[folded[0]]]))
    return _without_overlaps(sorted(marks + _curly_quotes(text) + corners))


def _beside(text: str, at: int, step: int) -> str:
    """The character next to text[at] in the direction of `step`, past blanks (a PDF wrap
    may stand anywhere); empty at the line's edge."""
    at += step
    while 0 <= at < len(text) and text[at] in " \t\u3000":
        at += step
    return text[at] if 0 <= at < len(text) and text[at] != "\n" else ""


def _curly_quotes(text: str) -> list[Edit]:
    """Edits making the ASCII quotes that stand next to Chinese curly again (a quote goes on
    over line breaks: whether the last of its kind opened decides one between words).

    >>> from .offsets import apply_edits
    >>> line = '他说："好！"又去"耍"了。'
    >>> apply_edits(line, _curly_quotes(line))[0]
    '他说：“好！”又去“耍”了。'
    >>> apply_edits('他说好"\\n"又去', _curly_quotes('他说好"\\n"又去'))[0]  # a line's edge is as the text's
    '他说好”\\n“又去'
    >>> _curly_quotes('He said "yes" and did not')
    []
    """
    edits = []
    opened = {'"': False, "'": False}  # whether the last quote of each kind opened
    for quote in _QUOTE.finditer(text):
        at, mark = quote.start(), quote.group()
        before, after = _beside(text, at, -1), _beside(text, at, 1)
        if not before or before in _OPENS_AFTER:
            opening = True
        elif not after or after in _CLOSES_BEFORE:
            opening = False
        else:  # between words: the other of the last one
            opening = not opened[mark]
        opened[mark] = opening
        edits.append(Edit(at, at + 1, _CURLY[mark][0 if opening else 1]))
    return edits


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    for edit in edits:
        if not kept or edit.start >= kept[-1].end:
            kept.append(edit)
    return kept


_SENTENCE_END = "。！？!?；;：:”’\"）)"
_CLAUSE_END = frozenset(_SENTENCE_END + "，、,")
# marks that end or go inside a clause (a line of ？ alone is a section break: not these)
_NEVER_OPENS_A_LINE = frozenset("，。、；：”’）》」』】,;")
_SENTENCE_STOP = frozenset("。！？!?…")
_COLUMN_LINE = 24  # a sidebar's line, in characters
_COLUMN_RUN = 4  # so many narrow one-line paragraphs make a sidebar, not headings
_COLUMN_LINES = 8  # so many full lines of one width make a column, not a list or a poem
_NARROWEST, _WIDEST = 8, 26  # the widths of a newspaper column, in characters
_COLUMN_SHARE = 0.5  # share of a text's lines that must be full column lines (lists and poems have fewer)


def _column_width(lengths: list[int]) -> int | None:
    """The width most lines are set to, if the text was set in a narrow column."""
    counts = Counter(lengths)
    # the lines of each length a column's lines may have (a width's are the four from width - 2),
    # summed as slices of one list, not looked up per width (measured: half the time, which was
    # a fifth of a short article's normalization)
    per_length = [counts[length] for length in range(_NARROWEST - 2, _WIDEST + 2)]
    best, best_count = None, 0
    for width in range(_NARROWEST, _WIDEST + 1):
        count = sum(per_length[width - _NARROWEST:width - _NARROWEST + 4])
        if count > best_count:
            best, best_count = width, count
    if best_count >= _COLUMN_LINES and best_count >= _COLUMN_SHARE * len(lengths):
        return best
    return None


def _set_to(length: int, width: int) -> bool:
    """Whether a line this long is a full line of a column this wide (a wrap may fall a
    character or two early)."""
    return width - 2 <= length <= width + 1


def join_broken_lines(text: str) -> list[Edit]:
    r"""Edits that rejoin text a layout broke mid-sentence.

    Text set in a narrow column (most of its lines of one width, 8 to 26
    characters) has every full line joined to the next line of its paragraph: a
    line end inside a column is a wrap, a blank line a paragraph bound. A run of
    narrow one-line paragraphs, each stopping mid-sentence, is a sidebar column
    whose lines were set apart by blank lines: they are rejoined into one
    paragraph. A line opening with a mark that ends or goes inside a clause (，。”）)
    goes on the line before it, unless that one ends a sentence. Any other line break or
    blank line is a real boundary and stays.

    >>> from .offsets import apply_edits
    >>> column = "1992年,伴随三峡\n\n工程上马,党中央、国务\n\n院向全国发出对口支援\n\n三峡库区的号召。"
    >>> apply_edits(column, join_broken_lines(column))[0]
    '1992年,伴随三峡工程上马,党中央、国务院向全国发出对口支援三峡库区的号召。'
    >>> wrapped = ("这些共识正在得到\n落实，给两国 \n人民带来了实实\n在在的好处。双方\n要进一步对接发展\n"
    ...            "战略，共同建设“\n一带一路”。两国\n已初步形成合作\n格局。\n\n第二段")
    >>> apply_edits(wrapped, join_broken_lines(wrapped))[0]
    '这些共识正在得到落实，给两国人民带来了实实在在的好处。双方要进一步对接发展战略，共同建设“一带一路”。两国已初步形成合作格局。\n\n第二段'
    >>> join_broken_lines("合作项目60\n\n人才培养上，近年来")
    []
    >>> join_broken_lines("\u3000\n\n短行\n\n再一行")
    []
    """
    pieces = text.split("\n")
    # (start, line) of each line that is not empty
    lines = [(start, line) for start, line in zip(accumulate((len(piece) + 1 for piece in pieces), initial=0), pieces)
             if line]
    lengths = [_content_length(line) for _, line in lines]
    # a line follows the one before in its paragraph when a single line break parts them
    follows = [False] + [start == before_start + len(before) + 1
                         for (before_start, before), (start, _) in zip(lines, lines[1:])]
    edits = []
    width = _column_width(lengths)
    if width is not None:
        for index in range(1, len(lines)):
            if follows[index] and _set_to(lengths[index - 1], width) and lengths[index]:
                edits.append(join_edit(lines[index - 1], lines[index]))
    edits += _wrapped_blocks(lines, lengths, follows, width)  # a paragraph wrapped to a width of its own
    run: list[int] = []  # the lines of the narrow one-line paragraphs in a row
    for index in range(len(lines) + 1):
        if index < len(lines) and follows[index]:
            continue  # inside a paragraph of several lines: decided at its first line
        # a paragraph of white space only (an emptied line of markup) is no line of a sidebar
        narrow = index < len(lines) and not (index + 1 < len(lines) and follows[index + 1]) \
            and 0 < lengths[index] <= _COLUMN_LINE
        if narrow and (not run or _goes_on_sidebar(lines, lengths, run, index)):
            run.append(index)
            continue
        if len(run) >= _COLUMN_RUN:
            edits.extend(join_edit(lines[a], lines[b]) for a, b in zip(run, run[1:]))
        run = [index] if narrow else []
    # a line that opens with a mark no line opens with, after one that ends no sentence, was
    # wrapped before the mark, whatever the width
    edits += [join_edit(lines[index - 1], lines[index]) for index in range(1, len(lines))
              if lines[index][1].lstrip()[:1] in _NEVER_OPENS_A_LINE
              and lines[index - 1][1].rstrip()[-1:] not in _SENTENCE_STOP]
    return _without_overlaps(sorted(edits))


def _goes_on_sidebar(lines: list[tuple[int, str]], lengths: list[int], run: list[int], index: int) -> bool:
    """Whether the narrow one-line paragraph `index` goes on the sidebar whose lines so far
    are `run`. A sidebar's lines are all about as wide as its column (only its last may be
    short), and stop mid-sentence, but where a sentence happened to end at a full line
    with a full one after it, while most lines of the run end inside a clause (a poem's
    all end with a mark)."""
    first, last = run[0], run[-1]
    if abs(lengths[last] - lengths[first]) > 2 or lengths[first] < _NARROWEST:
        return False
    if lines[last][1].rstrip()[-1] not in _SENTENCE_END:
        return True
    full = lengths[last] >= max(lengths[number] for number in run) and abs(lengths[index] - lengths[first]) <= 2
    clause_ends = sum(lines[number][1].rstrip()[-1] in _CLAUSE_END for number in run)
    return len(run) > 1 and full and 3 * clause_ends <= len(run)


def column_of(lines: list[str]) -> int | None:
    """The width of the narrow column `lines` were set in, if they were (as the column
    rejoin finds it)."""
    return _column_width([_content_length(line) for line in lines])


_RUNS_ON = frozenset("、")  # a mark no paragraph ends with (a verse's lines end with ，)
_HAN_CHARACTER = regex.compile(_HAN)
_STOP = regex.compile(r"[。！？；!?;]")
_CLAUSE = regex.compile(r"[，,]")


def runs_on(lines: str) -> bool:
    r"""Whether a paragraph stops inside a sentence, so that a line after it that is no
    text of the article (a caption, a credit) cut it in two. `lines` holds its last line,
    after the one before it when a single line break parts them. The last line ends in a
    character, a digit or 、, and is running text (a title or a heading is none), or it
    is the rest of a line that runs on so (a column's line, or a wrap that left a word
    alone: 设立 \n了).

    >>> runs_on("两国元首会谈。双方同意深化相互尊"), runs_on("会谈。双方同意深化\n社区居民的角"), runs_on("会谈。已经设立\n了")
    (True, True, True)
    >>> runs_on("习近平会见卡塔尔埃米尔"), runs_on("两国元首一致同意。"), runs_on("第一段。\n二、加强领导")
    (False, False, False)
    >>> runs_on("五、积极支持民营企业融资纾困，着力化解流动性风险\n并切实维护企业合法权益")  # a heading
    False
    """
    *before, last = lines.rstrip().rsplit("\n", 1)
    return _ends_inside(last) and (_running(last) or bool(before) and _ends_inside(before[0]) and _running(before[0]))


def _running(line: str) -> bool:
    """Whether a line is running text: it ends a sentence inside, or it holds a clause
    mark and is wider than a column (a heading may hold a comma, and be wrapped)."""
    return bool(_STOP.search(line)) or len(line) > _WIDEST + _BAND and bool(_CLAUSE.search(line))


def _ends_inside(line: str) -> bool:
    """Whether a line ends in a character, a digit or 、 (no paragraph does)."""
    last = line.rstrip()[-1:]
    return last in _RUNS_ON or last.isdigit() or bool(_HAN_CHARACTER.match(last))


def full_line(line: str, width: int | None) -> bool:
    """Whether `line` is a full line of a column `width` wide (None: no column)."""
    return width is not None and _set_to(_content_length(line), width)


_BLOCK_LINES = 3  # a block of so many lines or more may be one paragraph wrapped in a column
_BAND = 2  # how far a wrapped line's width may stray from the block's (a wrap inside a word or number)
_ANY_BLANK = regex.compile(r"\s+")


def _width(line: str) -> tuple[int, float]:
    """A line's width as characters without blanks, and as it is set (ASCII half as wide)."""
    characters = _ANY_BLANK.sub("", line)
    return len(characters), len(characters) - len(characters.encode("ascii", "ignore")) / 2


def _wrapped_blocks(lines: list[tuple[int, str]], lengths: list[int], follows: list[bool],
                    column: int | None) -> list[Edit]:
    """Edits joining the lines of each block (lines parted by single line breaks) that
    is one paragraph wrapped in a column of its own, whatever the rest of the text: a
    short article, or one paragraph of a page set in a column. Its lines but the last
    are of one width (within _BAND, counted either way), 8 to 26 characters, and most
    stop mid-sentence (a list's or a poem's lines end with a mark); the last is no wider.
    A block whose lines the page's `column` width rejoins already is passed over."""
    edits = []
    first = 0
    for index in range(1, len(lines) + 1):
        if index < len(lines) and follows[index]:
            continue
        block, first = list(range(first, index)), index
        if len(block) < _BLOCK_LINES or not all(_NARROWEST <= lengths[number] <= _WIDEST + _BAND
                                                for number in block[:-1]):
            continue
        if column is not None and all(_set_to(lengths[number], column) for number in block[:-1]):
            continue  # joined by the column width
        full = [lines[number][1].strip() for number in block[:-1]]
        widths = [_width(line) for line in full]
        last = _width(lines[block[-1]][1])
        medians = [statistics.median(width[way] for width in widths) for way in (0, 1)]
        fits = all(any(abs(width[way] - medians[way]) <= _BAND and last[way] <= medians[way] + _BAND
                       for way in (0, 1)) for width in widths)
        stops = sum(line[-1] in _SENTENCE_END for line in full)
        if fits and 3 * stops <= len(full):
            edits.extend(join_edit(lines[before], lines[after]) for before, after in zip(block, block[1:]))
    return edits


_LINE_START = regex.compile(r"\s*(?:>(?:[ \t]*>)*[ \t]+)?")  # the blanks, and a text extractor's or a mail's quote marker


def _content_length(line: str) -> int:
    """A line's length without its blanks and a `> ` marker that begins it."""
    content = line.strip()
    if content[:1] == ">":  # the look-up only for the few lines that may open with one
        content = content[_LINE_START.match(content).end():]
    return len(content)


def join_edit(line: tuple[int, str], following: tuple[int, str]) -> Edit:
    """The edit that joins a line, given as (start, text), to the one after it: the blanks
    that end the one and begin the other go with the line break, and so does a marker
    that begins the other (`> `: once joined, it would stand inside the text)."""
    (start, text), (following_start, following_text) = line, following
    opening = following_text[:1]
    # most lines open with text: the look-up only for those that may open with blanks or a marker
    # (measured: a fifth of join_broken_lines's time); str.isspace holds all of `\s` and more
    skipped = _LINE_START.match(following_text).end() if opening.isspace() or opening == ">" else 0
    return Edit(start + len(text.rstrip()), following_start + skipped, "")


# what shows nothing and means nothing in news text, put inside words and numbers by
# editors, CMSs and anti-scraping tricks: zero-width spaces and joiners, word joiners,
# byte order marks, direction marks; and C0 controls but tab, line feed and those below
_INVISIBLE = r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0e-\x1f\x7f"
# line ends of other systems and tools: CR LF, CR, vertical tab, the form feed a PDF text
# extractor puts between pages, the Unicode line and paragraph separators
_OTHER_LINE_END = r"\r\x0b\x0c\u2028\u2029"
# the typesetter's spaces (en, em, thin, hair, narrow no-break: &ensp;, &emsp;, &thinsp;):
# plain spaces, which the layout repairs then keep or drop
_OTHER_SPACE = r"\u1680\u2000-\u200a\u202f\u205f"
_PLAIN = regex.compile(rf"(?P<invisible>[{_INVISIBLE}]+)|(?P<line_end>\r\n|[{_OTHER_LINE_END}])"
                       rf"|(?P<space>[{_OTHER_SPACE}])")
# whether a text holds any of them: the standard library's engine scans one character class
# ten times as fast as `regex` does, and most texts hold none
_ANY_PLAIN = re.compile(rf"[{_INVISIBLE}{_OTHER_LINE_END}{_OTHER_SPACE}]")


def plain_whitespace(text: str) -> list[Edit]:
    r"""Edits dropping invisible characters, making every line end a line feed and every
    other space a plain space.

    >>> from .offsets import apply_edits
    >>> apply_edits("投入资金1\u200b265万元\ufeff。\r\n第二页\x0c第三\u2009页", plain_whitespace(
    ...     "投入资金1\u200b265万元\ufeff。\r\n第二页\x0c第三\u2009页"))[0]
    '投入资金1265万元。\n第二页\n第三 页'
    """
    if not _ANY_PLAIN.search(text):
        return []
    return [Edit(m.start(), m.end(), "\n" if m.group("line_end") else " " if m.group("space") else "")
            for m in _PLAIN.finditer(text)]


# what the charset repairs leave invisible: the zero-width spaces and byte order marks their bytes
# make (â€‹ is U+200B), and the soft hyphens and C1 controls no repair read as a byte (in this
# order `re` scans a text for the class at a third of the time the other way takes)
_LEFT_INVISIBLE = re.compile(rf"[\x80-\x9f\xad{_INVISIBLE}]+")


def drop_invisible(text: str) -> list[Edit]:
    """Edits dropping the invisible characters the charset repairs made or left (run after them).

    >>> drop_invisible("国务院\u200b常务\xad会议")
    [Edit(start=3, end=4, replacement=''), Edit(start=6, end=7, replacement='')]
    """
    return [Edit(m.start(), m.end(), "") for m in _LEFT_INVISIBLE.finditer(text)]


_WIDE_RUN = regex.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\uff05\uff0e]+")
_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}  # for the runs of _WIDE_RUN


def fold_width(text: str) -> list[Edit]:
    """Full-width digits, Latin letters, `％`, `．` and the ideographic space to ASCII.

    >>> fold_width("２０２５年ＧＤＰ增长５％，")
    [Edit(start=0, end=4, replacement='2025'), Edit(start=5, end=8, replacement='GDP'), Edit(start=10, end=12, replacement='5%')]
    """
    return [Edit(run.start(), run.end(), run.group().translate(_HALF)) for run in _WIDE_RUN.finditer(text)]


# a zero that typesetting or OCR wrote as a circle, a letter O or a digit inside a number of
# Chinese digits (一九八○年, 一九七0年, 二O一九年): a run of Chinese digits and zeros, with one of
# each, that no Latin letter or Arabic digit touches (TOP10一览 stays)
_NUMERAL_RUN = regex.compile(
    r"(?<![\dA-Za-z.])(?=[一二三四五六七八九〇零]*[○◯O0])(?=[○◯O0]*[一二三四五六七八九〇零])"
    r"[一二三四五六七八九〇零○◯O0]{2,}(?![\dA-Za-z.])")
_ZERO_LOOK_ALIKES = str.maketrans("○◯O0", "〇〇〇〇")


def fold_numeral_zeros(text: str) -> list[Edit]:
    """Zeros written as ○, O or 0 among Chinese digits, as 〇 (run after `fold_width`: Ｏ and ０ too).

    >>> fold_numeral_zeros("一九八○年，一九七0年，TOP10一览")
    [Edit(start=0, end=4, replacement='一九八〇'), Edit(start=6, end=10, replacement='一九七〇')]
    """
    return [Edit(run.start(), run.end(), run.group().translate(_ZERO_LOOK_ALIKES))
            for run in _NUMERAL_RUN.finditer(text)]


@ruleset.cached
def _look_alikes() -> tuple[CharClass, dict[int, str]]:
    """The look-alike characters (rules/look_alikes.txt) and the table to the ideographs they stand for."""
    table = {ord(char): ideograph for char, ideograph, _ in ruleset.rows("look_alikes.txt")}
    return CharClass(map(chr, table)), table


def fold_look_alikes(text: str) -> list[Edit]:
    """Radicals that a PDF font's glyphs were mapped to (⽇ for 日, ⻓ for 长) and
    compatibility ideographs, as the ideographs they stand for: they look the same on the
    page, but no word, date or name is written with them. One numpy scan finds none in
    most texts.

    >>> fold_look_alikes("2⽉1⽇，⻓江")
    [Edit(start=1, end=2, replacement='月'), Edit(start=3, end=4, replacement='日'), Edit(start=5, end=6, replacement='长')]
    """
    look_alike, table = _look_alikes()
    return [Edit(position, position + 1, text[position].translate(table)) for position in look_alike.positions(text)]


_LINE_PADDING = regex.compile(r"\A\s+|\s+\Z|(?m)^[ \t\u3000\xa0]+|[ \t\u3000\xa0]+$|\n(?=\n)")


def one_paragraph_a_line(text: str) -> list[Edit]:
    r"""Edits to the canonical line form: no indentation or trailing blanks, no blank lines.

    Run last: the layout repairs read blank lines as paragraph, column or page bounds.

    >>> from .offsets import apply_edits
    >>> apply_edits("标题\n\n\u3000\u3000第一段。\xa0\n\n\n  第二段。\n", one_paragraph_a_line(
    ...     "标题\n\n\u3000\u3000第一段。\xa0\n\n\n  第二段。\n"))[0]
    '标题\n第一段。\n第二段。'
    >>> apply_edits(" \n\n标题", one_paragraph_a_line(" \n\n标题"))[0]  # a blank first line too
    '标题'
    """
    return [Edit(m.start(), m.end(), "") for m in _LINE_PADDING.finditer(text)]
