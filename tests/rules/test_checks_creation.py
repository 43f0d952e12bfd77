"""Rules for what a document may not create: penalties, licences, compulsory measures, fees,
added obligations, restrictions of competition. Each rule fires on a clause that creates the
thing, and stays silent on lawful look-alikes a keyword matcher would flag."""

from __future__ import annotations

import pytest

from extractors.model import DocumentKind
from rules.catalogue import load_catalogue
from rules.checks import CHECKS, Hit
from rules.checks.creation import amounts_in
from rules.model import ArticleRef, Match
from tests.rules.rulekit import check_input, make_doc


def hits(
    rule_id: str, text: str, *, kind: DocumentKind = DocumentKind.NORMATIVE_DOCUMENT, **kw: object
) -> list[Hit]:
    rule = load_catalogue().get(rule_id)
    doc = make_doc(text, kind=kind)
    return list(CHECKS[rule.check](rule, check_input(doc, **kw)))  # type: ignore[arg-type]


# ---------------------------------------------------------------- penalty-creation


@pytest.mark.parametrize(
    "text",
    [
        "第八条 停车场经营者未公示收费标准的，由市城市管理部门责令改正，并处二千元以上一万元以下罚款。",
        "四、摊贩超出划定区域经营的，处二百元罚款。",
        "第五条 拒不整改的，责令停业整顿。",
        "第六条 情节严重的，吊销其经营许可证。",
        "第七条 未按规定报告的，由乡镇人民政府处以五百元罚款。",
    ],
)
def test_penalty_creation_fires_on_penalty_set_by_normative_document(text: str) -> None:
    assert [h.rule for h in hits("penalty-creation", text)] == ["penalty-creation"]


@pytest.mark.parametrize(
    "text",
    [
        "第七条 机动车违反停放规定的，依照《中华人民共和国道路交通安全法》第九十条的规定处罚。",
        "第七条 违反本办法的，由公安机关交通管理部门依照《中华人民共和国道路交通安全法》有关规定予以处罚。",
        "第七条 对违法行为，依法予以处罚。",
        "第七条 违反上述规定的，按照有关法律法规处理。",
        "第三条 公开的信息包括当事人名称、违法事实、处罚依据、罚款数额和履行方式。",
        "第四条 对违反治安管理的行为，由公安机关依照《中华人民共和国治安管理处罚法》给予警告或者罚款。",
        "第五条 行政机关不得对当事人处以法律规定以外的罚款。",
    ],
)
def test_penalty_creation_silent_on_applied_or_described_penalty(text: str) -> None:
    assert hits("penalty-creation", text) == []


@pytest.mark.parametrize("kind", [DocumentKind.LOCAL_GOVERNMENT_RULE, DocumentKind.DEPARTMENT_RULE])
def test_penalty_creation_lets_rule_set_warning_and_small_fine(kind: DocumentKind) -> None:
    text = "第三条 未建立进货查验制度的，由市场监督管理部门给予警告，可以处一千元以上五千元以下罚款。"
    assert hits("penalty-creation", text, kind=kind) == []


def test_penalty_creation_fires_on_rule_fine_above_local_limit() -> None:
    text = "第五条 销售不合格农产品的，处十万元以上二十万元以下罚款。"
    assert len(hits("penalty-creation", text, kind=DocumentKind.LOCAL_GOVERNMENT_RULE)) == 1


def test_penalty_creation_fires_on_rule_setting_revocation() -> None:
    text = "第五条 拒不改正的，吊销其市场登记证。"
    assert len(hits("penalty-creation", text, kind=DocumentKind.LOCAL_GOVERNMENT_RULE)) == 1


def test_penalty_creation_silent_for_local_regulation() -> None:
    text = "第二十条 违反本条例规定的，由市容环境卫生主管部门处五百元以上五千元以下罚款。"
    assert hits("penalty-creation", text, kind=DocumentKind.LOCAL_REGULATION) == []


def test_penalty_creation_silent_when_clause_restates_superior_penalty() -> None:
    text = "第二条 机动车驾驶人违反道路通行规定的，处警告或者二十元以上二百元以下罚款。"
    superior = ArticleRef("中华人民共和国道路交通安全法", None, 90, "……处警告或者二十元以上二百元以下罚款。")
    match = Match("第二条", superior, 80.0)
    assert hits("penalty-creation", text, matches=(match,)) == []


def test_penalty_creation_fires_when_restatement_changes_amounts() -> None:
    text = "第二条 机动车驾驶人违反道路通行规定的，处二百元以上二千元以下罚款。"
    superior = ArticleRef("中华人民共和国道路交通安全法", None, 90, "……处警告或者二十元以上二百元以下罚款。")
    assert len(hits("penalty-creation", text, matches=(Match("第二条", superior, 80.0),))) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("处五千元罚款", [5000]), ("处二万元以上十万元以下罚款", [20000, 100000]), ("处1.5万元罚款", [15000])],
)
def test_amounts_in_reads_arabic_and_chinese_amounts(text: str, expected: list[int]) -> None:
    assert amounts_in(text) == expected


# ---------------------------------------------------------------- licensing-creation


@pytest.mark.parametrize(
    "text",
    [
        "第四条 从事经营性停车场经营的，应当向市城市管理部门提出申请，经审批取得《停车场经营许可证》后方可营业。",
        "一、新建茶叶加工厂的，须先经县农业农村局审批同意后，方可办理其他手续。",
        "二、茶叶收购企业从事茶青收购，实行收购资格核准制度。",
        "第二条 在公共场所举办大型商业促销活动的，须事先报市商务局批准。",
        "一、摊贩未经区城市管理局批准，不得设摊经营。",
    ],
)
def test_licensing_creation_fires_on_new_approval(text: str) -> None:
    assert len(hits("licensing-creation", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "第五条 经营者依法取得营业执照后，可以自主确定服务方式。",
        "第三条 申请人依法需要取得行政许可的，政务服务中心应当一次性告知所需材料。",
        "第二条 申请人可以通过政务服务网申请办理政务服务事项。",
        "五、摊贩从事食品经营，依照《中华人民共和国食品安全法》的规定应当取得许可的，依法办理。",
        "三、对未取得准营证擅自设摊的，由城市管理部门依法处理。",
        "二、不得以备案、登记等形式变相设定审批。",
    ],
)
def test_licensing_creation_silent_on_superior_licence_and_procedure(text: str) -> None:
    assert hits("licensing-creation", text) == []


@pytest.mark.parametrize(
    ("issuer", "fires"),
    [("某某省人民政府", False), ("上海市人民政府", False), ("某某市人民政府", True)],
    ids=["province", "municipality", "city"],
)
def test_licensing_creation_lets_only_provincial_rules_set_temporary_licences(
    issuer: str, fires: bool
) -> None:
    # 行政许可法 第十五条: only 省、自治区、直辖市人民政府规章 may set (temporary) licences.
    rule = load_catalogue().get("licensing-creation")
    doc = make_doc(
        "第四条 从事经营性停车场经营的，须经市城市管理部门审批后方可营业。",
        kind=DocumentKind.LOCAL_GOVERNMENT_RULE,
        issuer=issuer,
    )
    found = list(CHECKS[rule.check](rule, check_input(doc)))
    assert bool(found) is fires


# ---------------------------------------------------------------- compulsory-measure-creation


@pytest.mark.parametrize(
    "text",
    [
        "二、对沿途撒漏的渣土车辆，执法人员可以暂扣车辆。",
        "三、对多次违规的企业，由城市管理部门查封其车辆停放场所。",
        "四、城市管理部门可以冻结运输企业在本市的结算账户。",
        "第五条 对无证饲养的犬只，公安机关可以扣留。",
    ],
)
def test_compulsory_measure_creation_fires(text: str) -> None:
    assert len(hits("compulsory-measure-creation", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "三、行政机关依法作出行政强制执行决定前，应当事先催告当事人履行义务。",
        "二、对涉嫌违法的场所，由有关部门依照《中华人民共和国食品安全法》第一百一十条的规定查封。",
        "一、不得擅自查封、扣押与违法行为无关的财物。",
    ],
)
def test_compulsory_measure_creation_silent_on_lawful_mention(text: str) -> None:
    assert hits("compulsory-measure-creation", text) == []


def test_compulsory_measure_creation_fires_for_local_government_rule() -> None:
    text = "第六条 对来源不明的农产品，市场监督管理部门可以查封、扣押。"
    assert len(hits("compulsory-measure-creation", text, kind=DocumentKind.LOCAL_GOVERNMENT_RULE)) == 1


# ---------------------------------------------------------------- unlawful-fee


@pytest.mark.parametrize(
    "text",
    [
        "一、建设单位在办理施工许可手续前，应当向县住房和城乡建设局缴纳建筑垃圾处置保证金。",
        "二、保证金标准按建筑面积每平方米10元计收。",
        "四、用户申请开通燃气的，应当向燃气经营企业预缴安全保证金1000元。",
        "培训费每人800元，由驾驶员在报名时一次性缴纳。",
        "第三条 养犬人办理犬只登记，应当缴纳犬只管理费每只每年300元。",
    ],
)
def test_unlawful_fee_fires(text: str) -> None:
    assert len(hits("unlawful-fee", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "第四条 政务服务中心办理各类事项，不得收取任何费用。",
        "五、投标保证金的收取和退还，依照《中华人民共和国招标投标法实施条例》的规定执行。",
        "第三条 热用户应当按时交纳热费，热费标准按照价格主管部门核定的标准执行。",
        "二、养老服务机构应当按照与老年人签订的服务协议收取服务费用。",
        "三、燃气经营企业应当按照国家规定的标准收取燃气费，不得收取开户费、初装费等费用。",
        "三、对符合条件的困难家庭，给予每户每月500元生活补助。",
    ],
)
def test_unlawful_fee_silent_on_lawful_charge_or_no_charge(text: str) -> None:
    assert hits("unlawful-fee", text) == []


# ---------------------------------------------------------------- obligation-without-basis


@pytest.mark.parametrize(
    "text",
    [
        "二、对参与非法集资的人员，其子女不得报考公务员，不予办理入学手续。",
        "三、对拒不退赔集资款的企业，由供水、供电企业停止供水、供电。",
        "四、被列入非法集资黑名单的企业，不得享受本市各项扶持政策。",
        "二、承租人须向社区警务室提供无犯罪记录证明，方可入住。",
        "二、驾驶员必须参加市交通运输协会组织的岗前培训。",
    ],
)
def test_obligation_without_basis_fires(text: str) -> None:
    assert len(hits("obligation-without-basis", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "第六条 窗口工作人员不得推诿、拖延办理，不得向申请人索要额外材料。",
        "第四条 不得要求申请人购买指定的服务。",
        "（二）任何单位不得强制老年人接受指定机构的服务。",
        "四、茶叶生产经营主体可以自愿加入县茶产业协会。",
        "一、出租人应当依照《租赁房屋治安管理规定》，登记承租人的身份证件种类和号码。",
    ],
)
def test_obligation_without_basis_silent_on_duties_of_administration_or_voluntary(text: str) -> None:
    assert hits("obligation-without-basis", text) == []


# ---------------------------------------------------------------- fair-competition


@pytest.mark.parametrize(
    "text",
    [
        "一、全市政府投资项目应当优先采购本市建材企业生产的水泥。",
        "二、外地建材企业进入本市市场销售的，须到市住房和城乡建设局办理备案。",
        "三、对上一年度纳税额排名前十名的本地建材企业，由市财政给予一次性奖励。",
        "一、新建住宅小区的燃气管道安装工程，由建设单位统一委托某燃气工程有限公司施工。",
        "二、居民用户安装燃气热水器的，应当使用县燃气协会推荐名录内的品牌产品。",
        "一、小型建设工程的施工单位，原则上应当从本市建设工程企业名录内选取。",
    ],
)
def test_fair_competition_fires(text: str) -> None:
    assert len(hits("fair-competition", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "第三条 招标人不得以投标人的所在地、所有制形式限定潜在投标人。",
        "第四条 不得要求外地经营者在本县设立分支机构作为参加投标的条件。",
        "第五条 申请人委托中介机构代办的，由申请人自主选择中介机构，任何部门不得指定。",
        "第二条 公共资源交易对各类经营主体一视同仁。",
        "六、渣土运输企业可以自主选择车辆卫星定位服务商。",
    ],
)
def test_fair_competition_silent_on_pro_competition_text(text: str) -> None:
    assert hits("fair-competition", text) == []


def test_title_line_is_not_judged_as_a_clause() -> None:
    text = "清河县住房和城乡建设局关于收取建筑垃圾处置保证金的通知\n各建设单位：\n一、做好建筑垃圾处置工作。"
    assert hits("unlawful-fee", text) == []


def test_suggestion_without_cited_law_does_not_invent_a_title() -> None:
    """Regression: with no law cited, suggestions read 依照有关法律、法规, not 依照《有关法律、法规》."""
    from rules.catalogue import load_catalogue

    rule = load_catalogue().get("licensing-creation")
    assert "《有关法律、法规》" not in rule.render(rule.suggestion, {})
    assert "依照有关法律、法规" in rule.render(rule.suggestion, {})


# ---------------------------------------------------------------- phrasings added from held-out misses
# Sentences written for these tests (not taken from the evaluation sets): each family of wording
# the held-out documents showed the catalogue had missed, and a look-alike that must stay silent.


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("unlawful-fee", "三、施工单位应当向县住房和城乡建设局缴存工程质量周转金，竣工验收后退还。"),
        ("unlawful-fee", "二、景区经营者应当按照门票收入的百分之五向管委会缴纳景观维护费。"),
        ("licensing-creation", "一、经营者在办理营业执照前，应当向街道办事处申请核发《临街经营备案证》。"),
        ("licensing-creation", "二、未取得社区出具的装修许可意见书的，物业服务企业不予办理开工手续。"),
        ("compulsory-measure-creation", "三、逾期不迁移的，由镇人民政府组织人员强制迁移。"),
        ("obligation-without-basis", "四、领取补助的农户应当书面承诺不再就补助标准提起行政诉讼。"),
        ("obligation-without-basis", "五、当事人不服的，应当在十日内先向本局申请复核。"),
        ("obligation-without-basis", "六、申请人应当提交公安机关出具的无犯罪记录证明。"),
        ("fair-competition", "二、保障性住房项目的防盗门统一在县建材有限公司采购。"),
        ("fair-competition", "三、学生校服应当到教育局确定的定点经营店购买。"),
        ("fair-competition", "四、对晨光食品有限公司每年给予经营补贴五十万元。"),
        ("fair-competition", "五、各单位的公务用车维修原则上应当选择在县内修理厂。"),
    ],
)
def test_reworded_creations_fire(rule_id: str, text: str) -> None:
    assert [h.rule for h in hits(rule_id, text)] == [rule_id]


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("unlawful-fee", "三、养老机构按照与老人签订的服务合同收取护理费。"),
        (
            "obligation-without-basis",
            "四、行政机关应当告知当事人依法申请行政复议或者提起行政诉讼的途径和期限。",
        ),
        (
            "penalty-creation",
            "二、行政机关拟作出吊销许可证件、较大数额罚款等行政处罚决定的，应当告知当事人有要求听证的权利。",
        ),
        ("fair-competition", "三、由县财政局指定专人负责资金拨付。"),
    ],
)
def test_reworded_lookalikes_stay_silent(rule_id: str, text: str) -> None:
    assert hits(rule_id, text) == []


def test_item_titles_are_not_provisions() -> None:
    assert (
        hits(
            "compulsory-measure-creation",
            "三、查处\n（四）查封扣押期限。依法实施查封、扣押的，期限为三十日。",
        )
        == []
    )


def test_a_sentence_carrying_on_a_cited_provision_shares_its_basis() -> None:
    text = (
        "第六条 招聘工作人员时，应当依照《中华人民共和国未成年人保护法》第六十二条的规定查询违法犯罪记录；"
        "发现其具有前述行为记录的，不得录用。"
    )
    assert hits("obligation-without-basis", text) == []


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        (
            "obligation-without-basis",
            "五、申请人应当签署承诺书，承诺对审批结果不申请行政复议、不提起行政诉讼。",
        ),
        ("obligation-without-basis", "三、未经调解的，仲裁委员会不予受理仲裁申请。"),
        ("obligation-without-basis", "二、父母被列入失信被执行人名单的，其子女暂缓办理入学手续。"),
        ("penalty-creation", "第十三条 逾期不改正的，没收其广告设施。"),
    ],
)
def test_more_reworded_creations_fire(rule_id: str, text: str) -> None:
    assert [h.rule for h in hits(rule_id, text)] == [rule_id]


def test_unlawful_fee_silent_when_the_clause_restates_a_superior_charge() -> None:
    text = "第十条 社会资本流转取得土地经营权的，本集体经济组织可以收取适量管理费用。"
    superior = ArticleRef("某某承包法", None, 64, "土地经营权流转的，本集体经济组织可以收取适量管理费用。")
    assert hits("unlawful-fee", text) != []
    assert hits("unlawful-fee", text, matches=(Match("第十条", superior, 90.0),)) == []


@pytest.mark.parametrize(
    "text",
    [
        "五、小区供热管网一律由县热力有限公司统一设计、统一施工，建设单位不得另行委托其他单位承建。",
        "三、全县快递进村业务统一由县邮政分公司承接，其他快递企业不得自行设立村级服务站点。",
        "六、古建筑修缮工程同等条件下优先委托县古建工程有限公司承担。",
        "四、经营者应当在市体育局确定的承保机构投保场所责任保险。",
        "二、享受扶持的企业应当书面承诺五年内不将注册地迁出本县。",
    ],
)
def test_fair_competition_named_providers_and_exclusivity(text: str) -> None:
    assert [h.rule for h in hits("fair-competition", text)] == ["fair-competition"]
