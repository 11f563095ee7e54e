"""Users and the roles they hold.

A user is a consumer by existing. The other roles come from facts recorded elsewhere:
seller = a membership of a cooperative, county official = an appointment to a county,
market supervisor = a flag set only by the `flask users create-supervisor` command.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored in its canonical form (see accounts.identity); unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(256))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_supervisor: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    #: Part of every session and remember cookie: replaced on sign-out, password change,
    #: reset and "sign out everywhere", which ends every session and reset link issued before.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    #: Set while a sign-up waits for its mailed link to be opened (such an account cannot
    #: sign in, and a new sign-up replaces its name and password); None once confirmed.
    sign_up_pending_since: Mapped[datetime | None] = mapped_column()
    #: The language of the mail this user receives ("zh" or "en"): the browser's at sign-up.
    language: Mapped[str] = mapped_column(String(5), default="zh", server_default="zh")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    appointments: Mapped[list[OfficialAppointment]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if current_app else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        # Flask-Login stores this in the session: binding it to the token logs out every
        # session of the user when the password changes.
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_seller(self) -> bool:
        return bool(self.memberships)

    @property
    def is_official(self) -> bool:
        return bool(self.appointments)

    @property
    def county_codes(self) -> set[str]:
        """Division codes of the counties this user is appointed to as an official."""
        return {appointment.county_code for appointment in self.appointments}

    def cooperative_ids(self) -> set[int]:
        return {membership.cooperative_id for membership in self.memberships}


class OfficialAppointment(db.Model):
    """A county official's appointment to one county; an official may hold several."""

    __tablename__ = "official_appointments"
    __table_args__ = (UniqueConstraint("user_id", "county_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    appointed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="appointments")
    county: Mapped["County"] = relationship()  # noqa: F821
