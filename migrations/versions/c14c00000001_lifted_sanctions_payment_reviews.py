"""Supervision: measures can be lifted, flagged payments handled, and a guest complainant's language kept.

Sanctions gain when, by whom and why they were lifted, the listings a measure paused (so
that lifting it restores them) and whether a freeze recalled the batch. Complaints keep
the language they were written in, for mail to a contact address without an account.
Handled payment flags get their own table.

Revision ID: c14c00000001
Revises: c12d00000001
"""
from alembic import op
import sqlalchemy as sa

revision = "c14c00000001"
down_revision = "c12d00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_listings", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("recalled", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lifted_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lift_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.create_foreign_key(batch_op.f("fk_sanctions_lifted_by_id_users"), "users",
                                    ["lifted_by_id"], ["id"])
    # A freeze made before this revision recalled its batch when a supervisor's recall of the
    # same actor stands on the certificate: lifting that freeze ends it. The listings such a
    # freeze paused are not known here: they stay paused until their sellers publish them.
    op.execute("UPDATE sanctions SET recalled = TRUE WHERE kind = 'batch_frozen' AND EXISTS ("
               "SELECT 1 FROM batch_certificates c WHERE c.batch_id = sanctions.batch_id "
               "AND c.recalled_at IS NOT NULL AND c.recalled_by_role = 'supervisor' "
               "AND c.recalled_by_id = sanctions.actor_id)")

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=False, server_default="zh"))

    op.create_table(
        "payment_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Enum("cleared", "refunded", name="paymentreviewoutcome", native_enum=False,
                                     length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("flag_reason", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_payment_reviews_actor_id_users")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_payment_reviews_order_id_orders")),
        sa.ForeignKeyConstraint(["refund_id"], ["refunds.id"], name=op.f("fk_payment_reviews_refund_id_refunds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_reviews")),
    )
    with op.batch_alter_table("payment_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_payment_reviews_created", ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_reviews_order_id"), ["order_id"], unique=False)


def downgrade():
    with op.batch_alter_table("payment_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_reviews_order_id"))
        batch_op.drop_index("ix_payment_reviews_created")
    op.drop_table("payment_reviews")

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("language")

    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_sanctions_lifted_by_id_users"), type_="foreignkey")
        for column in ("lift_reason", "lifted_by_id", "lifted_at", "recalled", "paused_listings"):
            batch_op.drop_column(column)
