"""Normalisation: widths, whitespace inside Chinese, brackets, offsets back to raw text, unwrapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.normalize import (
    normalize_doc_number,
    normalize_text,
    normalize_with_offsets,
    unwrap_lines,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("２０１９年５月６日", "2019年5月6日"),
        ("ＰＤＦ文件", "PDF文件"),
        ("第 十 二 条", "第十二条"),
        ("2019 年 5 月 6 日", "2019年5月6日"),
        ("罚款 ， 处以", "罚款，处以"),
        ("使用 PDF 格式", "使用PDF格式"),
        ("open  source", "open source"),
        ("　　第一条　为了规范管理。", "第一条 为了规范管理。"),
        ("第 一 条　为了规范管理。", "第一条 为了规范管理。"),
        ("第一章　　总　　则", "第一章 总则"),
        ("第十二条之一　 甲", "第十二条之一 甲"),
        ("依照本办法第十二条　规定", "依照本办法第十二条规定"),
        ("行末空格   \n下一行", "行末空格\n下一行"),
    ],
)
def test_normalize_text_whitespace_and_width(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("punctuation", ["，", "。", "（", "）", "：", "；", "“", "”", "《", "》", "、"])
def test_normalize_text_keeps_chinese_punctuation(punctuation: str) -> None:
    assert normalize_text(f"甲{punctuation}乙") == f"甲{punctuation}乙"


@pytest.mark.parametrize(
    "raw",
    [
        "沪府办发[2019]23号",
        "沪府办发［2019］23号",
        "沪府办发【2019】23号",
        "沪府办发(2019)23号",
        "沪府办发（2019）23号",
    ],
)
def test_normalize_text_doc_number_brackets(raw: str) -> None:
    assert normalize_text(f"根据{raw}文件") == "根据沪府办发〔2019〕23号文件"


def test_normalize_text_parenthesised_year_without_number_kept() -> None:
    assert normalize_text("规划(2019)年度") == "规划(2019)年度"


def test_normalize_text_nested_title_marks() -> None:
    assert normalize_text("《关于印发《某市办法》的通知》") == "《关于印发〈某市办法〉的通知》"


def test_normalize_text_outer_angle_brackets_become_title_marks() -> None:
    assert normalize_text("〈某市办法〉") == "《某市办法》"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("沪府办发[2019] 23 号", "沪府办发〔2019〕23号"),
        ("京政发 ( 2020 ) 8号", "京政发〔2020〕8号"),
        ("国办发〔２０１８〕３７号", "国办发〔2018〕37号"),
    ],
)
def test_normalize_doc_number_canonical(raw: str, expected: str) -> None:
    assert normalize_doc_number(raw) == expected


def test_normalize_with_offsets_maps_back_to_raw() -> None:
    raw = "　　第 十 二 条　罚款  五万元"
    normalized = normalize_with_offsets(raw)
    assert normalized.text == "第十二条 罚款五万元"
    start = normalized.text.index("五万元")
    assert raw[normalized.to_raw(start) : normalized.to_raw(start + 3)] == "五万元"


def test_normalize_with_offsets_from_raw_inverts_to_raw() -> None:
    raw = "甲 乙\n丙  丁"
    normalized = normalize_with_offsets(raw)
    assert [normalized.from_raw(normalized.to_raw(i)) for i in range(len(normalized.text))] == list(
        range(len(normalized.text))
    )


@given(st.text(alphabet="第十二条 　\n甲乙，。ab12（）《》〈〉[]", max_size=60))
def test_normalize_with_offsets_every_char_maps_to_same_char(raw: str) -> None:
    normalized = normalize_with_offsets(raw)
    for i, ch in enumerate(normalized.text):
        source = raw[normalized.to_raw(i)]
        assert source == ch or ch == " " or ch in "〔〕《》〈〉"


@given(st.text(max_size=80))
def test_normalize_text_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_unwrap_lines_joins_hard_wrapped_paragraph() -> None:
    lines = [
        "第一条 为了加强行政规范性文件管理，保障行政规范性",
        "文件合法有效，制定本办法。",
        "第二条 本办法适用于本市各级行政机关制定的文件。",
    ]
    assert unwrap_lines(lines) == [
        "第一条 为了加强行政规范性文件管理，保障行政规范性文件合法有效，制定本办法。",
        "第二条 本办法适用于本市各级行政机关制定的文件。",
    ]


def test_unwrap_lines_reference_at_line_start_still_joins() -> None:
    lines = ["第四条 起草单位应当公开征求意见，并依照本办法的", "第十二条规定报送备案材料。"]
    assert unwrap_lines(lines) == [
        "第四条 起草单位应当公开征求意见，并依照本办法的第十二条规定报送备案材料。"
    ]


def test_unwrap_lines_new_item_not_joined() -> None:
    lines = ["第三条 行政规范性文件不得设定下列事项：事项事项", "（一）行政许可；"]
    assert unwrap_lines(lines) == lines


def test_unwrap_lines_orphan_punctuation_joined() -> None:
    assert unwrap_lines(["本办法自公布之日起施行", "。"]) == ["本办法自公布之日起施行。"]


def test_unwrap_lines_blank_line_ends_paragraph() -> None:
    assert unwrap_lines(["甲甲甲甲", "", "乙乙乙乙"]) == ["甲甲甲甲", "", "乙乙乙乙"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("甲\u200b乙", "甲乙"),
        ("ab\u200bcd", "abcd"),
        ("\u200b", ""),
        ("第一条\u200b\u3000甲", "第一条 甲"),
        ("a \u200b b", "a b"),
    ],
)
def test_normalize_text_invisible_characters_removed(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected
