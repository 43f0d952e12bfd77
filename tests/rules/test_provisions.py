"""Structured differences between a clause and the superior article it restates."""

from __future__ import annotations

import pytest

from rules.checks.references import exceeds_superior
from rules.provisions import diff_provisions


def _aspects(clause: str, superior: str) -> list[str]:
    return [d.aspect for d in diff_provisions(clause, superior)]


@pytest.mark.parametrize(
    ("clause", "superior"),
    [
        ("违反本办法规定的，处1万元以上10万元以下罚款。", "违反本法规定的，处一万元以上五万元以下罚款。"),
        ("擅自施工的，处一万元以上五万元以下罚款。", "擅自施工的，处五千元以上三万元以下罚款。"),
        ("擅自施工的，处三万元罚款。", "擅自施工的，处一万元以下罚款。"),
        ("擅自施工的，处五千元以上罚款。", "擅自施工的，处五千元以上二万元以下罚款。"),
    ],
)
def test_diff_provisions_reports_maximum_above_superior(clause: str, superior: str) -> None:
    (found,) = diff_provisions(clause, superior)
    assert found.aspect == "amount"
    assert "上限高于上位法" in found.detail
    assert found.clause_value in clause and found.superior_value in superior


@pytest.mark.parametrize(
    ("clause", "superior"),
    [
        ("擅自施工的，处二千元以下罚款。", "擅自施工的，处二千元以上一万元以下罚款。"),
        ("擅自施工的，处违法所得一倍以上二倍以下罚款。", "擅自施工的，处违法所得一倍以上三倍以下罚款。"),
    ],
)
def test_diff_provisions_reports_range_below_superior(clause: str, superior: str) -> None:
    (found,) = diff_provisions(clause, superior)
    assert found.aspect == "amount" and "上限低于上位法" in found.detail


def test_diff_provisions_names_multiple_as_multiple() -> None:
    (found,) = diff_provisions("处违法所得一倍以上五倍以下罚款。", "处违法所得一倍以上三倍以下罚款。")
    assert found.detail.startswith("倍数与上位法不一致")


@pytest.mark.parametrize(
    ("clause", "superior"),
    [
        (
            "根据《食品安全法》规定，经营者应当建立进货查验记录制度。",
            "食品经营者应当建立食品进货查验记录制度。",
        ),
        ("违反本办法规定的，处1万元以上5万元以下罚款。", "违反本法规定的，处一万元以上五万元以下罚款。"),
        (
            "逾期不改正的，处二千元以上一万元以下罚款。",
            "责令限期改正；逾期不改正的，处二千元以上一万元以下罚款。",
        ),
        ("情节严重的，吊销营业执照。", "违反本条例规定的，责令改正，给予警告；情节严重的，吊销营业执照。"),
    ],
)
def test_diff_provisions_lawful_restatement_has_no_differences(clause: str, superior: str) -> None:
    assert diff_provisions(clause, superior) == ()


@pytest.mark.parametrize(
    ("clause", "superior", "added"),
    [
        ("擅自经营的，处二千元以下罚款，并吊销许可证。", "擅自经营的，处二千元以下罚款。", "吊销许可证"),
        ("拒不改正的，处警告，并责令停产停业。", "拒不改正的，处警告。", "责令停产停业"),
        ("扰乱秩序的，处以警告，并处行政拘留。", "扰乱秩序的，处以警告。", "行政拘留"),
    ],
)
def test_diff_provisions_reports_added_sanction(clause: str, superior: str, added: str) -> None:
    found = [d for d in diff_provisions(clause, superior) if d.aspect == "sanction"]
    assert [(d.clause_value, d.superior_value) for d in found] == [(added, "")]


def test_diff_provisions_reports_dropped_sanction() -> None:
    found = diff_provisions("经营者未公示价格的，处警告。", "经营者未公示价格的，处警告或者罚款。")
    assert [(d.aspect, d.clause_value, d.superior_value) for d in found] == [("sanction", "", "罚款")]


def test_diff_provisions_reads_longest_sanction_wording() -> None:
    (found,) = diff_provisions("未年检的，吊销营业执照。", "未年检的，处罚款。")
    assert found.clause_value == "吊销营业执照"


@pytest.mark.parametrize(
    ("clause", "superior", "mine", "theirs"),
    [
        ("行政机关可以举行听证。", "行政机关应当举行听证。", "可以举行听证", "应当举行听证"),
        ("申请人应当提交书面材料。", "申请人可以提交书面材料。", "应当提交书面", "可以提交书面"),
        ("经营者可以向社会公布收费标准。", "经营者不得向社会公布收费标准。", "可以向社会公", "不得向社会公"),
    ],
)
def test_diff_provisions_reports_modality_swap(clause: str, superior: str, mine: str, theirs: str) -> None:
    (found,) = diff_provisions(clause, superior)
    assert (found.aspect, found.clause_value, found.superior_value) == ("modality", mine, theirs)


def test_diff_provisions_same_modality_in_other_words_is_no_difference() -> None:
    assert diff_provisions("行政机关必须举行听证。", "行政机关应当举行听证。") == ()


@pytest.mark.parametrize(
    ("clause", "superior", "mine", "theirs"),
    [
        ("情节严重的，处警告。", "处警告。", "情节严重的", ""),
        ("处警告。", "逾期不改正的，处警告。", "", "逾期不改正的"),
        ("情节较重的，处警告。", "情节严重的，处警告。", "情节较重的", "情节严重的"),
        (
            "未经批准擅自施工的，处罚款。",
            "未经县级以上人民政府批准擅自施工的，处罚款。",
            "经批准",
            "经县级以上人民政府批准",
        ),
    ],
)
def test_diff_provisions_reports_condition_change(clause: str, superior: str, mine: str, theirs: str) -> None:
    (found,) = diff_provisions(clause, superior)
    assert (found.aspect, found.clause_value, found.superior_value) == ("condition", mine, theirs)


def test_diff_provisions_ignores_superior_sentences_not_restated() -> None:
    superior = "经营者应当明码标价。\n违反前款规定的，处五千元以下罚款；情节严重的，责令停业整顿。"
    assert diff_provisions("经营者应当明码标价。", superior) == ()


def test_diff_provisions_details_are_chinese() -> None:
    found = diff_provisions("处三万元罚款，并吊销许可证。", "处一万元以下罚款。")
    assert found and all(any("\u4e00" <= ch <= "\u9fff" for ch in d.detail) for d in found)


def test_diff_provisions_higher_amount_counts_as_exceeding_for_the_catalogue() -> None:
    (found,) = diff_provisions(
        "擅自施工的，处一万元以上五万元以下罚款。", "擅自施工的，处五千元以上三万元以下罚款。"
    )
    assert exceeds_superior(found)


def test_diff_provisions_added_sanction_counts_as_exceeding_for_the_catalogue() -> None:
    (found,) = diff_provisions("拒不改正的，处警告，并责令停产停业。", "拒不改正的，处警告。")
    assert exceeds_superior(found)


def test_diff_provisions_approval_inside_condition_is_reported_once() -> None:
    (found,) = diff_provisions("经批准的，处警告。", "经市人民政府批准的，处警告。")
    assert (found.clause_value, found.superior_value) == ("经批准", "经市人民政府批准")


@pytest.mark.parametrize("word", ["经济", "经营", "经费"])
def test_diff_provisions_jing_of_other_words_is_no_approval(word: str) -> None:
    assert diff_provisions(f"发展{word}事业，报国务院备案。", f"发展{word}事业，报总体规划审批。") == ()


def test_regression_diff_provisions_ignores_leading_article_label() -> None:
    assert diff_provisions("第四十七条 逾期不改正的，处警告。", "逾期不改正的，处警告。") == ()
