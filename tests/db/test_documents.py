"""Documents repository: round trip, idempotency on sha256, versions at one path, errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.documents import (
    documents_needing_review,
    documents_touching_laws,
    find_document,
    load_document,
    load_documents,
    make_review_key,
    record_document_error,
    store_document,
)
from db.errors import RecordNotFound
from db.models import ClauseRow, DocumentRow
from db.review import store_review
from db.session import Database
from tests.db.factories import ARTICLE_2_CHANGED, PENALTY_LAW, parsed_document, recommendation, sha


def test_store_document_round_trips(database: Database) -> None:
    parsed = parsed_document()
    with database.session() as session:
        ref = store_document(session, parsed)
    with database.session() as session:
        assert load_document(session, ref.id) == parsed


def test_store_document_twice_keeps_one_row(database: Database) -> None:
    with database.session() as session:
        first = store_document(session, parsed_document())
    with database.session() as session:
        again = store_document(session, parsed_document())
        rows = session.scalar(select(func.count()).select_from(DocumentRow))
        clauses = session.scalar(select(func.count()).select_from(ClauseRow))
    assert (again.id, again.created, rows, clauses) == (first.id, False, 1, 3)


def test_changed_file_at_same_path_becomes_new_version(database: Database) -> None:
    with database.session() as session:
        old = store_document(session, parsed_document())
        new = store_document(session, parsed_document(article_2=ARTICLE_2_CHANGED))
    with database.session() as session:
        old_row = session.get(DocumentRow, old.id)
        new_row = session.get(DocumentRow, new.id)
        assert old_row is not None and new_row is not None
        assert (new.created, new.previous_id) == (True, old.id)
        assert (old_row.is_current, new_row.is_current) == (False, True)
        assert new_row.lineage_id == old_row.lineage_id == old.id


def test_old_version_keeps_its_review(database: Database) -> None:
    with database.session() as session:
        old = store_document(session, parsed_document())
        store_review(
            session,
            old.id,
            None,
            findings=[],
            resolutions=[],
            recommendation=recommendation(),
            review_key="k",
            touched_laws=[],
        )
        store_document(session, parsed_document(article_2=ARTICLE_2_CHANGED))
    with database.session() as session:
        old_row = session.get(DocumentRow, old.id)
        assert old_row is not None and old_row.review_key == "k"


def test_file_reverted_to_earlier_content_is_current_again(database: Database) -> None:
    with database.session() as session:
        first = store_document(session, parsed_document())
        store_document(session, parsed_document(article_2=ARTICLE_2_CHANGED))
        again = store_document(session, parsed_document())
    with database.session() as session:
        current = find_document(session, path=parsed_document().source)
    assert (again.id, again.created, current) == (first.id, False, first.id)


def test_same_content_elsewhere_is_not_duplicated(database: Database) -> None:
    with database.session() as session:
        first = store_document(session, parsed_document())
        copy = store_document(session, parsed_document(source="/other/副本.docx"))
    assert (copy.id, copy.created) == (first.id, False)


def test_record_document_error_creates_error_row(database: Database) -> None:
    with database.session() as session:
        ref = record_document_error(
            session,
            path="/docs/坏文件.pdf",
            sha256=sha("x"),
            stage="extract",
            code="E003",
            message="文件已损坏",
        )
    with database.session() as session:
        row = session.get(DocumentRow, ref.id)
        assert row is not None
        assert (ref.created, row.status, row.error_code, row.error_stage) == (
            True,
            "error",
            "E003",
            "extract",
        )


def test_record_document_error_without_hash(database: Database) -> None:
    with database.session() as session:
        first = record_document_error(
            session, path="/docs/缺失.pdf", sha256=None, stage="read", code="E014", message="文件不存在"
        )
        again = record_document_error(
            session, path="/docs/缺失.pdf", sha256=None, stage="read", code="E014", message="文件不存在"
        )
    assert (again.id, again.created) == (first.id, False)


def test_store_document_after_error_clears_it(database: Database) -> None:
    parsed = parsed_document()
    with database.session() as session:
        failed = record_document_error(
            session,
            path=parsed.source,
            sha256=parsed.sha256,
            stage="extract",
            code="E010",
            message="缺少转换工具",
        )
    with database.session() as session:
        fixed = store_document(session, parsed)
    with database.session() as session:
        row = session.get(DocumentRow, fixed.id)
        assert row is not None
        assert (fixed.id, fixed.created, row.status, row.error_code) == (failed.id, True, "parsed", None)
        assert load_document(session, fixed.id) == parsed


def test_load_document_of_unparsed_file_raises(database: Database) -> None:
    with database.session() as session:
        ref = record_document_error(
            session,
            path="/docs/坏文件.pdf",
            sha256=sha("x"),
            stage="extract",
            code="E003",
            message="文件已损坏",
        )
        with pytest.raises(RecordNotFound):
            load_document(session, ref.id)


def test_documents_needing_review_lists_unreviewed(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        assert documents_needing_review(session, "1.0", "abc") == [ref.id]


def test_documents_needing_review_skips_reviewed_with_same_key(database: Database) -> None:
    parsed = parsed_document()
    with database.session() as session:
        ref = store_document(session, parsed)
        store_review(
            session,
            ref.id,
            None,
            findings=[],
            resolutions=[],
            recommendation=recommendation(),
            review_key=make_review_key(parsed.sha256, "1.0", "abc"),
            touched_laws=[],
        )
        assert documents_needing_review(session, "1.0", "abc") == []


@pytest.mark.parametrize(("pipeline", "corpus"), [("1.1", "abc"), ("1.0", "def")])
def test_documents_needing_review_lists_reviewed_with_other_key(
    database: Database, pipeline: str, corpus: str
) -> None:
    parsed = parsed_document()
    with database.session() as session:
        ref = store_document(session, parsed)
        store_review(
            session,
            ref.id,
            None,
            findings=[],
            resolutions=[],
            recommendation=recommendation(),
            review_key=make_review_key(parsed.sha256, "1.0", "abc"),
            touched_laws=[],
        )
        assert documents_needing_review(session, pipeline, corpus) == [ref.id]


def test_documents_needing_review_skips_superseded_versions(database: Database) -> None:
    with database.session() as session:
        store_document(session, parsed_document())
        new = store_document(session, parsed_document(article_2=ARTICLE_2_CHANGED))
        assert documents_needing_review(session, "1.0", "abc") == [new.id]


def test_documents_touching_laws(database: Database) -> None:
    with database.session() as session:
        citing = store_document(session, parsed_document())
        other = store_document(
            session,
            parsed_document(
                source="/docs/b.docx", title="另一文件", article_2="第二条 其他违法行为处二百元罚款。"
            ),
        )
        for ref, laws in ((citing, [PENALTY_LAW]), (other, ["中华人民共和国行政许可法"])):
            store_review(
                session,
                ref.id,
                None,
                findings=[],
                resolutions=[],
                recommendation=recommendation(),
                review_key="k",
                touched_laws=laws,
            )
        assert documents_touching_laws(session, [PENALTY_LAW]) == [citing.id]


def test_load_documents_returns_each_parsed_document(database: Database) -> None:
    first, second = parsed_document(), parsed_document(source="/docs/b.docx", article_2=ARTICLE_2_CHANGED)
    with database.session() as session:
        a = store_document(session, first)
        b = store_document(session, second)
        failed = record_document_error(
            session, path="/docs/坏.pdf", sha256=sha("bad"), stage="extract", code="E003", message="损坏"
        )
        assert load_documents(session, [b.id, a.id, failed.id]) == {a.id: first, b.id: second}
