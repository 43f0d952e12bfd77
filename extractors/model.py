"""Plain data model of a parsed document: metadata, clause tree and evidence spans.

No I/O here. Every other package speaks in these types; `db` turns rows into them
and back. Offsets are always into `ParsedDocument.text` (the normalised text) and
must round-trip: ``doc.text[c.start:c.end] == c.text``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class SourceFormat(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    MARKDOWN = "md"
    DOC = "doc"
    WPS = "wps"
    RTF = "rtf"
    ODT = "odt"
    IMAGE = "image"


class ClauseKind(StrEnum):
    """Structural level of a clause node (glossary: 条 article, 款 paragraph, 项 item, 目 subitem)."""

    PREAMBLE = "preamble"  # text before the first numbered unit (e.g. 为了……，制定本办法。)
    ARTICLE = "article"  # 第十二条
    PARAGRAPH = "paragraph"  # 款: second and later paragraphs of an article
    ITEM = "item"  # 项: （一）
    SUBITEM = "subitem"  # 目: 1.
    OUTLINE = "outline"  # 一、 / （一） / 1. / （1） in outline-style documents
    CLOSING = "closing"  # text after the last numbered unit (附件, 落款)


class DocumentKind(StrEnum):
    """Legal form of a document, which decides what it may lawfully set."""

    LAW = "法律"
    ADMINISTRATIVE_REGULATION = "行政法规"
    DEPARTMENT_RULE = "部门规章"
    LOCAL_REGULATION = "地方性法规"
    LOCAL_GOVERNMENT_RULE = "地方政府规章"
    JUDICIAL_INTERPRETATION = "司法解释"
    CONSTITUTION = "宪法"
    NORMATIVE_DOCUMENT = "规范性文件"
    UNKNOWN = "未知"


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of evidence inside a document: what it is and exactly where.

    `label` is the spaCy span label (CITATION, DEONTIC, SANCTION, LICENSING, COMPULSORY,
    FEE, MARKET_RESTRICTION, AGENCY, DATE, DURATION, MONEY, DOC_NUMBER_CITATION...).
    `attrs` carries normalised values as sorted key/value pairs (e.g. amount range
    for a fine, article number for a citation) so the span stays hashable.
    """

    label: str
    start: int
    end: int
    text: str
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.attrs:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Clause:
    """One node of the clause tree.

    `label` is stable and unique within the document: ``第十二条``,
    ``第十二条第二款``, ``第十二条第二款第（三）项``, ``三、（二）``, ``三、（二）1.``.
    `parent` is the index of the parent node in `ParsedDocument.clauses` (None at top level).
    `number` is the ordinal of the node at its level (第十二条 -> 12, （三） -> 3).
    `headings` carries the enclosing 编/章/节 headings, outermost first.
    """

    index: int
    label: str
    kind: ClauseKind
    number: int | None
    text: str
    start: int
    end: int
    parent: int | None = None
    depth: int = 0
    headings: tuple[str, ...] = ()
    from_ocr: bool = False

    @property
    def is_review_unit(self) -> bool:
        """Articles and top outline entries are the units a reviewer judges and findings name."""
        return self.kind in (ClauseKind.ARTICLE, ClauseKind.PREAMBLE) or (
            self.kind is ClauseKind.OUTLINE and self.depth <= 1
        )


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Header data of a normative document, as far as the text states it."""

    title: str | None = None
    # 关于印发《……办法》的通知: the wrapper title; `title` is then the attachment's title.
    wrapper_title: str | None = None
    doc_number: str | None = None  # 文号, normalised: 沪府办发〔2019〕23号
    issuer: str | None = None  # 制定机关 / 发文机关
    issued_on: date | None = None  # 成文/发布日期
    effective_on: date | None = None  # 施行日期
    valid_until: date | None = None  # 有效期至 (computed from 有效期X年 where needed)
    validity_text: str | None = None  # the sentence that states validity, as written
    doc_type: str | None = None  # 通知, 办法, 规定, 意见, 细则, 条例 ...
    kind: DocumentKind = DocumentKind.UNKNOWN
    # Superior-law corpus files only: version history lines and level from the index.
    history: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Per-page facts that matter for review: was it OCR'd and how confident."""

    number: int
    ocr: bool = False
    ocr_confidence: float | None = None  # 0..100, tesseract mean word confidence
    # False: the page has no (decodable) text layer and no OCR answered for it — its text is missing.
    has_text: bool = True


@dataclass(frozen=True, slots=True)
class ExtractionIssue:
    """A recoverable problem met while extracting (the document still came out)."""

    stage: str
    code: str
    message: str  # Chinese, for the reviewer
    page: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A file turned into text, metadata, a clause tree and evidence spans."""

    source: str
    sha256: str
    format: SourceFormat
    text: str
    meta: DocumentMeta
    clauses: tuple[Clause, ...]
    spans: tuple[Span, ...] = ()
    pages: tuple[PageInfo, ...] = ()
    issues: tuple[ExtractionIssue, ...] = ()

    def review_units(self) -> Iterator[Clause]:
        """The clauses a reviewer judges, in document order."""
        return (c for c in self.clauses if c.is_review_unit)

    def spans_in(self, clause: Clause, label: str | None = None) -> list[Span]:
        """Evidence spans that lie inside `clause`, optionally of one label."""
        return [
            s
            for s in self.spans
            if s.start >= clause.start and s.end <= clause.end and (label is None or s.label == label)
        ]

    def children(self, clause: Clause) -> list[Clause]:
        return [c for c in self.clauses if c.parent == clause.index]

    def clause(self, label: str) -> Clause | None:
        return next((c for c in self.clauses if c.label == label), None)


@dataclass(frozen=True, slots=True)
class Article:
    """An article (条) of a superior law, as stored in the corpus."""

    number: int
    label: str  # 第十二条
    text: str  # whole article, 款 separated by newlines
    headings: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = field(default=())
