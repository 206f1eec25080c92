"""extracts: what was extracted from a body is stored once per hash, not copied into every night's row

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

from storage.repository import EXTRACTED, extract_digest

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 500
resources = sa.table(
    "resources",
    sa.column("id", sa.Integer()),
    sa.column("artifact", sa.JSON()),
    sa.column("extract_sha256", sa.String(64)),
)
extracts = sa.table("extracts", sa.column("sha256", sa.String(64)), sa.column("content", sa.JSON()))


def upgrade() -> None:
    op.create_table(
        "extracts",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_extracts")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extract_sha256", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_resources_extract_sha256_extracts"), "extracts", ["extract_sha256"], ["sha256"]
        )
    connection = op.get_bind()
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
    insert_once = dialect.insert(extracts).on_conflict_do_nothing(index_elements=["sha256"])
    last = 0
    while rows := connection.execute(
        sa.select(resources.c.id, resources.c.artifact)
        .where(resources.c.id > last)
        .order_by(resources.c.id)
        .limit(BATCH)
    ).all():
        last = rows[-1].id
        moved = []
        for row in rows:
            artifact = row.artifact or {}
            content = {key: artifact[key] for key in EXTRACTED if key in artifact}
            if content:
                facts = {key: value for key, value in artifact.items() if key not in EXTRACTED}
                moved.append({"row_id": row.id, "facts": facts, "digest": extract_digest(content), "content": content})
        if moved:
            connection.execute(insert_once, [{"sha256": m["digest"], "content": m["content"]} for m in moved])
            connection.execute(
                resources.update()
                .where(resources.c.id == sa.bindparam("row_id"))
                .values(artifact=sa.bindparam("facts"), extract_sha256=sa.bindparam("digest")),
                [{"row_id": m["row_id"], "facts": m["facts"], "digest": m["digest"]} for m in moved],
            )


def downgrade() -> None:
    connection = op.get_bind()
    joined = sa.select(resources.c.id, resources.c.artifact, extracts.c.content).join(
        extracts, extracts.c.sha256 == resources.c.extract_sha256
    )
    last = 0
    while rows := connection.execute(joined.where(resources.c.id > last).order_by(resources.c.id).limit(BATCH)).all():
        last = rows[-1].id
        connection.execute(
            resources.update().where(resources.c.id == sa.bindparam("row_id")).values(artifact=sa.bindparam("whole")),
            [{"row_id": row.id, "whole": {**(row.artifact or {}), **row.content}} for row in rows],
        )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_resources_extract_sha256_extracts"), type_="foreignkey")
        batch_op.drop_column("extract_sha256")
    op.drop_table("extracts")
