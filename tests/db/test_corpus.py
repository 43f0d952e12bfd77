"""Corpus repository: idempotent law versions, bulk load, fingerprint, change tracking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.corpus import corpus_fingerprint, corpus_summary, laws_changed_since, load_laws, store_law_version
from db.models import LawArticleRow, LawVersionRow
from db.session import Database
from extractors.model import Article
from tests.db.factories import LICENSING_LAW, PENALTY_LAW, law, law_version


def test_store_law_version_creates_version(database: Database) -> None:
    with database.session() as session:
        ref = store_law_version(session, law(), law_version())
    assert ref.created
    assert ref.id > 0


def test_store_law_version_is_idempotent(database: Database) -> None:
    with database.session() as session:
        first = store_law_version(session, law(), law_version())
    with database.session() as session:
        again = store_law_version(session, law(), law_version())
        versions = session.scalar(select(func.count()).select_from(LawVersionRow))
        articles = session.scalar(select(func.count()).select_from(LawArticleRow))
    assert (again.id, again.created) == (first.id, False)
    assert (versions, articles) == (1, 3)


def test_store_law_version_replaces_changed_articles(database: Database) -> None:
    with database.session() as session:
        first = store_law_version(session, law(), law_version(articles=3))
    with database.session() as session:
        changed = store_law_version(session, law(), law_version(articles=2, text_suffix="（修正）"))
    with database.session() as session:
        (loaded,) = load_laws(session)
    assert changed == (first.id, True)
    assert [a.number for a in loaded.versions[0].articles] == [1, 2]
    assert "（修正）" in loaded.versions[0].articles[0].text


def test_store_law_version_leaves_nothing_when_it_fails(database: Database) -> None:
    broken = replace(law_version(), articles=(Article(number=1, label="第1条", text=None),))  # type: ignore[arg-type]
    with database.session() as session:
        with pytest.raises(Exception):  # noqa: B017 — the driver's NOT NULL error, whatever its type
            store_law_version(session, law(), broken)
        assert session.scalar(select(func.count()).select_from(LawVersionRow)) == 0


def test_load_laws_round_trips_versions_oldest_first(database: Database) -> None:
    newer = law_version()
    older = law_version(
        label="2017-09-01", published_on=date(2017, 9, 1), effective_on=date(2018, 1, 1), expired=True
    )
    with database.session() as session:
        store_law_version(session, law(), newer)
        store_law_version(session, law(), older)
    with database.session() as session:
        (loaded,) = load_laws(session)
    assert loaded.title == PENALTY_LAW
    assert loaded.short_titles == ("行政处罚法",)
    assert loaded.versions == (older, newer)


def test_load_laws_returns_every_law(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        store_law_version(session, law(LICENSING_LAW, short=("行政许可法",)), law_version(LICENSING_LAW))
    with database.session() as session:
        titles = [item.title for item in load_laws(session)]
    assert sorted(titles) == sorted([PENALTY_LAW, LICENSING_LAW])


def test_store_law_version_updates_law_info(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        store_law_version(session, law(repealed_on=date(2030, 1, 1)), law_version())
    with database.session() as session:
        (loaded,) = load_laws(session)
    assert loaded.repealed_on == date(2030, 1, 1)


def test_corpus_fingerprint_is_stable_without_changes(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        before = corpus_fingerprint(session)
        store_law_version(session, law(), law_version())
        assert corpus_fingerprint(session) == before


def test_corpus_fingerprint_changes_with_new_version(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        before = corpus_fingerprint(session)
        store_law_version(session, law(), law_version(label="2023-01-01", published_on=date(2023, 1, 1)))
        assert corpus_fingerprint(session) != before


def test_corpus_fingerprint_changes_with_changed_text(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        before = corpus_fingerprint(session)
        store_law_version(session, law(), law_version(text_suffix="（修正）"))
        assert corpus_fingerprint(session) != before


def test_laws_changed_since_lists_only_changed_laws(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        store_law_version(session, law(LICENSING_LAW), law_version(LICENSING_LAW))
    checkpoint = datetime.now(UTC)
    with database.session() as session:
        store_law_version(session, law(), law_version())  # unchanged: not listed
        store_law_version(session, law(LICENSING_LAW), law_version(LICENSING_LAW, text_suffix="（修正）"))
    with database.session() as session:
        assert laws_changed_since(session, checkpoint) == [LICENSING_LAW]


def test_laws_changed_since_earlier_time_lists_all(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version())
        assert laws_changed_since(session, datetime.now(UTC) - timedelta(days=1)) == [PENALTY_LAW]


def test_corpus_summary_counts(database: Database) -> None:
    with database.session() as session:
        store_law_version(session, law(), law_version(articles=4))
        summary = corpus_summary(session)
    assert (summary["laws"], summary["versions"], summary["articles"]) == (1, 1, 4)
    assert isinstance(summary["version"], str)
