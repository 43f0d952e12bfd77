"""Chinese numerals <-> integers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.numerals import chinese_to_int, int_to_chinese


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一百二十三", 123),
        ("一千二百六十", 1260),
        ("两万", 20000),
        ("一万零五", 10005),
        ("三亿", 300_000_000),
        ("二〇一九", 2019),
        ("二○一九", 2019),
        ("壹佰贰拾", 120),
        ("２０１９", 2019),
        ("12", 12),
    ],
)
def test_chinese_to_int_values(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "  ", "第十条", "十a", "abc"])
def test_chinese_to_int_not_a_number(text: str) -> None:
    assert chinese_to_int(text) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (10005, "一万零五"),
    ],
)
def test_int_to_chinese_article_forms(value: int, text: str) -> None:
    assert int_to_chinese(value) == text


def test_int_to_chinese_negative_rejected() -> None:
    with pytest.raises(ValueError):
        int_to_chinese(-1)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_int_to_chinese_round_trips(value: int) -> None:
    assert chinese_to_int(int_to_chinese(value)) == value
