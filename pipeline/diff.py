"""What changed between two runs (say, before and after a rule edit): every mention
added, removed or changed, per kind and per rule, with its sentence.

Both folders are read with `read_table`, as written by `run`. A mention of one run is
paired with the mention of the same kind, document and span in the other; failing
that, with one whose span overlaps it (a rule that now reads `1265万元` where it read
`1265万`). A pair whose text, rule or values differ is `changed`; a mention with no
partner is `added` (only in B) or `removed` (only in A). Offsets point into the
normalized text, so they compare when both runs normalized a document alike: the
documents whose normalized text differs are counted apart, their changes are real
but their spans may have moved.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .io.schema import MENTION_TABLES, TABLES
from .io.writers import cell_text, read_table, text_path

if TYPE_CHECKING:  # imported where a diff is made: the command line registers `diff` for every run
    import pandas as pd

# Columns that place a mention rather than say what it is.
_PLACE = {"doc_id", "start", "end", "raw_start", "raw_end", "sentence_id", "sentence", "rule", "text"}
CHANGES = ("added", "removed", "changed")
COLUMNS = ("change", "kind", "doc_id", "rule_a", "rule_b", "text_a", "text_b", "start_a", "end_a",
           "start_b", "end_b", "values_a", "values_b", "sentence")


def value_columns(kind: str) -> list[str]:
    """The columns that say what a mention of `kind` is: amount, currency, value, name, ..."""
    return [column.name for column in TABLES[kind] if column.name not in _PLACE]


def _values(row: dict[str, Any], kind: str) -> str:
    return "; ".join(f"{name}={cell_text(row[name])}" for name in value_columns(kind))


def _rows(folder: Path, kind: str) -> dict[str, list[dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in read_table(folder, kind).to_dict("records"):
        by_doc.setdefault(row["doc_id"], []).append(row)
    return by_doc


def _pair(rows_a: list[dict], rows_b: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pairs of (A, B) mentions, then A's and B's mentions left without a partner."""
    left_b = {(row["start"], row["end"]): row for row in rows_b}
    pairs, only_a = [], []
    for row in rows_a:
        partner = left_b.pop((row["start"], row["end"]), None)
        if partner is None:
            only_a.append(row)
        else:
            pairs.append((row, partner))
    unpaired_a = []
    for row in only_a:  # the same place read differently: the longest overlap wins
        overlapping = [b for b in left_b.values() if b["start"] < row["end"] and row["start"] < b["end"]]
        partner = max(overlapping, key=lambda b: min(b["end"], row["end"]) - max(b["start"], row["start"]),
                      default=None)
        if partner is None:
            unpaired_a.append(row)
        else:
            pairs.append((row, partner))
            del left_b[(partner["start"], partner["end"])]
    return pairs, unpaired_a, list(left_b.values())


def _change(change: str, kind: str, a: dict | None, b: dict | None) -> dict[str, Any]:
    either = b if b is not None else a
    return {
        "change": change, "kind": kind, "doc_id": either["doc_id"],
        "rule_a": a["rule"] if a else "", "rule_b": b["rule"] if b else "",
        "text_a": a["text"] if a else "", "text_b": b["text"] if b else "",
        "start_a": a["start"] if a else None, "end_a": a["end"] if a else None,
        "start_b": b["start"] if b else None, "end_b": b["end"] if b else None,
        "values_a": _values(a, kind) if a else "", "values_b": _values(b, kind) if b else "",
        "sentence": either["sentence"],
    }


@dataclass
class Diff:
    changes: pd.DataFrame  # one row per added, removed or changed mention (COLUMNS)
    unchanged: pd.DataFrame  # kind, rule, unchanged: mentions the same in both runs
    documents: dict[str, list[str]]  # only_a, only_b, text_changed: doc_ids

    def summary(self) -> pd.DataFrame:
        """Per kind and rule: mentions added, removed, changed and unchanged.

        A changed mention counts under its rule in B (`rule_a -> rule_b` when the rule changed)."""
        changes = self.changes.assign(rule=[
            b if a == b or not a else (a if not b else f"{a} -> {b}")
            for a, b in zip(self.changes["rule_a"], self.changes["rule_b"])])
        counts = changes.groupby(["kind", "rule", "change"]).size().unstack("change", fill_value=0)
        counts = counts.reindex(columns=list(CHANGES), fill_value=0)
        table = counts.join(self.unchanged.set_index(["kind", "rule"]), how="outer").fillna(0).astype(int)
        return table[(table[list(CHANGES)].sum(axis=1) > 0)].sort_index() if len(table) else table


def diff(folder_a: str | os.PathLike, folder_b: str | os.PathLike) -> Diff:
    """The mentions added, removed and changed from run `folder_a` to run `folder_b`."""
    import pandas as pd

    folder_a, folder_b = Path(folder_a), Path(folder_b)
    docs_a = set(read_table(folder_a, "documents")["doc_id"])
    docs_b = set(read_table(folder_b, "documents")["doc_id"])
    changes, unchanged = [], []
    for kind in MENTION_TABLES:
        by_doc_a, by_doc_b = _rows(folder_a, kind), _rows(folder_b, kind)
        columns = ["text", "rule", *value_columns(kind)]
        for doc_id in sorted(set(by_doc_a) | set(by_doc_b)):
            pairs, removed, added = _pair(by_doc_a.get(doc_id, []), by_doc_b.get(doc_id, []))
            for a, b in pairs:
                if all(cell_text(a[c]) == cell_text(b[c]) for c in columns):  # values compare as written
                    unchanged.append((kind, b["rule"]))
                else:
                    changes.append(_change("changed", kind, a, b))
            changes += [_change("removed", kind, a, None) for a in removed]
            changes += [_change("added", kind, None, b) for b in added]
    text_changed = [doc_id for doc_id in sorted(docs_a & docs_b) if _text(folder_a, doc_id) != _text(folder_b, doc_id)]
    frame = pd.DataFrame(changes, columns=list(COLUMNS))
    order = {change: index for index, change in enumerate(CHANGES)}
    frame = frame.sort_values(["kind", "doc_id", "change"], key=lambda c: c.map(order) if c.name == "change" else c,
                              kind="stable").reset_index(drop=True)
    kept = pd.DataFrame(unchanged, columns=["kind", "rule"]).groupby(["kind", "rule"]).size().rename("unchanged")
    return Diff(frame, kept.reset_index(), {"only_a": sorted(docs_a - docs_b), "only_b": sorted(docs_b - docs_a),
                                            "text_changed": text_changed})


def _text(folder: Path, doc_id: str) -> str | None:
    path = text_path(folder, doc_id)
    return path.read_text(encoding="utf-8") if path.exists() else None


def _around(sentence: str, text: str, width: int = 40) -> str:
    """The part of a long sentence around `text`."""
    at = max(sentence.find(text), 0)
    start, end = max(at - width, 0), min(at + len(text) + width, len(sentence))
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def describe(result: Diff, show: int = 20) -> str:
    """The summary table, the documents that differ, then the first `show` changes with their sentence."""
    lines = []
    summary = result.summary()
    totals = {change: int((result.changes["change"] == change).sum()) for change in CHANGES}
    lines.append(", ".join(f"{count} {change}" for change, count in totals.items())
                 + f", {int(result.unchanged['unchanged'].sum()) if len(result.unchanged) else 0} unchanged")
    if len(summary):
        lines.append(summary.to_string())
    for key, label in (("only_a", "documents only in A"), ("only_b", "documents only in B"),
                       ("text_changed", "documents whose normalized text changed")):
        if result.documents[key]:
            lines.append(f"{len(result.documents[key])} {label}: {', '.join(result.documents[key][:10])}"
                         + (" ..." if len(result.documents[key]) > 10 else ""))
    for row in result.changes.head(show).itertuples(index=False):
        if row.change == "changed":
            what = f"{row.text_a} [{row.rule_a}; {row.values_a}] -> {row.text_b} [{row.rule_b}; {row.values_b}]"
        elif row.change == "added":
            what = f"{row.text_b} [{row.rule_b}; {row.values_b}]"
        else:
            what = f"{row.text_a} [{row.rule_a}; {row.values_a}]"
        lines.append(f"{row.change:<8} {row.kind:<13} {row.doc_id}  {what}\n"
                     f"         in: {_around(row.sentence, row.text_b or row.text_a)}")
    if len(result.changes) > show:
        lines.append(f"... {len(result.changes) - show} more in the CSV")
    return "\n".join(lines)


def add_command(commands) -> None:
    """Register `python -m pipeline diff` on the CLI's subcommands."""
    command = commands.add_parser(
        "diff", help="mentions added, removed and changed between two runs",
        description="Compare two output folders of `run` (say, before and after a rule edit): print the "
                    "mentions added, removed and changed per kind and rule, with their sentence, and write "
                    "every change to a CSV.",
        epilog="example:\n  python -m pipeline diff extracted_before extracted_after --out changes.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("folder_a", type=Path, metavar="DIR_A", help="the earlier run")
    command.add_argument("folder_b", type=Path, metavar="DIR_B", help="the later run")
    command.add_argument("--out", type=Path, help="the CSV of every change (default: DIR_B/diff.csv)")
    command.add_argument("--show", type=int, default=20, metavar="N", help="changes to print (default: 20)")
    command.set_defaults(handler=_main)


def _main(args) -> int:
    for folder in (args.folder_a, args.folder_b):
        if not (folder / "documents.csv").exists() and not (folder / "documents.parquet").exists():
            print(f"{folder}: no documents table; run `python -m pipeline run ... --out {folder}` first",
                  file=sys.stderr)
            return 1
    result = diff(args.folder_a, args.folder_b)
    out = args.out or args.folder_b / "diff.csv"
    write_changes(result, out)
    print(describe(result, args.show))
    print(f"{len(result.changes)} changes written to {out}", file=sys.stderr)
    return 0


def write_changes(result: Diff, path: str | os.PathLike) -> None:
    """Every change as UTF-8 CSV with a BOM, like the run's own tables."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    result.changes.astype({"start_a": "Int64", "end_a": "Int64", "start_b": "Int64", "end_b": "Int64"}).to_csv(
        path, index=False, encoding="utf-8-sig")
