"""`process_many`, the stage-by-stage path of batch runs, gives what `process` gives
article by article, and an article's exception stays its own."""
from __future__ import annotations

import pytest

from pipeline import api
from pipeline.types import RawDocument

from .conftest import SAMPLES

ARTICLES = [
    *(sample.read_text(encoding="utf-8") for sample in SAMPLES),
    "資金 1365 萬(wàn) 元，2019年3月5日至7日。",
    "<p>浙江大学昨天投入资金1265万元</p>",  # the article that raises below (BROKEN)
    "",
]


BROKEN = "昨天投入资金"


def _documents() -> list[RawDocument]:
    return [RawDocument(f"d{number}", "", text, markup="html" if text.startswith("<") else "text",
                        published="2019-03-01" if number % 2 else "")
            for number, text in enumerate(ARTICLES)]


def test_process_many_gives_what_process_gives_one_by_one():
    documents = _documents()
    together = api.process_many(documents, "2020-01-01")
    for document, result in zip(documents, together, strict=True):
        alone = api.process(document, "2020-01-01")
        assert (result.normalized.text, result.mentions, result.reference_date) == \
            (alone.normalized.text, alone.mentions, alone.reference_date), document.doc_id


@pytest.mark.parametrize("broken_stage, stage_name", [
    ("normalize", "normalize"),
    ("segment", "segment"),
    ("extractor", "extract"),
])
def test_process_many_an_article_that_raises_fails_alone(monkeypatch, broken_stage, stage_name):
    documents = _documents()
    expected = api.process_many(documents)

    def broken(function):
        def call(*arguments):
            read = arguments[0]  # a text, or the segmented texts of a batch of articles (the extractors)
            if any(BROKEN in text for text in ([read] if isinstance(read, str) else [each.text for each in read])):
                raise ValueError("broken")
            return function(*arguments)
        return call

    if broken_stage == "extractor":
        monkeypatch.setattr(api, "EXTRACTORS", tuple((name, broken(extract)) for name, extract in api.EXTRACTORS))
    else:
        monkeypatch.setattr(api, broken_stage, broken(getattr(api, broken_stage)))
    results = api.process_many(documents)
    assert sum(isinstance(result, Exception) for result in results) == 1
    for document, result, before in zip(documents, results, expected, strict=True):
        if BROKEN in document.raw:
            assert isinstance(result, ValueError) and result.pipeline_stage == stage_name
        else:
            assert result.mentions == before.mentions
    with pytest.raises(ValueError, match="broken"):
        api.process(next(document for document in documents if BROKEN in document.raw))
