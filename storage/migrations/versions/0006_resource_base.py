"""resources.base_id: a 304 row names the earlier row whose body, extract and headers it reuses

A `304 Not Modified` row keeps only the headers that differ from its base row's; its WARC record is a
`revisit` pointing to the base row's response record. Rows without a base (every row before this
revision) hold all their headers, as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500
resources = sa.table(
    "resources", sa.column("id", sa.Integer()), sa.column("headers", sa.JSON()), sa.column("base_id", sa.Integer())
)


def upgrade() -> None:
    # No foreign key: pruning deletes rows in bulk, and retention keeps every run a kept row's base is in.
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("base_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    connection = op.get_bind()
    base = resources.alias("base")
    joined = sa.select(resources.c.id, resources.c.headers, base.c.headers.label("base_headers")).join(
        base, base.c.id == resources.c.base_id
    )
    last = 0
    while rows := connection.execute(joined.where(resources.c.id > last).order_by(resources.c.id).limit(BATCH)).all():
        last = rows[-1].id
        connection.execute(
            resources.update().where(resources.c.id == sa.bindparam("row_id")).values(headers=sa.bindparam("whole")),
            [{"row_id": row.id, "whole": {**(row.base_headers or {}), **(row.headers or {})}} for row in rows],
        )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("base_id")
