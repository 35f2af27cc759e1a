"""How the review's pages word an application: "assessors" of an organisation's, "examiners" of a candidate's
(issue 16, as certify.questionnaire.subject names the subject).

The scoring, consensus, team and decision pages of a person's application call the people who score
"examiners", the subject "the candidate" and the document "the attestation"; an organisation's keep
"assessors", "the manager" and "the certificate". Whole sentences are kept per kind, never a noun spliced
into one: Russian declines the noun by its place in the sentence.
"""

from __future__ import annotations

from flask_babel import gettext

from certify.questionnaire.models import Application
from certify.textmarks import N_

#: key -> (an organisation's wording, a person's wording), msgids translated when read
WORDINGS: dict[str, tuple[str, str]] = {
    "title": (N_("Assessors of application No. %(n)s"), N_("Examiners of application No. %(n)s")),
    "team_help": (
        N_(
            "The ticked assessors are the team: tick one to ask them, untick one to remove them from the "
            "team (they are told by e-mail). An assessor who has submitted scores stays. The standard asks "
            "for %(least)s to %(most)s assessors."
        ),
        N_(
            "The ticked examiners score the candidate's practical task: tick one to ask them, untick one "
            "to remove them (they are told by e-mail). An examiner who has submitted scores stays."
        ),
    ),
    "barred": (
        N_("A coordinator or an administrator: does not assess applications."),
        N_("A coordinator or an administrator: does not examine candidates."),
    ),
    "third_needed": (
        N_(
            "The assessors' totals differ by %(s)s points (%(limit)s or more): a third assessor is needed "
            "before consensus."
        ),
        N_(
            "The examiners' totals differ by %(s)s points (%(limit)s or more): a third examiner is needed "
            "before consensus."
        ),
    ),
    "third": (N_("Add a third assessor"), N_("Add a third examiner")),
    "appeal": (N_("Appeal assessor:"), N_("Appeal examiner:")),
    "appeal_panel": (
        N_("The appeal panel of %(n)s assessors, none of whom took part in the review:"),
        N_("The appeal panel of %(n)s examiners, none of whom examined the case:"),
    ),
    "appeal_side_by_side": (
        N_("The appeal panel's scores side by side"),
        N_("The appeal examiners' scores side by side"),
    ),
    "independence": (
        N_(
            "Confirm that you have no tie to this organisation: no employment, membership, consulting or "
            "family link, and no assessment of it in the last years."
        ),
        N_(
            "Confirm that you have no tie to this candidate: you do not work for their organisation, have "
            "no family or other personal link with them and have not trained them in the last 2 years."
        ),
    ),
    "score": (N_("Score the application"), N_("Score the practical task")),
    "side_by_side": (N_("Scores side by side"), N_("The examiners' scores side by side")),
    "revealed": (
        N_("Your scores are submitted. The other assessors' submitted scores are shown beside yours."),
        N_("Your scores are submitted. The other examiners' submitted scores are shown beside yours."),
    ),
    "blind": (
        N_("Scoring is blind: you see no other assessor's scores until you submit your own."),
        N_("Scoring is blind: you see no other examiner's scores until you submit your own."),
    ),
    "others": (N_("Other assessors:"), N_("Other examiners:")),
    "not_applicable": (
        N_("the manager answered “not applicable”"),
        N_("the candidate answered “not applicable”"),
    ),
    "justification": (
        N_("The manager's justification: %(reason)s"),
        N_("The candidate's justification: %(reason)s"),
    ),
    "spread": (
        N_("spread of the assessors' totals: %(s)s (from %(limit)s points a third assessor is needed)"),
        N_("spread of the examiners' totals: %(s)s (from %(limit)s points a third examiner is needed)"),
    ),
    "steps": (
        N_("a third assessor is also needed where scores on one indicator are %(n)s steps apart or more"),
        N_("a third examiner is also needed where scores on one indicator are %(n)s steps apart or more"),
    ),
    "agree": (
        N_(
            "Where the assessors agree, their score is chosen; where they differ, choose the consensus. "
            "Justify it wherever their scores differ by %(n)s or more and wherever it lies outside their "
            "scores."
        ),
        N_(
            "Where the examiners agree, their score is chosen; where they differ, choose the consensus. "
            "Justify it wherever their scores differ by %(n)s or more and wherever it lies outside their "
            "scores."
        ),
    ),
    "appeal_not_scored": (
        N_("The appeal assessor has not submitted scores yet."),
        N_(
            "The appeal panel has not finished: every examiner on it submits scores, and a panel of several "
            "records its consensus."
        ),
    ),
    "assessed_total": (N_("Assessed total: %(t)s of 100."), N_("The examiners' total: %(t)s of 100.")),
    "decided_level": (N_("Certified at level %(level)s."), N_("Attested at level %(level)s.")),
    "decided_none": (N_("Not certified."), N_("Not attested.")),
    "appeal_lodged": (
        N_("Your appeal is lodged. An assessor who took no part in the review will examine it."),
        N_("Your appeal is lodged. A panel of examiners who took no part in the review will examine it."),
    ),
    "answer_sent": (N_("Your answer is sent to the assessors."), N_("Your answer is sent to the examiners.")),
}


class ReviewWords:
    """The review pages' sentences for one application, in the reader's language.

    `words.third` reads a sentence without parameters; `words("spread", s=…, limit=…)` one with them.
    """

    def __init__(self, application: Application) -> None:
        self.is_person = application.is_person

    def __call__(self, key: str, **params) -> str:
        return gettext(WORDINGS[key][self.is_person], **params)

    def __getattr__(self, key: str) -> str:
        if key not in WORDINGS:
            raise AttributeError(key)
        return self(key)


def review_words(application: Application) -> ReviewWords:
    """The wording of the review's pages for `application`'s subject: an organisation or a person."""
    return ReviewWords(application)
