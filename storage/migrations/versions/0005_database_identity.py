"""database_identity: a random identifier naming this database's own web archive folder

A PostgreSQL database has no file beside which its WARC and WACZ files could live, and its name is not unique
across servers; the archive folder is named by this identifier instead (apertura/evidence/webarchive.py), so two
databases never share an archive.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "database_identity",
        sa.Column("identifier", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("identifier", name=op.f("pk_database_identity")),
    )
    op.bulk_insert(table, [{"identifier": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("database_identity")
