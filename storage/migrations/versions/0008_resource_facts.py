"""resource_facts: the column of a resource's fetch facts is named as the ORM and the pipeline name them

`resources.artifact` held `FetchFacts` (models/artifact.py) since 0004 moved the extracts out; "artifact" is the
auditor's input (`ResourceArtifact`), so the column is renamed `facts`. Both SQLite (3.25 and later) and PostgreSQL
rename a column in place: no table copy.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE resources RENAME COLUMN artifact TO facts")


def downgrade() -> None:
    op.execute("ALTER TABLE resources RENAME COLUMN facts TO artifact")
