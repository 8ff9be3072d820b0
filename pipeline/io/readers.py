"""Turn input paths into `RawDocument`s, or `InputError`s for what cannot be read.

Files are decoded by the first of: a BOM (UTF-8, UTF-16), UTF-16 without one (zero
bytes of ASCII characters all on one side of the pairs), strict UTF-8, UTF-8 with a
few stray invalid bytes (each replaced by U+FFFD, which normalization counts as lossy),
then the
better-reading of GB18030 and Big5 (both accept many of the same byte pairs, so the
one whose characters are more common Chinese wins).

A document's id is unique by construction within one run: a file's id is its path
relative to the input folder it was found in, without the extension (`d1/1` and
`d2/1` for `d1/1.html` and `d2/1.html`); a JSON Lines article's id is its `id`
field, or `<file id>-<line>` when it has none. Two articles that still share an id
are a real clash: the second becomes an error row.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from ..normalize.charfreq import commonness
from ..types import ErrorKind, InputError, RawDocument
from .pagemeta import PageMetadata, page_metadata

# saved pages keep their site's suffix: .shtml (server-side includes, common on Chinese news
# sites), .xhtml
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
            ".jsonl": "jsonl"}
MAX_BYTES = 20_000_000  # one article; a larger one is almost surely not an article
# UTF-8 with at least this many valid multi-byte characters per invalid sequence is
# UTF-8 with stray bytes; GBK or Big5 text read as UTF-8 has two to five times more
# invalid sequences than valid characters (measured on the samples)
_STRAY_RATIO = 4
_SURROGATE = re.compile("[\ud800-\udfff]")

ReadResult = Union[RawDocument, InputError]


@dataclass(frozen=True)
class InputFile:
    path: Path
    doc_id: str  # the path relative to the input it was found under, without its suffix


def _file_id(relative: Path) -> str:
    return relative.with_suffix("").as_posix()


def iter_paths(inputs: Iterable[str | os.PathLike]) -> Iterator[InputFile | InputError]:
    """Files under the inputs, folders recursively, in a stable order; a folder or file
    that cannot be listed or read becomes an error, never an exception."""
    for item in inputs:
        path = Path(item)
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as error:
            yield InputError("", str(path), ErrorKind.UNREADABLE, {"reason": _reason(error)})
            continue
        if is_dir:
            yield from _walk(path)
        elif is_file:
            yield InputFile(path, path.stem)
        else:
            yield InputError("", str(path), ErrorKind.MISSING)


def _walk(root: Path) -> Iterator[InputFile | InputError]:
    unlisted: list[OSError] = []
    found = []
    for folder, subfolders, files in os.walk(root, onerror=unlisted.append):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(Path(folder, name) for name in files
                     if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES)
    for error in unlisted:
        yield InputError("", str(error.filename or root), ErrorKind.UNREADABLE, {"reason": _reason(error)})
    for path in sorted(found):
        yield InputFile(path, _file_id(path.relative_to(root)))


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def decode(data: bytes) -> tuple[str, str] | ErrorKind:
    """Text and the encoding it was in, or why it is not text.

    >>> decode("資金".encode("big5"))
    ('資金', 'big5')
    >>> decode("资金".encode("gb18030"))
    ('资金', 'gb18030')
    >>> decode("浙江已累计捐资".encode("utf-8") + b"\\xff" + "1265万元".encode("utf-8"))
    ('浙江已累计捐资\\ufffd1265万元', 'utf-8')
    >>> decode(b"\\x00\\x01\\x02")
    <ErrorKind.BINARY: ('read', 'binary content, not text')>
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x00" in data[:4096]:
        return _utf16_without_bom(data) or ErrorKind.BINARY
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    stray = _utf8_with_stray_bytes(data)
    if stray is not None:
        return stray
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


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without its byte order mark: its ASCII characters (digits, line
    breaks) put their zero byte on the same side of every pair, which binary data does not.

    >>> _utf16_without_bom("投入1265万元\\n".encode("utf-16-be"))
    ('投入1265万元\\n', 'utf-16-be')
    >>> _utf16_without_bom(bytes([0, 1, 2, 0])) is None
    True
    """
    head = data[:4096]
    zeros_first, zeros_second = head[0::2].count(0), head[1::2].count(0)
    encoding = "utf-16-be" if zeros_first and not zeros_second else "utf-16-le" if zeros_second and not zeros_first \
        else None
    if encoding is None or len(data) % 2:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _looks_binary(text) else (text, encoding)


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, str] | None:
    """UTF-8 text in which a few invalid sequences became U+FFFD, when the valid
    multi-byte characters outnumber the invalid sequences by far."""
    text = data.decode("utf-8", errors="replace")
    # one U+FFFD per invalid sequence, less the ones the bytes spelled out validly
    invalid = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    if invalid * _STRAY_RATIO <= multibyte:
        return text, "utf-8"
    return None


def _strict(data: bytes, encoding: str) -> tuple[str, str] | ErrorKind:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return ErrorKind.UNDECODABLE


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > 8 and controls > len(text[:4096]) // 100


def read_file(item: InputFile | Path, max_bytes: int = MAX_BYTES) -> Iterator[ReadResult]:
    """The articles of one file (a bare path's id is its stem); a file that cannot be read
    is one error, never an exception."""
    if not isinstance(item, InputFile):
        item = InputFile(Path(item), Path(item).stem)
    path, source = item.path, str(item.path)
    markup = SUFFIXES.get(path.suffix.lower())
    if markup is None:
        yield InputError(item.doc_id, source, ErrorKind.UNSUPPORTED)
        return
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device would block or never end
            yield InputError(item.doc_id, source, ErrorKind.UNREADABLE, {"reason": "not a regular file"})
            return
        size = status.st_size
        if markup == "jsonl":
            yield from _read_jsonl(item, max_bytes)
            return
        if size > max_bytes:
            yield InputError(item.doc_id, source, ErrorKind.TOO_LARGE, {"size": size, "limit": max_bytes})
            return
        data = path.read_bytes()
    except OSError as error:
        yield InputError(item.doc_id, source, ErrorKind.UNREADABLE, {"reason": _reason(error)})
        return
    decoded = decode(data)
    if isinstance(decoded, ErrorKind):
        yield InputError(item.doc_id, source, decoded)
        return
    text, encoding = decoded
    if _looks_binary(text):
        yield InputError(item.doc_id, source, ErrorKind.BINARY)
    elif not text.strip():
        yield InputError(item.doc_id, source, ErrorKind.EMPTY)
    else:
        page = _page(text, markup)
        yield RawDocument(doc_id=item.doc_id, source=source, raw=text, markup=markup, encoding=encoding,
                          url=page.url, title=page.title, published=page.published,
                          content_hash=hashlib.sha256(data).hexdigest())


def split_source(source: str) -> tuple[str, int | None]:
    """A document's `source` to its input file and, for a JSON Lines article, its line.

    >>> split_source("feeds/a.jsonl:12"), split_source("raw/000.txt")
    (('feeds/a.jsonl', 12), ('raw/000.txt', None))
    """
    path, _, line = source.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (source, None)


def _read_jsonl(item: InputFile, max_bytes: int) -> Iterator[ReadResult]:
    with open(item.path, "rb") as lines:
        for number, line in enumerate(lines, start=1):
            source = f"{item.path}:{number}"
            if not line.strip():
                continue
            if len(line) > max_bytes:
                yield InputError("", source, ErrorKind.TOO_LARGE, {"size": len(line), "limit": max_bytes})
                continue
            try:
                record = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError) as error:
                yield InputError("", source, ErrorKind.BAD_JSON, {"line": number, "detail": _first_line(error)})
                continue
            if not isinstance(record, dict):
                yield InputError("", source, ErrorKind.BAD_JSON, {"line": number, "detail": "not an object"})
                continue
            given = record.get("id")
            if isinstance(given, bool) or not isinstance(given, (str, int, type(None))):
                yield InputError("", source, ErrorKind.BAD_ID, {"line": number, "kind": type(given).__name__})
                continue
            # a missing, null or blank id gets one derived from where the line is
            doc_id = str(given).strip() if given is not None else ""
            doc_id = doc_id or f"{item.doc_id}-{number}"
            doc_id = _text(doc_id)
            body, markup = record.get("text"), "text"
            if not isinstance(body, str) or not body.strip():
                body, markup = record.get("html"), "html"
            if not isinstance(body, str) or not body.strip():
                # the fields it has tell a feed's own names (content, body) from an empty article
                fields = ", ".join(sorted(map(str, record))[:8]) or "none"
                yield InputError(doc_id, source, ErrorKind.NO_TEXT_FIELD, {"line": number, "fields": fields})
                continue
            # the record's own fields first, then what a page it holds says of itself
            page = _page(body, markup)
            yield RawDocument(
                doc_id=doc_id, source=source, raw=_text(body), markup=markup, encoding="utf-8",
                url=_text(record.get("url")) or _text(page.url), title=_text(record.get("title")) or _text(page.title),
                published=_text(record.get("published")) or _text(page.published),
                content_hash=hashlib.sha256(line.strip()).hexdigest(),
            )


def _page(body: str, markup: str) -> PageMetadata:
    """What a page says of itself in its head; nothing for plain text."""
    return page_metadata(body) if markup == "html" else PageMetadata("", "", "")


def _text(value) -> str:
    """A JSON value as text; a lone surrogate (`"\\ud800"` is valid JSON, but no UTF-8)
    becomes U+FFFD, so that the text can be written out (and counts as lossy)."""
    return "" if value is None else _SURROGATE.sub("\ufffd", str(value))


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def read_inputs(inputs: Iterable[str | os.PathLike], max_bytes: int = MAX_BYTES) -> Iterator[ReadResult]:
    """Every article under the inputs; an id seen before in this run becomes an error row."""
    first_source: dict[str, str] = {}
    for item in iter_paths(inputs):
        if isinstance(item, InputError):
            yield item
            continue
        for result in read_file(item, max_bytes):
            if isinstance(result, RawDocument):
                if result.doc_id in first_source:
                    yield InputError(result.doc_id, result.source, ErrorKind.DUPLICATE_ID,
                                     {"first": first_source[result.doc_id]})
                    continue
                first_source[result.doc_id] = result.source
            yield result
