"""Factories of the certification tests: batches validated by the real engine, files, codes."""
from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

_seq = itertools.count(1)

#: A minimal but real PDF (header, one empty page, trailer).
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes(size=(40, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def stored_lab_report() -> str:
    """Write a lab report PDF where uploads go and return its stored name."""
    from marketplace.core import storage

    name = storage.random_name("pdf")
    storage.folder(storage.LAB_REPORTS).joinpath(name).write_bytes(PDF_BYTES)
    return name


def review_form(batch, answer: str = "ok", note: str = "Checked on site.", read: bool = True) -> dict:
    """The certify form of `batch`, every finding to check answered (as an official would)."""
    from marketplace.certification.services.review import to_check

    data = {"certify-lab_report_read": "y"} if read else {}
    for item in to_check(batch.validation):
        data[f"certify-{item.answer_field}"] = answer
        data[f"certify-{item.note_field}"] = note
    return data


def review_answers(batch, answer: str = "ok", note: str = "Checked on site.") -> dict:
    """What `certify_batch` takes: an answer and note on every finding to check."""
    from marketplace.certification.services.review import Answer, to_check

    return {item.key: Answer(answer, note) for item in to_check(batch.validation)}


@pytest.fixture
def make_gi_batch(app, make_county):
    """A Longjing tea batch validated by gi_standards (moisture 6.2 % passes, 8.0 % fails)."""
    from gi_standards import Declaration, load_catalogue

    from marketplace.catalog.models import Batch
    from marketplace.extensions import db

    def make(cooperative, *, passing: bool = True, slug: str = "longjing-tea",
             county: str | None = None, measurements: dict | None = None,
             lab_report: bool = True) -> Batch:
        county = county or cooperative.county_code
        make_county(county)
        harvest = date(2026, 4, 2)
        measurements = measurements if measurements is not None else {"moisture": 6.2 if passing else 8.0}
        declaration = Declaration(county, harvest_date=harvest, variety="龙井43", grade="premium",
                                  measurements=measurements)
        report = load_catalogue()[slug].validate(declaration)
        batch = Batch(cooperative_id=cooperative.id, standard_slug=slug, county_code=county,
                      harvest_date=harvest, variety="龙井43", grade="premium", quantity=120, quantity_kg=120,
                      lab_name="浙江省茶叶质量检测中心", lab_report_number=f"LAB-{next(_seq)}",
                      measurements=dict(measurements), validation=report.to_dict(),
                      validation_passed=report.passed, best_grade=report.best_grade)
        if lab_report:
            batch.lab_report_file = stored_lab_report()
            batch.lab_report_mime, batch.lab_report_original_name = "application/pdf", "检测报告.pdf"
        db.session.add(batch)
        db.session.commit()
        return batch

    return make


@pytest.fixture
def make_gi_authorization(app):
    """An authorization in any state, written directly (its own tests go through the pages)."""
    from marketplace.certification.models import AuthorizationStatus, GIAuthorization
    from marketplace.extensions import db
    from marketplace.core.timeutil import utcnow

    def make(cooperative, *, slug: str = "longjing-tea", status: str = "approved",
             valid_until=None, valid_from=None, sites: list[str] | None = None) -> GIAuthorization:
        now = utcnow()
        authorization = GIAuthorization(
            cooperative_id=cooperative.id, standard_slug=slug, county_code=cooperative.county_code,
            production_sites=list(sites or [cooperative.county_code]),
            status=AuthorizationStatus(status), submitted_at=now - timedelta(days=30))
        if status in ("approved", "suspended", "revoked"):
            authorization.number = f"GI-TEST-{next(_seq):05d}"
            authorization.valid_from = valid_from or now - timedelta(days=20)
            authorization.valid_until = valid_until or now + timedelta(days=3 * 365)
            authorization.decided_at = now - timedelta(days=20)
        db.session.add(authorization)
        db.session.commit()
        return authorization

    return make


@pytest.fixture
def make_batch_certificate(app):
    """A certificate for a batch, with its batch trace code when certified."""
    from marketplace.certification.services import trace_codes
    from marketplace.certification.models import BatchCertificate, CertificateStatus
    from marketplace.extensions import db
    from marketplace.core.timeutil import utcnow

    def make(batch, *, status: str = "certified", valid_until=None, submitted_days_ago: int = 1):
        now = utcnow()
        certificate = BatchCertificate(
            batch_id=batch.id, cooperative_id=batch.cooperative_id, standard_slug=batch.standard_slug,
            county_code=batch.county_code, status=CertificateStatus(status),
            submitted_at=now - timedelta(days=submitted_days_ago), report=dict(batch.validation),
            standard_version_label="GB/T 18650-2008 · v1")
        if status in ("certified", "suspended", "revoked"):
            certificate.number = f"CERT-TEST-{next(_seq):05d}"
            certificate.valid_from = now - timedelta(days=10)
            certificate.valid_until = valid_until or now + timedelta(days=365)
            certificate.decided_at = now - timedelta(days=10)
        db.session.add(certificate)
        db.session.flush()
        if status != "submitted" and status != "rejected":
            trace_codes.issue_code(certificate, 0)
        db.session.commit()
        return certificate

    return make


@pytest.fixture
def gi_world(make_user, make_cooperative, make_gi_batch, make_gi_authorization):
    """A Longjing cooperative in 西湖区 with its seller, an official of the county and outsiders."""

    def build(*, authorized: bool = True, passing: bool = True):
        seller = make_user(name="Seller")
        cooperative = make_cooperative(seller, county="330106")
        official = make_user(name="Official Xihu", official_of=("330106",))
        authorization = make_gi_authorization(cooperative) if authorized else None
        batch = make_gi_batch(cooperative, passing=passing)
        return SimpleNamespace(seller=seller, cooperative=cooperative, official=official,
                               authorization=authorization, batch=batch)

    return build


def trace_code_of(certificate) -> str:
    """The printed form of a certificate's batch code."""
    from marketplace.certification.services import trace_codes

    return trace_codes.batch_code(certificate.id).display


def package_codes(certificate, how_many: int) -> list[str]:
    """Issue numbered package codes 1… for a certificate; return them as printed."""
    from marketplace.certification.services import trace_codes
    from marketplace.extensions import db

    codes = [trace_codes.issue_code(certificate, serial) for serial in range(1, how_many + 1)]
    db.session.commit()
    return [code.display for code in codes]


class as_phone:  # a phrase in tests: as_phone(client, 2).get(url)
    """Send requests as phone number `n`: its own address and a phone browser's agent."""

    def __init__(self, client, n: int, agent: str | None = None):
        self.client, self.address = client, f"10.0.0.{n}"
        default = f"Mozilla/5.0 (Linux; Android 14; Phone {n}) Mobile Safari/537.36"
        self.agent = agent if agent is not None else default

    def get(self, url, **kwargs):
        headers = {"User-Agent": self.agent, **kwargs.pop("headers", {})}
        return self.client.get(url, headers=headers, environ_base={"REMOTE_ADDR": self.address}, **kwargs)
