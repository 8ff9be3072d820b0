"""Build pipeline/rules/look_alikes.txt: code points that look like a unified ideograph
and stand for it in text extracted from PDFs (a font's glyph mapped to a radical: ⽇ for
日, ⻓ for 长) or converted from legacy character sets (compatibility ideographs).

Sources: Python's unicodedata for the Kangxi radicals (their NFKC form) and the CJK
compatibility ideographs (their NFC form); the Unicode Character Database's
EquivalentUnifiedIdeograph.txt for the CJK radicals supplement, which no normalization
form folds, as the cjkfold package (MIT licence) ships it in its generated table: run
with cjkfold installed (`pip install cjkfold==0.4.0 --no-deps`); the pipeline itself
only reads the output. The script checks that cjkfold's table agrees with NFKC on every
Kangxi radical before it trusts its other entries.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from cjkfold._table import EQUIVALENT_IDEOGRAPH

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "rules" / "look_alikes.txt"
KANGXI = range(0x2F00, 0x2FD6)
SUPPLEMENT = range(0x2E80, 0x2EF4)
COMPATIBILITY = [*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]


def _unified(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def main() -> None:
    table: dict[str, str] = {}
    for code in KANGXI:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        assert EQUIVALENT_IDEOGRAPH.get(char, folded) == folded, (char, folded)
        table[char] = folded
    for code in SUPPLEMENT:
        # an ideograph newer than this Python's Unicode tables is left out: no text could use it
        if chr(code) in EQUIVALENT_IDEOGRAPH and _unified(EQUIVALENT_IDEOGRAPH[chr(code)]):
            table[chr(code)] = EQUIVALENT_IDEOGRAPH[chr(code)]
    for code in COMPATIBILITY:
        folded = unicodedata.normalize("NFC", chr(code))
        if folded != chr(code):
            table[chr(code)] = folded
    assert all(len(target) == 1 and _unified(target) for target in table.values())
    lines = ["# Source: Python's unicodedata and the Unicode Character Database's EquivalentUnifiedIdeograph.txt"
             " (via cjkfold 0.4.0); built by scripts/build_look_alikes.py.",
             "# Code points that look like a unified ideograph and stand for it (PDF fonts' radicals,",
             "# compatibility ideographs).",
             "# Fields: character, tab, the unified ideograph, tab, the character's Unicode name."]
    lines += [f"{char}\t{target}\t{unicodedata.name(char)}" for char, target in sorted(table.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(table)} characters written to {OUT}")


if __name__ == "__main__":
    main()
