"""jieba's dictionary: word membership, and the word model loaded once per process.

Segmentation itself runs in rjieba, which also answers whether a word is in the
dictionary; jieba's Python tokenizer serves the look-ups rjieba does not expose (how
likely a reading is), which only text repair needs: a process that meets no damaged
text never imports or loads it (about 0.8 s and 60 MB).
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import rjieba

if TYPE_CHECKING:  # imported with the tokenizer
    import jieba


@lru_cache(maxsize=1)
def jieba_tokenizer() -> jieba.Tokenizer:
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.check_initialized()
    return tokenizer


def in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary has the word (words its unknown-word model made are not in it).

    >>> in_dictionary("浙江大学"), in_dictionary("有华峰")
    (True, False)
    """
    return rjieba.has_word(word)
