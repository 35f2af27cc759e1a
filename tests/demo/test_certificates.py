"""The demo data holds issued certificates in every status, made through the real review path."""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa

from certify.audit.services import verify_chain
from certify.certificates.issuance import status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.register import with_status
from certify.outbox.models import OutboxMessage
from tests.stored import certificate_pdf


def test_demo_certificates_cover_every_status_and_are_loaded_once(runner, db, client):
    assert runner.invoke(args=["certify", "demo"]).exit_code == 0
    certificates = db.scalars(sa.select(Certificate)).all()
    statuses = Counter(status_of(c).value for c in certificates)
    assert set(statuses) == {"valid", "suspended", "revoked", "expired", "superseded"}
    # the staff register's SQL filter agrees with status_of for every status
    for status in CertificateStatus:
        chosen = db.scalars(sa.select(Certificate.id).where(with_status(status, date.today()))).all()
        assert set(chosen) == {c.id for c in certificates if status_of(c) == status}, status
    assert all(certificate_pdf(c).startswith(b"%PDF") for c in certificates)
    corrected = next(c for c in certificates if c.revision == 1)
    assert corrected.organisation_name_en == "Lithuanian Water Cluster Association"
    # the registry shows only those in force
    registry = client.get("/registry").get_data(as_text=True)
    for certificate in certificates:
        assert (certificate.number in registry) == (status_of(certificate).value == "valid")
    assert runner.invoke(args=["certify", "demo"]).exit_code == 0
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == len(certificates)
    assert verify_chain(db).ok
    assert db.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0  # nobody told of invented history
