"""The HTML report: an index and one page per document, at the samples' size and at 2,000 articles."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline import read_table
from pipeline.batch import run
from pipeline.cli import main
from pipeline.io.schema import MENTION_TABLES, TABLES, cells
from pipeline.io.writers import write_csv
from pipeline.report import write_report

from .conftest import ROOT


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    run([ROOT / "raw"], out, workers=1, progress=False)
    return out


def _marks(page: str, kind: str) -> int:
    return len(re.findall(rf'<mark class="[^"]*\b{kind}\b[^"]*" title="{kind} · ', page))


def test_each_document_page_marks_every_mention_in_both_texts(samples):
    index = write_report(samples).read_text(encoding="utf-8")
    documents = read_table(samples, "documents")
    for doc_id in documents["doc_id"]:
        assert f"href='report/{doc_id}.html'" in index
        page = (samples / "report" / f"{doc_id}.html").read_text(encoding="utf-8")
        assert "class='warn'" not in page  # the raw input was found and is the one the run read
        for kind in MENTION_TABLES:
            mentions = read_table(samples, kind)
            assert _marks(page, kind) >= 2 * (mentions["doc_id"] == doc_id).sum()
    for rule in read_table(samples, "money")["rule"].unique():
        assert f">{rule}</a>" in index and f">{rule}</option>" in index


def test_the_raw_pane_works_wherever_the_command_is_run_from(samples, tmp_path, monkeypatch):
    """A run given `raw` relative to the project folder; the report is made from another folder."""
    moved = tmp_path / "project" / "extracted"
    shutil.copytree(samples, moved)
    shutil.copytree(ROOT / "raw", tmp_path / "project" / "raw")
    documents = read_table(moved, "documents")
    documents["source"] = ["raw/" + Path(source).name for source in documents["source"]]
    write_csv(moved / "documents.csv", "documents", [cells("documents", r) for r in documents.to_dict("records")])
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(moved)]) == 0
    for doc_id in documents["doc_id"]:
        page = (moved / "report" / f"{doc_id}.html").read_text(encoding="utf-8")
        assert "class='warn'" not in page and _marks(page, "money") > 0


def test_a_missing_or_changed_raw_input_is_said_on_the_page(samples, tmp_path):
    moved = tmp_path / "elsewhere" / "extracted"
    shutil.copytree(samples, moved)
    (tmp_path / "elsewhere" / "inputs").mkdir()
    documents = read_table(moved, "documents")
    documents["source"] = ["inputs/" + Path(source).name for source in documents["source"]]
    write_csv(moved / "documents.csv", "documents", [cells("documents", r) for r in documents.to_dict("records")])
    doc_ids = list(documents["doc_id"])
    (tmp_path / "elsewhere" / "inputs" / f"{doc_ids[0]}.txt").write_text("改过的文字", encoding="utf-8")
    write_report(moved)
    changed, missing = ((moved / "report" / f"{d}.html").read_text(encoding="utf-8") for d in doc_ids)
    assert "changed since the run" in changed and "not found" in missing


def _generated(folder: Path, inputs: Path, copies: int) -> None:
    """An output folder of 2 x `copies` articles made from the samples' run: half read from
    .txt files, half from a JSON Lines file, as a run over such inputs writes it."""
    samples = read_table(folder, "documents").to_dict("records")
    tables = {kind: read_table(folder, kind).to_dict("records") for kind in MENTION_TABLES}
    raw = {d["doc_id"]: (ROOT / d["source"]).read_text(encoding="utf-8") for d in samples}
    out = inputs / "out"
    (out / "text").mkdir(parents=True)
    shutil.copytree(ROOT / "raw", inputs / "raw")
    documents, rows, lines = [], {kind: [] for kind in MENTION_TABLES}, []
    for copy in range(copies):
        for sample in samples:
            doc_id = f"{copy:04d}_{sample['doc_id']}"
            if copy % 2:
                line = json.dumps({"id": doc_id, "text": raw[sample["doc_id"]]}, ensure_ascii=False)
                lines.append(line)
                source, digest = f"raw/feed.jsonl:{len(lines)}", hashlib.sha256(line.encode()).hexdigest()
            else:
                source, digest = f"raw/{sample['doc_id']}.txt", sample["content_hash"]
            documents.append({**sample, "doc_id": doc_id, "source": source, "content_hash": digest})
            shutil.copy(folder / "text" / f"{sample['doc_id']}.txt", out / "text" / f"{doc_id}.txt")
            for kind in MENTION_TABLES:
                rows[kind] += [{**row, "doc_id": doc_id} for row in tables[kind] if row["doc_id"] == sample["doc_id"]]
    (inputs / "raw" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_csv(out / "documents.csv", "documents", [cells("documents", row) for row in documents])
    for kind in MENTION_TABLES:
        write_csv(out / f"{kind}.csv", kind, [cells(kind, row) for row in rows[kind]])
    write_csv(out / "errors.csv", "errors", [])


def test_the_report_of_2000_articles_is_an_index_and_a_page_each(samples, tmp_path):
    _generated(samples, tmp_path, 1000)
    out = tmp_path / "out"
    index = write_report(out)
    pages = sorted((out / "report").glob("*.html"))
    assert len(pages) == 2000
    page_bytes = {p.name: p.stat().st_size for p in pages}
    assert index.stat().st_size < 2_000_000  # opens at once: no article text in the index
    assert max(page_bytes.values()) < 200_000  # one article each, with its raw text
    text = index.read_text(encoding="utf-8")
    assert text.count("<tr data-search=") == 2000 and "2000 documents" in text
    mentions = {kind: read_table(out, kind) for kind in MENTION_TABLES}
    for page in (pages[0], pages[1], pages[-1]):  # a .txt-sourced and a JSON Lines-sourced article
        content = page.read_text(encoding="utf-8")
        doc_id = page.name.removesuffix(".html")
        assert "class='warn'" not in content
        for kind, frame in mentions.items():
            assert _marks(content, kind) >= 2 * (frame["doc_id"] == doc_id).sum()


def test_readme_lists_every_column_of_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table, columns in TABLES.items():
        section = readme.split(f"#### {table}.csv", 1)[1].split("####", 1)[0]
        for column in columns:
            assert f"| `{column.name}` | {column.type} | {column.description} |" in section


def test_report_diff_and_annotate_find_the_text_of_an_id_no_file_system_takes(tmp_path):
    """An over-long id's text is stored under a digest name (io.writers.text_path): the
    tools read it from there, not from text/<doc_id>.txt."""
    import json

    from pipeline.annotate import export_tasks
    from pipeline.batch import run
    from pipeline.diff import diff
    from pipeline.report import write_report

    doc_id = "新闻" * 60
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": doc_id, "text": "浙江已累计捐资1265万元。"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    run([feed], tmp_path / "out", workers=1, progress=False)
    tasks = json.loads(export_tasks(tmp_path / "out", tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert [task["data"]["text"] for task in tasks] == ["浙江已累计捐资1265万元。"]
    assert diff(tmp_path / "out", tmp_path / "out").documents["text_changed"] == []
    write_report(tmp_path / "out")
    assert len(list((tmp_path / "out" / "report").glob("*.html"))) == 1
