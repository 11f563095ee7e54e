"""Fixtures shared by the certification tests: a complete certified world, and files."""
from __future__ import annotations

import secrets
from types import SimpleNamespace

import pytest


@pytest.fixture
def certified_world(gi_world, make_batch_certificate, app):
    """A cooperative with an approved authorization (with a document) and a certified batch."""
    from marketplace.certification.models import AuthorizationDocument, DocumentKind
    from marketplace.core import storage
    from marketplace.extensions import db
    from tests.support.factories_certification import PDF_BYTES, trace_code_of

    world = gi_world()
    name = f"{secrets.token_hex(16)}.pdf"
    storage.folder(storage.CERTIFICATION_DOCUMENTS).joinpath(name).write_bytes(PDF_BYTES)
    document = AuthorizationDocument(authorization_id=world.authorization.id, kind=DocumentKind.ORIGIN_REPORT,
                                     stored_name=name, mime_type="application/pdf",
                                     original_name="origin.pdf", size_bytes=len(PDF_BYTES))
    db.session.add(document)
    db.session.commit()
    world.document = document
    world.certificate = make_batch_certificate(world.batch)
    world.code = trace_code_of(world.certificate)
    return world


@pytest.fixture
def as_user(app, login):
    """A fresh test client signed in as `user` (or anonymous for None)."""

    def client_for(user):
        client = app.test_client()
        if user is not None:
            login(user, test_client=client)
        return client

    return client_for


def statuses(world) -> SimpleNamespace:
    from marketplace.certification.models import BatchCertificate, GIAuthorization
    from marketplace.extensions import db

    db.session.expire_all()
    return SimpleNamespace(authorization=db.session.get(GIAuthorization, world.authorization.id).status.value,
                           certificate=db.session.get(BatchCertificate, world.certificate.id).status.value)
