"""What a saved news page says of itself in its head: its title, publication date and address.

Sites publish them in standard tags (OpenGraph `og:title`, `article:published_time`,
`og:url`; schema.org `datePublished` as microdata or JSON-LD; `<link rel="canonical">`)
or under meta names of their own (`publishdate`, `pubdate`, `PubDate`, `publishtime`),
which Chinese news sites use as often. A page's date is the article's: relative dates
(昨天, 上周, 今年) resolve against it, as against a JSON Lines `published` field.
"""
from __future__ import annotations

import html
from typing import NamedTuple

import regex

from ..dateref import parse_reference_date

# meta names, properties and itemprops that hold the publication date, the likeliest first
# (a page's `date` or `dc.date` may be its last change)
_PUBLISHED = ("article:published_time", "datepublished", "publishdate", "pubdate", "publish_date",
              "publish-date", "publishtime", "publish_time", "og:release_date", "dc.date.issued",
              "originalpublicationdate", "sailthru.date", "dc.date", "date")
_TITLES = ("og:title", "twitter:title")
_URLS = ("og:url",)
_HEAD = 200_000  # characters read: the head, and the JSON-LD some sites put at the top of the body
_TAG = regex.compile(r"<(meta|link)\b([^<>]*)>", regex.IGNORECASE)
_ATTRIBUTE = regex.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+))""")
_TITLE = regex.compile(r"<title\b[^<>]*>(.*?)</title\s*>", regex.IGNORECASE | regex.DOTALL)
_JSON_LD_PUBLISHED = regex.compile(r'"datePublished"\s*:\s*"([^"<>]{4,40})"')
_SPACES = regex.compile(r"\s+")


class PageMetadata(NamedTuple):
    title: str
    published: str  # as the page gives it (a date, or a date and time)
    url: str


def page_metadata(page: str) -> PageMetadata:
    """The title, publication date and address a page gives in its tags ("" where none).

    >>> page_metadata('<head><title>春运首日 - 新华网</title><meta name="pubdate" content="2019-02-01 08:00:00">'
    ...               '<link rel="canonical" href="http://www.xinhuanet.com/a.htm"></head>')
    PageMetadata(title='春运首日 - 新华网', published='2019-02-01 08:00:00', url='http://www.xinhuanet.com/a.htm')
    """
    head = page[:_HEAD]
    named: dict[str, str] = {}
    canonical = ""
    for tag in _TAG.finditer(head):
        attributes = {name.lower(): html.unescape("".join(values)).strip()  # one of the three ways to quote
                      for name, *values in _ATTRIBUTE.findall(tag.group(2))}
        if tag.group(1).lower() == "link":
            if "canonical" in attributes.get("rel", "").lower().split() and not canonical:
                canonical = attributes.get("href", "")
            continue
        content = attributes.get("content", "")
        for key in ("property", "name", "itemprop"):
            if content and key in attributes:
                named.setdefault(attributes[key].lower(), content)
    published = next((named[name] for name in _PUBLISHED
                      if name in named and parse_reference_date(named[name], "metadata")), "")
    if not published:
        published = next((date for date in _JSON_LD_PUBLISHED.findall(head)
                          if parse_reference_date(date, "metadata")), "")
    title = next((named[name] for name in _TITLES if named.get(name)), "")
    if not title and (found := _TITLE.search(head)):
        title = html.unescape(found.group(1))
    url = canonical or next((named[name] for name in _URLS if named.get(name)), "")
    return PageMetadata(_SPACES.sub(" ", title).strip(), published, url)
