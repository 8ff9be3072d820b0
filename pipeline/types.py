"""The data that flows through the pipeline: documents in, mentions out, errors."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .normalize.offsets import OffsetMap


@dataclass(frozen=True)
class RawDocument:
    """One article as read from disk, before any repair."""

    doc_id: str
    source: str  # the file, or `file:line` for a JSON Lines article
    raw: str  # the decoded input: plain text, or the HTML source
    markup: str = "text"  # "text" or "html"
    encoding: str = "utf-8"
    url: str = ""
    title: str = ""
    published: str = ""
    content_hash: str = ""
    # the normalization an earlier batch run made of this same raw text with the same
    # normalization rules: a re-run after an extraction rule edit starts from it
    normalized: "Normalized | None" = None


@dataclass(frozen=True)
class Normalized:
    """Repaired, simplified text and where each of its characters came from."""

    text: str
    offsets: OffsetMap
    repairs: int = 0  # spans changed by a repair step (mojibake, pinyin, script, layout)
    lossy: int = 0  # spans a repair step could not restore
    dropped_chars: int = 0  # raw characters dropped as markup or boilerplate
    script: str = "simplified"  # of the raw text: simplified, traditional, mixed
    page_date: str = ""  # ISO: the date a line dropped as chrome gave the page (2019年02月02日03:18  来源：人民网)


@dataclass(frozen=True)
class Mention:
    """One extracted span: where it is, what it says, and which rule found it."""

    kind: str  # money, counts, dates, organizations
    text: str
    start: int  # [start, end) in the normalized text
    end: int
    rule: str
    attrs: Mapping[str, Any] = field(default_factory=dict)  # amount, currency, ...
    raw_start: int = -1  # [raw_start, raw_end) in the raw input
    raw_end: int = -1
    sentence_id: int = -1
    sentence: str = ""

    def row(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "text": self.text, **self.attrs, "start": self.start,
                "end": self.end, "raw_start": self.raw_start, "raw_end": self.raw_end,
                "sentence_id": self.sentence_id, "sentence": self.sentence, "rule": self.rule}


class ErrorKind(enum.Enum):
    """Every way an input can fail, with its stage and one fixed message."""

    EMPTY = ("read", "the file holds no text")
    BINARY = ("read", "binary content, not text")
    UNDECODABLE = ("read", "bytes are not valid UTF-8, UTF-16, GB18030 or Big5")
    UNREADABLE = ("read", "cannot be read: {reason}")
    TOO_LARGE = ("read", "input of {size} bytes is over the limit of {limit} bytes")
    BAD_JSON = ("read", "line {line} is not a JSON object: {detail}")
    NO_TEXT_FIELD = ("read", "line {line} has no `text` or `html` string (its fields: {fields})")
    BAD_ID = ("read", "line {line}: `id` is a {kind}, not a string or an integer")
    DUPLICATE_ID = ("read", "doc_id already taken by {first}")
    ID_CLASH = ("read", "doc_id already holds {first} from an earlier run into this folder; "
                        "use another --out, or --force to replace it")
    UNSUPPORTED = ("read", "not a .txt, .html (.htm, .shtml, .xhtml) or .jsonl file")
    MISSING = ("read", "no such file or folder")
    TIMEOUT = ("process", "took longer than the time limit of {limit:g}s (--time-limit)")
    CRASHED = ("process", "the worker process died ({reason})")
    FAILED = ("{stage}", "{exception}: {detail}")

    def __init__(self, stage: str, message: str) -> None:
        self.stage = stage
        self.message = message


@dataclass(frozen=True)
class InputError:
    doc_id: str
    source: str
    kind: ErrorKind
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        return self.kind.stage.format(**self.details)

    @property
    def message(self) -> str:
        return self.kind.message.format(**self.details)

    def row(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "source": self.source, "stage": self.stage,
                "error": f"{self.kind.name.lower()}: {self.message}"}
