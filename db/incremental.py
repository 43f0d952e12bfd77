"""Which documents need (re-)review: the amendment cascade, in three bulk queries.

A document's review is keyed ``sha256|pipeline_version|corpus_version`` where the corpus
version is *per document*: a hash over the laws that document's citations and matches
touched (titles as stored in ``document_laws``). A new version of one law therefore changes
the key of exactly the documents that touched it, and nothing else. A law cited by a title
the corpus did not know yet is recorded as touched too, so importing it later re-reviews
the documents that cited it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.documents import REVIEW_KEY_SEPARATOR, make_review_key
from db.models import DocumentLawRow, DocumentRow, LawRow, LawVersionRow

ABSENT = "absent"  # hash of a touched title the corpus does not hold
NOTHING_TOUCHED = "none"  # corpus version of a document that touched no law
CORPUS_VERSION_HEX_CHARS = 16


def law_hashes(session: Session) -> dict[str, str]:
    """A content hash per law, reachable by its title and each of its short titles."""
    versions: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(LawVersionRow.law_id, LawVersionRow.version_key, LawVersionRow.content_hash).order_by(
            LawVersionRow.law_id, LawVersionRow.version_key
        )
    )
    for law_id, key, content_hash in rows:
        versions[law_id].append(f"{key}:{content_hash}")
    hashes: dict[str, str] = {}
    for law_id, title, short_titles, info_hash in session.execute(
        select(LawRow.id, LawRow.title, LawRow.short_titles, LawRow.info_hash)
    ):
        digest = hashlib.sha256("\n".join([info_hash, *versions[law_id]]).encode()).hexdigest()
        for name in (title, *(short_titles or ())):
            hashes.setdefault(str(name), digest)
    return hashes


def corpus_version_for(titles: Iterable[str], hashes: Mapping[str, str]) -> str:
    """The per-document corpus version: a short hash over the touched laws' content hashes."""
    touched = sorted(set(titles))
    if not touched:
        return NOTHING_TOUCHED
    payload = "\n".join(f"{t}={hashes.get(t, ABSENT)}" for t in touched)
    return hashlib.sha256(payload.encode()).hexdigest()[:CORPUS_VERSION_HEX_CHARS]


def review_key_for(sha256: str, pipeline_version: str, titles: Iterable[str], hashes: Mapping[str, str]) -> str:
    """The key a review of this document stores, given the laws it touched."""
    return make_review_key(sha256, pipeline_version, corpus_version_for(titles, hashes))


def documents_to_review(session: Session, pipeline_version: str, *, force: bool = False) -> list[int]:
    """Ids of current, parsed documents whose stored review key no longer matches their inputs."""
    documents = session.execute(
        select(DocumentRow.id, DocumentRow.sha256, DocumentRow.review_key)
        .where(DocumentRow.is_current.is_(True), DocumentRow.text.is_not(None), DocumentRow.sha256.is_not(None))
        .order_by(DocumentRow.id)
    ).all()
    if force:
        return [row.id for row in documents]
    touched: dict[int, list[str]] = defaultdict(list)
    for document_id, title in session.execute(select(DocumentLawRow.document_id, DocumentLawRow.law_title)):
        touched[document_id].append(title)
    hashes = law_hashes(session)
    todo = []
    for document_id, sha256, stored in documents:
        if stored is None or stored.split(REVIEW_KEY_SEPARATOR)[1:2] != [pipeline_version] or stored != review_key_for(sha256, pipeline_version, touched[document_id], hashes):
            todo.append(document_id)
    return todo


def known_sha256s(session: Session) -> set[str]:
    """Content hashes of every stored document version that parsed (errors are retried)."""
    return set(
        session.scalars(
            select(DocumentRow.sha256).where(DocumentRow.sha256.is_not(None), DocumentRow.text.is_not(None))
        )
    )
