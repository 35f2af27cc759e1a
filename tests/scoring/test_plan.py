"""The per-standard scoring plan is built once and forgotten with its standard."""

from __future__ import annotations

import gc

from certify.scoring import plan
from tests.scoring.builders import area, indicator, standard, yes_no


def test_a_standard_is_planned_once():
    subject = standard(area("a", indicator("i", yes_no("y"))))
    assert plan.plan_for(subject) is plan.plan_for(subject)


def test_the_plan_goes_when_its_standard_goes():
    subject = standard(area("a", indicator("i", yes_no("y"))))
    key = id(subject)
    plan.plan_for(subject)
    del subject
    gc.collect()
    assert key not in plan._PLANS
