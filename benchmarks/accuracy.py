"""Accuracy on every development suite and on the samples: one table, suite x kind.

Each suite is run through the batch runner (the code path of `python -m pipeline run`)
into a folder of its own and scored by the project's scorer, `shared/eval/score.py`
(imported, not copied): P, R, F1, true and false positives, misses, and the accuracy
of the attributes that are not part of the match key (approx, object, kind, org_type).

Suites: every folder of `shared/eval/dev/` holding `input.jsonl` and `gold/`, and
`samples` (this repository's `raw/` against `shared/eval/gold`); `shared/` stands
beside the repository, as for the notebooks.

    python benchmarks/accuracy.py [--suites recognizers samples] [--kinds money counts]
                                  [--show] [--keep DIR] [--workers N]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import tempfile
from pathlib import Path

from pipeline import batch

ROOT = Path(__file__).resolve().parent.parent


def load_scorer(eval_folder: Path):
    spec = importlib.util.spec_from_file_location("score", eval_folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def suites(eval_folder: Path) -> dict[str, tuple[Path, Path]]:
    """Suite name -> (input, gold folder)."""
    found = {folder.name: (folder / "input.jsonl", folder / "gold")
             for folder in sorted((eval_folder / "dev").iterdir())
             if (folder / "input.jsonl").exists() and (folder / "gold").is_dir()}
    found["samples"] = (ROOT / "raw", eval_folder / "gold")
    return found


def score_suite(scorer, extracted: Path, gold_folder: Path, kinds: list[str] | None) -> dict[str, dict]:
    gold_docs = {}
    for path in sorted(gold_folder.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        gold_docs[document["doc_id"]] = document
    annotated = {kind for document in gold_docs.values() for kind in scorer.TYPES if kind in document}
    results = {}
    for kind, (csv_name, _, _) in scorer.TYPES.items():
        if kind in annotated and (not kinds or kind in kinds):
            results[kind] = scorer.score_type(gold_docs, scorer.read_predictions(extracted, csv_name), kind)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="the shared/eval folder")
    parser.add_argument("--suites", nargs="*", help="only these suites (default: all)")
    parser.add_argument("--kinds", nargs="*", help="only these kinds (default: every kind a suite annotates)")
    parser.add_argument("--show", action="store_true", help="list misses and false positives under each row")
    parser.add_argument("--keep", type=Path, help="write each suite's outputs to DIR/<suite> and keep them")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if not (args.eval / "score.py").exists():
        parser.error(f"no score.py in {args.eval}: give --eval")
    logging.getLogger("pipeline").setLevel(logging.ERROR)
    scorer = load_scorer(args.eval)
    chosen = {name: paths for name, paths in suites(args.eval).items() if not args.suites or name in args.suites}
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        print(f"{'suite':<13}{'kind':<15}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}  attributes")
        for name, (inputs, gold_folder) in chosen.items():
            out = base / name
            batch.run([inputs], out, workers=args.workers, force=True, progress=False)
            for kind, result in score_suite(scorer, out, gold_folder, args.kinds).items():
                attributes = " ".join(f"{a}={v:.2f}" for a, v in result["attributes"].items())
                print(f"{name:<13}{kind:<15}{result['precision']:>7.3f}{result['recall']:>7.3f}"
                      f"{result['f1']:>7.3f}{result['tp']:>6}{result['fp']:>5}{result['fn']:>5}  {attributes}")
                if args.show:
                    for doc_id, text, key in result["missed"]:
                        print(f"      missed   {doc_id} {text!r} {key}")
                    for doc_id, text, key in result["spurious"]:
                        print(f"      spurious {doc_id} {text!r} {key}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
