"""extractors.amounts: money amounts, multiples and percentages as numbers and ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.amounts import AmountUnit, find_amount_ranges, parse_amount_range, parse_money, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("五千元", 5000),
        ("3万元", 30000),
        ("1.5万元", 15000),
        ("二十万元", 200000),
        ("人民币1,000元", 1000),
        ("两千元", 2000),
        ("１０００元", 1000),
        ("一百零五元", 105),
    ],
)
def test_parse_money_reads_one_sum(text: str, expected: int) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["五千", "三倍", "百分之五", "第五条", "", "罚款"])
def test_parse_money_none_without_yuan(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), ("1.5", Decimal("1.5")), ("五千", 5000), ("3万", 30000)]
)
def test_parse_number_reads_bare_numbers(text: str, expected: Decimal | int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("一万元以上五万元以下", 10000, 50000),
        ("500元至1000元", 500, 1000),
        ("500至1000元", 500, 1000),
        ("1至5万元", 10000, 50000),
        ("5000至1万元", 5000, 10000),
        ("一千元以下", None, 1000),
        ("二十万元以上", 200000, None),
        ("不超过五万元", None, 50000),
        ("处以1万元罚款", 10000, 10000),
        ("处五千元以上三万元以下罚款", 5000, 30000),
        ("处2000元以上10000元以下的罚款", 2000, 10000),
        ("处警告或者五十元以上五百元以下罚款", 50, 500),
    ],
)
def test_parse_amount_range_yuan_bounds(text: str, low: int | None, high: int | None) -> None:
    found = parse_amount_range(text)
    assert found is not None
    assert found.unit is AmountUnit.YUAN
    assert found.bounds == (low, high)


@pytest.mark.parametrize(
    ("text", "low", "high", "base"),
    [
        ("违法所得一倍以上三倍以下", 1, 3, "违法所得"),
        ("并处违法所得一倍以上三倍以下罚款", 1, 3, "违法所得"),
        ("处货值金额等值以上3倍以下的罚款", 1, 3, "货值金额"),
        ("处违法经营额5倍以上10倍以下的罚款", 5, 10, "违法经营额"),
        ("处违法所得五倍以下罚款", None, 5, "违法所得"),
        ("并处以销售总额2倍以上5倍以下的罚款", 2, 5, "销售总额"),
    ],
)
def test_parse_amount_range_multiples_keep_their_base(
    text: str, low: int | None, high: int | None, base: str
) -> None:
    found = parse_amount_range(text)
    assert found is not None
    assert found.unit is AmountUnit.MULTIPLE
    assert found.bounds == (low, high)
    assert found.base == base


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("处工程合同价款2%以上4%以下的罚款", 2, 4),
        ("处最高应价百分之十以上百分之五十以下的罚款", 10, 50),
        ("千分之五", Decimal("0.5"), Decimal("0.5")),
    ],
)
def test_parse_amount_range_percentages(text: str, low: Decimal | int, high: Decimal | int) -> None:
    found = parse_amount_range(text)
    assert found is not None
    assert found.unit is AmountUnit.PERCENT
    assert found.bounds == (low, high)


@pytest.mark.parametrize("text", ["第一至第三", "三年以下有期徒刑", "五日以上十日以下", "依照本法第十二条"])
def test_parse_amount_range_none_for_numbers_that_are_not_amounts(text: str) -> None:
    assert parse_amount_range(text) is None


def test_find_amount_ranges_reads_each_range_in_order() -> None:
    found = find_amount_ranges("对单位处一万元以上五万元以下罚款，对个人处五百元以上二千元以下罚款")
    assert [r.bounds for r in found] == [(Decimal(10000), Decimal(50000)), (Decimal(500), Decimal(2000))]


def test_find_amount_ranges_offsets_cover_the_range() -> None:
    text = "处五千元以上三万元以下罚款"
    (found,) = find_amount_ranges(text)
    assert text[found.start : found.end] == "五千元以上三万元以下"
