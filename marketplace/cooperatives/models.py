"""Cooperatives and who belongs to them (their county is core reference data)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Enum,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.counties import County  # noqa: F401  (a cooperative's county; imported from here too)
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class CooperativeStatus(str, enum.Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    SUSPENDED = "suspended"


class MemberRole(str, enum.Enum):
    OWNER = "owner"
    MEMBER = "member"


class Cooperative(db.Model):
    __tablename__ = "cooperatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Unified social credit code (GB 32100-2015), 18 characters, check character verified.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CooperativeStatus] = mapped_column(
        Enum(CooperativeStatus, native_enum=False, length=20,
             values_callable=lambda e: [m.value for m in e]),
        default=CooperativeStatus.PENDING,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    county: Mapped[County] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="cooperative", cascade="all, delete-orphan"
    )

    def member_ids(self) -> set[int]:
        return {membership.user_id for membership in self.memberships}


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "cooperative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cooperative_id: Mapped[int] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(
        Enum(MemberRole, native_enum=False, length=20,
             values_callable=lambda e: [m.value for m in e]),
        default=MemberRole.MEMBER,
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")  # noqa: F821
    cooperative: Mapped[Cooperative] = relationship(back_populates="memberships")


class Invitation(db.Model):
    """An owner's invitation for someone to join a cooperative, accepted by signed link."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column()

    cooperative: Mapped[Cooperative] = relationship()
