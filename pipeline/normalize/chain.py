"""The normalization chain: each step edits the text and the offset map follows.

Order matters, because real pages carry several kinds of damage at once and each
hides the next (damage.md, "Beyond the two samples"):
1. markup: a feed's XML is read for its items' titles and texts; tags, comments,
   every entity (escaped twice too) and a forum's BBCode go first, so the
   charset repairs see intact byte sequences (`æ&mdash;¥` is `æ—¥`); then invisible
   characters (zero-width spaces, byte order marks, controls) go, every line end
   becomes a line feed and every other space a plain one;
2. a PDF page's columns set side by side on each line are read one after the other;
   chrome, then the column rejoin: a wrap inside a damaged sequence hides it, and
   chrome must go before a rejoin glues a share bar to the last paragraph (the
   chrome rules read a simplified, annotation-free copy of each line);
3. charset repairs, before anything edits the characters and before any script
   conversion (t2s would destroy the bytes they rebuild): GBK or Big5 read as
   windows-1252 or Latin-1, then Big5 read as GBK or GB18030 and GBK read as Big5
   line by line, then UTF-8 read as GBK (or GB18030) or windows-1252 span by span,
   leftover Latin-1 by ftfy, GBK mojibake windows with pinyin annotations, GBK byte
   shifts; each U+FFFD left is dropped as lossy. Lines read with a charset of another
   script (Cyrillic, Japanese, Korean ...) go first: they share letters with
   windows-1252;
4. then markup and invisible characters again (a repair may restore a tag's `<` or a
   zero-width space), pinyin annotations, a PDF font's radicals as the ideographs they stand for,
   traditional to simplified (with Taiwan and Hong Kong forms), width, the folded
   marks and quotes, the spaces and a PDF font's dashes, and one paragraph a line.
"""
from __future__ import annotations

from typing import Callable

from ..types import Normalized
from . import boilerplate, charset, columns, crossread, feeds, layout, markup, mojibake, pinyin, script
from .offsets import Edit, OffsetMap, splice

Step = Callable[[str], list[Edit]]

# a page whose charset repairs rewrote characters as many as half its repaired length was read
# whole with the wrong charset: its chrome was mojibake to the rules the first time
_MISREAD_PAGE = 0.5

# (name, step, what its edits count as): "repair" edits restore text, "drop" edits remove it
_STEPS: tuple[tuple[str, Step, str], ...] = (
    ("markup", markup.strip_remnants, "drop"),  # again: a GBK repair may restore the `<` of a tag
    ("invisible", layout.drop_invisible, "drop"),  # and a UTF-8 repair a zero-width space
    ("pinyin", pinyin.remove_annotations, "repair"),
    # before t2s: a radical may stand for a traditional form (⾨ for 門)
    ("look-alikes", layout.fold_look_alikes, "repair"),
    ("script", script.to_simplified, "repair"),
    ("width", layout.fold_width, "repair"),
    ("numeral zeros", layout.fold_numeral_zeros, "repair"),
    ("marks", layout.full_width_marks, "repair"),
    ("layout", layout.fix_layout, "repair"),
    ("paragraphs", layout.one_paragraph_a_line, "drop"),
)


def normalize(raw: str, markup_kind: str = "text") -> Normalized:
    """Clean simplified text from a raw article, with the map back to `raw`.

    >>> n = normalize("資金 1365 萬(wàn) 元")
    >>> n.text, n.offsets.raw_span(2, 8)
    ('资金1365万元', (3, 16))
    >>> normalize("已经干净的简体文本。").text
    '已经干净的简体文本。'
    """
    text, offsets = raw, OffsetMap.identity(len(raw))
    repairs = lossy = dropped = mended = 0

    def run(edits: list[Edit], kind: str) -> None:
        nonlocal text, offsets, repairs, dropped
        if not edits:
            return
        edited = splice(text, edits)
        if kind == "drop":
            dropped += len(text) - len(edited)  # what the edits drop, as splice keeps the rest
        else:
            repairs += len(edits)
        text, offsets = edited, offsets.edited(edits)

    def mend(edits: list[Edit]) -> None:  # a charset repair's edits
        nonlocal mended
        mended += sum(end - start for start, end, _ in edits)
        run(edits, "repair")

    feed_date = ""
    if feeds.is_feed(text):  # a crawler that kept a feed's XML: its items' titles and texts
        feed_date = feeds.feed_date(text)
        run(feeds.feed_to_text(text), "drop")
    elif markup_kind == "html" or markup.is_page(text):
        run(markup.html_to_text(text), "drop")
    run(markup.strip_remnants(text), "drop")
    run(markup.strip_bbcode(text), "drop")  # a forum's repost
    # before any step that reads lines or words: a line end of another system, a thin
    # space or a zero-width space inside a number hides them (C1 controls and the soft
    # hyphen stay: they are bytes of UTF-8 read as Latin-1, for the charset repairs)
    run(layout.plain_whitespace(text), "drop")
    if pieces := columns.side_by_side(text):  # a PDF page's columns side by side: one after the other
        text, offsets = "".join(text[start:end] for start, end in pieces), offsets.rearranged(pieces)
        repairs += 1
    chrome = boilerplate.remove_boilerplate(text)
    page_date = feed_date or boilerplate.page_date(text, chrome)
    run(chrome, "drop")  # before the rejoin: it would glue chrome to text
    run(layout.join_broken_lines(text), "repair")  # a wrap inside a damaged sequence hides it
    # first: lines read with a charset of another script (windows-1251, Shift_JIS ...) share
    # letters with windows-1252 (« » ° ±), which the repairs after would read in pieces
    mend(crossread.reread(text))
    # then GBK bytes read as Latin letters: they hold UTF-8 look-alikes (è¹¤ would read as 踪)
    mend(charset.repair_double_byte_misreads(text))
    # Big5 read as GBK and GBK as Big5 before the UTF-8 repairs: their rare characters hold UTF-8 look-alikes
    mend(crossread.repair(text))
    misread_edits, lossy = charset.repair_misread_spans(text)
    mend(misread_edits)
    mend(mojibake.repair_encoding(text))
    gbk_edits, gbk_lossy = mojibake.repair_gbk_runs(text)
    mend(gbk_edits)
    shift_edits, shift_lossy = mojibake.repair_gbk_shifts(text)
    mend(shift_edits)
    lost = charset.drop_lost_bytes(text)
    run(lost, "drop")
    lossy += gbk_lossy + shift_lossy + len(lost)
    if mended >= _MISREAD_PAGE * len(text):  # the chrome of a page read whole with the wrong charset
        chrome = boilerplate.remove_boilerplate(text)
        page_date = page_date or boilerplate.page_date(text, chrome)
        run(chrome, "drop")
    written_in = script.detect_script(text)
    for _, step, kind in _STEPS:
        run(step(text), kind)
    return Normalized(text=text, offsets=offsets, repairs=repairs, lossy=lossy,
                      dropped_chars=dropped, script=written_in, page_date=page_date)
