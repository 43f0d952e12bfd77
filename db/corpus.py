"""Superior-law corpus repository: store law versions idempotently, load them all at once.

`store_law_version` writes one version inside a SAVEPOINT, so a failure never leaves a
half-written version behind; re-importing identical content is a no-op, and changed
content replaces the version's articles and bumps `corpus_fingerprint`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import LawArticleRow, LawRow, LawVersionRow, join_parts, split_parts, utcnow
from extractors.model import Article, DocumentKind
from rules.model import Law, LawVersion

# Short enough to read in a run summary, long enough (64 bits) that collisions do not happen.
FINGERPRINT_HEX_CHARS = 16
# A concurrent importer may insert the same law between our SELECT and INSERT (PostgreSQL);
# one retry sees its row.
_STORE_ATTEMPTS = 2


class LawVersionRef(NamedTuple):
    """Id of a stored law version; `created` is False when identical content was already stored."""

    id: int
    created: bool


def _hash(payload: Any) -> str:
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _law_info(law: Law) -> dict[str, Any]:
    return {
        "short_titles": list(law.short_titles),
        "level": str(law.level.value),
        "repealed_on": law.repealed_on,
        "successor": law.successor,
    }


def version_key(version: LawVersion) -> str:
    """What identifies a version within its law: its label, else its publication date."""
    if version.version_label:
        return version.version_label
    day = version.published_on or version.effective_on
    return day.isoformat() if day else ""


def _version_fields(version: LawVersion) -> dict[str, Any]:
    return {
        "version_label": version.version_label,
        "title": version.title,
        "level": str(version.level.value),
        "published_on": version.published_on,
        "effective_on": version.effective_on,
        "expired": version.expired,
        "repealed_on": version.repealed_on,
        "source": version.source,
    }


def _article_rows(version_id: int, articles: tuple[Article, ...]) -> list[dict[str, Any]]:
    return [
        {
            "version_id": version_id,
            "position": position,
            "number": article.number,
            "label": article.label,
            "text": article.text,
            "headings_joined": join_parts(article.headings),
            "paragraphs_joined": join_parts(article.paragraphs),
        }
        for position, article in enumerate(articles)
    ]


def _content_hash(version: LawVersion) -> str:
    articles = [[a.number, a.label, a.text, list(a.headings), list(a.paragraphs)] for a in version.articles]
    return _hash([_version_fields(version), articles])


def store_law_version(session: Session, law: Law, version: LawVersion) -> LawVersionRef:
    """Store one version of `law` (its `versions` are ignored) atomically; idempotent on content."""
    for attempt in range(_STORE_ATTEMPTS):
        try:
            with session.begin_nested():
                return _store_law_version(session, law, version)
        except IntegrityError:
            if attempt + 1 == _STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _store_law_version(session: Session, law: Law, version: LawVersion) -> LawVersionRef:
    now = utcnow()
    info = _law_info(law)
    info_hash = _hash(info)
    law_row = session.scalar(select(LawRow).where(LawRow.title == law.title))
    if law_row is None:
        law_row = LawRow(title=law.title, info_hash=info_hash, created_at=now, updated_at=now, **info)
        session.add(law_row)
        session.flush()
    elif law_row.info_hash != info_hash:
        for name, value in info.items():
            setattr(law_row, name, value)
        law_row.info_hash = info_hash
        law_row.updated_at = now

    key = version_key(version)
    content_hash = _content_hash(version)
    row = session.scalar(
        select(LawVersionRow).where(LawVersionRow.law_id == law_row.id, LawVersionRow.version_key == key)
    )
    if row is not None and row.content_hash == content_hash:
        return LawVersionRef(row.id, False)
    fields = _version_fields(version)
    if row is None:
        row = LawVersionRow(law_id=law_row.id, version_key=key, created_at=now, **fields)
        session.add(row)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
        session.execute(delete(LawArticleRow).where(LawArticleRow.version_id == row.id))
    row.content_hash = content_hash
    row.article_count = len(version.articles)
    row.updated_at = now
    session.flush()
    if version.articles:
        session.execute(insert(LawArticleRow), _article_rows(row.id, version.articles))
    return LawVersionRef(row.id, True)


def load_laws(session: Session) -> list[Law]:
    """Every law with every version and article, in three bulk queries (no lazy loading)."""
    articles_by_version: dict[int, list[Article]] = defaultdict(list)
    article_rows = session.execute(
        select(
            LawArticleRow.version_id,
            LawArticleRow.number,
            LawArticleRow.label,
            LawArticleRow.text,
            LawArticleRow.headings_joined,
            LawArticleRow.paragraphs_joined,
        ).order_by(LawArticleRow.version_id, LawArticleRow.position)
    )
    heading_tuples: dict[str, tuple[str, ...]] = {}  # most articles share their 章/节: one tuple each
    for version_id, number, label, text, headings, paragraphs in article_rows:
        heading_tuple = heading_tuples.get(headings)
        if heading_tuple is None:
            heading_tuple = heading_tuples[headings] = split_parts(headings)
        articles_by_version[version_id].append(
            Article(number=number, label=label, text=text, headings=heading_tuple, paragraphs=split_parts(paragraphs))
        )

    versions_by_law: dict[int, list[tuple[tuple[date, int], LawVersion]]] = defaultdict(list)
    for v in session.scalars(select(LawVersionRow)):
        version = LawVersion(
            title=v.title,
            level=_kind(v.level),
            published_on=v.published_on,
            effective_on=v.effective_on,
            expired=v.expired,
            source=v.source,
            articles=tuple(articles_by_version.get(v.id, ())),
            version_label=v.version_label,
            repealed_on=v.repealed_on,
        )
        order = (v.effective_on or v.published_on or date.min, v.id)
        versions_by_law[v.law_id].append((order, version))

    laws: list[Law] = []
    for law in session.scalars(select(LawRow).order_by(LawRow.title)):
        versions = tuple(
            version for _, version in sorted(versions_by_law.get(law.id, []), key=lambda p: p[0])
        )
        laws.append(
            Law(
                title=law.title,
                short_titles=tuple(law.short_titles or ()),
                level=_kind(law.level),
                versions=versions,
                repealed_on=law.repealed_on,
                successor=law.successor,
            )
        )
    return laws


def _kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        return DocumentKind.UNKNOWN


def corpus_fingerprint(session: Session) -> str:
    """A short hash of the whole stored corpus; it changes when any law or version is added or changed."""
    digest = hashlib.sha256()
    for title, info_hash in session.execute(select(LawRow.title, LawRow.info_hash).order_by(LawRow.title)):
        digest.update(f"L\t{title}\t{info_hash}\n".encode())
    versions = session.execute(
        select(LawRow.title, LawVersionRow.version_key, LawVersionRow.content_hash)
        .join(LawRow, LawRow.id == LawVersionRow.law_id)
        .order_by(LawRow.title, LawVersionRow.version_key)
    )
    for title, key, content_hash in versions:
        digest.update(f"V\t{title}\t{key}\t{content_hash}\n".encode())
    return digest.hexdigest()[:FINGERPRINT_HEX_CHARS]


def laws_changed_since(session: Session, since: datetime) -> list[str]:
    """Titles of laws added or changed (law info or any version) after `since` (aware datetime)."""
    changed_versions = select(LawVersionRow.law_id).where(LawVersionRow.updated_at > since)
    rows = session.scalars(
        select(LawRow.title)
        .where(or_(LawRow.updated_at > since, LawRow.id.in_(changed_versions)))
        .order_by(LawRow.title)
    )
    return list(rows)


def corpus_summary(session: Session) -> dict[str, str | int]:
    """Counts and fingerprint of the stored corpus, in the shape `CleanupReport.corpus` takes."""
    laws = session.scalar(select(func.count()).select_from(LawRow)) or 0
    versions = session.scalar(select(func.count()).select_from(LawVersionRow)) or 0
    articles = session.scalar(select(func.count()).select_from(LawArticleRow)) or 0
    return {
        "laws": laws,
        "versions": versions,
        "articles": articles,
        "version": corpus_fingerprint(session),
    }
