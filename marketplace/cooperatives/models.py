"""Counties, cooperatives and who belongs to them."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class County(db.Model):
    """A county-level administrative division (GB/T 2260 code)."""

    __tablename__ = "counties"
    __table_args__ = (CheckConstraint("length(code) = 6", name="code_six_digits"),)

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(120))
    city_zh: Mapped[str] = mapped_column(String(60))
    city_en: Mapped[str] = mapped_column(String(120))
    province_zh: Mapped[str] = mapped_column(String(60), index=True)
    province_en: Mapped[str] = mapped_column(String(120))
    #: For a retired code: the current code(s) that replaced it, space-separated; "" otherwise.
    successor_codes: Mapped[str] = mapped_column(String(60), default="", server_default="")
    #: For a retired code: the year it was retired. Retired codes are never offered for choice.
    retired_year: Mapped[int | None] = mapped_column(Integer, default=None)

    @property
    def is_retired(self) -> bool:
        return self.retired_year is not None

    def name(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en

    def city(self, locale: str) -> str:
        return self.city_zh if locale.startswith("zh") else self.city_en

    def province(self, locale: str) -> str:
        return self.province_zh if locale.startswith("zh") else self.province_en

    def full_name(self, locale: str) -> str:
        """Province, city and county, leaving out a city that only repeats the province
        (Beijing) or is the statistical label of a county under the province itself."""
        zh = locale.startswith("zh")
        parts = [self.name_zh, self.city_zh, self.province_zh] if zh else [
            self.name_en, self.city_en, self.province_en]
        city, province = parts[1], parts[2]
        if city == province or "直辖" in self.city_zh:
            parts = [parts[0], province]
        return "".join(reversed(parts)) if zh else ", ".join(parts)


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
