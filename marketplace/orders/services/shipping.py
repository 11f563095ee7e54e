"""Shipping fees: each cooperative's rule, and the fee for its parcel of a basket."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.audit import record
from marketplace.cooperatives.services import membership_of
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import ShippingFeeKind, ShippingRule
from marketplace.core.regions import PROVINCE_NAMES
from marketplace.core.errors import DomainError, NotAllowed

_MONEY = re.compile(r"^\d{1,9}(\.\d{1,2})?$")


@dataclass(frozen=True)
class RuleTerms:
    """A cooperative's shipping terms as plain values (the default ones if it set none)."""

    kind: ShippingFeeKind
    fee_minor: int
    free_above_minor: int | None
    excluded_provinces: tuple[str, ...]
    is_default: bool = False


def parse_money(raw, field: str, *, required: bool = True) -> int | None:
    """Read an amount typed as "12.50" into minor units; refuse anything else on `field`."""
    text = (str(raw) if raw is not None else "").strip().replace("¥", "").replace(",", "")
    if not text:
        if required:
            raise DomainError(_l("Enter an amount, such as 12.50."), field)
        return None
    if not _MONEY.match(text):
        raise DomainError(_l("Enter an amount in yuan with at most two decimals, such as 12.50."), field)
    try:
        minor = int(Decimal(text) * 100)
    except InvalidOperation as error:  # pragma: no cover - the pattern rules this out
        raise DomainError(_l("Enter an amount, such as 12.50."), field) from error
    if minor > current_app.config["SHIPPING_MAX_AMOUNT_MINOR"]:
        raise DomainError(_l("This amount is too large."), field)
    return minor


def terms_for(cooperative_ids) -> dict[int, RuleTerms]:
    """Return the shipping terms of each cooperative (one query for all of them)."""
    ids = set(cooperative_ids)
    rules = {rule.cooperative_id: rule for rule in db.session.scalars(
        select(ShippingRule).where(ShippingRule.cooperative_id.in_(ids)))} if ids else {}
    default = RuleTerms(ShippingFeeKind.FLAT, int(current_app.config["SHIPPING_DEFAULT_FEE_MINOR"]), None, (),
                        is_default=True)
    return {
        cooperative_id: (
            RuleTerms(rule.kind, rule.fee_minor, rule.free_above_minor, tuple(rule.excluded_provinces or ()))
            if (rule := rules.get(cooperative_id)) else default
        )
        for cooperative_id in ids
    }


def parcel_fee(terms: RuleTerms, *, items_minor: int, units: int, grams: int) -> int:
    """The shipping fee of one cooperative's parcel: flat, per started kilogram, or per item."""
    if terms.free_above_minor is not None and items_minor >= terms.free_above_minor:
        return 0
    if terms.kind == ShippingFeeKind.PER_ITEM:
        return terms.fee_minor * units
    if terms.kind == ShippingFeeKind.PER_KG:
        return terms.fee_minor * max(1, math.ceil(grams / 1000))
    return terms.fee_minor


def ships_to(terms: RuleTerms, province: str | None) -> bool:
    """Say whether a cooperative ships to a province."""
    return not province or province not in terms.excluded_provinces


def rule_for(cooperative_id: int) -> ShippingRule | None:
    """Return the cooperative's shipping rule, if it set one."""
    return db.session.scalar(select(ShippingRule).where(ShippingRule.cooperative_id == cooperative_id))


def save_rule(user, cooperative_id: int, *, kind: str, fee: str, free_above: str | None,
              excluded_provinces) -> ShippingRule:
    """Set a cooperative's shipping rule; only its members may."""
    if membership_of(user, cooperative_id) is None:
        raise NotAllowed(_l("You are not a member of this cooperative."), "cooperative_id")
    try:
        fee_kind = ShippingFeeKind(kind)
    except ValueError as error:
        raise DomainError(_l("Choose how the fee is charged."), "kind") from error
    fee_minor = parse_money(fee, "fee")
    free_above_minor = parse_money(free_above, "free_above", required=False)
    if free_above_minor == 0:
        raise DomainError(_l("Leave this empty, or enter an amount above zero."), "free_above")
    provinces = [name for name in (excluded_provinces or []) if name]
    unknown = [name for name in provinces if name not in PROVINCE_NAMES]
    if unknown:
        raise DomainError(_("Unknown province: %(name)s.", name=unknown[0][:40]), "excluded_provinces")
    with write_transaction():
        rule = rule_for(cooperative_id) or ShippingRule(cooperative_id=cooperative_id)
        rule.kind, rule.fee_minor, rule.free_above_minor = fee_kind, fee_minor, free_above_minor
        rule.excluded_provinces = sorted(set(provinces))
        rule.updated_by_id = user.id
        db.session.add(rule)
        db.session.flush()
        record("shipping_rule.saved", "cooperative", cooperative_id, actor=user, kind=fee_kind.value,
               fee_minor=fee_minor, free_above_minor=free_above_minor, excluded_provinces=rule.excluded_provinces)
    return rule
