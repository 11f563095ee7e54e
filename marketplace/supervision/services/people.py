"""A market supervisor's measures about people: cooperatives suspended or reinstated, officials
removed or moved to another county. Each with a reason, mailed, audited, in one transaction."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import OfficialAppointment
from marketplace.core.audit import record
from marketplace.cooperatives.models import Cooperative, CooperativeStatus, County
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.core.timeutil import utcnow
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.supervision.models import SanctionKind
from marketplace.supervision.services.common import (
    check_supervisor,
    clean_body,
    mail_each,
)
from marketplace.supervision.services.mailing import tell_cooperative
from marketplace.supervision.services.powers import add_sanction


def _locked_cooperative(cooperative_id: int) -> Cooperative:
    cooperative = db.session.scalar(select(Cooperative).where(Cooperative.id == cooperative_id)
                                    .with_for_update().execution_options(populate_existing=True))
    if cooperative is None:
        raise DomainError(_l("This cooperative does not exist."))
    return cooperative


def suspend_cooperative(supervisor, cooperative_id: int, reason: str | None,
                        now: datetime | None = None) -> Cooperative:
    """Suspend a cooperative: none of its listings is shown or sold until it is reinstated."""
    return _set_cooperative_status(supervisor, cooperative_id, reason, CooperativeStatus.SUSPENDED, now)


def reinstate_cooperative(supervisor, cooperative_id: int, reason: str | None,
                          now: datetime | None = None) -> Cooperative:
    """Lift a suspension: the cooperative is verified again."""
    return _set_cooperative_status(supervisor, cooperative_id, reason, CooperativeStatus.VERIFIED, now)


def _set_cooperative_status(supervisor, cooperative_id, reason, wanted: CooperativeStatus, now):
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    now = now or utcnow()
    with write_transaction():
        cooperative = _locked_cooperative(cooperative_id)
        if wanted == CooperativeStatus.SUSPENDED:
            if cooperative.status == CooperativeStatus.SUSPENDED:
                raise DomainError(_l("This cooperative is already suspended."))
            kind, action, measure = (SanctionKind.COOPERATIVE_SUSPENDED, "cooperative.suspended",
                                     _l("The market supervisor suspended %(name)s: its listings are off sale.",
                                        name=cooperative.name))
        else:
            if cooperative.status != CooperativeStatus.SUSPENDED:
                raise DomainError(_l("Only a suspended cooperative can be reinstated."))
            kind, action, measure = (SanctionKind.COOPERATIVE_REINSTATED, "cooperative.reinstated",
                                     _l("The market supervisor reinstated %(name)s.", name=cooperative.name))
        previous = cooperative.status
        cooperative.status = wanted
        add_sanction(kind, cooperative.id, supervisor, reason, now)
        record(action, "cooperative", cooperative.id, actor=supervisor, reason=reason,
               county_code=cooperative.county_code, previous=previous.value)
        tell_cooperative(cooperative.id, measure, "supervision_measure", cooperative=cooperative.name,
                         measure=measure, reason=reason,
                         url=external_url("storefront.cooperative", cooperative_id=cooperative.id))
    return cooperative


def _locked_appointment(appointment_id: int) -> OfficialAppointment:
    appointment = db.session.scalar(select(OfficialAppointment).where(OfficialAppointment.id == appointment_id)
                                    .with_for_update())
    if appointment is None:
        raise DomainError(_l("This appointment does not exist (any more)."))
    return appointment


def remove_official(supervisor, appointment_id: int, reason: str | None):
    """End an official's appointment to a county; they are told why."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    with write_transaction():
        appointment = _locked_appointment(appointment_id)
        user, county = appointment.user, appointment.county_code
        db.session.delete(appointment)
        record("official.removed", "user", user.id, actor=supervisor, reason=reason, county_code=county)
        mail_each([user.email], _l("Your appointment as county official ended"), "supervision_official",
                  measure=_l("Your appointment to county %(code)s ended.", code=county), reason=reason)
    return user


def reassign_official(supervisor, appointment_id: int, county_code: str | None, reason: str | None):
    """Move an official's appointment to another county; they are told why."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    county = db.session.get(County, (county_code or "").strip()[:6])
    if county is None or county.is_retired:
        raise DomainError(_l("Choose a county from the list."), "county_code")
    with write_transaction():
        appointment = _locked_appointment(appointment_id)
        user, before = appointment.user, appointment.county_code
        if before == county.code:
            raise DomainError(_l("The official is already appointed to this county."), "county_code")
        if county.code in user.county_codes:
            raise DomainError(_l("The official is already appointed to this county."), "county_code")
        appointment.county_code = county.code
        record("official.reassigned", "user", user.id, actor=supervisor, reason=reason, county_code=county.code,
               previous_county=before)
        mail_each([user.email], _l("Your appointment as county official changed"), "supervision_official",
                  measure=_l("You are now appointed to county %(code)s instead of %(before)s.",
                             code=county.code, before=before), reason=reason)
    return user
