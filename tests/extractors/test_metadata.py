"""Header data: issuer, 文号, title and wrapper, dates, validity, type, legal form."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.metadata import (
    attachment_start,
    doc_type_of,
    extract_meta,
    find_doc_number,
    find_issuer,
    find_title,
    kind_of,
    split_wrapper_title,
)
from extractors.model import DocumentKind, DocumentMeta
from extractors.structure import split_clauses

NOTICE = """云溪市人民政府办公厅文件
云府办发〔2019〕23号
关于印发《云溪市行政规范性文件管理办法》的通知
各区人民政府，市政府各委、办、局：
现将《云溪市行政规范性文件管理办法》印发给你们，请认真贯彻执行。
云溪市人民政府办公厅
2019年5月6日
云溪市行政规范性文件管理办法
第一条 为了加强管理，制定本办法。
第二条 本办法自2019年6月1日起施行，有效期5年。
"""

RULE = """云溪市人民政府令
第12号
《云溪市城市绿化管理办法》已经2020年3月2日市政府第8次常务会议通过，现予公布，自2020年5月1日起施行。
市长 某某
2020年3月10日
云溪市城市绿化管理办法
第一条 为了加强城市绿化管理，制定本办法。
第二条 本办法自2020年5月1日起施行。
"""


def _meta(text: str) -> DocumentMeta:
    return extract_meta(text, split_clauses(text))


def test_extract_meta_notice_fields() -> None:
    meta = _meta(NOTICE)
    assert (meta.issuer, meta.doc_number, meta.title, meta.wrapper_title) == (
        "云溪市人民政府办公厅",
        "云府办发〔2019〕23号",
        "云溪市行政规范性文件管理办法",
        "关于印发《云溪市行政规范性文件管理办法》的通知",
    )


def test_extract_meta_notice_dates_and_validity() -> None:
    meta = _meta(NOTICE)
    assert (meta.issued_on, meta.effective_on, meta.valid_until) == (
        date(2019, 5, 6),
        date(2019, 6, 1),
        date(2024, 5, 31),
    )
    assert meta.validity_text == "第二条 本办法自2019年6月1日起施行，有效期5年。"


def test_extract_meta_notice_type_and_kind() -> None:
    meta = _meta(NOTICE)
    assert (meta.doc_type, meta.kind) == ("办法", DocumentKind.NORMATIVE_DOCUMENT)


def test_extract_meta_validity_counts_from_issue_when_effective_anchored() -> None:
    text = "关于某事项的通知\n某府发〔2020〕1号\n一、本通知自印发之日起施行，有效期3年。\n某市人民政府\n2020年7月1日"
    meta = _meta(text)
    assert (meta.effective_on, meta.valid_until) == (date(2020, 7, 1), date(2023, 6, 30))


def test_extract_meta_valid_until_stated() -> None:
    text = "某市实施意见\n一、本意见有效期至2025年12月31日。\n某市人民政府\n2020年3月1日"
    assert _meta(text).valid_until == date(2025, 12, 31)


def test_extract_meta_rule_by_decree_number() -> None:
    meta = _meta(RULE.replace("云溪市人民政府令\n第12号", "云溪市人民政府令第12号"))
    assert (meta.doc_number, meta.kind) == ("云溪市人民政府令第12号", DocumentKind.LOCAL_GOVERNMENT_RULE)


def test_extract_meta_nothing_stated() -> None:
    meta = _meta("第一条 甲。")
    assert (meta.title, meta.issuer, meta.doc_number, meta.issued_on, meta.kind) == (
        None,
        None,
        None,
        None,
        DocumentKind.UNKNOWN,
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("云府办发〔2019〕23号", "云府办发〔2019〕23号"),
        ("云府办发[2019]23号", "云府办发〔2019〕23号"),
        ("云府办发（2019）23号", "云府办发〔2019〕23号"),
        ("云府办发【2019】23号", "云府办发〔2019〕23号"),
        ("云府办发 〔2019〕 23 号", "云府办发〔2019〕23号"),
        ("签发人：张三      云府办发〔2019〕23号", "云府办发〔2019〕23号"),
        ("云溪市人民政府令第12号", "云溪市人民政府令第12号"),
        ("第 5 号令", "第5号令"),
    ],
)
def test_find_doc_number_variants(line: str, expected: str) -> None:
    assert find_doc_number([line]) == expected


@pytest.mark.parametrize(
    ("head", "closing", "issuer"),
    [
        (["云溪市人民政府办公厅文件"], [], "云溪市人民政府办公厅"),
        (["云溪市财政局 云溪市发展和改革委员会文件"], [], "云溪市财政局云溪市发展和改革委员会"),
        ([], ["云溪市司法局", "2020年1月2日"], "云溪市司法局"),
        (["云溪市人民政府行政规范性文件"], ["云溪市人民政府", "2020年1月2日"], "云溪市人民政府"),
    ],
)
def test_find_issuer_red_header_or_signature(head: list[str], closing: list[str], issuer: str) -> None:
    assert find_issuer(head, closing) == issuer


def test_find_issuer_signature_of_covering_notice() -> None:
    preamble = [
        "关于印发《云溪市道路管理办法》的通知",
        "各区人民政府：",
        "现印发给你们。",
        "云溪市人民政府办公室",
        "2020年3月16日",
    ]
    assert find_issuer(preamble[:2], [], preamble) == "云溪市人民政府办公室"


def test_find_issuer_from_title_prefix() -> None:
    assert find_issuer(["云溪市司法局关于规范行政执法公示的实施意见"], []) == "云溪市司法局"


def test_find_title_two_line_title_with_issuer_joined() -> None:
    lines = ["云溪市人民政府办公室关于印发《云溪市城市", "道路管理办法》的通知", "云府办发〔2020〕8号"]
    assert find_title(lines) == "云溪市人民政府办公室关于印发《云溪市城市道路管理办法》的通知"


def test_find_title_two_line_title_joined() -> None:
    lines = ["云府办发〔2019〕23号", "关于印发《云溪市行政规范性文件", "管理办法》的通知", "各区人民政府："]
    assert find_title(lines) == "关于印发《云溪市行政规范性文件管理办法》的通知"


@pytest.mark.parametrize(
    ("title", "inner"),
    [
        ("关于印发《云溪市行政规范性文件管理办法》的通知", "云溪市行政规范性文件管理办法"),
        ("关于转发《省财政厅关于某事项的意见》的通知", "省财政厅关于某事项的意见"),
        ("关于印发云溪市行政执法公示办法的通知", "云溪市行政执法公示办法"),
        ("云溪市人民政府办公室关于印发《云溪市道路管理办法》的通知", "云溪市道路管理办法"),
    ],
)
def test_split_wrapper_title(title: str, inner: str) -> None:
    parts = split_wrapper_title(title)
    assert (parts.title, parts.wrapper_title) == (inner, title)


def test_split_wrapper_title_plain_title_unchanged() -> None:
    parts = split_wrapper_title("关于加强行政执法工作的意见")
    assert (parts.title, parts.wrapper_title) == ("关于加强行政执法工作的意见", None)


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("云溪市行政规范性文件管理办法", "办法"),
        ("云溪市行政执法实施细则", "细则"),
        ("云溪市某某暂行规定", "规定"),
        ("关于加强某工作的实施意见", "意见"),
        ("云溪市某某办法（试行）", "办法"),
        ("关于某事项的通知", "通知"),
        ("云溪市总体方案", "方案"),
        ("关于支持本地建材企业发展的若干措施", "措施"),
        ("农村人居环境整治三年行动实施方案（2018—2020年）", "方案"),
        ("某某情况汇报材料", None),
    ],
)
def test_doc_type_of_title(title: str, doc_type: str | None) -> None:
    assert doc_type_of(title) == doc_type


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("云溪市人民政府令第12号", DocumentKind.LOCAL_GOVERNMENT_RULE),
        ("国务院令第732号", DocumentKind.ADMINISTRATIVE_REGULATION),
        ("交通运输部令第5号", DocumentKind.DEPARTMENT_RULE),
        ("云府办发〔2019〕23号", DocumentKind.NORMATIVE_DOCUMENT),
        (None, DocumentKind.UNKNOWN),
    ],
)
def test_kind_of_number(number: str | None, kind: DocumentKind) -> None:
    assert kind_of(number, None, None) is kind


def test_attachment_start_finds_attached_title_line() -> None:
    meta = _meta(NOTICE)
    start = attachment_start(NOTICE, meta)
    assert start is not None and NOTICE[start:].startswith("云溪市行政规范性文件管理办法\n第一条")


@pytest.mark.parametrize(
    "attached",
    [
        "云溪市行政规范性文件管理办法（试行）",
        "附件：云溪市行政规范性文件管理办法",
        "《云溪市行政规范性文件管理办法》",
    ],
)
def test_attachment_start_loose_title_match(attached: str) -> None:
    text = NOTICE.replace("\n云溪市行政规范性文件管理办法\n", f"\n{attached}\n")
    start = attachment_start(text, _meta(NOTICE))
    assert start is not None and text[start:].startswith(attached + "\n第一条")


def test_attachment_start_skips_attachment_note_of_covering_notice() -> None:
    text = NOTICE.replace("2019年5月6日\n", "2019年5月6日\n附件：云溪市行政规范性文件管理办法\n某某\n", 1)
    text = text.replace("现将", "附件：云溪市行政规范性文件管理办法\n现将")
    start = attachment_start(text, _meta(NOTICE))
    assert start is not None and text[start:].startswith("云溪市行政规范性文件管理办法\n第一条")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*NOTICE.split("\n"), "有效期至", "自印发之日起施行", "第 号令", "〔2019〕"])
        | st.text(max_size=20),
        max_size=25,
    )
)
def test_extract_meta_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    extract_meta(text, split_clauses(text))


def test_extract_meta_stated_issue_date_wins() -> None:
    text = "索引号：123\n成文日期：2019年4月30日\n关于某事项的通知\n某府发〔2019〕3号\n一、甲。\n某市人民政府\n2019年5月6日"
    assert _meta(text).issued_on == date(2019, 4, 30)


def test_find_title_without_known_type_still_found() -> None:
    lines = ["云府发〔2020〕3号", "云溪市人民政府关于本地建材企业的若干事项", "各区人民政府："]
    assert find_title(lines) == "云溪市人民政府关于本地建材企业的若干事项"
