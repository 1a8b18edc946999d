"""Boilerplate learned from the site: lines that recur across many pages are dropped."""

import json
import random

import pytest

from moderation.intake import BoilerplateModel, IntakeError, extract_text_page
from moderation.intake.boilerplate import line_key

WELCOME = "欢迎关注美国新闻网,全球华人的新闻门户"
WORDS = "市政 交通 学校 医院 公园 图书馆 议员 居民 预算 工程 天气 警方 法院 企业 工人 学生".split()
TEMPLATE = """标题{n}:{a}与{b}的新消息

2022-01-{day:02d} 09:{minute:02d}   美国新闻网   -

{a}方面表示,{b}问题已经讨论了很久,{c}也参与其中。

记者采访了{c}和{a},他们认为{b}需要更多关注。

欢迎关注美国新闻网,全球华人的新闻门户

本站新闻由机器翻译,仅供参考 · 浏览{n}次
"""


def _pages(count: int) -> list[str]:
    rng = random.Random(4)
    return [
        TEMPLATE.format(
            n=n,
            day=n % 28 + 1,
            minute=n % 60,
            **dict(zip("abc", rng.sample(WORDS, 3), strict=True)),
        )
        for n in range(1, count + 1)
    ]


def test_lines_are_counted_without_case_spacing_or_numbers() -> None:
    assert line_key("  Copyright  2021 ") == line_key("copyright 2024")
    assert line_key("ＡＢＣ") == line_key("abc")


def test_lines_on_most_pages_become_boilerplate_after_warm_up() -> None:
    model = BoilerplateModel.learn(_pages(30))
    assert model.pages == 30
    assert model.is_boilerplate(WELCOME)
    # Counted with its numbers masked, the varying view counter still recurs.
    assert model.is_boilerplate("本站新闻由机器翻译,仅供参考 · 浏览999次")
    assert not model.is_boilerplate(_pages(30)[2].splitlines()[4])


def test_a_story_reposted_a_few_times_is_not_boilerplate() -> None:
    story = "A distinctive sentence that only a handful of reposts share."
    texts = [f"Page {n} intro.\n{story if n < 4 else ''}" for n in range(40)]
    model = BoilerplateModel.learn(texts)
    assert not model.is_boilerplate(story)


def test_nothing_is_boilerplate_before_the_warm_up() -> None:
    model = BoilerplateModel.learn(_pages(5))
    assert not model.is_boilerplate(WELCOME)
    assert model.boilerplate_lines() == []


def test_learned_lines_are_removed_but_the_header_is_still_read() -> None:
    model = BoilerplateModel.learn(_pages(30))
    page_text = _pages(31)[-1]
    without = extract_text_page(page_text)
    assert WELCOME in without.body
    page = extract_text_page(page_text, boilerplate=model)
    assert WELCOME not in page.body
    assert "仅供参考" not in page.body
    assert page.title == page_text.splitlines()[0]
    assert page.claimed_source == "美国新闻网"
    assert page.body == "\n\n".join(page_text.splitlines()[4:7:2])
    assert ("learned boilerplate", WELCOME) in page.removed


def test_the_model_round_trips_through_json() -> None:
    model = BoilerplateModel.learn(_pages(25), min_share=0.1)
    restored = BoilerplateModel.from_json(model.to_json())
    assert restored == model
    assert json.loads(model.to_json())["counts"][line_key(WELCOME)] == 25
    assert (line_key(WELCOME), 25) in restored.boilerplate_lines()


def test_pruning_keeps_what_matters() -> None:
    model = BoilerplateModel.learn(_pages(25))
    before = len(model.counts)
    model.prune(keep_at_least=2)
    assert len(model.counts) < before
    assert model.is_boilerplate(WELCOME)


@pytest.mark.parametrize(
    "stored", ['{"format": 99}', "not json", "[]", '{"format": 1, "pages": 3}']
)
def test_a_stored_model_that_cannot_be_read_is_refused(stored: str) -> None:
    # Both the library's own error and a ValueError, for callers that catch either.
    with pytest.raises(IntakeError):
        BoilerplateModel.from_json(stored)
    with pytest.raises(ValueError):
        BoilerplateModel.from_json(stored)
