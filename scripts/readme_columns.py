"""Print the README's column tables: the schema, with a real example row from extracted/.

    python scripts/readme_columns.py > /tmp/columns.md   # then paste between the markers
"""
from __future__ import annotations

import csv
from pathlib import Path

from pipeline.io.schema import TABLES

EXTRACTED = Path(__file__).resolve().parent.parent / "extracted"
# a row worth showing from each table: (column, value) that picks it
PICK = {"money": ("text", "1265万元"), "counts": ("text", "528批次"), "dates": ("rule", "dates.five_year_plan"),
        "organizations": ("name", "浙江省政府"), "documents": ("doc_id", "000_a1cd7eec10dd10fd")}


def example(table: str) -> dict[str, str]:
    path = EXTRACTED / f"{table}.csv"
    if not path.exists():
        return {}
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
    column, value = PICK.get(table, ("", ""))
    return next((r for r in rows if r.get(column) == value), rows[0] if rows else {})


def main() -> None:
    for table, columns in TABLES.items():
        row = example(table)
        print(f"#### {table}.csv\n")
        print("| column | type | description | example |")
        print("|---|---|---|---|")
        for column in columns:
            value = row.get(column.name, "")
            value = (value if len(value) <= 40 else value[:37] + "…").replace("|", "\\|")
            print(f"| `{column.name}` | {column.type} | {column.description} | {value} |")
        print()


if __name__ == "__main__":
    main()
