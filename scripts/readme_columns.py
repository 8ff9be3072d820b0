"""Rewrite the README's column tables: the schema, with a real example row from extracted/.

    python scripts/readme_columns.py     # after `make run`; rewrites README.md between the markers

errors.csv is empty for the samples, so its example is the row a run writes for a
JSON Lines file whose second line is cut off.
"""
from __future__ import annotations

import csv
from pathlib import Path

from pipeline.io.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
EXTRACTED = ROOT / "extracted"
START, END = "<!-- columns:start -->\n", "<!-- columns:end -->"
# a row worth showing from each table: (column, value) that picks it
PICK = {"money": ("text", "1265万元"), "counts": ("text", "528批次"), "dates": ("rule", "dates.five_year_plan"),
        "organizations": ("name", "浙江省政府"), "documents": ("doc_id", "000_a1cd7eec10dd10fd")}
ERROR_EXAMPLE = {"doc_id": "", "source": "feed.jsonl:2", "stage": "read",
                 "error": "bad_json: line 2 is not a JSON object: …"}


def example(table: str) -> dict[str, str]:
    if table == "errors":
        return ERROR_EXAMPLE
    with open(EXTRACTED / f"{table}.csv", encoding="utf-8-sig") as rows:
        found = list(csv.DictReader(rows))
    column, value = PICK[table]
    return next((r for r in found if r.get(column) == value), found[0] if found else {})


def tables() -> str:
    out = []
    for table, columns in TABLES.items():
        row = example(table)
        out += [f"#### {table}.csv", "", "| column | type | description | example |", "|---|---|---|---|"]
        for column in columns:
            value = row.get(column.name, "")
            value = (value if len(value) <= 40 else value[:37] + "…").replace("|", "\\|")
            out.append(f"| `{column.name}` | {column.type} | {column.description} | {value} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    (ROOT / "README.md").write_text(head + START + tables() + END + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
