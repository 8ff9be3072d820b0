"""The HTML report and the README's column tables."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pipeline.batch import run
from pipeline.io.schema import TABLES
from pipeline.report import write_report

from .conftest import ROOT


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    summary = run([ROOT / "raw"], out, workers=1, progress=False)
    return out, write_report(out).read_text(encoding="utf-8"), summary


def test_report_highlights_every_mention_in_both_texts(report):
    out, page, summary = report
    total = sum(count for table, count in summary.tables.items() if table not in ("documents", "errors"))
    titles = re.findall(r'<mark class="[^"]+" style="[^"]+" title="([^"]+)"', page)
    # every mention's rule shows in the titles of the normalized and of the raw pane
    assert len(set(titles)) >= 1 and page.count("<h2 id=") == 2
    for table in ("money", "counts", "dates", "organizations"):
        rows = (out / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
        assert page.count(f"{table} · ") >= 2 * len(rows) > 0
    assert total > 100


def test_report_command_writes_a_page(tmp_path):
    run([ROOT / "raw" / "004_0b188ff729d73134.txt"], tmp_path, workers=1, progress=False)
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_readme_lists_every_column_of_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table, columns in TABLES.items():
        section = readme.split(f"#### {table}.csv", 1)[1].split("####", 1)[0]
        for column in columns:
            assert f"| `{column.name}` | {column.type} | {column.description} |" in section
