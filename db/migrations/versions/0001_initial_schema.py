"""Initial schema: corpus, documents, machine results, reviewer decisions, runs.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('laws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('short_titles', sa.JSON(), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('repealed_on', sa.Date(), nullable=True),
    sa.Column('successor', sa.String(length=400), nullable=True),
    sa.Column('info_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_laws')),
    sa.UniqueConstraint('title', name=op.f('uq_laws_title'))
    )
    with op.batch_alter_table('laws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_laws_updated_at'), ['updated_at'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runs_kind'), ['kind'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('format', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('lineage_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('wrapper_title', sa.Text(), nullable=True),
    sa.Column('doc_number', sa.String(length=200), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('validity_text', sa.Text(), nullable=True),
    sa.Column('doc_type', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('pages', sa.JSON(), nullable=False),
    sa.Column('issues', sa.JSON(), nullable=False),
    sa.Column('error_stage', sa.String(length=32), nullable=True),
    sa.Column('error_code', sa.String(length=16), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('error_run_id', sa.Integer(), nullable=True),
    sa.Column('review_key', sa.String(length=200), nullable=True),
    sa.Column('pipeline_version', sa.String(length=64), nullable=True),
    sa.Column('corpus_version', sa.String(length=64), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_run_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['error_run_id'], ['runs.id'], name=op.f('fk_documents_error_run_id_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_id'], ['documents.id'], name=op.f('fk_documents_previous_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_run_id'], ['runs.id'], name=op.f('fk_documents_review_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_doc_number'), ['doc_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_lineage_id'), ['lineage_id'], unique=False)
        batch_op.create_index('ix_documents_path_is_current', ['path', 'is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_review_run_id'), ['review_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_status'), ['status'], unique=False)

    op.create_table('law_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('law_id', sa.Integer(), nullable=False),
    sa.Column('version_key', sa.String(length=64), nullable=False),
    sa.Column('version_label', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('expired', sa.Boolean(), nullable=False),
    sa.Column('repealed_on', sa.Date(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('article_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['law_id'], ['laws.id'], name=op.f('fk_law_versions_law_id_laws'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_versions')),
    sa.UniqueConstraint('law_id', 'version_key', name=op.f('uq_law_versions_law_id_version_key'))
    )
    with op.batch_alter_table('law_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_versions_law_id'), ['law_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_law_versions_updated_at'), ['updated_at'], unique=False)

    op.create_table('clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('parent_position', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('headings', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('from_ocr', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_clauses_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clauses')),
    sa.UniqueConstraint('document_id', 'position', name=op.f('uq_clauses_document_id_position'))
    )
    op.create_table('document_laws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('law_title', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_laws_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_laws')),
    sa.UniqueConstraint('document_id', 'law_title', name=op.f('uq_document_laws_document_id_law_title'))
    )
    with op.batch_alter_table('document_laws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_laws_law_title'), ['law_title'], unique=False)

    op.create_table('law_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('headings', sa.JSON(), nullable=False),
    sa.Column('paragraphs', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['law_versions.id'], name=op.f('fk_law_articles_version_id_law_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_articles'))
    )
    with op.batch_alter_table('law_articles', schema=None) as batch_op:
        batch_op.create_index('ix_law_articles_version_id_number', ['version_id', 'number'], unique=False)

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('lineage_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('repeal_kind', sa.String(length=16), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('subject_hash', sa.String(length=64), nullable=False),
    sa.Column('review_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_recommendations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_recommendations_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_decision'), ['decision'], unique=False)
        batch_op.create_index('ix_recommendations_document_id_is_current', ['document_id', 'is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_lineage_id'), ['lineage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_run_id'), ['run_id'], unique=False)

    op.create_table('spans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attrs', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_spans_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spans'))
    )
    with op.batch_alter_table('spans', schema=None) as batch_op:
        batch_op.create_index('ix_spans_document_id_start', ['document_id', 'start_offset'], unique=False)
        batch_op.create_index(batch_op.f('ix_spans_label'), ['label'], unique=False)

    op.create_table('citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('clause_id', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('written_title', sa.Text(), nullable=True),
    sa.Column('article', sa.Integer(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('item', sa.Integer(), nullable=True),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('doc_number', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('law_id', sa.Integer(), nullable=True),
    sa.Column('law_title', sa.String(length=400), nullable=True),
    sa.Column('version_label', sa.String(length=64), nullable=True),
    sa.Column('current_article', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('successor', sa.String(length=400), nullable=True),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_citations_clause_id_clauses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_citations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['law_id'], ['laws.id'], name=op.f('fk_citations_law_id_laws'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_citations_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citations'))
    )
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citations_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_law_id'), ['law_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_status'), ['status'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('lineage_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('clause_id', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('clause_label', sa.String(length=200), nullable=False),
    sa.Column('clause_text', sa.Text(), nullable=False),
    sa.Column('subject_key', sa.String(length=300), nullable=False),
    sa.Column('subject_hash', sa.String(length=64), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('superior_law_title', sa.String(length=400), nullable=True),
    sa.Column('superior_version_label', sa.String(length=64), nullable=True),
    sa.Column('superior_article', sa.Integer(), nullable=True),
    sa.Column('superior_text', sa.Text(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('review_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_findings_clause_id_clauses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_findings_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_findings_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index('ix_findings_document_id_is_current', ['document_id', 'is_current'], unique=False)
        batch_op.create_index('ix_findings_lineage_id_subject_key', ['lineage_id', 'subject_key'], unique=False)
        batch_op.create_index('ix_findings_rule_is_current', ['rule', 'is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_severity'), ['severity'], unique=False)

    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('lineage_id', sa.Integer(), nullable=False),
    sa.Column('subject_key', sa.String(length=300), nullable=False),
    sa.Column('subject_hash', sa.String(length=64), nullable=False),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('edited_text', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('override_decision', sa.String(length=16), nullable=True),
    sa.Column('repeal_kind', sa.String(length=16), nullable=True),
    sa.Column('needs_recheck', sa.Boolean(), nullable=False),
    sa.Column('recheck_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('(finding_id IS NULL) <> (recommendation_id IS NULL)', name=op.f('ck_review_decisions_one_subject')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_review_decisions_document_id_documents')),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_review_decisions_finding_id_findings')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_review_decisions_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions'))
    )
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decisions_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index('ix_review_decisions_lineage_id_subject_key', ['lineage_id', 'subject_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decisions_recommendation_id'), ['recommendation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_recommendation_id'))
        batch_op.drop_index('ix_review_decisions_lineage_id_subject_key')
        batch_op.drop_index(batch_op.f('ix_review_decisions_finding_id'))

    op.drop_table('review_decisions')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_severity'))
        batch_op.drop_index(batch_op.f('ix_findings_run_id'))
        batch_op.drop_index('ix_findings_rule_is_current')
        batch_op.drop_index('ix_findings_lineage_id_subject_key')
        batch_op.drop_index('ix_findings_document_id_is_current')

    op.drop_table('findings')
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citations_status'))
        batch_op.drop_index(batch_op.f('ix_citations_law_id'))
        batch_op.drop_index(batch_op.f('ix_citations_document_id'))

    op.drop_table('citations')
    with op.batch_alter_table('spans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spans_label'))
        batch_op.drop_index('ix_spans_document_id_start')

    op.drop_table('spans')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendations_run_id'))
        batch_op.drop_index(batch_op.f('ix_recommendations_lineage_id'))
        batch_op.drop_index('ix_recommendations_document_id_is_current')
        batch_op.drop_index(batch_op.f('ix_recommendations_decision'))

    op.drop_table('recommendations')
    with op.batch_alter_table('law_articles', schema=None) as batch_op:
        batch_op.drop_index('ix_law_articles_version_id_number')

    op.drop_table('law_articles')
    with op.batch_alter_table('document_laws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_laws_law_title'))

    op.drop_table('document_laws')
    op.drop_table('clauses')
    with op.batch_alter_table('law_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_law_versions_updated_at'))
        batch_op.drop_index(batch_op.f('ix_law_versions_law_id'))

    op.drop_table('law_versions')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_status'))
        batch_op.drop_index(batch_op.f('ix_documents_review_run_id'))
        batch_op.drop_index('ix_documents_path_is_current')
        batch_op.drop_index(batch_op.f('ix_documents_lineage_id'))
        batch_op.drop_index(batch_op.f('ix_documents_doc_number'))

    op.drop_table('documents')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_kind'))

    op.drop_table('runs')
    with op.batch_alter_table('laws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_laws_updated_at'))

    op.drop_table('laws')
