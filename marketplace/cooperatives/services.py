"""Cooperatives: registration, membership and invitations."""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from marketplace.accounts.services import normalise_email
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.core.audit import record
from marketplace.core.phones import PhoneError, parse_phone
from marketplace.cooperatives.models import (
    Cooperative,
    CooperativeStatus,
    County,
    Invitation,
    MemberRole,
    Membership,
)
from marketplace.extensions import db
from marketplace.core.mail import send_mail_after_commit
from marketplace.core.timeutil import utcnow



def normalise_credit_code(raw: str) -> str:
    """Validate a unified social credit code, check character included; return it canonical."""
    try:
        return uscc.validate((raw or "").strip().upper())
    except ValidationError as error:
        raise DomainError(
            _l("This is not a valid unified social credit code (18 characters, last one a check character)."),
            "credit_code",
        ) from error


def register_cooperative(
    owner, *, name: str, credit_code: str, county_code: str, address: str, phone: str,
    description: str = "", phone_region: str | None = None,
) -> Cooperative:
    """Register a cooperative with `owner` as its first member; it starts as pending.

    The contact phone (a mobile or a landline of the mainland, Hong Kong, Macao or
    Taiwan, read in `phone_region` unless typed with its country code) is kept in E.164.
    """
    code = normalise_credit_code(credit_code)
    if db.session.scalar(select(Cooperative.id).where(Cooperative.credit_code == code)):
        raise DomainError(_l("A cooperative with this credit code is already registered."), "credit_code")
    county = db.session.get(County, county_code or "")
    if county is None:
        raise DomainError(_l("Choose a county from the list."), "county_code")
    if county.is_retired:
        raise DomainError(_l("County code %(code)s was retired in %(year)s; choose %(successor)s instead.",
                                  code=county.code, year=county.retired_year,
                                  successor=county.successor_codes), "county_code")
    try:
        phone = parse_phone(phone, phone_region, mobile_only=False)
    except PhoneError as error:
        raise DomainError(error.message, "phone") from None
    if not (name or "").strip():
        raise DomainError(_l("Enter the cooperative's name."), "name")
    with write_transaction():
        cooperative = Cooperative(
            name=name.strip()[:120], credit_code=code, county_code=county_code,
            address=(address or "").strip()[:200], phone=phone, description=(description or "").strip(),
        )
        cooperative.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
        db.session.add(cooperative)
        db.session.flush()
        record("cooperative.registered", "cooperative", cooperative.id, actor=owner, county_code=county_code)
    return cooperative


def membership_of(user, cooperative_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.cooperative_id == cooperative_id)
    )


def is_owner(user, cooperative: Cooperative) -> bool:
    membership = membership_of(user, cooperative.id)
    return membership is not None and membership.role == MemberRole.OWNER


def _invitation_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cooperative-invitation")


def invite_member(owner, cooperative: Cooperative, email: str, accept_url_for) -> Invitation:
    """Mail an invitation link; only the owner may invite."""
    if not is_owner(owner, cooperative):
        raise DomainError(_l("Only the cooperative's owner can invite members."))
    try:
        address = normalise_email(email)
    except DomainError as error:
        raise DomainError(str(error), "email") from error
    if any(m.user.email == address for m in cooperative.memberships):
        raise DomainError(_l("This person is already a member."), "email")
    with write_transaction():
        invitation = Invitation(cooperative=cooperative, email=address, invited_by_id=owner.id)
        db.session.add(invitation)
        db.session.flush()
        token = _invitation_serializer().dumps({"invitation": invitation.id, "email": address})
        send_mail_after_commit(
            address,
            _("You are invited to join %(name)s on Terroir", name=cooperative.name),
            "invitation",
            cooperative=cooperative.name,
            inviter=owner.display_name,
            url=accept_url_for(token),
        )
        record("cooperative.member_invited", "cooperative", cooperative.id, actor=owner, email=address)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    try:
        payload = _invitation_serializer().loads(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    invitation = db.session.get(Invitation, payload.get("invitation")) if isinstance(payload, dict) else None
    if invitation is None or invitation.accepted_at is not None or invitation.email != payload.get("email"):
        return None
    return invitation


def accept_invitation(user, token: str) -> Cooperative:
    """Join the cooperative; the link works only for the address it was sent to."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise DomainError(_l("This invitation is invalid, expired or already used."))
    if invitation.email != user.email:
        raise DomainError(_l("This invitation was sent to another email address."))
    with write_transaction():
        if membership_of(user, invitation.cooperative_id) is None:
            db.session.add(Membership(user=user, cooperative_id=invitation.cooperative_id, role=MemberRole.MEMBER))
        invitation.accepted_at = utcnow()
        record("cooperative.member_joined", "cooperative", invitation.cooperative_id, actor=user)
    return invitation.cooperative


def set_status(supervisor, cooperative: Cooperative, status: CooperativeStatus, reason: str = "") -> None:
    """A market supervisor verifies or suspends a cooperative."""
    if not supervisor.is_supervisor:
        raise DomainError(_l("Only a market supervisor can change a cooperative's status."))
    if status == CooperativeStatus.SUSPENDED and not (reason or "").strip():
        raise DomainError(_l("Give a reason for the suspension."), "reason")
    with write_transaction():
        cooperative.status = status
        record(f"cooperative.{status.value}", "cooperative", cooperative.id, actor=supervisor,
               reason=(reason or "").strip(), county_code=cooperative.county_code)


def counties_for_choice(provinces: str | Iterable[str] | None = None) -> list[County]:
    """Current counties (never retired codes): all, or those of the province(s) given by
    their two-digit code prefix, so that a page lists one province rather than ~2,850."""
    query = select(County).where(County.retired_year.is_(None))
    if provinces is not None:
        prefixes = [provinces] if isinstance(provinces, str) else sorted(set(provinces))
        query = query.where(func.substr(County.code, 1, 2).in_(prefixes))
    return list(db.session.scalars(query.order_by(County.code)))


def provinces_for_choice() -> list[tuple[str, str, str]]:
    """(two-digit prefix, Chinese name, English name) of every province holding a current county."""
    prefix = func.substr(County.code, 1, 2)
    rows = db.session.execute(
        select(prefix, County.province_zh, County.province_en).where(County.retired_year.is_(None))
        .group_by(prefix, County.province_zh, County.province_en).order_by(prefix))
    seen: dict[str, tuple[str, str, str]] = {}
    for code, zh, en in rows:
        seen.setdefault(code, (code, zh, en))
    return list(seen.values())
