"""Storage: the only package that knows SQL (models, sessions, repositories, migrations).

Open a database with `open_database`, then pass `Database.session()` sessions to the
repository functions re-exported here; they take and return our own types
(`extractors.model`, `rules.model`), never rows. See docs/storage.md.
"""

from db.corpus import (
    LawVersionRef,
    corpus_fingerprint,
    corpus_summary,
    laws_changed_since,
    load_laws,
    store_law_version,
)
from db.decisions import (
    DecisionRecord,
    FindingStatus,
    ReviewAction,
    decision_history,
    latest_decisions,
    record_decision,
)
from db.documents import (
    DocumentRef,
    documents_needing_review,
    documents_touching_laws,
    find_document,
    load_document,
    load_documents,
    make_review_key,
    record_document_error,
    store_document,
)
from db.errors import (
    AppendOnlyViolation,
    BadDatabaseUrl,
    DatabaseError,
    DatabaseUnavailable,
    InvalidDecision,
    MigrationFailed,
    RecordNotFound,
    SchemaOutdated,
    SchemaUnknown,
    TransientDatabaseError,
    UnsupportedBackend,
)
from db.incremental import documents_to_review, known_sha256s, law_hashes, review_key_for
from db.queries import FindingView, RecommendationView, find_findings, find_recommendations, findings_html
from db.reports import load_report
from db.review import ReviewDiff, store_review
from db.runs import RunInfo, RunStatus, finish_run, list_runs, load_run, start_run
from db.session import Database, default_url, open_database

__all__ = [
    "AppendOnlyViolation",
    "BadDatabaseUrl",
    "Database",
    "DatabaseError",
    "DatabaseUnavailable",
    "DecisionRecord",
    "DocumentRef",
    "FindingStatus",
    "FindingView",
    "InvalidDecision",
    "LawVersionRef",
    "MigrationFailed",
    "RecommendationView",
    "RecordNotFound",
    "ReviewAction",
    "ReviewDiff",
    "RunInfo",
    "RunStatus",
    "SchemaOutdated",
    "SchemaUnknown",
    "TransientDatabaseError",
    "UnsupportedBackend",
    "corpus_fingerprint",
    "corpus_summary",
    "decision_history",
    "default_url",
    "documents_needing_review",
    "documents_to_review",
    "documents_touching_laws",
    "find_document",
    "find_findings",
    "find_recommendations",
    "findings_html",
    "finish_run",
    "known_sha256s",
    "latest_decisions",
    "law_hashes",
    "laws_changed_since",
    "list_runs",
    "load_document",
    "load_documents",
    "load_laws",
    "load_report",
    "load_run",
    "make_review_key",
    "open_database",
    "record_decision",
    "record_document_error",
    "review_key_for",
    "start_run",
    "store_document",
    "store_law_version",
    "store_review",
]
