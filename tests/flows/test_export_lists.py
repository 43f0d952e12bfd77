"""Which list each document goes to, and the shared Chinese wording of the exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from flows.export.lists import (
    DECISION_LISTS,
    NO_DECISION_MESSAGE,
    OVERRIDE_MARK,
    CleanupList,
    cn_date,
    display_title,
    group_documents,
    list_for,
    list_of,
    local_time,
    opinion_label,
    reasons_and_basis,
    review_note,
    summary_sentence,
)
from rules.model import Decision, RepealKind
from tests.flows.export_fixtures import document, failed, override, penalty_finding, sample_report


@pytest.mark.parametrize(
    ("decision", "kind", "expected"),
    [
        (Decision.RETAIN, None, CleanupList.RETAIN),
        (Decision.AMEND, None, CleanupList.AMEND),
        (Decision.REPEAL, RepealKind.ABOLISH, CleanupList.ABOLISH),
        (Decision.REPEAL, RepealKind.DECLARE_INVALID, CleanupList.DECLARE_INVALID),
        (Decision.REPEAL, None, CleanupList.ABOLISH),
        (Decision.RETAIN, RepealKind.DECLARE_INVALID, CleanupList.RETAIN),
        (None, None, CleanupList.UNPROCESSED),
    ],
)
def test_list_for_maps_decisions_to_lists(
    decision: Decision | None, kind: RepealKind | None, expected: CleanupList
) -> None:
    assert list_for(decision, kind) is expected


def test_list_of_prefers_the_reviewer_decision() -> None:
    doc = document("某办法", decision=Decision.AMEND, override=override(Decision.RETAIN))
    assert list_of(doc) is CleanupList.RETAIN


def test_list_of_puts_errors_in_unprocessed_even_with_an_override() -> None:
    doc = replace(failed("docs/x.pdf"), override=override(Decision.RETAIN))
    assert list_of(doc) is CleanupList.UNPROCESSED


def test_group_documents_puts_every_document_in_exactly_one_list() -> None:
    report = sample_report()
    groups = group_documents(report)
    grouped = [doc.path for docs in groups.values() for doc in docs]
    assert sorted(grouped) == sorted(doc.path for doc in report.documents)


def test_group_documents_keeps_report_order_within_a_list() -> None:
    groups = group_documents(sample_report())
    assert [d.title for d in groups[CleanupList.AMEND]] == [
        "上海市城市道路设摊管理办法",
        "关于进一步规范住宅装修管理的通知",
    ]


def test_summary_sentence_counts_each_list() -> None:
    sentence = summary_sentence(group_documents(sample_report()))
    assert sentence.startswith("本次共清理规范性文件6件，其中继续有效1件、修改2件、废止2件、宣布失效1件；")
    assert "另有2件文件未能处理" in sentence


def test_summary_sentence_omits_unprocessed_when_none_failed() -> None:
    report = replace(sample_report(), documents=sample_report().documents[:6])
    assert "未能处理" not in summary_sentence(group_documents(report))


def test_cn_date_writes_gb_style_dates() -> None:
    assert cn_date(date(2019, 3, 1)) == "2019年3月1日"
    assert cn_date(datetime(2026, 12, 31, 23, 0)) == "2026年12月31日"
    assert cn_date(None) == ""


def test_display_title_falls_back_to_file_name() -> None:
    assert display_title(failed("docs\\扫描件.pdf")) == "扫描件.pdf"


def test_opinion_label_marks_reviewer_decisions() -> None:
    doc = document("某办法", decision=Decision.AMEND, override=override(Decision.REPEAL))
    assert opinion_label(doc) == "废止" + OVERRIDE_MARK


def test_reasons_and_basis_names_reviewer_and_machine_advice() -> None:
    doc = document("某办法", decision=Decision.AMEND, override=override(Decision.REPEAL))
    text = reasons_and_basis(doc)
    assert "审核人员王敏于2026年7月3日调整为“废止”（系统原建议：修改）" in text
    assert "该办法已被2024年新办法替代" in text


def test_reasons_and_basis_lists_legal_bases_once() -> None:
    doc = document("某办法", decision=Decision.AMEND, findings=(penalty_finding(), penalty_finding()))
    assert reasons_and_basis(doc).count("《中华人民共和国行政处罚法》第十六条") == 1


def test_reasons_and_basis_explains_reviewed_documents_without_advice() -> None:
    assert reasons_and_basis(document("某办法", decision=None)) == NO_DECISION_MESSAGE


def test_decision_lists_exclude_unprocessed() -> None:
    assert CleanupList.UNPROCESSED not in DECISION_LISTS


def test_cn_date_shows_aware_times_in_china_standard_time() -> None:
    assert cn_date(datetime(2026, 7, 1, 20, 0, tzinfo=UTC)) == "2026年7月2日"


def test_local_time_leaves_naive_times_alone() -> None:
    assert local_time(datetime(2026, 7, 1, 20, 0)) == datetime(2026, 7, 1, 20, 0)


def test_review_note_does_not_double_the_full_stop() -> None:
    doc = document("某办法", decision=Decision.AMEND, override=override(Decision.REPEAL))
    assert review_note(doc).endswith("应予废止。")
    assert "。。" not in review_note(doc)
