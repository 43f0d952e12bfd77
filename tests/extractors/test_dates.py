"""Dates, periods, validity and commencement statements."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.dates import (
    Period,
    add_period,
    find_commencement,
    find_dates,
    find_validity,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二〇一九年五月六日", date(2019, 5, 6)),
        ("二○二○年十二月三十一日", date(2020, 12, 31)),
        ("2019年5月6日", date(2019, 5, 6)),
        ("2019 年 5 月 6 日", date(2019, 5, 6)),
        ("2019-05-06", date(2019, 5, 6)),
        ("2019.5.6", date(2019, 5, 6)),
        ("2019/5/6", date(2019, 5, 6)),
        ("自2021年1月1日起施行", date(2021, 1, 1)),
    ],
)
def test_parse_date_formats(text: str, value: date) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["2019年2月30日", "2019.13.1", "第2019号", "2019-05/06", "1.2019.5.6.7"])
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_positions() -> None:
    text = "2019年5月6日印发，自2019-06-01起施行"
    found = find_dates(text)
    assert [(f.value, text[f.start : f.end]) for f in found] == [
        (date(2019, 5, 6), "2019年5月6日"),
        (date(2019, 6, 1), "2019-06-01"),
    ]


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2019, 6, 1), Period(years=5), date(2024, 5, 31)),
        (date(2020, 2, 29), Period(years=1), date(2021, 2, 27)),
        (date(2019, 1, 31), Period(months=1), date(2019, 2, 27)),
        (date(2019, 1, 1), Period(days=30), date(2019, 1, 30)),
    ],
)
def test_period_after_last_day(start: date, period: Period, end: date) -> None:
    assert period.after(start) == end


def test_add_period_clamps_to_month_end() -> None:
    assert add_period(date(2019, 1, 31), Period(months=1)) == date(2019, 2, 28)


@pytest.mark.parametrize(
    ("text", "period", "trial"),
    [
        ("本办法有效期5年。", Period(years=5), False),
        ("有效期为三年", Period(years=3), False),
        ("有效期限为2年", Period(years=2), False),
        ("有效期6个月", Period(months=6), False),
        ("本规定试行二年。", Period(years=2), True),
        ("试行期为1年", Period(years=1), True),
        ("试行期两年", Period(years=2), True),
    ],
)
def test_find_validity_periods(text: str, period: Period, trial: bool) -> None:
    validity = find_validity(text)
    assert validity is not None
    assert (validity.period, validity.trial, validity.until) == (period, trial, None)


@pytest.mark.parametrize(
    "text", ["有效期至2025年12月31日。", "有效期到二〇二五年十二月三十一日", "本意见有效期至2025-12-31止"]
)
def test_find_validity_until(text: str) -> None:
    validity = find_validity(text)
    assert validity is not None and validity.until == date(2025, 12, 31)


@pytest.mark.parametrize("text", ["行政许可的有效期由法律规定。", "试行工作", "本办法自公布之日起施行。"])
def test_find_validity_none(text: str) -> None:
    assert find_validity(text) is None


def test_find_commencement_fixed_date() -> None:
    found = find_commencement("本办法自2019年6月1日起施行。")
    assert found is not None and found.resolve(None) == date(2019, 6, 1)


@pytest.mark.parametrize("anchor", ["印发", "发布", "公布"])
def test_find_commencement_anchored_on_issue(anchor: str) -> None:
    found = find_commencement(f"本办法自{anchor}之日起施行。")
    assert found is not None
    assert (found.anchor, found.resolve(date(2019, 5, 6))) == (anchor, date(2019, 5, 6))


def test_find_commencement_delay_after_publication() -> None:
    found = find_commencement("本办法自公布之日起30日后施行。")
    assert found is not None and found.resolve(date(2019, 5, 6)) == date(2019, 6, 5)


def test_find_commencement_anchored_without_issue_date_unknown() -> None:
    found = find_commencement("本办法自印发之日起施行。")
    assert found is not None and found.resolve(None) is None


def test_find_commencement_none() -> None:
    assert find_commencement("本办法由市司法局负责解释。") is None
