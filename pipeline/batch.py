"""Batch runs: parallel, incremental, resumable, on one machine or a Dask cluster.

State lives in `DIR/.pipeline/state.sqlite`: a document's documents row, its
mention rows and its errors replace any earlier ones in the same transaction, and a
transaction holds whole documents only (a few at a time: a commit costs more than
recording one), so a run killed at any point leaves every document either fully done
or not done, and the next run resumes with what is missing. A document whose content hash and
pipeline version are already recorded is skipped unless `force` is set. One redone
because only extraction rules changed is extracted again from its stored
normalization (text and offset map, kept in the state under its content hash and
`normalization_version()`); segmenting again costs little and follows jieba. Once the
run is over, the tables are exported from the state into a staging folder and
published together (`io.folder`): the tables in DIR always come from one run.

Workers (processes, or Dask tasks) only compute; the driver alone writes. The local
engine hands a chunk of documents at a time (`chunks`: up to 32 documents, a long
article alone) to whichever worker is idle, so a long article holds back no others; a
worker that goes past the time limit, or dies, is replaced, and its chunk's documents
go again one by one: the one that did it becomes an error row. Workers die with the driver.
"""
from __future__ import annotations

import gc
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
import time
import zlib
from collections import deque
from dataclasses import dataclass, field, replace
from importlib import resources
from multiprocessing.connection import wait
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

import numpy as np

from . import __version__
from .api import Result, no_cycle_collection, process, process_many
from .io.folder import STAGING, exclusive, publish
from .io.readers import MAX_BYTES, iter_paths, read_inputs, split_source
from .io.schema import MENTION_TABLES, cells, header
from .io.writers import text_path, write_csv, write_datapackage, write_parquet, write_text, write_xlsx
from .normalize import RULE_FILES as NORMALIZATION_RULES
from .normalize.offsets import OffsetMap
from .types import ErrorKind, InputError, Normalized, RawDocument

log = logging.getLogger("pipeline")

TABLE_ORDER = ("documents", *MENTION_TABLES, "errors")
TIME_LIMIT = 120.0  # seconds for one chunk; a genuine chunk (32 articles) takes well under one
# recorded documents are committed 16 at a time, or half a second after the last commit: a
# kill costs only that much work done again
COMMIT_DOCUMENTS, COMMIT_SECONDS = 16, 0.5
# documents go to a worker in chunks, each stage run over the chunk (`api.process_many`:
# some 15-25% less CPU than one document after another, and 32 at a time 3-5% less than
# 16); at most 32 documents and 100,000 characters, so a huge article is a chunk of its
# own and holds back no others
CHUNK_DOCUMENTS, CHUNK_CHARS = 32, 100_000
FORMATS = {"csv": (write_csv, ".csv"), "parquet": (write_parquet, ".parquet")}
XLSX = "tables.xlsx"


def pipeline_version(names: Iterable[str] | None = None) -> str:
    """The package version plus a digest of the rule files and the models (or of the rule
    files `names`), so edited rules or a retrained model redo documents."""
    digest = hashlib.sha256()
    files = [*resources.files("pipeline.rules").iterdir()]
    if names is None:
        files += [item for item in resources.files("pipeline.models").iterdir() if item.name.endswith(".json")]
    for item in sorted(files, key=lambda p: p.name):
        if item.name.endswith((".yaml", ".txt", ".json")) and (names is None or item.name in names):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


# how the state stores a normalization (`pack_normalization`): 2 since the offsets are stored
# as differences, 3 since it keeps the page's date; a stored normalization of another format
# is made again
NORMALIZATION_FORMAT = 3


def normalization_version() -> str:
    """What a stored normalization depends on: the package, normalization's rule files and
    the format the state stores it in."""
    return f"{pipeline_version(NORMALIZATION_RULES)}+format{NORMALIZATION_FORMAT}"


# ---------------------------------------------------------------- worker side

def _init_worker() -> None:
    """Load the dictionaries, rules and model once per worker, not with its first document,
    then hide them from the cycle collector: they live as long as the worker, and every
    full collection would walk their hundreds of thousands of objects again."""
    process(RawDocument("warm-up", "", "今年5月19日，浙江大学投入资金1265万元。"))
    gc.freeze()


# the normalization as the state stores it: text, offset starts and ends (each as the
# differences of consecutive offsets, zlib), repairs, lossy, dropped_chars, script, page_date
PackedNormalization = tuple[str, bytes, bytes, int, int, int, str, str]


class Outcome(NamedTuple):
    """A document's rows, made by a worker in the form the state keeps them: the driver,
    one process for all workers, only writes."""

    doc_id: str
    document_row: dict[str, Any]
    mentions: dict[str, str]  # each kind that has mentions: their rows' cells as one JSON list
    errors: list[list[str]]  # the errors table's rows as cells
    text: str  # normalized
    fresh: PackedNormalization | None  # the normalization when made anew, to be kept for later runs


def mention_list(rows: list[list[str]]) -> str:
    """A document's rows of one kind as the state keeps them."""
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def pack_normalization(normalized: Normalized) -> PackedNormalization:
    # offsets are mostly runs of consecutive numbers, so their differences are mostly 1:
    # those compress in a third of the time, to a ninth of the bytes (news articles)
    starts, ends = (zlib.compress(np.diff(array, prepend=0).astype(np.int64).tobytes(), 1)
                    for array in (normalized.offsets.starts, normalized.offsets.ends))
    return (normalized.text, starts, ends, normalized.repairs, normalized.lossy, normalized.dropped_chars,
            normalized.script, normalized.page_date)


def process_chunk(documents: list[RawDocument], reference_date: str | None, version: str) -> list[Outcome]:
    """Documents to their rows; one that raised is an error row, the others go on. The
    cycle collector resumes once the results are gone: scanning them cost 2.5% of the
    pipeline's time."""
    with no_cycle_collection():
        return [_outcome(document, result, version)
                for document, result in zip(documents, process_many(documents, reference_date), strict=True)]


def _outcome(document: RawDocument, result: Result | Exception, version: str) -> Outcome:
    if isinstance(result, Exception):
        return _failure(document, version, InputError(document.doc_id, document.source, ErrorKind.FAILED, {
            "stage": getattr(result, "pipeline_stage", "process"), "exception": type(result).__name__,
            "detail": (str(result).splitlines() or [""])[0][:300]}))
    rows: dict[str, list[list[str]]] = {}
    for mention in result.mentions:
        rows.setdefault(mention.kind, []).append(cells(mention.kind, mention.row(document.doc_id)))
    fresh = pack_normalization(result.normalized) if document.normalized is None else None
    return Outcome(document.doc_id, result.document_row(version), {kind: mention_list(kind_rows) for kind, kind_rows
                   in rows.items()}, [], result.normalized.text, fresh)


def _failure(document: RawDocument, version: str, failure: InputError) -> Outcome:
    row = {"doc_id": document.doc_id, "source": document.source, "url": document.url,
           "title": document.title, "published": document.published, "encoding": document.encoding,
           "raw_chars": len(document.raw), "content_hash": document.content_hash,
           "pipeline_version": version, "status": "error", "error": failure.message,
           "reference_date_source": "none"}
    return Outcome(document.doc_id, row, {}, [cells("errors", failure.row())], "", None)


def _die_with_parent(parent: int) -> None:
    """End this worker when the driver ends, even by SIGKILL (Linux: the kernel sends
    the signal; elsewhere a thread watches the parent)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent was gone before the line above
            os._exit(1)
        return
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _worker_main(connection, parent: int, reference_date: str | None, version: str) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    _init_worker()
    connection.send(None)  # ready: the time limit counts from here, not from the warm-up
    while True:
        try:
            chunk = connection.recv()
        except EOFError:
            return
        if chunk is None:
            return
        connection.send(process_chunk(chunk, reference_date, version))


# ---------------------------------------------------------------- the local engine

def chunks(documents: Iterable[RawDocument], workers: int) -> Iterator[list[RawDocument]]:
    """The documents in chunks of at most CHUNK_DOCUMENTS and CHUNK_CHARS (a longer document
    alone). A run's first chunks are smaller, one document then 2, 4, 8 for each worker, so
    a run of a few documents still spreads them over every worker.

    >>> [len(c) for c in chunks((RawDocument(str(n), "", "文" * 10) for n in range(40)), workers=2)]
    [1, 1, 2, 2, 4, 4, 8, 8, 10]
    """
    chunk: list[RawDocument] = []
    chars = handed = 0
    for document in documents:
        if chunk and chars + len(document.raw) > CHUNK_CHARS:
            yield chunk
            chunk, chars, handed = [], 0, handed + 1
        chunk.append(document)
        chars += len(document.raw)
        if len(chunk) >= min(CHUNK_DOCUMENTS, 2 ** (handed // workers)) or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars, handed = [], 0, handed + 1
    if chunk:
        yield chunk


@dataclass
class _Worker:
    process: Any
    connection: Any
    chunk: list[RawDocument] | None = None
    started: float = 0.0
    ready: bool = False  # warmed up; until then its chunk's clock does not run


class LocalPool:
    """Worker processes fed one chunk at a time, each with a time limit.

    A chunk of several documents whose worker died or ran out of time goes back one
    document a chunk: only the document that did it becomes an error row.
    """

    def __init__(self, workers: int, reference_date: str | None, version: str,
                 time_limit: float | None) -> None:
        self.size = max(workers, 1)
        self.arguments = (os.getpid(), reference_date, version)
        self.time_limit = time_limit or None
        self.context = multiprocessing.get_context()
        self.workers: list[_Worker] = []
        self.pending: Iterator[list[RawDocument]] = iter(())
        self.again: deque[list[RawDocument]] = deque()  # the documents of a failed chunk, one by one

    def _start(self) -> _Worker:
        ours, theirs = self.context.Pipe()
        worker = self.context.Process(target=_worker_main, args=(theirs, *self.arguments), daemon=True)
        worker.start()
        theirs.close()  # the worker's end lives in the worker only: no other process inherits it
        return _Worker(worker, ours)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join()
        worker.connection.close()
        fresh = self._start()
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def map(self, documents: Iterator[RawDocument]) -> Iterator[list[Outcome]]:
        """The outcomes of each chunk as it comes back (none, for a chunk gone back one by one)."""
        version = self.arguments[2]
        self.workers = [self._start() for _ in range(self.size)]
        self.pending = chunks(documents, self.size)
        try:
            for worker in self.workers:
                self._feed(worker)
            while busy := [w for w in self.workers if w.chunk is not None]:
                timed = [w for w in busy if w.ready]
                timeout = None
                if self.time_limit and timed:
                    timeout = max(min(w.started for w in timed) + self.time_limit - time.monotonic(), 0)
                ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout))
                for worker in busy:
                    chunk = worker.chunk
                    if worker.connection in ready:
                        try:
                            outcomes = worker.connection.recv()
                        except (EOFError, OSError):
                            outcomes = self._crash(worker, chunk, version)
                        else:
                            if outcomes is None:  # warmed up
                                worker.ready, worker.started = True, time.monotonic()
                                continue
                            worker.chunk = None
                            self._feed(worker)  # before the outcomes are written: no worker waits on the driver
                    elif worker.process.sentinel in ready:
                        outcomes = self._crash(worker, chunk, version)
                    elif (self.time_limit and worker.ready
                          and time.monotonic() - worker.started >= self.time_limit):
                        outcomes = self._fail(chunk, lambda document: _failure(document, version, InputError(
                            document.doc_id, document.source, ErrorKind.TIMEOUT, {"limit": self.time_limit})))
                        self._feed(self._replace(worker))
                    else:
                        continue
                    if outcomes:
                        yield outcomes
        finally:
            self.close()

    def _feed(self, worker: _Worker) -> None:
        chunk = self.again.popleft() if self.again else next(self.pending, None)
        if chunk is not None:
            worker.connection.send(chunk)
            worker.chunk, worker.started = chunk, time.monotonic()

    def _fail(self, chunk: list[RawDocument], failure: Callable[[RawDocument], Outcome]) -> list[Outcome]:
        """A lone document's error row; a chunk's documents are tried again one by one."""
        if len(chunk) == 1:
            return [failure(chunk[0])]
        self.again.extend([document] for document in chunk)
        return []

    def _crash(self, worker: _Worker, chunk: list[RawDocument], version: str) -> list[Outcome]:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        reason = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        outcomes = self._fail(chunk, lambda document: _failure(document, version, InputError(
            document.doc_id, document.source, ErrorKind.CRASHED, {"reason": reason})))
        self._feed(self._replace(worker))
        return outcomes

    def close(self) -> None:
        for worker in self.workers:
            if worker.chunk is None and worker.process.is_alive():
                try:
                    worker.connection.send(None)
                except OSError:
                    pass
        for worker in self.workers:
            worker.process.join(timeout=2 if worker.chunk is None else 0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self.workers = []


def _dask_map(scheduler: str | None, reference_date: str | None, version: str) -> Callable:
    def run(documents: Iterator[RawDocument]) -> Iterator[list[Outcome]]:
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
            # one chunk a task, a few in flight per worker: none waits behind a long one
            workers = max(len(client.scheduler_info().get("workers", {})), 1)
            for chunk in chunks(documents, workers):
                window.add(client.submit(process_chunk, chunk, reference_date, version, pure=False))
                while window.count() >= workers * 4:
                    yield next(window).result()
            for future in window:
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    return run


# ---------------------------------------------------------------- driver side

# how the state keeps the tables (SQLite's user_version): 2 since a document's mentions of a
# kind are one JSON list of their rows, in one row of `mentions` for the document (a row a
# mention cost the driver twice the CPU), 3 since a normalization keeps the page's date; an
# older state is converted when opened
STATE_FORMAT = 3


class StateTooNew(RuntimeError):
    """The state was written by a newer version of the pipeline."""


class State:
    """The SQLite store behind the tables: every cell kept as its CSV text, a document's
    mentions of each kind as one JSON list of rows."""

    def __init__(self, folder: Path) -> None:
        (folder / ".pipeline").mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(folder / ".pipeline" / "state.sqlite")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        state_format = self.db.execute("PRAGMA user_version").fetchone()[0]
        if state_format > STATE_FORMAT:
            self.db.close()
            raise StateTooNew(f"{folder}: the state is of format {state_format}, written by a newer pipeline; "
                              f"this one reads format {STATE_FORMAT} at most")
        for table in ("documents", "errors"):
            columns = ", ".join(f'"{name}" TEXT' for name in header(table))
            self.db.execute(f'CREATE TABLE IF NOT EXISTS "{table}" (seq INTEGER PRIMARY KEY, {columns})')
        self.db.execute('CREATE INDEX IF NOT EXISTS "documents_doc" ON "documents" (doc_id)')
        kinds = ", ".join(f'"{kind}" TEXT' for kind in MENTION_TABLES)
        self.db.execute(f"CREATE TABLE IF NOT EXISTS mentions (doc_id TEXT PRIMARY KEY, {kinds})")
        # each document's normalization, for re-runs whose normalization rules are unchanged
        self.db.execute("CREATE TABLE IF NOT EXISTS normalized (doc_id TEXT PRIMARY KEY, content_hash TEXT, "
                        "version TEXT, text TEXT, starts BLOB, ends BLOB, repairs INTEGER, lossy INTEGER, "
                        "dropped_chars INTEGER, script TEXT, page_date TEXT)")
        self.db.execute('CREATE INDEX IF NOT EXISTS "errors_source" ON "errors" (source)')
        self.db.execute('CREATE INDEX IF NOT EXISTS "errors_doc" ON "errors" (doc_id)')
        if state_format < STATE_FORMAT:
            self._convert_mention_rows()
            if "page_date" not in {column[1] for column in self.db.execute("PRAGMA table_info(normalized)")}:
                # format 2's normalizations are of NORMALIZATION_FORMAT 2, never read again
                self.db.execute("ALTER TABLE normalized ADD COLUMN page_date TEXT")
            self.db.execute(f"PRAGMA user_version = {STATE_FORMAT}")
        self.db.commit()
        self.uncommitted, self.committed_at = 0, time.monotonic()

    def _convert_mention_rows(self) -> None:
        """Format 1 kept a table of each kind, a row a mention: each document's rows go into
        its JSON list, in their order, under the columns of today (a column it did not have
        yet is empty), and the table goes."""
        held = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for kind in MENTION_TABLES:
            if kind not in held:
                continue
            rows = self.db.execute(f'SELECT * FROM "{kind}" ORDER BY doc_id, seq')
            names = [column[0] for column in rows.description]
            places = [names.index(name) if name in names else None for name in header(kind)]
            doc_id = names.index("doc_id")
            for document, document_rows in itertools.groupby(rows, key=itemgetter(doc_id)):
                cells_of = [["" if place is None else row[place] for place in places] for row in document_rows]
                self.db.execute(f'INSERT INTO mentions (doc_id, "{kind}") VALUES (?, ?) ON CONFLICT (doc_id) '
                                f'DO UPDATE SET "{kind}" = excluded."{kind}"', (document, mention_list(cells_of)))
            self.db.execute(f'DROP TABLE "{kind}"')

    def holder(self, doc_id: str) -> tuple[str, str, str, str] | None:
        """Source, content hash, pipeline version and status recorded for `doc_id`."""
        return self.db.execute('SELECT source, content_hash, pipeline_version, status FROM documents '
                               'WHERE doc_id = ?', (doc_id,)).fetchone()

    def normalization(self, document: RawDocument, version: str) -> Normalized | None:
        """The stored normalization of this raw text under normalization `version`, if any."""
        row = self.db.execute("SELECT text, starts, ends, repairs, lossy, dropped_chars, script, page_date FROM normalized "
                              "WHERE doc_id = ? AND content_hash = ? AND version = ?",
                              (document.doc_id, document.content_hash, version)).fetchone()
        if row is None:
            return None
        text, starts, ends, repairs, lossy, dropped_chars, script, page_date = row
        offsets = OffsetMap(*(np.cumsum(np.frombuffer(zlib.decompress(blob), dtype=np.int64))
                              for blob in (starts, ends)))
        return Normalized(text, offsets, repairs, lossy, dropped_chars, script, page_date)

    def _insert(self, table: str, rows: Iterable[list[str]]) -> None:
        columns = header(table)
        placeholders = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        self.db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({placeholders})', rows)

    def forget_read_errors(self, inputs: list[Path]) -> None:
        """The inputs are read anew: the read errors of everything under them go (and
        come back from this reading if they still hold)."""
        def under_inputs(source: str) -> bool:
            path = Path(split_source(source)[0])
            return any(path == root or root in path.parents for root in inputs)

        stale = [(seq,) for seq, source in self.db.execute("SELECT seq, source FROM errors WHERE stage = 'read'")
                 if under_inputs(source)]
        with self.db:
            self.db.executemany("DELETE FROM errors WHERE seq = ?", stale)

    def record(self, outcomes: list[Outcome], normalization_version: str) -> None:
        """Replace the documents' rows in the open transaction, a statement per table for
        them all (a chunk's documents have distinct ids); `commit` commits them whole (a
        run that dies first does them again)."""
        doc_ids = [outcome.doc_id for outcome in outcomes]
        sources = [outcome.document_row["source"] for outcome in outcomes]
        marks = ", ".join("?" for _ in outcomes)
        for table in ("documents", "mentions"):
            self.db.execute(f'DELETE FROM "{table}" WHERE doc_id IN ({marks})', doc_ids)
        # the read errors of other inputs with this id stay
        self.db.execute(f"DELETE FROM errors WHERE stage != 'read' AND (doc_id IN ({marks}) OR source IN ({marks}))",
                        doc_ids + sources)
        self.db.executemany("INSERT OR REPLACE INTO normalized VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(outcome.doc_id, outcome.document_row["content_hash"], normalization_version,
                              *outcome.fresh) for outcome in outcomes if outcome.fresh is not None])
        self._insert("documents", [cells("documents", outcome.document_row) for outcome in outcomes])
        self.db.executemany(f"INSERT INTO mentions VALUES (?, {', '.join('?' for _ in MENTION_TABLES)})",
                            [(outcome.doc_id, *map(outcome.mentions.get, MENTION_TABLES))
                             for outcome in outcomes if outcome.mentions])
        self._insert("errors", [row for outcome in outcomes for row in outcome.errors])
        self.uncommitted += len(outcomes)
        if self.uncommitted >= COMMIT_DOCUMENTS or time.monotonic() - self.committed_at >= COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self.uncommitted, self.committed_at = 0, time.monotonic()

    def record_error(self, error: InputError) -> None:
        self.db.execute("DELETE FROM errors WHERE source = ? AND doc_id = ? AND stage = 'read'",
                        (error.source, error.doc_id))
        self._insert("errors", [cells("errors", error.row())])
        self.commit()

    def rows(self, table: str) -> Iterator[Sequence[str]]:
        """The table's rows as their cells, in column order."""
        if table in MENTION_TABLES:
            lists = self.db.execute(f'SELECT "{table}" FROM mentions WHERE "{table}" IS NOT NULL ORDER BY doc_id')
            return (row for (rows,) in lists for row in json.loads(rows))
        names = ", ".join(f'"{c}"' for c in header(table))
        order = "doc_id, seq" if table != "errors" else "source, seq"
        return self.db.execute(f'SELECT {names} FROM "{table}" ORDER BY {order}')

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
    for item in iter_paths(inputs):
        if isinstance(item, InputError):
            total += 1
        elif item.path.suffix.lower() == ".jsonl":
            try:
                with open(item.path, "rb") as lines:
                    total += sum(block.count(b"\n") for block in iter(lambda: lines.read(1 << 20), b""))
            except OSError:
                total += 1
        else:
            total += 1
    return total


class _Progress:
    """A bar on a terminal (inputs done, characters per second, time left), a log line
    every few seconds otherwise. Log lines printed meanwhile go above the bar."""

    def __init__(self, enabled: bool, inputs: list) -> None:
        self.bar = None
        self.handler = None
        self.started = self.last = time.monotonic()
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=count_inputs(inputs), unit="doc", dynamic_ncols=True, file=sys.stderr)
            self.handler = _BarHandler(self.bar)
            self.hidden = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
            for handler in self.hidden:
                logging.getLogger().removeHandler(handler)
            logging.getLogger().addHandler(self.handler)

    def update(self, summary: RunSummary, documents: int = 1) -> None:
        """`documents` more are accounted for."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = f"{summary.chars / elapsed / 1000:.0f}k chars/s"
        if self.bar is not None:
            if self.bar.n + documents > self.bar.total:  # the estimate was short: never past 100%
                self.bar.total = self.bar.n + documents
            self.bar.update(documents)
            self.bar.set_postfix_str(rate, refresh=False)
        elif time.monotonic() - self.last > 5:
            self.last = time.monotonic()
            log.info("%d documents processed, %d skipped, %d failed, %s",
                     summary.processed, summary.skipped, summary.failed, rate)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.total = self.bar.n  # every input is accounted for: the bar ends at 100%
            self.bar.refresh()
            self.bar.close()
            logging.getLogger().removeHandler(self.handler)
            for handler in self.hidden:
                logging.getLogger().addHandler(handler)


class _BarHandler(logging.Handler):
    def __init__(self, bar) -> None:
        super().__init__()
        self.bar = bar
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.bar.write(self.format(record), file=sys.stderr)


def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, *, reference_date: str | None = None,
        workers: int | None = None, engine: str = "local", scheduler: str | None = None, force: bool = False,
        output_format: str = "csv", xlsx: bool = False, progress: bool = True, max_bytes: int = MAX_BYTES,
        time_limit: float | None = TIME_LIMIT) -> RunSummary:
    """Process every article under `inputs` into the tables in `out`.

    Raises `io.folder.FolderBusy` at once when another run is writing to `out`.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    inputs = [Path(item) for item in inputs]
    with exclusive(folder):
        state = State(folder)
        try:
            return _run(inputs, folder, state, reference_date=reference_date, workers=workers, engine=engine,
                        scheduler=scheduler, force=force, output_format=output_format, xlsx=xlsx,
                        progress=progress, max_bytes=max_bytes, time_limit=time_limit)
        finally:
            state.close()


def _run(inputs: list[Path], folder: Path, state: State, *, reference_date, workers, engine, scheduler, force,
         output_format, xlsx, progress, max_bytes, time_limit) -> RunSummary:
    version, normalizing = pipeline_version(), normalization_version()
    summary = RunSummary()
    started = time.monotonic()
    meter = _Progress(progress, inputs)
    state.forget_read_errors(inputs)

    def input_error(error: InputError) -> None:
        summary.input_errors += 1
        state.record_error(error)
        log.warning("%s: %s", error.source, error.message)
        meter.update(summary)

    def pending() -> Iterator[RawDocument]:
        for item in read_inputs(inputs, max_bytes):
            if isinstance(item, InputError):
                input_error(item)
                continue
            holder = state.holder(item.doc_id)
            if holder is not None:
                source, content_hash, recorded_version, status = holder
                # another file, other text: two articles claim one id (a JSON line that moved within
                # its file, or a file edited in place, is the same article changed)
                other_file = split_source(source)[0] != split_source(item.source)[0]
                if other_file and content_hash != item.content_hash and not force:
                    input_error(InputError(item.doc_id, item.source, ErrorKind.ID_CLASH, {"first": source}))
                    continue
                if not force and (content_hash, recorded_version, status) == (item.content_hash, version, "ok"):
                    summary.skipped += 1
                    meter.update(summary)
                    continue
                if not force:  # only the extraction rules changed: extract again from the stored text
                    item = replace(item, normalized=state.normalization(item, normalizing))
            yield item

    if engine == "dask":
        outcomes = _dask_map(scheduler, reference_date, version)(pending())
    else:
        outcomes = LocalPool(workers or os.cpu_count() or 1, reference_date, version, time_limit).map(pending())
    try:
        for chunk in outcomes:
            for outcome in chunk:
                if outcome.document_row["status"] == "ok":
                    # no fsync per document, as the state's own commits (synchronous=NORMAL)
                    write_text(text_path(folder, outcome.doc_id), outcome.text, durable=False)
                    summary.processed += 1
                    summary.chars += int(outcome.document_row["raw_chars"])
                else:
                    summary.failed += 1
                    log.warning("%s: %s", outcome.document_row["source"], outcome.document_row["error"])
            state.record(chunk, normalizing)
            meter.update(summary, len(chunk))
        state.commit()
    finally:
        outcomes.close()
        meter.close()
    summary.tables = export(state, folder, output_format, xlsx)
    summary.seconds = time.monotonic() - started
    return summary


def export(state: State, folder: Path, output_format: str = "csv", xlsx: bool = False) -> dict[str, int]:
    """Write every table from the state into a staging folder, then publish them together;
    the tables of the other format (and an Excel workbook not asked for) are removed."""
    staging = folder / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    writer, suffix = FORMATS[output_format]
    counts = {table: writer(staging / f"{table}{suffix}", table, state.rows(table)) for table in TABLE_ORDER}
    write_datapackage(staging, list(TABLE_ORDER), output_format)
    names = [f"{table}{suffix}" for table in TABLE_ORDER]
    if xlsx:
        write_xlsx(staging / XLSX, {table: state.rows(table) for table in TABLE_ORDER})
        names.append(XLSX)
    stale = [f"{table}{other}" for _, other in FORMATS.values() if other != suffix for table in TABLE_ORDER]
    publish(folder, [*names, "datapackage.json"], [*stale, XLSX])
    return counts
