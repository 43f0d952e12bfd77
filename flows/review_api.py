"""The reviewer's API: what the notebooks (and `qingli findings`) call.

Everything here goes through `db`'s public functions; decisions are appended as
ReviewDecision rows, never written into findings. Notebook cells stay one-liners over
these functions, so the logic is tested here and not hidden in cells.
"""

from __future__ import annotations

import difflib
import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from db.decisions import FindingStatus, ReviewAction, decision_history, record_decision
from db.documents import load_document
from db.errors import DatabaseError
from db.queries import (
    FindingView,
    RecommendationView,
    document_issuers,
    find_findings,
    find_recommendations,
)
from db.session import Database, open_database
from extractors.model import ParsedDocument
from rules.model import Decision, RepealKind

# Characters of surrounding text shown before and after a clause in the finding card.
CONTEXT_CHARS = 160

DECISION_NAMES = {"retain": "保留（继续有效）", "amend": "修改", "repeal": "废止 / 宣布失效"}
STATUS_NAMES = {
    FindingStatus.OPEN: "待审核",
    FindingStatus.ACCEPTED: "已认可",
    FindingStatus.DISMISSED: "已驳回",
    FindingStatus.EDITED: "已修改",
    FindingStatus.RECHECK: "需复核",
}
SEVERITY_NAMES = {"high": "严重", "medium": "一般", "low": "提示"}


class ReviewApiError(Exception):
    """A problem the reviewer can fix (wrong URL, empty database); shown as one Chinese message."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: the reviewer sees only the message.
        return [f"\x1b[1;31m无法继续：\x1b[0m{self}"]


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One line of `qingli findings` (plain values, JSON-able)."""

    id: int
    rule: str
    severity: str
    document_title: str | None
    path: str
    clause_label: str
    message: str
    evidence: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True)
class FindingCard:
    """Everything a reviewer needs to judge one finding, displayed as HTML in notebooks."""

    view: FindingView
    document: ParsedDocument
    rule_name: str
    rule_description: str
    history: tuple[Any, ...] = ()

    def _repr_html_(self) -> str:
        return render_finding_card(self)


@dataclass(frozen=True)
class Overview:
    """The state of a cleanup at a glance."""

    documents: int
    by_decision: dict[str, int]
    findings_by_rule: dict[str, int]
    findings_by_issuer: dict[str, int]
    review_progress: dict[str, int]
    waiting: list[str] = field(default_factory=list)  # documents with findings still open

    def _repr_html_(self) -> str:
        rows = [
            ("文件总数", self.documents),
            *((f"清理建议：{DECISION_NAMES.get(k, k)}", v) for k, v in self.by_decision.items()),
            *((f"审核进度：{STATUS_NAMES.get(FindingStatus(k), k)}", v) for k, v in self.review_progress.items()),
        ]
        body = "".join(f"<tr><td>{html.escape(str(a))}</td><td>{b}</td></tr>" for a, b in rows)
        return f"<table><tbody>{body}</tbody></table>"


class ReviewDesk:
    """A reviewer's connection to one qingli database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def url(self) -> str:
        return self.database.url

    def findings(
        self,
        *,
        run: int | None = None,
        document: int | None = None,
        rule: str | None = None,
        severity: str | None = None,
        status: str | None = None,
    ) -> list[FindingView]:
        """Current findings filtered by run, document id, rule, severity and review status."""
        with self.database.read_session() as session:
            return find_findings(
                session, run_id=run, document_id=document, rule=rule, severity=severity, status=status,
                current_only=run is None,
            )

    def recommendations(self, *, run: int | None = None, document: int | None = None) -> list[RecommendationView]:
        with self.database.read_session() as session:
            return find_recommendations(session, run_id=run, document_id=document)

    def card(self, finding_id: int) -> FindingCard:
        """The finding with its document, rule explanation and decision history."""
        with self.database.read_session() as session:
            views = find_findings(session, finding_id=finding_id, current_only=False)
            if not views:
                raise ReviewApiError(f"没有编号为 {finding_id} 的审核问题")
            view = views[0]
            document = load_document(session, view.document_id)
            history = tuple(decision_history(session, finding_id=finding_id))
        rule = _catalogue_rule(view.finding.rule)
        return FindingCard(view, document, rule[0], rule[1], history)

    def decide(
        self, finding_id: int, decision: str, *, reviewer: str, comment: str, edited_text: str | None = None
    ) -> int:
        """Accept, dismiss or edit a finding; appends a decision and returns its id."""
        action = ReviewAction(decision)
        if action is ReviewAction.OVERRIDE:
            raise ReviewApiError("“改判”只适用于文件的清理建议，请用 override()")
        with self.database.session() as session:
            return record_decision(
                session, finding_id=finding_id, reviewer=reviewer, decision=action, comment=comment,
                edited_text=edited_text,
            )

    def override(
        self,
        document_id: int,
        decision: str,
        *,
        reviewer: str,
        comment: str,
        repeal_kind: str | None = None,
    ) -> int:
        """Override the machine's retain/amend/repeal for a document; returns the decision id."""
        wanted = Decision(decision)
        kind = RepealKind(repeal_kind) if repeal_kind else None
        with self.database.session() as session:
            current = find_recommendations(session, document_id=document_id)
            if not current:
                raise ReviewApiError(f"文件 {document_id} 还没有机器清理建议，请先运行审核")
            return record_decision(
                session, recommendation_id=current[-1].id, reviewer=reviewer, decision=ReviewAction.OVERRIDE,
                comment=comment, override_decision=wanted, repeal_kind=kind,
            )

    def overview(self, *, run: int | None = None) -> Overview:
        """Documents by recommendation, findings by rule and by issuing body, review progress."""
        findings = self.findings(run=run)
        recommendations = self.recommendations(run=run)
        by_decision: Counter[str] = Counter()
        for rec in recommendations:
            decision = rec.recommendation.decision.value
            if rec.latest_decision is not None and rec.latest_decision.override_decision is not None:
                decision = rec.latest_decision.override_decision.value
            by_decision[decision] += 1
        issuers = self._issuers({f.document_id for f in findings})
        waiting = sorted({f.title or f.path for f in findings if f.status in (FindingStatus.OPEN, FindingStatus.RECHECK)})
        return Overview(
            documents=len(recommendations),
            by_decision=dict(by_decision),
            findings_by_rule=dict(Counter(f.finding.rule for f in findings).most_common()),
            findings_by_issuer=dict(Counter(issuers.get(f.document_id) or "（未识别）" for f in findings).most_common()),
            review_progress=dict(Counter(f.status.value for f in findings)),
            waiting=waiting,
        )

    def _issuers(self, document_ids: set[int]) -> dict[int, str | None]:
        with self.database.read_session() as session:
            return document_issuers(session, document_ids)


def connect(url: str | None = None) -> ReviewDesk:
    """Open the database for review; wrong URLs and empty databases raise `ReviewApiError` in Chinese."""
    try:
        database = open_database(url or None, upgrade=False)
    except DatabaseError as exc:
        raise ReviewApiError(f"无法连接数据库：{exc}。请检查 DATABASE_URL（或环境变量 QINGLI_DATABASE_URL）。") from None
    desk = ReviewDesk(database)
    try:
        empty = not desk.recommendations()
    except Exception as exc:  # a database without qingli's tables
        raise ReviewApiError(f"数据库 {database.url} 中没有 qingli 的数据表，请先运行 make run 或 qingli cleanup。") from exc
    if empty:
        raise ReviewApiError(f"数据库 {database.url} 中还没有审核结果，请先运行 make run 或 qingli cleanup。")
    return desk


def list_findings(
    url: str | None, *, rule: str | None = None, document: str | None = None, limit: int = 50
) -> list[FindingRow]:
    """Rows for `qingli findings`: current findings, optionally by rule and a title/path filter."""
    try:
        database = open_database(url, upgrade=True)
    except DatabaseError:
        raise
    desk = ReviewDesk(database)
    rows = []
    for view in desk.findings(rule=rule):
        if document and document not in (view.title or "") and document not in view.path:
            continue
        f = view.finding
        rows.append(
            FindingRow(view.id, f.rule, f.severity.value, view.title, view.path, f.clause_label, f.message,
                       f.evidence, STATUS_NAMES[view.status])
        )
        if len(rows) >= limit:
            break
    return rows


@cache
def _catalogue_rule(rule_id: str) -> tuple[str, str]:
    from rules.catalogue import load_catalogue

    try:
        rule = load_catalogue().get(rule_id)
    except KeyError:
        return rule_id, ""
    return rule.name, rule.description


# ------------------------------------------------------------------------------------ rendering


def highlight(text: str, start: int, end: int) -> str:
    """HTML of `text` with text[start:end] marked."""
    start, end = max(0, start), min(len(text), end)
    return (
        html.escape(text[:start])
        + f'<mark style="background:#ffe08a">{html.escape(text[start:end])}</mark>'
        + html.escape(text[end:])
    )


def char_diff_html(clause: str, superior: str) -> tuple[str, str]:
    """Character-level diff of a clause against the superior article, as two HTML columns."""
    matcher = difflib.SequenceMatcher(a=superior, b=clause, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        sup, cla = html.escape(superior[a0:a1]), html.escape(clause[b0:b1])
        if op == "equal":
            left.append(sup)
            right.append(cla)
            continue
        if a1 > a0:
            left.append(f'<span style="background:#fcc">{sup}</span>')
        if b1 > b0:
            right.append(f'<span style="background:#cfc">{cla}</span>')
    return "".join(right), "".join(left)


def render_finding_card(card: FindingCard) -> str:
    """The finding card: header, clause in context, superior article side by side, rule, basis, suggestion."""
    f = card.view.finding
    meta = card.document.meta
    text = card.document.text
    header_rows = [
        ("文件", meta.title or card.view.path),
        ("印发文件", meta.wrapper_title or ""),
        ("文号", meta.doc_number or ""),
        ("制定机关", meta.issuer or ""),
        ("发布日期", meta.issued_on.isoformat() if meta.issued_on else ""),
        ("施行日期", meta.effective_on.isoformat() if meta.effective_on else ""),
        ("有效期至", meta.valid_until.isoformat() if meta.valid_until else ""),
    ]
    header = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in header_rows if v
    )
    start, end = f.span
    ctx_start, ctx_end = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    in_context = highlight(text[ctx_start:ctx_end], start - ctx_start, end - ctx_start)
    if text[start:end] != f.evidence:  # stored text changed: fall back to the clause text itself
        local = f.clause_text.find(f.evidence)
        in_context = highlight(f.clause_text, local, local + len(f.evidence)) if local >= 0 else html.escape(f.clause_text)
    side_by_side = ""
    if f.superior is not None:
        clause_html, superior_html = char_diff_html(f.clause_text, f.superior.text)
        side_by_side = (
            "<h4>与上位法条文对照（绿色：本文件不同之处；红色：上位法原文不同之处）</h4>"
            "<table style='width:100%;table-layout:fixed'><tr>"
            f"<th>本文件 {html.escape(f.clause_label)}</th>"
            f"<th>《{html.escape(f.superior.law_title)}》第{f.superior.article}条"
            f"（相似度 {f.score or 0:.0f}）</th></tr>"
            f"<tr><td style='vertical-align:top'>{clause_html}</td>"
            f"<td style='vertical-align:top'>{superior_html}</td></tr></table>"
        )
    basis = "".join(
        f"<li>{html.escape(b.cite())}" + (f"：{html.escape(b.text)}" if b.text else "") + "</li>" for b in f.basis
    )
    history = "".join(
        f"<li>{html.escape(str(d.decided_at)[:19])} {html.escape(d.reviewer)}：{html.escape(d.decision.value)}"
        f"（{html.escape(d.comment)}）</li>"
        for d in card.history
    )
    return (
        f"<div style='font-family:sans-serif'>"
        f"<h3>问题 {card.view.id}：{html.escape(card.rule_name)}（{html.escape(f.rule)}，"
        f"{SEVERITY_NAMES.get(f.severity.value, f.severity.value)}）— {STATUS_NAMES[card.view.status]}</h3>"
        f"<table>{header}</table>"
        f"<h4>条款 {html.escape(f.clause_label)}（上下文，问题所在已标出）</h4><p>{in_context}</p>"
        f"{side_by_side}"
        f"<h4>问题说明</h4><p>{html.escape(f.message)}</p>"
        f"<p style='color:#555'>{html.escape(card.rule_description)}</p>"
        f"<h4>法律依据</h4><ul>{basis}</ul>"
        f"<h4>修改建议</h4><p>{html.escape(f.suggestion)}</p>"
        + (f"<h4>审核记录</h4><ul>{history}</ul>" if history else "")
        + "</div>"
    )


# ------------------------------------------------------------------------------------ charts


CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def configure_cjk_fonts() -> str | None:
    """Register an installed CJK font with matplotlib so Chinese labels render; returns its family."""
    import matplotlib
    from matplotlib import font_manager

    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).is_file():
            font_manager.fontManager.addfont(candidate)
            family = font_manager.FontProperties(fname=candidate).get_name()
            matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False
            return family
    return None


def plot_counts(counts: dict[str, int], title: str, *, ax: Any = None, labels: dict[str, str] | None = None) -> Any:
    """A horizontal bar chart of counts with Chinese labels."""
    import matplotlib.pyplot as plt

    configure_cjk_fonts()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, max(2.0, 0.4 * len(counts) + 1)))
    names = [labels.get(k, k) if labels else k for k in counts]
    ax.barh(names[::-1], list(counts.values())[::-1], color="#b22222")
    ax.set_title(title)
    ax.set_xlabel("数量")
    return ax


# ------------------------------------------------------------------------------------ widgets


def review_widget(desk: ReviewDesk, findings: Sequence[FindingView]) -> Any:
    """ipywidgets controls to walk through findings and accept, dismiss or edit them."""
    import ipywidgets as widgets
    from IPython.display import display

    if not findings:
        return widgets.HTML("<p>没有符合条件的审核问题。</p>")
    options = [(f"{v.id} {v.finding.rule} {v.title or v.path} {v.finding.clause_label}", v.id) for v in findings]
    picker = widgets.Dropdown(options=options, description="问题", layout=widgets.Layout(width="95%"))
    card_out = widgets.Output()
    reviewer = widgets.Text(description="审核人")
    comment = widgets.Textarea(description="审核说明", layout=widgets.Layout(width="95%"))
    edited = widgets.Textarea(description="修改后文字", layout=widgets.Layout(width="95%"))
    status = widgets.HTML()

    def show(*_: Any) -> None:
        card_out.clear_output()
        with card_out:
            display(desk.card(picker.value))  # type: ignore[no-untyped-call]

    def act(decision: str) -> Any:
        def handler(_: Any) -> None:
            try:
                desk.decide(picker.value, decision, reviewer=reviewer.value, comment=comment.value,
                            edited_text=edited.value or None)
            except (DatabaseError, ReviewApiError, ValueError) as exc:
                status.value = f"<b style='color:#b22222'>未保存：{html.escape(str(exc))}</b>"
                return
            status.value = f"<b>已保存：问题 {picker.value} → {decision}</b>"
            show()

        return handler

    buttons = []
    for label, decision in (("认可", "accept"), ("驳回", "dismiss"), ("修改", "edit")):
        button = widgets.Button(description=label)
        button.on_click(act(decision))
        buttons.append(button)
    picker.observe(show, names="value")
    show()
    return widgets.VBox([picker, card_out, reviewer, comment, edited, widgets.HBox(buttons), status])


def override_widget(desk: ReviewDesk, recommendations: Sequence[RecommendationView]) -> Any:
    """ipywidgets controls to override a document's retain/amend/repeal recommendation."""
    import ipywidgets as widgets

    if not recommendations:
        return widgets.HTML("<p>没有清理建议。</p>")
    picker = widgets.Dropdown(
        options=[(f"{r.document_id} {r.title or r.path}：{DECISION_NAMES[r.recommendation.decision.value]}", r.document_id)
                 for r in recommendations],
        description="文件", layout=widgets.Layout(width="95%"),
    )
    decision = widgets.Dropdown(options=[("保留", "retain"), ("修改", "amend"), ("废止/宣布失效", "repeal")],
                                description="改判为")
    kind = widgets.Dropdown(options=[("（不适用）", ""), ("废止", "废止"), ("宣布失效", "宣布失效")], description="方式")
    reviewer = widgets.Text(description="审核人")
    comment = widgets.Textarea(description="审核说明", layout=widgets.Layout(width="95%"))
    status = widgets.HTML()
    button = widgets.Button(description="保存改判")

    def save(_: Any) -> None:
        try:
            desk.override(picker.value, decision.value, reviewer=reviewer.value, comment=comment.value,
                          repeal_kind=kind.value or None)
        except (DatabaseError, ReviewApiError, ValueError) as exc:
            status.value = f"<b style='color:#b22222'>未保存：{html.escape(str(exc))}</b>"
            return
        status.value = f"<b>已保存：文件 {picker.value} 改判为 {DECISION_NAMES[decision.value]}</b>"

    button.on_click(save)
    return widgets.VBox([picker, decision, kind, reviewer, comment, button, status])
