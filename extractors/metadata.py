"""Header data of a normative document: issuer, 文号, title, dates, validity, type and legal form.

Everything is read from the normalised text and its clause tree; nothing is guessed from
today's date. A field the text does not state stays None ("not stated" is a normal result).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from extractors.dates import find_commencement, find_dates, find_validity
from extractors.markers import starts_unit
from extractors.model import Clause, ClauseKind, DocumentKind, DocumentMeta
from extractors.normalize import normalize_doc_number

# Lines of the head (红头, 文号, title, 主送) are looked for in the first lines only.
HEAD_MAX_LINES = 15
TITLE_MAX_CHARS = 80  # longer lines are sentences of the body, not titles

# Longest suffix first: 实施细则 before 细则, 暂行办法 before 办法.
DOC_TYPES = (
    "实施细则", "实施办法", "实施意见", "实施方案", "暂行办法", "暂行规定", "管理办法", "管理规定",
    "细则", "办法", "规定", "规则", "意见", "方案", "通知", "决定", "公告", "通告", "批复",
    "条例", "规划", "指引", "标准", "制度", "规范", "纲要", "计划", "通报", "函",
    "措施", "规程", "指南", "要点", "清单", "目录", "章程", "准则", "决议", "命令",
)  # fmt: skip
# The short type a reviewer sorts by: 实施细则 -> 细则, 暂行办法 -> 办法.
_TYPE_BASE = {
    "实施细则": "细则", "实施办法": "办法", "实施意见": "意见", "实施方案": "方案",
    "暂行办法": "办法", "暂行规定": "规定", "管理办法": "办法", "管理规定": "规定",
}  # fmt: skip

_RED_HEADER = re.compile(r"^(?P<issuer>.{2,40}?)\s*文\s*件$")
_DOC_NUMBER = re.compile(
    r"(?P<num>[\u4e00-\u9fff]{1,16}\s*[〔\[［【(（]\s*[12][0-9]{3}\s*[〕\]］】)）]\s*[0-9]{1,5}\s*号)"
)
_DECREE = re.compile(
    r"(?P<num>(?P<issuer>[\u4e00-\u9fff]{0,20}?)(?P<kind>政府令|部令|局令|委令|署令|行令|会令|院令|令)"
    r"\s*(?:第\s*)?[0-9一二三四五六七八九十百零〇]{1,6}\s*号"
    r"|第\s*[0-9一二三四五六七八九十百零〇]{1,6}\s*号\s*令)"
)
_WRAPPER = re.compile(
    r"^(?P<issuer>[^《》，。；]{0,40}?)关于(?P<verb>印发|转发|发布|颁布|印送|公布)\s*(?:《(?P<quoted>.+)》|(?P<plain>.+?))(?:的)?(?:通知|决定|公告|通告)$"
)
# 某市司法局关于……的意见: the issuer a title starts with.
_TITLE_ISSUER = re.compile(r"^(?P<issuer>[^《》，。；：\s]{2,40}?)关于")
_ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()、\s]{2,40}?"
    r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|管理局|局|厅|委|院|署|中心|政府)$"
)
_STATED_DATE = re.compile(r"(?:成文日期|发文日期|印发日期|发布日期)\s*[：:]?")
_STANDALONE_DATE = re.compile(
    r"^[0-9〇零○一二三四五六七八九十]{4}\s*年\s*[0-9一二三四五六七八九十]{1,3}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日"
    r"(?:\s*印发|\s*发布)?$"
)


@dataclass(frozen=True, slots=True)
class TitleParts:
    """A title and, for 关于印发《……》的通知, the wrapper around the attachment's title."""

    title: str
    wrapper_title: str | None = None


def split_wrapper_title(title: str) -> TitleParts:
    """关于印发《某市示例办法》的通知 -> title 某市示例办法, wrapper_title the whole line."""
    m = _WRAPPER.match(title)
    if m is None:
        return TitleParts(title)
    inner = (m.group("quoted") or m.group("plain") or "").strip()
    if not inner:
        return TitleParts(title)
    return TitleParts(inner, wrapper_title=title)


def doc_type_of(title: str | None) -> str | None:
    """The document type a title ends with (通知, 办法, 细则 …), ignoring a trailing （试行） or （2018—2020年）."""
    if not title:
        return None
    # （试行）, （2018—2020年）, （修订）: qualifiers after the type.
    bare = re.sub(r"[（(][^（）()]{1,20}[）)]$", "", title.strip())
    found = next((t for t in DOC_TYPES if bare.endswith(t)), None)
    return _TYPE_BASE.get(found, found) if found else None


def _preamble_lines(text: str, clauses: Sequence[Clause]) -> list[str]:
    end = len(text)
    first_unit = next((c for c in clauses if c.kind is not ClauseKind.PREAMBLE), None)
    if first_unit is not None:
        end = first_unit.start
    return [ln.strip() for ln in text[:end].split("\n") if ln.strip()]


def _closing_lines(text: str, clauses: Sequence[Clause]) -> list[str]:
    closing = [c for c in clauses if c.kind is ClauseKind.CLOSING]
    region = closing[-1].text if closing else text[-400:]
    return [ln.strip() for ln in region.split("\n") if ln.strip()]


def find_title(lines: Sequence[str]) -> str | None:
    """The title among the head lines: the first line ending with a document type, joined with
    the line before it when the title was wrapped onto two lines."""
    for i, line in enumerate(lines):
        if len(line) > TITLE_MAX_CHARS or _DOC_NUMBER.search(line) or _RED_HEADER.match(line):
            continue
        if line.endswith(("。", "；", "：", ":")) or doc_type_of(line) is None:
            continue
        if i > 0 and _is_title_start(lines[i - 1]):
            return lines[i - 1] + line
        return line
    # No known type: a 某市人民政府关于…… line is still the title.
    return next(
        (
            line
            for line in lines
            if "关于" in line
            and len(line) <= TITLE_MAX_CHARS
            and not line.endswith(("。", "；", "：", ":", "，"))
            and not _DOC_NUMBER.search(line)
        ),
        None,
    )


def _is_title_start(line: str) -> bool:
    """A line that begins a title wrapped onto the next (某市人民政府关于印发《某市示例 / 管理办法》的通知)."""
    return (
        "关于" in line
        and not line.endswith(("。", "；", "：", ":"))
        and doc_type_of(line) is None
        and len(line) <= TITLE_MAX_CHARS
    )


def find_issuer(head: Sequence[str], closing: Sequence[str], preamble: Sequence[str] = ()) -> str | None:
    """The issuing body: the 红头 (某市人民政府办公厅文件), else the 落款 line before the date (of
    the closing, or of the covering notice in the preamble), else the issuer a title starts with."""
    for line in head[:4]:
        m = _RED_HEADER.match(line)
        # 某市人民政府行政规范性文件 is a running head naming a document class, not an issuer.
        if m and _ISSUER_LINE.match(m.group("issuer")):
            return "".join(m.group("issuer").split())
    for i, line in enumerate(closing):
        if _STANDALONE_DATE.match(line) and i > 0 and _ISSUER_LINE.match(closing[i - 1]):
            return "".join(closing[i - 1].split())
    signature = next(("".join(ln.split()) for ln in reversed(closing) if _ISSUER_LINE.match(ln)), None)
    if signature is not None:
        return signature
    for before, line in pairwise(preamble):
        if _STANDALONE_DATE.match(line) and _ISSUER_LINE.match(before):
            return "".join(before.split())
    for line in head:
        m = _TITLE_ISSUER.match(line)
        if m and _ISSUER_LINE.match(m.group("issuer")):
            return m.group("issuer")
    return None


def find_doc_number(head: Sequence[str]) -> str | None:
    """The 文号 (某府办发〔2019〕23号) or 令 number (某市人民政府令第12号) in the head, normalised."""
    for line in head:
        m = _DOC_NUMBER.search(line) or _DECREE.search(line)
        if m:
            return normalize_doc_number(m.group("num"))
    return None


def find_issue_date(preamble: Sequence[str], closing: Sequence[str]) -> date | None:
    """成文日期/发布日期 where the head states it; else the 落款 date: the last standalone date line
    of the closing, else of the preamble (the covering notice of 关于印发《……》的通知 ends with its
    own 落款)."""
    for line in preamble:
        m = _STATED_DATE.search(line)
        if m:
            found = find_dates(line[m.end() :])
            if found:
                return found[0].value
    for line in [*reversed(closing), *reversed(preamble)]:
        if _STANDALONE_DATE.match(line):
            found = find_dates(line)
            if found:
                return found[0].value
    return None


def kind_of(doc_number: str | None, issuer: str | None, doc_type: str | None) -> DocumentKind:
    """规章 if the number is a 令, 规范性文件 if it is a 文号, else what the type and issuer say."""
    if doc_number and _DECREE.fullmatch(doc_number):
        if doc_number.startswith("国务院令"):
            return DocumentKind.ADMINISTRATIVE_REGULATION
        if "人民政府令" in doc_number or "政府令" in doc_number:
            return DocumentKind.LOCAL_GOVERNMENT_RULE
        return DocumentKind.DEPARTMENT_RULE
    if doc_number:
        return DocumentKind.NORMATIVE_DOCUMENT
    if doc_type == "条例" and issuer and "人民代表大会" in issuer:
        return DocumentKind.LOCAL_REGULATION
    return DocumentKind.UNKNOWN


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def extract_meta(text: str, clauses: Sequence[Clause]) -> DocumentMeta:
    """Read issuer, 文号, title, dates, validity, type and legal form from a normalised document."""
    preamble = _preamble_lines(text, clauses)
    head = preamble[:HEAD_MAX_LINES]
    closing = _closing_lines(text, clauses)
    raw_title = find_title(head)
    parts = split_wrapper_title(raw_title) if raw_title else None
    title = parts.title if parts else None
    issuer = find_issuer(head, closing, preamble)
    doc_number = find_doc_number(head)
    issued_on = find_issue_date(preamble, closing)
    doc_type = doc_type_of(title)

    commencement = None
    for c in reversed(clauses):
        if c.kind is ClauseKind.CLOSING:
            continue
        commencement = find_commencement(c.text)
        if commencement is not None:
            break
    effective_on = commencement.resolve(issued_on) if commencement else None

    validity = find_validity(text)
    valid_until = None
    validity_text = None
    if validity is not None:
        validity_text = _sentence_around(text, validity.start, validity.end)
        if validity.until is not None:
            valid_until = validity.until
        elif validity.period is not None:
            # 有效期X年 runs from commencement; without one stated, from the issue date.
            start = effective_on or issued_on
            valid_until = validity.period.after(start) if start is not None else None

    return DocumentMeta(
        title=title,
        wrapper_title=parts.wrapper_title if parts else None,
        doc_number=doc_number,
        issuer=issuer,
        issued_on=issued_on,
        effective_on=effective_on,
        valid_until=valid_until,
        validity_text=validity_text,
        doc_type=doc_type,
        kind=kind_of(doc_number, issuer, doc_type),
    )


def _title_key(line: str) -> str:
    """A title compared loosely: no spaces, title marks, 附件N： prefix or （试行） suffix."""
    key = re.sub(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]?", "", "".join(line.split()))
    key = re.sub(r"[（(](?:试行|暂行|修订)[）)]$", "", key)
    return key.strip("《》〈〉")


def attachment_start(text: str, meta: DocumentMeta) -> int | None:
    """Where the attached document of a 关于印发《……》的通知 begins: its title on a line of its own
    (附件： before it and （试行） after it allowed). The covering notice may name the attachment
    on a line too (附件：某办法); the title that the first numbered unit or heading follows wins."""
    if meta.wrapper_title is None or meta.title is None:
        return None
    wanted = _title_key(meta.title)
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    candidates = [i for i, line in enumerate(lines) if line.strip() and _title_key(line) == wanted]
    for i in candidates:
        following = next((ln.strip() for ln in lines[i + 1 :] if ln.strip()), "")
        if starts_unit(following):
            return starts[i]
    return starts[candidates[-1]] if candidates else None
