"""One self-contained HTML page of an output folder: every document with its mentions
highlighted in the normalized text, the raw text beside it, and the tables."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from .io.schema import MENTION_TABLES
from .io.writers import read_table, write_text

COLOURS = {"money": "#ffd166", "counts": "#9be7a1", "dates": "#8ecae6", "organizations": "#f4a6c1"}

_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.pane{white-space:pre-wrap;line-height:1.7;border:1px solid #ddd;padding:.6em;max-height:40em;overflow:auto}
.pane h3{margin:0 0 .4em;font-size:.95em;color:#555}
mark{border-radius:3px;padding:0 1px}
.legend span{padding:0 .5em;margin-right:.5em;border-radius:3px}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
details{margin:.3em 0}
"""


def _highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """HTML of `text` with every span marked; overlapping spans split into runs."""
    boundaries = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out = []
    for start, end in zip(boundaries, boundaries[1:]):
        covering = [(kind, title) for s, e, kind, title in spans if s <= start and end <= e]
        piece = html.escape(text[start:end])
        if covering:
            kind = covering[0][0]
            title = html.escape(" | ".join(t for _, t in covering), quote=True)
            classes = " ".join(sorted({k for k, _ in covering}))
            out.append(f'<mark class="{classes}" style="background:{COLOURS[kind]}" title="{title}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _raw_text(source: str) -> str:
    """The raw input of a document: the file, or the text of its JSON Lines line."""
    path, _, line = source.rpartition(":") if source.rsplit(":", 1)[-1].isdigit() else (source, "", "")
    if line:
        with open(path, encoding="utf-8") as lines:
            for number, content in enumerate(lines, start=1):
                if number == int(line):
                    record = json.loads(content)
                    return record.get("text") or record.get("html") or ""
        return ""
    from .io.readers import decode

    decoded = decode(Path(path).read_bytes())
    return decoded[0] if isinstance(decoded, tuple) else ""


def _values(row: pd.Series, kind: str) -> str:
    skip = {"doc_id", "text", "start", "end", "raw_start", "raw_end", "sentence_id", "sentence"}
    return ", ".join(f"{k}={v}" for k, v in row.items() if k not in skip and not pd.isna(v) and v != "")


def render(folder: str | Path) -> str:
    folder = Path(folder)
    documents = read_table(folder, "documents")
    mentions = {kind: read_table(folder, kind) for kind in MENTION_TABLES}
    errors = read_table(folder, "errors")
    parts = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>Extraction report</title>"
             f"<style>{_STYLE}</style></head><body><h1>Extraction report: {html.escape(str(folder))}</h1>",
             "<p class='legend'>" + "".join(f"<span style='background:{c}'>{k}</span>" for k, c in COLOURS.items())
             + f"</p><p>{len(documents)} documents, "
             + ", ".join(f"{len(mentions[k])} {k}" for k in MENTION_TABLES) + f", {len(errors)} errors.</p>"]
    for document in documents.itertuples():
        text_path = folder / "text" / f"{document.doc_id}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        try:
            raw = _raw_text(document.source)
        except (OSError, ValueError):
            raw = ""
        normalized_spans, raw_spans, tables = [], [], []
        for kind, frame in mentions.items():
            rows = frame[frame["doc_id"] == document.doc_id]
            for row in rows.itertuples(index=False):
                row = pd.Series(row._asdict())
                title = f"{kind} · {row['rule']} · {_values(row, kind)}"
                normalized_spans.append((int(row["start"]), int(row["end"]), kind, title))
                if raw and pd.notna(row["raw_start"]):
                    raw_spans.append((int(row["raw_start"]), int(row["raw_end"]), kind, title))
            if len(rows):
                shown = rows.drop(columns=["doc_id", "sentence"]).astype(str)
                tables.append(f"<details><summary>{kind} ({len(rows)})</summary>"
                              f"{shown.to_html(index=False, escape=True)}</details>")
        parts.append(
            f"<h2 id='{html.escape(document.doc_id, quote=True)}'>{html.escape(document.doc_id)}</h2>"
            f"<p>{html.escape(str(document.source))} · script {document.script} · reference date "
            f"{document.reference_date or '—'} ({document.reference_date_source}) · repairs {document.repairs}"
            f" · {len(normalized_spans)} mentions</p>"
            f"<div class='pair'><div class='pane'><h3>normalized</h3>{_highlight(text, normalized_spans)}</div>"
            f"<div class='pane'><h3>raw</h3>{_highlight(raw, raw_spans)}</div></div>" + "".join(tables))
    if len(errors):
        parts.append("<h2>errors</h2>" + errors.astype(str).to_html(index=False, escape=True))
    parts.append("</body></html>")
    return "".join(parts)


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the report page (default `<folder>/report.html`) and return its path."""
    target = Path(out) if out else Path(folder) / "report.html"
    write_text(target, render(folder))
    return target
