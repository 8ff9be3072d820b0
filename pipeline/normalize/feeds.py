"""RSS and Atom feeds to their articles' text, with offsets.

A crawler that follows a site's feed may keep the feed's XML as the article: the
channel's own fields (its title, link and description), each item's link, id,
author and dates, and the article's title and text inside. An item's text is its full
content (`content:encoded`, Atom's `content`) when the feed gives it, else its summary
(`description`, `summary`), which repeats the content's lead where both stand; either
is HTML, in a CDATA section or escaped as entities, and goes through the HTML reader.
Only the items' titles and texts are kept, one after another; the item's publication
date is the page's (`Normalized.page_date`).
"""
from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

import regex

from . import markup
from .offsets import Edit

# a feed's root, after the XML declaration and comments: RSS 2.0, Atom, RSS 1.0 (RDF)
_FEED = regex.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", regex.DOTALL)
_ITEM = regex.compile(r"<(item|entry)\b[^>]*>(.*?)</\1\s*>", regex.DOTALL | regex.IGNORECASE)
# an item's fields that hold its article, by name; the content's before the summary's
_FIELD = regex.compile(r"<(title|content:encoded|content|description|summary)\b[^>]*?(?<!/)>(.*?)</\1\s*>",
                       regex.DOTALL | regex.IGNORECASE)
_CDATA = regex.compile(r"<!\[CDATA\[(.*?)\]\]>", regex.DOTALL)
_CONTENT, _SUMMARY = ("content:encoded", "content"), ("description", "summary")
_DATE = regex.compile(r"<(pubDate|published|updated|dc:date)\b[^>]*>\s*([^<]+?)\s*</\1\s*>", regex.IGNORECASE)


def is_feed(text: str) -> bool:
    """Whether a text is an RSS or Atom feed's XML.

    >>> is_feed('<?xml version="1.0"?>\\n<rss version="2.0"><channel></channel></rss>'), is_feed("<p>正文</p>")
    (True, False)
    """
    return _FEED.match(text) is not None


def feed_to_text(source: str) -> list[Edit]:
    """Edits that turn a feed into its items' titles and texts, a line break between them.

    >>> from .offsets import apply_edits
    >>> feed = ('<rss><channel><title>某网 - 要闻</title><item><title><![CDATA[农村改革]]></title>'
    ...         '<link>http://a.cn/1</link><description>刺梨园……</description>'
    ...         '<content:encoded><![CDATA[<p>刺梨园带动增收。</p><p>村民&ldquo;入股&rdquo;。</p>]]></content:encoded>'
    ...         '</item></channel></rss>')
    >>> apply_edits(feed, feed_to_text(feed))[0].split()
    ['农村改革', '刺梨园带动增收。', '村民“入股”。']
    """
    kept: list[tuple[int, int]] = []  # the spans of the fields kept, in the source
    for item in _ITEM.finditer(source):
        fields = [field for field in _FIELD.finditer(source, *item.span(2))]
        has_content = any(field.group(1).lower() in _CONTENT for field in fields)
        for field in fields:
            name = field.group(1).lower()
            if name == "title" or name in _CONTENT or name in _SUMMARY and not has_content:
                kept.append(field.span(2))
    if not kept:
        return markup.html_to_text(source)  # a feed without items: its fields as a page's
    edits: list[Edit] = []
    position = 0
    for start, end in kept:
        edits.append(Edit(position, start, "\n"))
        edits.extend(_field_text(source, start, end))
        position = end
    edits.append(Edit(position, len(source), "\n"))
    return edits


def _field_text(source: str, start: int, end: int) -> list[Edit]:
    """Edits that turn one field's HTML (in CDATA sections or escaped) into its text."""
    edits: list[Edit] = []
    pieces = []  # (start, end) of the HTML between CDATA markers, which go
    position = start
    for cdata in _CDATA.finditer(source, start, end):
        pieces.append((position, cdata.start()))
        edits.append(Edit(cdata.start(), cdata.start(1), ""))
        pieces.append(cdata.span(1))
        edits.append(Edit(cdata.end(1), cdata.end(), ""))
        position = cdata.end()
    pieces.append((position, end))
    for piece_start, piece_end in pieces:
        if piece_start < piece_end:
            edits.extend(Edit(edit.start + piece_start, edit.end + piece_start, edit.replacement)
                         for edit in markup.html_to_text(source[piece_start:piece_end]))
    return sorted(edits)


def feed_date(source: str) -> str:
    """The first item's publication date (RSS's RFC 822 date, Atom's ISO one), as ISO; "" for none.

    >>> feed_date("<rss><item><pubDate>Fri, 22 Feb 2019 11:55:00 +0800</pubDate></item></rss>")
    '2019-02-22'
    >>> feed_date("<feed><entry><published>2019-02-07T08:00:00+08:00</published></entry></feed>")
    '2019-02-07'
    """
    item = _ITEM.search(source)
    for found in _DATE.finditer(source, *(item.span(2) if item else (0, len(source)))):
        try:
            written = found.group(2)
            moment = parsedate_to_datetime(written) if found.group(1).lower() == "pubdate" \
                else datetime.fromisoformat(written.replace("Z", "+00:00"))
        except (TypeError, ValueError):
            continue
        return moment.date().isoformat()
    return ""
