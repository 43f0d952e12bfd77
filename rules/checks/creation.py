"""Checks for provisions a document may not create itself: penalties, licences, added obligations.

What a document may set depends on its kind (行政处罚法 第十三、十四、十六条; 行政许可法 第十四至
十七条): a 规范性文件 may set no penalty at all, a 规章 may set warnings, 通报批评 and fines up
to a limit. Restating a superior provision is not creating one, so a clause the matcher pairs
with a superior article that itself carries the penalty (or licence) is left to the
`penalty-range-exceeded` / `superior-conflict` checks, which compare the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from extractors.model import DocumentKind, ParsedDocument
from extractors.numerals import chinese_to_int
from rules.catalogue import Rule
from rules.checks.base import CheckInput, Hit, Sentence, cited_law, pattern_hits, register_check

RULE_KINDS = frozenset({DocumentKind.DEPARTMENT_RULE, DocumentKind.LOCAL_GOVERNMENT_RULE})

# A superior article "carries" a penalty or licence when its text names one of these.
_SUPERIOR_PENALTY = re.compile(r"罚款|没收|吊销|暂扣|拘留|警告|通报批评|责令停产停业|责令关闭|处罚")
_SUPERIOR_LICENCE = re.compile(r"许可|审批|批准|核准|许可证|登记|同意")
# From this matcher score a clause may restate a superior penalty (rules.review asks the matcher for
# pairs from the same floor): enough to compare amounts, since only a concrete difference — a higher
# amount, an added penalty type — produces a finding. Restatements whose amounts were changed score
# 68-74 under the matcher's calibrated scoring precisely because the amounts differ.
RESTATEMENT_MIN_SCORE = 65.0
# Excusing a penalty as "the superior's own" needs the matcher's confident floor (its MIN_MATCH_SCORE):
# on the held-out set a topic neighbour at 65 happened to share the fine's amount.
EXCUSE_MIN_SCORE = 75.0

_AMOUNT = re.compile(r"([0-9０-９]+(?:\.[0-9]+)?|[〇零一二两三四五六七八九十百千万]+)\s*(万)?\s*元")
_FINE_TYPES = ("警告", "通报批评", "罚款")


def amounts_in(text: str) -> list[int]:
    """Money amounts in yuan written in a sentence (5000元, 五千元, 2万元)."""
    values: list[int] = []
    for m in _AMOUNT.finditer(text):
        raw = m.group(1)
        number: float | None
        try:
            number = float(raw.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        except ValueError:
            parsed = chinese_to_int(raw)
            number = float(parsed) if parsed is not None else None
        if number is None:
            continue
        values.append(int(number * (10_000 if m.group(2) else 1)))
    return values


def _restates_superior(inp: CheckInput, sentence: Sentence, carries: re.Pattern[str]) -> bool:
    match = inp.match_for(sentence.unit)
    return (
        match is not None and match.score >= EXCUSE_MIN_SCORE and carries.search(match.restated) is not None
    )


def _restates_superior_penalty(inp: CheckInput, sentence: Sentence) -> bool:
    """The sentence repeats a penalty its matched superior article sets, with the same amounts.

    Amounts the superior does not state mean the clause sets its own penalty (or raises the
    superior's, which `penalty-range-exceeded` reports and which then takes precedence).
    """
    if not _restates_superior(inp, sentence, _SUPERIOR_PENALTY):
        return False
    match = inp.match_for(sentence.unit)
    assert match is not None
    return set(amounts_in(sentence.text)) <= set(amounts_in(match.restated))


def _penalty_kind_reason(kind: DocumentKind) -> str:
    if kind in RULE_KINDS:
        return "规章只能在尚未制定法律、法规时设定警告、通报批评或者一定数额的罚款，不得设定其他种类的行政处罚，罚款也不得超过规定限额。"
    return "除法律、法规、规章外，其他规范性文件不得设定行政处罚。"


@register_check("qingli.penalty_creation.v1")
def check_penalty_creation(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Penalties set without a superior basis; for 规章, only types or amounts beyond their power."""
    may_set = tuple(rule.options.get("rule_kinds_may_set", _FINE_TYPES))

    def accept(sentence: Sentence, start: int, end: int) -> bool:
        if _restates_superior_penalty(inp, sentence):
            return False
        if inp.kind not in RULE_KINDS:
            return True
        evidence = inp.doc.text[start:end]
        if not any(t in evidence for t in may_set):
            return True  # 没收, 吊销, 责令停产停业 …: beyond any 规章
        if "罚款" in evidence or "元" in evidence:
            limit = (
                inp.limits.department_rule_fine
                if inp.kind is DocumentKind.DEPARTMENT_RULE
                else inp.limits.local_rule_fine
            )
            return any(a > limit for a in amounts_in(sentence.text))
        return False

    def fields(sentence: Sentence, start: int, end: int) -> Mapping[str, str]:
        return {"kind_reason": _penalty_kind_reason(inp.kind), "law": _law_ref(cited_law(sentence.text))}

    return pattern_hits(rule, inp, accept=accept, fields=fields)


_PROVINCIAL = re.compile(r"(省|自治区)人民政府|^(北京|天津|上海|重庆)市人民政府")


def _provincial(doc: ParsedDocument) -> bool:
    """Whether a government rule was made by a province-level government (省, 自治区, 直辖市)."""
    return any(_PROVINCIAL.search(t) for t in (doc.meta.issuer, doc.meta.doc_number) if t)


def _licence_kind_reason(kind: DocumentKind) -> str:
    if kind is DocumentKind.DEPARTMENT_RULE:
        return "部门规章只能在上位法设定的行政许可事项范围内作出具体规定，不得增设行政许可。"
    if kind is DocumentKind.LOCAL_GOVERNMENT_RULE:
        return "设区的市、自治州人民政府规章不得设定行政许可，只有省、自治区、直辖市人民政府规章可以设定临时性行政许可。"
    return "除法律、行政法规、地方性法规和省级政府规章（临时性许可）外，其他规范性文件一律不得设定行政许可。"


@register_check("qingli.licensing_creation.v1")
def check_licensing_creation(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Prior approvals, permits and 准入证 a document makes an activity depend on, without basis."""

    if inp.kind is DocumentKind.LOCAL_GOVERNMENT_RULE and _provincial(inp.doc):
        return ()  # 省级政府规章 may set temporary licences (行政许可法 第十五条)

    def accept(sentence: Sentence, start: int, end: int) -> bool:
        return not _restates_superior(inp, sentence, _SUPERIOR_LICENCE)

    def fields(sentence: Sentence, start: int, end: int) -> Mapping[str, str]:
        return {"kind_reason": _licence_kind_reason(inp.kind), "law": _law_ref(cited_law(sentence.text))}

    return pattern_hits(rule, inp, accept=accept, fields=fields)


# Words a superior article uses when it itself provides for a charge.
_SUPERIOR_FEE = re.compile(r"收取|缴纳|交纳|费|保证金|押金")


@register_check("qingli.unlawful_fee.v1")
def check_unlawful_fee(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Charges, deposits and levies without a superior basis; a clause restating a superior
    article that provides for the charge (可以收取适量管理费用) is not one."""

    def accept(sentence: Sentence, start: int, end: int) -> bool:
        return not _restates_superior(inp, sentence, _SUPERIOR_FEE)

    return pattern_hits(rule, inp, accept=accept)


@register_check("qingli.obligation_without_basis.v1")
def check_obligation_without_basis(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Restrictions and added duties on private parties that no superior provision supports.

    Duties a document lays on the administration's own staff and bodies (各部门不得…, 工作人员应当…)
    are excused by the catalogue entry, not here.
    """
    return pattern_hits(rule, inp)


def _law_ref(title: str | None) -> str:
    """How a suggestion names the superior law: 《title》 when the clause cites one, else 有关法律、法规."""
    return f"《{title}》" if title else "有关法律、法规"
