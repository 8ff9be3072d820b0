"""Turn input paths into `RawDocument`s, or `InputError`s for what cannot be read.

Files are decoded by the first of: a BOM (UTF-8, UTF-16), strict UTF-8, then the
better-reading of GB18030 and Big5 (both accept many of the same byte pairs, so
the one whose characters are more common Chinese wins).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Iterable, Iterator, Union

from ..normalize.charfreq import commonness
from ..types import ErrorKind, InputError, RawDocument

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
MAX_BYTES = 20_000_000  # one article; a larger one is almost surely not an article
_SAFE_ID = re.compile(r"^(?!\.{1,2}$)[^/\\\x00-\x1f]{1,200}$")

ReadResult = Union[RawDocument, InputError]


def iter_paths(inputs: Iterable[str | os.PathLike]) -> Iterator[Path | InputError]:
    """Files under the inputs, folders recursively, in a stable order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield InputError("", str(path), ErrorKind.MISSING)


def decode(data: bytes) -> tuple[str, str] | ErrorKind:
    """Text and the encoding it was in, or why it is not text.

    >>> decode("資金".encode("big5"))
    ('資金', 'big5')
    >>> decode("资金".encode("gb18030"))
    ('资金', 'gb18030')
    >>> decode(b"\\x00\\x01\\x02")
    <ErrorKind.BINARY: ('read', 'binary content, not text')>
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x00" in data[:4096]:
        return ErrorKind.BINARY
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
            readings.append((commonness(text), encoding, text))
        except UnicodeDecodeError:
            continue
    if not readings:
        return ErrorKind.UNDECODABLE
    _, encoding, text = max(readings)
    return text, encoding


def _strict(data: bytes, encoding: str) -> tuple[str, str] | ErrorKind:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return ErrorKind.UNDECODABLE


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > 8 and controls > len(text[:4096]) // 100


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[ReadResult]:
    markup = SUFFIXES.get(path.suffix.lower())
    if markup is None:
        yield InputError(path.stem, str(path), ErrorKind.UNSUPPORTED)
        return
    size = path.stat().st_size
    if markup != "jsonl" and size > max_bytes:
        yield InputError(path.stem, str(path), ErrorKind.TOO_LARGE, {"size": size, "limit": max_bytes})
        return
    if markup == "jsonl":
        yield from _read_jsonl(path, max_bytes)
        return
    data = path.read_bytes()
    decoded = decode(data)
    if isinstance(decoded, ErrorKind):
        yield InputError(path.stem, str(path), decoded)
        return
    text, encoding = decoded
    if _looks_binary(text):
        yield InputError(path.stem, str(path), ErrorKind.BINARY)
    elif not text.strip():
        yield InputError(path.stem, str(path), ErrorKind.EMPTY)
    else:
        yield RawDocument(doc_id=path.stem, source=str(path), raw=text, markup=markup,
                          encoding=encoding, content_hash=hashlib.sha256(data).hexdigest())


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[ReadResult]:
    with open(path, "rb") as lines:
        for number, line in enumerate(lines, start=1):
            source = f"{path}:{number}"
            if not line.strip():
                continue
            if len(line) > max_bytes:
                yield InputError("", source, ErrorKind.TOO_LARGE, {"size": len(line), "limit": max_bytes})
                continue
            try:
                record = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                yield InputError("", source, ErrorKind.BAD_JSON, {"line": number, "detail": _first_line(error)})
                continue
            if not isinstance(record, dict):
                yield InputError("", source, ErrorKind.BAD_JSON, {"line": number, "detail": "not an object"})
                continue
            doc_id = str(record.get("id", "")).strip() or f"{path.stem}-{number}"
            body, markup = record.get("text"), "text"
            if not isinstance(body, str) or not body.strip():
                body, markup = record.get("html"), "html"
            if not isinstance(body, str) or not body.strip():
                yield InputError(doc_id, source, ErrorKind.NO_TEXT_FIELD, {"line": number})
                continue
            yield RawDocument(
                doc_id=doc_id, source=source, raw=body, markup=markup, encoding="utf-8",
                url=_text(record.get("url")), title=_text(record.get("title")),
                published=_text(record.get("published")),
                content_hash=hashlib.sha256(line.strip()).hexdigest(),
            )


def _text(value) -> str:
    return "" if value is None else str(value)


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def read_inputs(inputs: Iterable[str | os.PathLike], max_bytes: int = MAX_BYTES) -> Iterator[ReadResult]:
    """Every article under the inputs; a doc_id seen before becomes an error row."""
    first_source: dict[str, str] = {}
    for path in iter_paths(inputs):
        if isinstance(path, InputError):
            yield path
            continue
        for item in read_file(path, max_bytes):
            if isinstance(item, RawDocument):
                if not _SAFE_ID.match(item.doc_id):
                    yield InputError(item.doc_id, item.source, ErrorKind.BAD_ID, {"doc_id": item.doc_id})
                    continue
                if item.doc_id in first_source:
                    yield InputError(item.doc_id, item.source, ErrorKind.DUPLICATE_ID,
                                     {"first": first_source[item.doc_id]})
                    continue
                first_source[item.doc_id] = item.source
            yield item
