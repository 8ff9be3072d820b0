"""Build pipeline/rules/countries.txt from the Unicode CLDR's Chinese names of countries.

Source: the territory names of CLDR's `zh_Hans` locale, as the babel package ships them
(`babel.Locale("zh", script="Hans").territories`), for the ISO 3166 two-letter codes, less
what is no country (the European Union, the United Nations, CLDR's pseudo-regions) and
China's own regions (places.txt holds them); with the short forms Chinese news writes for
some (印尼 for 印度尼西亚, 沙特 for 沙特阿拉伯), and 苏联, which older papers name. Run with
babel installed (`pip install babel==2.18.0`); the pipeline itself only reads the output.
"""
from __future__ import annotations

from pathlib import Path

import regex
from babel import Locale

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "rules" / "countries.txt"
# CLDR's codes of what is no country, or is a region of China's (places.txt)
_NOT_COUNTRIES = {"EU", "EZ", "UN", "XA", "XB", "ZZ", "QO", "HK", "MO", "TW"}
# CLDR names a few by a longer or a qualified form than news does
_RENAMED = {"PS": "巴勒斯坦"}
# the short forms news writes (full name as CLDR writes it -> short form)
_SHORT_FORMS = {"印度尼西亚": "印尼", "阿拉伯联合酋长国": "阿联酋", "沙特阿拉伯": "沙特", "波斯尼亚和黑塞哥维那": "波黑",
                "巴布亚新几内亚": "巴新", "中非共和国": "中非", "多米尼加共和国": "多米尼加", "特立尼达和多巴哥": "特多"}
# countries that no longer exist but that the papers of their time name
_FORMER = ["苏联", "南斯拉夫", "捷克斯洛伐克", "东德", "西德"]


def main() -> None:
    territories = Locale("zh", script="Hans").territories
    names = sorted(_RENAMED.get(code, name) for code, name in territories.items()
                   if regex.fullmatch("[A-Z]{2}", code) and code not in _NOT_COUNTRIES)
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# Source: the Unicode CLDR's zh_Hans names of countries and territories (ISO 3166 codes), as\n")
        out.write("# babel 2.18.0 ships them, with the short forms news writes and countries no longer existing;\n")
        out.write("# built by scripts/build_countries.py.\n")
        out.write("# Fields, tab-separated: name, short form.\n")
        for name in names + _FORMER:
            out.write(f"{name}\t{_SHORT_FORMS.get(name, name)}\n")


if __name__ == "__main__":
    main()
