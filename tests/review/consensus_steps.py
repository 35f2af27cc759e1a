"""An application awaiting consensus on which the assessors differ, and the consensus form's two steps.

Shared by the review tests and the browser journey (tests/browser/test_consensus_journey.py).
"""

from __future__ import annotations

import html
import re

from certify.questionnaire.services import standard_of
from certify.review import rubric_scores
from tests import factories

#: the lead gives 3 everywhere; the second differs here by 2 (a justification is needed) …
DIVERGENT = {"str_members": 1, "gov_team": 1}
#: … and here by 1 (the lead picks one of the two, no justification needed)
CLOSE = {"fin_plan": 4}
#: what each assessor wrote on str_members
COMMENTS = ("Реестр ведётся и актуален", "В реестре нет половины участников")


def scored_apart(session, **earlier) -> factories.Case:
    """In review, then submitted through the scoring service: the lead 3 everywhere, the second apart on
    DIVERGENT and CLOSE, each with a comment on str_members. The totals stay far below the spread limit."""
    case = factories.in_review(session, **earlier)
    indicators = [i.id for i in standard_of(case.application).indicators()]
    marks = factories.every_item_accepted(session, case.application)
    for assignment, apart, comment in (
        (case.lead, {}, COMMENTS[0]),
        (case.second, DIVERGENT | CLOSE, COMMENTS[1]),
    ):
        scores = {i: (apart.get(i, 3), comment if i == "str_members" else "") for i in indicators}
        rubric_scores.save_scores(session, assignment, scores=scores, feedback={}, marks=marks)
        rubric_scores.submit_scores(session, assignment, assignment.assessor)
    return case


def consensus_data(application, scores: dict[str, int | str], **justifications: str) -> dict[str, str]:
    """The consensus form as a browser posts it: 3 where not told, `scores` where told ("" for none), every
    file relevant and every "not applicable" confirmed."""
    data = factories.all_scores(application, 3) | {f"score-{i}": str(value) for i, value in scores.items()}
    data |= {f"justification-{i.id}": "" for i in standard_of(application).indicators()}
    data |= {f"justification-{i}": text for i, text in justifications.items()}
    return data


def checked_token(page: str) -> str:
    """The token the confirmation step carries (the hidden field `checked`)."""
    match = re.search(r'<input[^>]*name="checked"[^>]*value="([^"]*)"', page) or re.search(
        r'<input[^>]*value="([^"]*)"[^>]*name="checked"', page
    )
    assert match, "no confirmation step on the page"
    return html.unescape(match.group(1))


def check_and_record(client, application, data: dict[str, str], *, page: str = "consensus"):
    """Check the consensus (`page`: "appeal/consensus" for an appeal panel's), then record exactly what
    was checked; returns the second answer."""
    url = f"/review/applications/{application.id}/{page}"
    checked = client.post(url, data={**data, "step": "check"})
    assert checked.status_code == 200, checked.get_data(as_text=True)
    token = checked_token(checked.get_data(as_text=True))
    return client.post(url, data={**data, "step": "record", "checked": token})
