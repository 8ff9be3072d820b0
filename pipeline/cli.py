"""Command line: parse arguments, then hand over to `batch`."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .dateref import parse_reference_date

EXAMPLES = """
examples:
  python -m pipeline run raw --out extracted
  python -m pipeline run scraped/2025-12-03/ feed.jsonl --out extracted --reference-date 2025-12-03
  python -m pipeline run corpus --out extracted --workers 8 --format parquet
  python -m pipeline run corpus --out extracted --engine dask --scheduler tcp://10.0.0.5:8786
  python -m pipeline normalize raw --out normalized
  python -m pipeline report extracted
"""


def _reference_date(value: str) -> str:
    if parse_reference_date(value, "cli") is None:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: {value!r}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0],
                                  epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="normalize, segment and extract into tables",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .html or .jsonl files, or folders of them")
    run.add_argument("--out", required=True, type=Path, help="output folder")
    run.add_argument("--reference-date", type=_reference_date,
                     help="resolve relative dates against this when an article carries no date")
    run.add_argument("--workers", type=int, default=None, help="processes (default: every core)")
    run.add_argument("--engine", choices=("local", "dask"), default="local")
    run.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    run.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="output_format")
    run.add_argument("--force", action="store_true", help="redo documents that are already done")

    normalize = commands.add_parser("normalize", help="write only the normalized texts")
    normalize.add_argument("inputs", nargs="+", metavar="INPUT")
    normalize.add_argument("--out", required=True, type=Path)

    report = commands.add_parser("report", help="write DIR/report.html, an index, and a page per article in DIR/report/")
    report.add_argument("folder", type=Path, metavar="DIR", help="a folder written by `run`")
    report.add_argument("--out", type=Path, help="the index page to write (default: DIR/report.html; the article pages go in the folder of its name)")

    from . import annotate, diff, explain  # the tools: each registers its subcommand and its handler
    for tool in (explain, diff, annotate):
        tool.add_command(commands)
    return top


def _normalize_only(inputs: list[str], out: Path) -> int:
    from .io.readers import read_inputs
    from .io.writers import write_csv, write_text
    from .normalize import normalize
    from .types import InputError

    written, errors = 0, []
    for item in read_inputs(inputs):
        if isinstance(item, InputError):
            errors.append(item.row())
            print(f"{item.source}: {item.message}", file=sys.stderr)
            continue
        write_text(out / "text" / f"{item.doc_id}.txt", normalize(item.raw, item.markup).text)
        written += 1
    write_csv(out / "errors.csv", "errors", errors)
    print(f"{written} normalized texts in {out / 'text'}, {len(errors)} errors", file=sys.stderr)
    return 0 if written else 1


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    if hasattr(args, "handler"):  # a tool's subcommand (diff, ...)
        return args.handler(args)
    if args.command == "normalize":
        return _normalize_only(args.inputs, args.out)
    if args.command == "report":
        from .report import write_report

        if not (args.folder / "documents.csv").exists():
            print(f"{args.folder}: no documents.csv; run `python -m pipeline run ... --out {args.folder}` first",
                  file=sys.stderr)
            return 1
        print(write_report(args.folder, args.out), file=sys.stderr)
        return 0
    from .batch import run

    summary = run(args.inputs, args.out, reference_date=args.reference_date, workers=args.workers,
                  engine=args.engine, scheduler=args.scheduler, force=args.force,
                  output_format=args.output_format)
    tables = ", ".join(f"{table} {count}" for table, count in summary.tables.items())
    print(f"{summary.processed} processed, {summary.skipped} already done, {summary.failed} failed, "
          f"{summary.input_errors} unreadable in {summary.seconds:.1f}s -> {os.fspath(args.out)} ({tables})",
          file=sys.stderr)
    return 0 if summary.processed or summary.skipped else 1
