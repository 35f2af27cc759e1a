"""The CPD record against cma 1.0's recertification rule, and when a renewal skips the theory exam (pure)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.attestation.cpd_rules import (
    AFTER_EXPIRY,
    BEFORE_ISSUE,
    IN_THE_FUTURE,
    date_refusal,
    hours_by_kind,
    tally,
)
from certify.attestation.renewal_rules import NO_ROUTE, NOT_IN_FORCE, renewal_refusal, theory_required
from certify.standards.attestation import CpdKind, Recertification, RenewalRoute
from certify.standards.definition import Text

#: cma 1.0's rule: 72 hours, conferences and teaching at most 24 each, publications at most 16
RULES = Recertification(
    cpd_hours=72,
    cpd_kinds=(
        CpdKind("training", Text("Обучение", "Training")),
        CpdKind("events", Text("Конференции", "Conferences"), 24),
        CpdKind("teaching", Text("Преподавание", "Teaching"), 24),
        CpdKind("publications", Text("Публикации", "Publications"), 16),
    ),
    reminders_days=(90, 30),
    exam_unless_cpd=True,
)
H = Decimal


def test_each_kind_counts_up_to_its_cap_and_the_total_is_the_schemes_own():
    recorded = {"training": H(30), "events": H(40), "publications": H("10.5")}
    laid_out = tally(RULES, recorded)
    by_id = {k.kind.id: k for k in laid_out.kinds}
    assert [k.kind.id for k in laid_out.kinds] == ["training", "events", "teaching", "publications"]
    assert (by_id["events"].recorded, by_id["events"].counted, by_id["events"].capped) == (H(40), H(24), True)
    assert (by_id["teaching"].recorded, by_id["teaching"].counted) == (H(0), H(0))
    assert laid_out.counted == H("64.5") == RULES.counted_hours(recorded)
    assert laid_out.missing == H("7.5") and laid_out.route is RenewalRoute.EXAM


def test_conferences_alone_never_make_up_the_hours():
    laid_out = tally(RULES, {"events": H(200)})
    assert laid_out.counted == 24 and laid_out.route is RenewalRoute.EXAM


def test_the_hours_met_give_the_cpd_route_and_nothing_missing():
    laid_out = tally(RULES, {"training": H(50), "teaching": H(22)})
    assert laid_out.route is RenewalRoute.CPD and laid_out.missing == 0


def test_a_scheme_without_the_exam_route_lets_a_short_record_lapse():
    lapsing = replace(RULES, exam_unless_cpd=False)
    assert tally(lapsing, {"training": H(71)}).route is None
    assert tally(lapsing, {"training": H(72)}).route is RenewalRoute.CPD


def test_unknown_kinds_count_nothing_and_are_not_listed():
    laid_out = tally(RULES, {"hobby": H(100)})
    assert laid_out.counted == 0 and "hobby" not in {k.kind.id for k in laid_out.kinds}


def test_hours_are_summed_per_kind():
    assert hours_by_kind([("training", H(8)), ("events", H(4)), ("training", H("2.5"))]) == {
        "training": H("10.5"),
        "events": H(4),
    }


@given(
    st.dictionaries(
        st.sampled_from(["training", "events", "teaching", "publications"]), st.decimals(0, 500, places=1)
    )
)
def test_the_counted_total_is_the_sum_of_the_kinds_and_never_more_than_recorded(recorded):
    laid_out = tally(RULES, recorded)
    assert laid_out.counted == sum((k.counted for k in laid_out.kinds), H(0))
    assert laid_out.counted <= sum(recorded.values(), H(0))
    assert (laid_out.route is RenewalRoute.CPD) == (laid_out.counted >= 72)


ISSUED, EXPIRES = date(2026, 1, 15), date(2029, 1, 15)


@pytest.mark.parametrize(
    ("done_on", "today", "refusal"),
    [
        (ISSUED, ISSUED, None),
        (EXPIRES, EXPIRES + timedelta(days=10), None),
        (ISSUED - timedelta(days=1), date(2026, 6, 1), BEFORE_ISSUE),
        (EXPIRES + timedelta(days=1), EXPIRES + timedelta(days=5), AFTER_EXPIRY),
        (date(2026, 6, 2), date(2026, 6, 1), IN_THE_FUTURE),
    ],
)
def test_only_cpd_within_the_validity_that_has_taken_place_counts(done_on, today, refusal):
    found = date_refusal(done_on, ISSUED, EXPIRES, today)
    assert (found[0] if found else None) == refusal


def test_a_renewal_confirmed_on_cpd_skips_the_theory_exam_and_nothing_else_does():
    assert theory_required(None)  # a first attestation, or a renewal not admitted yet
    assert theory_required(RenewalRoute.EXAM)
    assert not theory_required(RenewalRoute.CPD)


def test_a_renewal_starts_only_for_an_attestation_in_force_with_a_route():
    assert renewal_refusal(True, RenewalRoute.CPD) is None
    assert renewal_refusal(True, RenewalRoute.EXAM) is None
    assert renewal_refusal(True, None) == NO_ROUTE
    assert renewal_refusal(False, RenewalRoute.CPD) == NOT_IN_FORCE


def test_the_rules_are_pure():
    code = (
        "import sys, certify.attestation.cpd_rules, certify.attestation.renewal_rules; "
        "print('flask' in sys.modules or 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
