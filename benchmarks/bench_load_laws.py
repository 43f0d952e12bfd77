"""Corpus storage at full size: store 1,500 laws (~100k articles), then load them all back.

Baseline, measured in the same run: fetching the raw article rows with the sqlite3 module
(no ORM, no domain objects). `load_laws` should stay within a small factor of it; a per-row
lazy-loading regression shows up as a ratio in the hundreds.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

LAWS = 1_500
ARTICLES_PER_LAW = 67  # 1,500 x 67 ≈ 100k articles, the size of the national corpus


def _corpus() -> list[tuple[Any, Any]]:
    from extractors.model import Article, DocumentKind
    from rules.model import Law, LawVersion

    items = []
    for n in range(LAWS):
        title = f"中华人民共和国测试法{n}"
        version = LawVersion(
            title=title,
            level=DocumentKind.LAW,
            published_on=date(2020, 1, 1),
            effective_on=date(2020, 7, 1),
            expired=False,
            source=f"bench/{n}.md",
            version_label="2020-01-01",
            articles=tuple(
                Article(
                    number=a,
                    label=f"第{a}条",
                    text=f"第{a}条 违反本法第{a}条规定的，由有关主管部门责令改正，处一万元以上五万元以下罚款。",
                    headings=("第一章 总则",),
                    paragraphs=(f"违反本法第{a}条规定的，由有关主管部门责令改正。",),
                )
                for a in range(1, ARTICLES_PER_LAW + 1)
            ),
        )
        items.append((Law(title=title, short_titles=(), level=DocumentKind.LAW, versions=()), version))
    return items


def run() -> dict[str, Any]:
    from db.corpus import load_laws, store_law_version
    from db.session import open_database

    corpus = _corpus()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        with open_database(f"sqlite:///{path}") as database:
            started = time.perf_counter()
            for law, version in corpus:
                with database.session() as session:
                    store_law_version(session, law, version)
            store_seconds = time.perf_counter() - started

            started = time.perf_counter()
            with database.session() as session:
                laws = load_laws(session)
            load_seconds = time.perf_counter() - started

        started = time.perf_counter()
        connection = sqlite3.connect(path)
        rows = connection.execute(
            "SELECT version_id, number, label, text, headings_joined, paragraphs_joined FROM law_articles"
        ).fetchall()
        connection.close()
        baseline_seconds = time.perf_counter() - started

    articles = sum(len(v.articles) for law in laws for v in law.versions)
    return {
        "laws": len(laws),
        "articles": articles,
        "baseline_rows": len(rows),
        "store_seconds": round(store_seconds, 2),
        "load_seconds": round(load_seconds, 2),
        "baseline_fetch_seconds": round(baseline_seconds, 2),
        "load_vs_raw_fetch": round(load_seconds / baseline_seconds, 1),
    }
