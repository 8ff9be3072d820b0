"""Character error rate of damaged news before and after normalization.

Clean articles nobody tuned to: People's Daily, February 2019
(../shared/corpora/news/peoples_daily_2019-02.jsonl, read in place, never copied),
every `--step`-th article. Each is damaged by `pipeline.corrupt.damage` with one
mechanism at a time and with all of them combined in one document; the reference
is `pipeline.corrupt.canonical` of the clean article (damage.md's canonical form),
never the pipeline's output. CER = summed edit distance / summed reference length,
for the damaged input, OpenCC t2s alone, ftfy then OpenCC, and the normalizer;
medians over the seeds.

A second table reads whole pages with the wrong charset through Python's own codecs
(not the generator): a UTF-8 page read as windows-1252, Latin-1 or GBK (damage.md,
over a whole page), and what damage.md leaves out but crawls meet as often, a GBK or
Big5 page read as windows-1252 or Latin-1 (an HTTP client's default when the page
names no charset). Bytes a decoder cannot read become U+FFFD, as with `errors="replace"`;
one row reads a UTF-8 page with damage.md's lenient GBK decoder instead (`pipeline.corrupt`).

    python benchmarks/normalization.py [--seeds 5] [--step 16] [--pages-only]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import ftfy
from opencc import OpenCC
from rapidfuzz.distance import Levenshtein

from pipeline.corrupt import MECHANISMS, canonical, damage, lenient_gbk_decode
from pipeline.normalize import normalize

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "news" / "peoples_daily_2019-02.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--step", type=int, default=16, help="benchmark every step-th article")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--pages-only", action="store_true", help="only the table of whole pages")
    args = parser.parse_args()
    with args.corpus.open(encoding="utf-8") as rows:
        articles = [json.loads(row)["text"] for row in rows]
    titles = tuple(article.split("\n", 1)[0] for article in articles)
    chosen = articles[:: args.step]
    references = [canonical(article) for article in chosen]
    total = sum(map(len, references))
    opencc = OpenCC("t2s")
    readers = {
        "noisy input": lambda text: text,
        "OpenCC t2s": opencc.convert,
        "ftfy + OpenCC": lambda text: opencc.convert(ftfy.fix_text(text)),
        "normalized": lambda text: normalize(text).text,
    }
    print(f"{len(chosen)} articles ({total} characters) of {args.corpus.name}")
    if not args.pages_only:
        generated_damage(chosen, references, readers, titles, args.seeds)
    wrong_charset_pages(chosen, references, readers)


def generated_damage(chosen: list[str], references: list[str], readers: dict, titles: tuple[str, ...],
                     seeds: int) -> None:
    total = sum(map(len, references))
    print(f"\n{seeds} seeds, medians of CER\n")
    print("| damage | " + " | ".join(readers) + " |")
    print("|---|" + "---:|" * len(readers))
    seconds = 0.0
    for name, mechanisms in [(m, (m,)) for m in MECHANISMS] + [("all combined", MECHANISMS)]:
        rates: dict[str, list[float]] = {reader: [] for reader in readers}
        for seed in range(seeds):
            damaged = [damage(article, seed=seed * 100_003 + number, mechanisms=mechanisms,
                              teasers=titles[number + 1: number + 9])
                       for number, article in enumerate(chosen)]
            for reader, read in readers.items():
                started = time.perf_counter()
                distance = sum(Levenshtein.distance(read(text), reference)
                               for text, reference in zip(damaged, references, strict=True))
                if reader == "normalized":
                    seconds += time.perf_counter() - started
                rates[reader].append(distance / total)
        print(f"| {name} | " + " | ".join(f"{statistics.median(r):.2%}" for r in rates.values()) + " |")
    print(f"\nnormalize: {seconds:.1f} s in all (edit distance included)")


def _misread(source: str, wrong: str, traditional: bool = False, nbsp: str = "\xa0"):
    """The page as `wrong` reads its `source` bytes (written in Taiwan's traditional forms
    first: Big5 is Taiwan's charset, and OpenCC's plain s2t gives variants Big5 has no
    bytes for, 爲, 衆, 裏, 着, which a Big5 page never holds), its no-break spaces written
    as `nbsp` (a scraper's white space makes them plain, an HTML writer `&nbsp;`)."""
    def misread(article: str) -> str:
        text = OpenCC("s2tw").convert(article) if traditional else article
        return text.encode(source, errors="replace").decode(wrong, errors="replace").replace("\xa0", nbsp)
    return misread


_PAGES = {
    "UTF-8 page read as windows-1252": _misread("utf-8", "cp1252"),
    "UTF-8 page read as windows-1252, its no-break spaces made plain": _misread("utf-8", "cp1252", nbsp=" "),
    "UTF-8 page read as Latin-1": _misread("utf-8", "latin-1"),
    "UTF-8 page read as GBK": _misread("utf-8", "gbk"),
    "UTF-8 page read as GB18030 (browsers' decoder for gbk and gb2312)": _misread("utf-8", "gb18030"),
    # damage.md's decoder: a pair it has no character for dropped, a `?` for a lead byte and a byte below 0x40
    "UTF-8 page read by a lenient GBK decoder": lambda article: lenient_gbk_decode(article.encode("utf-8")),
    "GBK page read as windows-1252": _misread("gbk", "cp1252"),
    "GBK page read as Latin-1": _misread("gbk", "latin-1"),
    "Big5 page (traditional) read as windows-1252": _misread("big5", "cp1252", traditional=True),
    "Big5 page (traditional) read as GBK": _misread("big5", "gbk", traditional=True),
    "Big5 page (traditional) read as GB18030": _misread("big5", "gb18030", traditional=True),
    "GBK page read as Big5": _misread("gbk", "big5"),
    # a charset detector's guess or another locale's default
    "UTF-8 page read as windows-1251": _misread("utf-8", "cp1251"),
    "GBK page read as windows-1251": _misread("gbk", "cp1251"),
    "GBK page read as KOI8-R": _misread("gbk", "koi8_r"),
    "UTF-8 page read as Shift_JIS": _misread("utf-8", "shift_jis"),
    "GBK page read as Shift_JIS": _misread("gbk", "shift_jis"),
    "UTF-8 page read as EUC-KR": _misread("utf-8", "euc_kr"),
}


def wrong_charset_pages(chosen: list[str], references: list[str], readers: dict) -> None:
    total = sum(map(len, references))
    print("\nwhole pages read with the wrong charset (Python's codecs), CER\n")
    print("| page | " + " | ".join(readers) + " |")
    print("|---|" + "---:|" * len(readers))
    for name, misread in _PAGES.items():
        damaged = [misread(article) for article in chosen]
        rates = [sum(Levenshtein.distance(read(text), reference)
                     for text, reference in zip(damaged, references, strict=True)) / total
                 for read in readers.values()]
        print(f"| {name} | " + " | ".join(f"{rate:.2%}" for rate in rates) + " |")


if __name__ == "__main__":
    main()
