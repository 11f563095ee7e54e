"""The trust version: one counter that every change to what a public page vouches for bumps."""
from __future__ import annotations

from marketplace.extensions import db


class TrustVersion(db.Model):
    """Counter rows (one on SQLite, up to `trust.SHARDS` on PostgreSQL) whose summed `version`
    grows by one in the same transaction as each such change.

    Cached public pages are filed under the version they were built at, so a committed
    revocation, suspension, price or stock change makes every older copy unreachable.
    """

    __tablename__ = "trust_version"

    id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    version = db.Column(db.BigInteger, nullable=False, default=0)
