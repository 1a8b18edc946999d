"""Provenance matching: which originals an article was taken from, how much, in what form.

A pure library: plain text in, numbers and character spans out. It imports nothing from
Flask, the database or the rest of ``moderation``.

Indexing originals (the index lives in a folder; several processes may share it)::

    from moderation.matching import Index, Matcher, OriginalText, compare, content_hash

    index = Index(instance_path / "matching")        # created if missing, else opened
    Index(folder, reset=True)  # an index of another engine version is emptied, not refused
    index.add(original_id, OriginalText(text, "en", published_at))   # add or update
    index.add_many((id, OriginalText(...)) for ...)  # bulk, written in batches
    index.remove(original_id)
    index.documents()      # {original_id: content_hash} of every original held
    content_hash(text, language, published_at)      # compare with documents() to reconcile
    index.compact()        # optional: folds the change log into new sorted arrays

Matching an article (``segments`` are (language, text) pairs; language "zh", "en" or
"other")::

    matcher = Matcher(index, load_original)   # load_original(id) -> OriginalText | None
    matches = matcher.match([("zh", zh_text), ("en", en_text)], published_at=day, limit=5)
    for m in matches:      # best first; empty list when nothing matches
        m.original_id, m.score, m.kind, m.article_coverage, m.original_coverage
        m.spans            # Span(segment, article_start, article_end, original_start,
                           #      original_end, similarity, kind): offsets into the texts
        m.languages        # ("zh", "en") for a translation, ("en", "en") for a copy
        m.to_dict()        # JSON-ready, to store with ENGINE_VERSION

    compare(article_text_or_segments, OriginalText(...))   # one given original -> Match
                           # (kind "none" below the thresholds, with its score and spans)

Kinds: "verbatim" (the original copied whole), "excerpt" (part of it, word for word, pieces
cut and joined included), "edited" (copied with changes), "rewritten" (its sentences told
again in other words: a rewrite, 洗稿), "translation" (Chinese from the English, or back),
"none". A rewrite's score is its confidence; under ``REWRITE_STRONG`` it is only a possible
rewrite (``m.possible``), reported for a person to decide. Spans carry their own kind, so a
page mixing copied, edited, reworded and translated passages says so passage by passage. Several matches come back when an article combines sources; identical originals
are all listed. ``score`` is the share of the article (or of the original) that the
aligned passages explain, each passage counted by its similarity, or a saturating
measure of the passage length (200 words count for 63%) when that is larger; matches
under 0.25 are not reported, nor those whose passages (counted by similarity) explain less
than half of the article and less than half of the original: another report of the same
news sharing a quote or background paragraphs with an original is not a copy of it, while
an excerpt is nearly all made of its original. Pieces copied word for word outside
quotation marks, or lightly edited, are the exception: when they make a quarter of the
article (20 words at least) they are reuse of the original (scored by that share at least),
as a short answer cut or lightly revised from a long source is (``Matcher(..., min_coverage=0)`` and
``compare(..., min_coverage=0)`` report such shared passages too). Sources explaining less
than that on their own are listed only when, together, the sources listed explain 80% of
the article (an article made of a third of each of three originals). Coverages are shares of
words (a Han character counting 0.6 of a word); Chinese text inside a segment labelled
English (site chrome) does not count against ``article_coverage``. Only the first 100,000
characters of a segment or an original are aligned.

How it works: texts are normalised (NFKC, case, punctuation, full-width digits) and cut
into tokens (words; single characters for Chinese). Runs of 5 tokens are hashed to 64
bits and winnowed; the index keeps those fingerprints plus language-independent anchors
(numbers by value, dates, names) in memory-mapped sorted arrays with an append-only log.
Candidates are the originals holding the most of the article's fingerprints (containment,
not Jaccard), shingles held by many originals being skipped, or for Chinese text the most
(rare) anchors, glossed names included, weighted by publication date. The best candidates
are aligned sentence by sentence (rapidfuzz on sentence pairs; CC-CEDICT glosses across
languages) and scored from the aligned passages. Rewrites are found apart: the index also
keeps a sample of each original's content-word stems (a fifth of them, chosen by hash),
so an article whose 5-word runs were all reworded still reaches its original; sentences
not copied are then compared as bags of content words (tf-isf cosine and Dice seeds,
passages following both texts in order; see paraphrase.py). A rewrite must explain a good
share of the article, and 30% of the article must be sentences that have a partner of their
own in the original (seeds, copies, edits): another report of the same story retelling a
few facts does not, however the passages between its seeds are merged. Module map:
candidates.py (what the index offers), comparison.py (one article against one original),
scoring.py with evidence.py and passages.py (what the pairs show), selection.py (which
matches are listed), engine.py (the Matcher).

May import: nothing of the desk. Imported by: provenance, web (thresholds), commands.
"""

from .engine import Matcher, compare
from .fingerprints import content_hash
from .index import FEATURES_VERSION, Index
from .results import (
    EDITED,
    EXCERPT,
    KINDS,
    NONE,
    REWRITE_STRONG,
    REWRITTEN,
    TRANSLATION,
    VERBATIM,
    Match,
    OriginalText,
    Span,
)
from .storage import IndexFormatError

# Stored with every result: results of different versions may differ for the same texts.
# 1.1: a match must explain half of the article or of the original (scoring.MIN_COVERAGE).
# 1.2: rewrites (kind "rewritten", paraphrase.py), content-word candidates, cut pieces are
# excerpts.
# 1.3: rewrites seeded by a term weighting that does not count shared words as common,
# passages counted by their seeds, a rewrite made of sentences with partners; pieces cut
# word for word (quotations left out) from a long original are an excerpt of it when they
# make a quarter of the article; more content-word candidates for short articles.
# Also Chinese read as words (jieba) without function words, for rewrites and translations.
# 1.4: an original sharing a single 5-word run with an article is aligned when only a few
# share any; pieces copied or lightly edited that make a quarter of a short article count by
# that share even when their similarity alone scores too little.
ENGINE_VERSION = f"matching-1.4/features-{FEATURES_VERSION}"

__all__ = [
    "EDITED",
    "ENGINE_VERSION",
    "EXCERPT",
    "KINDS",
    "NONE",
    "REWRITE_STRONG",
    "REWRITTEN",
    "TRANSLATION",
    "VERBATIM",
    "Index",
    "IndexFormatError",
    "Match",
    "Matcher",
    "OriginalText",
    "Span",
    "compare",
    "content_hash",
]
