"""Checks over citations (already resolved against the corpus) and superior-article matches.

`repealed-citation` and `stale-article-citation` read `Resolution` statuses; `penalty-range-exceeded`
and `superior-conflict` read the structured differences of a `Match` (clause ↔ superior article).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rapidfuzz import fuzz

from extractors.model import DocumentKind
from extractors.numerals import chinese_to_int, int_to_chinese
from rules.catalogue import Rule
from rules.checks.base import CheckInput, Hit, register_check, sentence_at
from rules.checks.creation import RESTATEMENT_MIN_SCORE, amounts_in
from rules.model import CitationStatus, Difference, Match, Resolution

# Below this matcher score a clause is not taken to restate the superior article, so differences
# between the two mean nothing. Same figure as creation.RESTATEMENT_MIN_SCORE, for the same reason.
RANGE_MIN_SCORE = RESTATEMENT_MIN_SCORE
# A changed modality or condition is only a conflict if the clause really restates the article:
# the matcher's own floor for "restates" (rules.matcher.MIN_MATCH_SCORE, calibrated on held-out laws).
CONFLICT_MIN_SCORE = 75.0
# Warnings and 通报批评 are lighter than any fine; listing one beside a superior's fine does not
# make a clause harsher than its superior, so they never count as an added penalty type.
_LIGHT_SANCTIONS = ("警告", "通报批评")
_QUANTITY = re.compile(
    r"[0-9０-９一二两三四五六七八九十百千万]+\s*(个)?(工作日|日|天|月|年|%|％|元|人|次|倍|小时)"
)

_MODAL = re.compile(r"(应当|必须|可以|不得|应(?!当))")
_MODAL_NAME = {"应当": "应当", "应": "应当", "必须": "应当", "可以": "可以", "不得": "不得"}
# Characters after a modal verb that identify what it governs (告知当事人, 组织听证): two are too
# few (作出 is everywhere), four keep 允许申请人 apart from 允许其他人.
_GOVERNED_CHARS = 4
# A time limit: "三十日内", "七日以前", or "不得超过六十日" (a cap written before the number).
_TIME_NUMBER = r"([0-9０-９]{1,3}|[一二两三四五六七八九十百]+)\s*个?\s*(工作日|日|天|月|年|小时)"
# How often something must be done: 每年, 每两年, 每季度 (至少…一次).
_FREQUENCY = re.compile(r"每\s*([一二两三四五六七八九十0-9]*)\s*个?\s*(年|月|季度|半年|周|日|天)")
_TIME_LIMIT = re.compile(
    rf"(?:不得超过|不超过|最长不超过|最长|最多|期限(?:一般)?为|延长|提前)\s*{_TIME_NUMBER}"
    rf"|{_TIME_NUMBER}\s*(?:内|以内|之内|以前|之前)"
)
# Fines as multiples of a base (违法所得、货值金额、销售金额): "一倍以上三倍以下", "五倍以下".
_MULTIPLE = re.compile(r"([0-9０-９]+|[一二两三四五六七八九十]+)\s*倍")
_PENALTY_TYPES = (
    "罚款",
    "没收",
    "吊销",
    "暂扣",
    "拘留",
    "责令停产停业",
    "责令关闭",
    "停业整顿",
    "降低资质等级",
)

_PENALTY_WORD = re.compile(
    r"罚款|没收|吊销|暂扣(?=[^，。；]{0,6}(?:许可证|执照|证照|驾驶证|证件))|拘留|警告|通报批评|责令停产停业|责令关闭|停业整顿"
)


def _citation_hits(rule: Rule, inp: CheckInput, statuses: set[CitationStatus]) -> Iterator[Hit]:
    seen: set[tuple[int, int]] = set()
    for resolution in inp.resolutions:
        if resolution.status not in statuses:
            continue
        start, end = resolution.citation.span
        sentence = sentence_at(inp, start)
        if sentence is None or end <= start or sentence.start + len(sentence.text) < end:
            continue  # outside every review unit (e.g. the 红头 or title): not a clause's citation
        if (sentence.start, sentence.end) in seen:
            continue
        seen.add((sentence.start, sentence.end))
        yield Hit.in_sentence(
            rule, sentence, start, end, _citation_fields(inp.doc.text[start:end], resolution)
        )


def _citation_fields(evidence: str, resolution: Resolution) -> dict[str, str]:
    cited = resolution.law_title or resolution.citation.law_title or "该法"
    current = (
        f"第{int_to_chinese(resolution.current_article)}条"
        if resolution.current_article
        else "现行有效的相应条文"
    )
    if resolution.status is CitationStatus.NO_SUCH_ARTICLE:
        default_note = "现行版本中没有该条"
    elif resolution.status is CitationStatus.OLD_VERSION:
        default_note = f"该条在现行版本中已调整为{current}或内容已修改"
    else:
        default_note = ""
    note = resolution.note or default_note
    if resolution.status is CitationStatus.REPEALED_LAW and note:
        note = f"（{note}）"
    return {
        "evidence": evidence,
        "cited": cited.strip("《》"),
        "note": note,
        "successor": f"《{resolution.successor}》" if resolution.successor else "法律、法规",
        "current": current,
    }


@register_check("qingli.repealed_citation.v1")
def check_repealed_citation(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Citations of laws repealed or no longer in force on `as_of`."""
    return _citation_hits(rule, inp, {CitationStatus.REPEALED_LAW})


@register_check("qingli.stale_article_citation.v1")
def check_stale_article_citation(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Citations of articles that moved, changed, or do not exist in the version in force."""
    return _citation_hits(rule, inp, {CitationStatus.OLD_VERSION, CitationStatus.NO_SUCH_ARTICLE})


def _bounds(values: list[int], text: str) -> tuple[int | None, int]:
    """(lower, upper) of an amount range as written; a lone amount with 以下/以内 is a cap only."""
    if len(values) >= 2:
        return min(values), max(values)
    capped = re.search(r"(以下|以内|之内|不超过|最高)", text) is not None
    return (None if capped else values[0]), values[0]


def exceeds_superior(diff: Difference) -> bool:
    """Whether a difference raises a penalty: a higher amount or a penalty type the superior lacks."""
    if diff.aspect == "amount":
        mine, theirs = amounts_in(diff.clause_value), amounts_in(diff.superior_value)
        if not mine:
            mine_x, theirs_x = multiples_in(diff.clause_value), multiples_in(diff.superior_value)
            return bool(mine_x and theirs_x) and max(mine_x) > max(theirs_x)
        if not theirs:
            return True
        (my_low, my_high), (their_low, their_high) = (
            _bounds(mine, diff.clause_value),
            _bounds(theirs, diff.superior_value),
        )
        raised_floor = my_low is not None and their_low is not None and my_low > their_high
        return my_high > their_high or raised_floor
    if diff.aspect == "sanction":
        added = [
            w
            for w in _PENALTY_WORD.findall(diff.clause_value)
            if w not in diff.superior_value and w not in _LIGHT_SANCTIONS
        ]
        return bool(added)
    return False


_REVERSAL = re.compile(r"^\s*不得")


def _set_by_a_rival(match: Match, clause: str) -> bool:
    """Whether a rival article states every amount of the clause's fines."""
    mine = set(amounts_in(clause))
    return bool(mine) and any(mine <= set(amounts_in(rival)) for rival in match.rivals)


def tightens_discretion(diff: Difference) -> bool:
    """可以 → 应当: the clause binds where the superior permits (应当邀请 for 可以邀请).

    Implementing texts may narrow a discretion the superior leaves open; that is no conflict. The
    other changes loosen a duty (应当 → 可以), allow what is forbidden (不得 → 可以) or forbid what is
    allowed (可以 → 不得), and are.
    """
    mine, theirs = _MODAL.match(diff.clause_value.strip()), _MODAL.match(diff.superior_value.strip())
    if mine is None or theirs is None:
        return False
    return _MODAL_NAME[mine.group(1)] == "应当" and _MODAL_NAME[theirs.group(1)] == "可以"


def lowers_superior(diff: Difference) -> bool:
    """Whether an amount difference lowers the superior's cap (a conflict, not an excess).

    Setting a floor inside the superior's range, or repeating its cap, is no conflict.
    """
    if diff.aspect != "amount":
        return False
    mine, theirs = amounts_in(diff.clause_value), amounts_in(diff.superior_value)
    if not (mine and theirs):
        return False
    return _bounds(mine, diff.clause_value)[1] < _bounds(theirs, diff.superior_value)[1] and len(mine) == len(
        theirs
    )


def _number(written: str) -> int | None:
    """30, ３０ or 三十 as an integer."""
    raw = written.translate(_FULLWIDTH_DIGITS)
    return int(raw) if raw.isdigit() else chinese_to_int(raw)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _limits(text: str) -> dict[str, dict[int, str]]:
    """Time limits by unit: value -> the limit as written (三十日内)."""
    found: dict[str, dict[int, str]] = {}
    for m in _TIME_LIMIT.finditer(text):
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        value = _number(number)
        if value is not None:
            found.setdefault(unit.replace("天", "日").replace("个月", "月"), {}).setdefault(value, m.group(0))
    return found


def _frequencies(text: str) -> dict[str, str]:
    """每两年 → {"2年": "每两年"}; 每年 → {"1年": "每年"}."""
    found: dict[str, str] = {}
    for m in _FREQUENCY.finditer(text):
        count = _number(m.group(1)) if m.group(1) else 1
        if count is not None:
            found.setdefault(f"{count}{m.group(2).replace('天', '日')}", m.group(0))
    return found


def _has_type(text: str, penalty: str) -> bool:
    """Whether `text` sets penalty type `penalty`; 暂扣 of tools or goods is a compulsory measure."""
    if penalty == "暂扣":
        return re.search(r"暂扣[^，。；]{0,6}(许可证|执照|证照|驾驶证|证件)", text) is not None
    return penalty in text


def _closest_paragraph(clause: str, superior: str) -> str:
    """The paragraph (款) of the superior article the clause is closest to, for time limits.

    烟花爆竹安全管理条例 第十九条 gives 30日 for wholesale in one 款 and 20日 for retail in the next;
    a retail clause's 三十日 differs from the one that applies to it.
    """
    paragraphs = [p for p in superior.split("\n") if p.strip() and _TIME_LIMIT.search(p)]
    if len(paragraphs) < 2:
        return superior
    return max(paragraphs, key=lambda p: fuzz.ratio(clause, p, processor=None))


def multiples_in(text: str) -> list[int]:
    """The multiples a fine is set in (一倍以上三倍以下 → [1, 3])."""
    values = []
    for m in _MULTIPLE.finditer(text):
        value = _number(m.group(1))
        if value is not None:
            values.append(value)
    return values


_WRITTEN_MULTIPLE = re.compile(r"[^，。；：]{0,20}倍[^，。；：]{0,12}罚款")


def in_condition(clause: str, value: str) -> bool:
    """Whether `value` stands in a condition of the clause (…罚款或者警告的行政处罚的，), not its consequence."""
    at = clause.find(value) if value else -1
    if at < 0:
        return False
    end = re.compile(r"[，,。；;：:]").search(clause, at + len(value))
    piece = clause[at : end.start() if end else len(clause)]
    return piece.rstrip().endswith("的")


def compare_provisions(clause: str, superior: str, *, by_tier: bool = True) -> tuple[Difference, ...]:
    """Penalty, time-limit and modality differences between a clause and the article it restates.

    Used when the matcher supplied no differences of its own. Deliberately narrow: a fine range
    above the superior's, a penalty type the superior lacks, a different time limit in the same
    unit, or the same governed words under another modal verb (应当告知 → 可以告知).
    """
    diffs: list[Difference] = []
    for party, mine_text, theirs_text in _fines_by_party(clause, superior, by_tier=by_tier):
        mine, theirs = amounts_in(mine_text), amounts_in(theirs_text)
        if mine and theirs and max(mine) > max(theirs):
            who = f"对{party}" if party else ""
            diffs.append(
                Difference(
                    "amount",
                    _written_fine(mine_text, max(mine)),
                    _written_fine(theirs_text, max(theirs)),
                    f"{who}罚款幅度（最高{max(mine)}元）超过上位法规定的上限（{max(theirs)}元）",
                )
            )
    mine_x, theirs_x = multiples_in(clause), multiples_in(superior)
    if "罚款" in clause and mine_x and theirs_x and max(mine_x) > max(theirs_x):
        mine_written = _WRITTEN_MULTIPLE.search(clause)
        theirs_written = _WRITTEN_MULTIPLE.search(superior)
        diffs.append(
            Difference(
                "amount",
                mine_written.group(0) if mine_written else f"{max(mine_x)}倍",
                theirs_written.group(0) if theirs_written else f"{max(theirs_x)}倍",
                f"罚款倍数（最高{max(mine_x)}倍）超过上位法规定的上限（{max(theirs_x)}倍）",
            )
        )
    if _PENALTY_WORD.search(superior):
        added = [t for t in _PENALTY_TYPES if _has_type(clause, t) and not _has_type(superior, t)]
        if added:
            present = "、".join(t for t in _PENALTY_TYPES if t in superior) or "其他处罚"
            diffs.append(
                Difference(
                    "sanction",
                    "、".join(added),
                    present,
                    f"增加了上位法没有规定的处罚种类（{'、'.join(added)}）",
                )
            )
    clause_limits, superior_limits = _limits(clause), _limits(_closest_paragraph(clause, superior))
    for unit, values in clause_limits.items():
        theirs_values = superior_limits.get(unit)
        if theirs_values and not values.keys() & theirs_values.keys():
            written = "、".join(theirs_values[v] for v in sorted(theirs_values))
            diffs.append(
                Difference(
                    "condition",
                    next(iter(values.values())),
                    written,
                    f"期限与上位法规定不一致（上位法为{written}）",
                )
            )
    mine_f, theirs_f = _frequencies(clause), _frequencies(superior)
    if mine_f and theirs_f and not mine_f.keys() & theirs_f.keys():
        written = "、".join(theirs_f.values())
        diffs.append(
            Difference(
                "condition",
                next(iter(mine_f.values())),
                written,
                f"频次与上位法规定不一致（上位法为{written}）",
            )
        )
    for m in _MODAL.finditer(clause):
        governed = clause[m.end() : m.end() + _GOVERNED_CHARS]
        if len(governed) < _GOVERNED_CHARS or not re.fullmatch(r"[\u4e00-\u9fff]+", governed):
            continue
        theirs_modals = [
            o.group(1)
            for o in _MODAL.finditer(superior)
            if superior[o.end() : o.end() + _GOVERNED_CHARS] == governed
        ]
        names = {_MODAL_NAME[t] for t in theirs_modals}
        if names and _MODAL_NAME[m.group(1)] not in names:
            diffs.append(
                Difference(
                    "modality",
                    m.group(1) + governed,
                    theirs_modals[0] + governed,
                    f"上位法规定“{theirs_modals[0]}{governed}”，该条款改为“{m.group(1)}{governed}”",
                )
            )
    return tuple(diffs)


_PARTY_FINE = re.compile(r"对(个人|单位|法人|其他组织|直接负责的主管人员)[^。；]*?罚款")
# The superior's fine for one party written as its own sentence: "个人有前款规定行为之一的，处…罚款".
_PARTY_SENTENCE_FINE = re.compile(r"(?:对)?(个人|单位)(?:有[^，。；]{0,24}的)?[，,]?[^。；]{0,30}?罚款")
_WRITTEN_FINE = re.compile(r"(?:处以?|并处|罚款)[^，。；：]{0,40}?罚款|[^，。；：]{0,30}罚款")


def _fines_by_party(clause: str, superior: str, *, by_tier: bool = True) -> list[tuple[str, str, str]]:
    """(party, clause text, superior text) to compare fines on: per 个人 / 单位 where both name them."""
    mine = {m.group(1): m.group(0) for m in _PARTY_FINE.finditer(clause)}
    theirs = {m.group(1): m.group(0) for m in _PARTY_FINE.finditer(superior)}
    shared = [p for p in mine if p in theirs]
    if shared:
        return [(p, mine[p], theirs[p]) for p in shared]
    # A clause about one party only (个人擅自占用……的，处……罚款) against a superior that fines
    # each party in its own sentence: compare with that party's fine.
    parties = {p for p in ("个人", "单位") if p in clause}
    per_party = {
        m.group(1): m.group(0) for m in _PARTY_SENTENCE_FINE.finditer(superior) if amounts_in(m.group(0))
    }
    if (
        len(parties) == 1
        and "罚款" in clause
        and (party := parties.pop()) in per_party
        and len(per_party) > 1
    ):
        return [(party, clause, per_party[party])]
    tiered = _fines_by_tier(clause, superior) if by_tier else []
    if tiered:
        return tiered
    if "罚款" in clause and "罚款" in superior:
        return [("", clause, superior)]
    return []


# Where a fine steps up: 处三千元以上三万元以下罚款；情节严重的，……并处三万元以上十万元以下罚款.
_ESCALATION = re.compile(r"情节(?:较重|严重|特别严重)|逾期(?:不|未)改正|拒不改正|造成严重后果")
_TIER_BREAK = re.compile(r"[；;]|(?=情节(?:较重|严重|特别严重)的)|(?=逾期(?:不|未)改正的)|(?=拒不改正的)")


def _fines_by_tier(clause: str, superior: str) -> list[tuple[str, str, str]]:
    """Pairs of fine tiers when both texts step their fines up in the same number of tiers.

    Compared as a whole, a clause that raised the first tier (5千–5万 for 3千–3万) and kept the
    top (10万) exceeds nothing; tier by tier it does.
    """

    def tiers(text: str) -> list[str]:
        return [p for p in _TIER_BREAK.split(text) if "罚款" in p and amounts_in(p)]

    mine, theirs = tiers(clause), tiers(superior)
    if len(mine) == 1 and len(theirs) >= 2 and not _ESCALATION.search(clause):
        return [("", mine[0], theirs[0])]  # one plain fine restates the superior's base tier
    if len(mine) < 2 or len(mine) != len(theirs):
        return []
    return [("", a, b) for a, b in zip(mine, theirs, strict=True)]


def _written_fine(text: str, top: int) -> str:
    """The fine as written (处五千元以上五万元以下罚款) that states `top`, for evidence and messages."""
    for m in _WRITTEN_FINE.finditer(text):
        if top in amounts_in(m.group(0)):
            return m.group(0)
    return f"{top}元"


def _quantity_key(m: re.Match[str]) -> str:
    """A quantity with its number as an integer: 150人 and 一百五十人 are one quantity."""
    written = m.group(0)
    number = re.match(r"[0-9０-９一二两三四五六七八九十百千万]+", written)
    if number is None:
        return written
    value = _number(number.group(0))
    return f"{value}{written[number.end() :]}" if value is not None else written


def plausible(diff: Difference, superior: str) -> bool:
    """Whether a matcher difference says something a reviewer should see.

    A modality change counts only when the same action follows both modal verbs (应当告知 → 可以告知,
    not 必须符合 → 不得超过, which say the same thing); a condition only when both sides state one
    and neither contains the other (经责令改正拒不改正的 restates 拒不改正的).
    """
    if diff.aspect == "modality":
        clause_modal = _MODAL.match(diff.clause_value)
        mine = _MODAL.sub("", diff.clause_value, count=1)
        theirs = _MODAL.sub("", diff.superior_value, count=1)
        if len(mine) < 2 or mine[:2] != theirs[:2]:
            return False
        # The superior may say the same thing elsewhere in the article (应在选举日以前 beside 可以在选举日的五日以前).
        same = [
            o
            for o in _MODAL.finditer(superior)
            if superior[o.end() : o.end() + 2] == mine[:2]
            and clause_modal is not None
            and _MODAL_NAME[o.group(1)] == _MODAL_NAME[clause_modal.group(1)]
        ]
        return not same
    if diff.aspect == "condition":
        # Rewordings of a condition are everywhere in implementing texts (实施办法 restate and
        # specify); only a changed quantity — a time limit, a count, a share — is a conflict.
        a, b = diff.clause_value.strip(), diff.superior_value.strip()
        mine_q = {_quantity_key(q) for q in _QUANTITY.finditer(a)}
        theirs_q = {_quantity_key(q) for q in _QUANTITY.finditer(b)}
        return bool(a and b and mine_q and theirs_q) and a not in b and b not in a and mine_q != theirs_q
    if diff.aspect == "sanction":
        # An "added" penalty type means something only against an article that sets penalties.
        return bool(diff.clause_value.strip()) and _PENALTY_WORD.search(superior) is not None
    return True


def _differences(match: Match, inp: CheckInput) -> tuple[Difference, ...]:
    """The matcher's plausible differences, plus ours for aspects it did not report."""
    theirs = [d for d in match.differences if plausible(d, match.restated)]
    unit = next((s.unit for s in inp.sentences if s.unit.label == match.clause_label), None)
    clause = match.excerpt or (unit.text if unit is not None else "")
    # Tier by tier only against a confident match: below it, a fine compared with some article's
    # base tier is as likely a neighbour's (a promotion fine against 电影管理条例).
    by_tier = match.score >= CONFLICT_MIN_SCORE
    ours = compare_provisions(clause, match.restated, by_tier=by_tier) if clause else ()
    covered = {d.aspect for d in theirs}
    # Our tier-by-tier fines may find an excess the matcher's pairing of amounts missed.
    raised = not any(exceeds_superior(d) for d in theirs)
    return tuple(theirs) + tuple(
        d
        for d in ours
        if d.aspect not in covered or (raised and d.aspect == "amount" and exceeds_superior(d))
    )


def _match_hit(rule: Rule, inp: CheckInput, match: Match, diffs: list[Difference]) -> Hit | None:
    unit = next((s.unit for s in inp.sentences if s.unit.label == match.clause_label), None)
    if unit is None:
        return None
    start, end = unit.start, unit.end
    for diff in diffs:
        value = diff.clause_value.strip()
        at = inp.doc.text.find(value, unit.start, unit.end) if value else -1
        if at >= 0:
            start, end = at, at + len(value)
            break
    else:
        first = next(s for s in inp.sentences if s.unit.label == match.clause_label)
        start, end = first.start, first.end
    sentence = sentence_at(inp, start)
    bounds = (sentence.start, sentence.end) if sentence else (start, end)
    return Hit(
        rule.id,
        unit,
        start,
        end,
        bounds,
        {
            "evidence": inp.doc.text[start:end],
            "detail": "；".join(d.detail for d in diffs),
            "superior_law": match.superior.law_title,
            "superior_article": int_to_chinese(match.superior.article),
        },
        superior=match.superior,
        score=match.score,
    )


# Regulations the NPC Standing Committee authorised to vary laws and administrative regulations:
# 经济特区法规, 浦东新区法规 (2021-06-10 decision), 海南自由贸易港法规 (海南自由贸易港法 第十条).
_AUTHORISED_VARIATION = re.compile(r"经济特区|浦东新区|自由贸易港")
# A superior article that leaves the matter to local rules (由省、自治区、直辖市……规定, 具体办法由……制定)
# is not departed from by the local rule that supplies it.
_DELEGATES = re.compile(
    r"由[^，。；]{0,30}(省、自治区、直辖市|地方性法规|人民代表大会及其常务委员会)[^，。；]{0,20}(规定|制定)"
    r"|具体(办法|标准|实施办法)[^，。；]{0,10}由[^，。；]{0,30}(规定|制定)"
)


def _diff_hits(rule: Rule, inp: CheckInput, wanted: bool) -> Iterator[Hit]:
    if not rule.applies_to(inp.kind):
        return
    title = " ".join(t for t in (inp.doc.meta.title, inp.doc.meta.wrapper_title) if t)
    if inp.kind is DocumentKind.LOCAL_REGULATION and _AUTHORISED_VARIATION.search(title):
        return  # authorised to vary the superior law: a difference is the point, not a conflict
    for match in inp.matches:
        if match.score < RANGE_MIN_SCORE:
            continue
        if not wanted and match.via == "conduct":
            continue  # a conduct found its penalty provision; the rest of that article is not compared
        if not wanted and _DELEGATES.search(match.restated):
            continue
        confident = match.score >= CONFLICT_MIN_SCORE
        differences = _differences(match, inp)
        unit_text = next((s.unit.text for s in inp.sentences if s.unit.label == match.clause_label), "")
        # An amount inside a condition (对公民处以二百元以下罚款的行政处罚的，可以当场作出) sets no
        # penalty: changing it changes when a procedure applies — a conflict, not a harsher fine.
        conditional = {
            d for d in differences if d.aspect == "amount" and in_condition(unit_text, d.clause_value)
        }
        if wanted and _set_by_a_rival(match, match.excerpt or unit_text):
            continue  # an almost equally close article sets these very amounts: the clause restates it
        if wanted:
            # Below the matcher's own floor only a raised amount is evidence of a restatement (it
            # is what lowered the score); an "added" penalty type against a weak match is a
            # neighbour's topic, not a restatement (拒不整改的，责令停业整顿 against any article).
            diffs = [
                d
                for d in differences
                if d not in conditional and exceeds_superior(d) and (d.aspect == "amount" or confident)
            ]
        elif confident:
            diffs = [
                d
                for d in differences
                if (d.aspect == "modality" and not tightens_discretion(d))
                or d.aspect == "condition"
                or lowers_superior(d)
                or d in conditional
            ]
        else:
            # Below the floor, as a raised fine does, a reversed modal verb over the same action
            # (不得收回承包地 → 可以收回承包地) is what lowered the score; nothing else counts there.
            diffs = [
                d
                for d in differences
                if d.aspect == "modality"
                and _REVERSAL.search(d.superior_value)
                and not tightens_discretion(d)
            ]
        if diffs:
            hit = _match_hit(rule, inp, match, diffs)
            if hit is not None:
                yield hit


@register_check("qingli.penalty_range_exceeded.v1")
def check_penalty_range_exceeded(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Restated superior penalties with a higher amount or an added penalty type."""
    return _diff_hits(rule, inp, wanted=True)


@register_check("qingli.superior_conflict.v1")
def check_superior_conflict(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Restated superior provisions with a different modality (可以/应当/不得) or conditions."""
    return _diff_hits(rule, inp, wanted=False)
