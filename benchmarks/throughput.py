"""Throughput, length scaling and memory of the pipeline, as ratios to jieba.lcut.

The corpus is a month of People's Daily (../shared/corpora/news/, 1,653 articles,
never copied into the repository): every other article damaged by
`pipeline.corrupt.damage` with every mechanism of damage.md combined, the others
clean. In one run it reports:

- characters of raw text per CPU second of each stage and of the whole pipeline on one
  core (the extractors a batch worker's chunk at a time, `batch.CHUNK_DOCUMENTS` articles,
  as it runs them; the whole pipeline article by article, and a chunk at a time), for the
  clean and the damaged half, each as a ratio to `jieba.lcut` over the same raw text:
  medians of --repeats rounds, each round timing the reference and every stage in turn
  (CPU time, and the reference beside the stages, so that other work on a shared machine
  moves the ratios little);
- how the cost grows with length: one 1,000,000-character article against one of
  100,000 characters, CPU time, medians of --repeats runs (issue: at most 12 times as long);
- the batch run (`python -m pipeline run`, a fresh process; wall time) with 1 and with 2 workers
  over the whole corpus: the speed-up of the whole run, and of its middle half (the
  pace of a long run: from the moment the driver has recorded a quarter of the raw
  characters to the moment it has recorded three quarters, without what every run pays
  once at its start and its end), and peak memory of the driver and a worker; the runs
  write into a temporary folder under --batch-folder (default: the system's temporary
  folder), and the driver's cost of creating a file there is printed beside them.

    python benchmarks/throughput.py [--articles 1653] [--repeats 3] [--slice 300] [--batch-folder DIR]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import jieba

from pipeline.api import EXTRACTORS, choose_reference_date, process, process_many
from pipeline.batch import CHUNK_DOCUMENTS
from pipeline.corrupt import damage
from pipeline.extractors import Context
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.types import RawDocument

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "peoples_daily_2019-02.jsonl"

# the CLI, sampling the resident memory of its process and of each worker every 0.1 s,
# and noting when the driver records each chunk's documents and their raw characters;
# prints the records as JSON, then the peaks in KB. (ru_maxrss would also count this
# process: Linux keeps it across the fork and exec that start the run.)
_MEASURED_RUN = """
import json, sys, threading, time
import psutil
from pipeline import batch
from pipeline.cli import main
records, record = [], batch.State.record
def noted(state, outcomes, version):
    record(state, outcomes, version)
    records.append((time.perf_counter(), sum(int(row["raw_chars"]) for _, row, *_ in outcomes)))
batch.State.record = noted
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
print(json.dumps(records), file=sys.stderr)
print(peaks["driver"] // 1024, peaks["worker"] // 1024, file=sys.stderr)
sys.exit(code)
"""


def load_corpus(articles: int) -> dict[str, list[dict]]:
    """The news articles, every other one damaged (seeded by its position)."""
    halves: dict[str, list[dict]] = {"clean": [], "damaged": []}
    with NEWS.open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            if index == articles:
                break
            record = json.loads(line)
            if index % 2:
                record["text"] = damage(record["text"], seed=index)
            halves["damaged" if index % 2 else "clean"].append(record)
    return halves


def stage_rates(texts: list[str], published: list[str], repeats: int) -> dict[str, tuple[float, float]]:
    """Raw characters per second of each stage over `texts` (stages after the first run
    on what the stage before produced, counted against the raw characters), and its
    ratio to `jieba.lcut`'s: medians of `repeats` rounds, each timing the reference and
    every stage in turn, so that a busy spell of the machine weighs on them alike. The
    time is the process's CPU time: one core's work, whatever else the machine runs."""
    chars = sum(map(len, texts))
    normalizations = [normalize(text) for text in texts]
    normalized = [each.text for each in normalizations]
    segmented = [segment(text) for text in normalized]
    contexts = [Context(reference_date=choose_reference_date(date, each, None))
                for date, each in zip(published, normalizations)]
    documents = [RawDocument("d", "d", text, published=date) for text, date in zip(texts, published)]

    def chunks(items: list) -> list[list]:  # as a batch worker hands them to the pipeline
        return [items[start:start + CHUNK_DOCUMENTS] for start in range(0, len(items), CHUNK_DOCUMENTS)]

    stages: dict[str, tuple[Callable, list]] = {
        "jieba.lcut (reference)": (jieba.lcut, texts), "normalize": (normalize, texts),
        "segment": (segment, normalized)}
    for name, extractor in EXTRACTORS:
        stages[f"extract {name}"] = (lambda pair, extractor=extractor: extractor(*pair),
                                     list(zip(chunks(segmented), chunks(contexts))))
    stages["whole pipeline (api.process)"] = (process, documents)
    stages[f"whole pipeline, {CHUNK_DOCUMENTS} at a time (api.process_many, as a batch worker)"] = (
        process_many, chunks(documents))
    # the inputs held here (every article's tokens, some million objects) are the
    # benchmark's, not the pipeline's: the cycle collector is kept from scanning them
    # again at each full collection, as a batch worker keeps it from scanning what its
    # warm-up loaded
    gc.collect()
    gc.freeze()
    seconds: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(repeats):
        for name, (function, inputs) in stages.items():
            started = time.process_time()
            for item in inputs:
                function(item)
            seconds[name].append(time.process_time() - started)
    gc.unfreeze()
    reference = seconds["jieba.lcut (reference)"]
    return {name: (chars / statistics.median(times),
                   statistics.median(before / after for before, after in zip(reference, times)))
            for name, times in seconds.items()}


def length_scaling(texts: list[str], repeats: int) -> tuple[float, float]:
    """CPU seconds to process one 100,000- and one 1,000,000-character article, medians of
    `repeats` runs each (the stages have run before, so nothing is loaded on the way).
    The two lengths take turns, so that a spell of a busy machine weighs on both."""
    joined = "\n".join(texts)
    while len(joined) < 1_000_000:
        joined += "\n" + joined
    documents = [RawDocument("long", "long", joined[:length]) for length in (100_000, 1_000_000)]
    runs: list[list[float]] = [[], []]
    for _ in range(repeats):
        for document, seconds in zip(documents, runs):
            started = time.process_time()
            process(document)
            seconds.append(time.process_time() - started)
    return statistics.median(runs[0]), statistics.median(runs[1])


def middle_pace(records: list[tuple[float, int]]) -> float:
    """Raw characters per second between the records that bring the characters recorded
    past a quarter and past three quarters of the run's (the pace of a long run: the
    start-up, the workers' first chunks and the last chunk's wait lie outside)."""
    total, done, marks = sum(chars for _, chars in records), 0, []
    for moment, chars in records:
        done += chars
        if len(marks) < 2 and done >= total * (len(marks) * 2 + 1) / 4:
            marks.append((moment, done))
    (first, before), (last, after) = marks
    return (after - before) / (last - first)


def file_creation_cost(folder: Path, files: int = 500) -> float:
    """CPU seconds (this thread's, the kernel's work included) to create an empty file in a
    new folder under `folder`: a batch run's driver creates one for every article."""
    probe = folder / "probe"
    probe.mkdir()
    started = time.thread_time()
    for number in range(files):
        os.close(os.open(probe / f"{number}.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
    seconds = (time.thread_time() - started) / files
    shutil.rmtree(probe)
    return seconds


def batch_runs(halves: dict[str, list[dict]], folder: Path, repeats: int) -> None:
    """The CLI over the whole corpus with 1 and 2 workers: the whole run (what every run
    pays once included: starting Python, importing, each worker's warm-up, the export) and
    its middle half (the pace of a long run)."""
    records = [r for half in halves.values() for r in half]
    records.sort(key=lambda record: record["id"])  # the corpus's order: clean and damaged articles alternate
    chars = sum(len(r["text"]) for r in records)
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    creating = file_creation_cost(folder)
    whole: dict[int, list[float]] = {1: [], 2: []}
    middle: dict[int, list[float]] = {1: [], 2: []}
    peaks: dict[int, tuple[int, int]] = {}
    # the measurements take turns, so that a slow spell of a shared machine weighs on them all
    for repeat in range(repeats):
        for workers in (1, 2):
            started = time.perf_counter()
            finished = subprocess.run([sys.executable, "-c", _MEASURED_RUN, "run", str(corpus),
                                       "--out", str(folder / f"out-{workers}-{repeat}"), "--workers", str(workers)],
                                      check=True, capture_output=True, text=True)
            whole[workers].append(time.perf_counter() - started)
            noted, memory = finished.stderr.strip().splitlines()[-2:]
            middle[workers].append(middle_pace(json.loads(noted)))
            driver, worker = (int(kb) for kb in memory.split())
            peaks[workers] = max(peaks.get(workers, (0, 0)), (driver, worker or driver))
    seconds = {workers: statistics.median(times) for workers, times in whole.items()}
    pace = {workers: statistics.median(rates) for workers, rates in middle.items()}
    print(f"\nbatch runs, `python -m pipeline run` in a fresh process, medians of {repeats}, writing under "
          f"{folder.parent} (creating a file there: {creating * 1e6:.0f} us of CPU before the runs, "
          f"{file_creation_cost(folder) * 1e6:.0f} us after):\n")
    print("| workers | whole corpus: seconds | chars/s | its middle half: chars/s "
          "| peak memory of the driver | of a worker |")
    print("|---:|---:|---:|---:|---:|---:|")
    for workers in (1, 2):
        driver, worker = peaks[workers]
        print(f"| {workers} | {seconds[workers]:.1f} | {chars / seconds[workers] / 1e3:,.0f}k "
              f"| {pace[workers] / 1e3:,.0f}k | {driver / 1024:.0f} MB | {worker / 1024:.0f} MB |")
    print(f"\nspeed-up of 2 workers over 1: {seconds[1] / seconds[2]:.2f}x over the whole run, "
          f"{pace[2] / pace[1]:.2f}x over its middle half (a long run's pace)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1653, help="articles of the news corpus to use")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--slice", type=int, default=300, help="articles of each half timed per stage")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch runs")
    parser.add_argument("--batch-repeats", type=int, default=5, help="runs of each batch measurement")
    parser.add_argument("--batch-folder", type=Path, default=None,
                        help="where the batch runs write their outputs, in a temporary folder removed afterwards "
                             "(default: the system's temporary folder)")
    args = parser.parse_args()
    jieba.setLogLevel(60)
    jieba.initialize()
    process(RawDocument("warm-up", "", "今年5月19日，浙江大学投入资金1265万元。"))
    halves = load_corpus(args.articles)
    chars = {half: sum(len(r["text"]) for r in records) for half, records in halves.items()}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("corpus: " + ", ".join(f"{len(records)} {half} articles ({chars[half] / 1e6:.2f}M characters)"
                                 for half, records in halves.items()) + "\n")

    results, sizes = {}, {}
    for half, records in halves.items():
        sample = records[: args.slice]
        results[half] = stage_rates([r["text"] for r in sample], [r.get("published", "") for r in sample],
                                    args.repeats)
        sizes[half] = sum(len(r["text"]) for r in sample)
    print(f"stages, characters of raw text per CPU second (one core), {args.slice} articles of each half, "
          f"medians of {args.repeats} rounds:\n")
    print("| stage | " + " | ".join(f"{half} chars/s | ratio" for half in results) + " | both: ratio |")
    print("|---|" + "---:|---:|" * len(results) + "---:|")

    def combined(stage: str) -> float:  # both halves: all their characters over all their time
        return sum(sizes.values()) / sum(sizes[half] / results[half][stage][0] for half in results)

    for stage in results["clean"]:
        cells = [f"{rates[stage][0] / 1e3:,.0f}k | {rates[stage][1]:.2f}" for rates in results.values()]
        both = combined(stage) / combined("jieba.lcut (reference)")
        print(f"| {stage} | " + " | ".join(cells) + f" | {both:.2f} |")

    short, long = length_scaling([r["text"] for half in halves.values() for r in half], args.repeats)
    print(f"\nlength (CPU time): one 100,000-character article {short:.2f} s, one 1,000,000-character article "
          f"{long:.2f} s: {long / short:.1f} times as long")
    if not args.no_batch:
        # the driver creates a file for every article, and what that costs depends on the
        # folder: on the project's machine, 5 to 200 us of kernel time a file in new folders
        # of one disk, by folder and over time (measured from the driver in the middle of a run)
        with tempfile.TemporaryDirectory(dir=args.batch_folder, prefix="batch-") as temporary:
            batch_runs(halves, Path(temporary), args.batch_repeats)


if __name__ == "__main__":
    main()
