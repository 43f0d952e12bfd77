"""Retain, amend or repeal one document, from its findings, by a fixed and documented policy.

Policy (first that applies wins; docs/rules.md has the table):

1. Its own validity period has ended (`expired-validity`) or the task it exists for is over
   (`obsolete-subject` findings and `rules.checks.lifecycle.task_over`) → repeal, 宣布失效: nothing
   is wrong with it, it has simply run out. A past deadline in a lasting document is an outdated
   clause: step 3.
2. Its core purpose is unlawful → repeal, 废止: findings of core rules (penalty, licence, compulsory
   measure, fee, fair competition, added obligations) of high severity in at least `CORE_SHARE` of
   its substantive units, or its title names the very thing a core finding condemns
   (关于收取…保证金的通知 with an `unlawful-fee` finding).
3. Any other finding → amend, with one reason per problem.
4. No finding → retain.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.model import ClauseKind, ParsedDocument
from rules.catalogue import Catalogue, load_catalogue
from rules.checks.lifecycle import task_over
from rules.model import Decision, Finding, Recommendation, RepealKind, Severity

LIFECYCLE_RULES = ("expired-validity", "obsolete-subject")

# Share of a document's substantive units (articles / outline entries down to （一）, preamble and
# closing articles excluded) that must carry a high-severity core finding before the document as a whole
# exists to do something unlawful. Half: one unlawful article among several lawful ones is a
# matter for amendment; when most of it is unlawful there is nothing left to amend.
CORE_SHARE = 0.5

# Title words that show what a document is for, per core rule: a document titled for the unlawful
# matter itself cannot be amended into a lawful one.
TITLE_SUBJECT = {
    "penalty-creation": re.compile(r"处罚|罚款|惩戒|罚则"),
    "licensing-creation": re.compile(r"审批|许可|准入|核准|准营|准运|许可证"),
    "compulsory-measure-creation": re.compile(r"查封|扣押|暂扣|扣留|强制"),
    "unlawful-fee": re.compile(r"收费|收取|保证金|押金|风险金|费"),
    "fair-competition": re.compile(r"指定|定点|本地产品|本地企业|外地"),
}

# Closing articles (施行日期, 解释权) are not part of what a document regulates.
_CLOSING_ARTICLE = re.compile(r"^.{0,12}(自.{0,20}(施行|实施|执行)|由.{0,30}负责解释|有效期|此前.{0,20}废止)")


def _substantive_units(doc: ParsedDocument) -> list[tuple[int, int]]:
    """The smallest review units that regulate something: 一、（二） rather than 一、 when it has parts.

    Counting 一、二、三、 of an outline document would let three unlawful items in three sections
    of a ten-item 实施意见 read as "most of it"; each item is a provision of its own.
    """
    units = [c for c in doc.review_units() if c.kind is not ClauseKind.PREAMBLE]
    parents = {c.parent for c in units if c.parent is not None}
    leaves = [c for c in units if c.index not in parents]
    return [(c.start, c.end) for c in leaves if not _CLOSING_ARTICLE.search(c.text.strip())]


def _reason(f: Finding, catalogue: Catalogue) -> str:
    name = catalogue.get(f.rule).name if f.rule in catalogue.ids else f.rule
    return f"{f.clause_label}：{name}（“{f.evidence}”）"


def recommend(
    doc: ParsedDocument,
    findings: tuple[Finding, ...] | list[Finding],
    *,
    as_of: date,
    catalogue: Catalogue | None = None,
) -> Recommendation:
    """The retain / amend / repeal recommendation for one document on `as_of`, with Chinese reasons."""
    catalogue = catalogue or load_catalogue()
    findings = tuple(findings)
    day = f"{as_of.year}年{as_of.month}月{as_of.day}日"

    lifecycle = [f for f in findings if f.rule == "expired-validity"]
    obsolete = [f for f in findings if f.rule == "obsolete-subject"]
    if obsolete and "obsolete-subject" in catalogue.ids:
        units_with_past = len({f.clause_label for f in obsolete})
        if task_over(doc, catalogue.get("obsolete-subject"), as_of, units_with_past):
            lifecycle += obsolete
    if lifecycle:
        reasons = (
            *tuple(f.message for f in lifecycle[:3]),
            f"截至{day}，文件已不再具有适用条件，建议宣布失效。",
        )
        return Recommendation(
            Decision.REPEAL,
            reasons,
            RepealKind.DECLARE_INVALID,
            tuple(dict.fromkeys(f.rule for f in lifecycle)),
        )

    core = [
        f
        for f in findings
        if f.rule in catalogue.ids and catalogue.get(f.rule).core and f.severity is Severity.HIGH
    ]
    units = _substantive_units(doc)
    hit_units = {u for u in units for f in core if u[0] <= f.span[0] < u[1]}
    share = len(hit_units) / len(units) if units else 0.0
    title = " ".join(t for t in (doc.meta.title, doc.meta.wrapper_title) if t)
    # The title names the very thing the finding condemns (关于收取……保证金的通知 and a 保证金 finding);
    # a title that names a statutory licence the document implements (烟花爆竹零售经营许可管理办法)
    # while one clause adds an unlawful step does not make the whole document unlawful.
    titled = [
        f
        for f in core
        if f.rule in TITLE_SUBJECT
        and any(m.group(0) in f.evidence for m in TITLE_SUBJECT[f.rule].finditer(title))
    ]
    if core and (share >= CORE_SHARE or titled):
        why = (
            f"文件标题表明其主要内容即为{catalogue.get(titled[0].rule).name}"
            if titled
            else f"文件{len(hit_units)}/{len(units)}个条款存在违法设定权利义务的问题"
        )
        reasons = (
            f"{why}，制定目的本身缺乏合法依据，无法通过修改消除，建议废止。",
            *tuple(_reason(f, catalogue) for f in core[:5]),
        )
        return Recommendation(
            Decision.REPEAL, reasons, RepealKind.ABOLISH, tuple(dict.fromkeys(f.rule for f in core))
        )

    if findings:
        reasons = (*tuple(_reason(f, catalogue) for f in findings), "上述条款修改后，文件可以继续执行。")
        return Recommendation(Decision.AMEND, reasons, None, tuple(dict.fromkeys(f.rule for f in findings)))

    return Recommendation(
        Decision.RETAIN,
        (f"截至{day}，未发现与上位法不一致或者超越权限的内容，文件仍在有效期内，建议继续有效。",),
    )
