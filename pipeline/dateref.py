"""The date an article's relative dates are resolved against, and where it came from."""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(frozen=True)
class ReferenceDate:
    year: int
    month: int | None = None
    day: int | None = None
    source: str = "none"  # metadata, text, cli

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


_ISO = regex.compile(r"(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2}))?)?")


def parse_reference_date(value: str | None, source: str) -> ReferenceDate | None:
    """A date given as metadata or on the command line, at its own granularity.

    >>> parse_reference_date("2025-12-03T08:29:00+08:00", "metadata").iso
    '2025-12-03'
    >>> parse_reference_date("2021", "cli").iso
    '2021'
    >>> parse_reference_date("yesterday", "cli") is None
    True
    """
    if not value:
        return None
    match = _ISO.match(value.strip())
    if not match:
        return None
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
        return None
    return ReferenceDate(int(match["y"]), month, day, source)
