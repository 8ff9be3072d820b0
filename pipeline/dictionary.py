"""jieba's dictionary, loaded once per process: word membership and the word model.

Segmentation itself runs in rjieba; this Python tokenizer serves the dictionary
look-ups (is a word known, how likely is a reading) that rjieba does not expose.
"""
from __future__ import annotations

from functools import lru_cache

import jieba


@lru_cache(maxsize=1)
def jieba_tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.check_initialized()
    return tokenizer


def in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary has the word (words its unknown-word model made are not in it).

    >>> in_dictionary("浙江大学"), in_dictionary("有华峰")
    (True, False)
    """
    return jieba_tokenizer().FREQ.get(word, 0) > 0
