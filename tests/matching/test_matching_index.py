"""The persistent index: add, reopen, update, remove, compaction, other processes, DF cut."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from moderation.matching import Index, IndexFormatError, Matcher, OriginalText, content_hash
from moderation.matching.fingerprints import text_fingerprints

FIXTURES = Path(__file__).parents[1] / "fixtures" / "matching" / "bbc"
REPO = Path(__file__).resolve().parents[2]


def _articles(n: int = 6) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "articles").glob("*.txt"))][:n]


def _top(index: Index, text: str) -> int | None:
    slots, _ = index.postings(text_fingerprints(text), 1000)
    if not len(slots):
        return None
    uniq, hits = np.unique(slots, return_counts=True)
    return int(index.original_ids(uniq[[np.argmax(hits)]])[0])


def test_added_originals_survive_reopening(tmp_path):
    texts = _articles()
    index = Index(tmp_path)
    assert index.add_many((i, OriginalText(t)) for i, t in enumerate(texts)) == len(texts)
    reopened = Index(tmp_path)
    assert len(reopened) == len(texts)
    assert all(_top(reopened, t) == i for i, t in enumerate(texts))


def test_documents_lists_ids_with_content_hashes(tmp_path):
    index = Index(tmp_path)
    index.add(7, OriginalText("Some original text with enough words in it.", "en",
                              date(2021, 12, 31)))
    assert index.documents() == {
        7: content_hash("Some original text with enough words in it.", "en", date(2021, 12, 31))}
    assert 7 in index and 8 not in index


def test_adding_the_same_content_again_changes_nothing(tmp_path):
    index = Index(tmp_path)
    assert index.add(1, _articles(1)[0]) is True
    version = index.version
    assert index.add(1, _articles(1)[0]) is False
    assert index.version == version


def test_update_replaces_the_old_fingerprints(tmp_path):
    old, new = _articles(2)
    index = Index(tmp_path)
    index.add(1, old)
    index.add(1, new)
    assert len(index) == 1
    assert _top(index, new) == 1
    assert _top(index, old) is None
    assert index.content_hash(1) == content_hash(new)


def test_removed_originals_are_not_found_after_reopening_or_compaction(tmp_path):
    texts = _articles(3)
    index = Index(tmp_path)
    index.add_many((i, OriginalText(t)) for i, t in enumerate(texts))
    assert index.remove(1) is True
    assert index.remove(1) is False
    assert _top(index, texts[1]) is None
    assert _top(Index(tmp_path), texts[1]) is None
    index.compact()
    reopened = Index(tmp_path)
    assert sorted(reopened.documents()) == [0, 2]
    assert _top(reopened, texts[2]) == 2 and _top(reopened, texts[1]) is None


def test_compaction_writes_a_new_generation_and_keeps_results(tmp_path):
    texts = _articles()
    index = Index(tmp_path)
    index.add_many((i, OriginalText(t)) for i, t in enumerate(texts))
    index.add(0, texts[0] + " A correction was appended to this story later on.")
    before = index.documents()
    index.compact()
    assert index.generation == 1
    assert index.stats()["log_postings"] == 0
    assert index.documents() == before
    assert all(_top(index, t) == i for i, t in enumerate(texts))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [manifest["base"], manifest["log"], "manifest.json", "lock"])


def test_another_process_changes_are_seen(tmp_path):
    texts = _articles(2)
    index = Index(tmp_path)
    index.add(0, texts[0])
    code = (
        "import sys; from moderation.matching import Index\n"
        "index = Index(sys.argv[1]); index.add(1, sys.stdin.read()); index.remove(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], input=texts[1], text=True,
                   check=True, cwd=REPO)
    assert index.refresh() is True
    assert sorted(index.documents()) == [1]
    assert _top(index, texts[1]) == 1
    subprocess.run([sys.executable, "-c",
                    "import sys; from moderation.matching import Index; Index(sys.argv[1]).compact()",
                    str(tmp_path)], check=True, cwd=REPO)
    assert index.refresh() is True
    assert index.generation == 1 and _top(index, texts[1]) == 1
    assert index.refresh() is False


def test_a_record_still_being_written_is_read_later(tmp_path):
    index = Index(tmp_path)
    index.add(0, _articles(1)[0])
    log = tmp_path / json.loads((tmp_path / "manifest.json").read_text())["log"]
    data = log.read_bytes()
    log.write_bytes(data[: len(data) - 10])
    reader = Index(tmp_path)
    assert len(reader) == 0
    log.write_bytes(data)
    assert reader.refresh() is True and len(reader) == 1


def test_an_index_of_other_parameters_is_refused_or_reset(tmp_path):
    Index(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["params"]["shingle"] = 9
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError):
        Index(tmp_path)
    fresh = Index(tmp_path, reset=True)
    assert len(fresh) == 0 and fresh.documents() == {}
    fresh.add(1, _articles(1)[0])
    assert len(Index(tmp_path)) == 1


def test_shingles_common_to_many_originals_are_ignored(tmp_path):
    boiler = ("Sign up for our newsletter to receive the latest headlines every morning "
              "straight to your inbox, free of charge, and cancel at any time you like.")
    texts = [f"Story number {i} tells of event {i * 7} in town {i * 13}. {boiler}"
             for i in range(30)]
    index = Index(tmp_path)
    index.add_many((i, OriginalText(t)) for i, t in enumerate(texts))
    fps = text_fingerprints(boiler)
    assert len(index.postings(fps, max_df=1000)[0]) >= 30
    assert len(index.postings(fps, max_df=10)[0]) == 0
    matcher = Matcher(index, lambda i: OriginalText(texts[i]), max_df=10)
    assert matcher.match([("en", boiler)]) == []
