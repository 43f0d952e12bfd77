"""The amendment cascade: which documents need another review, per pipeline and per touched law."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from db.corpus import store_law_version
from db.documents import DocumentRef, record_document_error, store_document
from db.incremental import documents_to_review, known_sha256s, law_hashes, review_key_for
from db.review import store_review
from db.session import Database
from tests.db.factories import (
    LICENSING_LAW,
    PENALTY_LAW,
    law,
    law_version,
    parsed_document,
    recommendation,
    sha,
)

PIPELINE = "2026.11.1"


def _review(session: Session, ref: DocumentRef, touched: Sequence[str], pipeline: str = PIPELINE) -> None:
    """Store a review the way the review flow does: key computed from the touched laws' hashes."""
    document_sha = parsed_document().sha256
    key = review_key_for(document_sha, pipeline, touched, law_hashes(session))
    store_review(
        session,
        ref.id,
        None,
        findings=[],
        resolutions=[],
        recommendation=recommendation(),
        review_key=key,
        touched_laws=touched,
    )


def test_documents_to_review_lists_unreviewed(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        assert documents_to_review(session, PIPELINE) == [ref.id]


def test_documents_to_review_skips_unchanged(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        ref = store_document(session, parsed_document())
        _review(session, ref, [PENALTY_LAW])
        assert documents_to_review(session, PIPELINE) == []


def test_documents_to_review_lists_all_after_pipeline_change(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, [])
        assert documents_to_review(session, "2026.12.0") == [ref.id]


def test_documents_to_review_lists_documents_of_an_amended_law(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        ref = store_document(session, parsed_document())
        _review(session, ref, [PENALTY_LAW])
        store_law_version(
            session, law(), law_version(label="2026-01-01", published_on=law_version().published_on)
        )
        assert documents_to_review(session, PIPELINE) == [ref.id]


def test_documents_to_review_ignores_other_laws(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        ref = store_document(session, parsed_document())
        _review(session, ref, [PENALTY_LAW])
        store_law_version(session, law(LICENSING_LAW), law_version(LICENSING_LAW))
        assert documents_to_review(session, PIPELINE) == []


def test_documents_to_review_lists_documents_citing_a_newly_imported_law(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, [LICENSING_LAW])  # cited, not yet in the corpus
        store_law_version(session, law(LICENSING_LAW), law_version(LICENSING_LAW))
        assert documents_to_review(session, PIPELINE) == [ref.id]


def test_documents_to_review_reaches_law_by_short_title(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        ref = store_document(session, parsed_document())
        _review(session, ref, ["行政处罚法"])
        store_law_version(session, law(), law_version(text_suffix="（修正）"))
        assert documents_to_review(session, PIPELINE) == [ref.id]


def test_documents_to_review_force_lists_everything(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, [])
        assert documents_to_review(session, PIPELINE, force=True) == [ref.id]


def test_known_sha256s_leaves_out_failed_files(database: Database) -> None:
    parsed = parsed_document()
    with database.session() as session:
        store_document(session, parsed)
        record_document_error(
            session, path="/docs/坏.pdf", sha256=sha("bad"), stage="extract", code="E003", message="损坏"
        )
        assert known_sha256s(session) == {parsed.sha256}
