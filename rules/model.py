"""Plain types of the decision side: laws, citations, matches, findings, recommendations.

No I/O here. `db` stores these; `flows` and exports read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from extractors.model import Article, DocumentKind


@dataclass(frozen=True, slots=True)
class LawVersion:
    """One version (promulgation or amendment) of a superior law, with its articles."""

    title: str  # full official title: 中华人民共和国行政处罚法
    level: DocumentKind
    published_on: date | None
    effective_on: date | None
    expired: bool  # superseded by a later version, or repealed
    source: str  # corpus path or source tag, for provenance
    articles: tuple[Article, ...] = ()
    version_label: str | None = None  # e.g. "2021-01-22"
    repealed_on: date | None = None

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)


@dataclass(frozen=True, slots=True)
class Law:
    """A superior law across its versions, oldest first."""

    title: str
    short_titles: tuple[str, ...]
    level: DocumentKind
    versions: tuple[LawVersion, ...]
    repealed_on: date | None = None
    successor: str | None = None  # title of the law that replaced it, if any

    def version_on(self, day: date) -> LawVersion | None:
        """The version in force on `day`, or None if the law was repealed or not yet made then."""
        if self.repealed_on is not None and day >= self.repealed_on:
            return None
        in_force = [v for v in self.versions if (v.effective_on or v.published_on or date.min) <= day]
        return in_force[-1] if in_force else None

    @property
    def current(self) -> LawVersion | None:
        if self.repealed_on is not None:
            return None
        return self.versions[-1] if self.versions else None


class CitationStatus(StrEnum):
    OK = "ok"
    REPEALED_LAW = "repealed-law"
    OLD_VERSION = "old-version"  # the cited article moved or changed since
    NO_SUCH_ARTICLE = "no-such-article"
    UNKNOWN_LAW = "unknown-law"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Citation:
    """A reference to a law (and maybe an article) as written in a clause."""

    raw: str  # the whole span as written: 《中华人民共和国行政处罚法》第十六条
    law_title: str | None  # title as written, without 《》; None for 本法/前款 before resolution
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    span: tuple[int, int] = (0, 0)  # offsets into the document text
    doc_number: str | None = None  # for 文号 citations such as 国办发〔2018〕37号


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a citation points in the corpus, and whether that is still good law."""

    citation: Citation
    status: CitationStatus
    law_title: str | None = None  # canonical title of the resolved law
    version_label: str | None = None  # version in force on the document's date
    current_article: int | None = None  # article number in the current version
    score: float = 0.0  # title match score, 0..100
    note: str | None = None  # Chinese explanation (e.g. 已被《民法典》废止)
    successor: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """A pointer to one article of one law version."""

    law_title: str
    version_label: str | None
    article: int
    text: str


@dataclass(frozen=True, slots=True)
class Difference:
    """One structured difference between a clause and the superior article it restates."""

    aspect: str  # "amount", "sanction", "modality", "condition"
    clause_value: str
    superior_value: str
    detail: str  # Chinese explanation


@dataclass(frozen=True, slots=True)
class Match:
    """A superior article that a clause restates or implements, with the evidence of how."""

    clause_label: str
    superior: ArticleRef
    score: float  # 0..100, after rapidfuzz re-ranking
    differences: tuple[Difference, ...] = ()
    passage: str = ""  # the enumerated item (with its lead-in) the clause restates; "" = whole article
    excerpt: str = ""  # the sentence of the clause that restates it; "" = the whole clause
    via: str = "unit"  # what was matched: the whole "unit", one "sentence", or a penalty's "conduct"
    rivals: tuple[str, ...] = ()  # texts of other articles (or items) that scored almost as well

    @property
    def restated(self) -> str:
        """The superior text the clause restates: the matched item, else the whole article."""
        return self.passage or self.superior.text


class Severity(StrEnum):
    HIGH = "high"  # 严重: unlawful as it stands
    MEDIUM = "medium"  # 一般: needs amendment
    LOW = "low"  # 提示: for the reviewer's attention


class Decision(StrEnum):
    RETAIN = "retain"  # 保留（继续有效）
    AMEND = "amend"  # 修改
    REPEAL = "repeal"  # 废止 or 宣布失效


class RepealKind(StrEnum):
    ABOLISH = "废止"  # unlawful or superseded: the issuer repeals it
    DECLARE_INVALID = "宣布失效"  # its period or task has run out


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """The superior provision a rule rests on, resolvable against the corpus."""

    law_title: str
    article: int | None = None
    paragraph: int | None = None
    text: str | None = None  # article text, filled when resolved against the corpus

    def cite(self) -> str:
        from extractors.numerals import int_to_chinese

        where = f"第{int_to_chinese(self.article)}条" if self.article else ""
        if self.paragraph:
            where += f"第{int_to_chinese(self.paragraph)}款"
        return f"《{self.law_title}》{where}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one clause, with the exact evidence and the rule that found it."""

    rule: str  # stable rule id, e.g. "penalty-creation"
    severity: Severity
    clause_label: str
    clause_text: str
    evidence: str  # exact text of the evidence span
    span: tuple[int, int]  # offsets of the evidence in the document text
    message: str  # Chinese: what is wrong
    suggestion: str  # Chinese: 修改建议
    basis: tuple[LegalBasis, ...] = ()
    superior: ArticleRef | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    """Retain, amend or repeal one document, with reasons in Chinese."""

    decision: Decision
    reasons: tuple[str, ...]
    repeal_kind: RepealKind | None = None
    rules: tuple[str, ...] = field(default=())  # rule ids that drove the decision


class DocumentStatus(StrEnum):
    REVIEWED = "reviewed"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ReviewerOverride:
    """A reviewer's decision on a document's recommendation; it wins over the machine's."""

    reviewer: str
    decided_at: datetime
    decision: Decision
    comment: str
    repeal_kind: RepealKind | None = None


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything an export needs about one document of a run (what `db` reads back for `flows`)."""

    path: str
    sha256: str
    status: DocumentStatus
    title: str | None = None
    wrapper_title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    valid_until: date | None = None
    kind: DocumentKind = DocumentKind.UNKNOWN
    error: str | None = None  # Chinese message of the extraction/review error
    recommendation: Recommendation | None = None
    findings: tuple[Finding, ...] = ()
    override: ReviewerOverride | None = None

    @property
    def final_decision(self) -> Decision | None:
        """The reviewer's decision where there is one, else the machine's."""
        if self.override is not None:
            return self.override.decision
        return self.recommendation.decision if self.recommendation else None

    @property
    def final_repeal_kind(self) -> RepealKind | None:
        if self.override is not None:
            return self.override.repeal_kind
        return self.recommendation.repeal_kind if self.recommendation else None


@dataclass(frozen=True, slots=True)
class CleanupReport:
    """A run's results as one value: what every export (JSON, Word, CSV, XLSX) is written from."""

    as_of: date
    generated_at: datetime
    run_id: int | None
    corpus: dict[str, str | int]  # e.g. {"source": ..., "laws": 1494, "version": "<fingerprint>"}
    documents: tuple[DocumentResult, ...]
