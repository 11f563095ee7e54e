"""Where buyers paying by bank transfer send a cooperative's money (收款账户)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class PayeeAccount(db.Model):
    """One per cooperative; without it, bank transfer is not offered for its products."""

    __tablename__ = "payee_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id", ondelete="CASCADE"), unique=True)
    #: The bank and branch, as a transfer form asks for it (开户行).
    bank_name: Mapped[str] = mapped_column(String(100))
    account_name: Mapped[str] = mapped_column(String(120))
    #: Digits only, as stored; shown in groups of four.
    account_number: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821

    @property
    def account_number_grouped(self) -> str:
        number = self.account_number
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
