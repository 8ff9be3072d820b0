"""HTML to text, and HTML remnants left in plain text, with offsets.

A small tokenizer rather than an HTML parser: it must report where every kept
character stands in the source, which parsers built on trees do not. Elements
that never hold article text (script, style, navigation, headers, footers,
asides, forms) are dropped with their content, and so is an element whose class or
id names site furniture (`boilerplate.furniture_element` in rules/boilerplate.yaml:
most sites build their chrome of divs); block elements become line breaks.
"""
from __future__ import annotations

import html
from functools import lru_cache

import regex

from . import boilerplate
from .offsets import Edit

_SKIPPED = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
            "form", "select", "button", "iframe", "svg", "head", "title",
            "rt", "rp"}  # a ruby's reading (<rt>wǎng</rt>) and its brackets for browsers without ruby
# elements that hold nothing: a furniture class on one drops nothing after it
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NAMES = regex.compile(r"""\s(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=]+))""", regex.IGNORECASE)
_RAW_TEXT = {"script", "style", "textarea", "title"}  # elements whose content is text, never tags
_CODE = {"script", "style"}  # elements whose content is code, which may hold a tag in a string
# elements that hold the page or the article whatever their class (<body class="nav-open">)
_WHOLE = {"html", "body", "main", "article"}
_CAMEL = regex.compile(r"(?<=[a-z])(?=[A-Z])")
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "h1", "h2",
          "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "dd", "dt", "figcaption", "td", "th"}
# a table's cell that ends with a label's colon (索引号：, 发布日期：): its value in the next cell
# is on its line, as the record of a government site's document reads (索引号：…/2019-07274)
_CELLS = {"td", "th"}
_LABEL_CELL = regex.compile(r"[:：]\s*(?:<[^<>]*>\s*)*$")
_LABEL_LOOKBACK = 80  # characters before a cell's tag searched for the label's colon

# a lenient GBK decoder that met a lead byte before `<` gave one `?` (or U+FFFD) for both
# (damage.md): `同心圆?/title>` is an end tag, its `<` eaten, of an element the tokenizer knows;
# the `?` stays for the charset repairs (it holds the last byte of the character before)
_EATEN = "|".join(sorted(_SKIPPED | _BLOCK | _WHOLE | {"a", "b", "i", "u", "em", "strong", "span", "font"}))
_TOKEN = regex.compile(
    rf"""
    (?P<comment><!--.*?(?:-->|\Z))                      # comments, closed or cut off
  | (?P<decl><![^>]*>|<\?[^>]*>)                        # doctype and processing instructions
  | (?P<tag>(?:<|(?<=[?\ufffd])(?=/(?i:{_EATEN})\s*>))/?(?P<name>[A-Za-z][A-Za-z0-9:-]*)[^<>]*>) # a start, end or empty tag
  | (?P<entity>&(?:\#[0-9]{{1,7}}|\#[xX][0-9A-Fa-f]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});)
    """,
    regex.VERBOSE | regex.DOTALL,
)

# In plain text only tags of the common inline and block kinds are taken for markup
# (script and style elements with their code), so that `<2349>` or `a<b` stay as
# written; every entity HTML5 names is decoded
# (html.entities), and `&amp;` before one (`&amp;ldquo;`, escaped twice by a CMS)
# is decoded with it, so one pass reaches the stable text. An entity whose `&` a lenient GBK
# decoder ate with the byte before it (`推动?amp;ldquo;`: damage.md) is one after that `?` (after a
# character: not `?copy;` in a URL), which stays for the charset repairs (it holds a byte).
_REMNANT = regex.compile(
    r"<!--.*?(?:-->|$)"
    r"|<(?P<code>script|style|noscript)\b[^<>]*>(?s:.*?)</(?P=code)\s*>"  # with the code they hold
    r"|</?(?:(?P<block>p|div|h[1-6]|li|ul|ol|dl|dt|dd|td|th|tr|table|section|article|blockquote"
    r"|figcaption)|a|b|i|u|s|q|em|strong|small|big|center|del|ins|mark|cite|code|pre|span|font|img|br|hr"
    r"|sup|sub|tbody|thead|figure|iframe|video|audio|source|embed|label|nav|header|footer|main|aside|time|wbr)"
    r"(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=]+))?){0,20}\s*/?>"
    r"|(?:&|(?<=[^\x00-\x7f][?\ufffd]{1,2}))(?:amp;)*(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});",
    regex.IGNORECASE | regex.MULTILINE,
)
_ESCAPED_AMPERSAND = regex.compile(r"^&(?:amp;)+(?=[A-Za-z#])", regex.IGNORECASE)
# what only a page's source holds: a text that holds it is a page read as text (a scraper's
# `text` field that kept the HTML), read as HTML
_PAGE = regex.compile(r"<!doctype\s+html|<html[\s>]|<head>|<body[\s>]", regex.IGNORECASE)


def _entity(text: str) -> str:
    value = html.unescape(text)
    return " " if value == "\xa0" else value


def _furniture(tag: regex.Match, name: str) -> bool:
    """Whether the element that `tag` opens is site furniture by its class or id."""
    if name in _VOID or name in _WHOLE or tag.group().endswith("/>"):
        return False
    # camelCase names split into words (pageShare, relatedNews), as the rule reads them
    values = [_CAMEL.sub(" ", next(value for value in found.groups() if value is not None)).lower()
              for found in _NAMES.finditer(tag.group())]
    return any(pattern.search(value) for value in values for pattern in boilerplate.patterns(("element",)))


def _end_tag(token: regex.Match) -> bool:
    """Whether a tag of `_TOKEN` is an end tag (`</p>`, or `/p>` after a `?` that ate its `<`)."""
    return token.group().startswith(("</", "/"))


def _element_ends(source: str) -> dict[int, int]:
    """Where each element ends (the end of its closing tag), by where its start tag
    starts, in one pass over the tags: a closing tag closes the latest element of its
    name still open, and those opened after it stay unclosed, as browsers read sloppy
    pages. An element never closed has no end."""
    ends: dict[int, int] = {}
    open_elements: list[tuple[str, int]] = []
    position = 0
    while tag := _TOKEN.search(source, position):
        position = tag.end()
        if not tag.group("tag"):
            continue  # a comment's or a declaration's tags are none
        name = tag.group("name").lower()
        if not _end_tag(tag):
            if name in _RAW_TEXT:  # a script's `</div>` in a string closes nothing
                closing = regex.compile(rf"</{name}\s*>", regex.IGNORECASE).search(source, position)
                position = closing.end() if closing else len(source)
            elif name not in _VOID and not tag.group().endswith("/>"):
                open_elements.append((name, tag.start()))
            continue
        for depth in range(len(open_elements) - 1, -1, -1):
            if open_elements[depth][0] == name:
                ends[open_elements[depth][1]] = tag.end()
                del open_elements[depth:]
                break
    return ends


def html_to_text(source: str) -> list[Edit]:
    """Edits that turn an HTML page into its visible article text.

    >>> from .offsets import apply_edits
    >>> apply_edits("<p>资金<b>1365</b>万元</p><script>x()</script><p>A&amp;B</p>", html_to_text(
    ...     "<p>资金<b>1365</b>万元</p><script>x()</script><p>A&amp;B</p>"))[0]
    '\\n资金1365万元\\n\\nA&B\\n'
    """
    edits: list[Edit] = []
    skipping: list[str] = []
    skip_from = 0
    position = 0
    element_ends: dict[int, int] | None = None  # made when a page has furniture
    while token := _TOKEN.search(source, position):
        position = token.end()
        name = (token.group("name") or "").lower()
        closing = _end_tag(token)
        if skipping:
            if token.group("tag") and name in _SKIPPED and not closing and not token.group().endswith("/>"):
                skipping.append(name)
            elif token.group("tag") and closing and name in skipping and (
                    name == skipping[-1] or skipping[-1] not in _CODE):
                # an element's end closes those opened inside it and left open (a title whose end
                # tag a decoder ate ends with the head), but not a script's: code may hold a tag
                del skipping[len(skipping) - 1 - skipping[::-1].index(name):]
                if not skipping:
                    edits.append(Edit(skip_from, token.end(), ""))
            elif token.group("tag") and name == "body" and not closing and skipping[-1] not in _CODE:
                skipping.clear()  # the body starts: what the head left open ends
                edits.append(Edit(skip_from, token.start(), ""))
                position = token.start()
            continue
        if token.group("tag"):
            if name in _SKIPPED and not closing and not token.group().endswith("/>"):
                skipping.append(name)
                skip_from = token.start()
                continue
            if not closing and _furniture(token, name):
                if element_ends is None:
                    element_ends = _element_ends(source)
                if token.start() in element_ends:  # one never closed drops nothing: the rest may be the article
                    position = element_ends[token.start()]
                    edits.append(Edit(token.start(), position, "\n"))
                    continue
            breaks = name in _BLOCK and not (name in _CELLS and _LABEL_CELL.search(
                source, max(0, token.start() - _LABEL_LOOKBACK), token.start()))
            edits.append(Edit(token.start(), token.end(), "\n" if breaks else ""))
        elif token.group("entity"):
            edits.append(Edit(token.start(), token.end(), _entity(token.group())))
        else:
            edits.append(Edit(token.start(), token.end(), ""))
    if skipping:  # an element left open runs to the end of the page
        edits.append(Edit(skip_from, len(source), ""))
    return edits


def is_page(text: str) -> bool:
    """Whether a text is the source of an HTML page.

    >>> is_page("<!DOCTYPE html>\\n<html><body><p>正文</p></body></html>"), is_page("潜力</strong>和")
    (True, False)
    """
    return "<" in text and _PAGE.search(text) is not None


def strip_remnants(text: str) -> list[Edit]:
    """Edits that remove HTML comments, tags and entities left in plain text.

    >>> strip_remnants("潜力</strong>和A&amp;B，但 a<b 不动")
    [Edit(start=2, end=11, replacement=''), Edit(start=13, end=18, replacement='&')]
    >>> [e.replacement for e in strip_remnants("&amp;amp;ldquo;引号&#8221;<!-- 正文 -->&#x300a;&bogus;")]
    ['“', '”', '', '《']
    >>> [e.replacement for e in strip_remnants("第一段。</p><p>第二段。<div>第三段。</div>\\n")]
    ['\\n', '', '\\n', '']
    """
    if "<" not in text and "&" not in text and "?" not in text and "\ufffd" not in text:
        return []  # most texts once repaired, and clean ones: two scans in C (measured: a tenth of the pattern's)
    edits = []
    for match in _REMNANT.finditer(text):
        found = match.group()
        if found.startswith("<"):
            # a block element's tag breaks the line, where the source had none there: a page
            # whose source was minified holds its paragraphs on one line (</p><p>); not <br>,
            # which an editor sets inside a paragraph as often as between two
            breaks = match.group("block") and not (
                match.start() == 0 or text[match.start() - 1] == "\n" or match.end() == len(text)
                or text[match.end()] == "\n" or edits and edits[-1].end == match.start())
            edits.append(Edit(match.start(), match.end(), "\n" if breaks else ""))
        elif (decoded := _remnant_entity(found if found.startswith("&") else "&" + found)) is not None:
            edits.append(Edit(match.start(), match.end(), decoded))
    return edits


# a forum's markup (BBCode), as a repost from a BBS carries it: a tag of a known name, with its
# value (`[color=#2e01d8]`, `[url=http://…]`); an image's or an attachment's tag goes with what
# it holds (its address, its number), a quote's and a link's leave their text
_BBCODE = regex.compile(
    r"\[(?P<whole>img|attach|media|flash|audio)(?:=[^\]\n]{0,200})?\][^\[\n]{0,500}\[/(?P=whole)\]"
    r"|\[/?(?:b|i|u|s|strike|size|color|font|backcolor|align|center|left|right|indent|quote|url|email|code|list|\*"
    r"|sup|sub|table|tr|td|p|hr|hide|free|float|img|attach|media)(?:=[^\]\n]{0,200})?\]",
    regex.IGNORECASE)


def strip_bbcode(text: str) -> list[Edit]:
    """Edits that remove a forum's markup (BBCode) left in the text.

    >>> from .offsets import apply_edits
    >>> apply_edits("[size=4][color=#2e01d8]推动高水平开放[/color][/size][img]http://a.cn/1.jpg[/img][b]转载[/b]", strip_bbcode(
    ...     "[size=4][color=#2e01d8]推动高水平开放[/color][/size][img]http://a.cn/1.jpg[/img][b]转载[/b]"))[0]
    '推动高水平开放转载'
    >>> strip_bbcode("图[1]和[注]")
    []
    """
    if "[/" not in text:  # BBCode closes what it opens; most texts hold no `[/`
        return []
    return [Edit(found.start(), found.end(), "") for found in _BBCODE.finditer(text)]


@lru_cache(maxsize=4096)  # a page repeats a few entities many times; bounded for flat memory
def _remnant_entity(found: str) -> str | None:
    """What an entity found in plain text stands for; None for an unknown name (it stays)."""
    entity = _ESCAPED_AMPERSAND.sub("&", found)
    decoded = _entity(entity)
    return decoded if decoded != entity or entity != found else None
