"""extractors.nlp: evidence span families on legal Chinese, firing cases and lawful look-alikes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors.components import ruler
from extractors.components.ruler import anchored_variants, load_patterns
from extractors.errors import PatternFileError
from extractors.model import Clause, ClauseKind, DocumentMeta, ParsedDocument, SourceFormat, Span
from extractors.nlp import FAMILIES, LABELS, annotate, annotate_texts, build_nlp, get_nlp


def spans(text: str, label: str) -> list[Span]:
    (found,) = annotate_texts([text])
    return [s for s in found if s.label == label]


def one(text: str, label: str) -> Span:
    found = spans(text, label)
    assert len(found) == 1, found
    return found[0]


# --- pipeline -------------------------------------------------------------------------------------


def test_get_nlp_built_once_per_process() -> None:
    assert get_nlp() is get_nlp()


def test_get_nlp_has_one_ruler_per_family_and_precedence_last() -> None:
    names = get_nlp().pipe_names
    assert names[0] == "matcher"
    assert names[-1] == "precedence"
    assert len(names) == len(LABELS) + 2


def test_get_nlp_token_is_one_character() -> None:
    doc = get_nlp().make_doc("第十二条 处 5千元")
    assert [t.text for t in doc] == list("第十二条 处 5千元")


@pytest.mark.parametrize("families", [None, ["deontic"]])
def test_build_nlp_leaves_no_working_data_on_the_doc(families: list[str] | None) -> None:
    doc = build_nlp(families=families)("经营者应当明码标价，处五千元罚款")
    assert set(doc.user_data) <= {key for key in doc.user_data if key[0] == "._."}


def test_build_nlp_rejects_unknown_segmenter() -> None:
    with pytest.raises(ValueError, match="segmenter"):
        build_nlp(segmenter="pkuseg")


def test_annotate_texts_offsets_round_trip() -> None:
    text = "依照《中华人民共和国行政处罚法》第十二条，处五千元以上三万元以下罚款。"
    (found,) = annotate_texts([text])
    assert found
    assert all(text[s.start : s.end] == s.text for s in found)


def test_annotate_texts_one_result_per_text_in_order() -> None:
    found = annotate_texts(["应当", "", "不得"], batch_size=2)
    assert [[s.attr("modality") for s in f] for f in found] == [["obligation"], [], ["prohibition"]]


def test_annotate_texts_attrs_sorted_pairs() -> None:
    span = one("处五千元以上三万元以下罚款", "SANCTION")
    assert list(span.attrs) == sorted(span.attrs)


# --- CITATION -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "article", "paragraph", "item"),
    [
        ("依照《中华人民共和国行政处罚法》第十六条的规定", "中华人民共和国行政处罚法", "16", None, None),
        ("根据《行政许可法》第十二条第二款第（三）项", "行政许可法", "12", "2", "3"),
        ("按照《道路交通安全法》第九十条第一款第三项处理", "道路交通安全法", "90", "1", "3"),
        ("依据〈上海市市容环境卫生管理条例〉第二十条", "上海市市容环境卫生管理条例", "20", None, None),
        ("遵守《中华人民共和国民法典》的规定", "中华人民共和国民法典", None, None, None),
    ],
)
def test_citation_title_and_numbers(
    text: str, title: str, article: str | None, paragraph: str | None, item: str | None
) -> None:
    span = one(text, "CITATION")
    assert span.attr("law_title") == title
    assert (span.attr("article"), span.attr("paragraph"), span.attr("item")) == (article, paragraph, item)


@pytest.mark.parametrize(
    ("text", "articles"),
    [
        ("依照《行政处罚法》第十二条、第十五条的规定", "12,15"),
        ("依照《行政处罚法》第十二条至第十五条的规定", "12,13,14,15"),
        ("违反本条例第二十条、第二十一条第一项和第二十二条", "20,21,22"),
    ],
)
def test_citation_multiple_articles(text: str, articles: str) -> None:
    assert one(text, "CITATION").attr("articles") == articles


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("《中华人民共和国食品安全法》", "law"),
        ("《上海市住房租赁条例》", "law"),
        ("《国务院关于加强行政执法工作的意见》", "law"),
        ("《行政处罚法（2021年修订）》", "law"),
        ("《中华人民共和国民法通则》", "law"),
        ("《进口药品批件》", "certificate"),
        ("《营业执照》", "certificate"),
        ("《公共场所卫生许可证》", "certificate"),
        ("《行政处罚决定书》", "certificate"),
        ("《申请登记表》", "certificate"),
        ("《人民日报》", "document"),
    ],
)
def test_citation_kind_by_title_suffix(text: str, kind: str) -> None:
    assert one(f"持有{text}的", "CITATION").attr("kind") == kind


@pytest.mark.parametrize(
    ("text", "ref", "article"),
    [
        ("违反本法第三十条规定的", "this", "30"),
        ("本办法自印发之日起施行", "this", None),
        ("依照本条例处理", "this", None),
        ("有前款规定情形的", "previous-paragraph", None),
        ("前条规定的期限", "previous-article", None),
        ("依照该法第十二条", "that", "12"),
        ("按照上述规定执行", "above", None),
        ("违反第十五条规定的", "this", "15"),
    ],
)
def test_citation_references(text: str, ref: str, article: str | None) -> None:
    span = one(text, "CITATION")
    assert (span.attr("ref"), span.attr("article")) == (ref, article)


@pytest.mark.parametrize(
    "text",
    [
        "第十二条 申请人应当提交材料。",  # the article's own heading
        "宪法是国家的根本法。",  # 根本法 is not 本法
        "香港特别行政区基本法",  # 基本法 is not 本法
        "第三方机构和第一次申请",  # 第 without 条/款/项
        "依照刑法第三百九十七条的规定",  # another law named without 《》: not "this"
        "依照文物保护法第六十六条",
    ],
)
def test_citation_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "CITATION") == []


def test_citation_nested_title_is_one_span() -> None:
    span = one("《关于印发〈上海市建筑垃圾处理管理规定〉的通知》", "CITATION")
    assert span.attr("law_title") == "关于印发〈上海市建筑垃圾处理管理规定〉的通知"


# --- DOC_NUMBER_CITATION --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "doc_number"),
    [
        ("根据国办发〔2018〕37号文件", "国办发〔2018〕37号"),
        ("（沪府规〔2019〕5号）", "沪府规〔2019〕5号"),
        ("按照京政发[2019]12号", "京政发〔2019〕12号"),
        ("依据沪府办发（2020）3号", "沪府办发〔2020〕3号"),
        ("见国发【2016】 8号", "国发〔2016〕8号"),
        ("国务院令第588号", "国务院令第588号"),
        ("1985年11月30日市人民政府京政发〔1985〕167号文件", "京政发〔1985〕167号"),
    ],
)
def test_doc_number_normalised_to_round_brackets(text: str, doc_number: str) -> None:
    assert one(text, "DOC_NUMBER_CITATION").attr("doc_number") == doc_number


@pytest.mark.parametrize("text", ["〔2018〕37号", "第37号", "2018年第37号公告"])
def test_doc_number_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "DOC_NUMBER_CITATION") == []


# --- DEONTIC ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("经营者应当明码标价", "obligation"),
        ("必须持证上岗", "obligation"),
        ("须经批准", "obligation"),
        ("不得擅自改变用途", "prohibition"),
        ("禁止在公共场所吸烟", "prohibition"),
        ("严禁酒后驾驶", "prohibition"),
        ("可以申请复议", "permission"),
        ("当事人有权陈述和申辩", "permission"),
    ],
)
def test_deontic_modality(text: str, modality: str) -> None:
    assert one(text, "DEONTIC").attr("modality") == modality


@pytest.mark.parametrize(
    "text",
    ["房屋所有权人", "部分共有权人起诉", "依法享有权利", "办事须知", "无须办理登记", "本法中的禁止性规定"],
)
def test_deontic_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "DEONTIC") == []


def test_deontic_must_is_one_span_not_two() -> None:
    assert [s.text for s in spans("必须遵守", "DEONTIC")] == ["必须"]


# --- SANCTION -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("处五千元以上三万元以下罚款", "5000", "30000"),
        ("处以1万元罚款", "10000", "10000"),
        ("可以处一千元以下的罚款", None, "1000"),
        ("并处二十万元以上罚款", "200000", None),
        ("对个人处500元至1000元罚款", "500", "1000"),
        ("罚款五千元", "5000", "5000"),
    ],
)
def test_sanction_fine_amounts(text: str, low: str | None, high: str | None) -> None:
    span = one(text, "SANCTION")
    assert span.attr("type") == "fine"
    assert (span.attr("min_amount"), span.attr("max_amount")) == (low, high)


def test_sanction_fine_multiple_of_illegal_gains() -> None:
    span = one("并处违法所得一倍以上三倍以下罚款", "SANCTION")
    assert (span.attr("min_multiple"), span.attr("max_multiple"), span.attr("base")) == ("1", "3", "违法所得")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("没收违法所得", "confiscation"),
        ("没收非法财物", "confiscation"),
        ("吊销营业执照", "licence-revocation"),
        ("吊销食品经营许可证", "licence-revocation"),
        ("吊销《特种行业许可证》", "licence-revocation"),
        ("暂扣许可证", "licence-suspension"),
        ("责令停产停业", "production-suspension"),
        ("责令关闭", "closure"),
        ("处十日以上十五日以下拘留", "detention"),
        ("处五日以下行政拘留", "detention"),
        ("给予警告", "warning"),
        ("予以通报批评", "circulated-criticism"),
        ("降低资质等级", "qualification-downgrade"),
        ("限制从业", "practice-restriction"),
        ("记入信用档案", "credit-punishment"),
        ("纳入黑名单管理", "credit-punishment"),
        ("列入严重失信主体名单", "credit-punishment"),
    ],
)
def test_sanction_types(text: str, kind: str) -> None:
    assert kind in {s.attr("type") for s in spans(text, "SANCTION")}


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("处十日以上十五日以下拘留", "10", "15"), ("处五日以下行政拘留", None, "5"), ("处10日拘留", "10", "10")],
)
def test_sanction_detention_days(text: str, low: str | None, high: str | None) -> None:
    span = one(text, "SANCTION")
    assert (span.attr("min_days"), span.attr("max_days")) == (low, high)


def test_sanction_suspend_or_revoke_gives_two_spans() -> None:
    found = spans("暂扣或者吊销许可证", "SANCTION")
    assert [(s.text, s.attr("type")) for s in found] == [
        ("暂扣", "licence-suspension"),
        ("吊销许可证", "licence-revocation"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "设置安全警告标志",  # a warning sign, not a penalty
        "公安机关依法刑事拘留",  # criminal detention
        "送拘留所执行",
        "并处没收财产",  # criminal confiscation of property
        "罚款收入全额上缴国库",  # 罚款 named, not imposed
        "依法处理",
        "逾期不缴纳的，每日加处罚款",  # a late-payment surcharge
        "应当降低一个等级奖励",
    ],
)
def test_sanction_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "SANCTION") == []


def test_sanction_inside_citation_context_is_kept() -> None:
    (found,) = annotate_texts(["依照《食品安全法》第一百二十四条的规定，处五万元以上十万元以下罚款"])
    assert {s.label for s in found} >= {"CITATION", "SANCTION"}


# --- LICENSING, COMPULSORY, FEE, MARKET_RESTRICTION -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("未经许可不得经营", "licence"),
        ("应当取得排污许可证", "licence"),
        ("申请人应当取得《食品经营许可证》", "licence"),
        ("须办理营业执照", "licence"),
        ("报市人民政府批准", "approval"),
        ("经审批后实施", "approval"),
        ("由市场监管部门核准", "approval"),
        ("报区民政局备案", "filing"),
    ],
)
def test_licensing_kind(text: str, kind: str) -> None:
    assert kind in {s.attr("kind") for s in spans(text, "LICENSING")}


@pytest.mark.parametrize(
    "text",
    ["依照《中华人民共和国行政许可法》的规定", "情节严重的，吊销许可证", "规范性文件备案审查"],
)
def test_licensing_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "LICENSING") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("查封场所、设施", "seal-up"),
        ("扣押财物", "seizure"),
        ("冻结存款", "freeze"),
        ("强制拆除违法建筑", "forced-demolition"),
        ("申请人民法院强制执行", "enforcement"),
        ("可以代履行", "substitute-performance"),
        ("实行强制隔离", "forced-isolation"),
    ],
)
def test_compulsory_type(text: str, kind: str) -> None:
    assert one(text, "COMPULSORY").attr("type") == kind


def test_compulsory_enforcement_via_court() -> None:
    assert one("申请人民法院强制执行", "COMPULSORY").attr("via_court") == "true"


@pytest.mark.parametrize("text", ["实施强制性国家标准", "冷冻食品"])
def test_compulsory_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "COMPULSORY") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("向申请人收取工本费", "charge"),
        ("缴纳培训费用", "charge"),
        ("交纳风险抵押金", "deposit"),
        ("收取保证金", "deposit"),
        ("退还押金", "deposit"),
        ("向企业集资", "fundraising"),
        ("不得向农民摊派", "levy"),
    ],
)
def test_fee_type(text: str, kind: str) -> None:
    assert kind in {s.attr("type") for s in spans(text, "FEE")}


@pytest.mark.parametrize("text", ["每人收取200元考试费", "申请人缴纳押金200元"])
def test_fee_amount_when_written(text: str) -> None:
    span = one(text, "FEE")
    assert (span.attr("min_amount"), span.attr("max_amount")) == ("200", "200")


@pytest.mark.parametrize("text", ["依法缴纳税款", "打击非法集资", "缴纳罚款", "多渠道筹集资金"])
def test_fee_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "FEE") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("到指定的检测机构检测", "designation"),
        ("必须使用指定供应商的产品", "designation"),
        ("限定购买本地产品", "restriction"),
        ("外地企业须在本市设立分支机构", "local-protection"),
        ("优先采购本地企业产品", "local-protection"),
        ("不得设置市场准入障碍", "barrier"),
        ("实行歧视性收费", "discrimination"),
        ("对落户本区的企业给予一次性奖励", "subsidy"),
        ("对新落户本区的企业，区财政给予最高500万元的一次性奖励", "subsidy"),
        ("实行税收返还", "subsidy"),
    ],
)
def test_market_restriction_type(text: str, kind: str) -> None:
    assert kind in {s.attr("type") for s in spans(text, "MARKET_RESTRICTION")}


@pytest.mark.parametrize(
    "text",
    [
        "在指定地点堆放",
        "限定期限内改正",
        "设置无障碍设施",
        "对举报人给予奖励",
        "不得就业歧视",
        "本地区的人民政府",
        "委托调解组织指定商事调解员",
        "按照规定设置障碍灯",
        "按照规定限定作业时间",
        "指定一名业主代表",
    ],
)
def test_market_restriction_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "MARKET_RESTRICTION") == []


# --- AGENCY -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        ("由上海市市场监督管理局负责", "上海市市场监督管理局", "provincial"),
        ("报浦东新区人民政府批准", "浦东新区人民政府", "district"),
        ("市人民政府决定", "市人民政府", "municipal"),
        ("经市政府同意", "市人民政府", "municipal"),
        ("由区生态环境局查处", "区生态环境局", "district"),
        ("国务院办公厅印发", "国务院办公厅", "national"),
        ("公安部规定", "公安部", "national"),
        ("县级以上地方人民政府", "县级以上地方人民政府", "county"),
        ("上海市浦东新区人民政府办公室", "上海市浦东新区人民政府办公室", "district"),
        ("北京经济技术开发区管理委员会", "北京经济技术开发区管理委员会", "district"),
        ("报送云溪县人民政府", "县人民政府", "county"),
        ("鼓励区人民政府对…给予支持", "区人民政府", "district"),
        ("全市人民政府", "市人民政府", "municipal"),
    ],
)
def test_agency_name_and_level(text: str, name: str, level: str) -> None:
    span = one(text, "AGENCY")
    assert (span.attr("name"), span.attr("level")) == (name, level)


@pytest.mark.parametrize(
    "text", ["实行政府采购", "到超市购物", "维护市场秩序", "本级政府财政部门", "公安部门"]
)
def test_agency_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "AGENCY") == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("上海市浦东新区人民政府", "上海市浦东新区"),
        ("由云溪市人民政府办公厅负责", None),  # a place the gazetteer does not know is not guessed
        ("市人民政府", None),
        ("城市管理综合执法局", None),
    ],
)
def test_agency_place_is_every_place_written(text: str, place: str | None) -> None:
    assert one(text, "AGENCY").attr("place") == place


@pytest.mark.parametrize(
    "text", ["由区工商局负责", "市质监局", "区卫计委", "市食品药品监督管理局", "县卫生和计划生育局", "县扶贫办"]
)
def test_agency_former_and_abbreviated_departments(text: str) -> None:
    assert spans(text, "AGENCY")


def test_agency_region_is_not_a_district() -> None:
    span = one("约谈该地区人民政府", "AGENCY")
    assert (span.text, span.attr("level")) == ("人民政府", "unknown")


# --- DATE and DURATION ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("二〇一九年五月六日印发", "2019-05-06"),
        ("二○一九年十二月三十一日", "2019-12-31"),
        ("2019年5月6日起施行", "2019-05-06"),
        ("2020年3月", "2020-03"),
    ],
)
def test_date_iso(text: str, iso: str) -> None:
    assert one(text, "DATE").attr("iso") == iso


@pytest.mark.parametrize("text", ["2019年2月30日", "三年以下", "2019年度"])
def test_date_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "DATE") == []


@pytest.mark.parametrize(
    ("text", "kind", "key", "value"),
    [
        ("本办法有效期5年", "validity", "period", "P5Y"),
        ("有效期为三年", "validity", "period", "P3Y"),
        ("有效期六个月", "validity", "period", "P6M"),
        ("试行二年", "trial", "period", "P2Y"),
        ("有效期至2025年12月31日", "until", "until", "2025-12-31"),
        ("于2020年底前完成", "deadline", "until", "2020-12-31"),
        ("2021年6月底前", "deadline", "until", "2021-06-30"),
        ("自2019年6月1日起施行", "commencement", "from", "2019-06-01"),
    ],
)
def test_duration_kinds(text: str, kind: str, key: str, value: str) -> None:
    span = one(text, "DURATION")
    assert (span.attr("kind"), span.attr(key)) == (kind, value)


@pytest.mark.parametrize("text", ["有效期届满", "试行办法", "2020年度工作"])
def test_duration_lookalikes_do_not_fire(text: str) -> None:
    assert spans(text, "DURATION") == []


def test_duration_and_its_date_both_recorded() -> None:
    (found,) = annotate_texts(["有效期至2025年12月31日"])
    assert {s.label for s in found} == {"DURATION", "DATE"}


# --- annotate over a ParsedDocument ---------------------------------------------------------------------


def _document(text: str, clauses: list[tuple[str, ClauseKind, int, int, int | None, int]]) -> ParsedDocument:
    """A document with clauses given as (label, kind, start, end, parent, depth)."""
    return ParsedDocument(
        source="t.txt",
        sha256="0",
        format=SourceFormat.TXT,
        text=text,
        meta=DocumentMeta(),
        clauses=tuple(
            Clause(
                index=i,
                label=label,
                kind=kind,
                number=i + 1,
                text=text[a:b],
                start=a,
                end=b,
                parent=parent,
                depth=depth,
            )
            for i, (label, kind, a, b, parent, depth) in enumerate(clauses)
        ),
    )


def test_annotate_shifts_offsets_into_document_text() -> None:
    text = "某某办法\n第一条 为了规范管理，制定本办法。\n第二条 违反规定的，处五千元罚款。"
    first = text.index("第一条")
    second = text.index("第二条")
    doc = _document(
        text,
        [
            ("第一条", ClauseKind.ARTICLE, first, second - 1, None, 0),
            ("第二条", ClauseKind.ARTICLE, second, len(text), None, 0),
        ],
    )
    result = annotate(doc)
    assert result.spans
    assert all(text[s.start : s.end] == s.text for s in result.spans)
    sanction = result.spans_in(doc.clauses[1], "SANCTION")
    assert [s.attr("min_amount") for s in sanction] == ["5000"]


def test_annotate_reads_nested_review_units_once() -> None:
    text = "一、应当登记。（一）不得转让。"
    inner = text.index("（")
    doc = _document(
        text,
        [
            ("一、", ClauseKind.OUTLINE, 0, len(text), None, 0),
            ("一、（一）", ClauseKind.OUTLINE, inner, len(text), 0, 1),
        ],
    )
    assert [s.text for s in annotate(doc).spans] == ["应当", "不得"]


def test_annotate_whole_text_when_no_clause_tree() -> None:
    doc = _document("经营者不得收取押金。", [])
    assert {s.label for s in annotate(doc).spans} == {"DEONTIC", "FEE"}


# --- real corpus ---------------------------------------------------------------------------------------


@pytest.mark.corpus
def test_annotate_texts_local_corpus_offsets_round_trip(local_corpus: Path) -> None:
    path = next(local_corpus.rglob("*.md"))
    body = path.read_text("utf-8").split("<!-- INFO END -->")[-1]
    lines = [ln for ln in body.splitlines() if ln.strip() and not ln.startswith("#")][:200]
    for line, found in zip(lines, annotate_texts(lines), strict=True):
        assert all(line[s.start : s.end] == s.text for s in found)


@pytest.mark.corpus
def test_annotate_parsed_law_spans_lie_in_articles(national_corpus: Path) -> None:
    from extractors.lawtext import read_law_markdown

    path = next(p for p in sorted(national_corpus.rglob("*.md")) if p.name.startswith("行政处罚法("))
    doc = annotate(read_law_markdown(path))
    assert {"CITATION", "DEONTIC", "SANCTION"} <= {s.label for s in doc.spans}
    assert all(doc.text[s.start : s.end] == s.text for s in doc.spans)
    units = list(doc.review_units())
    assert all(any(u.start <= s.start and s.end <= u.end for u in units) for s in doc.spans)


# --- pattern files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("family", [f.name for f in FAMILIES])
def test_load_patterns_every_token_pattern_declares_required_words(family: str) -> None:
    for entry in load_patterns(family):
        if isinstance(entry["pattern"], list):
            assert entry.get("requires"), entry["id"]


@pytest.mark.parametrize("family", [f.name for f in FAMILIES])
def test_load_patterns_expands_every_class(family: str) -> None:
    text = json.dumps([e["pattern"] for e in load_patterns(family)], ensure_ascii=False)
    assert '"$' not in text


def test_load_patterns_bad_line_raises_pattern_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.jsonl").write_text('# comment\n{"id": "x"}\n', "utf-8")
    monkeypatch.setattr(ruler, "PATTERNS_DIR", tmp_path)
    with pytest.raises(PatternFileError, match="第 2 行") as caught:
        load_patterns("broken")
    assert caught.value.code == "E101"


def test_load_patterns_unknown_class_raises_pattern_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.jsonl").write_text('{"id": "x", "pattern": [{"ORTH": {"IN": "$NOPE"}}]}\n', "utf-8")
    monkeypatch.setattr(ruler, "PATTERNS_DIR", tmp_path)
    with pytest.raises(PatternFileError, match="NOPE"):
        load_patterns("broken")


def test_anchored_variants_spells_out_leading_optional_and_class() -> None:
    pattern: list[dict[str, Any]] = [{"ORTH": {"IN": ["并", "可"]}, "OP": "?"}, {"ORTH": "处"}]
    assert anchored_variants(pattern) == [
        [{"ORTH": "并"}, {"ORTH": "处"}],
        [{"ORTH": "可"}, {"ORTH": "处"}],
        [{"ORTH": "处"}],
    ]
