"""The Label Studio round trip: export a run's mentions, import them back as gold files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline import read_table
from pipeline.annotate import export_tasks, import_gold, mention_item
from pipeline.batch import run
from pipeline.cli import main
from pipeline.io.schema import MENTION_TABLES

from .conftest import ROOT

SCORE = ROOT.parent / "shared" / "eval" / "score.py"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    run([ROOT / "raw"], out, workers=1, progress=False)
    return out


def _mentions(folder: Path) -> dict[str, dict[str, list[dict]]]:
    by_doc: dict[str, dict[str, list[dict]]] = {}
    for kind in MENTION_TABLES:
        for row in read_table(folder, kind).sort_values(["start", "end"], kind="stable").to_dict("records"):
            by_doc.setdefault(row["doc_id"], {k: [] for k in MENTION_TABLES})[kind].append(mention_item(kind, row))
    return by_doc


def test_a_round_trip_without_edits_reproduces_the_mentions(extracted, tmp_path):
    tasks = export_tasks(extracted, tmp_path / "tasks.json")
    assert (tmp_path / "label_config.xml").read_text(encoding="utf-8").startswith("<View>")
    written = import_gold(tasks, tmp_path / "gold")
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in written}
    expected = _mentions(extracted)
    assert set(gold) == set(read_table(extracted, "documents")["doc_id"]) == set(expected)
    documents = read_table(extracted, "documents").set_index("doc_id")
    for doc_id, content in gold.items():
        assert content["reference_date"] == documents.loc[doc_id, "reference_date"]
        text = (extracted / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
        for kind in MENTION_TABLES:
            assert content[kind] == expected[doc_id][kind]
            assert all(text[item["start"]:item["end"]] == item["text"] for item in content[kind])
    # the fields of the project's own gold files (tests/gold), plus start and end
    for path in sorted((ROOT / "tests" / "gold").glob("*.json")):
        sample = json.loads(path.read_text(encoding="utf-8"))
        assert set(sample) == set(gold[path.stem])
        for kind in MENTION_TABLES:
            fields = {field for item in sample[kind] for field in item} - {"optional"}
            for item in gold[path.stem][kind]:
                assert set(item) - {"amount_max", "value_max"} == fields | {"start", "end"}
                assert all(type(item[f]) is type(sample[kind][0][f]) for f in fields)


@pytest.mark.skipif(not SCORE.exists(), reason="score.py lives in ../shared/eval, not beside this checkout")
def test_score_against_the_imported_gold_is_perfect(extracted, tmp_path):
    import_gold(export_tasks(extracted, tmp_path / "tasks.json"), tmp_path / "gold")
    result = subprocess.run([sys.executable, str(SCORE), "--extracted", str(extracted), "--gold",
                             str(tmp_path / "gold"), "--json"], capture_output=True, text=True, timeout=60)
    scores = json.loads(result.stdout)
    assert scores["micro_f1"] == 1.0
    assert all(value == 1.0 for kind in MENTION_TABLES for value in scores[kind]["attributes"].values())


def test_an_annotators_corrections_become_the_gold(extracted, tmp_path):
    """Label Studio's export: the annotation (not the prediction) is read, region by region."""
    tasks = json.loads(export_tasks(extracted, tmp_path / "tasks.json").read_text(encoding="utf-8"))
    task = next(t for t in tasks if t["data"]["doc_id"] == "004_0b188ff729d73134")
    result = [dict(part, value=dict(part["value"])) for part in task["predictions"][0]["result"]]
    money_region = next(p["id"] for p in result if p["type"] == "labels" and p["value"]["labels"] == ["money"])
    dropped = next(p["id"] for p in result if p["type"] == "labels" and p["value"]["labels"] == ["dates"])
    result = [p for p in result if p["id"] != dropped]
    for part in result:
        if part["id"] == money_region and part["type"] == "textarea":
            part["value"]["text"] = ["amount=1.5e3", "currency=USD", "approx=true", "optional=true"]
    result.append({"id": "new", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 2, "text": task["data"]["text"][:2], "labels": ["organizations"]}})
    result.append({"id": "new", "from_name": "values", "to_name": "text", "type": "textarea",
                   "value": {"start": 0, "end": 2, "text": ["name=某公司\norg_type=company"]}})
    task["annotations"] = [{"id": 7, "result": result, "was_cancelled": False}]
    (tmp_path / "export.json").write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    gold = json.loads(import_gold(tmp_path / "export.json", tmp_path / "gold")[0].read_text(encoding="utf-8"))
    expected = _mentions(extracted)["004_0b188ff729d73134"]
    assert len(gold["dates"]) == len(expected["dates"]) - 1
    assert {k: gold["money"][0][k] for k in ("amount", "currency", "approx", "optional")} == {
        "amount": "1500", "currency": "USD", "approx": True, "optional": True}
    assert gold["organizations"][0] == {"text": task["data"]["text"][:2], "name": "某公司", "org_type": "company",
                                        "start": 0, "end": 2}


def test_the_commands_export_and_import(extracted, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def command(*args):
        code = main(["annotate", *map(str, args)])
        return SimpleNamespace(returncode=code, **capsys.readouterr()._asdict())

    exported = command("export", extracted, "--out", "ls/tasks.json", "--docs", "000_a1cd7eec10dd10fd")
    assert exported.returncode == 0, exported.err
    imported = command("import", "ls/tasks.json", "--gold", "gold")
    assert imported.returncode == 0, imported.err
    assert [p.name for p in (tmp_path / "gold").iterdir()] == ["000_a1cd7eec10dd10fd.json"]
    assert "score.py cannot match" not in imported.err
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    tasks[0]["predictions"][0]["result"].append(
        {"id": "drawn", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 2, "text": tasks[0]["data"]["text"][:2], "labels": ["money"]}})
    (tmp_path / "edited.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    warned = command("import", tmp_path / "edited.json", "--gold", tmp_path / "gold2")
    assert "has no amount, currency: score.py cannot match it" in warned.err


def test_a_doccano_round_trip_keeps_the_values_of_the_spans_left_as_they_were(extracted, tmp_path):
    lines = export_tasks(extracted, tmp_path / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    assert not (tmp_path / "label_config.xml").exists()
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in import_gold(tmp_path / "tasks.jsonl", tmp_path / "gold")}
    expected = _mentions(extracted)
    assert all(gold[doc_id][kind] == expected[doc_id][kind] for doc_id in expected for kind in MENTION_TABLES)
    # doccano's newer export: `entities` with offsets, metadata as it was; one span dropped, one drawn
    line = json.loads(lines[0])
    spans = line.pop("label")
    line["entities"] = [{"id": n, "start_offset": s, "end_offset": e, "label": k} for n, (s, e, k) in enumerate(spans[1:])]
    line["entities"].append({"id": 99, "start_offset": 0, "end_offset": 2, "label": "organizations"})
    (tmp_path / "edited.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    edited = json.loads(import_gold(tmp_path / "edited.jsonl", tmp_path / "gold2")[0].read_text(encoding="utf-8"))
    first_kind = spans[0][2]
    assert sum(len(edited[k]) for k in MENTION_TABLES) == len(spans)
    assert len(edited[first_kind]) == len(expected[line["doc_id"]][first_kind]) - (first_kind != "organizations")
    assert edited["organizations"][0] == {"text": line["text"][:2], "name": "", "org_type": "", "start": 0, "end": 2}
