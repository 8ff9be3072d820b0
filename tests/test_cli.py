"""The command line end to end, on the samples in raw/: one run in a fresh process
(`python -m pipeline`, and one on a terminal for the progress bar), the others through
`cli.main` in this process, since starting Python with spaCy costs seconds each."""
from __future__ import annotations

import contextlib
import fcntl
import io
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios

import pytest

from pipeline import cli, read_table
from pipeline.io.schema import MENTION_TABLES

from .conftest import ROOT, SAMPLES


def _run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def _main(*args: str) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` in this process, from the repository's root, as a finished process."""
    stdout, stderr, handler, cwd = io.StringIO(), io.StringIO(), signal.getsignal(signal.SIGTERM), os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = cli.main(list(args))
            except SystemExit as exit:
                code = exit.code
    finally:
        os.chdir(cwd)
        signal.signal(signal.SIGTERM, handler)
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def run_raw(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "extracted"
    result = _run("run", "raw", "--out", str(out), "--workers", "1")
    assert result.returncode == 0, result.stderr
    return out, result


def test_cli_run_writes_every_output(run_raw):
    out, result = run_raw
    for name in ("documents", *MENTION_TABLES, "errors"):
        assert (out / f"{name}.csv").exists()
    assert (out / "datapackage.json").exists()
    assert sorted(p.stem for p in (out / "text").glob("*.txt")) == [p.stem for p in SAMPLES]
    assert "2 processed" in result.stderr


@pytest.mark.parametrize("table", MENTION_TABLES)
def test_cli_offsets_point_at_the_mention(run_raw, table):
    out, _ = run_raw
    rows = read_table(out, table)
    assert len(rows) > 0
    for row in rows.itertuples():
        normalized = (out / "text" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        raw = (ROOT / "raw" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        assert normalized[row.start:row.end] == row.text
        assert normalized[row.start:row.end] in row.sentence
        raw_span = raw[row.raw_start:row.raw_end]
        assert raw_span, row
        # the raw span holds the digits of the mention, whatever was repaired around them
        assert [c for c in raw_span if c.isdigit()] == [c for c in row.text if c.isdigit()]


def test_cli_finds_reference_dates_in_the_text(run_raw):
    out, _ = run_raw
    documents = read_table(out, "documents").set_index("doc_id")
    assert documents.loc["000_a1cd7eec10dd10fd", "reference_date"] == "2025-12-03"
    assert documents.loc["004_0b188ff729d73134", "reference_date"] == "2021"
    assert set(documents["reference_date_source"]) == {"text"}


def test_cli_rerun_is_idempotent(run_raw):
    out, _ = run_raw
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    result = _main("run", "raw", "--out", str(out), "--workers", "1")
    assert result.returncode == 0
    assert "2 already done" in result.stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before


def test_cli_bad_inputs_become_error_rows_and_the_run_goes_on(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.txt").write_text("投入资金1692万元。", encoding="utf-8")
    (source / "empty.txt").write_bytes(b"")
    (source / "feed.jsonl").write_text('{"id": "x", "text": "资金\n', encoding="utf-8")
    result = _main("run", str(source), "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 0
    errors = read_table(tmp_path / "out", "errors")
    assert sorted(e.split(":")[0] for e in errors["error"]) == ["bad_json", "empty"]
    assert read_table(tmp_path / "out", "money")["doc_id"].tolist() == ["good"]


def test_cli_exits_non_zero_only_when_nothing_was_processed(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = _main("run", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "1 inputs could not be processed" in result.stderr
    assert read_table(tmp_path / "out", "errors")["error"].str.startswith("empty").all()


def test_cli_normalize_writes_only_texts(tmp_path):
    result = _main("normalize", "raw", "--out", str(tmp_path))
    assert result.returncode == 0
    assert sorted(p.stem for p in (tmp_path / "text").glob("*.txt")) == [p.stem for p in SAMPLES]
    assert not (tmp_path / "money.csv").exists()


def test_cli_rejects_a_malformed_reference_date(tmp_path):
    result = _main("run", "raw", "--out", str(tmp_path), "--reference-date", "yesterday")
    assert result.returncode == 2
    assert "YYYY" in result.stderr


def test_cli_help_shows_examples():
    result = _main("run", "--help")
    assert "python -m pipeline run raw --out extracted" in result.stdout


def test_cli_help_gives_every_option_its_default():
    result = _main("run", "--help")
    for option in ("--workers", "--time-limit", "--format", "--xlsx", "--force", "--engine", "--scheduler",
                   "--reference-date"):
        block = result.stdout.split(option, 2)[2].split("\n  --")[0]  # its entry, past the usage line
        assert "default" in block, option
    top = _main("--help").stdout
    assert all(command in top for command in ("run", "normalize", "report"))


def test_cli_summary_counts_are_the_tables_and_it_points_at_errors(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.txt").write_text("2021年投入资金1692万元。", encoding="utf-8")
    (source / "empty.txt").write_bytes(b"")
    result = _main("run", str(source), "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 0
    summary = result.stderr[result.stderr.index("1 processed"):]
    for table in ("documents", *MENTION_TABLES, "errors"):
        rows = len(read_table(tmp_path / "out", table))
        assert re.search(rf"^  {table}\.csv +{rows} rows$", summary, re.M), table
    assert f"see {tmp_path / 'out' / 'errors.csv'}" in summary or f"{tmp_path / 'out' / 'errors.csv'}" in summary
    assert "python -m pipeline report" in summary


def test_cli_progress_bar_reaches_100_percent_and_warnings_keep_their_own_lines(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for number in range(3):
        (source / f"{number}.txt").write_text(f"投入资金{number + 1}万元。", encoding="utf-8")
    (source / "feed.jsonl").write_text('{"id": "x", "text": "资\n\n\n{"id": "y", "text": "投入3亿元。"}\n',
                                       encoding="utf-8")
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # 30 rows, 100 columns
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(source), "--out", str(tmp_path / "out"),
                                "--workers", "1"], cwd=ROOT, stderr=terminal, stdout=subprocess.DEVNULL)
    os.close(terminal)
    screen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    process.wait(timeout=120)
    os.close(main)
    parts = re.split(r"\r\n|\r|\n", screen.decode("utf-8", "replace"))
    bars = [part for part in parts if "%|" in part]
    assert bars and bars[-1].startswith("100%") and "5/5" in bars[-1], bars[-3:]
    warning = next(part for part in parts if "is not a JSON object" in part)
    assert warning.startswith("WARNING"), warning  # on a line of its own, not glued to the bar
