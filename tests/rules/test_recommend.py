"""The retain / amend / repeal policy."""

from __future__ import annotations

from rules.model import Decision, Finding, RepealKind, Severity
from rules.recommend import recommend
from tests.rules.rulekit import AS_OF, make_doc

RULES_TEXT = (
    "第一条 为了规范管理，制定本办法。\n第二条 摊贩须申领准营证后方可经营。\n第三条 违反的，处五百元罚款。\n"
    "第四条 摊贩应当保持摊位整洁。\n第五条 本办法自2019年4月1日起施行。"
)


def finding(
    doc_text: str, rule: str, clause: str, evidence: str, severity: Severity = Severity.HIGH
) -> Finding:
    start = doc_text.index(evidence)
    return Finding(rule, severity, clause, "", evidence, (start, start + len(evidence)), "问题", "建议")


def test_recommend_retains_document_without_findings() -> None:
    rec = recommend(make_doc(RULES_TEXT), [], as_of=AS_OF)
    assert rec.decision is Decision.RETAIN and rec.repeal_kind is None and rec.reasons


def test_recommend_amends_document_with_one_unlawful_clause() -> None:
    f = finding(RULES_TEXT, "penalty-creation", "第三条", "处五百元罚款")
    rec = recommend(make_doc(RULES_TEXT), [f], as_of=AS_OF)
    assert rec.decision is Decision.AMEND and rec.rules == ("penalty-creation",)


def test_recommend_abolishes_document_whose_core_is_unlawful() -> None:
    fs = [
        finding(RULES_TEXT, "licensing-creation", "第二条", "须申领准营证后方可"),
        finding(RULES_TEXT, "penalty-creation", "第三条", "处五百元罚款"),
    ]
    rec = recommend(make_doc(RULES_TEXT), fs, as_of=AS_OF)
    assert (rec.decision, rec.repeal_kind) == (Decision.REPEAL, RepealKind.ABOLISH)


def test_recommend_abolishes_document_titled_for_the_unlawful_matter() -> None:
    text = "一、建设单位应当缴纳保证金。\n二、做好宣传。\n三、加强监督。\n四、注重实效。"
    f = finding(text, "unlawful-fee", "一、", "缴纳保证金")
    rec = recommend(make_doc(text, title="关于收取建筑垃圾处置保证金的通知"), [f], as_of=AS_OF)
    assert (rec.decision, rec.repeal_kind) == (Decision.REPEAL, RepealKind.ABOLISH)


def test_recommend_does_not_abolish_for_medium_findings_alone() -> None:
    fs = [
        finding(RULES_TEXT, "obligation-without-basis", "第二条", "须申领准营证后方可", Severity.MEDIUM),
        finding(RULES_TEXT, "obligation-without-basis", "第四条", "摊贩应当保持摊位整洁", Severity.MEDIUM),
    ]
    assert recommend(make_doc(RULES_TEXT), fs, as_of=AS_OF).decision is Decision.AMEND


def test_recommend_declares_expired_document_invalid_even_with_other_findings() -> None:
    fs = [
        finding(RULES_TEXT, "penalty-creation", "第三条", "处五百元罚款"),
        finding(RULES_TEXT, "expired-validity", "第五条", "本办法自2019年4月1日起施行", Severity.HIGH),
    ]
    rec = recommend(make_doc(RULES_TEXT), fs, as_of=AS_OF)
    assert (rec.decision, rec.repeal_kind) == (Decision.REPEAL, RepealKind.DECLARE_INVALID)


PLAN_TEXT = "一、2019年底前全面完成城区燃煤锅炉淘汰。\n二、2020年6月底前基本完成黄标车淘汰。"


def test_recommend_declares_finished_task_invalid() -> None:
    found = [
        finding(PLAN_TEXT, "obsolete-subject", "一、", "2019年底前全面完成", Severity.MEDIUM),
        finding(PLAN_TEXT, "obsolete-subject", "二、", "2020年6月底前基本完成", Severity.MEDIUM),
    ]
    rec = recommend(make_doc(PLAN_TEXT, title="某市大气污染防治攻坚行动方案"), found, as_of=AS_OF)
    assert rec.repeal_kind is RepealKind.DECLARE_INVALID


def test_recommend_amends_standing_rules_with_a_spent_deadline() -> None:
    text = RULES_TEXT + "\n第六条 现有摊位应当于2019年底前完成改造。"
    f = finding(text, "obsolete-subject", "第六条", "2019年底前完成", Severity.MEDIUM)
    rec = recommend(make_doc(text, title="某市摊贩管理办法"), [f], as_of=AS_OF)
    assert rec.decision is Decision.AMEND


def test_recommend_amends_a_document_implementing_a_statutory_licence_it_is_titled_for() -> None:
    text = "一、申请零售许可前，应当先取得乡镇审核同意意见。\n二、做好宣传。\n三、加强监督。\n四、注重实效。"
    f = finding(text, "licensing-creation", "一、", "应当先取得乡镇审核同意意见")
    rec = recommend(make_doc(text, title="某县烟花爆竹零售经营许可管理办法"), [f], as_of=AS_OF)
    assert rec.decision is Decision.AMEND
