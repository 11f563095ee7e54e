"""Mail outbox, and an audit log that survives its owner.

- `outgoing_mail`: mail stored in the transaction of the decision it tells about, then
  delivered (and retried) by a sender.
- `audit_entries.previous_hash` and `row_hash`: a hash chain over the audit rows; rows
  already in the log are chained here, oldest first.
- Triggers that also refuse TRUNCATE (PostgreSQL) and INSERT OR REPLACE over an existing
  row (SQLite: REPLACE deletes the old row without firing DELETE triggers).

Revision ID: c12c00000001
Revises: c11b00000001
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c12c00000001'
down_revision = "c11b00000001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'failed', name='mailstatus', native_enum=False,
                                length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mail_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_outgoing_mail_status_next_attempt', ['status', 'next_attempt_at'], unique=False)

    # Plain ADD COLUMN on both backends (no table copy, so the SQLite triggers stay).
    op.add_column('audit_entries', sa.Column('previous_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_entries', sa.Column('row_hash', sa.String(length=64), nullable=True))
    _chain_existing_rows()
    _refuse_truncate_and_replace()


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_replace")
    _without_append_only_triggers(lambda: (op.drop_column('audit_entries', 'row_hash'),
                                           op.drop_column('audit_entries', 'previous_hash')))
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mail_status_next_attempt')
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_created_at'))
    op.drop_table('outgoing_mail')


def _without_append_only_triggers(change):
    """Run `change` with the UPDATE/DELETE triggers of the first revision set aside."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
        change()
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entries_no_{verb}")
    change()
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER audit_entries_no_{verb.lower()}
            BEFORE {verb} ON audit_entries
            BEGIN
                SELECT RAISE(ABORT, 'audit entries are append-only');
            END
        """)


def _chain_existing_rows():
    # The hash is the app's own definition: verify recomputes it the same way.
    from marketplace.core.audit import chain_hash

    bind = op.get_bind()
    table = sa.table('audit_entries', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                     sa.column('actor_id', sa.Integer), sa.column('action', sa.String),
                     sa.column('subject_type', sa.String), sa.column('subject_id', sa.String),
                     sa.column('reason', sa.Text), sa.column('county_code', sa.String),
                     sa.column('standard_version', sa.String), sa.column('public', sa.Boolean),
                     sa.column('details', sa.JSON), sa.column('previous_hash', sa.String),
                     sa.column('row_hash', sa.String))
    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    if not rows:
        return

    def link():
        previous = ""
        for row in rows:
            fields = {key: row[key] for key in ('created_at', 'actor_id', 'action', 'subject_type', 'subject_id',
                                                'reason', 'county_code', 'standard_version', 'public', 'details')}
            row_hash = chain_hash(previous, **fields)
            bind.execute(table.update().where(table.c.id == row['id'])
                         .values(previous_hash=previous, row_hash=row_hash))
            previous = row_hash

    _without_append_only_triggers(link)


def _refuse_truncate_and_replace():
    if op.get_bind().dialect.name == "postgresql":
        # The function of the first revision raises whatever the event.
        op.execute("""
            CREATE TRIGGER audit_entries_no_truncate
            BEFORE TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()
        """)
    else:
        op.execute("""
            CREATE TRIGGER audit_entries_no_replace
            BEFORE INSERT ON audit_entries
            WHEN EXISTS (SELECT 1 FROM audit_entries WHERE id = NEW.id)
            BEGIN
                SELECT RAISE(ABORT, 'audit entries are append-only');
            END
        """)
