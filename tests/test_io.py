"""Reading every kind of input, and the tables' typed round trip."""
from __future__ import annotations

import json
import os
import stat
from decimal import Decimal

import pandas as pd
import pytest

from pipeline import read_table
from pipeline.batch import run
from pipeline.io.pagemeta import page_metadata
from pipeline.io.readers import read_inputs
from pipeline.io.schema import TABLES, header
from pipeline.io.writers import atomic_open, write_text
from pipeline.types import InputError, RawDocument

ARTICLE = "浙江已累计捐资1265万元，用于援助學校遷建。"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", ARTICLE.encode("utf-8")),
    ("utf-8-sig", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")),
    ("gb18030", ARTICLE.encode("gb18030")),
    ("big5", "浙江已累計捐資1265萬元，用於援助學校遷建。".encode("big5")),
    ("utf-16", ARTICLE.encode("utf-16")),
], ids=["utf-8", "utf-8-bom", "gb18030", "big5", "utf-16"])
def test_readers_detect_encoding(tmp_path, encoding, data):
    (tmp_path / "a.txt").write_bytes(data)
    [document] = list(read_inputs([tmp_path]))
    assert isinstance(document, RawDocument)
    assert document.encoding == encoding
    assert "1265" in document.raw and "捐" in document.raw


@pytest.mark.parametrize("name, markup", [
    ("a.txt", "text"),
    ("a.TXT", "text"),
    ("a.html", "html"),
    ("a.htm", "html"),
    ("a.shtml", "html"),
    ("a.xhtml", "html"),
])
def test_readers_read_pages_by_their_suffix(tmp_path, name, markup):
    (tmp_path / name).write_text("<p>累计捐资1265万元。</p>", encoding="utf-8")
    [document] = list(read_inputs([tmp_path]))
    assert (document.doc_id, document.markup) == ("a", markup)


@pytest.mark.parametrize("name, data, kind", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("undecodable.txt", b"\xff\xfe\xfa" + b"\x00\xd8" * 3, "undecodable"),
    ("notes.md", b"# notes", "unsupported"),
], ids=["empty", "blank", "binary", "undecodable", "unsupported"])
def test_readers_turn_bad_files_into_error_rows(tmp_path, name, data, kind):
    (tmp_path / name).write_bytes(data)
    [error] = list(read_inputs([tmp_path / name]))
    assert isinstance(error, InputError)
    assert error.row()["error"].startswith(kind)
    assert error.row()["stage"] == "read"


def test_readers_refuse_a_huge_file(tmp_path):
    (tmp_path / "big.txt").write_bytes(ARTICLE.encode() * 100)
    [error] = list(read_inputs([tmp_path], max_bytes=1000))
    assert error.row()["error"].startswith("too_large")


def test_readers_jsonl_with_a_broken_line_and_a_duplicate_id(tmp_path):
    lines = [
        json.dumps({"id": "000123", "text": ARTICLE, "url": "http://x/1", "title": "标题", "published": "2021-05-19"}),
        '{"id": "truncated", "text": "资金',
        json.dumps({"id": "000124", "html": "<p>资金1692万元</p>"}),
        json.dumps({"id": "000123", "text": "重复的文章"}),
        json.dumps({"id": "no-text", "content": "资金1692万元"}),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    documents = [i for i in items if isinstance(i, RawDocument)]
    errors = [i.row() for i in items if isinstance(i, InputError)]
    assert [d.doc_id for d in documents] == ["000123", "000124"]
    assert documents[0].published == "2021-05-19" and documents[1].markup == "html"
    assert [e["error"].split(":")[0] for e in errors] == ["bad_json", "duplicate_id", "no_text_field", "bad_json"]
    assert errors[0]["source"].endswith("feed.jsonl:2")
    assert errors[2]["error"] == "no_text_field: line 5 has no `text` or `html` string (its fields: content, id)"


def test_readers_ids_keep_the_relative_folder_and_a_real_clash_is_an_error(tmp_path):
    for folder in ("a", "b", "c"):
        (tmp_path / "in" / folder).mkdir(parents=True)
    (tmp_path / "in" / "a" / "same.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b" / "same.txt").write_text("另一篇文章", encoding="utf-8")
    (tmp_path / "in" / "c" / "same.txt").write_text("第三篇文章", encoding="utf-8")
    items = list(read_inputs([tmp_path / "in"]))
    assert [i.doc_id for i in items] == ["a/same", "b/same", "c/same"]
    assert all(isinstance(i, RawDocument) for i in items)
    items = list(read_inputs([tmp_path / "in" / "a", tmp_path / "in" / "b"]))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[1], InputError) and items[1].row()["error"].startswith("duplicate_id")


def test_readers_html_drops_markup_and_navigation(tmp_path):
    page = "<html><body><nav>首页 登录</nav><article><p>投入资金<b>1365</b>万元</p></article></body></html>"
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "page.html"], out, workers=1, progress=False)
    money = read_table(out, "money")
    assert list(money["text"]) == ["1365万元"]
    raw_start, raw_end = int(money["raw_start"][0]), int(money["raw_end"][0])
    assert page[raw_start:raw_end] == "1365</b>万元"


@pytest.mark.parametrize("head, title, published, url", [
    ('<meta property="og:title" content="春运首日客流平稳"><meta property="article:published_time" content="2019-02-01T08:00:00+08:00">',
     "春运首日客流平稳", "2019-02-01T08:00:00+08:00", ""),
    ('<title>两会观察 - 人民网</title><meta name="publishdate" content="2019-03-05">', "两会观察 - 人民网", "2019-03-05", ""),
    ("<meta content='2018-12-31 20:15:00' name='PubDate'><link href='https://news.example.cn/a.shtml' rel='canonical'>",
     "", "2018-12-31 20:15:00", "https://news.example.cn/a.shtml"),
    ('<meta itemprop="datePublished" content="2020年1月23日"><meta property="og:url" content="https://m.example.com/x">',
     "", "2020年1月23日", "https://m.example.com/x"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-07-01T10:00:00Z"}</script>',
     "", "2021-07-01T10:00:00Z", ""),
    ('<meta name="pubdate" content="待定"><meta name="date" content="2019-02-02"><title>A &amp; B\n 新闻</title>',
     "A & B 新闻", "2019-02-02", ""),
    ("<p>没有页头的片段</p>", "", "", ""),
], ids=["opengraph", "people", "own-name-canonical", "microdata-chinese-date", "json-ld", "unparsable-first", "fragment"])
def test_page_metadata_reads_title_date_and_address(head, title, published, url):
    assert page_metadata(f"<html><head>{head}</head><body><p>正文</p></body></html>") == (title, published, url)


def test_a_pages_own_date_resolves_its_relative_dates(tmp_path):
    page = ('<html><head><meta name="pubdate" content="2019-02-01 08:00:00"><title>春运</title></head>'
            "<body><p>昨天，全国铁路发送旅客1000万人次。</p></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "page.html"], out, workers=1, progress=False)
    [document] = read_table(out, "documents").to_dict("records")
    assert (document["title"], document["published"]) == ("春运", "2019-02-01 08:00:00")
    assert (document["reference_date"], document["reference_date_source"]) == ("2019-02-01", "metadata")
    assert "2019-01-31" in list(read_table(out, "dates")["value"])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("io")
    source = folder / "in"
    source.mkdir()
    (source / "000123.txt").write_text("2021年5月19日，浙江已累计捐资1265万元，建设敬老院39个。", encoding="utf-8")
    out = folder / "out"
    run([source], out, workers=1, progress=False)
    return out


@pytest.mark.parametrize("table", list(TABLES))
def test_tables_have_the_schema_header_and_a_bom(extracted, table):
    raw = (extracted / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(extracted / f"{table}.csv", dtype=str).columns.tolist() == header(table)


def test_read_table_keeps_ids_and_amounts_exact(extracted):
    money = read_table(extracted, "money")
    assert money["doc_id"].tolist() == ["000123"]
    assert money["amount"].tolist() == [Decimal("12650000")]
    assert str(money["start"].dtype) == "Int64" and str(money["approx"].dtype) == "boolean"
    plain = pd.read_csv(extracted / "money.csv")
    assert plain["doc_id"].tolist() == [123]  # what the typed loader protects against


def test_datapackage_describes_every_column(extracted):
    descriptor = json.loads((extracted / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == set(TABLES)
    for table, resource in resources.items():
        assert resource["encoding"] == "utf-8"
        assert [f["name"] for f in resource["schema"]["fields"]] == header(table)
        assert all(f["description"] for f in resource["schema"]["fields"])


def test_parquet_output_is_partitioned_and_reads_back_typed(tmp_path, monkeypatch):
    from pipeline.io import writers

    monkeypatch.setattr(writers, "PARQUET_PART_ROWS", 2)
    source = tmp_path / "in"
    source.mkdir()
    (source / "000777.txt").write_text("投入资金1692万元，又投入3.5亿元，再投入120万美元。", encoding="utf-8")
    run([source], tmp_path / "out", workers=1, progress=False, output_format="parquet")
    parts = sorted(p.name for p in (tmp_path / "out" / "money.parquet").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet"]
    money = read_table(tmp_path / "out", "money")
    assert money["doc_id"].tolist() == ["000777"] * 3
    assert money["amount"].tolist() == [Decimal("16920000"), Decimal("350000000"), Decimal("1200000")]
    assert money["approx"].tolist() == [False, False, False] and str(money["start"].dtype) == "Int64"
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "money")
    assert resource["format"] == "parquet" and resource["path"] == [f"money.parquet/{p}" for p in parts]


@pytest.mark.parametrize("umask, existing", [
    (0o022, None),  # a new file in a folder not made yet
    (0o077, None),  # a private umask: outputs are still for sharing
    (0o022, "旧文本"),  # an older file replaced
])
def test_atomic_write_leaves_the_file_readable_by_all_and_no_temporary(tmp_path, umask, existing):
    path = tmp_path / "text" / "d1" / "1.txt"
    if existing is not None:
        path.parent.mkdir(parents=True)
        path.write_text(existing, encoding="utf-8")
    previous = os.umask(umask)
    try:
        write_text(path, "新文本")
    finally:
        os.umask(previous)
    assert path.read_text(encoding="utf-8") == "新文本"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(path.parent) == ["1.txt"]


def test_atomic_write_that_fails_midway_keeps_the_older_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "documents.csv"
    path.write_text("旧表", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(path) as out:
        out.write("新表的一半")
        raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "旧表"
    assert os.listdir(tmp_path) == ["documents.csv"]
