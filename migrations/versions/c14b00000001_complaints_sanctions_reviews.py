"""Supervision: complaints (with notes and photos), sanctions, and reviews by verified buyers.

Revision ID: c14b00000001
Revises: c11c00000001
Create Date: 2026-11-30 11:45:26.348252

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c14b00000001'
down_revision = 'c11c00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('report_reason', sa.Text(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('report_cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_reviews_rating_one_to_five')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reviews_author_id_users')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_reviews_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_reviews_hidden_by_id_users')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_reviews_listing_id_listings')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_reviews_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_reviews_replied_by_id_users')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_reviews_reported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('order_line_id', name=op.f('uq_reviews_order_line_id'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index('ix_reviews_listing_created', ['listing_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_reported_at'), ['reported_at'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('order', 'listing', 'cooperative', 'counterfeit', name='complaintkind', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('received', 'investigating', 'upheld', 'dismissed', name='complaintstatus', native_enum=False, length=20), nullable=False),
    sa.Column('complainant_id', sa.Integer(), nullable=True),
    sa.Column('contact', sa.String(length=120), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('trace_code_id', sa.Integer(), nullable=True),
    sa.Column('code_text', sa.String(length=40), nullable=False),
    sa.Column('counterfeit_report_id', sa.Integer(), nullable=True),
    sa.Column('gi_claim', sa.Boolean(), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complainant_id'], ['users.id'], name=op.f('fk_complaints_complainant_id_users')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_complaints_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['counterfeit_report_id'], ['counterfeit_reports.id'], name=op.f('fk_complaints_counterfeit_report_id_counterfeit_reports')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_complaints_listing_id_listings')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_complaints_order_id_orders')),
    sa.ForeignKeyConstraint(['trace_code_id'], ['trace_codes.id'], name=op.f('fk_complaints_trace_code_id_trace_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_complainant_id'), ['complainant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_complaints_status_deadline', ['status', 'deadline'], unique=False)

    op.create_table('review_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=80), nullable=False),
    sa.Column('thumbnail', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_photos_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_photos')),
    sa.UniqueConstraint('filename', name=op.f('uq_review_photos_filename')),
    sa.UniqueConstraint('thumbnail', name=op.f('uq_review_photos_thumbnail'))
    )
    with op.batch_alter_table('review_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_photos_review_id'), ['review_id'], unique=False)

    op.create_table('complaint_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_complaint_notes_author_id_users')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_notes_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_notes'))
    )
    with op.batch_alter_table('complaint_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_notes_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=80), nullable=False),
    sa.Column('thumbnail', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_photos_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_photos')),
    sa.UniqueConstraint('filename', name=op.f('uq_complaint_photos_filename')),
    sa.UniqueConstraint('thumbnail', name=op.f('uq_complaint_photos_thumbnail'))
    )
    with op.batch_alter_table('complaint_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_photos_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('listing_taken_down', 'batch_frozen', 'cooperative_suspended', 'cooperative_reinstated', name='sanctionkind', native_enum=False, length=30), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_sanctions_actor_id_users')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_sanctions_batch_id_batches')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_sanctions_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_sanctions_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_sanctions_listing_id_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanctions'))
    )
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanctions_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_sanctions_cooperative_created', ['cooperative_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sanctions_listing_id'), ['listing_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sanctions_listing_id'))
        batch_op.drop_index('ix_sanctions_cooperative_created')
        batch_op.drop_index(batch_op.f('ix_sanctions_batch_id'))

    op.drop_table('sanctions')
    with op.batch_alter_table('complaint_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_photos_complaint_id'))

    op.drop_table('complaint_photos')
    with op.batch_alter_table('complaint_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_notes_complaint_id'))

    op.drop_table('complaint_notes')
    with op.batch_alter_table('review_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_photos_review_id'))

    op.drop_table('review_photos')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_status_deadline')
        batch_op.drop_index(batch_op.f('ix_complaints_created_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_county_code'))
        batch_op.drop_index(batch_op.f('ix_complaints_cooperative_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_complainant_id'))

    op.drop_table('complaints')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_reported_at'))
        batch_op.drop_index('ix_reviews_listing_created')
        batch_op.drop_index(batch_op.f('ix_reviews_cooperative_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_author_id'))

    op.drop_table('reviews')
