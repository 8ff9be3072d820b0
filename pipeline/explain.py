"""Why a mention is there, or not: one article through `api.process`, with the repairs
normalization made, the tokens, every candidate each rule proposed and what became of it.

The candidates come from `ruleset.tracing()`, which records every match the rule engine
(`ruleset.find_longest`) saw: kept, or lost to an overlapping match (which one, and why:
it starts earlier, it is longer, or it is the same span and its rule is listed earlier).
A kept candidate that is not a mention was dropped by the extractor afterwards: an
exclusion list, or a value it could not read. Organizations' rule sources (gazetteer,
endings, dictionary, lists) report their candidates through `ruleset.trace_candidate`;
the tagger and the document-wide steps then choose among them, so a candidate of theirs
that is no mention was passed over there. A mention no candidate explains (the tagger's
own names, recurrences, short forms) is shown as found.
"""
from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from .api import EXTRACTORS, Result, process
from .io.readers import read_file
from .io.schema import to_cell
from .ruleset import Candidate, tracing
from .types import InputError, Mention, RawDocument

KINDS = tuple(kind for kind, _ in EXTRACTORS)
VERDICTS = {
    "mention": "a candidate that became a mention",
    "found": "a mention no rule candidate explains (the organization tagger, names across the document)",
    "lost": "a candidate that lost to an overlapping match",
    "dropped": "a candidate that won its place, then was dropped by the extractor "
               "(an exclusion list or a value it could not read)",
}


@dataclass(frozen=True)
class Repair:
    """A piece of the raw input and what normalization made of it ("" when dropped)."""

    raw_start: int
    raw_end: int
    raw: str
    start: int  # in the normalized text
    end: int
    text: str


@dataclass(frozen=True)
class Outcome:
    """A candidate and what became of it, or a mention no traced candidate explains."""

    kind: str
    rule: str
    start: int
    end: int
    text: str
    verdict: str  # mention, lost, dropped, found
    reason: str
    why: str = ""  # the rule's own `why`, when it is a rule of the engine
    mention: Mention | None = None


@dataclass(frozen=True)
class Explanation:
    result: Result
    repairs: list[Repair]
    outcomes: list[Outcome]


def repairs(result: Result) -> list[Repair]:
    """Where the normalized text differs from the raw input, read from the offset map:
    every run of normalized characters that is not a plain copy of the raw characters
    it maps to, and every stretch of raw input that maps to nothing."""
    raw, text, offsets = result.document.raw, result.normalized.text, result.normalized.offsets
    found: list[Repair] = []
    position, group = 0, None  # group: (normalized start, raw start) of an open repair
    for index, character in enumerate(text):
        start, end = int(offsets.starts[index]), int(offsets.ends[index])
        clean = start == position and end - start == 1 and raw[start] == character
        if clean and group is not None:
            found.append(Repair(group[1], start, raw[group[1]:start], group[0], index, text[group[0]:index]))
            group = None
        elif not clean and group is None:
            group = (index, min(position, start))
        position = max(position, end)
    if group is not None or position < len(raw):
        begin, raw_begin = group if group is not None else (len(text), position)
        found.append(Repair(raw_begin, len(raw), raw[raw_begin:], begin, len(text), text[begin:]))
    return found


def _values(mention: Mention) -> str:
    return ", ".join(f"{name}={to_cell(value)}" for name, value in mention.attrs.items() if to_cell(value) != "")


def outcomes(result: Result, candidates: list[Candidate]) -> list[Outcome]:
    mentions = {(m.kind, m.start, m.end, m.rule): m for m in result.mentions}
    explained = set()
    found = []
    for candidate in candidates:
        kind = candidate.rule.split(".", 1)[0]
        key = (kind, candidate.start, candidate.end, candidate.rule)
        if not candidate.kept:
            verdict = "lost"
            reason = f"overlaps {candidate.lost_to} {candidate.lost_to_text!r}, which {candidate.why_lost}"
        elif key in mentions:
            verdict, reason = "mention", _values(mentions[key])
            explained.add(key)
        elif kind == "organizations":
            verdict, reason = "dropped", "no mention (another source's name at this place, or the tagger passed it over)"
        else:
            verdict, reason = "dropped", "no mention (an exclusion list, or a value the extractor could not read)"
        found.append(Outcome(kind, candidate.rule, candidate.start, candidate.end, candidate.text, verdict,
                             reason, candidate.why, mentions.get(key)))
    for key, mention in mentions.items():
        if key not in explained:
            found.append(Outcome(mention.kind, mention.rule, mention.start, mention.end, mention.text, "found",
                                 _values(mention), mention=mention))
    return sorted(found, key=lambda o: (o.start, -(o.end - o.start), o.kind, o.verdict != "mention"))


def explain(document: RawDocument | str, reference_date: str | None = None) -> Explanation:
    """`document` (or a text) through the one code path, with every candidate traced."""
    if isinstance(document, str):
        document = RawDocument("text", "<text>", document)
    with tracing() as candidates:
        result = process(document, reference_date)
    return Explanation(result, repairs(result), outcomes(result, candidates))


def describe(explanation: Explanation, kinds: tuple[str, ...] = KINDS, everything: bool = False) -> str:
    """The explanation as text: repairs, then sentence by sentence the tokens and the
    candidates of `kinds` (only sentences that have one, unless `everything`)."""
    result = explanation.result
    normalized, segmented = result.normalized, result.segmented
    reference = result.reference_date
    lines = [f"{result.document.source}: {len(result.document.raw)} raw characters, {len(normalized.text)} "
             f"normalized; script {normalized.script}; reference date "
             + (f"{reference.iso} ({reference.source})" if reference else "none")]
    lines.append(f"repairs ({len(explanation.repairs)}):" if explanation.repairs else "repairs: none, the text is as written")
    for repair in explanation.repairs[:40]:
        lines.append(f"  raw {repair.raw_start}-{repair.raw_end} {repair.raw!r} -> {repair.text!r}")
    if len(explanation.repairs) > 40:
        lines.append(f"  ... {len(explanation.repairs) - 40} more")
    shown = [o for o in explanation.outcomes if o.kind in kinds]
    for number, (start, end) in enumerate(segmented.sentences):
        inside = [o for o in shown if start <= o.start < end]
        if not inside and not everything:
            continue
        tokens = [t for t in segmented.tokens if start <= t.idx < end and t.text.strip()]
        lines.append(f"\nsentence {number} [{start}:{end}]: {normalized.text[start:end].strip()}")
        lines.append("  tokens: " + " ".join(f"{t.text}/{t.tag}" for t in tokens))
        for outcome in inside:
            lines.append(f"  {outcome.verdict:<8}{outcome.text!r} [{outcome.start}:{outcome.end}] {outcome.rule}: "
                         f"{outcome.reason}")
    counts = {verdict: sum(o.verdict == verdict for o in shown) for verdict in VERDICTS}
    lines.append("\n" + ", ".join(f"{n} {verdict}" for verdict, n in counts.items()) + f" ({', '.join(kinds)})")
    lines += [f"  {verdict}: {meaning}" for verdict, meaning in VERDICTS.items()]
    rules = dict(sorted({o.rule: o.why for o in shown if o.why}.items()))
    lines += ["rules:"] + [f"  {rule}: {why}" for rule, why in rules.items()]
    return "\n".join(lines)


def _document(argument: str, doc_id: str | None) -> RawDocument:
    """A file's article (the one named `doc_id` in a JSON Lines file, else its first), or the text itself."""
    if os.path.isfile(argument):  # False, not an error, for a text too long to be a file name
        for item in read_file(Path(argument)):
            if isinstance(item, InputError):
                raise SystemExit(f"{item.source}: {item.message}")
            if doc_id is None or item.doc_id == doc_id:
                return item
        raise SystemExit(f"{argument}: no article {doc_id!r}")
    return RawDocument("text", "<text>", argument)


def add_command(commands) -> None:
    """Register `python -m pipeline explain` on the CLI's subcommands."""
    command = commands.add_parser(
        "explain", help="why each mention is there or not: repairs, tokens, every rule's candidates",
        description="Run one article (a text, or a .txt, .html or .jsonl file) and print the repairs of its "
                    "normalization, then sentence by sentence its tokens and every candidate a rule proposed: "
                    "kept as a mention, lost to an overlapping match (which, and why), or dropped by the "
                    "extractor (an exclusion list or an unreadable value).",
        epilog="examples:\n  python -m pipeline explain '今年5月19日，浙江已累计捐资1265万元。' --reference-date 2021\n"
               "  python -m pipeline explain raw/004_0b188ff729d73134.txt --kind dates",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("article", metavar="TEXT|FILE", help="the text itself, or a file holding the article")
    command.add_argument("--kind", action="append", choices=KINDS, dest="kinds",
                         help="only this kind (repeatable; default: all four)")
    command.add_argument("--reference-date", help="the article's date, as `run --reference-date` takes it")
    command.add_argument("--doc", metavar="DOC_ID", help="the article of a JSON Lines file (default: its first)")
    command.add_argument("--all-sentences", action="store_true",
                         help="every sentence, also those without a candidate")
    command.set_defaults(handler=_main)


def _main(args) -> int:
    explanation = explain(_document(args.article, args.doc), args.reference_date)
    print(describe(explanation, tuple(args.kinds or KINDS), args.all_sentences))
    return 0

