"""Every message of the exams core, as `str.format` templates, and the error that carries them.

The bank's loader reports problems exactly as the standard's does (`certify.standards.problems.Problem`),
and reuses the standard's messages for what both files share (YAML, JSON Schema); only what is the bank's
own lives here. Messages stay English because this package is pure; the web layer translates with
`gettext(error.template).format(**error.params)`. `N_` marks a template for extraction.
"""

from __future__ import annotations

from typing import Any

from certify.textmarks import N_

# Reading the file (the rest is certify.standards.messages)

# Meaning (certify.exams.bank_checks)
AREA_UNKNOWN = N_("names area '{id}', which is not an area of this bank")
SINGLE_CHOICE_KEY = N_("a single choice item needs exactly one correct option, not {count}")
MULTIPLE_CHOICE_NO_KEY = N_("a multiple choice item needs at least one correct option")
MULTIPLE_CHOICE_ALL_KEYS = N_(
    "every option is correct; a multiple choice item needs at least one wrong option"
)
SOURCE_NOT_ONE = N_("a source names exactly one of: an indicator, a document")
BLUEPRINT_AREA_TWICE = N_("names area '{id}' twice; an area has one entry with its count")
TOO_FEW_ACTIVE = N_("area '{area}' has {active} active items; blueprint '{blueprint}' draws {items}")

# Drawing a form (certify.exams.forms)
DRAW_TOO_FEW = N_(
    "area '{area}' has {available} items that may be drawn; blueprint '{blueprint}' draws {items}"
)

# Scoring an attempt (certify.exams.scoring)
ANSWER_NOT_ON_FORM = N_("item '{item}' is not on this form")
ANSWER_NOT_A_LIST = N_("the answer to item '{item}' must be a list of option ids")
ANSWER_UNKNOWN_OPTION = N_("item '{item}' has no option '{option}'")
ANSWER_OPTION_TWICE = N_("option '{option}' of item '{item}' is chosen twice")
ANSWER_SINGLE_MANY = N_("item '{item}' takes one option, not {count}")
FORM_ITEM_MISSING = N_(
    "version {version} of item '{item}', which is on the form, is not among the items given"
)

# Item statistics (certify.exams.statistics)
LENGTHS_DIFFER = N_(
    "KR-20 needs attempts of one length; these have {lengths} items: compute it per blueprint or form"
)

# Cut scores (certify.exams.angoff)
PANEL_EMPTY = N_("the panel needs at least one judge with at least one estimate")
ESTIMATE_NOT_A_NUMBER = N_("judge '{judge}' gave '{value}' for item '{item}', which is not a number")
ESTIMATE_OUT_OF_RANGE = N_(
    "judge '{judge}' estimated {value} for item '{item}'; an estimate is a share from 0 to 1"
)
ESTIMATES_ITEMS_DIFFER = N_(
    "judge '{judge}' did not rate the same items as judge '{first}' (differing: {items});"
    " every judge rates every item"
)


class ExamInputError(ValueError):
    """Input the exams core cannot work with, in a sentence naming what is wrong.

    `str()` is the English message; `template` and `params` let the web layer translate it.
    """

    def __init__(self, template: str, **params: Any):
        self.template = template
        self.params = params
        super().__init__(template.format(**params))
