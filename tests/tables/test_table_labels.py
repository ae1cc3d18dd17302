"""Label normalisation, the enumerator hierarchy and names (gklint.tables.labels)."""
from __future__ import annotations

import pytest

from gklint.tables.labels import (
    QIZHONG,
    UNNUMBERED,
    NameIndex,
    normalise,
    normalise_name,
    parents,
    paths,
    short_form,
    split_enumerator,
    unify,
)


@pytest.mark.parametrize(("label", "level", "text"), [
    ("一、主动公开情况", 1, "主动公开情况"),
    ("十二、其他", 1, "其他"),
    ("一.主动公开情况", 1, "主动公开情况"),
    ("（一）收到申请数", 2, "收到申请数"),
    ("(一)收到申请数", 2, "收到申请数"),
    ("（十一）其他", 2, "其他"),
    ("㈠收到申请数", 2, "收到申请数"),
    ("1.当面申请数", 3, "当面申请数"),
    ("1、当面申请数", 3, "当面申请数"),
    ("１．当面申请数", 3, "当面申请数"),
    ("12.其他", 3, "其他"),
    ("⒈当面申请数", 3, "当面申请数"),
    ("（1）涉及国家秘密", 4, "涉及国家秘密"),
    ("(1)涉及国家秘密", 4, "涉及国家秘密"),
    ("⑴涉及国家秘密", 4, "涉及国家秘密"),
    ("①涉及国家秘密", 4, "涉及国家秘密"),
    ("其中：涉及国家秘密", QIZHONG, "涉及国家秘密"),
    ("其中:涉及国家秘密", QIZHONG, "涉及国家秘密"),
    ("其中：1.当面申请数", 3, "当面申请数"),
    ("涉及商业秘密", UNNUMBERED, "涉及商业秘密"),
    ("2.5万元以上的项目数", UNNUMBERED, "2.5万元以上的项目数"),  # a decimal, not an enumerator
    ("一次性告知数", UNNUMBERED, "一次性告知数"),  # a numeral without 、 is a word
    ("一、", UNNUMBERED, "一、"),  # nothing after it: keep it rather than leave an empty label
])
def test_enumerators_are_stripped_with_their_level(label: str, level: int, text: str) -> None:
    found = split_enumerator(label)
    assert (found.level, found.text) == (level, text)
    assert normalise(label) == text


@pytest.mark.parametrize(("label", "expected"), [
    ("  （一）主动公开政府信息数\n       （不同渠道和方式公开相同信息计1条）", "主动公开政府信息数(不同渠道和方式公开相同信息计1条)"),
    ("\u3000\u3000\u3000其中：涉及国家秘密", "涉及国家秘密"),
    ("统 计 指 标", "统计指标"),
    ("收到\xa0申请\t数", "收到申请数"),
    ("危及“三安全一稳定”", '危及"三安全一稳定"'),
    ("本年新收【自然人】", "本年新收[自然人]"),
    ("不是《条例》所指政府信息", "不是《条例》所指政府信息"),
    ("主动公开保障性安居工程建设计划、项目开工和竣工情况，保障性住房的分配和退出等信息数",
     "主动公开保障性安居工程建设计划、项目开工和竣工情况,保障性住房的分配和退出等信息数"),
])
def test_blanks_removed_and_punctuation_unified(label: str, expected: str) -> None:
    assert normalise(label) == expected


def test_unify_maps_full_width_forms_to_ascii() -> None:
    assert unify("（）：，；．！？０９ＡＺａｚ") == "():,;.!?09AZaz"
    assert unify("、。《》〔〕—") == "、。《》〔〕—"  # no ASCII twin: kept


@pytest.mark.parametrize(("label", "short"), [
    ("专职人员数(不包括政府公报及政府网站工作人员数)", "专职人员数"),
    ("部分公开(区分处理的,只计这一情形,不计其他情形)", "部分公开"),
    ("a(b(c))", "a"),
    ("收到申请数", None),
    ("(全部)", None),
    ("a)b)", None),
])
def test_short_form_drops_a_trailing_note(label: str, short: str | None) -> None:
    assert short_form(label) == short


BEIJING_EXCERPT = [
    "三、依申请公开情况",          # 0
    "（一）收到申请数",            # 1
    "1.当面申请数",               # 2
    "2.网络申请数",               # 3
    "（三）申请答复数",            # 4
    "4.不同意公开答复数",          # 5
    "其中：涉及国家秘密",          # 6
    "涉及商业秘密",               # 7
    "涉及个人隐私",               # 8
    "5.不属于本行政机关公开数",     # 9
    "四、行政复议数量",            # 10
    "（一）维持具体行政行为数",     # 11
    "（二）被依法纠错数",          # 12
    "五、行政诉讼数量",            # 13
    "（二）被依法纠错数",          # 14
    "（二）通过不同渠道和方式回应解读的情况",  # 15
    "1.参加或举办新闻发布会总次数",  # 16
    "其中：主要负责同志参加新闻发布会次数",  # 17
    "2.政府网站在线访谈次数",       # 18
    "其中：主要负责同志参加政府网站在线访谈次数",  # 19
]


def test_hierarchy_of_the_beijing_table() -> None:
    assert parents(BEIJING_EXCERPT) == [
        None, 0, 1, 1, 0, 4, 5, 5, 5, 4, None, 10, 10, None, 13, 13, 15, 16, 15, 18]


@pytest.mark.parametrize(("labels", "expected"), [
    # 其中 rows right after each other are siblings, not a chain
    (["申请总数", "其中：当面申请数", "其中：网上申请数"], [None, 0, 0]),
    # 其中：1. opens a numbered list under the row above; 2. is its sibling
    (["申请总数", "其中：1.当面申请数", "2.传真申请数", "对申请的答复总数"], [None, 0, 0, None]),
    (["3.否决公开答复总数", "其中：(1)非政府信息数", "(2)信息不存在数", "4.其他"], [None, 0, 0, None]),
    # a table without enumerators is flat
    (["收到申请数", "当面申请数", "网络申请数"], [None, None, None]),
    # an unnumbered row after a numbered one is its sibling
    (["一、甲", "（一）乙", "丙", "二、丁"], [None, 0, 0, None]),
    # a coarser level closes the finer ones
    (["一、甲", "（一）乙", "1.丙", "（1）丁", "二、戊", "1.己"], [None, 0, 1, 2, None, 4]),
    # a 其中 row opening the table
    (["其中：甲", "乙"], [None, None]),
])
def test_hierarchy_rules(labels: list[str], expected: list[int | None]) -> None:
    assert parents(labels) == expected


def test_paths_follow_parents() -> None:
    assert paths(BEIJING_EXCERPT)[12] == ("行政复议数量", "被依法纠错数")
    assert paths(BEIJING_EXCERPT)[7] == ("依申请公开情况", "申请答复数", "不同意公开答复数", "涉及商业秘密")


def test_repeated_labels_are_named_parent_slash_label() -> None:
    index = NameIndex(paths(BEIJING_EXCERPT))
    review, lawsuit = ("行政复议数量", "被依法纠错数"), ("行政诉讼数量", "被依法纠错数")
    assert index.resolve("被依法纠错数") == [review, lawsuit]  # ambiguous
    assert index.resolve("行政复议数量/被依法纠错数") == [review]
    assert index.resolve("行政诉讼数量/被依法纠错数") == [lawsuit]
    assert index.canonical(review) == "行政复议数量/被依法纠错数"


def test_unique_labels_answer_to_bare_and_parent_names() -> None:
    index = NameIndex(paths(BEIJING_EXCERPT))
    secret = ("依申请公开情况", "申请答复数", "不同意公开答复数", "涉及商业秘密")
    for name in ("涉及商业秘密", "不同意公开答复数/涉及商业秘密", "申请答复数/不同意公开答复数/涉及商业秘密",
                 "依申请公开情况/申请答复数/不同意公开答复数/涉及商业秘密"):
        assert index.resolve(name) == [secret], name
    assert index.canonical(secret) == "涉及商业秘密"
    assert index.resolve("申请答复数/涉及商业秘密") == []  # a path names a chain of direct parents


def test_names_are_normalised_like_labels() -> None:
    index = NameIndex([("从事政府信息公开工作人员数", "专职人员数(不包括政府公报及政府网站工作人员数)")])
    path = index.paths[0]
    for name in ("专职人员数", "专职人员数（不包括政府公报及政府网站工作人员数）", " 专职 人员数 ",
                 "从事政府信息公开工作人员数/专职人员数", "（三）从事政府信息公开工作人员数/1.专职人员数"):
        assert index.resolve(name) == [path], name
    assert index.canonical(path) == "专职人员数(不包括政府公报及政府网站工作人员数)"
    assert normalise_name("（三）甲 / 1.乙") == "甲/乙"


def test_duplicate_paths_are_one_name() -> None:
    index = NameIndex([("甲",), ("甲",)])
    assert index.paths == [("甲",)]
    assert index.resolve("甲") == [("甲",)]
