"""Reviewer decisions: validation, append-only, history, latest wins, carried across runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.decisions import (
    FindingStatus,
    ReviewAction,
    decision_history,
    finding_status,
    latest_decisions,
    record_decision,
)
from db.documents import store_document
from db.errors import AppendOnlyViolation, InvalidDecision, RecordNotFound
from db.models import FindingRow, RecommendationRow, ReviewDecisionRow
from db.review import store_review
from db.session import Database
from rules.model import Decision, RepealKind
from tests.db.factories import finding, parsed_document, recommendation

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _reviewed(session: Session) -> tuple[int, int]:
    """Store and review the sample document; returns (finding id, recommendation id)."""
    ref = store_document(session, parsed_document())
    store_review(
        session,
        ref.id,
        None,
        findings=[finding()],
        resolutions=[],
        recommendation=recommendation(),
        review_key="k",
        touched_laws=[],
    )
    finding_id = session.scalar(select(FindingRow.id).where(FindingRow.is_current.is_(True)))
    rec_id = session.scalar(select(RecommendationRow.id).where(RecommendationRow.is_current.is_(True)))
    assert finding_id is not None and rec_id is not None
    return finding_id, rec_id


def test_record_decision_stores_decision(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        decision_id = record_decision(
            session,
            finding_id=finding_id,
            reviewer="张三",
            decision="edit",
            comment="措辞调整",
            edited_text="建议删除第二条中的罚款规定。",
            decided_at=T0,
        )
        (stored,) = decision_history(session, finding_id=finding_id)
    assert (stored.id, stored.decision, stored.edited_text, stored.decided_at) == (
        decision_id,
        ReviewAction.EDIT,
        "建议删除第二条中的罚款规定。",
        T0,
    )


@pytest.mark.parametrize(
    ("reviewer", "comment"),
    [("", "理由"), ("   ", "理由"), ("张三", ""), ("张三", "  ")],
    ids=["no-reviewer", "blank-reviewer", "no-comment", "blank-comment"],
)
def test_record_decision_requires_reviewer_and_comment(
    database: Database, reviewer: str, comment: str
) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        with pytest.raises(InvalidDecision):
            record_decision(
                session, finding_id=finding_id, reviewer=reviewer, decision="accept", comment=comment
            )


def test_invalid_decision_is_a_value_error() -> None:
    assert issubclass(InvalidDecision, ValueError)


def test_record_decision_requires_exactly_one_subject(database: Database) -> None:
    with database.session() as session:
        finding_id, rec_id = _reviewed(session)
        with pytest.raises(InvalidDecision):
            record_decision(
                session,
                finding_id=finding_id,
                recommendation_id=rec_id,
                reviewer="张三",
                decision="accept",
                comment="理由",
            )


def test_record_decision_rejects_unknown_action(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        with pytest.raises(InvalidDecision):
            record_decision(
                session, finding_id=finding_id, reviewer="张三", decision="approve", comment="理由"
            )


def test_record_decision_edit_requires_text(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        with pytest.raises(InvalidDecision):
            record_decision(session, finding_id=finding_id, reviewer="张三", decision="edit", comment="理由")


def test_record_decision_override_only_on_recommendation(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        with pytest.raises(InvalidDecision):
            record_decision(
                session,
                finding_id=finding_id,
                reviewer="张三",
                decision="override",
                comment="理由",
                override_decision=Decision.RETAIN,
            )


def test_record_decision_override_to_repeal_needs_repeal_kind(database: Database) -> None:
    with database.session() as session:
        _, rec_id = _reviewed(session)
        with pytest.raises(InvalidDecision):
            record_decision(
                session,
                recommendation_id=rec_id,
                reviewer="张三",
                decision="override",
                comment="已过有效期",
                override_decision=Decision.REPEAL,
            )


def test_record_decision_override_stores_repeal_kind(database: Database) -> None:
    with database.session() as session:
        _, rec_id = _reviewed(session)
        record_decision(
            session,
            recommendation_id=rec_id,
            reviewer="张三",
            decision="override",
            comment="已过有效期",
            override_decision="repeal",
            repeal_kind="宣布失效",
        )
        (stored,) = decision_history(session, recommendation_id=rec_id)
    assert (stored.override_decision, stored.repeal_kind) == (Decision.REPEAL, RepealKind.DECLARE_INVALID)


def test_record_decision_on_unknown_finding_raises(database: Database) -> None:
    with database.session() as session, pytest.raises(RecordNotFound):
        record_decision(session, finding_id=12345, reviewer="张三", decision="accept", comment="理由")


def test_decisions_cannot_be_deleted(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        decision_id = record_decision(
            session, finding_id=finding_id, reviewer="张三", decision="accept", comment="理由"
        )
        session.delete(session.get(ReviewDecisionRow, decision_id))
        with pytest.raises(AppendOnlyViolation):
            session.flush()
        session.rollback()


def test_decisions_cannot_be_rewritten(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        decision_id = record_decision(
            session, finding_id=finding_id, reviewer="张三", decision="accept", comment="理由"
        )
        row = session.get(ReviewDecisionRow, decision_id)
        assert row is not None
        row.comment = "改过的理由"
        with pytest.raises(AppendOnlyViolation):
            session.flush()
        session.rollback()


def test_latest_decision_wins(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        record_decision(
            session,
            finding_id=finding_id,
            reviewer="张三",
            decision="accept",
            comment="确有问题",
            decided_at=T0,
        )
        record_decision(
            session,
            finding_id=finding_id,
            reviewer="李四",
            decision="dismiss",
            comment="有法律授权",
            decided_at=T0 + timedelta(hours=1),
        )
        row = session.get(FindingRow, finding_id)
        assert row is not None
        latest = latest_decisions(session)[(row.lineage_id, row.subject_key)]
    assert (latest.reviewer, finding_status(latest)) == ("李四", FindingStatus.DISMISSED)


def test_concurrent_decisions_are_both_kept(database_url: str) -> None:
    from db.session import open_database

    with open_database(database_url) as database:
        with database.session() as session:
            finding_id, _ = _reviewed(session)
        with database.session() as first, database.session() as second:
            record_decision(
                first, finding_id=finding_id, reviewer="张三", decision="accept", comment="一", decided_at=T0
            )
            first.commit()
            record_decision(
                second,
                finding_id=finding_id,
                reviewer="李四",
                decision="dismiss",
                comment="二",
                decided_at=T0,
            )
        with database.session() as session:
            history = decision_history(session, finding_id=finding_id)
    assert [d.reviewer for d in history] == ["张三", "李四"]  # same time: insertion order decides


def test_decision_applies_to_equivalent_finding_of_next_run(database: Database) -> None:
    with database.session() as session:
        finding_id, _ = _reviewed(session)
        record_decision(session, finding_id=finding_id, reviewer="张三", decision="dismiss", comment="有授权")
        ref = store_document(session, parsed_document())
        store_review(
            session,
            ref.id,
            None,
            findings=[finding()],
            resolutions=[],
            recommendation=recommendation(),
            review_key="k2",
            touched_laws=[],
        )
        new_id = session.scalar(select(FindingRow.id).where(FindingRow.is_current.is_(True)))
        assert new_id is not None and new_id != finding_id
        assert [d.reviewer for d in decision_history(session, finding_id=new_id)] == ["张三"]


def test_finding_status_without_decision_is_open() -> None:
    assert finding_status(None) is FindingStatus.OPEN
