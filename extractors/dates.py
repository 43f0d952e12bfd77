"""Dates and durations as Chinese official documents write them.

Dates: 二〇一九年五月六日, 2019年5月6日, 2019-05-06, 2019.5.6, 2019/5/6. Durations and
validity: 有效期5年, 有效期为三年, 有效期至2025年12月31日, 试行二年, 试行期为1年, 有效期6个月;
commencement: 自2019年6月1日起施行, 自印发之日起施行, 自公布之日起30日后施行.

No function here looks at today's date; "valid until" is computed from a start date the caller gives.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.numerals import chinese_to_int

_CN = "零〇○Ｏ一二三四五六七八九十两"
_YEAR = rf"(?P<y>[12][0-9]{{3}}|[一二][{_CN}]{{3}})"
_MONTH = rf"(?P<m>[0-9]{{1,2}}|[{_CN}]{{1,3}})"
_DAY = rf"(?P<d>[0-9]{{1,2}}|[{_CN}]{{1,3}})"

_DATE_PATTERNS = (
    re.compile(rf"{_YEAR}\s*年\s*{_MONTH}\s*月\s*{_DAY}\s*日"),
    # 2019-05-06, 2019.5.6, 2019/5/6 (separators must agree; no digit right before or after).
    re.compile(
        r"(?<![0-9.])(?P<y>[12][0-9]{3})(?P<sep>[-./])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])"
    ),
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as written, where it is, and its value."""

    value: date
    start: int
    end: int
    text: str


def _to_int(s: str) -> int | None:
    return chinese_to_int(s.replace("○", "〇").replace("Ｏ", "〇"))


def find_dates(text: str) -> list[DateMention]:
    """Every valid date in `text`, in order; impossible dates (2019年2月30日) are skipped."""
    found: list[DateMention] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            y, mo, d = _to_int(m.group("y")), _to_int(m.group("m")), _to_int(m.group("d"))
            if y is None or mo is None or d is None:
                continue
            try:
                value = date(y, mo, d)
            except ValueError:
                continue  # not a date, e.g. 2019.13.40 in a table of figures
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(DateMention(value, m.start(), m.end(), m.group()))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str) -> date | None:
    """The first date written in `text`, or None."""
    found = find_dates(text)
    return found[0].value if found else None


@dataclass(frozen=True, slots=True)
class Period:
    """A length of time in whole years, months and days."""

    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """Last day of a period that begins on `start` (有效期5年 from 2019-06-01 -> 2024-05-31)."""
        return add_period(start, self) - timedelta(days=1)


def add_period(start: date, period: Period) -> date:
    """`start` moved forward by `period`; a day past the end of a month clamps to its last day."""
    months = start.month - 1 + period.months + 12 * period.years
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=period.days)


_NUM = rf"(?:[0-9]{{1,3}}|[{_CN}]{{1,3}})"
_UNIT = r"(?:个)?(?:年|月|日|天)"
_PERIOD = re.compile(rf"(?P<n>{_NUM})\s*(?P<unit>{_UNIT})")


def _period(n: str, unit: str) -> Period | None:
    value = _to_int(n)
    if value is None or value <= 0:
        return None
    if unit.endswith("年"):
        return Period(years=value)
    if unit.endswith("月"):
        return Period(months=value)
    return Period(days=value)


@dataclass(frozen=True, slots=True)
class Validity:
    """A statement of how long a document stays in force."""

    text: str
    start: int
    end: int
    period: Period | None = None  # 有效期5年 / 试行二年
    until: date | None = None  # 有效期至2025年12月31日
    trial: bool = False  # 试行: the period is a trial period


_VALIDITY = re.compile(
    rf"(?:有效期(?:限)?(?:为|是)?\s*(?:(?P<until_kw>至|到)\s*(?P<until>[^，。；,;]{{6,16}})"
    rf"|(?P<n>{_NUM})\s*(?P<unit>{_UNIT}))"
    rf"|(?P<trial>试行(?:期)?(?:为|限)?\s*(?P<tn>{_NUM})\s*(?P<tunit>{_UNIT})))"
)


_CERTIFICATE_BEFORE = re.compile(r"(证|证件|证书|证明|许可|执照|资格|批准文件|批复)的?$")


def find_validity(text: str) -> Validity | None:
    """The first validity statement in `text` (有效期5年, 有效期至…, 试行二年), or None."""
    for m in _VALIDITY.finditer(text):
        if _CERTIFICATE_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
            continue  # 许可证有效期三年: what the document issues, not the document itself
        if m.group("until"):
            until = parse_date(m.group("until"))
            if until is not None:
                return Validity(m.group(), m.start(), m.end(), until=until)
        elif m.group("n"):
            period = _period(m.group("n"), m.group("unit"))
            if period is not None:
                return Validity(m.group(), m.start(), m.end(), period=period)
        elif m.group("trial"):
            period = _period(m.group("tn"), m.group("tunit"))
            if period is not None:
                return Validity(m.group(), m.start(), m.end(), period=period, trial=True)
    return None


@dataclass(frozen=True, slots=True)
class Commencement:
    """When a document takes effect: a fixed date, or a day counted from its issue."""

    text: str
    start: int
    end: int
    on: date | None = None  # 自2019年6月1日起施行
    anchor: str | None = None  # 印发 / 发布 / 公布 / 签发: 自印发之日起施行
    delay: Period | None = None  # 自公布之日起30日后施行

    def resolve(self, issued_on: date | None) -> date | None:
        """The commencement date, given the issue date for anchored statements."""
        if self.on is not None:
            return self.on
        if self.anchor is None or issued_on is None:
            return None
        return add_period(issued_on, self.delay) if self.delay else issued_on


_COMMENCEMENT = re.compile(
    r"自\s*(?:(?P<date>[^，。；,;起]{6,16}?日)|(?P<anchor>印发|发布|公布|签发|颁布|下发)之日)"
    rf"\s*(?:起\s*)?(?:(?P<n>{_NUM})\s*(?P<unit>{_UNIT})后\s*)?(?:起\s*)?(?:施行|实施|执行|生效)"
)


def find_commencement(text: str) -> Commencement | None:
    """The first 自…起施行 statement in `text`, or None."""
    for m in _COMMENCEMENT.finditer(text):
        delay = _period(m.group("n"), m.group("unit")) if m.group("n") else None
        if m.group("date"):
            on = parse_date(m.group("date"))
            if on is not None:
                return Commencement(m.group(), m.start(), m.end(), on=on)
        elif m.group("anchor"):
            return Commencement(m.group(), m.start(), m.end(), anchor=m.group("anchor"), delay=delay)
    return None
