"""Tokens, parts of speech and sentences: jieba's segmentation as plain tuples.

The segmenter is rjieba (jieba-rs): jieba's dictionary and exactly jieba's tokens
(tests/test_segment.py checks them against `jieba.lcut`) at many times the speed.
Its tags are jieba's dictionary tags (`ns` place, `nt` organization, `nr` person,
`m` numeral, `q` classifier, ...).

The extractors read tokens as tuples: building a spaCy `Doc` for every article costs
more than segmenting it and grows faster than the text. `to_doc` builds one on
demand, with spaCy's own conventions for white space, for users who work in spaCy.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import itemgetter
import re
from typing import TYPE_CHECKING, NamedTuple

import rjieba

if TYPE_CHECKING:  # spaCy is imported when a Doc is asked for: the batch path never needs it
    import spacy
    from spacy.tokens import Doc

# a sentence ends after 。！？；!?; (and any closing quotes or brackets after it), or at a line break
_SENTENCE = re.compile(r"[^\n。！？；!?;]*(?:[。！？；!?;]+[”’」』)）\"']*|\n+|$)")


class Token(NamedTuple):
    text: str
    tag: str  # jieba's part of speech; "_SP" for white space
    idx: int  # character offset in the text

    @property
    def end(self) -> int:
        return self.idx + len(self.text)


# white space as jieba sees it: `\s` of the standard re, which every word is cut at
_WHITE_SPACE = re.compile(r"\s+")


def _tokens(text: str) -> list[Token]:
    """jieba's tagged words with their offsets; white space as spaCy keeps it.

    As in a spaCy Doc, one space after a word belongs to that word (it is not a
    token), and any other run of white space is one token tagged `_SP`.

    jieba cuts white space apart from every word, so each stretch between runs of
    white space is tagged on its own, with the same words, and its tokens are made
    by C loops (an article has over a hundred thousand of them).

    >>> [(t.text, t.tag) for t in _tokens("华为 技术  公司\\n\\n和")]
    [('华为', 'nr'), ('技术', 'n'), (' ', '_SP'), ('公司', 'n'), ('\\n\\n', '_SP'), ('和', 'c')]
    """
    tokens: list[Token] = []
    gap_start = 0
    for gap in chain(_WHITE_SPACE.finditer(text), [None]):  # None: the end closes the last stretch
        stretch_end = gap.start() if gap else len(text)
        if gap_start < stretch_end:
            words, tags = zip(*rjieba.tag(text[gap_start:stretch_end]))
            # map calls tuple.__new__(Token, (text, tag, idx)) itself: NamedTuple's __new__ is a
            # Python function, and a partial in between cost a tenth of making the tokens
            tokens.extend(map(tuple.__new__, repeat(Token),
                              zip(words, tags, accumulate(map(len, words[:-1]), initial=gap_start))))
        if gap:
            start = gap.start() + (1 if tokens and text[gap.start()] == " " else 0)
            if start < gap.end():
                tokens.append(Token(text[start:gap.end()], "_SP", start))
            gap_start = gap.end()
    return tokens


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
    """What every extractor reads: the text, its sentence spans and its tokens."""

    text: str
    sentences: list[tuple[int, int]]
    tokens: list[Token]
    starts: list[int]  # token offsets, for bisect

    def token_at(self, position: int) -> Token:
        """The token that holds the character at `position` (in white space a token
        leaves out, the token before it)."""
        return self.tokens[bisect_right(self.starts, position) - 1]

    def sentence_at(self, position: int) -> tuple[int, int]:
        """The span of the sentence that holds the character at `position` (between two, the
        one before it; before the first, the first)."""
        return self.sentences[max(bisect_right(self.sentences, position, key=lambda span: span[0]) - 1, 0)]


def segment(text: str) -> Segmented:
    tokens = _tokens(text)
    return Segmented(text=text, sentences=sentence_spans(text), tokens=tokens,
                     starts=list(map(itemgetter(2), tokens)))


@lru_cache(maxsize=1)
def nlp() -> spacy.language.Language:
    """`spacy.blank("zh")`, for its vocabulary; built once per process."""
    import spacy

    return spacy.blank("zh")


def to_doc(segmented: Segmented) -> Doc:
    """A spaCy Doc of the segmented text: jieba's tokens, tags as `tag_`, sentences.

    >>> doc = to_doc(segment("资金到位。项目启动！"))
    >>> [(t.text, t.tag_) for t in doc][:2], [s.text for s in doc.sents]
    ([('资金', 'n'), ('到位', 'v')], ['资金到位。', '项目启动！'])
    """
    from spacy.tokens import Doc

    tokens = segmented.tokens
    words = [token.text for token in tokens]
    spaces = [index + 1 < len(tokens) and tokens[index + 1].idx > token.end
              or index + 1 == len(tokens) and token.end < len(segmented.text)
              for index, token in enumerate(tokens)]
    sentence_starts = {start for start, _ in segmented.sentences}
    return Doc(nlp().vocab, words=words, spaces=spaces, tags=[token.tag for token in tokens],
               sent_starts=[index == 0 or token.idx in sentence_starts for index, token in enumerate(tokens)])
