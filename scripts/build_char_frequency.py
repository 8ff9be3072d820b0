"""Build pipeline/rules/char_frequency.txt from jieba's dictionary.

A character's count is the sum of the counts of the dictionary words that hold it:
a cheap, shipped estimate of how common a character is in simplified Chinese, used
to tell a repaired reading from mojibake and GB18030 from Big5. Run it again only
when jieba's dictionary changes.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import jieba

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "rules" / "char_frequency.txt"


def main() -> None:
    counts: Counter[str] = Counter()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as words:
        for line in words:
            word, count = line.split(" ")[:2]
            for char in word:
                counts[char] += int(count)
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# Source: jieba 0.42.1 dict.txt; built by scripts/build_char_frequency.py.\n")
        out.write("# Fields: character, tab, summed count of the dictionary words that contain it.\n")
        for char, count in counts.most_common():
            if char.strip():
                out.write(f"{char}\t{count}\n")


if __name__ == "__main__":
    main()
