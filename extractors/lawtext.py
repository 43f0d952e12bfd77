"""Superior-law texts in the LawRefBook Markdown format -> `ParsedDocument` and `Article`s.

The format: ``# 标题`` (民法典 parts add a second ``# 合同编`` line), version-history lines,
``<!-- INFO END -->``, then the body: ``##``/``###``/``####`` headings for 编/章/节 and one
paragraph per line (第N条 opens an article, later lines are its 款, （一） lines its 项).
Some local files list the chapter headings once as a table of contents before the body; a
heading followed directly by another heading carries no article, so it changes nothing.

`ParsedDocument.text` is the normalised body: headings without ``#``, one paragraph per line,
blank lines dropped. The title and history live in the metadata.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from extractors.dates import parse_date
from extractors.errors import CorruptFile, EmptyFile, FileMissing
from extractors.model import (
    Article,
    ClauseKind,
    DocumentKind,
    DocumentMeta,
    ParsedDocument,
    SourceFormat,
)
from extractors.normalize import normalize_text
from extractors.structure import split_clauses

INFO_END = "<!-- INFO END -->"

# Folder names of the corpus that state the legal level of the files inside.
_LEVEL_BY_FOLDER = {
    "司法解释": DocumentKind.JUDICIAL_INTERPRETATION,
    "行政法规": DocumentKind.ADMINISTRATIVE_REGULATION,
    "部门规章": DocumentKind.DEPARTMENT_RULE,
    "地方性法规": DocumentKind.LOCAL_REGULATION,
    "地方政府规章": DocumentKind.LOCAL_GOVERNMENT_RULE,
}
_LAW_FOLDERS = frozenset(
    {"宪法相关法", "民法典", "民法商法", "社会法", "经济法", "行政法", "刑法", "诉讼与非诉讼程序法"}
)

_DOC_TYPES = (
    "实施细则",
    "细则",
    "条例",
    "规定",
    "办法",
    "解释",
    "决定",
    "规则",
    "意见",
    "批复",
    "通知",
    "标准",
    "法典",
    "法",
)


def read_law_markdown(path: Path) -> ParsedDocument:
    """Parse one LawRefBook Markdown file into text, metadata and a clause tree."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise FileMissing(str(path)) from exc
    if not data.strip():
        raise EmptyFile(str(path))
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorruptFile(str(path), detail="不是 UTF-8 编码的 Markdown") from exc
    return parse_law_markdown(raw, source=str(path), sha256=hashlib.sha256(data).hexdigest(), path=path)


def parse_law_markdown(
    raw: str, *, source: str = "", sha256: str = "", path: Path | None = None
) -> ParsedDocument:
    """Parse LawRefBook Markdown already in memory (see `read_law_markdown`)."""
    all_lines = raw.splitlines()
    try:
        split_at = next(i for i, ln in enumerate(all_lines) if ln.strip() == INFO_END)
        header, body = all_lines[:split_at], all_lines[split_at + 1 :]
    except StopIteration:
        # No history block: the title lines alone are the header.
        first_body = next((i for i, ln in enumerate(all_lines) if ln.strip() and not ln.startswith("# ")), 0)
        header, body = all_lines[:first_body], all_lines[first_body:]

    titles = [normalize_text(ln.lstrip("#")) for ln in header if ln.startswith("#")]
    history = tuple(normalize_text(ln) for ln in header if ln.strip() and not ln.startswith("#"))

    # Parts below the title in the header (民法典: 合同编) head the whole body.
    raw_lines: list[str] = list(titles[1:])
    levels: list[int] = [1] * len(raw_lines)
    for ln in body:
        stripped = ln.strip()
        if not stripped or (stripped.startswith("<!--") and stripped.endswith("-->")):
            continue
        level = len(stripped) - len(stripped.lstrip("#"))
        raw_lines.append(stripped[level:].strip())
        levels.append(level)
    # One normalisation pass over the whole body; it never adds or removes line breaks.
    lines = normalize_text("\n".join(raw_lines)).split("\n")
    heading_levels: dict[int, int] = {}
    kept: list[str] = []
    offset = 0
    for line, level in zip(lines, levels, strict=True):
        if not line:
            continue
        if level:
            heading_levels[offset] = level
        kept.append(line)
        offset += len(line) + 1
    text = "\n".join(kept)
    clauses = split_clauses(text, headings=heading_levels)

    title = titles[0] if titles else None
    meta = DocumentMeta(
        title=title,
        history=history,
        doc_type=_doc_type(title),
        kind=_kind(title, path),
        issued_on=_first_date(history),
        effective_on=_effective_date(history),
    )
    return ParsedDocument(
        source=source, sha256=sha256, format=SourceFormat.MARKDOWN, text=text, meta=meta, clauses=clauses
    )


def articles_of(doc: ParsedDocument) -> tuple[Article, ...]:
    """The articles (条) of a parsed law, text without the 第N条 label, 款 separated by newlines."""
    out = []
    # One pass for the 款 of every article: doc.children() per article would be quadratic (民法典).
    paragraphs_of: dict[int, list[str]] = {}
    for c in doc.clauses:
        if c.kind is ClauseKind.PARAGRAPH and c.parent is not None:
            paragraphs_of.setdefault(c.parent, []).append(c.text)
    for clause in doc.clauses:
        if clause.kind is not ClauseKind.ARTICLE or clause.number is None:
            continue
        paragraphs = paragraphs_of.get(clause.index, [])
        if not paragraphs:
            # One 款: the article text after its label.
            body = clause.text.split(maxsplit=1)
            paragraphs = [body[1]] if len(body) == 2 else []
        paragraphs = ["\n".join(ln for ln in p.split("\n") if ln.strip()) for p in paragraphs]
        label = clause.label.split("#", 1)[0]
        out.append(
            Article(
                number=clause.number,
                label=label,
                text="\n".join(paragraphs),
                headings=clause.headings,
                paragraphs=tuple(paragraphs),
            )
        )
    return tuple(out)


def _doc_type(title: str | None) -> str | None:
    if not title:
        return None
    bare = re.sub(r"[（(][^）)]*[）)]$", "", title)
    return next((t for t in _DOC_TYPES if bare.endswith(t)), None)


def _kind(title: str | None, path: Path | None) -> DocumentKind:
    folders = set(path.parts) if path is not None else set()
    for folder, kind in _LEVEL_BY_FOLDER.items():
        if folder in folders:
            return kind
    if title == "中华人民共和国宪法" or (title or "").startswith("中华人民共和国宪法修正案"):
        return DocumentKind.CONSTITUTION
    if folders & _LAW_FOLDERS or "宪法" in folders:
        return DocumentKind.LAW
    return DocumentKind.UNKNOWN


def _first_date(history: tuple[str, ...]) -> date | None:
    for line in history:
        found = parse_date(line)
        if found is not None:
            return found
    return None


def _effective_date(history: tuple[str, ...]) -> date | None:
    for line in history:
        if line.rstrip().endswith("施行"):
            return parse_date(line)
    return None
