"""law_articles: headings and paragraphs as separator-joined text instead of JSON (load speed).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Must equal db.models.PART_SEPARATOR at the time of this revision (migrations never import models).
SEPARATOR = "\x1f"
BATCH = 5_000

_json_articles = sa.table(
    "law_articles",
    sa.column("id", sa.Integer()),
    sa.column("headings", sa.JSON()),
    sa.column("paragraphs", sa.JSON()),
    sa.column("headings_joined", sa.Text()),
    sa.column("paragraphs_joined", sa.Text()),
)


def _join(parts: list[str] | None) -> str:
    return SEPARATOR.join(str(p).replace(SEPARATOR, "") for p in (parts or []))


def upgrade() -> None:
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headings_joined", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("paragraphs_joined", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_json_articles.c.id, _json_articles.c.headings, _json_articles.c.paragraphs)
    ).all()
    update = (
        sa.update(_json_articles)
        .where(_json_articles.c.id == sa.bindparam("row_id"))
        .values(headings_joined=sa.bindparam("h"), paragraphs_joined=sa.bindparam("p"))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(
            update,
            [{"row_id": r.id, "h": _join(r.headings), "p": _join(r.paragraphs)} for r in rows[start : start + BATCH]],
        )
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.alter_column("headings_joined", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("paragraphs_joined", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("headings")
        batch_op.drop_column("paragraphs")


def downgrade() -> None:
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headings", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("paragraphs", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_json_articles.c.id, _json_articles.c.headings_joined, _json_articles.c.paragraphs_joined)
    ).all()
    update = (
        sa.update(_json_articles)
        .where(_json_articles.c.id == sa.bindparam("row_id"))
        .values(headings=sa.bindparam("h"), paragraphs=sa.bindparam("p"))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(
            update,
            [
                {
                    "row_id": r.id,
                    "h": r.headings_joined.split(SEPARATOR) if r.headings_joined else [],
                    "p": r.paragraphs_joined.split(SEPARATOR) if r.paragraphs_joined else [],
                }
                for r in rows[start : start + BATCH]
            ],
        )
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.alter_column("headings", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("paragraphs", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("headings_joined")
        batch_op.drop_column("paragraphs_joined")
