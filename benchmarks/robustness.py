"""How much of what the pipeline finds in an article survives damage to it.

Every article of the news corpus (../shared/corpora/news/, never copied into the
repository) is run twice through the batch runner: clean, and damaged by
`pipeline.corrupt.damage` with every mechanism of damage.md combined (seeded by its
position). The mentions of the clean run are the reference: for each kind, the
precision, recall and F1 of the damaged run's mentions against them, a mention being
its article, its text (spaces left out) and its value. This measures robustness to
damage, not accuracy: a mention wrong in both runs agrees with itself (accuracy is
`benchmarks/accuracy.py`'s).

    python benchmarks/robustness.py [--articles 1653] [--seed 5000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from pipeline import read_table
from pipeline.corrupt import damage

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "peoples_daily_2019-02.jsonl"
VALUES = {"money": "amount", "counts": "value", "dates": "value", "organizations": "name"}


def write_corpus(folder: Path, articles: int, seed: int) -> tuple[Path, Path]:
    """The first `articles` articles, clean and damaged, as two JSON-lines inputs."""
    clean, damaged = folder / "clean.jsonl", folder / "damaged.jsonl"
    with NEWS.open(encoding="utf-8") as lines, clean.open("w", encoding="utf-8") as clean_out, \
            damaged.open("w", encoding="utf-8") as damaged_out:
        for index, line in enumerate(lines):
            if index == articles:
                break
            record = json.loads(line)
            clean_out.write(json.dumps(record, ensure_ascii=False) + "\n")
            record["text"] = damage(record["text"], seed=seed + index)
            damaged_out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return clean, damaged


def mentions(folder: Path, kind: str) -> Counter:
    table = read_table(folder, kind)
    return Counter(zip(table["doc_id"], table["text"].str.replace(" ", ""), table[VALUES[kind]].astype(str)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1653, help="articles of the news corpus to use")
    parser.add_argument("--seed", type=int, default=5000, help="seed of the first article's damage")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        outputs = {}
        for label, path in zip(("clean", "damaged"), write_corpus(folder, args.articles, args.seed)):
            outputs[label] = folder / f"out-{label}"
            subprocess.run([sys.executable, "-m", "pipeline", "run", str(path), "--out", str(outputs[label])],
                           check=True, capture_output=True)
        print(f"{args.articles} articles of {NEWS.name}, damaged with every mechanism combined "
              f"(seeds from {args.seed}); the clean run's mentions are the reference:\n")
        print("| kind | clean mentions | damaged mentions | P | R | F1 |")
        print("|---|---:|---:|---:|---:|---:|")
        for kind in VALUES:
            reference, found = mentions(outputs["clean"], kind), mentions(outputs["damaged"], kind)
            agreed = sum((reference & found).values())
            precision, recall = agreed / max(sum(found.values()), 1), agreed / max(sum(reference.values()), 1)
            f1 = 2 * precision * recall / (precision + recall) if agreed else 0.0
            print(f"| {kind} | {sum(reference.values()):,} | {sum(found.values()):,} "
                  f"| {precision:.3f} | {recall:.3f} | {f1:.3f} |")


if __name__ == "__main__":
    main()
