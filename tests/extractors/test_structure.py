"""Clause tree: articles, 款, 项, 目, outlines, preamble and closing, quotes and cross-references."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.model import ClauseKind
from extractors.structure import CLOSING_LABEL, PREAMBLE_LABEL, split_clauses

ARTICLES = """某市行政执法公示办法
第一章 总则
第一条 为了规范行政执法公示，根据《中华人民共和国行政处罚法》，制定本办法。
第二条 本办法适用于本市各级行政执法机关。
依照本办法第十二条规定公示的信息，应当及时更新。
第三条 有下列情形之一的，不予公示：
（一）涉及国家秘密的；
1.绝密级；
2.机密级；
（二）涉及商业秘密的。
第二章 附则
第四条 本办法自2019年6月1日起施行。
某市人民政府办公厅
2019年5月6日
"""

OUTLINE = """关于加强行政执法工作的意见
各区人民政府：
为加强行政执法工作，提出如下意见。
一、总体要求
（一）指导思想。坚持依法行政。
（二）基本原则。
1.合法原则；
（1）职权法定；
2.效率原则。
二、主要任务
全面推行行政执法公示制度。
三、保障措施
某市人民政府
2020年3月1日
"""


def _labels(text: str) -> list[str]:
    return [c.label for c in split_clauses(text)]


def test_split_clauses_article_labels() -> None:
    assert _labels(ARTICLES) == [
        PREAMBLE_LABEL,
        "第一条",
        "第二条",
        "第二条第一款",
        "第二条第二款",
        "第三条",
        "第三条第（一）项",
        "第三条第（一）项第1目",
        "第三条第（一）项第2目",
        "第三条第（二）项",
        "第四条",
        CLOSING_LABEL,
    ]


def test_split_clauses_outline_labels() -> None:
    assert _labels(OUTLINE) == [
        PREAMBLE_LABEL,
        "一、",
        "一、（一）",
        "一、（二）",
        "一、（二）1.",
        "一、（二）1.（1）",
        "一、（二）2.",
        "二、",
        "三、",
        CLOSING_LABEL,
    ]


@pytest.mark.parametrize("text", [ARTICLES, OUTLINE])
def test_split_clauses_offsets_round_trip(text: str) -> None:
    assert all(text[c.start : c.end] == c.text for c in split_clauses(text))


def test_split_clauses_kinds_and_parents() -> None:
    clauses = split_clauses(ARTICLES)
    by_label = {c.label: c for c in clauses}
    item = by_label["第三条第（一）项"]
    assert item.kind is ClauseKind.ITEM
    assert clauses[item.parent or 0].label == "第三条"
    assert by_label["第三条第（一）项第1目"].kind is ClauseKind.SUBITEM
    assert by_label["第二条第二款"].kind is ClauseKind.PARAGRAPH


def test_split_clauses_headings_attached() -> None:
    by_label = {c.label: c for c in split_clauses(ARTICLES)}
    assert by_label["第一条"].headings == ("第一章 总则",)
    assert by_label["第四条"].headings == ("第二章 附则",)


def test_split_clauses_article_text_includes_children() -> None:
    by_label = {c.label: c for c in split_clauses(ARTICLES)}
    assert by_label["第三条"].text.endswith("（二）涉及商业秘密的。")


def test_split_clauses_closing_holds_signature_and_date() -> None:
    closing = split_clauses(ARTICLES)[-1]
    assert (closing.kind, closing.text) == (ClauseKind.CLOSING, "某市人民政府办公厅\n2019年5月6日")


def test_split_clauses_outline_continuation_text_stays_in_node() -> None:
    by_label = {c.label: c for c in split_clauses(OUTLINE)}
    assert by_label["二、"].text == "二、主要任务\n全面推行行政执法公示制度。"


@pytest.mark.parametrize(
    "line",
    [
        "依照本办法第十二条规定处理。",
        "第十二条规定的情形，从其规定。",
        "第十二条、第十三条不适用于本市。",
        "第十二条第二款所称“公示”，是指主动公开。",
        "“第十二条 行政机关应当公示。”",
        "《第一条规则》另行制定。",
    ],
)
def test_split_clauses_reference_does_not_start_article(line: str) -> None:
    text = f"第一条 本办法适用于本市。\n{line}"
    assert [c.label for c in split_clauses(text) if c.kind is ClauseKind.ARTICLE] == ["第一条"]


def test_split_clauses_quoted_block_does_not_split() -> None:
    text = "一、将第五条修改为：\n“第五条 市场监管部门负责实施。\n“（一）受理申请；\n“（二）作出决定。”\n二、本决定自公布之日起施行。"
    assert _labels(text) == ["一、", "二、"]


def test_split_clauses_unclosed_quote_does_not_swallow_structure() -> None:
    text = "第一条 所称“公示，是指主动公开。\n第二条 本办法自公布之日起施行。"
    assert _labels(text) == ["第一条", "第二条"]


def test_split_clauses_article_with_digits_gets_chinese_label() -> None:
    assert _labels("第12条 本办法自公布之日起施行。") == ["第十二条"]


def test_split_clauses_article_sub_number() -> None:
    assert _labels("第十二条 甲。\n第十二条之一 乙。") == ["第十二条", "第十二条之一"]


def test_split_clauses_duplicate_labels_made_unique() -> None:
    assert _labels("第一条 甲。\n第一条 乙。") == ["第一条", "第一条#2"]


def test_split_clauses_items_under_second_paragraph() -> None:
    text = "第五条 行政机关应当公示。\n有下列情形之一的，不予公示：\n（一）涉密；\n（二）涉隐私。"
    assert _labels(text) == [
        "第五条",
        "第五条第一款",
        "第五条第二款",
        "第五条第二款第（一）项",
        "第五条第二款第（二）项",
    ]


def test_split_clauses_first_paragraph_excludes_label() -> None:
    clauses = split_clauses("第五条 行政机关应当公示。\n违反的，责令改正。")
    assert clauses[1].text == "行政机关应当公示。"


def test_split_clauses_mixed_notice_and_articles() -> None:
    text = "关于印发《某办法》的通知\n一、请认真执行。\n二、执行中的问题请反馈。\n某办法\n第一条 为了示例，制定本办法。\n第二条 本办法自印发之日起施行。"
    labels = _labels(text)
    assert labels[:3] == [PREAMBLE_LABEL, "一、", "二、"]
    assert labels[-2:] == ["第一条", "第二条"]


def test_split_clauses_review_units() -> None:
    units = [c.label for c in split_clauses(OUTLINE) if c.is_review_unit]
    assert units == [PREAMBLE_LABEL, "一、", "一、（一）", "一、（二）", "二、", "三、"]


def test_split_clauses_part_headings_in_outline() -> None:
    text = "第一部分 总体要求\n一、指导思想\n第二部分 主要任务\n一、任务一"
    assert [(c.label, c.headings) for c in split_clauses(text)] == [
        ("一、", ("第一部分 总体要求",)),
        ("一、#2", ("第二部分 主要任务",)),
    ]


def test_split_clauses_outline_style_chapter_headings() -> None:
    text = "一、一般规定\n第一条 甲。\n第二条 乙：\n（一）丙；\n二、附则\n第三条 丁。"
    clauses = split_clauses(text)
    assert [(c.label, c.headings) for c in clauses if c.kind is ClauseKind.ARTICLE] == [
        ("第一条", ("一、一般规定",)),
        ("第二条", ("一、一般规定",)),
        ("第三条", ("二、附则",)),
    ]
    assert [c.label for c in clauses] == ["第一条", "第二条", "第二条第（一）项", "第三条"]


def test_split_clauses_outline_sentence_before_article_stays_outline() -> None:
    text = "一、请各单位认真执行。\n第一条 甲。"
    assert [c.label for c in split_clauses(text)] == ["一、", "第一条"]


def test_split_clauses_attachment_list_is_closing() -> None:
    text = "第一条 甲。\n第二条 乙。\n附件：1.申请表\n2.登记表\n抄送：市政府办公室。"
    clauses = split_clauses(text)
    assert [c.label for c in clauses] == ["第一条", "第二条", CLOSING_LABEL]
    assert clauses[-1].text == "附件：1.申请表\n2.登记表\n抄送：市政府办公室。"


def test_split_clauses_outline_attachment_list_is_closing() -> None:
    text = "一、总体要求\n（一）甲。\n二、保障措施\n附件：1.任务分工表\n2.进度表"
    assert [c.label for c in split_clauses(text)] == ["一、", "一、（一）", "二、", CLOSING_LABEL]


@pytest.mark.parametrize("row", ["第十二条 | 罚款二千元 | 罚款一千元", "1. | 工本费 | 10元", "（一）|甲|乙"])
def test_split_clauses_table_row_is_not_a_unit(row: str) -> None:
    assert _labels(f"第一条 收费标准如下：\n{row}") == ["第一条", "第一条第一款", "第一条第二款"]


def test_split_clauses_closing_formula_starts_closing() -> None:
    text = "一、甲。\n二、乙。\n特此通知。\n云溪市人民政府\n2020年8月30日"
    clauses = split_clauses(text)
    assert [c.label for c in clauses] == ["一、", "二、", CLOSING_LABEL]
    assert clauses[-1].text.startswith("特此通知。")


def test_split_clauses_empty_text() -> None:
    assert split_clauses("") == ()


def test_split_clauses_body_start_keeps_header_in_preamble() -> None:
    text = "第一条 修改的决定\n第一条 甲。"
    assert _labels_from(text, body_start=text.index("\n") + 1) == [PREAMBLE_LABEL, "第一条"]


def _labels_from(text: str, *, body_start: int) -> list[str]:
    return [c.label for c in split_clauses(text, body_start=body_start)]


_STRUCTURED_LINES = st.sampled_from(
    [
        "第一条 甲。",
        "第十二条之一 乙",
        "第一章 总则",
        "一、总体要求",
        "（一）项",
        "1.目",
        "（1）细",
        "①圈",
        "“第三条 引",
        "”",
        "附件：",
        "2019年5月6日",
        "",
    ]
)
_ARBITRARY_LINES = st.one_of(_STRUCTURED_LINES, st.text(max_size=30))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ARBITRARY_LINES, max_size=40).map("\n".join))
def test_split_clauses_offsets_round_trip_on_any_text(text: str) -> None:
    for clause in split_clauses(text):
        assert text[clause.start : clause.end] == clause.text


@settings(max_examples=300, deadline=None)
@given(st.lists(_ARBITRARY_LINES, max_size=40).map("\n".join))
def test_split_clauses_labels_unique_on_any_text(text: str) -> None:
    labels = [c.label for c in split_clauses(text)]
    assert len(labels) == len(set(labels))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ARBITRARY_LINES, max_size=40).map("\n".join))
def test_split_clauses_children_inside_parents_on_any_text(text: str) -> None:
    clauses = split_clauses(text)
    for c in clauses:
        assert c.index == clauses.index(c)
        if c.parent is not None:
            parent = clauses[c.parent]
            assert parent.start <= c.start and c.end <= parent.end and parent.index < c.index


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_split_clauses_never_raises(text: str) -> None:
    split_clauses(text)
