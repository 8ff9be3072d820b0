"""Train the organization tagger: `python -m pipeline.train organizations`.

Reads the labelled sentences of ../shared/corpora/ner/ (MSRA: ORG; CLUENER:
organization, company and government, all as organizations), holds back a fixed tenth
of each corpus (the sentences whose id hashes to 0 mod 10), trains a CRF on the rest
with python-crfsuite on the features of pipeline/extractors/org_tagger.py (the lexicon
of training names jackknifed over folds), writes its weights and the lexicon to
pipeline/models/organizations.json, and prints the scores of the shipped
extractor (rules, tagger and all) on each held-back tenth.

`--dev` holds back a second tenth (id hashing to 1 mod 10) and scores on it instead:
changes are chosen there, and the held-back tenth is only reported.

Inputs are read in sorted order, L-BFGS is deterministic and the JSON is written with
sorted keys, so the same corpora give the same model file byte for byte.
python-crfsuite is a training dependency only (`pip install -e .[train]`).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

import ahocorasick
import pycrfsuite

from . import ruleset
from .extractors import Context, org_tagger, organizations
from .segment import segment

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "ner"
NEWS = CORPORA.parent / "news" / "peoples_daily_2019-02.jsonl"
# silver data: one article in this many of the news corpus, labelled by the rules alone,
# so that the model learns where news text and ../shared/eval/GUIDELINES.md agree with them;
# no more (one in 5 cost 0.7 points of F1 on a dev tenth of MSRA: the rules' labels miss
# every name the rules do not find, and teach the model to trust the rules alone)
SILVER_SHARE = 10
MODELS = Path(__file__).resolve().parent / "models"
LABELS = {"msra": {"ORG"}, "cluener": {"organization", "company", "government"}}
TRIGGER_MIN = 5  # a character ending at least this many training names,
TRIGGER_SHARE = 0.02  # and this share of its occurrences, triggers tagging
WINDOW = 16  # characters before a trigger that are tagged: 99% of training names are shorter
LEXICON_FOLDS = 5  # the training sentences' folds: each sees the names of the other four only
PARAMS = {"c1": 0.3, "c2": 0.1, "max_iterations": 150, "feature.minfreq": 2,
          "feature.possible_transitions": True}


HELD_BACK, DEV = 0, 1  # tenths of each corpus, by crc32(id) % 10: never trained on; trained on but for --dev


def tenth(sentence_id: str) -> int:
    return zlib.crc32(sentence_id.encode()) % 10


def read(corpora: Path, corpus: str) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(id, text, organization spans) of every sentence, sorted by id. Names that end
    like an event (全国代表大会) are left out: GUIDELINES.md does not count events."""
    events = tuple(ruleset.read_yaml("organizations.yaml")["event_endings"])
    rows = []
    with (corpora / f"{corpus}_train.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = record["text"]
            gold = sorted({(s, e) for s, e, label in record["entities"]
                           if label in LABELS[corpus] and not text[s:e].endswith(events)})
            rows.append((record["id"], text, gold))
    return sorted(rows)


def _labels(start: int, end: int, gold: list[tuple[int, int]]) -> list[str]:
    labels = ["O"] * (end - start)
    for s, e in gold:
        if s >= start and e <= end:
            labels[s - start] = "B"
            for position in range(s + 1, e):
                labels[position - start] = "I"
    return labels


def _trigger_chars(training) -> str:
    """Characters that end a name often enough, in the training sentences, to make the
    text before them worth tagging."""
    endings = Counter(text[e - 1] for _, text, gold in training for _, e in gold)
    seen = Counter(char for _, text, _ in training for char in text)
    return "".join(sorted(char for char, count in endings.items()
                          if count >= TRIGGER_MIN and count / seen[char] >= TRIGGER_SHARE))


def _fold(sentence_id: str) -> int:
    return zlib.crc32(sentence_id.encode()) // 10 % LEXICON_FOLDS  # independent of the tenths


def _lexicons(training) -> tuple[dict[str, str], list[org_tagger.Lexicon]]:
    """The names of the training sentences, each with the grade of its share of
    occurrences labelled as a name: all of them (shipped with the model), and, for each
    fold, those of the other folds only (jackknifing: a sentence that saw its own names
    in the feature would teach the model to trust it more than unseen text allows)."""
    labelled: dict[str, Counter] = {}
    for sentence_id, text, gold in training:
        for start, end in gold:
            if end - start > 1:
                labelled.setdefault(text[start:end], Counter())[_fold(sentence_id)] += 1
    everywhere = ahocorasick.Automaton()  # to count each name's occurrences, in a word or not
    for name in labelled:
        everywhere.add_word(name, len(name))
    everywhere.make_automaton()
    occurring: dict[str, Counter] = {name: Counter() for name in labelled}
    for sentence_id, text, _ in training:
        fold = _fold(sentence_id)
        for last, length in everywhere.iter(text):
            occurring[text[last - length + 1:last + 1]][fold] += 1

    def graded(left_out: int | None) -> dict[str, str]:
        names = {}
        for name, counts in labelled.items():
            named = sum(count for fold, count in counts.items() if fold != left_out)
            if named:
                seen = sum(count for fold, count in occurring[name].items() if fold != left_out)
                names[name] = org_tagger.lexicon_grade(named / seen)
        return names

    return graded(None), [org_tagger.Lexicon(graded(fold)) for fold in range(LEXICON_FOLDS)]


def _weights(path: Path, triggers: str, lexicon: dict[str, str]) -> dict:
    """The trained CRF as plain JSON: weights by feature family and value, transitions."""
    info = pycrfsuite.Tagger()
    info.open(str(path))
    model = info.info()
    families: dict[str, dict[str, list[float]]] = {}
    for (name, label), weight in model.state_features.items():
        row = families.setdefault(name[0], {}).setdefault(name[1:], [0.0, 0.0, 0.0])
        row[org_tagger.LABELS.index(label)] = weight
    transitions = [[model.transitions.get((before, after), 0.0) for after in org_tagger.LABELS]
                   for before in org_tagger.LABELS]
    return {"labels": list(org_tagger.LABELS), "window": WINDOW, "trigger_chars": triggers, "lexicon": lexicon,
            "params": PARAMS, "transitions": transitions, "features": families}


def _check_decoding(crf: Path, samples: list) -> None:
    """The runtime's Viterbi over the JSON weights must label as crfsuite does."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf))
    org_tagger.model.cache_clear()
    differ = checked = 0
    settings = org_tagger.model()
    for segmented, candidates in samples:
        arrays = org_tagger.layout(segmented)
        names = org_tagger.lexicon_names(arrays, settings["lexicon"])
        stretches = org_tagger.windows(arrays, candidates, names, settings["trigger_chars"], settings["window"])
        if not stretches:
            continue
        known = org_tagger.marks(arrays, candidates, names)
        sizes = stretches.sizes.tolist()
        labels = org_tagger.best_paths(org_tagger.scores(arrays, stretches, known), sizes).tolist()
        offset = 0
        for (start, end), size in zip(stretches.spans(), sizes):
            expected = tagger.tag(org_tagger.feature_names(*org_tagger.features(segmented, start, end, known)))
            differ += expected != [org_tagger.LABELS[label] for label in labels[offset:offset + size]]
            offset += size
            checked += 1
    if differ:
        raise SystemExit(f"the JSON model labels {differ} of {checked} stretches unlike crfsuite")


def _silver_articles(news: Path) -> list[tuple[str, str]]:
    """(id, text) of every SILVER_SHARE-th article of the news corpus, by id hash, sorted."""
    articles = []
    with news.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if zlib.crc32(record["id"].encode()) % SILVER_SHARE == 0:
                articles.append((record["id"], record["text"]))
    return sorted(articles)


def _with_silver(training, news: Path | None, lexicon: dict[str, str], folds: list):
    """The labelled sentences, then the silver articles (gold None), each segmented
    and with its fold's lexicon (every name for the silver ones)."""
    for sentence_id, text, gold in training:
        yield text, gold, segment(text), folds[_fold(sentence_id)]
    everything = org_tagger.Lexicon(lexicon)
    for _, text in (_silver_articles(news) if news else []):
        yield text, None, segment(text), everything


def train(corpora: Path, out: Path, news: Path | None, scored: int) -> dict:
    """Train on every tenth of the corpora but the held-back one and `scored`."""
    sentences = {corpus: read(corpora, corpus) for corpus in sorted(LABELS)}
    training = [row for rows in sentences.values() for row in rows if tenth(row[0]) not in (HELD_BACK, scored)]
    triggers = _trigger_chars(training)
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(PARAMS)
    covered = total = 0
    samples = []  # the first sentences, to check that the JSON model decodes as crfsuite does
    lexicon, folds = _lexicons(training)
    for _, gold, segmented, fold_lexicon in _with_silver(training, news, lexicon, folds):
        candidates = organizations._rule_candidates(segmented)
        if gold is None:  # silver: what the rules alone make of the article
            gold = sorted({(c.start, c.end) for c in organizations._longest(organizations.names(candidates))})
        arrays = org_tagger.layout(segmented)
        names = org_tagger.lexicon_names(arrays, fold_lexicon)
        known = org_tagger.marks(arrays, candidates, names)
        for start, end in org_tagger.windows(arrays, candidates, names, frozenset(triggers), WINDOW).spans():
            labels = _labels(start, end, gold)
            covered += labels.count("B")
            stretch = org_tagger.features(segmented, start, end, known)
            trainer.append(org_tagger.feature_names(*stretch), labels)
        if len(samples) < 500:
            samples.append((segmented, candidates))
        total += len(gold)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        crf = Path(folder) / "organizations.crfsuite"
        trainer.train(str(crf))
        model = _weights(crf, triggers, lexicon)
        seconds = time.perf_counter() - began
        out.mkdir(parents=True, exist_ok=True)
        (out / org_tagger.MODEL).write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n",
                                            encoding="utf-8")
        _check_decoding(crf, samples)
    print(f"trained on {len(training)} sentences ({covered}/{total} names inside the tagged stretches) "
          f"in {seconds:.0f} s")
    return sentences


def evaluate(sentences: dict, scored: int) -> dict[str, tuple[float, float, float]]:
    """Exact-span precision, recall and F1 of the extractor (with the model of `org_tagger.model_folder`)
    on the tenth `scored` of each corpus."""
    ruleset.reload()
    org_tagger.model.cache_clear()
    scores = {}
    for corpus, rows in sentences.items():
        right = found = wanted = 0
        for sentence_id, text, gold in rows:
            if tenth(sentence_id) != scored:
                continue
            predicted = {(m.start, m.end) for m in organizations.extract(segment(text), Context())}
            right += len(predicted & set(gold))
            found += len(predicted)
            wanted += len(gold)
        precision, recall = right / max(found, 1), right / max(wanted, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        scores[corpus] = (precision, recall, f1)
        print(f"{corpus} {'held-back' if scored == HELD_BACK else 'dev'} tenth: P {precision:.3f} R {recall:.3f} F1 {f1:.3f} ({wanted} names)")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.train")
    parser.add_argument("model", choices=["organizations"])
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--news", type=Path, default=NEWS, help="articles to label with the rules as silver data")
    parser.add_argument("--no-silver", dest="news", action="store_const", const=None)
    parser.add_argument("--evaluate-only", action="store_true", help="score the model in --out (the shipped one), do not train")
    parser.add_argument("--dev", dest="scored", action="store_const", const=DEV, default=HELD_BACK,
                        help="train without the dev tenth too and score on it, to choose changes without "
                             "looking at the held-back tenth (overwrites the model: rebuild it after)")
    args = parser.parse_args(argv)
    # the model written (or, with --evaluate-only, the one in --out) is the one checked and scored
    org_tagger.model_folder = None if args.out.resolve() == MODELS else args.out
    if args.evaluate_only:
        sentences = {corpus: read(args.corpora, corpus) for corpus in sorted(LABELS)}
    else:
        sentences = train(args.corpora, args.out, args.news, args.scored)
    evaluate(sentences, args.scored)
    return 0


if __name__ == "__main__":
    sys.exit(main())
