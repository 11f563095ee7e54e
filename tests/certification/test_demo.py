"""The certification demo step shows every state and can run again without changing anything."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.certification.models import BatchCertificate, GIAuthorization, TraceCode
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


def _demo_cooperatives():
    """The demo cooperatives, registered with test credit codes (people.py owns the real ones)."""
    from marketplace.accounts.models import User
    from marketplace.cooperatives.models import Cooperative, CooperativeStatus, Membership, MemberRole
    from marketplace.demo import people
    from tests.support.factories import valid_credit_code

    for owner_email, name, county, _body, address, _description in people.DEMO_COOPERATIVES:
        if db.session.scalar(select(Cooperative.id).where(Cooperative.name == name)):
            continue
        owner = db.session.scalar(select(User).where(User.email == owner_email))
        cooperative = Cooperative(name=name, credit_code=valid_credit_code(county), county_code=county,
                                  address=address, phone="13800138000", status=CooperativeStatus.VERIFIED)
        cooperative.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
        db.session.add(cooperative)
    db.session.commit()


def _load(app):
    from marketplace.demo import certification, people

    with app.test_request_context():
        people.load_counties_into_db()
        people.load_people()
        _demo_cooperatives()
        certification.load()


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (GIAuthorization, BatchCertificate, TraceCode, AuditEntry))


def test_demo_step_shows_every_state_and_is_idempotent(app, client):
    _load(app)
    now = utcnow()
    authorizations = db.session.scalars(select(GIAuthorization)).all()
    assert {a.shown_status(now) for a in authorizations} >= {"approved", "revoked", "submitted"}
    certificates = db.session.scalars(select(BatchCertificate)).all()
    assert {c.shown_status(now) for c in certificates} >= {"certified", "expired", "submitted"}
    assert len({c.county_code for c in certificates if c.status.value == "certified"}) >= 3
    first = _counts()
    _load(app)
    assert _counts() == first
    code = db.session.scalars(select(TraceCode)).first()
    assert client.get(f"/verify/{code.display}").status_code == 200
