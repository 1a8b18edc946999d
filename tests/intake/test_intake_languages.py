"""Language segments: paragraphs grouped into zh, en and other runs."""

import pytest

from moderation.intake import Segment, detect_language, split_segments

ZH = "周四,乔·拜登总统与俄罗斯总统弗拉基米尔·普京进行了交谈,这是他们本月的第二次谈话。"
ZH_WITH_NAME = "美国国务院发言人内德·普莱斯(Ned Price)在谈到此次会谈时表示,对话渠道是建设性的。"
EN = "President Joe Biden spoke with Russian President Vladimir Putin on Thursday, their second call."
EN_2 = "The call, which the administration said came at Putin's request, was the latest effort."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ZH, "zh"),
        (ZH_WITH_NAME, "zh"),
        ("颱風逼近,東部地區停班停課,民眾應注意安全。", "zh"),
        (EN, "en"),
        ("President Xi Jinping (习近平) met the president of the United States on Monday.", "en"),
        (
            "Le président a déclaré que la situation était très grave et que les négociations sont dans une impasse.",
            "other",
        ),
        (
            "Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden und die Schulden sinken.",
            "other",
        ),
        ("日本語のテキストです。これはテストです。", "other"),
        ("Путин сказал, что Россия будет добиваться гарантий безопасности.", "other"),
        (
            "Horak, Staniforth, Penney, Nordt, Bishop; Mapletoft, Edwards; van der Walt, Hardwick.",
            "en",
        ),
        ("12,345 - 67", None),
    ],
)
def test_paragraph_language_is_detected(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_consecutive_paragraphs_of_one_language_merge() -> None:
    segments = split_segments([ZH, ZH_WITH_NAME, EN, EN_2])
    assert segments == [
        Segment("zh", f"{ZH}\n\n{ZH_WITH_NAME}"),
        Segment("en", f"{EN}\n\n{EN_2}"),
    ]


def test_the_original_headline_between_translation_and_original_is_kept_apart() -> None:
    segments = split_segments([ZH, "Biden, Putin hold call amid heightened tensions", EN, EN_2])
    assert segments[1] == Segment(
        "en", f"{EN}\n\n{EN_2}", "Biden, Putin hold call amid heightened tensions"
    )


def test_a_short_line_between_languages_opens_the_run_that_follows() -> None:
    segments = split_segments([ZH, "Ukraine", EN])
    assert [s.language for s in segments] == ["zh", "en"]
    assert segments[1].title == "Ukraine"
    assert segments[1].text == EN


def test_a_heading_with_nothing_after_it_stays_text() -> None:
    segments = split_segments([ZH, "Ukraine"])
    assert segments[1] == Segment("en", "Ukraine")


def test_numbers_only_paragraphs_stay_with_their_neighbours() -> None:
    segments = split_segments([EN, "2021", EN_2])
    assert [s.language for s in segments] == ["en"]
    assert "\n\n2021\n\n" in segments[0].text


def test_an_english_heading_inside_english_text_stays_in_the_text() -> None:
    segments = split_segments([EN, "What happens next", EN_2])
    assert len(segments) == 1
    assert "What happens next" in segments[0].text


def test_no_paragraphs_give_no_segments() -> None:
    assert split_segments([]) == []
    assert split_segments(["", "   "]) == []
