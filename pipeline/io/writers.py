"""Write tables: UTF-8 CSV with a BOM (or Parquet), atomically, and read them back typed."""
from __future__ import annotations

import csv
import json
import os
import shutil
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


PARQUET_PART_ROWS = 200_000  # rows per Parquet part file: memory stays flat however many rows


def write_parquet(path: Path, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Write one table as a folder of Parquet part files (`<table>.parquet/part-00000.parquet`),
    streaming; the folder is replaced in one rename. Amounts stay exact decimal text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"integer": pa.int64(), "boolean": pa.bool_()}
    schema = pa.schema([(c.name, kinds.get(c.type, pa.string())) for c in TABLES[table]])
    staging = path.with_name(f".{path.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    count, part, batch = 0, 0, []

    def flush() -> None:
        nonlocal part
        columns = {c.name: [_parquet_value(c.type, row.get(c.name)) for row in batch] for c in TABLES[table]}
        pq.write_table(pa.table(columns, schema=schema), staging / f"part-{part:05d}.parquet")
        part += 1

    for row in rows:
        batch.append(row)
        count += 1
        if len(batch) == PARQUET_PART_ROWS:
            flush()
            batch = []
    if batch or part == 0:
        flush()
    retired = path.with_name(f".{path.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if path.exists():
        path.rename(retired)
    staging.rename(path)
    shutil.rmtree(retired, ignore_errors=True)
    return count


def _parquet_value(kind: str, value: Any) -> Any:
    cell = to_cell(value)
    if cell == "":
        return None
    if kind == "integer":
        return int(cell)
    if kind == "boolean":
        return cell == "true"
    return cell


def write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text)


def write_datapackage(folder: Path, tables: list[str], output_format: str = "csv") -> None:
    if output_format == "parquet":
        def path_of(table):
            return sorted(f"{table}.parquet/{p.name}" for p in (folder / f"{table}.parquet").glob("*.parquet"))
    else:
        def path_of(table):
            return f"{table}.csv"
    descriptor = datapackage(tables, path_of, output_format)
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
    if parquet.is_dir() and not (folder / f"{table}.csv").exists():
        frame = pd.read_parquet(parquet).astype(object)
        text = frame.map(lambda v: "" if v is None or v is pd.NA or v != v else
                         ("true" if v is True else "false" if v is False else str(v)))
        return _typed(text, table)
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return _typed(frame, table)
