"""The one code path from a raw article to its mentions; the CLI and batch runner use it too."""
from __future__ import annotations

import bisect
import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence


from .dateref import ReferenceDate, parse_reference_date
from .extractors import Context, counts, dates, money, organizations
from .normalize import normalize
from .segment import Segmented, segment
from .segment import to_doc as _segmented_doc
from .types import Mention, Normalized, RawDocument

if TYPE_CHECKING:  # spaCy is imported by `to_doc` alone: the batch path never needs it
    from spacy.tokens import Doc

Extractor = Callable[[Sequence[Segmented], Sequence[Context]], list[list[Mention]]]


def _one_by_one(extract: Callable[[Segmented, Context], list[Mention]]) -> Extractor:
    return lambda documents, contexts: list(map(extract, documents, contexts))


# each extractor over a batch of articles (their segmented texts and contexts -> each
# one's mentions): the organization tagger tags them together, the others read them
# one at a time
EXTRACTORS: tuple[tuple[str, Extractor], ...] = (
    ("money", _one_by_one(money.extract)), ("counts", _one_by_one(counts.extract)),
    ("dates", _one_by_one(dates.extract)), ("organizations", organizations.extract_many))


@dataclass(frozen=True)
class Result:
    """One processed article: its documents.csv row, its mentions, its normalized text
    and, on demand, its segmented text."""

    document: RawDocument
    normalized: Normalized
    reference_date: ReferenceDate | None
    mentions: list[Mention]

    @cached_property
    def segmented(self) -> Segmented:
        """The tokens and sentences the extractors read, segmented again when asked for
        (the same, segmentation being deterministic). A result does not keep them from the
        extraction: an article's thousand-odd token tuples, kept, are scanned again by the
        cycle collector when it resumes and at each full collection (4% of the pipeline's
        time when the results are kept), and take six times the memory of the normalized text and its offset map."""
        return segment(self.normalized.text)

    def document_row(self, version: str) -> dict[str, Any]:
        reference = self.reference_date
        return {
            "doc_id": self.document.doc_id, "source": self.document.source, "url": self.document.url,
            "title": self.document.title, "published": self.document.published,
            "reference_date": reference.iso if reference else "",
            "reference_date_source": reference.source if reference else "none",
            "encoding": self.document.encoding, "raw_chars": len(self.document.raw),
            "chars": len(self.normalized.text), "script": self.normalized.script,
            "repairs": self.normalized.repairs, "lossy": self.normalized.lossy,
            "dropped_chars": self.normalized.dropped_chars, "content_hash": self.document.content_hash,
            "pipeline_version": version, "status": "ok", "error": "",
        }


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Label an exception with the stage it came from, for errors.csv; never swallow it."""
    try:
        yield
    except Exception as error:
        if not hasattr(error, "pipeline_stage"):
            error.pipeline_stage = name  # type: ignore[attr-defined]
        raise


def choose_reference_date(published: str, normalized: Normalized, given: str | None) -> ReferenceDate | None:
    """Metadata first, then the page's own date (a publication line dropped as chrome), then the
    article's date line, then the caller's date."""
    return (parse_reference_date(published, "metadata") or parse_reference_date(normalized.page_date, "text")
            or dates.reference_from_text(normalized.text) or parse_reference_date(given, "cli"))


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while articles are processed.

    An article makes hundreds of thousands of small tuples (tokens, matches, edits),
    none of them in a reference cycle; each batch of new objects triggers a collection
    that scans them again (a tenth of the pipeline's time). Plain reference counting
    still frees everything; the collector resumes, as it was, afterwards, and first
    scans what is still alive of the articles' objects (4 ms for the results of 16 news
    articles; a batch worker lets them go first).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def process(document: RawDocument, reference_date: str | None = None) -> Result:
    """One article through every stage; raises what a stage raised (labelled with the stage)."""
    outcome = process_many([document], reference_date)[0]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def process_many(documents: Sequence[RawDocument], reference_date: str | None = None) -> list[Result | Exception]:
    """Each article's Result, or the exception that stopped it (labelled with its stage), in order.

    Each stage runs over all the articles before the next (normalize every one, segment
    every one, then each extractor over them all): a stage's tables, patterns and model
    stay in the processor's caches from one article to the next, which cost some 15-25%
    less CPU than each article through all the stages in turn (16 news articles at a
    time; measured as the batch worker runs), and the organization tagger tags the
    articles together (some 40% less for that stage). An article's exception is its own:
    the others go on. Keep a call's articles to a few hundred thousand characters: all of
    them are held until the last stage.
    """
    with no_cycle_collection():
        return _process_many(documents, reference_date)


def _process_many(documents: Sequence[RawDocument], reference_date: str | None) -> list[Result | Exception]:
    failed: dict[int, Exception] = {}

    def each(name: str, step: Callable[[int], Any], indexes: Iterable[int]) -> dict[int, Any]:
        """`step(i)` for each article not failed yet; an exception fails that article alone."""
        done = {}
        for index in indexes:
            if index in failed:
                continue
            try:
                with stage(name):
                    done[index] = step(index)
            except Exception as error:  # the caller decides: `process` raises it, a batch run writes its error row
                failed[index] = error
        return done

    def together(name: str, step: Callable[[list[int]], list], indexes: Iterable[int]) -> dict[int, Any]:
        """`step(batch)` (a value for each article of `batch`, in order) for the articles not
        failed yet, all at once; if it raises, for each alone: an exception is its article's own."""
        batch = [index for index in indexes if index not in failed]
        try:
            with stage(name):
                return dict(zip(batch, step(batch), strict=True))
        except Exception:
            return each(name, lambda index: step([index])[0], batch)

    normalized = each("normalize", lambda i: documents[i].normalized
                      or normalize(documents[i].raw, documents[i].markup), range(len(documents)))
    segmented = each("segment", lambda i: segment(normalized[i].text), normalized)
    references = each("extract", lambda i: choose_reference_date(documents[i].published, normalized[i],
                                                                  reference_date), segmented)
    found: dict[int, list[Mention]] = {index: [] for index in references}
    contexts = {index: Context(reference_date=reference, script=normalized[index].script)
                for index, reference in references.items()}
    for _, extractor in EXTRACTORS:
        extracted = together("extract", lambda batch: extractor([segmented[i] for i in batch],
                                                                [contexts[i] for i in batch]), references)
        for index, mentions in extracted.items():
            found[index].extend(mentions)
    results = each("extract", lambda i: Result(documents[i], normalized[i], references[i],
                                               _placed(found[i], normalized[i], segmented[i])), references)
    return [results[index] if index in results else failed[index] for index in range(len(documents))]


def _placed(found: list[Mention], normalized: Normalized, segmented: Segmented) -> list[Mention]:
    """The mentions with their sentence and their span in the raw text."""
    if not found:
        return []
    sentence_starts = [start for start, _ in segmented.sentences]
    # every mention's raw span in one look-up of the offset map (a look-up per mention cost
    # more than the rest of this step)
    raw_starts, raw_ends = normalized.offsets.raw_spans([m.start for m in found], [m.end for m in found])
    mentions = []
    for mention, raw_start, raw_end in zip(found, raw_starts, raw_ends):
        sentence_id = max(bisect.bisect_right(sentence_starts, mention.start) - 1, 0)
        sentence_start, sentence_end = segmented.sentences[sentence_id]
        mentions.append(Mention(mention.kind, mention.text, mention.start, mention.end, mention.rule, mention.attrs,
                                raw_start, raw_end, sentence_id, normalized.text[sentence_start:sentence_end]))
    return mentions


def _text_document(text: str, reference_date: str | None, html: bool) -> RawDocument:
    return RawDocument(doc_id="text", source="<text>", raw=text, markup="html" if html else "text",
                       published=reference_date or "")


def extract(text: str, reference_date: str | None = None, *, html: bool = False) -> list[Mention]:
    """Every money, count, date and organization mention in one article.

    `reference_date` (YYYY, YYYY-MM or YYYY-MM-DD) is the article's date as the
    caller knows it, so it wins over a date found in the text (like `published`
    metadata in a batch run); without it, the text's own date line is used.

    >>> [(m.kind, m.text, m.attrs["amount"]) for m in extract("累计捐资1265万元。") if m.kind == "money"]
    [('money', '1265万元', Decimal('12650000'))]
    """
    return process(_text_document(text, reference_date, html)).mentions


def to_doc(article: str | Result, reference_date: str | None = None, *, html: bool = False) -> Doc:
    """An article (text, or a `process` result) as a spaCy Doc: jieba's tokens and tags,
    sentences, and its mentions in `doc.spans` under their kind, each span carrying
    `span._.rule` and `span._.attrs` (for displaCy:
    `displacy.render(doc, style="span", options={"spans_key": "money"})`).

    >>> doc = to_doc("累计捐资1265万元。")
    >>> [(span.text, span.label_, span._.rule) for span in doc.spans["money"]]
    [('1265万元', 'money', 'money.amount_currency')]
    """
    from spacy.tokens import Span

    result = article if isinstance(article, Result) else process(_text_document(article, reference_date, html))
    for name in ("rule", "attrs"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    doc = _segmented_doc(result.segmented)
    for kind, _ in EXTRACTORS:
        doc.spans[kind] = []
    for mention in result.mentions:
        span = doc.char_span(mention.start, mention.end, label=mention.kind, alignment_mode="expand")
        span._.rule = mention.rule
        span._.attrs = dict(mention.attrs)
        doc.spans[mention.kind].append(span)
    return doc
