"""Lists of certificates found by key (issue order, newest first) and the levels in force (issue 19)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from certify.certificates import register
from certify.certificates.models import Certificate

TODAY = date(2026, 12, 2)


@pytest.fixture
def listed(db, certified):
    """Seven certificates on the certified application's decision (revisions 1-6 copied from the first),
    issued two on each day, with levels and statuses to filter by; their ids newest first."""
    certificate = certified[0]
    columns = {c.key: getattr(certificate, c.key) for c in Certificate.__table__.columns if c.key != "id"}
    db.execute(sa.update(Certificate).values(issued_on=TODAY - timedelta(days=4)))
    db.execute(
        sa.insert(Certificate),
        [
            columns
            | {
                "number": f"{certificate.number}-{revision}",
                "revision": revision,
                "issued_on": TODAY - timedelta(days=3 - revision // 2),
                "expires_on": TODAY + timedelta(days=365),
                "level_id": ("basic", "advanced")[revision % 2],
                "level_name_ru": ("Базовый", "Продвинутый")[revision % 2],
                "status": "revoked" if revision == 6 else "valid",
            }
            for revision in range(1, 7)
        ],
    )
    db.commit()
    order = register.matching(register.RegisterFilter(), TODAY).with_only_columns(Certificate.id)
    return db.scalars(order).all()


def walk(db, statement, pages, per_page=3):
    """Every page from the first, following the older links, then back along the newer ones."""
    page, seen = register.page_of(db, statement, per_page=per_page), []
    while True:
        seen.append([c.id for c in page.items])
        pages.append(page)
        if page.older is None:
            break
        page = register.page_of(db, statement, per_page=per_page, before=page.older)
    back = []
    while page.newer is not None:
        page = register.page_of(db, statement, per_page=per_page, after=page.newer)
        back.append([c.id for c in page.items])
    return seen, back


def test_pages_go_through_the_list_in_issue_order_and_back(db, listed):
    pages = []
    seen, back = walk(db, register.matching(register.RegisterFilter(), TODAY), pages)
    assert seen == [listed[0:3], listed[3:6], listed[6:7]]
    assert back == [listed[3:6], listed[0:3]]
    assert pages[0].newer is None and pages[-1].older is None


def test_a_page_past_the_end_of_a_list_that_changed_shows_the_end_with_its_cursor(db, listed):
    # a link made before the rows beyond its cursor went (revoked and filtered out, say) finds nothing
    # there: it shows the list's end on that side, the cursor's row still among them, and leads back
    statement = register.matching(register.RegisterFilter(), TODAY)
    oldest_end = register.page_of(db, statement, per_page=3, before=listed[-1])
    assert [c.id for c in oldest_end.items] == listed[4:7]
    assert (oldest_end.newer, oldest_end.older) == (listed[4], None)
    newest_end = register.page_of(db, statement, per_page=3, after=listed[0])
    assert [c.id for c in newest_end.items] == listed[0:3]
    assert (newest_end.newer, newest_end.older) == (None, listed[2])
    short = register.page_of(db, statement, per_page=10, before=listed[-1])
    assert [c.id for c in short.items] == listed and short.newer is None and short.older is None


def test_pages_keep_the_filter(db, listed):
    revoked = db.scalar(sa.select(Certificate.id).where(Certificate.status == "revoked"))
    pages = []
    in_force = register.registry(register.RegistryFilter(), TODAY)
    seen, _ = walk(db, in_force, pages, per_page=2)
    assert [i for ids in seen for i in ids] == [i for i in listed if i != revoked]


def test_the_levels_in_force_are_each_level_once_as_issued(db, listed):
    def held(certificates):
        return sorted({(c.level_id, c.level_name_ru, c.level_name_en) for c in certificates})

    everything = db.scalars(sa.select(Certificate)).all()
    in_force = [c for c in everything if c.status == "valid" and c.expires_on >= TODAY]
    assert register.levels_in_force(db, TODAY) == held(in_force)
    assert len(held(in_force)) < len(in_force)  # levels held by several certificates come once
    db.execute(sa.update(Certificate).where(Certificate.level_id == "basic").values(status="suspended"))
    assert register.levels_in_force(db, TODAY) == held(c for c in in_force if c.level_id != "basic")
