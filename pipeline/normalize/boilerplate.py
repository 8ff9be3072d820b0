"""Site chrome: navigation, menus, share bars, footers, teasers, captions (rules/boilerplate.yaml).

Chrome is found by what it is and where it stands: the furniture of a page sits at
its edges, above the title and below the last paragraph. At the top, the run of
lines that each match an `edge` or `line` rule goes. At the bottom, the run of
short lines that end no sentence is furniture from its first line that matches a
rule on (a share bar, then the teasers of other articles under it); short lines
of the article above that (a closing credit, a dateline) stay. `line` rules
(editor, copyright, captions) match anywhere; an `end` rule in the last half of
the text starts the closing block.
"""
from __future__ import annotations

import regex

from .. import ruleset
from .offsets import Edit
from .script import character_table

_LINE = regex.compile(r"[^\n]*\n?")
_SHORT = 40  # a line this short that ends no sentence may be a teaser or a link
_SENTENCE_END = regex.compile(r"[。！？!?][”’\"）)]?$")
_ANNOTATION = regex.compile(r"(?<=\p{Han})\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _matching_form(line: str) -> str:
    """A line as the rules read it: simplified, without pinyin annotations, half-width.

    Chrome goes before the repairs (a column rejoin would glue a share bar to the last
    paragraph), so the rules must see through the damage a line may still carry.
    """
    return _ANNOTATION.sub("", line.strip()).translate(_WIDE).translate(character_table())


def _matches(rules, stripped: str, places: tuple[str, ...]) -> bool:
    return any(rule.data["where"] in places and rule.pattern.search(stripped) for rule in rules)


def remove_boilerplate(text: str) -> list[Edit]:
    """Edits that drop chrome lines (each with its line break).

    >>> text = "- 首页\\n- English\\n湖北武汉\\n正文第一段，资金1802.5亿元，项目1256个。\\n（记者 王迪）\\n返回顶部\\n- 别的新闻"
    >>> from .offsets import apply_edits
    >>> apply_edits(text, remove_boilerplate(text))[0]
    '湖北武汉\\n正文第一段，资金1802.5亿元，项目1256个。\\n（记者 王迪）\\n'
    """
    rules = ruleset.load("boilerplate.yaml")
    lines = [(m, _matching_form(m.group())) for m in _LINE.finditer(text) if m.group().strip()]
    drop = [False] * len(lines)
    top = 0
    while top < len(lines) and _matches(rules, lines[top][1], ("edge", "top", "line")):
        drop[top] = True
        top += 1
    bottom = len(lines)
    while bottom > top and (_matches(rules, lines[bottom - 1][1], ("edge", "bottom", "line", "end"))
                            or len(lines[bottom - 1][1]) <= _SHORT
                            and not _SENTENCE_END.search(lines[bottom - 1][1])):
        bottom -= 1
    first_chrome = next((n for n in range(bottom, len(lines))
                         if _matches(rules, lines[n][1], ("edge", "bottom", "line", "end"))), len(lines))
    for number in range(first_chrome, len(lines)):
        drop[number] = True
    for number, (line, stripped) in enumerate(lines):
        if _matches(rules, stripped, ("line",)):
            drop[number] = True
        elif line.start() > len(text) // 2 and _matches(rules, stripped, ("end",)):
            drop[number:] = [True] * (len(lines) - number)
            break
    edits: list[Edit] = []
    for (line, _), dropped in zip(lines, drop):
        if dropped:
            if edits and edits[-1].end == line.start():
                edits[-1] = Edit(edits[-1].start, line.end(), "")
            else:
                edits.append(Edit(line.start(), line.end(), ""))
    return edits
