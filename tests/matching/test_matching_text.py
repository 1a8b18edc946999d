"""Normalisation, tokens and sentences of the matching engine."""

from moderation.matching.text import analyse, han_share, normalize, normalize_token, tokenize


def test_normalize_folds_case_width_and_punctuation():
    assert normalize("ＮＡＴＯ，Ｕｋｒａｉｎｅ！") == "nato ukraine"
    assert normalize("Biden--Putin: “call”") == "biden putin call"
    assert normalize("１４ ０００") == normalize("14 000") == "14 000"


def test_normalize_drops_spaces_inside_chinese_text():
    assert normalize("拜登 、 普京 在 乌克兰") == "拜登普京在乌克兰"
    assert normalize("北约 NATO 成员") == "北约nato成员"


def test_tokens_are_words_for_latin_script_and_characters_for_chinese():
    assert tokenize("Ned Price said") == ["ned", "price", "said"]
    assert tokenize("普莱斯(Ned Price)说") == ["普", "莱", "斯", "ned", "price", "说"]


def test_tokens_lose_accents_and_full_width_forms():
    assert normalize_token("Café") == "cafe"
    assert normalize_token("Ｚｅｌｅｎｓｋｉｙ") == "zelenskiy"
    assert tokenize("Zelenskiy’s 14,000") == ["zelenskiy", "s", "14", "000"]


def test_han_share_tells_chinese_from_english():
    assert han_share("美国国务院发言人内德·普莱斯") == 1.0
    assert han_share("State Department spokesperson Ned Price") == 0.0
    assert han_share("") == 0.0


def test_sentences_split_glued_summary_sentences():
    text = "Sales rose 2% to $11.1bn.For the full year, profit was $3.36bn.MCI fell."
    a = analyse(text)
    assert [a.sentence_text(i) for i in range(len(a.sentences))] == [
        "Sales rose 2% to $11.1bn", "For the full year, profit was $3.36bn", "MCI fell"]


def test_sentences_keep_abbreviations_and_dates_whole():
    a = analyse("Diplomats will meet on Jan. 10 at the U.S. mission. Mr. Price said so.")
    assert [a.sentence_text(i) for i in range(len(a.sentences))] == [
        "Diplomats will meet on Jan. 10 at the U.S. mission", "Mr. Price said so"]


def test_sentences_split_at_chinese_punctuation_and_line_breaks():
    a = analyse("俄罗斯官员的不祥之语还在继续。普京本人周日表示!\n阅读更多\n结束")
    assert [a.sentence_text(i) for i in range(len(a.sentences))] == [
        "俄罗斯官员的不祥之语还在继续", "普京本人周日表示", "阅读更多", "结束"]


def test_sentence_offsets_point_into_the_raw_text():
    text = "  First line here.\n\nSecond: “quoted words” end. "
    a = analyse(text)
    for i, s in enumerate(a.sentences):
        assert text[s.start:s.end] == a.sentence_text(i)
        start, end = a.char_span(s.first_token, s.last_token)
        assert (start, end) == (s.start, s.end)
    assert a.sentence_norm(1) == "second quoted words end"


def test_chinese_characters_weigh_less_than_words():
    english, chinese = analyse("one two three four five"), analyse("一二三四五")
    assert english.weight == 5.0
    assert 0 < chinese.weight < english.weight


def test_analyse_cuts_very_long_texts_and_sentences():
    a = analyse("word " * 10_000, max_chars=2_000)
    assert len(a.text) == 2_000
    assert max(s.last_token - s.first_token for s in a.sentences) <= 80
