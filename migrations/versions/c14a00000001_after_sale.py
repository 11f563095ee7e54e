"""After the sale: each user's mail language, cooperatives' payee accounts, after-sales
requests with their photos, and reminders mailed before offline orders expire.

Revision ID: c14a00000001
Revises: c17a00000001
Create Date: 2026-11-30 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c14a00000001"
down_revision = "c17a00000001"
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade():
    # Plain ADD COLUMN on both backends (no table copy).
    op.add_column("users", sa.Column("language", sa.String(length=5), server_default="zh", nullable=False))

    op.create_table(
        "payee_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("bank_name", sa.String(length=100), nullable=False),
        sa.Column("account_name", sa.String(length=120), nullable=False),
        sa.Column("account_number", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_payee_accounts_cooperative_id_cooperatives"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_payee_accounts_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payee_accounts")),
        sa.UniqueConstraint("cooperative_id", name=op.f("uq_payee_accounts_cooperative_id")),
    )

    op.create_table(
        "after_sale_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("sub_order_id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("aftersalekind", "refund", "return"), nullable=False),
        sa.Column("status", _enum("aftersalestatus", "requested", "goods_requested", "goods_sent", "refused",
                                  "escalated", "refunded", "dismissed"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_minor", sa.Integer(), nullable=False),
        sa.Column("refund_minor", sa.Integer(), nullable=True),
        sa.Column("seller_note", sa.Text(), nullable=False),
        sa.Column("supervisor_note", sa.Text(), nullable=False),
        sa.Column("return_tracking_number", sa.String(length=40), nullable=True),
        sa.Column("answer_due_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_automatically", sa.Boolean(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("requested_minor > 0", name=op.f("ck_after_sale_requests_requested_positive")),
        sa.CheckConstraint("refund_minor IS NULL OR refund_minor > 0",
                           name=op.f("ck_after_sale_requests_refund_positive")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_after_sale_requests_order_id_orders"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sub_order_id"], ["sub_orders.id"],
                                name=op.f("fk_after_sale_requests_sub_order_id_sub_orders"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_after_sale_requests_cooperative_id_cooperatives")),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name=op.f("fk_after_sale_requests_buyer_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_after_sale_requests_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_after_sale_requests")),
        sa.UniqueConstraint("sub_order_id", name=op.f("uq_after_sale_requests_sub_order_id")),
    )
    with op.batch_alter_table("after_sale_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_after_sale_requests_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_after_sale_requests_cooperative_id"), ["cooperative_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_after_sale_requests_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index("ix_after_sale_requests_status_due", ["status", "answer_due_at"], unique=False)

    op.create_table(
        "after_sale_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=64), nullable=False),
        sa.Column("thumbnail", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["after_sale_requests.id"],
                                name=op.f("fk_after_sale_photos_request_id_after_sale_requests"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_after_sale_photos")),
        sa.UniqueConstraint("filename", name=op.f("uq_after_sale_photos_filename")),
    )
    with op.batch_alter_table("after_sale_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_after_sale_photos_request_id"), ["request_id"], unique=False)

    op.create_table(
        "payment_reminders",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_payment_reminders_order_id_orders"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_payment_reminders")),
    )


def downgrade():
    op.drop_table("payment_reminders")
    op.drop_table("after_sale_photos")
    op.drop_table("after_sale_requests")
    op.drop_table("payee_accounts")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
