"""Public index (Art. 16): snapshot tables, the search query log, counties' poverty-lifted flag
(and its copy in the PostgreSQL search documents, for the search facet).

Sets the flag from marketplace/core/data/poverty_lifted_counties.csv (its header names the
source and date). Downgrade drops the tables and the column.

Revision ID: c15a00000001
Revises: c14b00000001
Create Date: 2026-11-30 12:40:00
"""
import sqlalchemy as sa
from alembic import op

from marketplace.core.poverty_counties import apply_poverty_flags

# revision identifiers, used by Alembic.
revision = "c15a00000001"
down_revision = "c14b00000001"
branch_labels = None
depends_on = None


#: (table, column) of the order tables' time indexes that publishing a month reads by.
TIME_INDEXES = (("sub_orders", "paid_at"), ("sub_orders", "shipped_at"), ("sub_orders", "delivered_at"),
                ("sub_orders", "cancelled_at"), ("refunds", "created_at"))


def upgrade():
    # A plain ADD COLUMN: SQLite's batch mode would copy the table, which cooperatives refer to.
    op.add_column("counties", sa.Column("poverty_lifted", sa.Boolean(), server_default=sa.false(), nullable=False))
    apply_poverty_flags(op.get_bind())
    # The search facet reads the flag from each listing's document (filled by the next reindex).
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poverty_lifted", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "search_query_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("searched_at", sa.DateTime(), nullable=False),
        sa.Column("query", sa.String(length=100), nullable=False),
        sa.Column("result_count", sa.Integer(), nullable=False),
        sa.Column("gi_product", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_query_log")),
    )
    op.create_index("ix_search_query_log_searched_at", "search_query_log", ["searched_at"], unique=False)

    op.create_table(
        "insights_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"],
                                name=op.f("fk_insights_months_published_by_id_users")),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_insights_months")),
    )
    op.create_table(
        "insights_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["month"], ["insights_months.month"],
                                name=op.f("fk_insights_figures_month_insights_months"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_figures")),
    )
    op.create_index("ix_insights_figures_lookup", "insights_figures", ["month", "dimension", "metric"], unique=False)
    op.create_index("ix_insights_figures_trend", "insights_figures", ["metric", "dimension", "month"], unique=False)
    for table, column in TIME_INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade():
    for table, column in TIME_INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    op.drop_index("ix_insights_figures_trend", table_name="insights_figures")
    op.drop_index("ix_insights_figures_lookup", table_name="insights_figures")
    op.drop_table("insights_figures")
    op.drop_table("insights_months")
    op.drop_index("ix_search_query_log_searched_at", table_name="search_query_log")
    op.drop_table("search_query_log")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_column("poverty_lifted")
    with op.batch_alter_table("counties", schema=None) as batch_op:
        batch_op.drop_column("poverty_lifted")
