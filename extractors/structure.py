"""Clause tree of a normative text: 编/章/节 headings, 条/款/项/目, and 一、/（一）/1./（1） outlines.

One pass over the lines of the normalised text. A line starts a unit only if its first
character is a marker (第十二条, 一、, （一）, 1., （1）, ①) and it does not lie inside an open
quotation; 第十二条 in running text or inside “” therefore never splits the tree. Outline
levels rank by style (一、 > （一） > 1. > （1） > ①), so a skipped level still nests.

Every clause's text is ``text[start:end]``; labels are unique within the document.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache

from extractors.markers import ARTICLE, OutlineMarker, OutlineStyle, match_heading, match_outline
from extractors.model import Clause, ClauseKind
from extractors.numerals import chinese_to_int, int_to_chinese

PREAMBLE_LABEL = "序言"
CLOSING_LABEL = "尾部"
DUPLICATE_SEPARATOR = "#"  # 第一条#2: a second 第一条 in the same document

_OUTLINE_RANK = {
    OutlineStyle.CN_DUN: 0,
    OutlineStyle.CN_PAREN: 1,
    OutlineStyle.NUM_DOT: 2,
    OutlineStyle.NUM_PAREN: 3,
    OutlineStyle.CIRCLED: 4,
}
_HEADING_RANK = {"编": 0, "分编": 1, "部分": 1, "章": 2, "节": 3}  # 第一部分 in outline-style 意见/方案

# 一、总则 used as a chapter heading: short, no sentence punctuation at the end; ranks like 章.
_OUTLINE_HEADING_MAX_CHARS = 20
_OUTLINE_HEADING_RANK = 2
_SENTENCE_END = ("。", "；", "，", "：", ":", ";")

# A table row as the backends write it (cell | cell): 第十二条 | 罚款 in a 对照表 is no article.
_TABLE_ROW = re.compile(r"[^|]{0,30}\|")

_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"
_OPEN_QUOTE = re.compile(f"[{_OPEN_QUOTES}]")
_CLOSE_QUOTE = re.compile(f"[{_CLOSE_QUOTES}]")
_ANY_QUOTE = re.compile(f"[{_OPEN_QUOTES}{_CLOSE_QUOTES}]")

# Lines after the last numbered unit that start the closing part: 特此通知, attachments, 抄送, 落款.
_CLOSING_LINE = re.compile(
    r"(?:附件|附：|附:|抄送|抄报|（此件|\(此件|联系人|主题词|特此(?:通知|通告|公告|批复|函告|函复))"
    r"|[0-9〇零○一二三四五六七八九十]{2,4}年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日(?:印发)?$"
    r"|.{2,30}(?:人民政府|办公厅|办公室|委员会|管理局|局|厅|委|政府|中心|署|印发)$"
)
# Lines that open the attachment list or the distribution list, whatever numbering follows.
_ATTACHMENT_LINE = re.compile(r"(?:附件|附：|附:|抄送|抄报)")
# An issuer line is short and unpunctuated; anything longer is a sentence.
_CLOSING_LINE_MAX_CHARS = 40


@dataclass(slots=True, eq=False)
class _Node:
    kind: ClauseKind
    start: int
    end: int
    number: int | None = None
    marker: str = ""  # 第十二条 / 三、 / （二） as it should appear in labels
    rank: int = 0
    headings: tuple[str, ...] = ()
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def add(self, child: _Node) -> _Node:
        child.parent = self
        self.children.append(child)
        self.extend(child.end)
        return child

    def extend(self, end: int) -> None:
        node: _Node | None = self
        while node is not None and node.end < end:
            node.end = end
            node = node.parent


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # first non-blank character
    end: int  # after the last non-blank character
    content: str


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _quoted(lines: list[_Line]) -> list[bool]:
    """Which lines start inside a quotation that is closed later (unclosed quotes are ignored).

    By Chinese convention every quoted paragraph opens with “ and only the last closes, so an
    opening quote at the start of a line inside a quotation does not nest.
    """
    balance_at_start = []
    balance = 0
    for ln in lines:
        balance_at_start.append(balance)
        if not _ANY_QUOTE.search(ln.content):
            continue
        opens = len(_OPEN_QUOTE.findall(ln.content))
        if balance > 0 and ln.content[0] in _OPEN_QUOTES:
            opens -= 1
        closes = len(_CLOSE_QUOTE.findall(ln.content))
        balance = max(0, balance + opens - closes)
    quoted = [False] * len(lines)
    later_min = balance
    for i in range(len(lines) - 1, -1, -1):
        b = balance_at_start[i]
        quoted[i] = b > 0 and later_min < b
        later_min = min(later_min, b)
    return quoted


def _article_label(m: re.Match[str]) -> tuple[int | None, str]:
    return _article_label_of(m.group("num"), m.group("sub"))


@cache
def _article_label_of(num: str, sub: str | None) -> tuple[int | None, str]:
    number = chinese_to_int(num)
    written = _cn(number) if number is not None else num
    return number, f"第{written}条" + (f"之{sub}" if sub else "")


@cache
def _cn(number: int) -> str:
    return int_to_chinese(number)


def _heading_text(line: str) -> str:
    return " ".join(line.split())


def _is_outline_heading(line: str) -> bool:
    om = match_outline(line)
    return (
        om is not None
        and om.style is OutlineStyle.CN_DUN
        and len(line) <= _OUTLINE_HEADING_MAX_CHARS
        and not line.endswith(_SENTENCE_END)
    )


def _is_closing_line(line: str) -> bool:
    return len(line) <= _CLOSING_LINE_MAX_CHARS and bool(_CLOSING_LINE.match(line))


def _closing_start(lines: list[_Line], kinds: list[str], markers: dict[int, OutlineMarker]) -> int:
    """Index of the first line of the closing part (len(lines) if there is none).

    落款 lines (issuer, date) start it after the last numbered unit. 附件/抄送 lines start it
    already after the last article (or top-level outline entry): the list of attachments that
    follows them (附件：1.……  2.……) is numbered but belongs to no clause.
    """
    last_unit = max((i for i, k in enumerate(kinds) if k in ("article", "outline")), default=-1)
    if last_unit < 0:
        return len(lines)
    articles = [i for i, k in enumerate(kinds) if k == "article"]
    if articles:
        last_top = articles[-1]
    else:
        top_rank = min(_OUTLINE_RANK[m.style] for m in markers.values())
        last_top = max(i for i, m in markers.items() if _OUTLINE_RANK[m.style] == top_rank)
    for i in range(last_top + 1, len(lines)):
        if kinds[i] in ("heading", "outline-heading"):
            continue
        content = lines[i].content
        if i > last_unit and _is_closing_line(content):
            return i
        if _ATTACHMENT_LINE.match(content):
            return i
    return len(lines)


def split_clauses(
    text: str, *, headings: Mapping[int, int] | Collection[int] = (), body_start: int = 0
) -> tuple[Clause, ...]:
    """Parse `text` into a clause tree, flattened in document order (parents before children).

    `headings` names line starts known to be headings (e.g. Markdown ``##`` lines), optionally
    mapped to their level (1 = outermost); `body_start` is where numbering may begin — lines
    before it always belong to the preamble.
    """
    lines = _lines(text)
    quoted = _quoted(lines)
    heading_levels: Mapping[int, int] = (
        headings if isinstance(headings, Mapping) else dict.fromkeys(headings, 0)
    )

    # First pass: what each line is.
    kinds: list[str] = []
    outline_markers: dict[int, OutlineMarker] = {}
    for i, (ln, q) in enumerate(zip(lines, quoted, strict=True)):
        if ln.start < body_start:
            kinds.append("text")
        elif ln.start in heading_levels or (not q and match_heading(ln.content)):
            kinds.append("heading")
        elif q or ("|" in ln.content and _TABLE_ROW.match(ln.content)):
            kinds.append("text")
        elif ARTICLE.match(ln.content):
            kinds.append("article")
        elif (marker := match_outline(ln.content)) is not None:
            outline_markers[i] = marker
            kinds.append("outline")
        else:
            kinds.append("text")
    # 一、总则 directly above 第一条 is a chapter heading written in outline style (common in
    # 解释 and 办法 without 章), not an outline node that the next article would close.
    for i in range(len(lines) - 1):
        if kinds[i] == "outline" and kinds[i + 1] == "article" and _is_outline_heading(lines[i].content):
            kinds[i] = "outline-heading"
    closing_from = _closing_start(lines, kinds, outline_markers)

    roots: list[_Node] = []
    heading_stack: list[tuple[int, str]] = []
    preamble: _Node | None = None
    article: _Node | None = None
    paragraph: _Node | None = None
    stack: list[_Node] = []  # open outline nodes, or open items inside the current article

    for i, ln in enumerate(lines):
        kind = kinds[i]
        if i >= closing_from:
            if i == closing_from:
                roots.append(_Node(ClauseKind.CLOSING, ln.start, ln.end))
            roots[-1].extend(ln.end)
            continue
        if kind in ("heading", "outline-heading"):
            hm = match_heading(ln.content)
            level = heading_levels.get(ln.start, 0)
            if kind == "outline-heading":
                rank = _OUTLINE_HEADING_RANK
            elif level:
                rank = 10 + level
            elif hm:
                rank = _HEADING_RANK[hm.group("unit")]
            else:
                rank = 10
            while heading_stack and heading_stack[-1][0] >= rank:
                heading_stack.pop()
            heading_stack.append((rank, _heading_text(ln.content)))
            article = paragraph = None
            stack = []
            continue
        current_headings = tuple(h for _, h in heading_stack)
        if kind == "article":
            am = ARTICLE.match(ln.content)
            assert am is not None
            number, label = _article_label(am)
            article = _Node(
                ClauseKind.ARTICLE, ln.start, ln.end, number=number, marker=label, headings=current_headings
            )
            roots.append(article)
            rest = ln.content[am.end() :]
            body_offset = am.end() + (len(rest) - len(rest.lstrip()))
            paragraph = None
            if body_offset < len(ln.content):
                paragraph = article.add(_Node(ClauseKind.PARAGRAPH, ln.start + body_offset, ln.end, number=1))
            stack = []
            continue
        if kind == "outline":
            om = outline_markers[i]
            rank = _OUTLINE_RANK[om.style]
            while stack and stack[-1].rank >= rank:
                stack.pop()
            node = _outline_node(om, ln, rank, current_headings, in_article=article is not None)
            if stack:
                stack[-1].add(node)
            elif article is not None:
                (paragraph or article).add(node)
            else:
                roots.append(node)
            if article is not None and not stack:
                node.kind = ClauseKind.ITEM
            elif article is not None:
                node.kind = ClauseKind.SUBITEM
            stack.append(node)
            continue
        # Plain text: preamble, a new 款, or the continuation of the open outline node.
        if article is not None:
            paragraph = article.add(
                _Node(ClauseKind.PARAGRAPH, ln.start, ln.end, number=_count_paragraphs(article) + 1)
            )
            stack = []
        elif stack:
            stack[-1].extend(ln.end)
        elif not roots or roots[-1] is preamble:
            if preamble is None:
                preamble = _Node(ClauseKind.PREAMBLE, ln.start, ln.end)
                roots.append(preamble)
            preamble.extend(ln.end)
        else:
            # Text after a heading that starts no unit (e.g. 第二章 then a lone sentence): its own node.
            roots.append(
                _Node(ClauseKind.PARAGRAPH, ln.start, ln.end, number=None, headings=current_headings)
            )

    for root in roots:
        _drop_single_paragraph(root)
    return _flatten(text, roots)


def _outline_node(
    om: OutlineMarker, ln: _Line, rank: int, headings: tuple[str, ...], *, in_article: bool
) -> _Node:
    marker = om.canonical
    if in_article:
        cn = _cn(om.number)
        marker = f"第（{cn}）项" if om.style in (OutlineStyle.CN_DUN, OutlineStyle.CN_PAREN) else ""
    return _Node(
        ClauseKind.OUTLINE, ln.start, ln.end, number=om.number, marker=marker, rank=rank, headings=headings
    )


def _count_paragraphs(article: _Node) -> int:
    return sum(1 for c in article.children if c.kind is ClauseKind.PARAGRAPH)


def _drop_single_paragraph(node: _Node) -> None:
    """An article with one 款 has no 款 nodes: its items hang from the article itself."""
    if node.kind is not ClauseKind.ARTICLE:
        return
    paragraphs = [c for c in node.children if c.kind is ClauseKind.PARAGRAPH]
    if len(paragraphs) == 1:
        only = paragraphs[0]
        node.children = [*only.children, *(c for c in node.children if c is not only)]
        for c in node.children:
            c.parent = node


def _labels_for(node: _Node, parent_label: str, ordinal: int) -> str:
    if node.kind is ClauseKind.PREAMBLE:
        return PREAMBLE_LABEL
    if node.kind is ClauseKind.CLOSING:
        return CLOSING_LABEL
    if node.kind is ClauseKind.ARTICLE:
        return node.marker
    if node.kind is ClauseKind.PARAGRAPH:
        if node.number is None:
            return parent_label + f"正文{ordinal}"
        return parent_label + f"第{_cn(node.number)}款"
    if node.kind is ClauseKind.ITEM:
        return parent_label + (node.marker or f"第（{_cn(node.number or 0)}）项")
    if node.kind is ClauseKind.SUBITEM:
        return parent_label + f"第{node.number}目"
    return parent_label + node.marker


def _flatten(text: str, roots: list[_Node]) -> tuple[Clause, ...]:
    out: list[Clause] = []
    seen: dict[str, int] = {}
    loose = 0

    def visit(node: _Node, parent: int | None, parent_label: str, depth: int) -> None:
        nonlocal loose
        if node.kind is ClauseKind.PARAGRAPH and node.number is None:
            loose += 1
        label = _labels_for(node, parent_label, loose)
        if label in seen:
            seen[label] += 1
            label = f"{label}{DUPLICATE_SEPARATOR}{seen[label]}"
            while label in seen:  # 第一条#2 written as such in the text itself
                label += DUPLICATE_SEPARATOR
        seen.setdefault(label, 1)
        index = len(out)
        out.append(
            Clause(
                index=index,
                label=label,
                kind=node.kind,
                number=node.number,
                text=text[node.start : node.end],
                start=node.start,
                end=node.end,
                parent=parent,
                depth=depth,
                headings=node.headings or _inherited_headings(node),
            )
        )
        for child in node.children:
            visit(child, index, label, depth + 1)

    for root in roots:
        visit(root, None, "", 0)
    return tuple(out)


def _inherited_headings(node: _Node) -> tuple[str, ...]:
    parent = node.parent
    while parent is not None:
        if parent.headings:
            return parent.headings
        parent = parent.parent
    return ()
