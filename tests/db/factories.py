"""Small, realistic values for storage tests: a parsed 规范性文件, a superior law, findings."""

from __future__ import annotations

import hashlib
from datetime import date

from extractors.model import (
    Article,
    Clause,
    ClauseKind,
    DocumentKind,
    DocumentMeta,
    ExtractionIssue,
    PageInfo,
    ParsedDocument,
    SourceFormat,
    Span,
)
from rules.model import (
    ArticleRef,
    Citation,
    CitationStatus,
    Decision,
    Finding,
    Law,
    LawVersion,
    LegalBasis,
    Recommendation,
    RepealKind,
    Resolution,
    Severity,
)

PENALTY_LAW = "中华人民共和国行政处罚法"
LICENSING_LAW = "中华人民共和国行政许可法"

ARTICLE_1 = "第一条 为了规范本市养犬行为，根据《中华人民共和国行政处罚法》第十六条，制定本办法。"
ARTICLE_2 = "第二条 违反本办法规定的，由公安机关处五千元以上一万元以下罚款。"
ARTICLE_2_CHANGED = "第二条 违反本办法规定的，由公安机关处一万元以上两万元以下罚款。"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parsed_document(
    *,
    source: str = "/docs/养犬管理办法.docx",
    article_2: str = ARTICLE_2,
    title: str = "某市养犬管理办法",
    kind: DocumentKind = DocumentKind.NORMATIVE_DOCUMENT,
) -> ParsedDocument:
    """Two articles; the second (with a nested item) carries a fine. Offsets round-trip."""
    heading = "第一章 总则"
    text = f"{heading}\n{ARTICLE_1}\n{article_2}"
    a1_start = len(heading) + 1
    a1_end = a1_start + len(ARTICLE_1)
    a2_start = a1_end + 1
    a2_end = a2_start + len(article_2)
    fine = "罚款"
    fine_start = text.index(fine, a2_start)
    cite = "《中华人民共和国行政处罚法》第十六条"
    cite_start = text.index(cite)
    clauses = (
        Clause(0, "第一条", ClauseKind.ARTICLE, 1, ARTICLE_1, a1_start, a1_end, headings=(heading,)),
        Clause(1, "第二条", ClauseKind.ARTICLE, 2, article_2, a2_start, a2_end, headings=(heading,)),
        Clause(
            2,
            "第二条第一款",
            ClauseKind.PARAGRAPH,
            1,
            article_2[4:],
            a2_start + 4,
            a2_end,
            parent=1,
            depth=1,
            headings=(heading,),
            from_ocr=True,
        ),
    )
    spans = (
        Span("CITATION", cite_start, cite_start + len(cite), cite, (("article", "16"), ("law", PENALTY_LAW))),
        Span("SANCTION", fine_start, fine_start + len(fine), fine, (("kind", "fine"),)),
    )
    for clause in clauses:
        assert text[clause.start : clause.end] == clause.text
    return ParsedDocument(
        source=source,
        sha256=sha(text),
        format=SourceFormat.DOCX,
        text=text,
        meta=DocumentMeta(
            title=title,
            wrapper_title=f"关于印发《{title}》的通知",
            doc_number="某府办发〔2019〕23号",
            issuer="某市人民政府办公厅",
            issued_on=date(2019, 5, 1),
            effective_on=date(2019, 6, 1),
            valid_until=date(2024, 5, 31),
            validity_text="本办法有效期五年。",
            doc_type="办法",
            kind=kind,
        ),
        clauses=clauses,
        spans=spans,
        pages=(PageInfo(1, ocr=True, ocr_confidence=91.5),),
        issues=(ExtractionIssue("ocr", "W001", "第1页为扫描件，已进行文字识别", page=1),),
    )


def law(
    title: str = PENALTY_LAW, *, short: tuple[str, ...] = ("行政处罚法",), repealed_on: date | None = None
) -> Law:
    return Law(
        title=title,
        short_titles=short,
        level=DocumentKind.LAW,
        versions=(),
        repealed_on=repealed_on,
    )


def law_version(
    title: str = PENALTY_LAW,
    *,
    label: str = "2021-01-22",
    published_on: date = date(2021, 1, 22),
    effective_on: date = date(2021, 7, 15),
    expired: bool = False,
    articles: int = 3,
    text_suffix: str = "",
) -> LawVersion:
    return LawVersion(
        title=title,
        level=DocumentKind.LAW,
        published_on=published_on,
        effective_on=effective_on,
        expired=expired,
        source=f"national/法律/{title}({label}).md",
        version_label=label,
        articles=tuple(
            Article(
                number=n,
                label=f"第{n}条",
                text=f"第{n}条 条文内容{n}。{text_suffix}\n第二款内容。",
                headings=("第一章 总则",),
                paragraphs=(f"条文内容{n}。{text_suffix}", "第二款内容。"),
            )
            for n in range(1, articles + 1)
        ),
    )


def finding(
    *,
    rule: str = "penalty-amount",
    clause_label: str = "第二条",
    clause_text: str = ARTICLE_2,
    evidence: str = "五千元以上一万元以下罚款",
    severity: Severity = Severity.HIGH,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        clause_label=clause_label,
        clause_text=clause_text,
        evidence=evidence,
        span=(10, 10 + len(evidence)),
        message="规范性文件不得设定行政处罚。",
        suggestion="删除该罚款规定，或改为引用上位法的相应条款。",
        basis=(LegalBasis(PENALTY_LAW, 16, None, "其他规范性文件不得设定行政处罚。"),),
        superior=ArticleRef(
            PENALTY_LAW, "2021-01-22", 16, "除法律、法规、规章外，其他规范性文件不得设定行政处罚。"
        ),
        score=87.5,
    )


def resolution(status: CitationStatus = CitationStatus.OK, *, span: tuple[int, int] = (20, 40)) -> Resolution:
    return Resolution(
        citation=Citation(
            raw="《中华人民共和国行政处罚法》第十六条",
            law_title="中华人民共和国行政处罚法",
            article=16,
            span=span,
        ),
        status=status,
        law_title=PENALTY_LAW,
        version_label="2021-01-22",
        current_article=16,
        score=100.0,
    )


def recommendation(decision: Decision = Decision.AMEND) -> Recommendation:
    return Recommendation(
        decision=decision,
        reasons=("第二条设定罚款，超越权限。",),
        repeal_kind=RepealKind.ABOLISH if decision is Decision.REPEAL else None,
        rules=("penalty-amount",),
    )
