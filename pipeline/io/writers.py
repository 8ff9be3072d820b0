"""Write tables: UTF-8 CSV with a BOM (or Parquet, or an Excel workbook), atomically,
publish a set of them as one unit, and read them back typed."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

if TYPE_CHECKING:  # pandas is imported by `read_table` and what reads its values alone: a run, and each of
    # its workers, never needs it (0.3 s and 40 MB)
    import pandas as pd

from .folder import settle
from .schema import TABLES, datapackage, header, to_cell


@contextmanager
def atomic_open(path: Path, mode: str = "w", durable: bool = True, **kwargs) -> Iterator[Any]:
    """Write to a temporary file beside `path`, then rename it over `path`; `durable`
    also waits for the disk, against a power cut rather than a killed process.

    The temporary file is named by the process (no two processes share one), and the
    folder is made only when it is missing: a run writes a text file for every document,
    and `tempfile.mkstemp` and a `mkdir` each time cost its driver some 10 µs more a document.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        out = open(temporary, mode, **kwargs)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        out = open(temporary, mode, **kwargs)
    try:
        with out:
            os.fchmod(out.fileno(), 0o644)  # the same for every output, whatever the umask: they are for sharing
            yield out
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# Every writer takes a table's rows as their cells (`schema.cells`), in column order: the
# form the batch state keeps them in, so an export formats nothing again.

def write_csv(path: Path, table: str, rows: Iterable[Sequence[str]]) -> int:
    """Write one table as CSV; `utf-8-sig` puts the BOM that Excel needs to read Chinese."""
    count = 0
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header(table))
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


PARQUET_PART_ROWS = 200_000  # rows per Parquet part file: memory stays flat however many rows


def write_parquet(path: Path, table: str, rows: Iterable[Sequence[str]]) -> int:
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
        columns = {c.name: [_parquet_value(c.type, row[index]) for row in batch]
                   for index, c in enumerate(TABLES[table])}
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


EXCEL_ROWS = 1_048_576  # rows in one Excel sheet, its header included
EXCEL_CELL = 32_767  # characters in one Excel cell
_EPOCH = datetime(2000, 1, 1)  # the workbook's creation date: the same tables give the same bytes


def write_xlsx(path: Path, tables: dict[str, Iterable[Sequence[str]]]) -> dict[str, int]:
    """One Excel workbook, a sheet per table, streamed (XlsxWriter's constant memory mode).

    Every text cell is written as a string, never as a formula: a scraped title that
    begins with `=`, `+`, `-` or `@` shows as that text in Excel, and `pandas.read_excel`
    reads it back exactly. `doc_id` stays text (`000123`); integers, booleans and
    amounts that a double holds exactly are numbers, other amounts text. Excel's own
    limits cut what it cannot hold (a cell over 32,767 characters ends in `…`, a sheet
    stops at 1,048,576 rows); the counts returned say how many rows each sheet holds.
    """
    import xlsxwriter

    counts = {}
    temporary = path.with_name(f".{path.name}.tmp")
    workbook = xlsxwriter.Workbook(str(temporary), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False})
    workbook.set_properties({"created": _EPOCH})
    try:
        for table, rows in tables.items():
            sheet = workbook.add_worksheet(table)
            columns = TABLES[table]
            sheet.write_row(0, 0, [c.name for c in columns])
            number = 0
            for number, row in enumerate(rows, start=1):
                if number >= EXCEL_ROWS:
                    number -= 1
                    break
                for index, column in enumerate(columns):
                    _write_excel_cell(sheet, number, index, column.type, row[index])
            counts[table] = number
        workbook.close()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
    return counts


def _write_excel_cell(sheet, row: int, column: int, kind: str, cell: str) -> None:
    if cell == "":
        return
    if kind == "integer":
        sheet.write_number(row, column, int(cell))
    elif kind == "boolean":
        sheet.write_boolean(row, column, cell == "true")
    elif kind == "number" and Decimal(repr(float(cell))) == Decimal(cell):
        sheet.write_number(row, column, float(cell))
    else:
        sheet.write_string(row, column, cell if len(cell) <= EXCEL_CELL else cell[:EXCEL_CELL - 1] + "…")


def _parquet_value(kind: str, cell: str) -> Any:
    if cell == "":
        return None
    if kind == "integer":
        return int(cell)
    if kind == "boolean":
        return cell == "true"
    return cell


# one path component of a text file's name: at most this many UTF-8 bytes (file systems
# allow 255, encrypted home folders about 140; the temporary name adds a few more)
_NAME_BYTES = 100
_SURROGATE = re.compile("[\ud800-\udfff]")  # no file system encodes a lone surrogate
_UNSAFE_CHARS = set('\\:*?"<>|~') | {chr(code) for code in range(32)} | {"\x7f"}


def text_path(folder: str | os.PathLike, doc_id: str) -> Path:
    """The file that holds a document's normalized text: `text/<doc_id>.txt` for an
    ordinary id (its `/` making sub-folders), and for a part that no file system would
    take (too long, `..`, a leading dot, control or reserved characters, `~`) a shortened
    prefix and a digest of the part, so that distinct ids never share a file.

    >>> text_path("out", "d1/000123").as_posix()
    'out/text/d1/000123.txt'
    >>> text_path("out", "新闻" * 60).as_posix()
    'out/text/新闻新闻新闻新闻新闻新闻新闻新闻~856d060d7593581f.txt'
    >>> text_path("out", "../etc/passwd").as_posix()
    'out/text/~5ec1f7e700f37c3d/etc/passwd.txt'
    """
    parts = [_safe_part(part) for part in doc_id.split("/")]
    return Path(folder, "text", *PurePosixPath(*parts).parts[:-1], f"{parts[-1]}.txt")


def _safe_part(part: str) -> str:
    encoded = part.encode("utf-8", errors="surrogatepass")
    if (part and len(encoded) <= _NAME_BYTES and not _SURROGATE.search(part)
            and not part.startswith(".") and part == part.strip()
            and not _UNSAFE_CHARS.intersection(part)):
        return part
    digest = hashlib.sha256(encoded).hexdigest()[:16]
    prefix = "".join(ch for ch in _SURROGATE.sub("", part) if ch not in _UNSAFE_CHARS).lstrip(".").strip()
    while len(prefix.encode("utf-8")) > _NAME_BYTES // 2:
        prefix = prefix[:-1]
    return f"{prefix}~{digest}"


def write_text(path: Path, text: str, durable: bool = True) -> None:
    with atomic_open(path, "w", durable, encoding="utf-8", newline="") as out:
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
    import pandas as pd

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


def missing(value: Any) -> bool:
    """Whether a value that `read_table` read is an empty cell: None, pandas' NA or NaN."""
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def cell_text(value: Any) -> str:
    """A value that `read_table` read, as the CSV writes it ("" for an empty cell)."""
    return "" if missing(value) else to_cell(value)


def table_format(folder: Path, table: str) -> str:
    """The format `table` was last exported in: what datapackage.json says, so that a
    table left over in another format is never read by mistake."""
    descriptor = folder / "datapackage.json"
    if descriptor.exists():
        for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
            if resource["name"] == table:
                return resource["format"]
    return "parquet" if (folder / f"{table}.parquet").is_dir() and not (folder / f"{table}.csv").exists() else "csv"


def read_table(folder: str | os.PathLike, table: str) -> pd.DataFrame:
    """One output table with the types of the schema that wrote it.

    `doc_id`s stay strings (`000123` is not 123), amounts and values are exact
    `Decimal`s, offsets are nullable integers, `approx` is a nullable boolean.
    """
    import pandas as pd

    folder = Path(folder)
    if table not in TABLES:
        raise KeyError(f"no table {table!r}; tables are {', '.join(TABLES)}")
    settle(folder)
    if table_format(folder, table) == "parquet":
        frame = pd.read_parquet(folder / f"{table}.parquet").astype(object)
        text = frame.map(lambda v: "" if v is None or v is pd.NA or v != v else
                         ("true" if v is True else "false" if v is False else str(v)))
        return _typed(text, table)
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return _typed(frame, table)
