"""Search outbox ids are never handed out twice (SQLite AUTOINCREMENT).

SQLite gives a new row the id of a deleted last row unless the table is AUTOINCREMENT;
a worker deleting the rows it applied by id could then drop a newer commit's row. The
table is rebuilt on SQLite only; PostgreSQL sequences never reuse a value.

Revision ID: c12d00000001
Revises: c18a00000001
"""
from alembic import op

revision = "c12d00000001"
down_revision = "c18a00000001"
branch_labels = None
depends_on = None


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("search_outbox", recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
