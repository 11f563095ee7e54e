"""Recording a cooperative's payee account: members edit it, the service checks every field."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.audit import record
from marketplace.cooperatives.models import Cooperative
from marketplace.cooperatives.payee import PayeeAccount
from marketplace.cooperatives.services import DomainError, membership_of
from marketplace.core.database import write_transaction
from marketplace.extensions import db

#: Spaces and hyphens people type between groups of digits.
_SEPARATORS = re.compile(r"[\s\-]+")
#: Mainland bank accounts: personal cards 16–19 digits, company accounts up to about 25.
_ACCOUNT_NUMBER = re.compile(r"[0-9]{8,30}")


def payee_account_of(cooperative_id: int) -> PayeeAccount | None:
    return db.session.scalar(select(PayeeAccount).where(PayeeAccount.cooperative_id == cooperative_id))


def cooperative_for_member(user, cooperative_id: int) -> Cooperative:
    """The cooperative, if `user` is one of its members; 404 otherwise (no hint it exists)."""
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None or membership_of(user, cooperative_id) is None:
        raise _not_found()
    return cooperative


def _not_found():
    error = DomainError(_l("Cooperative not found."))
    error.status = 404
    return error


def clean_payee(bank_name: str | None, account_name: str | None, account_number: str | None) -> dict[str, str]:
    """Check the three fields; refuse the first bad one by name."""
    bank = " ".join((bank_name or "").split())
    holder = " ".join((account_name or "").split())
    number = _SEPARATORS.sub("", account_number or "")
    if not 2 <= len(bank) <= 100:
        raise DomainError(_l("Enter the bank and branch (2 to 100 characters)."), "bank_name")
    if not 2 <= len(holder) <= 120:
        raise DomainError(_l("Enter the account name as the bank has it (2 to 120 characters)."),
                               "account_name")
    if not _ACCOUNT_NUMBER.fullmatch(number):
        raise DomainError(_l("Enter the account number: 8 to 30 digits."), "account_number")
    return {"bank_name": bank, "account_name": holder, "account_number": number}


def save_payee_account(user, cooperative_id: int, *, bank_name, account_name, account_number) -> PayeeAccount:
    """Record or replace the cooperative's payee account (any member may), with an audit row."""
    values = clean_payee(bank_name, account_name, account_number)
    cooperative_for_member(user, cooperative_id)
    with write_transaction():
        account = payee_account_of(cooperative_id)
        previous = account.account_number if account else None
        if account is None:
            account = PayeeAccount(cooperative_id=cooperative_id, **values)
            db.session.add(account)
        else:
            for name, value in values.items():
                setattr(account, name, value)
        account.updated_by_id = user.id
        db.session.flush()
        record("cooperative.payee_account_saved", "cooperative", cooperative_id, actor=user,
               bank_name=values["bank_name"], account_name=values["account_name"],
               account_number_last4=values["account_number"][-4:],
               replaced_last4=previous[-4:] if previous else None)
    return account
