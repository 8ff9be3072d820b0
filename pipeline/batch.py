"""Batch runs: parallel, incremental, resumable, on one machine or a Dask cluster.

State lives in `DIR/.pipeline/state.sqlite`, one transaction per document: its
documents row, its mention rows and its errors replace any earlier ones together,
so a run killed at any point leaves every document either fully done or not done,
and the next run resumes with what is missing. A document whose content hash and
pipeline version are already recorded is skipped unless `force` is set. Once the
run is over, the tables are exported from the state, streaming, and each file is
replaced atomically: the CSVs always describe complete documents.

Workers (processes, or Dask tasks) only compute; the driver alone writes.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import __version__
from .api import process
from .io.readers import MAX_BYTES, iter_paths, read_inputs
from .io.schema import MENTION_TABLES, header, to_cell
from .io.writers import write_csv, write_datapackage, write_parquet, write_text
from .types import ErrorKind, InputError, RawDocument

log = logging.getLogger("pipeline")

TABLE_ORDER = ("documents", *MENTION_TABLES, "errors")
_CHUNK = 64  # documents sent to a worker at a time


def pipeline_version() -> str:
    """The package version plus a digest of the rule files, so edited rules redo documents."""
    digest = hashlib.sha256()
    for item in sorted(resources.files("pipeline.rules").iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".txt")):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


# ---------------------------------------------------------------- worker side

def _init_worker() -> None:
    """Load jieba, spaCy and the rules once per worker, not with its first document."""
    process(RawDocument("warm-up", "", "今年5月19日，浙江大学投入资金1265万元。"))


Outcome = tuple[str, dict[str, Any], dict[str, list[dict[str, Any]]], str]


def process_one(document: RawDocument, reference_date: str | None, version: str) -> Outcome:
    """One document to its rows; the only place that catches every exception."""
    try:
        result = process(document, reference_date)
    except Exception as error:  # one bad article must not stop the run
        failure = InputError(document.doc_id, document.source, ErrorKind.FAILED, {
            "stage": getattr(error, "pipeline_stage", "process"), "exception": type(error).__name__,
            "detail": (str(error).splitlines() or [""])[0][:300]})
        row = {"doc_id": document.doc_id, "source": document.source, "url": document.url,
               "title": document.title, "published": document.published, "encoding": document.encoding,
               "raw_chars": len(document.raw), "content_hash": document.content_hash,
               "pipeline_version": version, "status": "error", "error": failure.message,
               "reference_date_source": "none"}
        return document.doc_id, row, {"errors": [failure.row()]}, ""
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in MENTION_TABLES}
    for mention in result.mentions:
        rows[mention.kind].append(mention.row(document.doc_id))
    return document.doc_id, result.document_row(version), rows, result.normalized.text


def process_many(documents: list[RawDocument], reference_date: str | None, version: str) -> list[Outcome]:
    return [process_one(document, reference_date, version) for document in documents]


# ---------------------------------------------------------------- driver side

class State:
    """The SQLite store behind the tables: every column kept as its CSV text."""

    def __init__(self, folder: Path) -> None:
        (folder / ".pipeline").mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(folder / ".pipeline" / "state.sqlite")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        for table in TABLE_ORDER:
            columns = ", ".join(f'"{name}" TEXT' for name in header(table))
            self.db.execute(f'CREATE TABLE IF NOT EXISTS "{table}" (seq INTEGER PRIMARY KEY, {columns})')
            if table != "errors":
                self.db.execute(f'CREATE INDEX IF NOT EXISTS "{table}_doc" ON "{table}" (doc_id)')
        self.db.execute('CREATE INDEX IF NOT EXISTS "errors_source" ON "errors" (source)')
        self.db.commit()

    def done(self, document: RawDocument, version: str) -> bool:
        row = self.db.execute('SELECT 1 FROM documents WHERE doc_id = ? AND content_hash = ? '
                              'AND pipeline_version = ? AND status = ?',
                              (document.doc_id, document.content_hash, version, "ok")).fetchone()
        return row is not None

    def _insert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        columns = header(table)
        placeholders = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        self.db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({placeholders})',
                            ([to_cell(row.get(c)) for c in columns] for row in rows))

    def record(self, outcome: Outcome, source: str) -> None:
        doc_id, document_row, rows, _ = outcome
        with self.db:  # one transaction: the document is all there or not at all
            for table in TABLE_ORDER:
                if table == "errors":
                    self.db.execute('DELETE FROM errors WHERE doc_id = ? OR source = ?', (doc_id, source))
                else:
                    self.db.execute(f'DELETE FROM "{table}" WHERE doc_id = ?', (doc_id,))
            self._insert("documents", [document_row])
            for table, table_rows in rows.items():
                self._insert(table, table_rows)

    def record_error(self, error: InputError) -> None:
        with self.db:
            self.db.execute('DELETE FROM errors WHERE source = ? AND doc_id = ?', (error.source, error.doc_id))
            self._insert("errors", [error.row()])

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        columns = header(table)
        names = ", ".join(f'"{c}"' for c in columns)
        order = "doc_id, seq" if table != "errors" else "seq"
        for values in self.db.execute(f'SELECT {names} FROM "{table}" ORDER BY {order}'):
            yield dict(zip(columns, values))

    def texts(self) -> Iterator[str]:
        for (doc_id,) in self.db.execute("SELECT doc_id FROM documents WHERE status = 'ok'"):
            yield doc_id

    def close(self) -> None:
        self.db.close()


@dataclass
class RunSummary:
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    input_errors: int = 0
    chars: int = 0
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)


def count_inputs(inputs: Iterable[str | os.PathLike]) -> int:
    """How many articles the inputs hold, roughly (JSON Lines: one a line), for time left."""
    total = 0
    for path in iter_paths(inputs):
        if isinstance(path, InputError):
            continue
        if path.suffix.lower() == ".jsonl":
            with open(path, "rb") as lines:
                total += sum(block.count(b"\n") for block in iter(lambda: lines.read(1 << 20), b""))
        else:
            total += 1
    return total


class _Progress:
    """A bar on a terminal (documents, characters per second, time left), a log line
    every few seconds otherwise."""

    def __init__(self, enabled: bool, inputs: list) -> None:
        self.bar = None
        self.started = self.last = time.monotonic()
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=count_inputs(inputs), unit="doc", dynamic_ncols=True, file=sys.stderr)

    def update(self, summary: RunSummary) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = f"{summary.chars / elapsed / 1000:.0f}k chars/s"
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(rate, refresh=False)
        elif time.monotonic() - self.last > 5:
            self.last = time.monotonic()
            log.info("%d documents processed, %d skipped, %d failed, %s",
                     summary.processed, summary.skipped, summary.failed, rate)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _chunks(items: Iterator[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _local_map(workers: int) -> Callable:
    def run(chunks: Iterator[list[RawDocument]], reference_date, version) -> Iterator[list[Outcome]]:
        if workers <= 1:
            _init_worker()
            for chunk in chunks:
                yield process_many(chunk, reference_date, version)
            return
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
            pending = []
            for chunk in chunks:
                pending.append(pool.submit(process_many, chunk, reference_date, version))
                if len(pending) >= workers * 2:  # bounded: memory stays flat
                    yield pending.pop(0).result()
            for future in pending:
                yield future.result()
    return run


def _dask_map(scheduler: str | None) -> Callable:
    def run(chunks: Iterator[list[RawDocument]], reference_date, version) -> Iterator[list[Outcome]]:
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True)
            client = Client(cluster)
        try:
            client.run(_init_worker)
            window = as_completed()
            limit = max(len(client.scheduler_info().get("workers", {})), 1) * 2
            for chunk in chunks:
                window.add(client.submit(process_many, chunk, reference_date, version, pure=False))
                while window.count() >= limit:
                    yield next(window).result()
            for future in window:
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    return run


def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, *, reference_date: str | None = None,
        workers: int | None = None, engine: str = "local", scheduler: str | None = None, force: bool = False,
        output_format: str = "csv", progress: bool = True, max_bytes: int = MAX_BYTES) -> RunSummary:
    """Process every article under `inputs` into the tables in `out`."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    version = pipeline_version()
    state = State(folder)
    summary = RunSummary()
    sources: dict[str, str] = {}
    started = time.monotonic()
    inputs = list(inputs)
    meter = _Progress(progress, inputs)

    def pending() -> Iterator[RawDocument]:
        for item in read_inputs(inputs, max_bytes):
            if isinstance(item, InputError):
                summary.input_errors += 1
                state.record_error(item)
                log.warning("%s: %s", item.source, item.message)
            elif not force and state.done(item, version):
                summary.skipped += 1
                meter.update(summary)
            else:
                sources[item.doc_id] = item.source
                yield item

    mapper = _dask_map(scheduler) if engine == "dask" else _local_map(workers or os.cpu_count() or 1)
    try:
        for outcomes in mapper(_chunks(pending(), _CHUNK), reference_date, version):
            for outcome in outcomes:
                doc_id, document_row, rows, text = outcome
                if text or document_row["status"] == "ok":
                    write_text(folder / "text" / f"{doc_id}.txt", text)
                state.record(outcome, sources.pop(doc_id, document_row["source"]))
                if document_row["status"] == "ok":
                    summary.processed += 1
                    summary.chars += int(document_row["raw_chars"])
                else:
                    summary.failed += 1
                    log.warning("%s: %s", document_row["source"], document_row["error"])
                meter.update(summary)
        summary.tables = export(state, folder, output_format)
    finally:
        meter.close()
        state.close()
    summary.seconds = time.monotonic() - started
    return summary


def export(state: State, folder: Path, output_format: str = "csv") -> dict[str, int]:
    """Write every table from the state, each file replaced atomically."""
    counts = {}
    writer, suffix = (write_parquet, ".parquet") if output_format == "parquet" else (write_csv, ".csv")
    for table in TABLE_ORDER:
        counts[table] = writer(folder / f"{table}{suffix}", table, state.rows(table))
    write_datapackage(folder, list(TABLE_ORDER), output_format)
    return counts
