"""Language-independent anchors: numbers, dates and names read alike in English and Chinese."""

from moderation.matching import anchors as A


def test_thousands_grouped_by_comma_or_space_are_one_value():
    assert A.english_numbers("approximately 14,000 people") == ["#1.4e+04"]
    assert A.chinese_numbers("大约14 000人被打死") == ["#1.4e+04"]
    assert A.english_numbers("14\u202f000 people") == ["#1.4e+04"]


def test_wan_and_yi_multiply_like_thousand_and_billion():
    assert A.chinese_numbers("超过1万人已经撤离") == A.english_numbers("more than 10,000 were")
    assert A.chinese_numbers("11.3亿美元") == A.english_numbers("$1.13bn")
    assert A.chinese_numbers("2.5亿") == A.english_numbers("250 million")


def test_chinese_numerals_are_read_by_value():
    assert A.zh_numeral_value("一万四千") == 14000
    assert A.zh_numeral_value("十二") == 12
    assert A.zh_numeral_value("三千五百") == 3500
    assert A.chinese_numbers("一万四千人") == ["#1.4e+04"]


def test_idioms_and_small_numbers_are_no_anchors():
    assert A.chinese_numbers("成千上万的俄罗斯军队") == []
    assert A.english_numbers("two sides met 3 times") == []
    assert A.chinese_numbers("近八年前") == []


def test_money_suffixes_scale_but_distances_do_not():
    assert A.english_numbers("£600m") == ["#6e+08"]
    assert A.english_numbers("the 100m final") == ["#100"]


def test_chinese_and_english_dates_meet():
    assert A.chinese_dates("美国和俄罗斯外交官将于1月10日会面") == ["@1-10"]
    assert A.english_dates("diplomats will meet on Jan. 10") == ["@1-10"]
    assert A.english_dates("on 10 January") == ["@1-10"]
    assert A.english_dates("Sept. 1, 2021") == ["@9-1"]
    assert A.chinese_dates("十二月三十一日") == A.english_dates("December 31") == ["@12-31"]


def test_times_and_iso_dates_are_not_counted_as_numbers():
    assert A.chinese_numbers("2021-12-31 13:55") == []
    assert A.chinese_dates("2021-12-31 13:55") == ["@12-31"]


def test_english_names_skip_capitals_that_start_sentences():
    names = A.english_names("The call came. State Department spokesperson Ned Price and NATO")
    assert names == ["depart", "ned", "price", "nato"]


def test_latin_words_inside_chinese_text_become_name_anchors():
    zh = A.chinese_anchors("美国国务院发言人内德·普莱斯(Ned Price)表示,北约NATO")
    en = A.english_anchors("said State Department spokesperson Ned Price of NATO")
    assert {"ned", "price", "nato"} <= set(zh) & set(en)
