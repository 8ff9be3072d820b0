"""Annotation round trip with Label Studio: a run's mentions out as pre-annotations,
corrected annotations back in as gold files that `score.py` and the notebooks read.

`export_tasks(DIR, tasks.json)` writes one Label Studio task per document: the
normalized text (`text/<doc_id>.txt`, which mention offsets point into), the
document's reference date, and one prediction holding every mention as a labelled
span (the label is the kind) with its values in a per-region text area, one
`field=value` a line (`amount=12650000`, `currency=CNY`, `approx=false`; add
`optional=true` to mark an item optional). `label_config.xml` beside it is the
labelling interface to paste into the Label Studio project.

With an `.jsonl` name, `export_tasks` writes doccano's sequence labelling JSONL instead
(spans as `[start, end, kind]`; each span's values as metadata, kept on import for a
span left as it was; a span drawn in doccano gets empty values, named on import).

`import_gold(tasks.json, GOLD)` reads Label Studio's JSON export (or doccano's JSONL) back and writes
`GOLD/<doc_id>.json` in the format of `../shared/eval/GUIDELINES.md`, one list per
kind (an empty list: the document has none). A task's latest annotation is used,
else its prediction, so exporting and importing without editing reproduces the
run's mentions. Each item also keeps its `start` and `end` in the normalized text
(score.py ignores them).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

from .io.schema import MENTION_TABLES, TABLES, to_cell
from .io.writers import missing, read_table, text_path, write_text

# The fields a gold item carries for each kind, as GUIDELINES.md gives them; a range's
# high end (`amount_max`, `value_max`) only when the mention is a range.
GOLD_FIELDS = {
    "money": ("amount", "amount_max", "currency", "approx"),
    "counts": ("value", "value_max", "unit", "object", "approx"),
    "dates": ("value", "kind"),
    "organizations": ("name", "org_type"),
}
_OMITTED_WHEN_EMPTY = {"amount_max", "value_max"}
# What score.py matches an item on: an item without them can never be matched.
KEY_FIELDS = {"money": ("amount", "currency"), "counts": ("value", "unit"), "dates": ("value",),
              "organizations": ("name",)}
_TYPES = {kind: {column.name: column.type for column in TABLES[kind]} for kind in MENTION_TABLES}
COLOURS = {"money": "#ffd166", "counts": "#9be7a1", "dates": "#8ecae6", "organizations": "#f4a6c1"}

LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
{labels}
  </Labels>
  <Text name="text" value="$text" granularity="symbol"/>
  <View visibleWhen="region-selected">
    <Header value="Values of the selected mention, one field=value a line (optional=true marks an optional item)"/>
    <TextArea name="values" toName="text" perRegion="true" editable="true" rows="5"/>
  </View>
</View>
"""


def label_config() -> str:
    labels = "\n".join(f'    <Label value="{kind}" background="{colour}"/>' for kind, colour in COLOURS.items())
    return LABEL_CONFIG.format(labels=labels)


def _gold_value(kind: str, field: str, value: Any) -> Any:
    """A table cell as GUIDELINES.md writes it: decimals as plain strings, booleans as JSON."""
    if missing(value):
        return None
    if _TYPES[kind].get(field) == "boolean":
        return bool(value)
    return to_cell(value)


def mention_item(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A gold item for one mention row of the tables."""
    item = {"text": row["text"]}
    for field in GOLD_FIELDS[kind]:
        value = _gold_value(kind, field, row.get(field))
        if value is None and field in _OMITTED_WHEN_EMPTY:
            continue
        item[field] = "" if value is None else value
    item["start"], item["end"] = int(row["start"]), int(row["end"])
    return item


def _region(number: int, kind: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    span = {"start": item["start"], "end": item["end"], "text": item["text"]}
    region_id = f"m{number}"
    values = [f"{field}={'true' if v is True else 'false' if v is False else v}"
              for field, v in item.items() if field not in ("text", "start", "end")]
    return [
        {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels",
         "value": {**span, "labels": [kind]}},
        {"id": region_id, "from_name": "values", "to_name": "text", "type": "textarea",
         "value": {"start": item["start"], "end": item["end"], "text": values}},
    ]


def _documents(folder: Path, docs: list[str] | None) -> Iterator[tuple[dict, str, list[tuple[str, dict]]]]:
    """Each processed document of a run: its row, its normalized text, its mentions as gold items."""
    documents = read_table(folder, "documents")
    if docs:
        documents = documents[documents["doc_id"].isin(docs)]
    by_doc: dict[str, list[tuple[str, dict]]] = {}
    for kind in MENTION_TABLES:
        for row in read_table(folder, kind).to_dict("records"):
            by_doc.setdefault(row["doc_id"], []).append((kind, mention_item(kind, row)))
    for document in documents.to_dict("records"):
        path = text_path(folder, document["doc_id"])
        if document["status"] == "ok" and path.exists():
            mentions = sorted(by_doc.get(document["doc_id"], []), key=lambda m: (m[1]["start"], m[1]["end"]))
            yield document, path.read_text(encoding="utf-8"), mentions


def export_tasks(folder: str | os.PathLike, out: str | os.PathLike, docs: list[str] | None = None) -> Path:
    """Write the run's mentions as pre-annotations: Label Studio tasks (JSON, with
    label_config.xml beside them), or doccano JSONL when `out` ends in .jsonl."""
    folder, out = Path(folder), Path(out)
    if out.suffix == ".jsonl":
        lines = [json.dumps(_doccano_line(document, text, mentions), ensure_ascii=False)
                 for document, text, mentions in _documents(folder, docs)]
        write_text(out, "".join(line + "\n" for line in lines))
        return out
    tasks = []
    for document, text, mentions in _documents(folder, docs):
        result = [part for number, (kind, item) in enumerate(mentions) for part in _region(number, kind, item)]
        tasks.append({
            "data": {"text": text, "doc_id": document["doc_id"], "reference_date": document["reference_date"] or ""},
            "predictions": [{"model_version": str(document["pipeline_version"]), "result": result}],
        })
    write_text(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    write_text(out.parent / "label_config.xml", label_config())
    return out


def _doccano_line(document: dict, text: str, mentions: list[tuple[str, dict]]) -> dict[str, Any]:
    """doccano's sequence labelling JSONL: spans as [start, end, label]; the values of each
    span ride along as metadata (`values`, keyed `start:end:kind`), since doccano has no
    place for them: a span kept as it was keeps its values on import."""
    return {"text": text, "label": [[item["start"], item["end"], kind] for kind, item in mentions],
            "doc_id": document["doc_id"], "reference_date": document["reference_date"] or "",
            "values": {f"{item['start']}:{item['end']}:{kind}": {k: v for k, v in item.items()
                                                                if k not in ("text", "start", "end")}
                       for kind, item in mentions}}


def _parse_value(kind: str, field: str, text: str) -> Any:
    kind_of = "boolean" if field == "optional" else _TYPES[kind].get(field, "string")
    if kind_of == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{field}={text!r}: write true or false")
        return text.lower() == "true"
    if kind_of == "number" and text:
        try:
            return to_cell(Decimal(text))
        except InvalidOperation as error:
            raise ValueError(f"{field}={text!r}: not a number") from error
    return text


def _items(task: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The gold items of one exported task: its latest annotation, else its prediction."""
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    chosen = (max(annotations, key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0))
              if annotations else (task.get("predictions") or [{}])[-1])
    regions: dict[str, dict[str, Any]] = {}
    for part in chosen.get("result") or []:
        region = regions.setdefault(part["id"], {})
        if part.get("type") == "labels":
            region["span"] = part["value"]
        elif part.get("from_name") == "values":
            region["values"] = part["value"].get("text") or []
    doc_id = task["data"].get("doc_id", "")
    items: dict[str, list[dict[str, Any]]] = {kind: [] for kind in MENTION_TABLES}
    for region_id, region in regions.items():
        if "span" not in region:
            continue
        span = region["span"]
        kind = span["labels"][0]
        item: dict[str, Any] = {"text": span.get("text") or task["data"]["text"][span["start"]:span["end"]]}
        given = {}
        for line in region.get("values", []):
            for entry in str(line).splitlines():
                field, equals, value = entry.partition("=")
                if not equals:
                    raise ValueError(f"{doc_id} region {region_id}: {entry!r} is not field=value")
                given[field.strip()] = _parse_value(kind, field.strip(), value.strip())
        for field in GOLD_FIELDS[kind]:
            if field in given or field not in _OMITTED_WHEN_EMPTY:
                item[field] = given.pop(field, "")
        item.update(given)  # optional=true, and any field the annotator added
        item["start"], item["end"] = int(span["start"]), int(span["end"])
        items[kind].append(item)
    for found in items.values():
        found.sort(key=lambda item: (item["start"], item["end"]))
    return items


def _doccano_items(line: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The gold items of one line of doccano's export (`label` lists, or `entities` of newer versions)."""
    meta = line.get("meta") if isinstance(line.get("meta"), dict) else line
    values = meta.get("values") or {}
    spans = [(s, e, label) for s, e, label in line.get("label") or []] or [
        (entity["start_offset"], entity["end_offset"], entity["label"]) for entity in line.get("entities") or []]
    items: dict[str, list[dict[str, Any]]] = {kind: [] for kind in MENTION_TABLES}
    for start, end, kind in sorted(spans):
        known = values.get(f"{start}:{end}:{kind}")
        fields = known if known is not None else {f: "" for f in GOLD_FIELDS[kind] if f not in _OMITTED_WHEN_EMPTY}
        items[kind].append({"text": line["text"][start:end], **fields, "start": start, "end": end})
    return items


def import_gold(export_path: str | os.PathLike, gold: str | os.PathLike) -> list[Path]:
    """Write one gold file per document of a Label Studio JSON export (or of doccano's
    JSONL export, when the file ends in .jsonl); return their paths."""
    export_path = Path(export_path)
    if export_path.suffix == ".jsonl":
        lines = [json.loads(line) for line in export_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        documents = [(line["doc_id"], line.get("reference_date", ""), _doccano_items(line)) for line in lines]
    else:
        documents = [(task["data"]["doc_id"], task["data"].get("reference_date", ""), _items(task))
                     for task in json.loads(export_path.read_text(encoding="utf-8"))]
    written = []
    for doc_id, reference_date, items in documents:
        path = Path(gold) / f"{doc_id}.json"
        content = {"doc_id": doc_id, "reference_date": reference_date, **items}
        write_text(path, json.dumps(content, ensure_ascii=False, indent=1) + "\n")
        written.append(path)
    return written


def add_command(commands) -> None:
    """Register `python -m pipeline annotate export|import` on the CLI's subcommands."""
    command = commands.add_parser(
        "annotate", help="Label Studio round trip: export mentions, import corrected gold",
        description="export: write a run's mentions as Label Studio pre-annotations (tasks JSON and "
                    "label_config.xml). import: turn Label Studio's JSON export into gold files in "
                    "GUIDELINES.md's format, which score.py reads.",
        epilog="examples:\n"
               "  python -m pipeline annotate export extracted --out annotation/tasks.json\n"
               "  python -m pipeline annotate import annotation/export.json --gold gold\n"
               "  python ../shared/eval/score.py --extracted extracted --gold gold",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = command.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="tasks JSON with the mentions as predictions")
    export.add_argument("folder", type=Path, metavar="DIR", help="a folder written by `run`")
    export.add_argument("--out", type=Path, required=True,
                        help="the tasks to write: Label Studio JSON, or doccano JSONL when it ends in .jsonl")
    export.add_argument("--docs", nargs="*", metavar="DOC_ID", help="only these documents (default: all)")
    back = actions.add_parser("import", help="gold files from a Label Studio JSON export")
    back.add_argument("tasks", type=Path, metavar="EXPORT",
                      help="Label Studio's JSON export, or doccano's JSONL export (.jsonl)")
    back.add_argument("--gold", type=Path, required=True, help="the folder of gold files to write")
    command.set_defaults(handler=_main)


def _main(args) -> int:
    if args.action == "export":
        if not (args.folder / "documents.csv").exists() and not (args.folder / "documents.parquet").exists():
            print(f"{args.folder}: no documents table; run `python -m pipeline run ... --out {args.folder}` first",
                  file=sys.stderr)
            return 1
        out = export_tasks(args.folder, args.out, args.docs)
        print(f"{out} written: import it into a doccano sequence labelling project" if out.suffix == ".jsonl" else
              f"{out} and {out.parent / 'label_config.xml'} written: import the tasks into a Label Studio "
              f"project whose labelling interface is label_config.xml", file=sys.stderr)
        return 0
    written = import_gold(args.tasks, args.gold)
    print(f"{len(written)} gold files written to {args.gold}", file=sys.stderr)
    for path in written:
        content = json.loads(path.read_text(encoding="utf-8"))
        for kind in MENTION_TABLES:
            for item in content[kind]:
                missing = [field for field in KEY_FIELDS[kind] if item.get(field) in ("", None)]
                if missing:
                    print(f"{path.name}: {kind} {item['text']!r} at {item['start']} has no {', '.join(missing)}: "
                          f"score.py cannot match it", file=sys.stderr)
    return 0
