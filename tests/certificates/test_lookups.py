"""Public lookups are counted; a worker writes its counts at most every few seconds."""

from __future__ import annotations

from certify.certificates.lookups import LookupCounter
from certify.certificates.models import Certificate


def test_counts_wait_for_the_interval_and_are_taken_once():
    now = [100.0]
    counter = LookupCounter(clock=lambda: now[0])
    counter.count(7)
    counter.count(7)
    counter.count(9)
    assert not counter.due(5)
    now[0] += 5
    assert counter.due(5)
    assert counter.take() == {7: 2, 9: 1}
    assert counter.take() == {} and not counter.due(5)


def test_page_and_api_lookups_are_counted(db, certified, client):
    certificate, *_ = certified
    client.get(f"/verify/{certificate.number}")
    client.get(f"/api/v1/certificates/{certificate.number}")
    client.get(f"/verify/{certificate.number}")
    db.expire_all()
    assert db.get(Certificate, certificate.id).lookups == 3
