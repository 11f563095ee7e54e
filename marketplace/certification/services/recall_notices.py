"""The recall mail to a cooperative's members, each in their own language.

A recall is often made by someone who reads another language than the sellers (a market
supervisor freezing a batch, an official of the county): the mail is rendered under each
member's stored language (`User.language`), subject, wording and product name alike.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.certification.services import catalogue
from marketplace.certification.services.decisions import mail_date
from marketplace.certification.models import BatchCertificate
from marketplace.cooperatives.models import Membership
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.core.i18n import current_language
from marketplace.core.mail import send_mail_after_commit


def _members(cooperative_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cooperative_id == cooperative_id, User.is_active_account.is_(True))
        .order_by(User.id)))


def _subject_line(certificate: BatchCertificate) -> str:
    name = catalogue.product_name(certificate.standard_slug, current_language())
    return str(_l("Batch no. %(id)s of %(product)s", id=certificate.batch_id, product=name))


def tell_members_of_recall(certificate: BatchCertificate, notice: str) -> None:
    """Mail every member of the cooperative that the batch is recalled, in their language."""
    decision = _l("recalled")
    context = dict(cooperative=certificate.cooperative.name, subject_line=LazyString(_subject_line, certificate),
                   decision=decision, reason=notice, number=certificate.number or "",
                   valid_until=mail_date(certificate.valid_until), trace_code="",
                   url=external_url("certification_seller.overview"))
    for member in _members(certificate.cooperative_id):
        with force_locale(member.language or "zh"):
            send_mail_after_commit(member.email, str(_l("Your batch certification: %(decision)s", decision=decision)),
                                   "certification_decision", **context)
