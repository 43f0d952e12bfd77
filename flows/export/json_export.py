"""The JSON contract: a run's results for other tools, described by ``schemas/report.schema.json``.

`recommendation` is always the machine's; a reviewer's decision is in `review`, and
`final_decision` / `final_kind` say which decision stands (the reviewer's where there is one).
`kind` is 废止 or 宣布失效 for a repeal as recorded (null when not recorded) and always null for
retain/amend; `final_kind` is never null for a final repeal (an unrecorded kind counts as 废止).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from flows.export.errors import ExportError
from flows.export.text import unicode_safe
from rules.model import CleanupReport, Decision, DocumentResult, Finding, RepealKind

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "report.schema.json"
# Bumped when a field changes meaning or disappears; adding a field keeps the version.
FORMAT_VERSION = 1


class InvalidReportJson(ExportError):
    """A JSON value does not follow the report schema."""

    def __init__(self, where: str, detail: str) -> None:
        self.where = where
        self.detail = detail
        super().__init__(f"JSON 不符合清理结果格式：{where}：{detail}")


def write_json(report: CleanupReport, path: Path) -> Path:
    """Write `report` as the JSON contract (UTF-8, indented) to `path` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report_to_json(report), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def report_to_json(report: CleanupReport) -> dict[str, Any]:
    """The JSON value of `report`, as plain dicts and lists (what `write_json` writes)."""
    return {
        "format_version": FORMAT_VERSION,
        "as_of": report.as_of.isoformat(),
        "generated_at": report.generated_at.isoformat(),
        "run_id": report.run_id,
        "corpus": {unicode_safe(k): _str_or_int(v) for k, v in report.corpus.items()},
        "documents": [document_to_json(doc) for doc in report.documents],
    }


def document_to_json(doc: DocumentResult) -> dict[str, Any]:
    """One entry of ``documents``."""
    rec = doc.recommendation
    override = doc.override
    final = doc.final_decision
    return {
        "path": _text(doc.path),
        "sha256": doc.sha256,
        "title": _text(doc.title),
        "wrapper_title": _text(doc.wrapper_title),
        "doc_number": _text(doc.doc_number),
        "issuer": _text(doc.issuer),
        "issued_on": _day(doc.issued_on),
        "valid_until": _day(doc.valid_until),
        "kind": doc.kind.value,
        "status": doc.status.value,
        "error": _text(doc.error),
        "recommendation": (
            {
                "decision": rec.decision.value,
                "kind": _kind(rec.repeal_kind) if rec.decision is Decision.REPEAL else None,
                "reasons": [unicode_safe(r) for r in rec.reasons],
                "rules": list(rec.rules),
            }
            if rec is not None
            else None
        ),
        "review": (
            {
                "decision": override.decision.value,
                "kind": _kind(override.repeal_kind) if override.decision is Decision.REPEAL else None,
                "reviewer": unicode_safe(override.reviewer),
                "comment": unicode_safe(override.comment),
                "decided_at": override.decided_at.isoformat(),
            }
            if override is not None
            else None
        ),
        "final_decision": final.value if final is not None else None,
        "final_kind": _final_kind(doc),
        "findings": [finding_to_json(f) for f in doc.findings],
    }


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """One entry of a document's ``findings``."""
    superior = finding.superior
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "clause": unicode_safe(finding.clause_label),
        "text": unicode_safe(finding.clause_text),
        "evidence": unicode_safe(finding.evidence),
        "span": list(finding.span),
        "message": unicode_safe(finding.message),
        "suggestion": unicode_safe(finding.suggestion),
        "basis": [unicode_safe(b.cite()) for b in finding.basis],
        "basis_text": [_text(b.text) for b in finding.basis],
        "superior": (
            {
                "law": unicode_safe(superior.law_title),
                "version": _text(superior.version_label),
                "article": superior.article,
                "text": unicode_safe(superior.text),
                "score": finding.score,
            }
            if superior is not None
            else None
        ),
    }


@cache
def load_schema() -> dict[str, Any]:
    """The report JSON Schema (draft 2020-12), read once."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def validate_report_json(data: object) -> None:
    """Raise `InvalidReportJson` naming the first offending place if `data` breaks the schema."""
    from jsonschema import Draft202012Validator  # imported on use: validation is for tests and tools

    validator = Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise InvalidReportJson(where, error.message)


def _text(value: str | None) -> str | None:
    return unicode_safe(value) if value is not None else None


def _day(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _kind(kind: RepealKind | None) -> str | None:
    return kind.value if kind is not None else None


def _final_kind(doc: DocumentResult) -> str | None:
    # A repeal recorded without a kind is a 废止, as in the Word cleanup list.
    if doc.final_decision is not Decision.REPEAL:
        return None
    return (doc.final_repeal_kind or RepealKind.ABOLISH).value


def _str_or_int(value: str | int) -> str | int:
    return unicode_safe(value) if isinstance(value, str) else value
