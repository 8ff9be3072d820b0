"""Site navigation, share bars, footers, teasers and captions, by line (rules/boilerplate.yaml)."""
from __future__ import annotations

import regex

from .. import ruleset
from .offsets import Edit

_LINE = regex.compile(r"[^\n]*\n?")
_BODY_LINE = 12  # a line this long (stripped) is article text, and ends the navigation


def remove_boilerplate(text: str) -> list[Edit]:
    """Edits that drop boilerplate lines (each with its line break).

    >>> text = "- 首页\\n- English\\n从输血到造血\\n正文第一段，资金1802.5亿元，项目1256个。\\n分享让更多人看到\\n- 别的新闻"
    >>> from .offsets import apply_edits
    >>> apply_edits(text, remove_boilerplate(text))[0]
    '从输血到造血\\n正文第一段，资金1802.5亿元，项目1256个。\\n'
    """
    rules = ruleset.load("boilerplate.yaml")
    lines = [m for m in _LINE.finditer(text) if m.end() > m.start()]
    edits: list[Edit] = []
    navigation: list[Edit] = []  # kept only once an article line follows: short texts stay whole
    in_lead = True
    for line in lines:
        stripped = line.group().strip()
        if not stripped:
            continue
        if in_lead and len(stripped) >= _BODY_LINE:
            in_lead = False
            edits.extend(navigation)
        for rule in rules:
            where = rule.data["where"]
            if where == "lead" and not in_lead or not rule.pattern.search(stripped):
                continue
            if where == "end" and line.start() > len(text) // 2:
                edits.append(Edit(line.start(), len(text), ""))
                return sorted(edits)
            if where in ("line", "lead"):
                (navigation if where == "lead" else edits).append(Edit(line.start(), line.end(), ""))
                break
    return sorted(edits)
