"""site candidates (discovery of official websites)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inegi_code", sa.String(length=5), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("matched", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review", sa.String(length=20), nullable=True),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_candidates")),
        sa.UniqueConstraint("inegi_code", "url", name="uq_site_candidates_code_url"),
    )
    with op.batch_alter_table("site_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_candidates_inegi_code"), ["inegi_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("site_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_candidates_inegi_code"))
    op.drop_table("site_candidates")
