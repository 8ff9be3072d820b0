"""Command line: parse arguments, then hand over to `batch` (or another command's module).

Each subcommand is registered by one `add_*` function that declares its options and
sets `handler`, the function that runs it; `COMMANDS` lists them in help order.
"""
from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import signal
import sys
from pathlib import Path

from .dateref import parse_reference_date

DESCRIPTION = """\
Extract money, counts, dates and organizations from Chinese news articles
(.txt, .html or .jsonl, damaged scrapes included) into typed tables.
Run `python -m pipeline COMMAND --help` for a command's options."""

RUN_EXAMPLES = """\
examples:
  python -m pipeline run raw --out extracted
  python -m pipeline run scraped/2025-12-03/ feed.jsonl --out extracted --reference-date 2025-12-03
  python -m pipeline run corpus --out extracted --workers 2 --format parquet
  python -m pipeline run corpus --out extracted --xlsx        # also tables.xlsx, safe to open in Excel
  python -m pipeline run corpus --out extracted --engine dask --scheduler tcp://10.0.0.5:8786

Running the same command again only processes new or changed articles, and
resumes a run that was interrupted. Bad inputs never stop a run: each becomes a
row of DIR/errors.csv with the reason. Exit code: 0 when any article was
processed or already done, 1 when none could be, 3 when DIR is in use by
another run."""


class _Help(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def _reference_date(value: str) -> str:
    if parse_reference_date(value, "cli") is None:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: {value!r}")
    return value


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}")
    return seconds


def add_run(commands) -> None:
    from .batch import TIME_LIMIT

    run = commands.add_parser(
        "run", help="read articles, repair and extract, write the tables (start here)", formatter_class=_Help,
        description="Read every article under INPUT, repair its text, extract money, counts, dates and\n"
                    "organizations, and write them as tables in DIR: CSV with a BOM, datapackage.json,\n"
                    "text/<doc_id>.txt (the repaired texts) and errors.csv (inputs that failed, and why).",
        epilog=RUN_EXAMPLES)
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help=".txt, .html (.htm, .shtml, .xhtml) or .jsonl files, or folders searched recursively")
    run.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder (created if missing)")
    run.add_argument("--reference-date", type=_reference_date, metavar="DATE",
                     help="YYYY, YYYY-MM or YYYY-MM-DD: resolve relative dates (今年, 上月) against it when an "
                          "article gives no date of its own (default: none; such dates stay unresolved)")
    run.add_argument("--workers", type=int, default=None, metavar="N",
                     help=f"processes working in parallel (default: every core, {os.cpu_count()} here)")
    run.add_argument("--time-limit", type=_seconds, default=TIME_LIMIT, metavar="SECONDS",
                     help=f"longest time a worker may take over one chunk of articles before it is stopped; its "
                          f"articles go again one by one, and the one that runs away is listed in errors.csv; "
                          f"0 for no limit (default: {TIME_LIMIT:g}; local engine only)")
    run.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="output_format",
                     help="table format: csv, or parquet folders of part files for very large runs (default: csv)")
    run.add_argument("--xlsx", action="store_true",
                     help="also write tables.xlsx, one sheet per table, for Excel: text stays text, a cell "
                          "starting with = + - @ is never run as a formula (default: off)")
    run.add_argument("--force", action="store_true",
                     help="redo every article, even those already done with the same rules (default: off)")
    run.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local processes, or a Dask cluster (default: local)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local cluster)")
    run.set_defaults(handler=_run)


def add_normalize(commands) -> None:
    normalize = commands.add_parser(
        "normalize", help="write only the repaired texts, no extraction", formatter_class=_Help,
        description="Repair each article's text (encoding, mojibake, markup, layout, traditional script)\n"
                    "and write it to DIR/text/<doc_id>.txt, with errors.csv; no extraction.",
        epilog="example:\n  python -m pipeline normalize raw --out normalized")
    normalize.add_argument("inputs", nargs="+", metavar="INPUT",
                           help=".txt, .html (.htm, .shtml, .xhtml) or .jsonl files, or folders searched recursively")
    normalize.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    normalize.set_defaults(handler=_normalize_only)


def add_report(commands) -> None:
    report = commands.add_parser(
        "report", help="write DIR/report.html, an index, and a page per article in DIR/report/",
        formatter_class=_Help,
        description="Write HTML pages of a folder written by `run`: an index with counts and filters, and\n"
                    "a page per article with its mentions highlighted in the repaired text, the raw text\n"
                    "beside it, and its tables.",
        epilog="example:\n  python -m pipeline report extracted        # writes extracted/report.html")
    report.add_argument("folder", type=Path, metavar="DIR", help="a folder written by `run`")
    report.add_argument("--out", type=Path, metavar="FILE",
                        help="the index page to write (default: DIR/report.html; the article pages go in "
                             "the folder of its name)")
    report.set_defaults(handler=_report)


COMMANDS = (add_run, add_normalize, add_report)


def parser() -> argparse.ArgumentParser:
    from . import annotate, diff, explain  # the tools: each registers its subcommand and its handler

    top = argparse.ArgumentParser(prog="python -m pipeline", description=DESCRIPTION, formatter_class=_Help,
                                  epilog=RUN_EXAMPLES.split("\n\n")[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_command in (*COMMANDS, explain.add_command, diff.add_command, annotate.add_command):
        add_command(commands)
    return top


def _normalize_only(args: argparse.Namespace) -> int:
    from .io.readers import read_inputs
    from .io.schema import cells
    from .io.writers import text_path, write_csv, write_text
    from .normalize import normalize
    from .types import InputError

    written, errors = 0, []
    for item in read_inputs(args.inputs):
        if isinstance(item, InputError):
            errors.append(cells("errors", item.row()))
            print(f"{item.source}: {item.message}", file=sys.stderr)
            continue
        write_text(text_path(args.out, item.doc_id), normalize(item.raw, item.markup).text)
        written += 1
    write_csv(args.out / "errors.csv", "errors", errors)
    print(f"{written} normalized texts in {args.out / 'text'}, {len(errors)} errors"
          + (f": see {args.out / 'errors.csv'}" if errors else ""), file=sys.stderr)
    return 0 if written else 1


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    if not (args.folder / "datapackage.json").exists():
        print(f"{args.folder}: no tables; run `python -m pipeline run ... --out {args.folder}` first",
              file=sys.stderr)
        return 1
    print(write_report(args.folder, args.out), file=sys.stderr)
    return 0


def _run(args: argparse.Namespace) -> int:
    from .batch import StateTooNew, run
    from .io.folder import FolderBusy

    try:
        summary = run(args.inputs, args.out, reference_date=args.reference_date, workers=args.workers,
                      engine=args.engine, scheduler=args.scheduler, force=args.force,
                      output_format=args.output_format, xlsx=args.xlsx, time_limit=args.time_limit)
    except (FolderBusy, StateTooNew) as unusable:
        print(f"error: {unusable}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print(f"\ninterrupted: the documents done so far are kept; run the same command again to resume "
              f"(the tables in {os.fspath(args.out)} are still those of the last complete run)", file=sys.stderr)
        return 130
    print(closing_summary(summary, args.out, args.output_format, args.xlsx), file=sys.stderr)
    return 0 if summary.processed or summary.skipped else 1


def closing_summary(summary, out: Path, output_format: str, xlsx: bool) -> str:
    """What the run did, where each output is with its row count, and what to look at next."""
    suffix = ".csv" if output_format == "csv" else ".parquet"
    lines = [f"{summary.processed} processed, {summary.skipped} already done, {summary.failed} failed, "
             f"{summary.input_errors} unreadable in {summary.seconds:.1f}s. Outputs in {os.fspath(out)}:"]
    width = max(len(table) for table in summary.tables) + len(suffix)
    for table, count in summary.tables.items():
        lines.append(f"  {table + suffix:<{width}}  {count:>8} rows")
    lines.append(f"  {'text/':<{width}}  normalized texts, which start/end offsets point into")
    if xlsx:
        lines.append(f"  {'tables.xlsx':<{width}}  every table as a sheet, for Excel")
    errors = summary.tables.get("errors", 0)
    if errors:
        lines.append(f"{errors} inputs could not be processed: each is a row of "
                     f"{os.fspath(out / ('errors' + suffix))} with the reason.")
    lines.append(f"Next: python -m pipeline report {os.fspath(out)}   (an HTML index and a page per article), "
                 f"or in Python: pipeline.read_table({os.fspath(out)!r}, 'money')")
    return "\n".join(lines)


def _stop(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds: workers are stopped, the folder is released


def main(argv: list[str] | None = None) -> int:
    command_line = parser()
    args = command_line.parse_args(argv)
    if getattr(args, "xlsx", False) and importlib.util.find_spec("xlsxwriter") is None:
        command_line.error("--xlsx needs XlsxWriter: pip install 'pipeline[excel]' (or xlsxwriter)")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    signal.signal(signal.SIGTERM, _stop)
    return args.handler(args)
