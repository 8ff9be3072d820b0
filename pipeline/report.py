"""The HTML report of an output folder, fast at any size: an index page (counts, the
rules that fired, every document with filters) and one page per document (its mentions
highlighted in the normalized text and in the raw input beside it, and their values).

The raw input is read when the report is written and copied into the document's page,
so the pages open anywhere. A document's `source` is the path as the run was given it,
often relative to where the run was started; it is looked for as given, then under the
current folder and under every folder above the output folder, and a candidate is taken
when its SHA-256 is the `content_hash` the run recorded (else the first that exists,
with a warning on the page that the file changed since the run).
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pandas as pd

from .io.readers import decode, split_source
from .io.schema import MENTION_TABLES, TABLES
from .io.writers import cell_text, read_table, text_path, write_text

COLOURS = {"money": "#ffd166", "counts": "#9be7a1", "dates": "#8ecae6", "organizations": "#f4a6c1"}
_PLACE = {"doc_id", "text", "start", "end", "raw_start", "raw_end", "sentence_id", "sentence", "rule"}

_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",sans-serif;margin:1.2em;color:#222}
h1{font-size:1.35em;margin:.2em 0} h2{font-size:1.1em;margin-top:1.4em;border-bottom:1px solid #ccc}
a{color:#0b5cad;text-decoration:none} a:hover{text-decoration:underline}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.pane{white-space:pre-wrap;line-height:1.7;border:1px solid #ddd;padding:.6em;max-height:42em;overflow:auto}
.pane h3{margin:0 0 .4em;font-size:.95em;color:#555;white-space:normal}
mark{border-radius:3px;padding:0 1px}
.money{background:#ffd166}.counts{background:#9be7a1}.dates{background:#8ecae6}.organizations{background:#f4a6c1}
.legend span{padding:0 .5em;margin-right:.5em;border-radius:3px}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4;cursor:pointer;position:sticky;top:0}
td.n{text-align:right} .warn{color:#a33} .meta{color:#555}
.filters{display:flex;gap:1em;flex-wrap:wrap;align-items:center;margin:.6em 0}
.filters input[type=search]{width:22em}
"""

_INDEX_SCRIPT = """
const rows=[...document.querySelectorAll('#docs tbody tr')];
const q=document.getElementById('q'),kind=document.getElementById('kind'),rule=document.getElementById('rule'),
      status=document.getElementById('status'),shown=document.getElementById('shown');
function apply(){
  const text=q.value.trim().toLowerCase(),k=kind.value,r=rule.value,s=status.value;let n=0;
  for(const row of rows){
    const ok=(!text||row.dataset.search.includes(text))&&(!k||+row.dataset[k]>0)
      &&(!r||row.dataset.rules.split(' ').includes(r))&&(!s||row.dataset.status===s);
    row.hidden=!ok;n+=ok;}
  shown.textContent=n;}
for(const input of [q,kind,rule,status])input.addEventListener('input',apply);
document.querySelectorAll('a.rule').forEach(a=>a.addEventListener('click',e=>{
  e.preventDefault();rule.value=a.dataset.rule;apply();document.getElementById('docs').scrollIntoView();}));
document.querySelectorAll('#docs th').forEach((th,col)=>th.addEventListener('click',()=>{
  const body=th.closest('table').tBodies[0],numeric=th.classList.contains('n'),up=th.dataset.up!=='1';
  th.dataset.up=up?'1':'0';
  const key=row=>{const t=row.cells[col].textContent;return numeric?+t:t;};
  rows.sort((a,b)=>(key(a)>key(b)?1:key(a)<key(b)?-1:0)*(up?1:-1)).forEach(row=>body.appendChild(row));}));
apply();
"""


def _highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """HTML of `text` with every span marked; where spans overlap, the piece is split
    and carries every span's kind and title. One sweep over the span boundaries."""
    spans = sorted((s, e, kind, title) for s, e, kind, title in spans if 0 <= s < e <= len(text))
    boundaries = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out, active, following = [], [], 0
    for start, end in zip(boundaries, boundaries[1:]):
        active = [span for span in active if span[1] > start]
        while following < len(spans) and spans[following][0] <= start:
            active.append(spans[following])
            following += 1
        piece = html.escape(text[start:end])
        if active:
            kinds = " ".join(dict.fromkeys(kind for _, _, kind, _ in active))
            title = html.escape(" | ".join(title for *_, title in active), quote=True)
            out.append(f'<mark class="{kinds}" title="{title}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _candidates(source: str, folder: Path) -> Iterator[Path]:
    path = Path(source)
    if path.is_absolute():
        yield path
        return
    yield Path.cwd() / path
    for base in (folder.resolve(), *folder.resolve().parents):
        yield base / path


def _jsonl_line(path: Path, number: int, cache: dict[Path, list[bytes]]) -> bytes:
    if path not in cache:  # one read per JSON Lines file, however many articles it holds
        cache.clear()
        cache[path] = path.read_bytes().splitlines()
    lines = cache[path]
    return lines[number - 1] if 0 < number <= len(lines) else b""


def _raw_text(source: str, content_hash: str, folder: Path, cache: dict) -> tuple[str, str]:
    """The raw input of a document and a warning (empty when it is the input the run read)."""
    name, line = split_source(source)
    fallback = None
    for path in _candidates(name, folder):
        if not path.is_file():
            continue
        data = _jsonl_line(path, line, cache).strip() if line else path.read_bytes()
        if hashlib.sha256(data).hexdigest() == content_hash:
            return _decoded(data, line), ""
        fallback = fallback or (path, data)
    if fallback:
        path, data = fallback
        return _decoded(data, line), f"{path} changed since the run: the raw highlights may be off"
    return "", f"raw input {source} not found (looked under the current folder and above {folder})"


def _decoded(data: bytes, line: int | None) -> str:
    if line:
        try:
            record = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return ""
        body = record.get("text") if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            body = record.get("html") if isinstance(record, dict) else None
        return body if isinstance(body, str) else ""
    decoded = decode(data)
    return decoded[0] if isinstance(decoded, tuple) else ""


def _values(kind: str, row: dict[str, Any]) -> str:
    return ", ".join(f"{c.name}={cell_text(row[c.name])}" for c in TABLES[kind]
                     if c.name not in _PLACE and cell_text(row[c.name]) != "")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts (column lists zipped: several times faster than `to_dict`)."""
    columns = {name: frame[name].tolist() for name in frame.columns}
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def _page_name(doc_id: str) -> str:
    """A document page's file name: its text file's name (`io.writers.text_path`, safe for
    ids of any length or script), as .html."""
    return text_path("", doc_id).relative_to("text").with_suffix(".html").as_posix()


def _href(name: str) -> str:
    return quote(name, safe="")


def _head(title: str) -> str:
    return (f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>")


def _legend() -> str:
    return "<p class='legend'>" + "".join(f"<span class='{k}'>{k}</span>" for k in COLOURS) + "</p>"


def _document_page(document: dict[str, Any], text: str, raw: str, warning: str,
                   mentions: dict[str, list[dict[str, Any]]], neighbours: tuple[str | None, str | None],
                   index_name: str) -> str:
    doc_id = document["doc_id"]
    normalized_spans, raw_spans, tables = [], [], []
    for kind in MENTION_TABLES:
        rows = mentions.get(kind, [])
        for row in rows:
            title = f"{kind} · {row['rule']} · {row['values']}"
            normalized_spans.append((int(row["start"]), int(row["end"]), kind, title))
            if raw and cell_text(row["raw_start"]) != "":
                raw_spans.append((int(row["raw_start"]), int(row["raw_end"]), kind, title))
        if rows:
            body = "".join(
                f"<tr><td><mark class='{kind}'>{html.escape(row['text'])}</mark></td>"
                f"<td>{html.escape(row['values'])}</td><td>{html.escape(row['rule'])}</td>"
                f"<td class='n'>{row['start']}–{row['end']}</td></tr>" for row in rows)
            tables.append(f"<h2>{kind} ({len(rows)})</h2><table><thead><tr><th>text</th><th>values</th>"
                          f"<th>rule</th><th>offsets</th></tr></thead><tbody>{body}</tbody></table>")
    previous, following = neighbours
    links = [f"<a href='../{_href(index_name)}'>index</a>"]
    if previous:
        links.append(f"<a href='{_href(_page_name(previous))}'>← {html.escape(previous)}</a>")
    if following:
        links.append(f"<a href='{_href(_page_name(following))}'>{html.escape(following)} →</a>")
    meta = " · ".join(html.escape(str(part)) for part in (
        document["source"], f"script {document['script']}",
        f"reference date {cell_text(document['reference_date']) or '—'} ({document['reference_date_source']})",
        f"repairs {cell_text(document['repairs'])}", f"{len(normalized_spans)} mentions"))
    title = cell_text(document.get("title"))
    return (_head(doc_id) + f"<p>{' · '.join(links)}</p><h1>{html.escape(doc_id)}</h1>"
            + (f"<p>{html.escape(title)}</p>" if title else "") + f"<p class='meta'>{meta}</p>" + _legend()
            + f"<div class='pair'><div class='pane'><h3>normalized (text/{html.escape(doc_id)}.txt)</h3>"
            f"{_highlight(text, normalized_spans)}</div><div class='pane'><h3>raw</h3>"
            + (f"<p class='warn'>{html.escape(warning)}</p>" if warning else "")
            + f"{_highlight(raw, raw_spans)}</div></div>" + "".join(tables) + "</body></html>")


def _index_page(folder: Path, documents: list[dict[str, Any]], counts: dict[str, Counter],
                rules: dict[str, set[str]], rule_totals: Counter, rule_documents: Counter,
                errors: pd.DataFrame, pages: str) -> str:
    totals = {kind: sum(counts[kind].values()) for kind in MENTION_TABLES}
    summary = (f"{len(documents)} documents, " + ", ".join(f"{totals[k]} {k}" for k in MENTION_TABLES)
               + f", {len(errors)} errors.")
    rule_number = {rule: str(number) for number, rule in enumerate(sorted(rule_totals))}  # short, per row
    rule_rows = "".join(
        f"<tr><td>{html.escape(rule.split('.', 1)[0])}</td><td><a class='rule' href='#docs' "
        f"data-rule='{rule_number[rule]}'>{html.escape(rule)}</a></td>"
        f"<td class='n'>{rule_totals[rule]}</td><td class='n'>{rule_documents[rule]}</td></tr>"
        for rule in sorted(rule_totals))
    doc_rows = []
    for document in documents:
        doc_id = document["doc_id"]
        search = " ".join(cell_text(document.get(k)) for k in ("doc_id", "title", "source", "url")).lower()
        data = " ".join(f"data-{kind}='{counts[kind][doc_id]}'" for kind in MENTION_TABLES)
        link = (f"<a href='{pages}/{_href(_page_name(doc_id))}'>{html.escape(doc_id)}</a>"
                if document["status"] == "ok" else html.escape(doc_id))
        cells = "".join(f"<td class='n'>{counts[kind][doc_id]}</td>" for kind in MENTION_TABLES)
        doc_rows.append(
            f"<tr data-search='{html.escape(search, quote=True)}' data-status='{html.escape(document['status'])}' "
            f"data-rules='{' '.join(rule_number[rule] for rule in sorted(rules[doc_id]))}' {data}>"
            f"<td>{link}</td><td>{html.escape(cell_text(document.get('title')))}</td>"
            f"<td>{html.escape(cell_text(document['reference_date']))}</td><td>{html.escape(cell_text(document['script']))}</td>"
            f"<td class='n'>{cell_text(document['repairs'])}</td>{cells}<td>{html.escape(document['status'])}</td></tr>")
    kind_options = "".join(f"<option value='{k}'>with {k}</option>" for k in MENTION_TABLES)
    rule_options = "".join(f"<option value='{rule_number[rule]}'>{html.escape(rule)}</option>"
                           for rule in sorted(rule_totals))
    error_table = ""
    if len(errors):
        error_rows = "".join("<tr>" + "".join(f"<td>{html.escape(cell_text(v))}</td>" for v in row) + "</tr>"
                             for row in errors.itertuples(index=False))
        error_table = ("<h2 id='errors'>errors</h2><table><thead><tr>"
                       + "".join(f"<th>{c}</th>" for c in errors.columns) + f"</tr></thead><tbody>{error_rows}"
                       "</tbody></table>")
    headers = "".join(f"<th{' class=n' if numeric else ''}>{name}</th>" for name, numeric in (
        ("document", False), ("title", False), ("reference date", False), ("script", False), ("repairs", True),
        *((kind, True) for kind in MENTION_TABLES), ("status", False)))
    return (_head("Extraction report") + f"<h1>Extraction report: {html.escape(str(folder))}</h1>" + _legend()
            + f"<p>{summary}</p><h2>rules that fired</h2><table><thead><tr><th>kind</th><th>rule</th>"
            f"<th class=n>mentions</th><th class=n>documents</th></tr></thead><tbody>{rule_rows}</tbody></table>"
            "<h2>documents</h2><div class='filters'><input type='search' id='q' placeholder='doc_id, title, source'>"
            f"<select id='kind'><option value=''>any mentions</option>{kind_options}</select>"
            f"<select id='rule'><option value=''>any rule</option>{rule_options}</select>"
            "<select id='status'><option value=''>any status</option><option>ok</option><option>error</option>"
            f"</select><span><span id='shown'>{len(documents)}</span> shown</span></div>"
            f"<table id='docs'><thead><tr>{headers}</tr></thead><tbody>{''.join(doc_rows)}</tbody></table>"
            + error_table + f"<script>{_INDEX_SCRIPT}</script></body></html>")


def write_report(folder: str | os.PathLike, out: str | os.PathLike | None = None) -> Path:
    """Write the index page (default `<folder>/report.html`) and one page per document in
    the folder beside it named after it (`<folder>/report/<doc_id>.html`); return the index."""
    folder = Path(folder)
    index = Path(out) if out else folder / "report.html"
    pages = index.with_suffix("")
    documents = _records(read_table(folder, "documents"))
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, Counter] = {kind: Counter() for kind in MENTION_TABLES}
    rules: dict[str, set[str]] = defaultdict(set)
    rule_totals, rule_documents = Counter(), Counter()
    for kind in MENTION_TABLES:
        frame = read_table(folder, kind).drop(columns=["sentence", "sentence_id"])  # the pages show the text
        frame = frame.sort_values(["doc_id", "start", "end"], kind="stable")
        for row in _records(frame):
            row["values"] = _values(kind, row)
            by_doc[row["doc_id"]][kind].append(row)
            counts[kind][row["doc_id"]] += 1
            rules[row["doc_id"]].add(row["rule"])
            rule_totals[row["rule"]] += 1
    for found in rules.values():
        rule_documents.update(found)
    shown = [d for d in documents if d["status"] == "ok" and text_path(folder, d["doc_id"]).exists()]
    cache: dict[Path, list[bytes]] = {}
    staging = pages.with_name(f".{pages.name}.tmp")  # pages appear together, replacing the old ones
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for number, document in enumerate(shown):
        doc_id = document["doc_id"]
        text = text_path(folder, doc_id).read_text(encoding="utf-8")
        raw, warning = _raw_text(cell_text(document["source"]), cell_text(document["content_hash"]), folder, cache)
        neighbours = (shown[number - 1]["doc_id"] if number else None,
                      shown[number + 1]["doc_id"] if number + 1 < len(shown) else None)
        page = _document_page(document, text, raw, warning, by_doc.get(doc_id, {}), neighbours, index.name)
        (staging / _page_name(doc_id)).write_text(page, encoding="utf-8")
    shutil.rmtree(pages, ignore_errors=True)
    staging.rename(pages)
    write_text(index, _index_page(folder, documents, counts, rules, rule_totals, rule_documents,
                                  read_table(folder, "errors"), _href(pages.name)))
    return index
