"""What the review's pages call the people who score: "assessors" of an organisation's application,
"examiners" of a candidate's (issue 16, as certify.questionnaire.subject names the subject)."""

from __future__ import annotations

from flask_babel import gettext

from certify.questionnaire.models import Application


def review_words(application: Application) -> dict[str, str]:
    """The team page's headings and notes in the reader's language, worded for the application's subject."""
    if application.is_person:
        return {
            "title": gettext("Examiners of application No. %(n)s", n=application.id),
            "team_help": gettext(
                "The ticked examiners score the candidate's practical task: tick one to ask them, untick one "
                "to remove them (they are told by e-mail). An examiner who has submitted scores stays."
            ),
            "third": gettext("Add a third examiner"),
            "appeal": gettext("Appeal examiner:"),
        }
    return {
        "title": gettext("Assessors of application No. %(n)s", n=application.id),
        "team_help": "",
        "third": gettext("Add a third assessor"),
        "appeal": gettext("Appeal assessor:"),
    }
