"""Segmentation: rjieba's tokens are jieba's tokens; sentences split where Chinese ends them."""
from __future__ import annotations

import jieba
import pytest
import rjieba
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize import normalize
from pipeline import to_doc
from pipeline.segment import segment, sentence_spans
from pipeline.segment import to_doc as segmented_doc

from .conftest import SAMPLES

jieba.setLogLevel(60)

SENTENCES = [
    "浙江已累计捐资1265万元，用于援助学校迁建和改善办学条件。",
    "重庆市公路事务中心12月3日发布消息，截至11月底，重庆2025年度农村公路安防工程累计完成7332.6公里。",
    "华为技术有限公司和中国移动签署了5G合作协议，iPhone 15 Pro也在测试中。",
    "他说：“我们热切期盼与国家有关部委携手共进！”",
    "人工智能、大数据、云计算等新技术不断涌现。",
    "南京市长江大桥于1968年建成通车。",
]


@pytest.mark.parametrize("text", SENTENCES + [normalize(p.read_text(encoding="utf-8")).text for p in SAMPLES])
def test_segment_rjieba_tokens_match_jieba(text):
    assert rjieba.cut(text) == jieba.lcut(text)
    assert [word for word, _ in rjieba.tag(text)] == jieba.lcut(text)


@given(st.text(alphabet="浙江省委和华峰集团在涪陵区1.5ab。， \n\t\u3000", max_size=60))
def test_segment_tokens_are_the_whole_text_tagging(text):
    """Tagging stretch by stretch between white space gives the words and tags of tagging
    the whole text; each token sits at its offset."""
    tokens = segment(text).tokens
    assert [(t.text, t.tag) for t in tokens if t.tag != "_SP"] == [pair for pair in rjieba.tag(text)
                                                                  if not pair[0].isspace()]
    assert all(text[t.idx:t.end] == t.text for t in tokens)


@pytest.mark.parametrize("text", ["浙江省委和华峰集团在涪陵区。", " 前导 空格  两个\n\n段落 \t末尾 ", "", "   "])
def test_segment_to_doc_keeps_the_text_and_tokens(text):
    doc = segmented_doc(segment(text))
    assert doc.text == text
    assert [t.text for t in doc] == [t.text for t in segment(text).tokens]


def test_segment_to_doc_tags_tokens_and_holds_mentions_in_spans():
    doc = to_doc("浙江省委和华峰集团在涪陵区投入资金1265万元。")
    assert [(t.text, t.tag_) for t in doc][:2] == [("浙江省委", "nt"), ("和", "c")]
    assert [(s.text, s.label_, s._.attrs["currency"]) for s in doc.spans["money"]] == [("1265万元", "money", "CNY")]
    assert {s.text for s in doc.spans["organizations"]} >= {"华峰集团"}


@pytest.mark.parametrize("text, expected", [
    ("资金到位。项目启动！", [(0, 5), (5, 10)]),
    ("他说：“好。”然后离开；", [(0, 7), (7, 12)]),
    ("第一行\n\n第二行", [(0, 3), (5, 8)]),
    ("没有句号", [(0, 4)]),
    ("", []),
])
def test_segment_sentence_spans(text, expected):
    assert sentence_spans(text) == expected


def test_segment_sentence_starts_on_tokens():
    doc = to_doc("资金到位。项目启动！\n下一段")
    assert [t.text for t in doc if t.is_sent_start] == ["资金", "项目", "下"]
