"""Tokens, parts of speech and sentences: jieba's segmentation inside a spaCy Doc.

The segmenter is rjieba (jieba-rs): jieba's dictionary and exactly jieba's tokens
(tests/test_segment.py checks them against `jieba.lcut`) at many times the speed.
Its tags are jieba's dictionary tags (`ns` place, `nt` organization, `nr` person,
`m` numeral, `q` classifier, ...), set as `token.tag_`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
import rjieba
import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

# a sentence ends after 。！？；!?; (and any closing quotes or brackets after it), or at a line break
_SENTENCE = regex.compile(r"[^\n。！？；!?;]*(?:[。！？；!?;]+[”’」』)）\"']*|\n+|$)")


class JiebaTokenizer:
    """A spaCy tokenizer that segments with jieba's dictionary and tags each token."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        tagged = rjieba.tag(text)
        words, spaces = get_words_and_spaces([word for word, _ in tagged], text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        tags = iter(tag for word, tag in tagged if not word.isspace())
        for token in doc:
            if not token.is_space:
                token.tag_ = next(tags, "x")
        starts = {start for start, _ in sentence_spans(text)}
        for token in doc:
            token.is_sent_start = token.i == 0 or token.idx in starts
        return doc


@lru_cache(maxsize=1)
def nlp() -> spacy.language.Language:
    """`spacy.blank("zh")` with the jieba tokenizer; built once per process."""
    pipeline = spacy.blank("zh")
    pipeline.tokenizer = JiebaTokenizer(pipeline.vocab)
    return pipeline


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` of each sentence, line breaks and leading spaces left out.

    >>> sentence_spans("资金到位。项目启动！\\n下一段")
    [(0, 5), (5, 10), (11, 14)]
    """
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Segmented:
    """What every extractor reads: the text, its Doc, and sentence spans."""

    text: str
    doc: Doc
    sentences: list[tuple[int, int]]


def segment(text: str) -> Segmented:
    doc = nlp()(text)
    return Segmented(text=text, doc=doc, sentences=sentence_spans(text))
