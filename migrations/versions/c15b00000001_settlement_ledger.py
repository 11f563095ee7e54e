"""The settlement ledger: append-only entries per sub-order, statement payouts, invoices.

- `ledger_payouts`: a month's statement paid out to a cooperative, once.
- `ledger_entries`: sales, refunds, commission and payouts, with triggers that refuse
  UPDATE, DELETE, TRUNCATE (PostgreSQL) and INSERT OR REPLACE (SQLite), like the audit log.
- `invoice_requests`: a buyer's request for an invoice (发票) of a sub-order, and its file.

Revision ID: c15b00000001
Revises: c16a00000001
Create Date: 2026-11-30 13:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c15b00000001"
down_revision = "c16a00000001"
branch_labels = None
depends_on = None

# Kept here as they were written, so that later model changes never alter this revision.
_POSTGRES_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()""",
    """CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()""",
)
_SQLITE_TRIGGERS = tuple(
    f"""CREATE TRIGGER ledger_entries_no_{verb.lower()} BEFORE {verb} ON ledger_entries
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END"""
    for verb in ("UPDATE", "DELETE")
) + (
    """CREATE TRIGGER ledger_entries_no_replace BEFORE INSERT ON ledger_entries
    WHEN EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
)


def upgrade():
    op.create_table(
        "ledger_payouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("paid_by_id", sa.Integer(), nullable=False),
        sa.Column("paid_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_ledger_payouts_amount_positive")),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_ledger_payouts_cooperative_id_cooperatives")),
        sa.ForeignKeyConstraint(["paid_by_id"], ["users.id"], name=op.f("fk_ledger_payouts_paid_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_payouts")),
        sa.UniqueConstraint("cooperative_id", "month", name=op.f("uq_ledger_payouts_cooperative_id_month")),
    )
    with op.batch_alter_table("ledger_payouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_payouts_cooperative_id"), ["cooperative_id"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("sub_order_id", sa.Integer(), nullable=True),
        sa.Column("payout_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum("sale", "refund", "commission", "payout", name="entrykind", native_enum=False,
                                  length=20), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_minor <> 0", name=op.f("ck_ledger_entries_amount_not_zero")),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_ledger_entries_cooperative_id_cooperatives")),
        sa.ForeignKeyConstraint(["payout_id"], ["ledger_payouts.id"],
                                name=op.f("fk_ledger_entries_payout_id_ledger_payouts")),
        sa.ForeignKeyConstraint(["sub_order_id"], ["sub_orders.id"],
                                name=op.f("fk_ledger_entries_sub_order_id_sub_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_entries_cooperative_created", ["cooperative_id", "created_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_entries_sub_order_id"), ["sub_order_id"], unique=False)

    op.create_table(
        "invoice_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sub_order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("personal", "company", name="invoicekind", native_enum=False, length=20),
                  nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("taxpayer_id", sa.String(length=18), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=64), nullable=True),
        sa.Column("mime", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_invoice_requests_issued_by_id_users")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_invoice_requests_requested_by_id_users")),
        sa.ForeignKeyConstraint(["sub_order_id"], ["sub_orders.id"], ondelete="CASCADE",
                                name=op.f("fk_invoice_requests_sub_order_id_sub_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_requests")),
        sa.UniqueConstraint("sub_order_id", name=op.f("uq_invoice_requests_sub_order_id")),
    )

    statements = _POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade():
    op.drop_table("invoice_requests")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE ledger_entries")
        op.execute("DROP FUNCTION IF EXISTS ledger_entries_append_only()")
    else:
        op.drop_table("ledger_entries")
    with op.batch_alter_table("ledger_payouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_payouts_cooperative_id"))
    op.drop_table("ledger_payouts")
