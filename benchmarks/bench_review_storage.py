"""Review storage at cleanup size: store documents and their reviews, read the report back.

500 documents x 40 clauses x 8 findings, one transaction per document as the flows do.
Baseline, measured in the same run: fetching the raw finding rows with the sqlite3 module.
A per-row query creeping into `load_report` or `find_findings` shows up as a large ratio.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

DOCUMENTS = 500
CLAUSES = 40
FINDINGS = 8


def _document(n: int) -> Any:
    from extractors.model import (
        Clause,
        ClauseKind,
        DocumentKind,
        DocumentMeta,
        ParsedDocument,
        SourceFormat,
        Span,
    )

    parts, clauses, offset = [], [], 0
    for c in range(1, CLAUSES + 1):
        text = f"第{c}条 违反本办法第{c}条规定的，由市场监督管理部门处五千元以上一万元以下罚款。（文件{n}）"
        clauses.append(Clause(c - 1, f"第{c}条", ClauseKind.ARTICLE, c, text, offset, offset + len(text)))
        parts.append(text)
        offset += len(text) + 1
    full = "\n".join(parts)
    spans = tuple(
        Span("SANCTION", cl.start + 5, cl.start + 10, full[cl.start + 5 : cl.start + 10]) for cl in clauses
    )
    return ParsedDocument(
        source=f"/bench/文件{n}.docx",
        sha256=hashlib.sha256(full.encode()).hexdigest(),
        format=SourceFormat.DOCX,
        text=full,
        meta=DocumentMeta(
            title=f"测试办法{n}", doc_number=f"测府发〔2020〕{n}号", kind=DocumentKind.NORMATIVE_DOCUMENT
        ),
        clauses=tuple(clauses),
        spans=spans,
    )


def _findings(document: Any) -> list[Any]:
    from rules.model import Finding, LegalBasis, Severity

    return [
        Finding(
            rule=f"rule-{k}",
            severity=Severity.HIGH,
            clause_label=clause.label,
            clause_text=clause.text,
            evidence=clause.text[5:15],
            span=(clause.start + 5, clause.start + 15),
            message="规范性文件不得设定行政处罚。",
            suggestion="删除该规定。",
            basis=(LegalBasis("中华人民共和国行政处罚法", 16),),
        )
        for k, clause in enumerate(document.clauses[:FINDINGS])
    ]


def run() -> dict[str, Any]:
    from db.documents import store_document
    from db.queries import find_findings
    from db.reports import load_report
    from db.review import store_review
    from db.session import open_database
    from rules.model import Decision, Recommendation

    documents = [_document(n) for n in range(DOCUMENTS)]
    recommendation = Recommendation(Decision.AMEND, ("设定罚款。",))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        with open_database(f"sqlite:///{path}") as database:
            started = time.perf_counter()
            for document in documents:
                with database.session() as session:
                    ref = store_document(session, document)
                    store_review(
                        session,
                        ref.id,
                        None,
                        findings=_findings(document),
                        resolutions=[],
                        recommendation=recommendation,
                        review_key="bench",
                        touched_laws=["中华人民共和国行政处罚法"],
                    )
            store_seconds = time.perf_counter() - started

            started = time.perf_counter()
            with database.read_session() as session:
                report = load_report(session, as_of=date(2026, 6, 30), corpus={})
            report_seconds = time.perf_counter() - started

            started = time.perf_counter()
            with database.read_session() as session:
                views = find_findings(session, rule="rule-3")
            query_seconds = time.perf_counter() - started

        started = time.perf_counter()
        connection = sqlite3.connect(path)
        rows = connection.execute("SELECT * FROM findings WHERE is_current").fetchall()
        connection.close()
        baseline_seconds = time.perf_counter() - started

    return {
        "documents": len(report.documents),
        "findings": sum(len(d.findings) for d in report.documents),
        "baseline_rows": len(rows),
        "rule_3_findings": len(views),
        "store_ms_per_document": round(1000 * store_seconds / DOCUMENTS, 1),
        "load_report_seconds": round(report_seconds, 2),
        "find_findings_seconds": round(query_seconds, 2),
        "baseline_fetch_seconds": round(baseline_seconds, 3),
        "load_report_vs_raw_fetch": round(report_seconds / baseline_seconds, 1),
    }
