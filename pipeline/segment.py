"""Tokens, parts of speech and sentences: jieba's segmentation inside a spaCy Doc.

The segmenter is rjieba (jieba-rs): jieba's dictionary and exactly jieba's tokens
(tests/test_segment.py checks them against `jieba.lcut`) at many times the speed.
Its tags are jieba's dictionary tags (`ns` place, `nt` organization, `nr` person,
`m` numeral, `q` classifier, ...), set as `token.tag_`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import regex
import rjieba
import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

# a sentence ends after 。！？；!?; (and any closing quotes or brackets after it), or at a line break
_SENTENCE = regex.compile(r"[^\n。！？；!?;]*(?:[。！？；!?;]+[”’」』)）\"']*|\n+|$)")


class Token(NamedTuple):
    text: str
    tag: str  # jieba's part of speech; "_SP" for white space
    idx: int  # character offset in the text

    @property
    def end(self) -> int:
        return self.idx + len(self.text)


def _tokens(text: str) -> tuple[list[str], list[bool], list[str]]:
    """spaCy's words and spaces for the text, and jieba's tag of each word."""
    tagged = [(word, tag) for word, tag in rjieba.tag(text) if not word.isspace()]
    words, spaces = get_words_and_spaces([word for word, _ in tagged], text)
    tag_of = iter(tag or "x" for _, tag in tagged)
    return words, spaces, [next(tag_of) if not word.isspace() else "_SP" for word in words]


def _make_doc(vocab, text: str, sentences: list[tuple[int, int]], words, spaces, tags) -> Doc:
    starts = {start for start, _ in sentences}
    sent_starts, position = [], 0
    for index, (word, space) in enumerate(zip(words, spaces)):
        sent_starts.append(index == 0 or position in starts)
        position += len(word) + space
    return Doc(vocab, words=words, spaces=spaces, tags=tags, sent_starts=sent_starts)


class JiebaTokenizer:
    """A spaCy tokenizer that segments with jieba's dictionary and tags each token."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return _make_doc(self.vocab, text, sentence_spans(text), *_tokens(text))


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
    """What every extractor reads: the text, its spaCy Doc, sentence spans, and the
    tokens as plain tuples (reading a Doc token by token costs more than segmenting)."""

    text: str
    doc: Doc
    sentences: list[tuple[int, int]]
    tokens: list[Token]
    starts: list[int]  # token offsets, for bisect


def segment(text: str) -> Segmented:
    sentences = sentence_spans(text)
    words, spaces, tags = _tokens(text)
    doc = _make_doc(nlp().vocab, text, sentences, words, spaces, tags)
    tokens, position = [], 0
    for word, space, tag in zip(words, spaces, tags):
        tokens.append(Token(word, tag, position))
        position += len(word) + space
    return Segmented(text=text, doc=doc, sentences=sentences, tokens=tokens,
                     starts=[token.idx for token in tokens])
