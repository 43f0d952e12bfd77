"""Rules on a document's life: renamed agencies, its validity period, its finished task."""

from __future__ import annotations

from datetime import date

import pytest

from rules.catalogue import load_catalogue
from rules.checks import CHECKS, AgencyRename, Hit
from rules.checks.lifecycle import parse_cn_date, task_over, validity_end
from rules.registry import load_registry
from tests.rules.rulekit import AS_OF, check_input, make_doc


def run(
    rule_id: str, text: str, *, as_of: date = AS_OF, title: str | None = None, **meta: object
) -> list[Hit]:
    rule = load_catalogue().get(rule_id)
    inp = check_input(make_doc(text, title=title, **meta), as_of=as_of)
    registry = load_registry()

    def successor(name: str) -> AgencyRename | None:
        change = registry.agency_successor(name, as_of=as_of)
        return AgencyRename(change.successor, change.effective_on) if change else None

    from dataclasses import replace

    inp = replace(
        inp, agency_successor=successor, known_agency_endings=tuple(a.old_name for a in registry.agencies)
    )
    return list(CHECKS[rule.check](rule, inp))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("第三条 市工商行政管理局负责停车场经营主体登记的监督管理。", "市工商行政管理局"),
        ("五、县国土资源局负责流转土地用途的监督管理。", "县国土资源局"),
        ("三、由江川市环境保护局负责督查。", "江川市环境保护局"),
    ],
)
def test_outdated_agency_fires_on_renamed_agency(text: str, name: str) -> None:
    found = run("outdated-agency", text)
    assert [text[h.start : h.end] for h in found] == [name]


@pytest.mark.parametrize(
    "text",
    ["第三条 市市场监督管理局负责监督管理。", "五、县文化和旅游局牵头建立联席会议制度。"],
)
def test_outdated_agency_silent_on_current_agency(text: str) -> None:
    assert run("outdated-agency", text) == []


def test_outdated_agency_silent_before_the_reform() -> None:
    assert run("outdated-agency", "第三条 市工商行政管理局负责登记。", as_of=date(2017, 1, 1)) == []


@pytest.mark.parametrize(
    "text",
    [
        "四、本意见自印发之日起施行，有效期至2023年12月31日。",
        "第四条 本办法自2019年3月1日起施行，有效期5年。",
        "四、本意见自2020年1月1日起施行，有效期三年。",
        "第四条 本规定自2016年1月1日起施行，2020年12月31日废止。",
    ],
)
def test_expired_validity_fires_after_end(text: str) -> None:
    assert len(run("expired-validity", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "第六条 本办法自2023年7月1日起施行，有效期至2028年6月30日。",
        "第七条 本办法自2025年4月1日起施行，有效期五年。",
        "第七条 本办法自2024年3月1日起施行。",
    ],
)
def test_expired_validity_silent_while_valid(text: str) -> None:
    assert run("expired-validity", text) == []


def test_expired_validity_uses_as_of_not_today() -> None:
    text = "四、本意见自印发之日起施行，有效期至2023年12月31日。"
    assert run("expired-validity", text, as_of=date(2023, 12, 31)) == []


def test_validity_end_counts_years_from_effective_date() -> None:
    doc = make_doc("第四条 本办法自2019年3月1日起施行，有效期5年。")
    assert validity_end(doc, "本办法自2019年3月1日起施行，有效期5年") == date(2024, 2, 29)


def test_parse_cn_date_reads_chinese_numerals() -> None:
    assert parse_cn_date("二〇二一年三月一日") == date(2021, 3, 1)


PLAN = (
    "一、工作目标\n（一）2019年10月底前全面完成城区燃煤锅炉淘汰工作。\n"
    "（二）2019年底前基本完成全市黄标车淘汰任务。\n二、各区要确保各项任务按期完成。"
)


def test_obsolete_subject_fires_on_every_past_deadline_of_task_document() -> None:
    found = run("obsolete-subject", PLAN, title="江川市2019年大气污染防治攻坚行动方案")
    assert [h.unit.label for h in found] == ["一、（一）", "一、（二）"]


def test_obsolete_subject_task_goes_on_while_a_deadline_is_ahead() -> None:
    # The past stages are outdated clauses; the plan itself is not over (see task_over).
    text = PLAN + "\n三、2027年底前完成长效机制建设。"
    title = "江川市大气污染防治行动方案"
    found = run("obsolete-subject", text, title=title)
    assert [h.unit.label for h in found] == ["一、（一）", "一、（二）"]
    rule = load_catalogue().get("obsolete-subject")
    assert not task_over(make_doc(text, title=title), rule, AS_OF, units_with_past=2)
    assert task_over(make_doc(PLAN, title=title), rule, AS_OF, units_with_past=2)


def test_obsolete_subject_marks_a_spent_transitional_clause_of_standing_rules() -> None:
    text = "第一条 为了规范管理，制定本办法。\n第九条 本办法施行前设立的站点，应当于2019年底前完成整改。"
    found = run("obsolete-subject", text, title="江川市加油站管理办法")
    assert [h.unit.label for h in found] == ["第九条"]
    rule = load_catalogue().get("obsolete-subject")
    # One spent deadline does not make a standing 办法 a finished task.
    assert not task_over(make_doc(text, title="江川市加油站管理办法"), rule, AS_OF, units_with_past=1)


@pytest.mark.parametrize(
    "text",
    [
        "七、原县安全生产监督管理局制定的文件与本通知不一致的，以本通知为准。",
        "二、机构改革后，原县食品药品监督管理局、县工商行政管理局承担的职责统一由我局履行。",
    ],
)
def test_outdated_agency_silent_where_the_text_names_the_agency_as_former(text: str) -> None:
    assert run("outdated-agency", text) == []


def test_expired_validity_ignores_the_validity_of_a_certificate_it_issues() -> None:
    text = "第六条 准予许可的，颁发临时经营许可证件，证件有效期一年。\n第十五条 本规定自2021年10月1日起施行。"
    assert run("expired-validity", text, issued_on=date(2021, 9, 1)) == []


def test_outdated_agency_knows_the_fire_service_reform() -> None:
    assert [h.fields["successor"] for h in run("outdated-agency", "第四条 县公安消防大队负责监督检查。")] == [
        "县消防救援大队"
    ]
