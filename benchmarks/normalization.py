"""Character error rate of damaged text before and after normalization.

Clean text: the normalized samples (simplified, repaired). Each damage mechanism of
pipeline.corrupt is applied alone and all together, with several seeds; the CER
(edit distance / length of the clean text) is reported for the damaged input, for
OpenCC t2s alone, and for the full normalization chain. Medians over the seeds.

    python benchmarks/normalization.py [--seeds 5]
"""
from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from opencc import OpenCC
from rapidfuzz.distance import Levenshtein

from pipeline.corrupt import Damage, corrupt
from pipeline.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
MECHANISMS = {
    "gbk mojibake + pinyin + traditional": Damage(gbk=True, html=False, pdf=False, wide=False),
    "html remnants": Damage(gbk=False, html=True, pdf=False, wide=False),
    "pdf spaces": Damage(gbk=False, html=False, pdf=True, wide=False),
    "full-width digits": Damage(gbk=False, html=False, pdf=False, wide=True),
    "all mixed": Damage(),
}


def cer(text: str, clean: str) -> float:
    return Levenshtein.distance(text, clean) / len(clean)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    clean = "\n".join(normalize(p.read_text(encoding="utf-8")).text for p in sorted((ROOT / "raw").glob("*.txt")))
    opencc = OpenCC("t2s")
    print(f"clean text: {len(clean)} characters from raw/, {args.seeds} seeds, medians\n")
    print("| damage | noisy CER | OpenCC t2s alone | normalized CER |")
    print("|---|---:|---:|---:|")
    for name, damage in MECHANISMS.items():
        noisy, converted, repaired = [], [], []
        for seed in range(args.seeds):
            damaged = corrupt(clean, seed=seed, damage=damage)
            noisy.append(cer(damaged, clean))
            converted.append(cer(opencc.convert(damaged), clean))
            repaired.append(cer(normalize(damaged).text, clean))
        print(f"| {name} | {statistics.median(noisy):.2%} | {statistics.median(converted):.2%} "
              f"| {statistics.median(repaired):.2%} |")


if __name__ == "__main__":
    main()
