"""Batch runs: resumable after a kill, incremental, and the same on Dask as locally."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from pipeline import read_table
from pipeline.batch import STATE_FORMAT, run
from pipeline.io.schema import MENTION_TABLES, header

from .conftest import ROOT, SAMPLES

TABLES = ("documents", *MENTION_TABLES, "errors")


def _corpus(folder, count: int) -> None:
    """`count` articles made from the samples' sentences, each a little different."""
    sentences = [s for p in SAMPLES for s in p.read_text(encoding="utf-8").split("。") if len(s) > 10]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        body = "。".join(sentences[(number * 7 + k) % len(sentences)] for k in range(6))
        (folder / f"{number:06d}.txt").write_text(f"{2000 + number % 25}年{number % 12 + 1}月，投入资金{number}万元。{body}。",
                                                 encoding="utf-8")


def _tables(folder) -> dict[str, list[str]]:
    """Each table's rows, sorted (row order follows completion order across workers)."""
    out = {}
    for table in TABLES:
        lines = (folder / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()
        out[table] = [lines[0]] + sorted(_stable(table, line) for line in lines[1:])
    return out


def _stable(table: str, line: str) -> str:
    # documents rows name their source path, which differs between the two corpora copies
    return line.split(",")[0] if table == "documents" else line


@pytest.mark.parametrize("seed", [7])
def test_batch_killed_run_resumes_with_nothing_lost_or_duplicated(tmp_path, seed):
    kill_after = random.Random(seed).randrange(10, 70)  # documents done when the run is killed
    corpus = tmp_path / "corpus"
    _corpus(corpus, 100)
    reference = tmp_path / "reference"
    run([corpus], reference, workers=1, progress=False)

    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out),
                                "--workers", "1"], cwd=ROOT, stderr=subprocess.DEVNULL)
    state = out / ".pipeline" / "state.sqlite"
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists():
            try:
                with sqlite3.connect(state, timeout=1) as db:
                    done = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
            if done >= kill_after:
                break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert kill_after <= done < 100, "the run must be killed halfway"

    summary = run([corpus], out, workers=2, progress=False)
    assert summary.skipped >= done and summary.processed + summary.skipped == 100
    assert _tables(out) == _tables(reference)


def test_batch_adds_new_documents_without_redoing_old_ones(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 5)
    out = tmp_path / "out"
    first = run([corpus], out, workers=1, progress=False)
    (corpus / "new.txt").write_text("新增投入资金1692万元。", encoding="utf-8")
    (corpus / "000001.txt").write_text("改写后的文章，投入资金3亿元。", encoding="utf-8")
    second = run([corpus], out, workers=1, progress=False)
    assert (first.processed, second.processed, second.skipped) == (5, 2, 4)
    forced = run([corpus], out, workers=1, progress=False, force=True)
    assert forced.processed == 6


def _back_to_state_format_1(state, left_out: str | None) -> None:
    """Turn a state into format 1, as releases before format 2 kept it: a table of each kind,
    a row a mention (without the column `left_out`, as a release before that column)."""
    with sqlite3.connect(state) as db:
        for kind in MENTION_TABLES:
            names = [name for name in header(kind) if name != left_out]
            places = [header(kind).index(name) for name in names]
            columns = ", ".join(f'"{name}" TEXT' for name in names)
            db.execute(f'CREATE TABLE "{kind}" (seq INTEGER PRIMARY KEY, {columns})')
            lists = db.execute(f'SELECT "{kind}" FROM mentions WHERE "{kind}" IS NOT NULL ORDER BY doc_id').fetchall()
            db.executemany(f'INSERT INTO "{kind}" ({", ".join(names)}) VALUES ({", ".join("?" for _ in names)})',
                           [[row[place] for place in places] for (rows,) in lists for row in json.loads(rows)])
        db.execute("DROP TABLE mentions")
        db.execute("PRAGMA user_version = 0")


@pytest.mark.parametrize("left_out", [None, "rule"])
def test_batch_a_state_of_format_1_is_converted_and_nothing_is_lost(tmp_path, left_out):
    corpus, out, fresh = tmp_path / "corpus", tmp_path / "out", tmp_path / "fresh"
    _corpus(corpus, 5)
    run([corpus], out, workers=1, progress=False)
    _back_to_state_format_1(out / ".pipeline" / "state.sqlite", left_out)
    (corpus / "new.txt").write_text("新增投入资金1692万元。", encoding="utf-8")
    summary = run([corpus], out, workers=1, progress=False)
    run([corpus], fresh, workers=1, progress=False)
    assert (summary.processed, summary.skipped) == (1, 5)
    for kind in MENTION_TABLES:
        expected = read_table(fresh, kind)
        if left_out:  # the old documents' rows have that column empty
            expected.loc[expected["doc_id"] != "new", left_out] = ""
        assert read_table(out, kind).to_dict("records") == expected.to_dict("records")
    with sqlite3.connect(out / ".pipeline" / "state.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == STATE_FORMAT


def test_batch_a_state_of_format_2_is_converted_and_its_normalizations_made_again(tmp_path):
    """Format 2 kept no page date with a normalization: the column comes, and a run over the
    converted state gives what a fresh run gives, the page's date included."""
    corpus, out, fresh = tmp_path / "corpus", tmp_path / "out", tmp_path / "fresh"
    _corpus(corpus, 3)
    (corpus / "page.txt").write_text("国务院常务会议召开\n2019年02月02日03:18  来源：人民网\n昨天，国务院常务会议召开。",
                                     encoding="utf-8")
    run([corpus], out, workers=1, progress=False)
    with sqlite3.connect(out / ".pipeline" / "state.sqlite") as db:
        db.execute("ALTER TABLE normalized DROP COLUMN page_date")
        db.execute("UPDATE normalized SET version = replace(version, '+format3', '+format2')")
        db.execute("PRAGMA user_version = 2")
    summary = run([corpus], out, workers=1, progress=False, force=True)
    run([corpus], fresh, workers=1, progress=False)
    assert summary.processed == 4
    for kind in MENTION_TABLES:
        assert read_table(out, kind).to_dict("records") == read_table(fresh, kind).to_dict("records")
    assert read_table(out, "dates").query("doc_id == 'page'")["value"].tolist() == ["2019-02-01"]
    with sqlite3.connect(out / ".pipeline" / "state.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == STATE_FORMAT


def test_batch_a_state_a_newer_pipeline_wrote_stops_the_run_with_one_line(tmp_path):
    _corpus(tmp_path / "corpus", 1)
    run([tmp_path / "corpus"], tmp_path / "out", workers=1, progress=False)
    with sqlite3.connect(tmp_path / "out" / ".pipeline" / "state.sqlite") as db:
        db.execute(f"PRAGMA user_version = {STATE_FORMAT + 1}")
    finished = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "corpus"), "--out",
                               str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True)
    assert finished.returncode == 3
    assert finished.stderr.strip() == (f"error: {tmp_path / 'out'}: the state is of format {STATE_FORMAT + 1}, "
                                       f"written by a newer pipeline; this one reads format {STATE_FORMAT} at most")


def test_batch_a_failing_document_is_an_error_row(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 3)

    from pipeline import batch

    real = batch.process_many

    def flaky(documents, reference_date=None):
        return [ValueError("boom\nsecond line") if document.doc_id == "000001" else result
                for document, result in zip(documents, real(documents, reference_date))]

    monkeypatch.setattr(batch, "process_many", flaky)
    summary = run([corpus], tmp_path / "out", workers=1, progress=False)
    assert (summary.processed, summary.failed) == (2, 1)
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig").splitlines()
    assert errors[1] == f"000001,{corpus / '000001.txt'},process,failed: ValueError: boom"


def test_batch_dask_engine_writes_what_the_local_engine_writes(tmp_path):
    distributed = pytest.importorskip("distributed")
    corpus = tmp_path / "corpus"
    _corpus(corpus, 30)
    run([corpus], tmp_path / "local", workers=1, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        run([corpus], tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address, progress=False)
    assert _tables(tmp_path / "dask") == _tables(tmp_path / "local")


def test_batch_a_slow_article_holds_back_no_other(tmp_path, monkeypatch):
    """Chunks go to whichever worker is idle, a run's first chunk one document: while one
    worker is on a long article, the other does every other document."""
    corpus = tmp_path / "corpus"
    _corpus(corpus, 10)
    from pipeline import batch

    real = batch.process_many

    def process_many(documents, reference_date=None):
        if any(document.doc_id == "000000" for document in documents):
            time.sleep(3)  # stands for a huge article; workers are forked, so they see the patch
        return real(documents, reference_date)

    monkeypatch.setattr(batch, "process_many", process_many)
    order = []
    record = batch.State.record
    monkeypatch.setattr(batch.State, "record", lambda state, outcomes, *rest: (
        order.extend(outcome[0] for outcome in outcomes), record(state, outcomes, *rest)))
    run([corpus], tmp_path / "out", workers=2, progress=False)
    assert order[-1] == "000000" and len(order) == 10


def _normalize_only_the_warm_up(raw, *args):
    from pipeline.normalize import normalize

    if len(raw) > 100:  # a corpus article (a worker's warm-up article is one short sentence)
        raise AssertionError("normalized again")
    return normalize(raw, *args)


@pytest.mark.parametrize("edited, failed", [
    ("extraction", 0),  # only extraction rules changed: every article extracted again from its stored text
    ("normalization", 6),  # normalization rules changed: every article normalized again
])
def test_batch_rerun_after_a_rule_edit_normalizes_again_only_when_normalization_changed(
        tmp_path, monkeypatch, edited, failed):
    from pipeline import api, batch

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    _corpus(corpus, 6)
    run([corpus], out, workers=1, progress=False)
    before = _tables(out)
    version = batch.pipeline_version
    monkeypatch.setattr(batch, "pipeline_version", lambda names=None: version(names) + (
        ".edited" if names is None or edited == "normalization" else ""))
    monkeypatch.setattr(api, "normalize", _normalize_only_the_warm_up)  # workers are forked: they see the patch
    summary = run([corpus], out, workers=1, progress=False)
    assert (summary.processed, summary.failed) == (6 - failed, failed)
    if not failed:
        assert {table: rows for table, rows in _tables(out).items() if table != "documents"} == \
            {table: rows for table, rows in before.items() if table != "documents"}


@pytest.mark.parametrize("raw, markup", [
    ("", "text"),  # no text at all
    ("资金到位。", "text"),  # nothing changed: every offset its own
    ("<p>浙江大學&amp;網(wǎng)站</p>", "html"),  # markup and pinyin dropped, an entity read, traditional forms
    *((path.read_text(encoding="utf-8"), "text") for path in SAMPLES),  # mojibake, PDF wraps
])
def test_batch_state_gives_back_the_normalization_it_stored(tmp_path, raw, markup):
    from pipeline.api import process
    from pipeline.batch import State, _outcome, normalization_version
    from pipeline.types import RawDocument

    document = RawDocument("d1", "d1.txt", raw, markup=markup, content_hash="h")
    made = process(document).normalized
    state = State(tmp_path)
    state.record([_outcome(document, process(document), "v")], normalization_version())
    stored = state.normalization(document, normalization_version())
    assert (stored.text, stored.offsets.starts.tolist(), stored.offsets.ends.tolist()) == (
        made.text, made.offsets.starts.tolist(), made.offsets.ends.tolist())
    assert (stored.repairs, stored.lossy, stored.dropped_chars, stored.script) == (
        made.repairs, made.lossy, made.dropped_chars, made.script)


def test_batch_normalization_rule_files_list_every_file_normalization_reads(monkeypatch):
    """A stored normalization is re-used while these files are unchanged, so none may be missing."""
    from pipeline import ruleset
    from pipeline.normalize import RULE_FILES, normalize

    read, rule_file = set(), ruleset.rule_file
    monkeypatch.setattr(ruleset, "rule_file", lambda name: (read.add(name), rule_file(name))[1])
    ruleset.reload()
    try:
        for sample in SAMPLES:
            normalize(sample.read_text(encoding="utf-8"))
    finally:
        monkeypatch.undo()
        ruleset.reload()
    assert read and read <= set(RULE_FILES)


def test_batch_a_retrained_model_redoes_documents_and_keeps_their_normalization(tmp_path, monkeypatch):
    """The organization model is part of the pipeline version, as the rule files are
    (an incremental run after retraining extracts every document again); normalization
    does not read it."""
    import shutil
    from importlib import resources

    from pipeline import batch

    models = tmp_path / "models"
    shutil.copytree(resources.files("pipeline.models"), models)
    files = resources.files
    monkeypatch.setattr(resources, "files", lambda package: models if package == "pipeline.models" else files(package))
    before = batch.pipeline_version(), batch.normalization_version()
    model = models / "organizations.json"
    model.write_bytes(model.read_bytes() + b" ")
    assert batch.pipeline_version() != before[0] and batch.normalization_version() == before[1]


@pytest.mark.parametrize("module", ["pandas", "spacy"])
def test_batch_a_run_imports_no_library_only_the_tools_need(tmp_path, module):
    """The driver of `python -m pipeline run`, and what a worker runs, never import pandas (0.3 s
    and 40 MB a process, for `read_table` and the tools) or spaCy (for `to_doc`)."""
    _corpus(tmp_path / "corpus", 2)
    script = (f"import sys; from pipeline.cli import main; from pipeline.api import process; "
              f"from pipeline.types import RawDocument; main(['run', sys.argv[1], '--out', sys.argv[2], "
              f"'--workers', '1']); process(RawDocument('d', '', '今年投入资金1265万元。')); "
              f"print({module!r} in sys.modules)")
    finished = subprocess.run([sys.executable, "-c", script, str(tmp_path / "corpus"), str(tmp_path / "out")],
                              cwd=ROOT, capture_output=True, text=True, check=True)
    assert finished.stdout.strip() == "False"
