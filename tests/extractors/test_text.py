"""Plain-text backend: encodings, BOMs, line endings, hard wraps."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.errors import UndecodableText
from extractors.text import TextBackend, decode_bytes, looks_wrapped, prepare_text

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
SAMPLE = "第一条 为了规范行政执法，制定本办法。\n第二条 本办法自2019年6月1日起施行。"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("utf-8-sig"), "utf-8-sig"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
    ],
)
def test_decode_bytes_encodings(encoded: bytes, encoding: str) -> None:
    assert decode_bytes(encoded) == (SAMPLE, encoding)


def test_decode_bytes_broken_bom_undecodable() -> None:
    with pytest.raises(UndecodableText):
        decode_bytes(b"\xef\xbb\xbf\xff\xfe\xfd")


def test_text_backend_gbk_fixture() -> None:
    text = TextBackend().read(DOCUMENTS / "notice_measures.gbk.txt").pages[0].text
    assert text.startswith("云溪市人民政府办公厅文件\n云府办发〔2019〕23号")


def test_prepare_text_crlf_unified() -> None:
    assert prepare_text("甲\r\n乙\r丙") == "甲\n乙\n丙"


def test_prepare_text_hard_wrapped_file_rejoined() -> None:
    paragraphs = [
        "第一条 为了规范行政执法行为，保障公民、法人和其他组织的合法权益，根据有关法律法规，制定本办法。",
        "第二条 本办法适用于本市各级行政执法机关及其工作人员实施的行政执法活动。",
    ]
    wrapped = "\n".join(p[i : i + 18] for p in paragraphs for i in range(0, len(p), 18))
    assert prepare_text(wrapped) == "\n".join(paragraphs)


def test_looks_wrapped_false_for_paragraph_per_line() -> None:
    assert not looks_wrapped(
        [
            "云溪市行政执法公示办法",
            "第一条 为了规范行政执法行为，保障公民、法人和其他组织的合法权益，制定本办法。",
            "第二条 适用于本市。",
        ]
    )
