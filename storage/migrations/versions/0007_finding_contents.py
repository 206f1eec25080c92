"""finding_contents: what a finding concludes is stored once per hash; each night's row keeps its own fetches

A finding's JSON splits into its content and the WARC record, WARC file and fetch time of each evidence item
(storage/findings.py). Rows written before this revision keep the whole finding in `data` and no content hash;
they are read as before and left as they are.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.findings import join

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 500
findings = sa.table(
    "findings", sa.column("id", sa.Integer()), sa.column("data", sa.JSON()), sa.column("content_sha256", sa.String(64))
)
contents = sa.table("finding_contents", sa.column("sha256", sa.String(64)), sa.column("content", sa.JSON()))


def upgrade() -> None:
    op.create_table(
        "finding_contents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_finding_contents")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_findings_content_sha256_finding_contents"),
            "finding_contents",
            ["content_sha256"],
            ["sha256"],
        )


def downgrade() -> None:
    connection = op.get_bind()
    joined = sa.select(findings.c.id, findings.c.data, contents.c.content).join(
        contents, contents.c.sha256 == findings.c.content_sha256
    )
    last = 0
    while rows := connection.execute(joined.where(findings.c.id > last).order_by(findings.c.id).limit(BATCH)).all():
        last = rows[-1].id
        connection.execute(
            findings.update().where(findings.c.id == sa.bindparam("row_id")).values(data=sa.bindparam("whole")),
            [{"row_id": row.id, "whole": join(row.content, (row.data or {}).get("fetches", []))} for row in rows],
        )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_findings_content_sha256_finding_contents"), type_="foreignkey")
        batch_op.drop_column("content_sha256")
    op.drop_table("finding_contents")
