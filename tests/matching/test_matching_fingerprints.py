"""Stable hashes, shingles, winnowing and content hashes."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.matching.fingerprints import (
    SHINGLE_TOKENS,
    WINNOW_WINDOW,
    content_hash,
    fingerprints,
    shingle_hashes,
    stable_hash,
    text_fingerprints,
    token_hashes,
    winnow,
)


def test_hashes_are_the_same_in_another_process():
    code = "from moderation.matching.fingerprints import stable_hash; print(stable_hash('nato'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert int(out.stdout) == stable_hash("nato")
    assert stable_hash("nato") != stable_hash("nato", "anchor\x00")


def test_raw_and_normalised_tokens_hash_alike():
    assert (token_hashes(["ＮＡＴＯ", "Café"]) == token_hashes(["nato", "cafe"])).all()


def test_shingles_depend_on_token_order():
    a = shingle_hashes(token_hashes(list("abcde")))
    b = shingle_hashes(token_hashes(list("abced")))
    assert len(a) == 1 and a[0] != b[0]


def test_short_texts_still_have_one_shingle():
    assert len(shingle_hashes(token_hashes(["two", "words"]))) == 1
    assert len(text_fingerprints("one")) == 0
    assert len(text_fingerprints("")) == 0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from("abcdefghijklmnop"), min_size=0, max_size=40),
    st.lists(st.sampled_from("qrstuvwxyz0123456"), min_size=WINNOW_WINDOW + SHINGLE_TOKENS - 1,
             max_size=30),
    st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=0, max_size=40),
)
def test_a_shared_run_of_window_plus_k_tokens_shares_a_fingerprint(before, shared, after):
    one = fingerprints([before + shared + after])
    two = fingerprints([list("zz") + shared])
    assert len(np.intersect1d(one, two)) >= 1


def test_winnowing_keeps_about_two_in_window_plus_one():
    shingles = shingle_hashes(token_hashes([f"w{i}" for i in range(2000)]))
    density = len(winnow(shingles)) / len(shingles)
    assert 0.8 * 2 / (WINNOW_WINDOW + 1) < density < 1.2 * 2 / (WINNOW_WINDOW + 1)


def test_content_hash_changes_with_text_language_and_day():
    base = content_hash("Some text.", "en", date(2021, 12, 31))
    assert base == content_hash("Some text.", "en", date(2021, 12, 31))
    assert base != content_hash("Some text!", "en", date(2021, 12, 31))
    assert base != content_hash("Some text.", "zh", date(2021, 12, 31))
    assert base != content_hash("Some text.", "en", None)
