"""Throughput and memory of the pipeline, as ratios to jieba.lcut on the same text.

Builds a corpus of at least 20 MB from the samples and damaged variants of them
(pipeline.corrupt, several seeds and mechanisms): half web/PDF-damaged simplified
text, half GBK-mojibake traditional text, as in the two samples. Then reports, in
one run: characters per second of each stage and of the whole pipeline on one
core, for each half, each as a ratio to `jieba.lcut` over the same raw text
(medians of --repeats runs on a slice of each half); the full batch run over the
whole corpus with 1 and with 2 workers, its speed-up and the peak memory of a worker.

    python benchmarks/throughput.py [--megabytes 20] [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jieba

from pipeline.api import EXTRACTORS, choose_reference_date, process
from pipeline.corrupt import MECHANISMS, damage
from pipeline.extractors import Context
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.types import RawDocument

ROOT = Path(__file__).resolve().parent.parent
# (class, damage): web and PDF damage on simplified text; GBK mojibake on traditional text
_WEB = tuple(m for m in MECHANISMS if m not in ("regional", "gbk_pinyin"))
VARIANTS = [("simplified", _WEB), ("gbk", MECHANISMS), ("simplified", tuple(m for m in _WEB if m != "pdf")),
            ("gbk", ("gbk_pinyin", "chrome"))]


# the CLI, sampling the resident memory of its process and of each worker every 0.1 s;
# prints the peaks in KB. (ru_maxrss would also count this process: Linux keeps it
# across the fork and exec that start the run.)
_MEASURED_RUN = """
import sys, threading, time
import psutil
from pipeline.cli import main
me, peaks, done = psutil.Process(), {"driver": 0, "worker": 0}, threading.Event()
def sample():
    while not done.is_set():
        try:
            peaks["driver"] = max(peaks["driver"], me.memory_info().rss)
            for child in me.children(recursive=True):
                peaks["worker"] = max(peaks["worker"], child.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
threading.Thread(target=sample, daemon=True).start()
code = main(sys.argv[1:])
done.set()
print(peaks["driver"] // 1024, peaks["worker"] // 1024, file=sys.stderr)
sys.exit(code)
"""


def build_corpus(folder: Path, megabytes: float) -> dict[str, list[str]]:
    samples = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))}
    clean = [normalize(text).text for text in samples.values()]
    texts: dict[str, list[str]] = {"simplified": [], "gbk": []}
    size, seed = 0, 0
    while size < megabytes * 1_000_000:
        if seed % 10 < 2:  # the samples themselves: 000 is GBK-damaged, 004 is PDF text
            name = sorted(samples)[seed % 10]
            kind, text = ("gbk" if name.startswith("000") else "simplified"), samples[name]
        else:
            kind, mechanisms = VARIANTS[seed % len(VARIANTS)]
            text = damage(clean[seed % len(clean)], seed=seed, mechanisms=mechanisms)
        (folder / f"{seed:06d}.txt").write_text(text, encoding="utf-8")
        texts[kind].append(text)
        size += len(text.encode("utf-8"))
        seed += 1
    return texts


def timed(function, texts: list[str], repeats: int) -> float:
    """Median characters per second of `function` over all texts."""
    chars = sum(map(len, texts))
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        for text in texts:
            function(text)
        rates.append(chars / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--slice", type=int, default=150, help="documents timed per stage")
    args = parser.parse_args()
    jieba.setLogLevel(60)
    jieba.initialize()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "corpus"
        folder.mkdir()
        corpus = build_corpus(folder, args.megabytes)
        total_bytes = sum(p.stat().st_size for p in folder.iterdir())
        total_chars = sum(len(t) for texts in corpus.values() for t in texts)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"corpus: {sum(map(len, corpus.values()))} documents, {total_bytes / 1e6:.1f} MB, "
              f"{total_chars / 1e6:.2f}M characters; "
              + ", ".join(f"{len(t)} {kind}" for kind, t in corpus.items()) + "\n")

        results: dict[str, dict[str, float]] = {}
        sizes: dict[str, int] = {}
        for kind, texts in corpus.items():
            sample = texts[: args.slice]
            chars = sum(map(len, sample))
            normalized = [normalize(t).text for t in sample]
            segmented = [segment(t) for t in normalized]
            context = Context(reference_date=choose_reference_date("", normalized[0], "2025"))

            def per_raw_char(function, inputs):
                started = time.perf_counter()
                for item in inputs:
                    function(item)
                return chars / (time.perf_counter() - started)

            stages = {"jieba.lcut (reference)": timed(jieba.lcut, sample, args.repeats),
                      "normalize": timed(normalize, sample, args.repeats),
                      "segment (rjieba in spaCy)": statistics.median(
                          per_raw_char(segment, normalized) for _ in range(args.repeats))}
            for name, extractor in EXTRACTORS:
                stages[f"extract {name}"] = statistics.median(
                    per_raw_char(lambda s: extractor(s, context), segmented) for _ in range(args.repeats))
            stages["whole pipeline (pipeline.api.process)"] = timed(
                lambda t: process(RawDocument("d", "d", t)), sample, args.repeats)
            results[kind] = stages
            sizes[kind] = chars
        print(f"stages, characters of raw text per second on one core, {args.slice} documents of each half, "
              f"median of {args.repeats}:\n")
        print("| stage | " + " | ".join(f"{kind} chars/s | ratio" for kind in results) + " |")
        print("|---|" + "---:|---:|" * len(results))
        for stage in results["simplified"]:
            cells = []
            for stages in results.values():
                reference = stages["jieba.lcut (reference)"]
                cells.append(f"{stages[stage] / 1e3:,.0f}k | {stages[stage] / reference:.2f}")
            print(f"| {stage} | " + " | ".join(cells) + " |")

        def combined(stage: str) -> float:  # both halves together: all their characters over all their time
            return sum(sizes.values()) / sum(sizes[kind] / results[kind][stage] for kind in results)

        whole = combined("whole pipeline (pipeline.api.process)")
        reference = combined("jieba.lcut (reference)")
        print(f"\nboth halves together: whole pipeline {whole / 1e3:,.0f}k chars/s, jieba.lcut "
              f"{reference / 1e3:,.0f}k chars/s, ratio {whole / reference:.2f}")

        print("\nbatch runs over the whole corpus, `python -m pipeline run` in a fresh process:\n")
        print("| workers | seconds | chars/s | peak memory of the driver | of a worker |")
        print("|---:|---:|---:|---:|---:|")
        seconds = {}
        for workers in (1, 2):
            out = Path(temporary) / f"out{workers}"
            started = time.perf_counter()
            finished = subprocess.run([sys.executable, "-c", _MEASURED_RUN, "run", str(folder), "--out", str(out),
                                       "--workers", str(workers)], check=True, capture_output=True, text=True)
            seconds[workers] = time.perf_counter() - started
            driver, worker = (int(kb) for kb in finished.stderr.strip().splitlines()[-1].split())
            print(f"| {workers} | {seconds[workers]:.1f} | {total_chars / seconds[workers] / 1e3:,.0f}k "
                  f"| {driver / 1024:.0f} MB | {(worker or driver) / 1024:.0f} MB |")
        print(f"\nspeed-up of 2 workers over 1: {seconds[1] / seconds[2]:.2f}x")


if __name__ == "__main__":
    main()
