"""Rules over resolved citations and superior-article matches."""

from __future__ import annotations

import pytest

from rules.catalogue import load_catalogue
from rules.checks import CHECKS, Hit
from rules.checks.references import compare_provisions, exceeds_superior, plausible
from rules.model import ArticleRef, Citation, CitationStatus, Difference, Match, Resolution
from tests.rules.rulekit import check_input, make_doc

LEASE = "第一条 为了规范房屋租赁，根据《中华人民共和国合同法》，制定本办法。\n第二条 租赁当事人应当依照《中华人民共和国民法典》签订书面合同。"


def run(rule_id: str, text: str, **kw: object) -> list[Hit]:
    rule = load_catalogue().get(rule_id)
    return list(CHECKS[rule.check](rule, check_input(make_doc(text), **kw)))  # type: ignore[arg-type]


def resolution(text: str, cited: str, status: CitationStatus, **kw: object) -> Resolution:
    start = text.index(cited)
    cite = Citation(raw=cited, law_title=cited.strip("《》"), span=(start, start + len(cited)))
    return Resolution(cite, status, **kw)  # type: ignore[arg-type]


def test_repealed_citation_fires_on_repealed_law() -> None:
    res = resolution(
        LEASE, "《中华人民共和国合同法》", CitationStatus.REPEALED_LAW, successor="中华人民共和国民法典"
    )
    found = run("repealed-citation", LEASE, resolutions=(res,))
    assert [(h.unit.label, LEASE[h.start : h.end]) for h in found] == [("第一条", "《中华人民共和国合同法》")]


def test_repealed_citation_silent_on_law_in_force() -> None:
    res = resolution(LEASE, "《中华人民共和国民法典》", CitationStatus.OK)
    assert run("repealed-citation", LEASE, resolutions=(res,)) == []


@pytest.mark.parametrize("status", [CitationStatus.NO_SUCH_ARTICLE, CitationStatus.OLD_VERSION])
def test_stale_article_citation_fires(status: CitationStatus) -> None:
    text = "三、行政许可的听证，依照《中华人民共和国行政许可法》第八十八条的规定组织。"
    res = resolution(text, "《中华人民共和国行政许可法》第八十八条", status)
    assert len(run("stale-article-citation", text, resolutions=(res,))) == 1


@pytest.mark.parametrize(
    "status", [CitationStatus.OK, CitationStatus.UNKNOWN_LAW, CitationStatus.REPEALED_LAW]
)
def test_stale_article_citation_silent_on_other_statuses(status: CitationStatus) -> None:
    text = "三、行政许可的听证，依照《中华人民共和国行政许可法》第四十八条的规定组织。"
    res = resolution(text, "《中华人民共和国行政许可法》第四十八条", status)
    assert run("stale-article-citation", text, resolutions=(res,)) == []


ROAD_90 = (
    "第九十条 机动车驾驶人违反道路交通安全法律、法规关于道路通行规定的，处警告或者二十元以上二百元以下罚款。"
)


def test_penalty_range_exceeded_fires_on_higher_fine() -> None:
    text = "第二条 机动车驾驶人违反道路通行规定的，处警告或者二百元以上二千元以下罚款。"
    match = Match("第二条", ArticleRef("中华人民共和国道路交通安全法", None, 90, ROAD_90), 66.0)
    found = run("penalty-range-exceeded", text, matches=(match,))
    assert len(found) == 1 and found[0].superior is not None and found[0].score == 66.0


def test_penalty_range_exceeded_silent_on_same_fine() -> None:
    text = "第二条 机动车驾驶人违反道路通行规定的，处警告或者二十元以上二百元以下罚款。"
    match = Match("第二条", ArticleRef("中华人民共和国道路交通安全法", None, 90, ROAD_90), 90.0)
    assert run("penalty-range-exceeded", text, matches=(match,)) == []


def test_penalty_range_exceeded_silent_below_match_threshold() -> None:
    text = "第二条 机动车驾驶人违反道路通行规定的，处二百元以上二千元以下罚款。"
    match = Match("第二条", ArticleRef("中华人民共和国道路交通安全法", None, 90, ROAD_90), 40.0)
    assert run("penalty-range-exceeded", text, matches=(match,)) == []


LICENCE_42 = "第四十二条 除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。"


def test_superior_conflict_fires_on_changed_time_limit() -> None:
    text = (
        "一、除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起三十日内作出行政许可决定。"
    )
    match = Match("一、", ArticleRef("中华人民共和国行政许可法", None, 42, LICENCE_42), 85.0)
    found = run("superior-conflict", text, matches=(match,))
    assert [text[h.start : h.end] for h in found] == ["三十日内"]


def test_superior_conflict_fires_on_weakened_modality() -> None:
    text = "一、行政机关在作出行政处罚决定之前，可以告知当事人拟作出的行政处罚内容。"
    superior = (
        "第四十四条 行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据。"
    )
    match = Match("一、", ArticleRef("中华人民共和国行政处罚法", None, 44, superior), 87.0)
    assert len(run("superior-conflict", text, matches=(match,))) == 1


def test_superior_conflict_silent_on_faithful_restatement() -> None:
    match = Match("一、", ArticleRef("中华人民共和国行政许可法", None, 42, LICENCE_42), 95.0)
    text = (
        "一、除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。"
    )
    assert run("superior-conflict", text, matches=(match,)) == []


def test_superior_conflict_silent_on_topic_neighbour() -> None:
    text = "第二条 行政执法机关作出行政处罚决定后，应当在七个工作日内公开行政处罚决定信息。"
    superior = "第十条 市场监督管理部门应当自作出行政处罚决定之日起二十个工作日内公示。"
    match = Match("第二条", ArticleRef("市场监督管理行政处罚信息公示规定", None, 10, superior), 55.0)
    assert run("superior-conflict", text, matches=(match,)) == []


@pytest.mark.parametrize(
    ("diff", "expected"),
    [
        (Difference("amount", "二百元以上二千元以下", "二十元以上二百元以下", ""), True),
        (Difference("amount", "十元以上一百元以下", "二十元以上二百元以下", ""), False),
        (Difference("sanction", "没收", "罚款", ""), True),
        (Difference("sanction", "警告", "罚款", ""), False),
        (Difference("modality", "应当", "可以", ""), False),
    ],
)
def test_exceeds_superior_only_for_harsher_penalty(diff: Difference, expected: bool) -> None:
    assert exceeds_superior(diff) is expected


@pytest.mark.parametrize(
    ("diff", "expected"),
    [
        (Difference("modality", "可以告知当事", "应当告知当事", ""), True),
        (Difference("modality", "不得超过国家", "必须符合国家", ""), False),
        (Difference("condition", "经责令改正拒不改正的", "拒不改正的", ""), False),
        (Difference("condition", "", "房屋出租人将房屋出租给无身份证件的人居住的", ""), False),
    ],
)
def test_plausible_rejects_paraphrase_differences(diff: Difference, expected: bool) -> None:
    assert plausible(diff, "处罚款") is expected


def test_compare_provisions_reports_added_penalty_type() -> None:
    diffs = compare_provisions(
        "处五千元以上五万元以下罚款，并处没收违法所得。", "处五千元以上五万元以下罚款。"
    )
    assert [d.aspect for d in diffs] == ["sanction"]


def test_plausible_rejects_modality_the_superior_also_uses() -> None:
    superior = "申诉人可以在选举日的五日以前向人民法院起诉，人民法院应在选举日以前作出判决。"
    diff = Difference("modality", "应当在选举日", "可以在选举日", "")
    assert plausible(diff, superior) is False


def test_compare_provisions_compares_fines_per_party_and_quotes_them() -> None:
    superior = (
        "拒不改正的，给予警告，对个人可以处二百元以上一千元以下的罚款，对单位可以处二千元以上二万元以下的罚款"
    )
    clause = "拒不改正的，对个人处五百元以上五千元以下罚款，对单位处二千元以上二万元以下罚款"
    (diff,) = [d for d in compare_provisions(clause, superior) if d.aspect == "amount"]
    assert diff.clause_value == "对个人处五百元以上五千元以下罚款"
    assert "对个人" in diff.detail
    assert exceeds_superior(diff)


def test_added_penalty_type_needs_a_confident_match() -> None:
    text = "第七条 市场开办者拒不整改的，责令停业整顿。"
    superior = ArticleRef(
        "某某条例",
        None,
        72,
        "经营者未按规定贮存食品的，责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款。",
    )
    weak = Match("第七条", superior, 68.0)
    assert run("penalty-range-exceeded", text, matches=(weak,)) == []
    strong = Match("第七条", superior, 80.0)
    assert len(run("penalty-range-exceeded", text, matches=(strong,))) == 1


def test_time_limits_are_read_with_caps_and_before_dates() -> None:
    superior = "查封、扣押的期限不得超过三十日；延长期限不得超过三十日。会议召开十五日以前通知。"
    diffs = compare_provisions("延长期限不得超过六十日。", superior)
    assert [(d.aspect, d.clause_value) for d in diffs] == [("condition", "不得超过六十日")]
    diffs = compare_provisions("会议召开七日以前通知全体业主。", superior)
    assert [(d.aspect, d.clause_value) for d in diffs] == [("condition", "七日以前")]


def test_fines_in_multiples_are_compared() -> None:
    diffs = compare_provisions(
        "销售假冒产品的，没收违法所得，并处违法所得三倍以上五倍以下的罚款。",
        "销售假冒产品的，没收违法所得，可以并处违法所得一倍以上三倍以下的罚款。",
    )
    (amount,) = [d for d in diffs if d.aspect == "amount"]
    assert exceeds_superior(amount)


def test_amount_in_a_condition_is_a_conflict_not_a_harsher_fine() -> None:
    text = "第三条 对公民处以五百元以下罚款的行政处罚的，执法人员可以当场作出决定。"
    superior = ArticleRef(
        "某某处罚法", None, 51, "对公民处以二百元以下罚款的行政处罚的，可以当场作出行政处罚决定。"
    )
    match = Match("第三条", superior, 95.0, compare_provisions(text, superior.text))
    assert run("penalty-range-exceeded", text, matches=(match,)) == []
    assert len(run("superior-conflict", text, matches=(match,))) == 1


def test_binding_what_the_superior_permits_is_no_conflict() -> None:
    text = "第五条 审议法规案时，应当邀请有关代表列席会议。"
    superior = ArticleRef("某某法", None, 18, "审议法规案时，可以邀请有关代表列席会议。")
    tightened = Match("第五条", superior, 95.0, compare_provisions(text, superior.text))
    assert run("superior-conflict", text, matches=(tightened,)) == []
    loosened_text = "第五条 审议法规案时，可以邀请有关代表列席会议。"
    superior_duty = ArticleRef("某某法", None, 18, "审议法规案时，应当邀请有关代表列席会议。")
    loosened = Match("第五条", superior_duty, 95.0, compare_provisions(loosened_text, superior_duty.text))
    assert len(run("superior-conflict", loosened_text, matches=(loosened,))) == 1


def test_time_limits_compare_with_the_paragraph_the_clause_restates() -> None:
    superior = (
        "申请批发许可的，主管部门应当自受理申请之日起30日内审查。\n"
        "申请零售许可的，主管部门应当自受理申请之日起20日内审查。"
    )
    diffs = compare_provisions("申请零售许可的，主管部门应当自受理申请之日起三十日内审查。", superior)
    assert [d.clause_value for d in diffs if d.aspect == "condition"] == ["三十日内"]


def test_seizing_tools_is_no_added_penalty_type() -> None:
    superior = "盗用城市公共供水的，责令限期改正，可以处一万元以下罚款。"
    diffs = compare_provisions("对正在盗用城市公共供水的，可以当场暂扣其水泵等工具。", superior)
    assert [d for d in diffs if d.aspect == "sanction"] == []


def test_frequency_changes_are_conditions() -> None:
    diffs = compare_provisions(
        "建筑消防设施每两年至少进行一次全面检测。", "对建筑消防设施每年至少进行一次全面检测。"
    )
    assert [(d.aspect, d.clause_value) for d in diffs] == [("condition", "每两年")]


def test_permitting_what_the_superior_forbids_counts_below_the_confident_score() -> None:
    text = "第十一条 承包农户迁入城镇落户的，发包方可以收回承包地。"
    superior = ArticleRef("某某承包法", None, 27, "承包期内，发包方不得收回承包地。")
    match = Match("第十一条", superior, 70.0, compare_provisions(text, superior.text))
    assert len(run("superior-conflict", text, matches=(match,))) == 1
    loosened = ArticleRef("某某承包法", None, 27, "承包期内，发包方应当收回承包地。")
    weak = Match("第十一条", loosened, 70.0, compare_provisions(text, loosened.text))
    assert run("superior-conflict", text, matches=(weak,)) == []  # 应当 → 可以 needs a confident match


def test_a_conduct_match_is_compared_for_penalties_only() -> None:
    text = "第五条 审议法规案时，可以邀请有关代表列席会议。"
    superior = ArticleRef("某某法", None, 18, "审议法规案时，应当邀请有关代表列席会议。")
    diffs = compare_provisions(text, superior.text)
    assert len(run("superior-conflict", text, matches=(Match("第五条", superior, 95.0, diffs),))) == 1
    conduct = Match("第五条", superior, 95.0, diffs, via="conduct")
    assert run("superior-conflict", text, matches=(conduct,)) == []


def test_a_quantity_written_in_other_numerals_is_the_same_condition() -> None:
    same = Difference("condition", "职工人数在150人以上的", "职工人数在一百五十人以上的", "条件不一致")
    assert not plausible(same, "职工人数在一百五十人以上的，应当设置安全生产管理机构。")
    changed = Difference("condition", "职工人数在100人以上的", "职工人数在一百五十人以上的", "条件不一致")
    assert plausible(changed, "职工人数在一百五十人以上的，应当设置安全生产管理机构。")


def test_a_fine_that_a_rival_article_sets_is_not_exceeded() -> None:
    text = "第九条 违反规定经营的，处五万元以上十万元以下罚款。"
    best = ArticleRef("某某法", None, 122, "违反规定经营的，处二万元以上五万元以下罚款。")
    rival = "未按规定查验的，处五万元以上十万元以下罚款。"
    diffs = compare_provisions(text, best.text)
    assert len(run("penalty-range-exceeded", text, matches=(Match("第九条", best, 90.0, diffs),))) == 1
    with_rival = Match("第九条", best, 90.0, diffs, rivals=(rival,))
    assert run("penalty-range-exceeded", text, matches=(with_rival,)) == []


def test_authorised_variations_and_delegated_matters_are_no_conflict() -> None:
    from extractors.model import DocumentKind
    from rules.catalogue import load_catalogue
    from rules.checks import CHECKS
    from tests.rules.rulekit import check_input, make_doc

    text = "第八条 债务人应当在三个月内提交重整计划草案。"
    superior = ArticleRef("某某破产法", None, 79, "债务人应当自裁定之日起六个月内提交重整计划草案。")
    match = Match("第八条", superior, 95.0, compare_provisions(text, superior.text))
    rule = load_catalogue().get("superior-conflict")

    def found(title: str, restated: Match) -> int:
        doc = make_doc(text, kind=DocumentKind.LOCAL_REGULATION, title=title)
        return len(list(CHECKS[rule.check](rule, check_input(doc, matches=(restated,)))))

    assert found("上海市企业破产若干规定", match) == 1
    assert found("上海市浦东新区完善企业破产制度若干规定", match) == 0  # 浦东新区法规 may vary laws
    delegating = ArticleRef(
        "某某破产法",
        None,
        79,
        "债务人应当在六个月内提交重整计划草案，具体办法由省、自治区、直辖市人民代表大会常务委员会规定。",
    )
    delegated = Match("第八条", delegating, 95.0, compare_provisions(text, delegating.text))
    assert found("上海市企业破产若干规定", delegated) == 0


def test_fines_are_compared_tier_by_tier_and_a_plain_fine_with_the_base_tier() -> None:
    superior = "违反规定的，责令改正，处三千元以上三万元以下罚款；情节严重的，责令停业整顿，并处三万元以上十万元以下罚款。"
    tiered = (
        "违反规定的，处五千元以上五万元以下罚款；情节严重的，责令停业整顿，并处五万元以上十万元以下罚款。"
    )
    assert [d.clause_value for d in compare_provisions(tiered, superior) if d.aspect == "amount"] == [
        "处五千元以上五万元以下罚款"
    ]
    plain = "违反规定的，处一万元以上三万元以下罚款。"
    assert [
        d for d in compare_provisions(plain, superior) if d.aspect == "amount"
    ] == []  # within the base tier
    assert [d for d in compare_provisions(plain, superior, by_tier=False) if d.aspect == "amount"] == []
    raised = "违反规定的，处五千元以上五万元以下罚款。"
    assert len([d for d in compare_provisions(raised, superior) if d.aspect == "amount"]) == 1
    assert [d for d in compare_provisions(raised, superior, by_tier=False) if d.aspect == "amount"] == []
