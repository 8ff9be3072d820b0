"""The four extractors; each module exposes `extract(segmented, context) -> list[Mention]`."""
from __future__ import annotations

from dataclasses import dataclass

from ..dateref import ReferenceDate


@dataclass(frozen=True)
class Context:
    """What an extractor may know besides the text."""

    reference_date: ReferenceDate | None = None
    script: str = ""  # the script the article was written in (Normalized.script): simplified, traditional or mixed
