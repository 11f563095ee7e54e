"""Trace codes: made unguessable, printed short, read back forgivingly, checked publicly.

A code is eleven random Crockford base-32 characters and one check character (ISO 7064
"Mod 37,36" run over the 32-letter alphabet, i.e. Mod 33,32), printed in groups of four:
"K7QM-2XHD-9RTA". The check character tells a mistyped code (a letter misread or two
swapped) from one that simply does not exist, without asking the database. Letters that
look alike are read as the digit they resemble (O→0, I/L→1), so what a shopper types
from a crumpled label still finds its batch.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from stdnum.iso7064 import mod_37_36

from marketplace.catalog.models import Batch
from marketplace.certification.models import BatchCertificate, TraceCode
from marketplace.certification.services import access
from marketplace.certification.services.package_sizes import package_size
from marketplace.core.audit import record
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 11
CODE_LENGTH = BODY_LENGTH + 1
#: Longer input is not looked at at all (a pasted URL is still fine: see `normalise`).
MAX_INPUT_LENGTH = 200
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·—–]+")


class TraceCodeError(DomainError):
    """A code that cannot be looked up; `kind` says why ("malformed" or "mistyped")."""

    def __init__(self, message, kind: str):
        super().__init__(message, "code")
        self.kind = kind


class UnknownTraceCode(DomainError):
    """A well-formed code that no label carries."""

    def __init__(self, code: str):
        super().__init__(_l("No certified product carries the code %(code)s.", code=display(code)), "code")
        self.code = code


def new_code() -> str:
    """Draw a fresh code (without dashes): 55 random bits and a check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + mod_37_36.calc_check_digit(body, alphabet=ALPHABET)


def display(code: str) -> str:
    """Group a code in fours for printing and reading aloud."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise(raw: str | None) -> str:
    """Return the canonical code for what someone typed, or raise TraceCodeError.

    Accepts any case, spaces and dashes, lookalike letters, and a whole verify URL pasted
    from a QR scanner.
    """
    text = (raw or "").strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise TraceCodeError(_l("This is not a trace code. A code has 12 letters and digits, "
                                "like K7QM-2XHD-9RTA."), "malformed")
    if "/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    text = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    if len(text) != CODE_LENGTH or any(char not in ALPHABET for char in text):
        raise TraceCodeError(_l("This is not a trace code. A code has 12 letters and digits, "
                                "like K7QM-2XHD-9RTA."), "malformed")
    if not mod_37_36.is_valid(text, alphabet=ALPHABET):
        raise TraceCodeError(_l("This code looks mistyped: check the code on the label and "
                                "type it again."), "mistyped")
    return text


def issue_code(certificate: BatchCertificate, serial: int) -> TraceCode:
    """Add a trace code row for the certificate to the session (the caller commits)."""
    trace_code = TraceCode(code=new_code(), certificate=certificate,
                           batch_id=certificate.batch_id, serial=serial)
    db.session.add(trace_code)
    return trace_code


def batch_code(certificate_id: int) -> TraceCode | None:
    return db.session.scalar(select(TraceCode).where(
        TraceCode.certificate_id == certificate_id, TraceCode.serial == 0))


def default_package_weight(batch_id: int) -> int | None:
    """The net weight to offer in the form: that of the batch's only size, None with several."""
    from marketplace.certification.services.package_sizes import batch_sizes

    weights = {variant.weight_grams for variant in batch_sizes(batch_id) if variant.weight_grams}
    return weights.pop() if len(weights) == 1 else None


def _kg(grams: int) -> str:
    return f"{grams / 1000:,.3f}".rstrip("0").rstrip(".") or "0"


def _check_codes_fit(certificate: BatchCertificate, how_many: int, weight: int) -> None:
    """Refuse codes for more packages than the batch holds (the batch row is locked)."""
    batch = db.session.scalar(select(Batch).where(Batch.id == certificate.batch_id).with_for_update()
                              .execution_options(populate_existing=True))
    if batch is None or batch.quantity_grams is None:
        raise DomainError(_l("This batch has no certified quantity by weight, so no package codes "
                                    "can be issued for it."), "count")
    issued = db.session.scalar(select(func.coalesce(func.sum(TraceCode.net_weight_grams), 0)).where(
        TraceCode.certificate_id == certificate.id, TraceCode.serial > 0)) or 0
    if issued + how_many * weight > batch.quantity_grams:
        room = max(batch.quantity_grams - issued, 0) // weight
        raise DomainError(_l(
            "The batch holds %(batch)s kg and its package codes already cover %(issued)s kg: at most "
            "%(n)d more codes for packages of %(weight)d g.", batch=_kg(batch.quantity_grams),
            issued=_kg(int(issued)), n=room, weight=weight), "count")


def issue_serial_codes(user, batch_id: int, how_many: int, now: datetime | None = None,
                       net_weight_grams: int | None = None, variant_id: int | None = None) -> list[TraceCode]:
    """Issue `how_many` numbered codes, one per package, for a batch with a valid certificate.

    Each code records the size it goes on and its net weight (see package_sizes: a size of
    the batch's own listings, or a weight typed alone), and all package codes together never
    weigh more than the batch.
    Serials continue from the last one issued; two requests at once cannot take the same
    numbers (write lock on SQLite, row lock on PostgreSQL, unique serial per certificate).
    """
    limit = current_app.config["LABEL_MAX_SERIALS_PER_REQUEST"]
    if not isinstance(how_many, int) or not 1 <= how_many <= limit:
        raise DomainError(_l("Enter a number of codes from 1 to %(n)d.", n=limit), "count")
    now = now or utcnow()
    try:
        with write_transaction():
            certificate = db.session.scalar(
                select(BatchCertificate).where(BatchCertificate.batch_id == batch_id)
                .with_for_update().execution_options(populate_existing=True))
            if certificate is None:
                raise DomainError(_l("This batch has no certificate."), "count")
            access.check_member(user, certificate.cooperative_id)
            if not certificate.is_valid_at(now):
                raise DomainError(_l("Labels can be printed only while the certificate is valid."), "count")
            size = package_size(batch_id, variant_id, net_weight_grams, current_app.config["LISTING_WEIGHT_MAX_GRAMS"])
            weight = size.weight_grams
            _check_codes_fit(certificate, how_many, weight)
            last = db.session.scalar(select(func.max(TraceCode.serial)).where(
                TraceCode.certificate_id == certificate.id)) or 0
            codes = [issue_code(certificate, serial) for serial in range(last + 1, last + 1 + how_many)]
            for code in codes:
                code.net_weight_grams, code.variant_id, code.size_label = weight, size.variant_id, size.label
            db.session.flush()
            record("trace_code.serials_issued", "batch", certificate.batch_id, actor=user,
                   county_code=certificate.county_code, first_serial=last + 1,
                   last_serial=last + how_many, certificate_number=certificate.number,
                   net_weight_grams=weight, variant_id=size.variant_id, size_label=size.label)
    except IntegrityError as error:
        raise DomainError(_l("Codes were being issued for this batch at the same time. "
                             "Please try again."), "count") from error
    return codes


def package_of(trace_code: TraceCode | str) -> tuple[int, int] | None:
    """Say which package a code is on: (N, M) for "package N of M", or None for a batch code.

    M is how many packages of the code's net weight the batch holds; N counts the codes of
    that weight issued for the certificate up to this one. Codes issued before weights were
    recorded have no N of M.
    """
    if isinstance(trace_code, str):
        trace_code = db.session.scalar(select(TraceCode).where(TraceCode.code == trace_code))
    if trace_code is None or not trace_code.serial or not trace_code.net_weight_grams:
        return None
    batch = db.session.get(Batch, trace_code.batch_id)
    position = db.session.scalar(package_position().where(TraceCode.id == trace_code.id))
    return package_numbers(trace_code, batch, position)


def package_position():
    """A SELECT of N for TraceCode: its codes of the same weight issued up to it (correlates)."""
    earlier = aliased(TraceCode)
    return select(func.count(earlier.id)).where(
        earlier.certificate_id == TraceCode.certificate_id, earlier.serial > 0,
        earlier.serial <= TraceCode.serial, earlier.net_weight_grams == TraceCode.net_weight_grams)


def package_numbers(trace_code: TraceCode, batch: Batch | None, position: int | None) -> tuple[int, int] | None:
    """(N, M) from N as `package_position` counts it; None for a batch code or without weights."""
    if not trace_code.serial or not trace_code.net_weight_grams or not position:
        return None
    if batch is None or not batch.quantity_grams:
        return None
    return int(position), batch.quantity_grams // trace_code.net_weight_grams


def look_up(raw: str | None) -> TraceCode:
    """Find the trace code for what someone typed; raise TraceCodeError or UnknownTraceCode."""
    code = normalise(raw)
    trace_code = db.session.scalar(select(TraceCode).where(TraceCode.code == code))
    if trace_code is None:
        raise UnknownTraceCode(code)
    return trace_code
