"""jieba's dictionary: word membership, and the word counts loaded once per process.

Segmentation itself runs in rjieba, which also answers whether a word is in the
dictionary; jieba's counts serve the look-ups rjieba does not expose (how likely a
reading is), which only text repair needs: a process that meets no damaged text never
loads them (about 0.2 s and 60 MB).
"""
from __future__ import annotations

import marshal
import math
import os
import tempfile
from functools import lru_cache

import rjieba


@lru_cache(maxsize=1)
def word_counts() -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary, {word: count} with every prefix of a word at 0, and the
    sum of the counts: what `jieba.Tokenizer` loads as `FREQ` and `total`.

    Read from the cache jieba keeps of it (the file a default Tokenizer reads, and writes
    whole and then renames, so a worker never reads half of it): `marshal.loads` of the
    file's bytes takes a third of the time of jieba's `marshal.load`, which reads the open
    file an object at a time (0.17 against 0.52 s), and the process need not import jieba
    (0.12 s, most of it pkg_resources). Without a readable cache, jieba builds one.
    """
    try:
        with open(os.path.join(tempfile.gettempdir(), "jieba.cache"), "rb") as cache:
            counts, total = marshal.loads(cache.read())
    except (OSError, EOFError, ValueError, TypeError):  # none yet, or not one jieba wrote
        import jieba

        jieba.setLogLevel(60)
        tokenizer = jieba.Tokenizer()
        tokenizer.check_initialized()
        return tokenizer.FREQ, tokenizer.total
    return counts, total


def segmentation_score(text: str) -> float:
    """Log-probability of jieba's likeliest segmentation of `text` into dictionary words
    (a character no word covers is a word of count 1): the score of the route jieba's
    `Tokenizer.calc` finds over its `get_DAG`, to the last bit.

    >>> segmentation_score("中国") > segmentation_score("中") + segmentation_score("国")
    True
    """
    counts, total = word_counts()
    log_total = math.log(total)
    scores = [0.0] * (len(text) + 1)  # scores[start]: of the best segmentation of text[start:]
    for start in range(len(text) - 1, -1, -1):
        best = -log_total + scores[start + 1]  # alone, unless a word begins here (jieba's DAG then has only words)
        seen_word = False
        end = start + 1
        word = text[start]
        # every prefix of a word is in `counts`: the words that begin here end before the first that is not
        while word in counts:
            count = counts[word]
            if count:
                score = math.log(count) - log_total + scores[end]
                if not seen_word or score > best:
                    best = score
                seen_word = True
            if end == len(text):
                break
            end += 1
            word = text[start:end]
        scores[start] = best
    return scores[0]


def in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary has the word (words its unknown-word model made are not in it).

    >>> in_dictionary("浙江大学"), in_dictionary("有华峰")
    (True, False)
    """
    return rjieba.has_word(word)
