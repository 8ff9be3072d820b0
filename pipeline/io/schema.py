"""The one list of output tables and columns.

CSV headers, `datapackage.json`, the typed loader `read_table` and the README's
column tables are all generated from `TABLES`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, boolean
    description: str


def _common_head() -> list[Column]:
    return [
        Column("doc_id", "string", "The article: its file name without extension, or its JSON Lines `id`."),
        Column("text", "string", "The mention as it reads in the normalized text."),
    ]


def _common_tail() -> list[Column]:
    return [
        Column("start", "integer", "Start offset of the mention in text/<doc_id>.txt (0-based, characters)."),
        Column("end", "integer", "End offset (exclusive) in text/<doc_id>.txt."),
        Column("raw_start", "integer", "Start offset of the raw characters the mention came from, in the raw input."),
        Column("raw_end", "integer", "End offset (exclusive) in the raw input."),
        Column("sentence_id", "integer", "0-based index of the sentence in the normalized text."),
        Column("sentence", "string", "The sentence that holds the mention."),
        Column("rule", "string", "Id of the rule that fired, as in pipeline/rules/."),
    ]


def _mentions(*columns: Column) -> tuple[Column, ...]:
    return (*_common_head(), *columns, *_common_tail())


TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        Column("doc_id", "string", "The article: its file name without extension, or its JSON Lines `id`."),
        Column("source", "string", "The input file, with `:line` for a JSON Lines article."),
        Column("url", "string", "The article's URL, when the input gives one (a JSON Lines `url`, a page's canonical link or og:url)."),
        Column("title", "string", "The article's title, when the input gives one (a JSON Lines `title`, a page's og:title or <title>)."),
        Column("published", "string", "Publication date as the input metadata gives it (a JSON Lines `published`, a page's article:published_time, pubdate, datePublished ...)."),
        Column("reference_date", "string", "Date that relative dates are resolved against (ISO 8601, day, month or year)."),
        Column("reference_date_source", "string", "Where reference_date came from: metadata, text, cli or none."),
        Column("encoding", "string", "Encoding the input bytes were decoded with."),
        Column("raw_chars", "integer", "Characters in the raw input."),
        Column("chars", "integer", "Characters in the normalized text."),
        Column("script", "string", "Script of the raw text: simplified, traditional or mixed."),
        Column("repairs", "integer", "Spans changed by repairs (mojibake, pinyin annotations, markup, layout, script)."),
        Column("lossy", "integer", "Damaged spans that could not be fully restored."),
        Column("dropped_chars", "integer", "Raw characters dropped as markup, navigation or boilerplate."),
        Column("content_hash", "string", "SHA-256 of the raw input, for incremental runs."),
        Column("pipeline_version", "string", "Version of the pipeline and its rules that produced the rows."),
        Column("status", "string", "ok, or error (see errors.csv)."),
        Column("error", "string", "The error message when status is error."),
    ),
    "money": _mentions(
        Column("amount", "number", "Amount in the currency's base unit, a plain decimal (low end of a range)."),
        Column("amount_max", "number", "High end of a range, else empty."),
        Column("currency", "string", "ISO 4217 code: CNY, USD, EUR, HKD, JPY, GBP, ..."),
        Column("approx", "boolean", "True when the text hedges the amount (余, 多, 近, 约, 超过, 逾, 以上, 左右, ...)."),
    ),
    "counts": _mentions(
        Column("value", "number", "The number counted, after 万/亿 and Chinese numerals (low end of a range)."),
        Column("value_max", "number", "High end of a range, else empty."),
        Column("unit", "string", "Classifier or unit as written, without 万/亿: 个, 所, 人次, 公里, ..."),
        Column("object", "string", "The thing counted, the shortest noun phrase the sentence gives; empty when none."),
        Column("approx", "boolean", "True when the text hedges the number."),
    ),
    "dates": _mentions(
        Column("value", "string", "ISO 8601 at the granularity written: 2025-12-03, 2025-12, 2025-W49 (a week), 2025, 2021/2025, P29Y; empty when unresolved."),
        Column("kind", "string", "date (a point in time), period (a span) or duration (a length of time)."),
        Column("start_date", "string", "First day of the date or period, YYYY-MM-DD, when resolved."),
        Column("end_date", "string", "Last day of the date or period, YYYY-MM-DD, when resolved."),
        Column("resolved", "boolean", "False when a relative date had no reference date to resolve against."),
    ),
    "organizations": _mentions(
        Column("name", "string", "Canonical simplified name; an abbreviation expanded when the article named it in full."),
        Column("org_type", "string", "company, government, party, school, university, hospital, association, media or other."),
    ),
    "errors": (
        Column("doc_id", "string", "The article, or empty when the input could not be split into articles."),
        Column("source", "string", "The input file, with `:line` for a JSON Lines article."),
        Column("stage", "string", "Where it failed: read, normalize, segment, extract, write."),
        Column("error", "string", "What went wrong: an error kind and a one-line message."),
    ),
}

MENTION_TABLES = ("money", "counts", "dates", "organizations")


def header(table: str) -> list[str]:
    return [column.name for column in TABLES[table]]


def cells(table: str, row: dict[str, Any]) -> list[str]:
    """One row of `table` as its cells (what the writers take), in column order."""
    return [to_cell(row.get(column)) for column in header(table)]


def to_cell(value: Any) -> str:
    """One CSV cell: decimals plain (no exponent, no trailing zeros), booleans lowercase.

    >>> to_cell(Decimal("180250000000.0")), to_cell(Decimal("1.5E+3")), to_cell(True), to_cell(None)
    ('180250000000', '1500', 'true', '')
    """
    if isinstance(value, str):  # first: the export writes back cells the state holds as text
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def datapackage(resources: list[str], path_of, output_format: str = "csv") -> dict[str, Any]:
    """Frictionless Data Package descriptor for the written tables."""
    media = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}
    return {
        "profile": "tabular-data-package",
        "name": "pipeline-extraction",
        "resources": [
            {
                "name": table,
                "path": path_of(table),
                "profile": "tabular-data-resource",
                "format": output_format,
                "mediatype": media[output_format],
                # R's frictionless rejects "utf-8-sig"; a BOM is valid UTF-8 for both
                "encoding": "utf-8",
                **({"dialect": {"delimiter": ",", "header": True, "doubleQuote": True}}
                   if output_format == "csv" else {}),
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description,
                         **({"trueValues": ["true"], "falseValues": ["false"]} if c.type == "boolean" else {})}
                        for c in TABLES[table]
                    ],
                    "missingValues": [""],
                },
            }
            for table in resources
        ],
    }
