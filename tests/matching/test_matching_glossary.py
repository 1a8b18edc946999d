"""CC-CEDICT glosses of Chinese words, and the Chinese-English sentence alignment built on them."""

import pytest

from moderation.matching.crosslingual import align_translation, monotonic_path
from moderation.matching.glossary import glossary
from moderation.matching.text import analyse


@pytest.fixture(scope="module")
def g():
    return glossary()


def test_the_glossary_is_built_once(g):
    assert glossary() is g


def test_names_gloss_to_their_english_spelling(g):
    putin = g.gloss("普京")
    assert "putin" in putin.names and "putin" in putin.stems
    assert "nato" in g.gloss("北约").names
    assert "ukrain" in g.gloss("乌克兰").names


def test_common_words_gloss_to_stems_without_names(g):
    phone = g.gloss("电话")
    assert {"phone", "call"} <= phone.stems and not phone.names
    assert "diplom" in g.gloss("外交").stems


def test_traditional_characters_gloss_like_simplified(g):
    assert g.gloss("電話").stems == g.gloss("电话").stems


def test_function_characters_have_no_gloss(g):
    assert g.gloss("的") is None and g.gloss("了") is None


def test_segmentation_takes_the_longest_dictionary_word(g):
    text = "拜登与俄罗斯总统进行了电话会议"
    words = [text[a:b] for a, b, _ in g.segment(text)]
    assert words == ["拜登", "与", "俄罗斯", "总统", "进行", "了", "电话会议"]


def test_monotonic_path_never_crosses():
    import numpy as np

    sim = np.array([[0.9, 0.0, 0.0], [0.0, 0.1, 0.8], [0.0, 0.7, 0.0]])
    # (1, 2) and (2, 1) cross: only the better-scoring order survives.
    assert monotonic_path(sim, 0.2) == [(0, 0), (1, 2)]


def test_translated_sentences_pair_with_their_originals(g):
    zh = analyse("普京表示,俄罗斯将寻求对其安全的保证。北约将于1月12日与俄罗斯举行会议。"
                 "美国国务院发言人内德·普莱斯(Ned Price)谈到了会谈。")
    en = analyse("Putin said Russia will seek guarantees of its security. "
                 "The weather was mild. "
                 "NATO will hold a meeting with Russia on Jan. 12. "
                 "State Department spokesperson Ned Price said of the talks.")
    pairs = align_translation(zh, en)
    got = [(zh.sentence_text(_index(zh, p.a_lo)), en.sentence_text(_index(en, p.o_lo)))
           for p in pairs]
    assert got == [
        ("普京表示,俄罗斯将寻求对其安全的保证", "Putin said Russia will seek guarantees of its security"),
        ("北约将于1月12日与俄罗斯举行会议", "NATO will hold a meeting with Russia on Jan. 12"),
        ("美国国务院发言人内德·普莱斯(Ned Price)谈到了会谈",
         "State Department spokesperson Ned Price said of the talks"),
    ]
    assert all(p.similarity > 0.3 for p in pairs)


def _index(text, token):
    return next(i for i, s in enumerate(text.sentences) if s.first_token == token)


def test_the_dictionary_cache_gives_the_same_entries_and_survives_damage(tmp_path, monkeypatch):
    from moderation.matching import glossary as module

    monkeypatch.setenv("MODERATION_CACHE_DIR", str(tmp_path))
    direct = module._raw_entries()
    assert module.cached_raw_entries() == direct  # built and written
    [cache] = (tmp_path / "moderation").glob("cedict-*.marshal")
    assert module.cached_raw_entries() == direct  # read back
    cache.write_bytes(b"\x00not marshal")
    assert module.cached_raw_entries() == direct  # damaged: rebuilt
    assert module.cached_raw_entries() == direct


def test_the_packed_dictionary_unpacks_only_what_a_text_needs_and_segments_alike(
        tmp_path, monkeypatch):
    from pathlib import Path

    from moderation.matching import glossary as module

    monkeypatch.setenv("MODERATION_CACHE_DIR", str(tmp_path))
    page = (Path(__file__).parents[1] / "fixtures" / "matching" / "seed_page.txt").read_text(
        encoding="utf-8")
    direct = module._raw_entries()
    whole = module.Glossary(direct)  # from a plain dictionary, as before the cache
    module.cached_raw_entries()  # writes the cache
    lazy = module.Glossary(module.cached_raw_entries())
    assert lazy.segment(page) == whole.segment(page)
    # Only the first characters the page uses were unpacked: a small part of the dictionary.
    unpacked = sum(len(shard) for shard in lazy.raw._unpacked.values())
    assert set(lazy.raw._unpacked) <= set(page) and 0 < unpacked < len(direct) / 2
    assert "普京" in lazy.raw and lazy.raw.get("普京") == direct["普京"]
    assert "xyz" not in lazy.raw and "" not in lazy.raw and lazy.raw.get("") is None
    assert len(lazy.raw) == len(direct)
