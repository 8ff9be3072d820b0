"""Build pipeline/rules/places.txt from the official administrative division codes.

Sources: the adcodes table that the cpca package (MIT licence, 2020 division codes)
ships as cpca/resources/adcodes.csv, whose 台湾省 has no divisions below it: those are
added from the Ministry of the Interior's list of Taiwan's municipalities, cities and
counties (as the normalizer writes them, simplified), with the short names of Hong Kong's
and Macao's regions that news uses (香港特区). Run with cpca installed
(`pip install cpca==0.5.5 --no-deps`); the pipeline itself only reads the output.
"""
from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import regex

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "rules" / "places.txt"
# longest first: 自治州 before 州
_LEVEL_WORDS = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
                "地区", "盟", "省", "市", "区", "县", "旗")


# Taiwan's six special municipalities and three cities (city level, under 台湾省, code 710000)
# and its counties; and the regions' short names (province level), with their regions' codes
_TAIWAN = [("台北市", "city"), ("新北市", "city"), ("桃园市", "city"), ("台中市", "city"), ("台南市", "city"),
           ("高雄市", "city"), ("基隆市", "city"), ("新竹市", "city"), ("嘉义市", "city"),
           ("新竹县", "county"), ("苗栗县", "county"), ("彰化县", "county"), ("南投县", "county"),
           ("云林县", "county"), ("嘉义县", "county"), ("屏东县", "county"), ("宜兰县", "county"),
           ("花莲县", "county"), ("台东县", "county"), ("澎湖县", "county"), ("金门县", "county"),
           ("连江县", "county")]
_REGION_SHORT_NAMES = [("810000", "香港特区", "province", "香港"), ("820000", "澳门特区", "province", "澳门")]


def _nations() -> list[str]:
    with resources.files("cpca").joinpath("resources", "56_nations.csv").open(encoding="utf-8") as source:
        names = [cell.strip() for line in source for cell in line.split(",") if cell.strip()]
    # 土家族 and 土家: the autonomous-area names use both
    return sorted({n for name in names for n in (name, name.removesuffix("族"))}, key=len, reverse=True)


def short_form(name: str, nations: list[str]) -> str:
    for word in _LEVEL_WORDS:
        if name.endswith(word) and len(name) - len(word) >= 2:
            stem = name[: -len(word)]
            if "自治" in word:  # 恩施土家族苗族自治州 -> 恩施: drop the nationality names before 自治
                stem = regex.sub("(?:" + "|".join(nations) + ")+$", "", stem) or stem
            return stem
    return name


def main() -> None:
    nations = _nations()
    rows = []
    with resources.files("cpca").joinpath("resources", "adcodes.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            code = row["adcode"]
            level = "province" if code[2:6] == "0000" else "city" if code[4:6] == "00" else "county"
            if row["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            rows.append((code, row["name"], level, short_form(row["name"], nations)))
    rows += [("710000", name, level, short_form(name, nations)) for name, level in _TAIWAN]
    rows += _REGION_SHORT_NAMES
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# Source: official administrative division codes (2020), as shipped by cpca 0.5.5\n")
        out.write("# (MIT licence) in cpca/resources/adcodes.csv, with Taiwan's municipalities, cities and\n")
        out.write("# counties and the short names 香港特区 and 澳门特区; built by scripts/build_places.py.\n")
        out.write("# Fields, tab-separated: name, level (province, city, county), short form.\n")
        for _, name, level, short in sorted(rows):
            out.write(f"{name}\t{level}\t{short}\n")


if __name__ == "__main__":
    main()
