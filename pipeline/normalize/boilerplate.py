"""Site chrome: navigation, menus, share bars, footers, teasers, captions (rules/boilerplate.yaml).

Chrome is found by what it is and where it stands: the furniture of a page sits at
its edges, above the title and below the last paragraph. A forwarded mail's marker
(`start`: -----原始邮件-----) takes the forwarder's lines above it. At the top, the run of
lines that each match an `edge`, `top`, `head` or `line` rule goes, and the page's own
title (the article's with the site's name behind a separator), with any short link lines
(a menu's items, one a line) between two of them, or a run of short lines that names three
sections of the site or more, up to the last it names; between the title and the body, the
`edge`, `header`, `head` and `line` lines among the short ones (分享到：, 打印本页 关闭窗口,
a publication line, share and type-size buttons) go too. At the bottom, the run of
short lines that end no sentence is furniture from its first line that matches a
rule on (a share bar, then the teasers of other articles under it); short lines
of the article above that (a closing credit, a dateline) stay. Below the article's last
sentence, lists of other articles and comments are known by their lines' shape: three
titles in a row each with a rank (1, 2, 3 one after another), a time, a count of readers or
a bullet, or titles alone under a list's heading; a comment's counters (举报回复92) or its
writer and when (路人甲12分钟前); a line that runs a list or the comments together (a
minified page's source). From there to the end the page is furniture. `line` rules
(editor, copyright, captions) match anywhere; an `end` rule in the last half of
the text, or after the article's last paragraph (a short article over a long
footer), starts the closing block. A newspaper page's credits (`inside`: 制图：蔡华伟,
本报记者 李昌禹摄) go where the article goes on after them, and a photo's caption
(`caption`: 图①：……) where it repeats: a PDF's text extractor sets them wherever it met
them; the article's closing credit and captions stay. Either kind that cuts a paragraph
(the line before it runs on) goes, and the halves are joined again. A line of three
sentences and more than 120 characters is the article's, whatever chrome it holds: a
minified page's source runs paragraphs and its footer into one line. Chrome inside a line of
the article's goes alone: a repost's tag or a post's topics before the first lines (`prefix`:
【转载】, #春节#), a post's link card or repost chain after a paragraph (`suffix`: 网页链接).
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
import re
from typing import Callable, Iterator, NamedTuple

import regex

from .. import ruleset, windows
from . import layout
from .codepoints import CharTable
from .offsets import Edit
from .script import character_table

_SHORT = 40  # a line this short that ends no sentence may be a teaser or a link
_PARAGRAPH = 80  # a line this long that ends a sentence is a paragraph, no teaser's summary
_PROSE, _PROSE_SENTENCES = 120, 3  # a line this long with this many sentences is no chrome line
_CUT_OFF = ("…", "...")  # what ends a teaser's lead cut off
_TITLE = 80  # a title a rank alone on the line before numbers is no longer
_ITEM = 100  # a list's item is no longer (with its rank, time or count: no `item` rule matches a longer line)
_TITLE_ENDS = "？！?!"  # the sentence ends a title may have (one that asks or exclaims; 。 ends the article's sentences)
_HEADING, _HEADING_LINES = 16, 2  # a list's heading is no longer, in no more lines (热点新闻, 央视新闻客户端)
# a heading is words: not an article's closing line, which a bracket or a dash opens (a dateline, a sign-off)
# or closes (the wrapped half of one: 、书记处第一书记）)
_HEADING_WORDS = regex.compile(r"^\w.*(?<![)）\]】])$")
# a signature's names or places set apart by spaces, its date, a credit's colon (版式：蔡华伟)
_SIGNED = regex.compile(r"\p{Han}\s+\p{Han}|\d\s*[年月日]|[:：].")
_PAGE_TITLE, _TITLE_WORDS = 120, 4  # a page's title is no longer, the article's title in it no shorter
# what follows the article's title in the page's title: the site's name, its channel, behind separators
_SITE_NAME = regex.compile(r"(?:\s*(?:-{1,2}|—+|_|\||｜|·)\s*[\p{Han}A-Za-z\d][\p{Han}A-Za-z\d ]{0,15}){1,3}$")
# a page's lines between its title and its body that no rule matches (a PDF column's short lines are no more of them)
_UNDER_TITLE_LINES = 8
_MENU_SECTIONS = 3  # so many sections named in a run of short lines at the top make it the site's menu
_LINK_ITEM = regex.compile(r"[^，。、；：,.;:！？!?]{1,8}$")  # a menu item: a few characters, no punctuation
_SENTENCE_END = regex.compile(r"[。！？!?][”’\"）)]?$")
_SENTENCE_MARK = re.compile(r"[。！？]")
_QUOTE_MARKER = regex.compile(r"^(?:>\s*)+")  # a quoted mail's markers at a line's start
_CAPTION_WORDS = 6  # a caption's words this many characters long and found in another line restate it
_ANNOTATION = regex.compile(r"(?<=\p{Han})\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_WIDE = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_TOP, _BOTTOM = ("edge", "header", "top", "line", "head"), ("edge", "header", "bottom", "line", "end", "head")
# what ends a run of short link lines at the top as furniture: not a line rule's or a header's,
# which may stand right under a short title (2019年02月02日03:18  来源：人民网)
_MENU_END = ("edge", "top")
# the furniture that may stand between the title and the body: not a `top` rule's, whose rows of
# short words under a title are a byline (本报记者 王 静 李 明)
_UNDER_TITLE = ("edge", "header", "line", "head")
# what opens the block of furniture at the bottom: a `line` rule's line (a caption, an
# editor's name) goes alone, and the article's own closing lines after it stay
_BOTTOM_BLOCK = ("edge", "header", "bottom", "end")


@ruleset.cached
def patterns(places: tuple[str, ...]) -> tuple[regex.Pattern, ...]:
    """The patterns of the rules that apply at one of `places`."""
    return tuple(rule.pattern for rule in ruleset.load("boilerplate.yaml") if rule.data["where"] in places)


def _matches(places: tuple[str, ...], form: str) -> bool:
    if _prose(form):
        return False
    by_search, by_char, any_char = _triggered(places)
    # the trigger first: `re` tests a class at C speed, a `regex` rule costs three times as much;
    # where the triggers are characters, only the rules one of which the line holds are tried
    # (of dozens a line holds few's, and a test for each rule adds up)
    if any((trigger is None or trigger.search(form)) and pattern.search(form) for pattern, trigger in by_search):
        return True
    tried = set()
    for char in set(any_char.findall(form)):
        for pattern in by_char[char]:
            if pattern not in tried:
                tried.add(pattern)
                if pattern.search(form):
                    return True
    return False


@ruleset.cached
def _triggered(places: tuple[str, ...]) -> tuple[tuple[tuple[regex.Pattern, re.Pattern | None], ...],
                                                  dict[str, tuple[regex.Pattern, ...]], re.Pattern]:
    """The patterns of `places` with a search for their triggers where these hold a class
    (\\s, a range) or are unknown (None: any line may match), the others by each character of
    their triggers, and a search for any of those characters."""
    by_search, by_char = [], {}
    for pattern, trigger in _searches(places):
        members = windows.triggers(pattern) or ()
        chars = {member[-1] for member in members if len(member) == 1
                 or len(member) == 2 and member[0] == "\\" and not member[1].isalnum()}
        if trigger is None or len(chars) < len(members):
            by_search.append((pattern, trigger))
            continue
        for char in chars:
            by_char.setdefault(char, []).append(pattern)
    return (tuple(by_search), {char: tuple(found) for char, found in by_char.items()},
            re.compile(windows.standard_class({regex.escape(char) for char in by_char}) if by_char else "(?!)"))


@ruleset.cached
def _searches(places: tuple[str, ...]) -> tuple[tuple[regex.Pattern, re.Pattern | None], ...]:
    """The patterns of `places`, each with a search for its triggers (characters of which
    each match holds one; None: any line may match)."""
    found = []
    for pattern in patterns(places):
        chars = windows.triggers(pattern)
        found.append((pattern, None if chars is None else re.compile(windows.standard_class(chars))))
    return tuple(found)


def _matching_lines(forms: list[str], *places: tuple[str, ...], in_prose: bool = False) -> list[list[bool]]:
    """For each of `places`, whether a rule of it matches each line, as `_matches` tells
    (`in_prose`: in the article's long lines too, for chrome inside a line): each rule is
    tried only on the lines that hold one of its triggers. Where a rule's
    triggers are characters, one scan of all the lines finds every line that holds any
    rule's (a PDF's text has a line every twenty characters, and most hold none; a scan a
    rule cost dozens of them a text); the others are found by a search each."""
    joined = "\n".join(forms)
    line_starts = list(accumulate((len(form) + 1 for form in forms), initial=0))
    every = []
    for rules in places:
        by_search, by_char, any_char = _triggered(rules)
        matching = [False] * len(forms)
        for pattern, trigger in by_search:
            numbers = range(len(forms)) if trigger is None else _lines_holding(trigger, joined, line_starts)
            for number in numbers:
                if not matching[number] and pattern.search(forms[number]) and (in_prose or not _prose(forms[number])):
                    matching[number] = True
        held: dict[int, set[str]] = {}  # the trigger characters each line holds
        for found in any_char.finditer(joined):
            held.setdefault(bisect_right(line_starts, found.start()) - 1, set()).add(found.group())
        for number, chars in held.items():
            if not matching[number] and (in_prose or not _prose(forms[number])):
                patterns = {pattern for char in chars for pattern in by_char[char]}
                matching[number] = any(pattern.search(forms[number]) for pattern in patterns)
        every.append(matching)
    return every


def _prose(form: str) -> bool:
    """Whether a line is the article's paragraphs, whatever chrome it holds: a page whose source
    was minified runs paragraphs and a footer (版权所有 ……) into one line, and a rule that
    matches the footer must not take the paragraphs with it. Not a teaser's lead that an
    ellipsis cuts off (■ 2月11日，…… 。…), which is another article's."""
    return len(form) > _PROSE and not form.endswith(_CUT_OFF) and len(_SENTENCE_MARK.findall(form)) >= _PROSE_SENTENCES


def _lines_holding(trigger: re.Pattern, joined: str, line_starts: list[int]) -> Iterator[int]:
    """The numbers of the lines of `joined` (starting at `line_starts`) that hold a match of
    `trigger`: one search a line found, from the start of the line after it (measured: a
    numpy gather of every match's line cost more than the rules it spares)."""
    found = trigger.search(joined)
    while found:
        number = bisect_right(line_starts, found.start()) - 1
        yield number
        found = trigger.search(joined, line_starts[number + 1])


@lru_cache(maxsize=1)
def _form_table() -> CharTable:
    """Half-width, then simplified, in one table (OpenCC changes no ASCII character)."""
    return CharTable({chr(code): simplified for code, simplified in character_table().items()} | _WIDE)


def _matching_forms(text: str) -> list[str]:
    """The lines of a text as the rules read them: simplified, without pinyin annotations,
    half-width, stripped; made for the whole text at once (line breaks stay as they are).

    Chrome goes before the repairs (a column rejoin would glue a share bar to the last
    paragraph), so the rules must see through the damage a line may still carry.
    """
    if "(" in text:
        text = _ANNOTATION.sub("", text)
    forms = [line.strip() for line in _form_table().translate(text).split("\n")]
    # a quoted mail's lines open with its markers (>> 发件人：……, > 如需退订……), which no rule could
    # be written around; a line of markers alone (a quoted blank) tells them from a list's bullets (>> 相关新闻)
    if ">" in text and any(_QUOTE_MARKER.fullmatch(form) for form in forms if form[:1] == ">"):
        forms = [_QUOTE_MARKER.sub("", form, count=1) if form[:1] == ">" else form for form in forms]
    return forms



_FULL_DATE = regex.compile(r"((?:19|20)\d\d)[年\-/.](1[0-2]|0?[1-9])[月\-/.](3[01]|[12]\d|0?[1-9])")


@ruleset.cached
def _dating_patterns() -> tuple[regex.Pattern, ...]:
    return tuple(rule.pattern for rule in ruleset.load("boilerplate.yaml") if rule.data.get("dates_the_page"))


def page_date(text: str, edits: list[Edit]) -> str:
    """The date the first line dropped by `edits` that dates the page gives (a publication line,
    a reprinted paper's issue line), as ISO; "" for none.

    >>> text = "标题\\n2019年02月02日03:18  来源：人民网\\n正文第一段，资金到位，项目开工建设。"
    >>> page_date(text, remove_boilerplate(text))
    '2019-02-02'
    """
    for edit in edits:
        if not _FULL_DATE.search(text, edit.start, edit.end):
            continue  # most dropped lines hold no date (the digits of a traditional or full-width page match too)
        for form in _matching_forms(text[edit.start:edit.end]):
            if any(pattern.search(form) for pattern in _dating_patterns()) and (found := _FULL_DATE.search(form)):
                return f"{found[1]}-{int(found[2]):02d}-{int(found[3]):02d}"
    return ""


def remove_boilerplate(text: str) -> list[Edit]:
    """Edits that drop chrome lines (each with its line break).

    >>> text = "- 首页\\n- English\\n湖北武汉\\n正文第一段，资金1802.5亿元，项目1256个。\\n（记者 王迪）\\n返回顶部\\n- 别的新闻"
    >>> from .offsets import apply_edits
    >>> apply_edits(text, remove_boilerplate(text))[0]
    '湖北武汉\\n正文第一段，资金1802.5亿元，项目1256个。\\n（记者 王迪）\\n'
    """
    bounds = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
    bounds[-1] = len(text)  # the last line has no line break
    # (start, end with the line break, matching form) of each line that is not blank
    lines = [(start, end, form) for start, end, form in zip(bounds, bounds[1:], _matching_forms(text)) if form]
    drop = [False] * len(lines)
    # one pass for the rules that may match anywhere (credits, captions, markers, tags inside a
    # line: a pass costs as much as its rules' triggers are common); which kind a line is, is asked
    # of the few it finds
    forms = [form for _, _, form in lines]
    line_rules, end_rules, placed, openers = _matching_lines(forms, ("line",), ("end",), ("inside", "caption"), ("start",))
    prefixed, suffixed = _matching_lines(forms, ("prefix",), ("suffix",), in_prose=True)
    # a forwarded mail's marker (-----原始邮件-----, 在……写道：): the forwarder's note, signature and
    # header above it are the mail's; a note is free text, which no line rule can tell, so a `start`
    # rule's line takes every line above it (in the text's first half, under no paragraph of the article)
    top = _opening(text, lines, openers)
    drop[:top] = [True] * top
    while top < len(lines):
        if _matches(_TOP, lines[top][2]) or _page_title(lines[top][2], lines[top + 1:top + 1 + 2 * _UNDER_TITLE_LINES]):
            drop[top] = True
            top += 1
            continue
        if not _LINK_ITEM.match(lines[top][2]):
            break  # no menu's item: the title
        after = top + 1
        while after < len(lines) and _LINK_ITEM.match(lines[after][2]) and not _matches(_TOP, lines[after][2]):
            after += 1
        # inside the furniture at the top, a run of short link lines (a menu of table cells,
        # 政务公开 / 办事服务 / ...) up to the next line of a menu's furniture is furniture too
        # (not at the page's start: a short title may stand over a share bar)
        if top and top < after < len(lines) and _matches(_MENU_END, lines[after][2]):
            drop[top:after] = [True] * (after - top)
            top = after
            continue
        # a run of short lines that names sections of the site (财经 / 体育 / 娱乐), with the
        # furniture between them, is the site's menu up to the last section it names
        menu = after
        while menu < len(lines) and (_LINK_ITEM.match(lines[menu][2]) or _matches(_TOP, lines[menu][2])):
            menu += 1
        sections = [number for number in range(top, menu) if _matches(("channel",), lines[number][2])]
        if len(sections) < _MENU_SECTIONS:
            break  # the page opens with no menu: its first line may be a short title
        drop[top:sections[-1] + 1] = [True] * (sections[-1] + 1 - top)
        top = sections[-1] + 1
    # between the title and the body, among the short lines that end no sentence (a time and
    # source, a byline), the page's controls (分享到：, 打印本页 关闭窗口, 收藏本文) and its title;
    # they may be many (a share bar's buttons one a line), and a short one may end a sentence
    # (使用“扫一扫”即可将网页分享至朋友圈。): the lines no rule matches are counted
    under_title, unmatched = top + 1, 0
    while under_title < len(lines) and unmatched < _UNDER_TITLE_LINES and len(form := lines[under_title][2]) <= _SHORT:
        if _matches(_UNDER_TITLE, form) or _page_title(form, lines[top:top + 1]):
            drop[under_title] = True
        elif _SENTENCE_END.search(form):
            break
        else:
            unmatched += 1
        under_title += 1
    bottom = len(lines)
    # the rules only for a line the length test leaves (a column's lines are short and most
    # end no sentence: the rules would be tried on every line of a damaged page)
    while bottom > top and (len(lines[bottom - 1][2]) <= _SHORT and not _SENTENCE_END.search(lines[bottom - 1][2])
                            or _matches(_BOTTOM, lines[bottom - 1][2])):
        bottom -= 1
    first_chrome = next((n for n in range(bottom, len(lines)) if _matches(_BOTTOM_BLOCK, lines[n][2])),
                        len(lines))
    first_chrome = max(top, _lists_and_comments(lines, top, bottom, first_chrome))
    for number in range(first_chrome, len(lines)):
        drop[number] = True
    # above that, among the article's closing lines, the page's buttons and notes (a video's
    # player, a link to the app) go alone
    for number in range(max(top, bottom), first_chrome):
        drop[number] = drop[number] or _matches(("head",), lines[number][2])
    body, last_sentence = len(lines), -1
    if any(placed) or any(line_rules):
        # the body starts at its first sentence (a title, a subtitle or a lead may stop without a mark)
        body = next((number for number, (_, _, form) in enumerate(lines)
                     if not placed[number] and _SENTENCE_MARK.search(form)), len(lines))
        # the article's last sentence (a caption's is not the article going on: a gallery
        # closes the article with its photos' captions and credits; nor is a sentence of the
        # furniture at the bottom, a mail's footer: 本邮件由系统自动发送，请勿直接回复。)
        last_sentence = next((number for number in range(len(lines) - 1, -1, -1)
                              if not placed[number] and not drop[number] and _SENTENCE_END.search(lines[number][2])), -1)
    seen: set[str] = set()
    for number, ((start, end, form), line_rule, end_rule) in enumerate(zip(lines, line_rules, end_rules)):
        if placed[number]:  # a credit or a caption the extractor read twice goes the second time
            if not drop[number]:
                drop[number] = form in seen or number < last_sentence and _matches(("inside",), form) \
                    or _cuts(text, lines, drop, number, body) \
                    or _matches(("caption",), form) and _restates(form, lines)
            seen.add(form)
        if line_rule:
            drop[number] = True
        # in the last half of the text, or where no line after it ends a sentence, as the
        # article's paragraphs do (teasers, link rows and footers do not); never before a
        # paragraph of the article's own (a paper's 延伸阅读 or 链接 box)
        elif end_rule and (start > len(text) // 2 or not any(
                _SENTENCE_END.search(later) for _, _, later in lines[number + 1:])) \
                and not any(len(later) > _PARAGRAPH and _SENTENCE_END.search(later) for _, _, later in lines[number + 1:]):
            drop[number:] = [True] * (len(lines) - number)
            break
    if all(drop):
        return []  # a text all of whose lines read as furniture is no page's: a line of a date, a credit
    edits: list[Edit] = []
    for (start, end, _), dropped in zip(lines, drop):
        if dropped:
            if edits and edits[-1].end == start:
                edits[-1] = Edit(edits[-1].start, end, "")
            else:
                edits.append(Edit(start, end, ""))
    if any(placed) or any(line_rules):
        edits = _rejoined(text, lines, drop, edits, [a or b for a, b in zip(line_rules, placed)], body)
    # a repost's tag before its title (【转载】, [新闻]), a post's topics before its text (#春节#) and
    # the link card or repost chain a post appends to a paragraph (网页链接, //@某某：转发微博) are
    # chrome inside a line of the article's, which no line rule can drop: a `prefix` rule's match
    # goes from the start of one of the first lines that stay, up to the first long one, a `suffix`
    # rule's from the end of any line that stays
    kept = [number for number in range(top, len(lines)) if not drop[number]]
    tags = []
    for number in kept[:_UNDER_TITLE_LINES]:
        if prefixed[number] and (tag := _tag(text, lines[number], "prefix")):
            tags.append(tag)
        if len(lines[number][2]) > _SHORT:
            break
    tags += [tag for number in kept if suffixed[number] and (tag := _tag(text, lines[number], "suffix"))]
    tags = [tag for tag in tags if not any(edit.start < tag.end and tag.start < edit.end for edit in edits)]
    return sorted(edits + tags) if tags else edits


def _tag(text: str, line: tuple[int, int, str], place: str) -> Edit | None:
    """The edit that drops the match of a `prefix` rule at the start of a line or of a `suffix`
    rule at its end, with more of the line beside it; None for none."""
    start, end, form = line
    found = next((match for pattern, trigger in _searches((place,))
                  if (trigger is None or trigger.search(form)) and (match := pattern.search(form))
                  and 0 < len(match[0]) < len(form) and (match.start() == 0 if place == "prefix" else match.end() == len(form))),
                 None)
    if found is None:
        return None
    raw = text[start:end]
    at = start + len(raw) - len(raw.lstrip()) if place == "prefix" else start + len(raw.rstrip()) - len(found[0])
    # the form has the line's characters one for one (stripped), unless a pinyin annotation or a
    # quote marker went from it: the tag's span is the raw line's where their characters agree
    if _form_table().translate(text[at:at + len(found[0])]) != found[0]:
        return None
    return Edit(at, at + len(found[0]), "")


def _opening(text: str, lines: list[tuple[int, int, str]], openers: list[bool]) -> int:
    """The line after the last one a `start` rule matches (`openers`: a forwarded mail's marker)
    in the first half of the text with no paragraph of the article's own above it (a line over 80
    characters that ends a sentence); 0 for none."""
    if not any(openers):
        return 0
    opening = 0
    for number, (start, _, form) in enumerate(lines):
        if start > len(text) // 2 or len(form) > _PARAGRAPH and _SENTENCE_END.search(form):
            break
        if openers[number]:
            opening = number + 1
    return opening


def _page_title(form: str, titles: list[tuple[int, int, str]]) -> bool:
    """Whether a line is the page's own title: the article's title (one of the lines `titles`)
    with the site's name, and its channel, behind separators (第一批国产汽车诞生——凤凰网资讯,
    走在乡间路上 - 手机版, 标题_滚动新闻_中国政府网), as a scraper takes the page's <title>."""
    return len(form) <= _PAGE_TITLE and any(
        len(title) >= _TITLE_WORDS and form.startswith(title) and _SITE_NAME.match(form, len(title))
        for _, _, title in titles)


def _lists_and_comments(lines: list[tuple[int, int, str]], top: int, bottom: int, end: int) -> int:
    """The first line of the lists and comments under the article, where they start before line
    `end` (where the furniture starts anyway) or at it (a list or comments there take their
    heading above with them); `end` otherwise. They start after the
    article's last sentence, at the first comment line (its counters, its writer and when), line
    that runs a list or the comments together (`packed`), or the first of a run of list items (`item` rules: a rank, a time, a count or a bullet with a
    title, as many in a row as the rules' `run`), with the short headings above it. From line
    `bottom` on the lines end no sentence or a rule matches them (the run of short lines at the
    bottom), and no rule matches the line before it unless that is the furniture at the top
    (which ends before line `top`)."""
    comments: dict[int, bool] = {}
    items: dict[int, _Item | None] = {}

    def comment(number: int) -> bool:
        if number not in comments:  # a comment's counters or head are short
            comments[number] = 0 <= number < len(lines) and len(lines[number][2]) <= _SHORT \
                and _matches(("comment",), lines[number][2])
        return comments[number]

    def item(number: int) -> _Item | None:
        if number not in items:
            items[number] = _item(lines[number][2]) if 0 <= number < len(lines) else None
        return items[number]

    # the article's last sentence: not a comment's (the line by its counters or its writer),
    # a list's (a title that asks or exclaims, by another item: 9少了带来不便，重庆市璧山区如何应对？)
    # or the page's (声明：该文观点仅代表作者本人。), which the run at the bottom holds (no rule
    # matches the line above it, unless the furniture at the top ends there)
    last = bottom - 1
    while last >= 0 and not (
            (end_mark := _SENTENCE_END.search(lines[last][2])) and not comment(last - 1) and not comment(last + 1)
            and not (end_mark[0][0] in _TITLE_ENDS and item(last) and (item(last - 1) or item(last + 1)))
            and (last == bottom - 1 and bottom > top or not _matches(_BOTTOM, lines[last][2]))):
        last -= 1
    if last < 0:
        return end  # no sentence, no article to tell the lists from
    # a comment's line, or a line that runs a list or the comments together (a minified source's)
    opener = next((number for number in range(last + 1, end)
                   if comment(number) or _matches(("packed",), lines[number][2])), end)
    if opener - last - 1 >= min(run for run, _ in _item_fields()):  # room for a list (most articles end with none)
        zone = [item(number) for number in range(last + 1, opener)]
        for offset, numbered in enumerate(zone[:-1]):
            if numbered and numbered.alone \
                    and not _SENTENCE_END.search(title := lines[last + 2 + offset][2]) and len(title) <= _TITLE:
                zone[offset + 1] = numbered._replace(rank=None, alone=False)  # the title a rank alone numbers
        run, under_heading = _first_run(zone, lambda offset: _matches(("heading",), lines[last + offset][2]))
        if under_heading:  # the titles' heading: no line above it (a damaged paragraph's last piece) goes with it
            return min(end, last + run)
        if run is not None and not _matches(("intro",), lines[last + run][2]):
            opener = last + 1 + run
    # none before the furniture; where that starts with a list's item (its rank, time, count or
    # bullet) or a comment, the lines above it that name a list go with them (no short line of
    # any kind: a PDF's column may have wrapped the article's closing credit there)
    if opener == end and not (end < len(lines) and (comment(end) or (found := item(end)) and not found.headed)):
        return end
    heading = opener
    while last + 1 < heading < len(lines) and opener - heading < _HEADING_LINES and (
            _matches(("heading",), lines[heading - 1][2]) if opener == end else _list_heading(lines[heading - 1][2])):
        heading -= 1
    return heading


def _first_run(items: list[_Item | None], headed: Callable[[int], bool]) -> tuple[int | None, bool]:
    """Where the first run of list items in a row starts that is as long as its items need
    (the smallest `run` of theirs), its ranks one after another, under a list's heading where
    its rules want one (`headed(offset)`: whether the line before `offset` is one), and whether
    it stands under a heading so; None for none."""
    start = 0
    while start < len(items):
        if items[start] is None:
            start += 1
            continue
        # a run of titles alone, or of items each with its rank, time, count or bullet
        end, needed, rank, titles_alone = start, len(items) + 1, None, items[start].headed
        while end < len(items) and (following := items[end]) is not None and following.headed == titles_alone \
                and (following.rank is None or rank is None or following.rank == rank + 1):
            needed, rank = min(needed, following.needed), following.rank if following.rank is not None else rank
            end += 1
        if not titles_alone and end - start >= needed:
            return start, False
        if titles_alone:  # from the line under a heading on (the heading may read as a title too)
            under = next((number for number in range(start, end - needed + 1) if headed(number)), None)
            if under is not None:
                return under, True
        start = end
    return None, False


class _Item(NamedTuple):
    """What the `item` rules that match a line say of it."""
    needed: int  # how many list items in a row make a list (the smallest `run` of the rules)
    rank: int | None  # its rank, which the next item's must follow
    alone: bool  # a rank alone on its line, numbering the title on the next
    headed: bool  # a list item only under a list's heading (every rule that matches says so: a title alone)


def _item(form: str) -> _Item | None:
    """What the `item` rules that match a line say of it; None when none matches."""
    if len(form) > _ITEM:
        return None
    found_any = None
    for (pattern, trigger), (run, headed) in zip(_searches(("item",)), _item_fields()):
        if (trigger is None or trigger.search(form)) and (found := pattern.search(form)):
            rank = ruleset.group(found, "rank")
            this = _Item(run, int(rank) if rank else None, bool(rank) and not form[len(rank):].strip(".、． "), headed)
            found_any = this if found_any is None else _Item(
                min(found_any.needed, run), found_any.rank or this.rank, found_any.alone or this.alone,
                found_any.headed and headed)
    return found_any


@ruleset.cached
def _item_fields() -> tuple[tuple[int, bool], ...]:
    """The `run` and `headed` fields of the `item` rules, in their order."""
    return tuple((rule.data["run"], rule.data.get("headed", False))
                 for rule in ruleset.load("boilerplate.yaml") if rule.data["where"] == "item")


def _list_heading(form: str) -> bool:
    """Whether a line may head a list or the comments (热点新闻, 大家都在看, 热门跟贴): short,
    ending no sentence, no credit (制图：蔡华伟), bracketed line or signature (江苏南京市 练红宁, 2019年2月27日)."""
    return len(form) <= _HEADING and not _SENTENCE_END.search(form) and _HEADING_WORDS.match(form) \
        and not _SIGNED.search(form) and not _matches(("inside",), form)


def _restates(caption: str, lines: list[tuple[int, int, str]]) -> bool:
    """Whether a caption's words stand in the page's other lines (joined, so that a sentence
    wrapped across two is whole; not the caption's copies, of which the first stays): a caption
    that restates the article's sentence beside its photo adds nothing the article does not
    say, and a page may set it anywhere. A photo story's captions, which are its text, stay."""
    mark, credit = _caption_parts()
    words = credit.sub("", mark.sub("", caption)).rstrip("。！？，")
    return len(words) >= _CAPTION_WORDS and words in "".join(form for _, _, form in lines if form != caption)


@ruleset.cached
def _caption_parts() -> tuple[regex.Pattern, regex.Pattern]:
    """A caption's mark at the start of its line and its photo's credit at the end (the
    fragments CAPTION_MARK and PHOTO_CREDIT the caption rule is made of)."""
    fragments = ruleset.read_yaml("boilerplate.yaml")["fragments"]
    return (regex.compile(rf"^(?:{fragments['CAPTION_MARK']})\s*"),
            regex.compile(rf"(?:{fragments['PHOTO_CREDIT']})$"))


def _cuts(text: str, lines: list[tuple[int, int, str]], drop: list[bool], number: int, body: int) -> bool:
    """Whether line `number` stands inside a paragraph of the body (which starts at line
    `body`: a title, a subtitle or a lead above it may stop without a mark): the nearest
    line before it that stays runs on, and a line follows."""
    before = number - 1
    while before > body and drop[before]:
        before -= 1
    if before < body or drop[before] or number + 1 == len(lines):
        return False
    start, end, _ = lines[before]
    if before > body and lines[before - 1][1] == start:  # with the line before it in its paragraph
        start = lines[before - 1][0]
    return layout.runs_on(text[start:end])


def _rejoined(text: str, lines: list[tuple[int, int, str]], drop: list[bool], edits: list[Edit],
              inside: list[bool], body: int) -> list[Edit]:
    """`edits` where a caption or a credit dropped from inside the text cut a paragraph in
    two (the line before it runs on): the halves are joined again, as a wrap is. On a
    full line of a column only the blank lines go with it, and the column rejoin joins
    the halves with the wraps of their paragraph (a join here would make one line of two
    widths, whose wrap the rejoin would then take for a paragraph's end). `inside`: the
    lines a rule for any place drops (not the furniture at the edges)."""
    joins = []
    width: list[int | None] = []  # the page's column, found once a dropped line cuts a paragraph
    number = 1
    while number < len(lines) - 1:
        if not (drop[number] and inside[number]) or drop[number - 1]:
            number += 1
            continue
        after = number
        while after < len(lines) and drop[after]:
            after += 1
        before_start, before_end, _ = lines[number - 1]
        before = text[before_start:before_end].rstrip("\n")
        if after < len(lines) and _cuts(text, lines, drop, number, body):
            after_start = lines[after][0]
            if not width:
                width.append(layout.column_of([text[start:end] for start, end, _ in lines]))
            if layout.full_line(before, width[0]):
                joins.append(Edit(before_end, after_start, ""))
            else:
                joins.append(layout.join_edit((before_start, before), (after_start, text[after_start:lines[after][1]])))
        number = after
    if not joins:
        return edits
    merged: list[Edit] = []
    for edit in sorted(edits + joins):
        if merged and edit.start <= merged[-1].end:
            merged[-1] = Edit(min(merged[-1].start, edit.start), max(merged[-1].end, edit.end), "")
        else:
            merged.append(edit)
    return merged
