"""合法性审核意见书: one per reviewed document, with findings, bases, superior articles and conclusion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from flows.export.opinion import TITLE, findings_summary, validity, write_opinions_docx
from rules.model import CleanupReport, Decision, DocumentStatus
from tests.flows.export_fixtures import AS_OF, document, docx_text, override, penalty_finding, sample_report


@pytest.fixture(scope="module")
def report() -> CleanupReport:
    return sample_report()


@pytest.fixture(scope="module")
def opinions(report: CleanupReport, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_opinions_docx(report, tmp_path_factory.mktemp("opinions"), office="上海市司法局")


def _text_of(opinions: list[Path], title: str) -> str:
    (path,) = [p for p in opinions if title in p.name]
    return docx_text(path)


def test_write_opinions_docx_writes_one_file_per_reviewed_document(
    report: CleanupReport, opinions: list[Path]
) -> None:
    reviewed = [d for d in report.documents if d.status is DocumentStatus.REVIEWED]
    assert len(opinions) == len(reviewed)
    assert all(p.is_file() for p in opinions)


def test_write_opinions_docx_names_files_by_sequence_and_title(opinions: list[Path]) -> None:
    assert opinions[0].name == "001-上海市城市道路设摊管理办法-合法性审核意见书.docx"


def test_write_opinions_docx_skips_failed_documents(opinions: list[Path]) -> None:
    assert not any("扫描件" in p.name for p in opinions)


def test_write_opinions_docx_keeps_names_unique_for_equal_titles(
    report: CleanupReport, tmp_path: Path
) -> None:
    twins = replace(report, documents=(report.documents[0], report.documents[0]))
    paths = write_opinions_docx(twins, tmp_path)
    assert len({p.name for p in paths}) == 2


def test_write_opinions_docx_makes_safe_names_from_hostile_titles(
    report: CleanupReport, tmp_path: Path
) -> None:
    hostile = replace(report, documents=(document("../../etc/passwd", decision=Decision.RETAIN),))
    (path,) = write_opinions_docx(hostile, tmp_path)
    assert path.parent == tmp_path
    assert "/" not in path.name


def test_opinion_starts_with_the_gb_title(opinions: list[Path]) -> None:
    paragraphs = Document(str(opinions[0])).paragraphs
    assert paragraphs[0].text == TITLE
    assert paragraphs[1].text == "关于《上海市城市道路设摊管理办法》"


def test_opinion_states_document_facts(opinions: list[Path]) -> None:
    text = _text_of(opinions, "城市道路设摊")
    for fact in (
        "沪府办发〔2019〕23号",
        "上海市人民政府办公厅",
        "2019年3月1日",
        "文件未载明有效期",
        "规范性文件",
    ):
        assert fact in text


def test_opinion_reports_each_finding_with_clause_problem_and_suggestion(opinions: list[Path]) -> None:
    text = _text_of(opinions, "城市道路设摊")
    finding = penalty_finding()
    assert "（一）第十二条" in text
    assert finding.clause_text in text
    assert finding.message in text
    assert "问题等级：严重" in text
    assert finding.suggestion in text


def test_opinion_quotes_the_legal_basis_with_article_text(opinions: list[Path]) -> None:
    text = _text_of(opinions, "城市道路设摊")
    assert "《中华人民共和国行政处罚法》第十六条规定：“除法律、法规、规章外" in text


def test_opinion_names_the_matched_superior_article_and_score(opinions: list[Path]) -> None:
    text = _text_of(opinions, "城市道路设摊")
    assert "《中华人民共和国行政处罚法》（2021-01-22版）第十六条（匹配度91.5）" in text


def test_opinion_cites_a_basis_without_text_by_name_only(opinions: list[Path]) -> None:
    assert "法律依据：《中华人民共和国行政许可法》第十七条\n" in _text_of(opinions, "住宅装修")


def test_opinion_concludes_with_the_recommendation_and_reasons(opinions: list[Path]) -> None:
    text = _text_of(opinions, "节能减排")
    assert "审核结论：建议宣布失效。" in text
    assert "有效期已于2018年12月31日届满" in text


def test_opinion_notes_the_reviewer_override(opinions: list[Path]) -> None:
    text = _text_of(opinions, "材料采购")
    assert "审核结论：建议废止（经审核人员调整）。" in text
    assert "审核人员王敏于2026年7月3日调整为“废止”（系统原建议：修改）" in text


def test_opinion_says_when_nothing_was_found(opinions: list[Path]) -> None:
    assert "未发现与上位法相抵触" in _text_of(opinions, "公共信用")


def test_opinion_without_recommendation_says_no_decision(opinions: list[Path]) -> None:
    assert "暂不能形成清理意见" in _text_of(opinions, "企业登记")


def test_opinion_signs_with_office_and_date(opinions: list[Path]) -> None:
    paragraphs = [p.text for p in Document(str(opinions[0])).paragraphs]
    assert paragraphs[-2:] == ["上海市司法局", "2026年7月1日"]


def test_findings_summary_counts_by_severity() -> None:
    summary = findings_summary((penalty_finding(), penalty_finding()))
    assert summary == "经审核，共发现问题2处，其中严重2处、一般0处、提示0处。"


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (None, "文件未载明有效期"),
        (date(2018, 12, 31), "至2018年12月31日，截至审核基准日已届满"),
        (date(2030, 1, 1), "至2030年1月1日，审核基准日仍在有效期内"),
    ],
)
def test_validity_compares_with_as_of(valid_until: date | None, expected: str) -> None:
    assert validity(valid_until, AS_OF) == expected


def test_opinion_override_on_document_without_recommendation(report: CleanupReport, tmp_path: Path) -> None:
    doc = document("某办法", decision=None, override=override(Decision.RETAIN))
    (path,) = write_opinions_docx(replace(report, documents=(doc,)), tmp_path)
    assert "审核结论：建议保留（继续有效）（经审核人员调整）。" in docx_text(path)


def test_write_opinions_docx_removes_opinions_of_an_earlier_export(
    report: CleanupReport, tmp_path: Path
) -> None:
    stale = tmp_path / "099-旧文件-合法性审核意见书.docx"
    stale.write_bytes(b"old")
    write_opinions_docx(report, tmp_path)
    assert not stale.exists()


def test_write_opinions_docx_leaves_other_files_alone(report: CleanupReport, tmp_path: Path) -> None:
    note = tmp_path / "审核说明.docx"
    note.write_bytes(b"keep")
    write_opinions_docx(report, tmp_path)
    assert note.read_bytes() == b"keep"
