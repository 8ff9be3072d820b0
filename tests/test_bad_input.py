"""Nothing lost, nothing stops the run: every input is a documents row or an errors row
with its reason, the summary's counts are the tables', and the run goes on.

One table of cases, each a set of input files (and, where files cannot say it, a
`prepare` step) with the documents and the error kinds it must give; then the output
folder's own hazards: a second run, a switched format, Excel, a kill at any point."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import batch, read_table
from pipeline.batch import run
from pipeline.io import folder as output_folder
from pipeline.io.readers import read_inputs
from pipeline.io.schema import MENTION_TABLES
from pipeline.io.writers import text_path
from pipeline.types import InputError, RawDocument

from .conftest import ROOT

TABLES = ("documents", *MENTION_TABLES, "errors")
ARTICLE = "2021年5月19日，浙江已累计捐资1265万元，建设敬老院39个。"


def _jsonl(*records) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def _unreadable(name: str) -> Callable:
    def prepare(source: Path, monkeypatch) -> None:
        real = Path.read_bytes

        def read_bytes(path):
            if path.name == name:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)
        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return prepare


def _slow(doc_id: str, action: Callable) -> Callable:
    """The article `doc_id` runs `action` in its worker when its chunk is done; what
    `action` raises is that article's outcome, as `api.process_many` gives a stage's
    exception (workers are forked, so they see the patch)."""
    def prepare(source: Path, monkeypatch) -> None:
        real = batch.process_many

        def process_many(documents, reference_date=None):
            results = real(documents, reference_date)
            for index, document in enumerate(documents):
                if document.doc_id == doc_id:
                    try:
                        action()
                    except Exception as error:
                        results[index] = error
            return results
        monkeypatch.setattr(batch, "process_many", process_many)
    return prepare


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes]
    documents: list[str]  # doc_ids processed, in documents.csv
    errors: list[str]  # error kinds in errors.csv
    earlier: dict[str, str | bytes] = field(default_factory=dict)  # an earlier run's files, another folder
    prepare: Callable | None = None
    options: dict = field(default_factory=dict)
    lossy: dict[str, int] = field(default_factory=dict)
    same_place: bool = False  # the earlier run read the same folder (then edited), not another one


CASES = [
    Case("duplicate id keeps its error row", {"feed.jsonl": _jsonl(
        {"id": "a", "text": ARTICLE}, {"id": "a", "text": "另一篇：投入资金3亿元。"})}, ["a"], ["duplicate_id"]),
    Case("same file name in two folders", {"d1/1.html": f"<p>{ARTICLE}</p>", "d2/1.html": "<p>投入3亿元。</p>"},
         ["d1/1", "d2/1"], []),
    Case("JSON Lines id null, missing or blank", {"feed.jsonl": _jsonl(
        {"id": None, "text": ARTICLE}, {"text": "投入3亿元。"}, {"id": " ", "text": "建设敬老院39个。"},
        {"id": 7, "text": "捐资1265万元。"})}, ["7", "feed-1", "feed-2", "feed-3"], []),
    Case("JSON Lines id of another type", {"feed.jsonl": _jsonl(
        {"id": ["x"], "text": ARTICLE}, {"id": True, "text": ARTICLE}, {"id": "ok", "text": ARTICLE})},
         ["ok"], ["bad_id", "bad_id"]),
    Case("another run's article under the same id", {"1.txt": "另一篇：投入资金3亿元。"}, ["1"], ["id_clash"],
         earlier={"1.txt": ARTICLE}),
    Case("a JSON line edited and moved down its file", {"feed.jsonl": _jsonl(
        {"id": "new", "text": "投入3亿元。"}, {"id": "a", "text": "改写后：" + ARTICLE})}, ["a", "new"], [],
         earlier={"feed.jsonl": _jsonl({"id": "a", "text": ARTICLE})}, same_place=True),
    Case("the same article again from another folder", {"1.txt": ARTICLE}, ["1"], [], earlier={"1.txt": ARTICLE}),
    Case("unreadable file", {"good.txt": ARTICLE, "locked.txt": ARTICLE}, ["good"], ["unreadable"],
         prepare=_unreadable("locked.txt")),
    Case("named pipe", {"good.txt": ARTICLE}, ["good"], ["unreadable"],
         prepare=lambda source, _: os.mkfifo(source / "pipe.txt")),
    Case("broken link", {"good.txt": ARTICLE}, ["good"], ["unreadable"],
         prepare=lambda source, _: (source / "gone.txt").symlink_to(source / "nowhere.txt")),
    Case("file name longer than the file system takes", {"新" * 80 + ".txt": ARTICLE}, ["新" * 80], []),
    Case("ids no file could be named", {"feed.jsonl": _jsonl(
        {"id": "长" * 300, "text": ARTICLE}, {"id": "../../escape", "text": ARTICLE},
        {"id": "a\nb", "text": ARTICLE}, {"id": "CON:*?", "text": ARTICLE})},
         ["../../escape", "CON:*?", "a\nb", "长" * 300], []),
    Case("runaway article", {"fast.txt": ARTICLE, "slow.txt": ARTICLE, "zz.txt": ARTICLE}, ["fast", "zz"],
         ["timeout"], prepare=_slow("slow", lambda: time.sleep(60)), options={"time_limit": 2, "workers": 1}),
    Case("worker dies mid-article", {"crash.txt": ARTICLE, "fine.txt": ARTICLE}, ["fine"], ["crashed"],
         prepare=_slow("crash", lambda: os.kill(os.getpid(), signal.SIGKILL))),
    Case("worker dies mid-chunk", {"a.txt": ARTICLE, "b.txt": ARTICLE, "crash.txt": ARTICLE, "fine.txt": ARTICLE},
         ["a", "b", "fine"], ["crashed"], prepare=_slow("crash", lambda: os.kill(os.getpid(), signal.SIGKILL)),
         options={"workers": 1}),  # chunks [a], [b, crash], [fine]: b goes again alone
    Case("article that raises", {"bad.txt": ARTICLE, "fine.txt": ARTICLE}, ["fine"], ["failed"],
         prepare=_slow("bad", lambda: 1 / 0)),
    Case("article that raises mid-chunk", {"a.txt": ARTICLE, "bad.txt": ARTICLE, "fine.txt": ARTICLE},
         ["a", "fine"], ["failed"], prepare=_slow("bad", lambda: 1 / 0), options={"workers": 1}),
    Case("UTF-8 with a stray byte", {"stray.txt": ARTICLE.encode() + b"\xff\xfe" + ARTICLE.encode()},
         ["stray"], [], lossy={"stray": 1}),
    Case("lone surrogate in JSON", {"feed.jsonl": '{"id": "s", "text": "投入\\ud800资金3亿元。"}\n'},
         ["s"], [], lossy={"s": 1}),
    Case("UTF-16 without a byte order mark", {"be.txt": ARTICLE.encode("utf-16-be"), "le.txt": ARTICLE.encode("utf-16-le")},
         ["be", "le"], []),
    Case("empty, binary, undecodable, unsupported", {
        "empty.txt": b"", "binary.txt": bytes(range(256)) * 4, "undecodable.txt": b"\xff\xfe\xfa" + b"\x00\xd8" * 3,
        "good.txt": ARTICLE}, ["good"], ["binary", "empty", "undecodable"]),
    Case("broken JSON Lines", {"feed.jsonl": _jsonl(
        {"id": "ok", "text": ARTICLE}, '{"id": "cut", "text": "资', "[1, 2]", {"id": "none"}, "nan", "{}")},
         ["ok"], ["bad_json", "bad_json", "bad_json", "no_text_field", "no_text_field"]),
]


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_a_row_and_the_run_goes_on(tmp_path, monkeypatch, case):
    out = tmp_path / "out"
    source = tmp_path / "in"
    if case.earlier:
        earlier = source if case.same_place else tmp_path / "earlier"
        _write(earlier, case.earlier)
        run([earlier], out, workers=1, progress=False)
    source.mkdir(exist_ok=True)
    _write(source, case.files)
    if case.prepare:
        case.prepare(source, monkeypatch)
    summary = run([source], out, **{"workers": 1, "progress": False, **case.options})

    documents = read_table(out, "documents")
    errors = read_table(out, "errors")
    assert sorted(documents.loc[documents["status"] == "ok", "doc_id"]) == case.documents
    assert sorted(e.split(":")[0] for e in errors["error"]) == case.errors
    assert all(e and "\n" not in e for e in errors["error"]), "one line each"
    for doc_id in case.documents:
        assert text_path(out, doc_id).is_file()
    for doc_id, lossy in case.lossy.items():
        assert documents.set_index("doc_id").loc[doc_id, "lossy"] >= lossy
    # the summary's counts are the tables'
    assert summary.tables == {table: len(read_table(out, table)) for table in TABLES}
    if not case.earlier:
        assert summary.processed + summary.failed == len(documents)
        assert summary.failed + summary.input_errors == len(errors)


def test_bad_input_error_rows_survive_a_rerun_and_go_when_fixed(tmp_path):
    source = tmp_path / "in"
    _write(source, {"feed.jsonl": _jsonl({"id": "a", "text": ARTICLE}, {"id": "a", "text": "投入3亿元。"}),
                    "empty.txt": b""})
    out = tmp_path / "out"
    first = run([source], out, workers=1, progress=False)
    again = run([source], out, workers=1, progress=False)
    assert (first.tables["errors"], again.tables["errors"], again.skipped) == (2, 2, 1)
    (source / "empty.txt").write_text(ARTICLE, encoding="utf-8")
    fixed = run([source], out, workers=1, progress=False)
    assert [e.split(":")[0] for e in read_table(out, "errors")["error"]] == ["duplicate_id"]
    assert fixed.processed == 1


# ---------------------------------------------------------------- the output folder

@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("corpus")
    for number in range(6):
        (source / f"{number:03d}.txt").write_text(f"{2001 + number}年，投入资金{number + 1}万元，建设敬老院{number}个。",
                                                  encoding="utf-8")
    return source


@pytest.mark.parametrize("first, second", [("csv", "parquet"), ("parquet", "csv")])
def test_output_switching_format_removes_the_other_format(tmp_path, small_corpus, first, second):
    out = tmp_path / "out"
    run([small_corpus], out, workers=1, progress=False, output_format=first, xlsx=True)
    assert (out / "tables.xlsx").exists()
    run([small_corpus], out, workers=1, progress=False, output_format=second)
    suffix = {"csv": ".csv", "parquet": ".parquet"}
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [*(f"{t}{suffix[second]}" for t in TABLES), "datapackage.json", "text"])
    assert len(read_table(out, "money")) == 6


def test_output_a_second_run_on_one_folder_fails_fast(tmp_path, small_corpus):
    out = tmp_path / "out"
    (out / ".pipeline").mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"handle = os.open({str(out / '.pipeline' / 'lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "os.write(handle, b'process 4242, started earlier'); fcntl.lockf(handle, fcntl.LOCK_EX)\n"
        "print('held', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(output_folder.FolderBusy, match="in use by another run .process 4242"):
            run([small_corpus], out, workers=1, progress=False)
        assert time.monotonic() - started < 5
        assert not (out / "documents.csv").exists()
    finally:
        holder.kill()
        holder.wait()
    assert run([small_corpus], out, workers=1, progress=False).processed == 6  # released with its process


def test_output_xlsx_cells_are_text_that_excel_never_evaluates(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import pandas as pd

    hostile = ["=HYPERLINK(\"http://x\",\"点击\")", "+86 10 1234", "-1+1", "@SUM(A1)", "=1+1"]
    records = [{"id": f"{n:03d}", "title": title, "url": title, "text": f"{title}\n投入资金{n + 1}万元。"}
               for n, title in enumerate(hostile)]
    source = tmp_path / "in"
    _write(source, {"feed.jsonl": _jsonl(*records)})
    run([source], tmp_path / "out", workers=1, progress=False, xlsx=True)
    book = openpyxl.load_workbook(tmp_path / "out" / "tables.xlsx")
    cells = [c for row in book["documents"].iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    documents = book["documents"]
    assert [documents.cell(row=r, column=1).value for r in range(2, 7)] == ["000", "001", "002", "003", "004"]
    excel = pd.read_excel(tmp_path / "out" / "tables.xlsx", sheet_name=None, dtype=str, keep_default_na=False)
    assert list(excel["documents"]["title"]) == hostile == list(read_table(tmp_path / "out", "documents")["title"])
    assert set(excel) == set(TABLES) and len(excel["money"]) == 5


def _reference_tables(folder: Path) -> dict[str, list[str]]:
    return {t: sorted(map(str, read_table(folder, t).itertuples(index=False))) for t in TABLES}


class _Killed(BaseException):
    """Stands for SIGKILL inside this process: nothing catches it, nothing cleans up."""


# a kill while the 6 tables are being staged (the k-th one half written), or while the
# journal (1) and then the tables and datapackage.json (2-8) are moved into place
_KILL_POINTS = random.Random(16).sample([("writing", k) for k in range(1, 7)] + [("moving", k) for k in range(1, 9)], 6)


@pytest.fixture(scope="module")
def export_runs(tmp_path_factory, small_corpus):
    """An output folder from an earlier run over other articles, and what the next run must give."""
    base = tmp_path_factory.mktemp("export")
    (base / "old").mkdir()
    (base / "old" / "x.txt").write_text("投入资金3亿元。", encoding="utf-8")
    run([base / "old"], base / "before", workers=1, progress=False)
    run([base / "old", small_corpus], base / "after", workers=1, progress=False)
    return base, _reference_tables(base / "before"), _reference_tables(base / "after")


@pytest.mark.parametrize("stage, at", _KILL_POINTS, ids=[f"{s}-{k}" for s, k in _KILL_POINTS])
def test_output_kill_during_the_export_leaves_one_run_and_resumes(tmp_path, small_corpus, export_runs,
                                                                   monkeypatch, stage, at):
    base, before, after = export_runs
    out = tmp_path / "out"
    shutil.copytree(base / "before", out)
    calls = {"n": 0}

    def dying(real: Callable) -> Callable:
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == at:
                raise _Killed
            return real(*args, **kwargs)
        return call
    if stage == "writing":
        monkeypatch.setitem(batch.FORMATS, "csv", (dying(batch.write_csv), ".csv"))
    else:
        monkeypatch.setattr(output_folder, "os", SimpleNamespace(**{**vars(os), "replace": dying(os.replace)}))
    with pytest.raises(_Killed):
        run([small_corpus], out, workers=1, progress=False)
    monkeypatch.undo()

    assert _reference_tables(out) == (after if stage == "moving" and at > 1 else before)
    run([small_corpus], out, workers=1, progress=False)
    assert _reference_tables(out) == after


def test_output_workers_die_with_their_parent(tmp_path, small_corpus):
    psutil = pytest.importorskip("psutil")
    slow = tmp_path / "slow"
    slow.mkdir()
    for number in range(40):
        (slow / f"{number:03d}.txt").write_text(ARTICLE * 200, encoding="utf-8")
    driver = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(slow), "--out", str(tmp_path / "out"),
                               "--workers", "2"], cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    children = []
    while time.monotonic() < deadline and len(children) < 2:
        children = psutil.Process(driver.pid).children()
        time.sleep(0.1)
    assert len(children) == 2
    driver.kill()
    driver.wait()
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive


# ---------------------------------------------------------------- random input

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600))
def test_random_bytes_are_one_document_or_one_error(tmp_path, data):
    path = tmp_path / "random.txt"
    path.write_bytes(data)
    [item] = list(read_inputs([path]))
    assert isinstance(item, (RawDocument, InputError))
    if isinstance(item, RawDocument):
        item.raw.encode("utf-8")  # whatever was decoded can be written out


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                  max_size=3), max_leaves=6)
_RECORD = st.fixed_dictionaries({}, optional={"id": _JSON | st.text(max_size=300), "text": st.text(max_size=40) | _JSON,
                                               "html": st.text(max_size=40), "title": _JSON, "url": _JSON})
_LINE = st.one_of(_RECORD.map(lambda r: json.dumps(r, ensure_ascii=st_choice_ascii(r))), _JSON.map(json.dumps),
                  st.text(max_size=30).filter(lambda line: "\n" not in line and "\r" not in line))


def st_choice_ascii(record) -> bool:
    return len(str(record)) % 2 == 0  # both escaped and raw non-ASCII text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, max_size=8))
def test_random_json_lines_are_one_row_each(tmp_path, lines):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    items = list(read_inputs([path]))
    assert len(items) == sum(1 for line in path.read_bytes().split(b"\n") if line.strip())
    documents = [i for i in items if isinstance(i, RawDocument)]
    assert len({d.doc_id for d in documents}) == len(documents)
    for document in documents:
        (document.raw + document.doc_id + document.title + document.url).encode("utf-8")
        text_path(tmp_path, document.doc_id).relative_to(tmp_path / "text")


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, min_size=1, max_size=6))
def test_random_json_lines_run_end_to_end(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("random")
    path = folder / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    summary = run([path], folder / "out", workers=1, progress=False)
    assert summary.processed + summary.failed + summary.input_errors == len(list(read_inputs([path])))
