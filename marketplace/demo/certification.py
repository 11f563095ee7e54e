"""Demo GI authorizations, certified batches and trace codes, in every state worth seeing.

Runs after the catalog step and uses its passing batches; where there are none (or too
few), it records small batches itself, validated by the real standard. Every change goes
through the certification services, so audit rows exist as they would in real use.
Idempotent: each cooperative gets its authorization and its certificates only once.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import click
from PIL import Image
from sqlalchemy import func, select

from gi_standards import Declaration
from marketplace.accounts.models import User
from marketplace.catalog.models import Batch
from marketplace.certification.services import authorizations, catalogue, certificates, review, trace_codes
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
    TraceCode,
)
from marketplace.cooperatives.models import Cooperative, Membership
from marketplace.core import storage
from marketplace.core.database import write_transaction
from marketplace.core.timeutil import utcnow
from marketplace.core.uploads import Upload
from marketplace.extensions import db

_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
        b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass(frozen=True)
class Plan:
    owner_email: str
    official_email: str | None
    slug: str
    certified: int = 1
    expired: int = 0
    waiting: int = 0
    revoke_authorization: bool = False
    serials: int = 0
    #: Production sites declared with the application (none: the cooperative's county).
    sites: tuple[str, ...] = ()


PLANS = [
    # 钱塘区 is only partly inside the area: a batch from there is one the official must check.
    Plan("seller.longjing@terroir.demo", "official.hangzhou@terroir.demo", "longjing-tea",
         certified=2, waiting=1, serials=6, sites=("330106", "330114")),
    Plan("seller.wuchang@terroir.demo", "official.wuchang@terroir.demo", "wuchang-rice"),
    Plan("seller.anxi@terroir.demo", "official.fujian@terroir.demo", "anxi-tieguanyin", expired=1),
    Plan("seller.goji@terroir.demo", "official.zhongning@terroir.demo", "ningxia-goji",
         revoke_authorization=True),
    # No official is appointed to 平谷区 in the demo: the application waits, as it would.
    Plan("seller.pinggu@terroir.demo", None, "pinggu-peach", certified=0),
]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), "#f6ecd9").save(buffer, "PNG")
    return buffer.getvalue()


def _user(email: str | None) -> User | None:
    return db.session.scalar(select(User).where(User.email == email)) if email else None


def _cooperative_of(owner: User) -> Cooperative | None:
    return db.session.scalar(select(Cooperative).join(Membership).where(Membership.user_id == owner.id)
                             .order_by(Cooperative.id).limit(1))


def _value_within(limit) -> float | str | None:
    """A measurement that meets `limit` comfortably (demo data only)."""
    if limit.allowed:
        return limit.allowed[0]
    low, high = limit.lower(), limit.upper()
    if low and high:
        return round((low.value + high.value) / 2, 2)
    if high:
        return round(high.value * 0.9, 2)
    if low:
        return round(low.value * 1.1 + (1 if low.exclusive and low.value == 0 else 0), 2)
    return None


def _new_passing_batch(cooperative: Cooperative, slug: str, number: int) -> Batch | None:
    """Record a batch that passes the standard, as a cooperative would with real lab results."""
    standard = catalogue.standard_for(slug)
    if standard is None:
        return None
    # A spring month for products picked before a solar term such as 谷雨 (mid-April).
    month = standard.harvest_months[0] if standard.harvest_months else (
        3 if standard.harvest.before_term else 5)
    harvest = date(utcnow().year - 1, month, 10)
    variety = standard.varieties[0] if standard.varieties else None
    grade = standard.grades[0].key if standard.grades else None
    product_type = standard.types[0] if standard.types else None
    measurements = {}
    for parameter in standard.parameters:
        value = _value_within(standard.effective_limit(parameter.key, variety, grade))
        if value is None and parameter.by_variety:
            value = _value_within(parameter.by_variety[0][1])
        if value is not None:
            measurements[parameter.key] = value
    report = standard.validate(Declaration(cooperative.county_code, harvest_date=harvest, variety=variety,
                                           grade=grade, measurements=measurements, product_type=product_type))
    if not report.passed:
        return None
    with write_transaction():
        batch = Batch(cooperative_id=cooperative.id, standard_slug=slug, county_code=cooperative.county_code,
                      harvest_date=harvest, variety=variety, product_type=product_type, grade=grade, quantity=500,
                      quantity_kg=500, lab_name="Demo testing laboratory", lab_report_number=f"DEMO-{slug}-{number}",
                      lab_report_file=storage.write(storage.LAB_REPORTS, "pdf", _PDF),
                      lab_report_mime="application/pdf", lab_report_original_name=f"DEMO-{slug}-{number}.pdf",
                      measurements=measurements, validation=report.to_dict(), validation_passed=True,
                      best_grade=report.best_grade, validated_at=utcnow())
        db.session.add(batch)
    return batch


def _free_passing_batches(cooperative: Cooperative, slug: str, wanted: int) -> list[Batch]:
    """Passing batches of the product that have no certification yet; record more if needed."""
    taken = select(BatchCertificate.batch_id)
    batches = list(db.session.scalars(select(Batch).where(
        Batch.cooperative_id == cooperative.id, Batch.standard_slug == slug,
        Batch.validation_passed.is_(True), Batch.id.not_in(taken)).order_by(Batch.id)))
    # Worked examples of refusals (origin outside the sites, no lab report) stay as they are.
    batches = [batch for batch in batches if certificates.submission_problem(batch) is None]
    number = 1
    while len(batches) < wanted and number <= wanted + 5:
        batch = db.session.scalar(select(Batch).where(Batch.lab_report_number == f"DEMO-{slug}-{number}"))
        if batch is None:
            batch = _new_passing_batch(cooperative, slug, number)
            if batch is None:
                break
            batches.append(batch)
        number += 1
    return batches[:wanted]


def _authorization(plan: Plan, cooperative: Cooperative, owner: User, official: User | None, start):
    existing = db.session.scalar(select(GIAuthorization).where(
        GIAuthorization.cooperative_id == cooperative.id, GIAuthorization.standard_slug == plan.slug))
    if existing is not None:
        return existing
    application = authorizations.apply_for_authorization(
        owner, cooperative_id=cooperative.id, standard_slug=plan.slug,
        statement="Demo application: origin verified by the township office.",
        origin_report=Upload("产地核验报告.pdf", _PDF), application_form=Upload("申请表.png", _png()),
        sites=plan.sites or None, now=start)
    if official is None:
        return application
    return authorizations.approve_authorization(official, application.id, now=start + timedelta(days=3))


def _review_answers(batch: Batch) -> dict:
    """An official's answers on what the batch's report leaves to them (demo: all in order)."""
    return {item.key: review.Answer("ok", "Demo: checked on site with the township office; sample "
                                          "tasted and compared with the lab report.")
            for item in review.to_check(batch.validation)}


def _count(cooperative: Cooperative, slug: str, *statuses) -> int:
    return db.session.scalar(select(func.count()).select_from(BatchCertificate).where(
        BatchCertificate.cooperative_id == cooperative.id, BatchCertificate.standard_slug == slug,
        BatchCertificate.status.in_(statuses)))


def _carry_out(plan: Plan) -> list[str]:
    owner, official = _user(plan.owner_email), _user(plan.official_email)
    cooperative = _cooperative_of(owner) if owner else None
    if cooperative is None or catalogue.standard_for(plan.slug) is None:
        return []
    now = utcnow()
    start = now - timedelta(days=500)
    authorization = _authorization(plan, cooperative, owner, official, start)
    if official is None or authorization.status == AuthorizationStatus.SUBMITTED:
        return []
    done = _count(cooperative, plan.slug, CertificateStatus.CERTIFIED, CertificateStatus.SUSPENDED,
                  CertificateStatus.REVOKED, CertificateStatus.SUBMITTED)
    wanted = plan.certified + plan.expired + plan.waiting
    for index, batch in enumerate(_free_passing_batches(cooperative, plan.slug, max(0, wanted - done))):
        position = done + index
        if position < plan.expired:  # certified long ago: its certificate has run out
            moment = now - timedelta(days=420)
        elif position < plan.expired + plan.certified:
            moment = now - timedelta(days=20)
        else:
            moment = now - timedelta(days=21)
        request = certificates.submit_batch(owner, batch.id, now=moment - timedelta(days=2))
        if position < plan.expired + plan.certified:
            certificates.certify_batch(official, request.id, now=moment, lab_report_read=True,
                                       answers=_review_answers(batch))
    if plan.serials:
        first = db.session.scalar(select(BatchCertificate).where(
            BatchCertificate.cooperative_id == cooperative.id,
            BatchCertificate.status == CertificateStatus.CERTIFIED).order_by(BatchCertificate.id.desc()))
        if first is not None and first.is_valid_at(now) and db.session.scalar(
                select(func.count()).select_from(TraceCode).where(TraceCode.certificate_id == first.id)) == 1:
            _issue_package_codes(owner, first.batch_id, plan.serials)
    authorization = db.session.get(GIAuthorization, authorization.id)
    if plan.revoke_authorization and authorization.status == AuthorizationStatus.APPROVED:
        authorizations.revoke_authorization(
            official, authorization.id, "Demo: goji bought in from outside the protected area.")
    return [code.display for code in db.session.scalars(
        select(TraceCode).join(BatchCertificate).where(BatchCertificate.cooperative_id == cooperative.id,
                                                       TraceCode.serial <= 1).order_by(TraceCode.id))]


def _issue_package_codes(owner: User, batch_id: int, how_many: int) -> None:
    """Package codes for the batch's first two sizes (a labelled gift box among them), else 250 g."""
    from marketplace.certification.services.package_sizes import batch_sizes

    sizes = [size for size in batch_sizes(batch_id) if size.weight_grams][:2]
    if not sizes:
        trace_codes.issue_serial_codes(owner, batch_id, how_many, net_weight_grams=250)
    for size in sizes:
        trace_codes.issue_serial_codes(owner, batch_id, max(how_many // len(sizes), 1), variant_id=size.id)


def load_authorizations() -> None:
    """Apply for (and approve) each demo cooperative's authorization, before its listings.

    A listing goes live under a GI name only while the cooperative holds a valid
    authorization, so the catalog step needs these first; `load` finds them again.
    """
    for plan in PLANS:
        owner, official = _user(plan.owner_email), _user(plan.official_email)
        cooperative = _cooperative_of(owner) if owner else None
        if cooperative is None or catalogue.standard_for(plan.slug) is None:
            continue
        _authorization(plan, cooperative, owner, official, utcnow() - timedelta(days=500))


def load() -> None:
    """Add authorizations, certificates and trace codes for the demo cooperatives."""
    codes: list[tuple[str, str]] = []
    with click.progressbar(PLANS, label="Certification", show_pos=True) as bar:
        for plan in bar:
            codes += [(plan.slug, code) for code in _carry_out(plan)]
    if codes:
        click.echo("Trace codes to try at /verify/<code>:")
        for slug, code in codes:
            click.echo(f"  /verify/{code}   {slug}")
