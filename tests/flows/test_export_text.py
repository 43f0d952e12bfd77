"""Sanitising text for docx/xlsx/csv/json and making file names from titles."""

from __future__ import annotations

import pytest

from flows.export.text import (
    MAX_FILENAME_STEM_BYTES,
    REPLACEMENT,
    safe_filename,
    single_line,
    truncate,
    unicode_safe,
    xml_safe,
)


@pytest.mark.parametrize("control", [chr(c) for c in [*range(0x00, 0x09), 0x0E, 0x1F]])
def test_xml_safe_drops_c0_controls(control: str) -> None:
    assert xml_safe(f"关于{control}通知") == "关于通知"


@pytest.mark.parametrize("kept", ["\t", "\n", "\r"])
def test_xml_safe_keeps_tab_and_newlines(kept: str) -> None:
    assert xml_safe(f"第一条{kept}第二条") == f"第一条{kept}第二条"


@pytest.mark.parametrize("brk", ["\x0b", "\x0c", "\u2028"])
def test_xml_safe_turns_vertical_tab_and_form_feed_into_newlines(brk: str) -> None:
    assert xml_safe(f"第一条{brk}第二条") == "第一条\n第二条"


def test_xml_safe_replaces_lone_surrogates() -> None:
    assert xml_safe("关于\ud800通知\udfff") == f"关于{REPLACEMENT}通知{REPLACEMENT}"


def test_xml_safe_keeps_emoji_and_rtl_text() -> None:
    text = "关于📱服务 العربية עברית"
    assert xml_safe(text) == text


def test_xml_safe_drops_xml_noncharacters() -> None:
    assert xml_safe("甲\ufffe乙\uffff丙") == "甲乙丙"


def test_unicode_safe_keeps_control_characters() -> None:
    assert unicode_safe("甲\x01乙\ud800") == f"甲\x01乙{REPLACEMENT}"


def test_unicode_safe_output_encodes_as_utf8() -> None:
    unicode_safe("\ud83d\ude00\ud83d").encode("utf-8")


def test_single_line_folds_whitespace() -> None:
    assert single_line("沪府办发\n〔2019〕\x0b 23号") == "沪府办发 〔2019〕 23号"


def test_truncate_marks_the_cut() -> None:
    assert truncate("规范性文件" * 10, 8) == "规范性文件规……"


def test_truncate_leaves_short_text_alone() -> None:
    assert truncate("办法", 8) == "办法"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("上海市城市道路设摊管理办法", "上海市城市道路设摊管理办法"),
        ("关于/印发\\《办法》:的*通知?", "关于_印发_《办法》_的_通知_"),
        ("  ..关于通知..  ", "关于通知"),
        ("CON", "未命名文件_CON"),
        ("", "未命名文件"),
        ("\x00\x01", "未命名文件"),
    ],
)
def test_safe_filename_removes_what_file_systems_refuse(title: str, expected: str) -> None:
    assert safe_filename(title) == expected


def test_safe_filename_cuts_long_titles_on_a_character_boundary() -> None:
    name = safe_filename("规范性文件" * 1000)
    assert len(name.encode("utf-8")) <= MAX_FILENAME_STEM_BYTES
    assert name.startswith("规范性文件")


def test_safe_filename_replaces_lone_surrogates() -> None:
    assert safe_filename("关于\ud800通知") == "关于_通知"
