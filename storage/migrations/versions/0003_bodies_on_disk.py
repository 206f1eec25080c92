"""bodies on disk: content is NULL when the bytes live in the disk store

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.bodies import BodyStore

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

bodies = sa.table("bodies", sa.column("sha256", sa.String(64)), sa.column("content", sa.LargeBinary()))


def upgrade() -> None:
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    # The bytes of every disk body come back into its row; the files stay (harmless, and still a copy).
    connection = op.get_bind()
    store = BodyStore.of(connection.engine.url)
    on_disk = connection.scalars(sa.select(bodies.c.sha256).where(bodies.c.content.is_(None))).all()
    for sha256 in on_disk:
        connection.execute(bodies.update().where(bodies.c.sha256 == sha256).values(content=store.read(sha256)))
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
