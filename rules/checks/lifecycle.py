"""Checks on whether a document is still alive: its agencies, its validity period, its task.

All of them take the review date from `CheckInput.as_of`, never from the clock.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from extractors.model import Clause, ClauseKind, ParsedDocument
from extractors.numerals import chinese_to_int
from rules.catalogue import Rule
from rules.checks.base import CheckInput, Hit, Sentence, register_check, sentence_at, spans_of, whole_document

# ---------------------------------------------------------------- outdated-agency

# Characters that end the text before an agency name (由, 会同, 、 …): the place name starts after them.
_BEFORE_AGENCY = set("由经向和与及、，,。；;：:（）()会同报送请并对在将按照依据牵头负责配合")
_PLACE_LOOKBACK = 10  # 黑龙江省哈尔滨市道里区 is 10 characters; longer place names are rare.


def _agency_names(inp: CheckInput) -> Iterator[tuple[int, int]]:
    spans = spans_of(inp.doc, "AGENCY")
    if spans:
        yield from ((s.start, s.end) for s in spans)
        return
    if not inp.known_agency_endings:
        return
    pattern = re.compile(
        "|".join(re.escape(e) for e in sorted(inp.known_agency_endings, key=len, reverse=True))
    )
    text = inp.doc.text
    for m in pattern.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < _PLACE_LOOKBACK and text[start - 1] not in _BEFORE_AGENCY:
            if text[start - 1].isspace():
                break
            start -= 1
        yield start, m.end()


_NOUN_PHRASE_BREAK = re.compile(r"[，,。；;、：:（）()\n“”]")


def _named_as_former(text: str, start: int, name: str) -> bool:
    """原 heads the noun phrase or the list it stands in (原县食品药品监督管理局、县工商行政管理局承担的…),
    or the sentence says the reform happened (机构改革后): the text knows the agency is gone."""
    before = text[max(0, start - 3 * _PLACE_LOOKBACK) : start]
    breaks = list(_NOUN_PHRASE_BREAK.finditer(before))
    phrase = before[breaks[-1].end() :] if breaks else before
    phrase = re.sub(r"^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]", "", phrase)
    if name.startswith("原") or phrase.startswith("原"):
        return True
    clause_start = max(text.rfind(c, 0, start) for c in "，,。；;\n") + 1
    in_list = text[clause_start:start]
    sentence_start = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
    return bool(re.match(r"^\s*原", in_list)) or "机构改革" in text[sentence_start:start]


def _is_issuer(name: str, issuer: str | None) -> bool:
    """Whether an agency name is the document's issuer, written in full or from 市/县/区 on (市环境保护局)."""
    if not issuer:
        return False
    return name == issuer or issuer.endswith(name.lstrip("本"))


@register_check("qingli.outdated_agency.v1")
def check_outdated_agency(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Duties given to agencies abolished or renamed by a reform in force on `as_of`."""
    if inp.agency_successor is None or not rule.applies_to(inp.kind):
        return
    seen: set[tuple[int, int]] = set()
    for start, end in _agency_names(inp):
        sentence = sentence_at(inp, start)
        if sentence is None or (sentence.start, sentence.end) in seen:
            continue
        name = inp.doc.text[start:end]
        if inp.doc.text[end : end + 1] == "门":
            continue  # 环境保护部门, 监察部门: a kind of department, not the ministry of that name
        if _named_as_former(inp.doc.text, start, name):
            continue  # 原…局: the text itself names the former agency as former
        if sentence.unit.label == "序言" and _is_issuer(name, inp.doc.meta.issuer):
            continue  # the issuer naming itself in the 印发 wrapper assigns no duty
        rename = inp.agency_successor(name)
        if rename is None or rename.successor == name:
            continue
        seen.add((sentence.start, sentence.end))
        yield Hit.in_sentence(rule, sentence, start, end, {"evidence": name, "successor": rename.successor})


# ---------------------------------------------------------------- dates

_NUM = r"[0-9０-９〇零○一二三四五六七八九十]"
_DATE = re.compile(rf"({_NUM}{{4}})\s*年\s*({_NUM}{{1,2}})\s*月\s*({_NUM}{{1,3}})\s*日")
_EFFECTIVE = re.compile(
    rf"自\s*({_NUM}{{4}}\s*年\s*{_NUM}{{1,2}}\s*月\s*{_NUM}{{1,3}}\s*日)\s*起\s*(施行|实施|执行|生效)"
)
_VALID_YEARS = re.compile(r"有效期\s*(为|至)?\s*([0-9一二三四五六七八九十两]+)\s*年")


def _number(text: str) -> int | None:
    return chinese_to_int(text.replace("○", "〇").replace(" ", ""))


def parse_cn_date(text: str) -> date | None:
    """The first 2021年3月1日 / 二〇二一年三月一日 date in `text`, or None."""
    m = _DATE.search(text)
    if not m:
        return None
    year, month, day = (_number(g) for g in m.groups())
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_end(doc: ParsedDocument, statement: str) -> date | None:
    """The last day a validity statement allows: 有效期至…, 有效期X年 from the start date, …起失效.

    The start of 有效期X年 is the 自…起施行 date in the statement or document, else the effective or
    issue date in the metadata.
    """
    until = re.search(r"有效期[^。]{0,12}?(至|到|截至|截止)", statement)
    if until:
        return parse_cn_date(statement[until.end() :])
    years = _VALID_YEARS.search(statement)
    if years is None:
        return parse_cn_date(statement)  # 2025年12月31日起废止 / 失效
    count = _number(years.group(2))
    started = _EFFECTIVE.search(statement) or _EFFECTIVE.search(doc.text)
    start = parse_cn_date(started.group(1)) if started else (doc.meta.effective_on or doc.meta.issued_on)
    if count is None or start is None:
        return None
    # 有效期5年 from 2019-03-01 covers up to 2024-02-29: the day before the anniversary.
    return _add_years(start, count) - timedelta(days=1)


def _clause_at(doc: ParsedDocument, offset: int) -> Clause:
    owners = [c for c in doc.clauses if c.start <= offset < c.end]
    if owners:
        return max(owners, key=lambda c: (c.depth, c.start))
    return whole_document(doc, ClauseKind.CLOSING)


def _review_label_at(inp: CheckInput, offset: int) -> Clause:
    sentence = sentence_at(inp, offset)
    return sentence.unit if sentence else _clause_at(inp.doc, offset)


def of_a_certificate(text: str, start: int) -> bool:
    """Whether the validity statement at `start` belongs to a certificate or licence the text issues."""
    return _CERTIFICATE_VALIDITY.search(text[max(0, start - 8) : start]) is not None


_CERTIFICATE_VALIDITY = re.compile(r"(证|证件|证书|证明|许可|执照|资格|批准文件|批复)的?$")


@register_check("qingli.expired_validity.v1")
def check_expired_validity(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """The document's own validity period has ended on `as_of` (one finding per document)."""
    if not rule.applies_to(inp.kind):
        return
    text = inp.doc.text
    candidates: list[tuple[int, int, date | None]] = []
    for pattern in rule.patterns:
        for m in pattern.finditer(text):
            if of_a_certificate(text, m.start()):
                continue  # 证件有效期一年: the licence's validity, not the document's
            end_of_sentence = len(text)
            stop = re.compile(r"[。；\n]").search(text, m.end())
            if stop:
                end_of_sentence = stop.start()
            begin = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            statement = text[begin:end_of_sentence]
            candidates.append((m.start(), m.end(), validity_end(inp.doc, statement)))
    candidates.sort()
    ends = [c for c in candidates if c[2] is not None]
    meta_end = inp.doc.meta.valid_until
    if meta_end is not None and not ends and candidates:
        ends = [(candidates[0][0], candidates[0][1], meta_end)]
    if not ends:
        return
    start, end, valid_until = ends[-1]
    if meta_end is not None:
        valid_until = meta_end
    assert valid_until is not None
    if inp.as_of <= valid_until:
        return
    unit = _review_label_at(inp, start)
    yield Hit(
        rule.id,
        unit,
        start,
        end,
        (start, end),
        {
            "evidence": text[start:end],
            "valid_until": f"{valid_until.year}年{valid_until.month}月{valid_until.day}日",
        },
    )


# ---------------------------------------------------------------- obsolete-subject

# Documents whose title says they organise a time-bound task; any other document needs
# past deadlines in at least `MIN_DEADLINE_UNITS` review units before its task counts as over
# (one transitional "2019年底前完成整改" does not make an 办法 obsolete).
_TASK_TITLE = re.compile(r"方案|行动|计划|专项|工作要点|攻坚|整治|活动|三年|五年|百日|年度|实施意见|任务")
MIN_DEADLINE_UNITS = 2


def deadline_of(m: re.Match[str]) -> date | None:
    """The last day of the period a deadline match names (2020年底 → 2020-12-31)."""
    raw_year = next(
        (m.group(g) for g in ("year", "year2", "year3") if g in m.re.groupindex and m.group(g)), None
    )
    if raw_year is None:
        return None
    year = _number(raw_year)
    if year is None or not 1949 <= year <= 2200:
        return None
    after = m.string[
        m.end(next(g for g in ("year", "year2", "year3") if g in m.re.groupindex and m.group(g))) :
    ]
    month_m = re.match(rf"\s*年\s*({_NUM}{{1,2}})\s*月(?:\s*({_NUM}{{1,3}})\s*日)?", after)
    if month_m:
        month = _number(month_m.group(1))
        if month and 1 <= month <= 12:
            if month_m.group(2):
                day = _number(month_m.group(2))
                if day and 1 <= day <= calendar.monthrange(year, month)[1]:
                    return date(year, month, day)
            return date(year, month, calendar.monthrange(year, month)[1])
    if re.match(r"\s*年\s*上半年", after):
        return date(year, 6, 30)
    return date(year, 12, 31)


def _deadlines(rule: Rule, sentence: Sentence) -> Iterator[tuple[int, int, date]]:
    for pattern in rule.patterns:
        for m in pattern.finditer(sentence.text):
            when = deadline_of(m)
            if when is not None:
                yield sentence.start + m.start(), sentence.start + m.end(), when


def task_over(doc: ParsedDocument, rule: Rule, as_of: date, units_with_past: int) -> bool:
    """Whether the document as a whole exists for a task that is over on `as_of`.

    Every deadline it states has passed, and either its title names a time-bound task (方案, 行动,
    专项…) or past deadlines stand in at least `MIN_DEADLINE_UNITS` units. Otherwise a past deadline
    is one outdated clause of a lasting document: amend it, do not declare the document invalid.
    """
    whens = [deadline_of(m) for p in rule.patterns for m in p.finditer(doc.text)]
    if not whens or any(w is not None and w >= as_of for w in whens):
        return False
    title = " ".join(t for t in (doc.meta.title, doc.meta.wrapper_title) if t)
    return _TASK_TITLE.search(title) is not None or units_with_past >= MIN_DEADLINE_UNITS


@register_check("qingli.obsolete_subject.v1")
def check_obsolete_subject(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Task deadlines that have passed on `as_of`, one finding per sentence.

    A sentence that also names a deadline still to come is a stage of a longer task and is left
    alone; whether the whole document is over is `task_over`'s question (the recommendation's).
    """
    seen: set[tuple[int, int]] = set()
    for sentence in inp.sentences:
        found = list(_deadlines(rule, sentence))
        if not found or any(when >= inp.as_of for _, _, when in found):
            continue
        start, end, _ = found[0]
        if (sentence.start, sentence.end) in seen:
            continue
        seen.add((sentence.start, sentence.end))
        yield Hit.in_sentence(rule, sentence, start, end, {"evidence": inp.doc.text[start:end]})
