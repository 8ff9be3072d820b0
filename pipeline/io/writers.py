"""Write tables: UTF-8 CSV with a BOM (or Parquet), atomically, and read them back typed."""
from __future__ import annotations

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from .schema import TABLES, datapackage, header, to_cell


@contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs) -> Iterator[Any]:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, mode, **kwargs) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes files private; outputs are for sharing
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_csv(path: Path, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Write one table as CSV; `utf-8-sig` puts the BOM that Excel needs to read Chinese."""
    columns = header(table)
    count = 0
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([to_cell(row.get(column)) for column in columns])
            count += 1
    return count


def write_parquet(path: Path, table: str, rows: Iterable[dict[str, Any]]) -> int:
    frame = _typed(pd.DataFrame([{c: to_cell(r.get(c)) for c in header(table)} for r in rows],
                                columns=header(table)), table)
    for column in TABLES[table]:
        if column.type == "number":  # Parquet has no arbitrary-precision column here: keep text
            frame[column.name] = frame[column.name].map(lambda v: None if v is None else str(v))
    with atomic_open(path, "wb") as out:
        frame.to_parquet(out, index=False)
    return len(frame)


def write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text)


def write_datapackage(folder: Path, tables: list[str], suffix: str = ".csv") -> None:
    descriptor = datapackage(tables, lambda table: f"{table}{suffix}")
    with atomic_open(folder / "datapackage.json", "w", encoding="utf-8") as out:
        json.dump(descriptor, out, ensure_ascii=False, indent=2)
        out.write("\n")


def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if value not in ("", None) else None


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    for column in TABLES[table]:
        values = frame[column.name]
        if column.type == "integer":
            frame[column.name] = pd.array([int(v) if v not in ("", None) else None for v in values], dtype="Int64")
        elif column.type == "number":
            frame[column.name] = [_decimal(v) for v in values]
        elif column.type == "boolean":
            frame[column.name] = pd.array([None if v in ("", None) else v == "true" for v in values],
                                          dtype="boolean")
        else:
            frame[column.name] = values.astype("string")
    return frame


def read_table(folder: str | os.PathLike, table: str) -> pd.DataFrame:
    """One output table with the types of the schema that wrote it.

    `doc_id`s stay strings (`000123` is not 123), amounts and values are exact
    `Decimal`s, offsets are nullable integers, `approx` is a nullable boolean.
    """
    folder = Path(folder)
    if table not in TABLES:
        raise KeyError(f"no table {table!r}; tables are {', '.join(TABLES)}")
    parquet = folder / f"{table}.parquet"
    if parquet.exists() and not (folder / f"{table}.csv").exists():
        frame = pd.read_parquet(parquet)
        return _typed(frame.astype(object).where(frame.notna(), ""), table)
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return _typed(frame, table)
