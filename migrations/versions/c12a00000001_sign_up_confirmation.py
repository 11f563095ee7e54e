"""Sign-ups wait for the owner of the address to open a mailed link; addresses are stored in
one canonical form.

Accounts that existed before have no sign-up pending: they are confirmed. Addresses stored
before full-width letters and ideographic dots were folded (NFKC, "。" → ".") are folded now,
so their owners sign in however they type them; an address whose folded form another
account already holds is left as it is.

Revision ID: c12a00000001
Revises: ba6e526fd506
Create Date: 2026-11-30 09:00:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op
from email_validator import EmailNotValidError, validate_email

revision = 'c12a00000001'
down_revision = 'ba6e526fd506'
branch_labels = None
depends_on = None

#: The same folding as marketplace/accounts/identity.py at the time of this revision.
DOT_VARIANTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def _canonical(email):
    folded = unicodedata.normalize("NFKC", email).translate(DOT_VARIANTS).strip()
    try:
        return validate_email(folded, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_up_pending_since', sa.DateTime(), nullable=True))

    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c.email)).all()
    taken = {email for _id, email in rows}
    for user_id, email in rows:
        if email.isascii():
            continue
        canonical = _canonical(email)
        if canonical and canonical != email and canonical not in taken:
            bind.execute(users.update().where(users.c.id == user_id).values(email=canonical))
            taken.add(canonical)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('sign_up_pending_since')
