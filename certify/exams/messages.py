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

# Reading a workbook (certify.exams.workbook_reading): where, then what
WB_AT_CELL = N_("Sheet {sheet}, row {row}, column {column}")
WB_AT_ROW = N_("Sheet {sheet}, row {row}")
WB_AT_SHEET = N_("Sheet {sheet}")
WB_NOT_XLSX = N_(
    "the file is not an XLSX workbook; save it as .xlsx from Excel or LibreOffice,"
    " or give the bank's YAML file"
)
WB_DAMAGED = N_("the workbook is damaged and cannot be read; save it again from Excel or LibreOffice")
WB_UNSAFE = N_(
    "the workbook cannot be read safely: it is damaged, protected by a password, or would expand too far"
    " when unpacked; save it again from Excel or LibreOffice, without a password"
)
WB_SHEET_MISSING = N_("the workbook has no sheet of this name; a bank workbook has the sheets {sheets}")
WB_COLUMN_MISSING = N_("the header row has no column of this name")
WB_COLUMN_UNKNOWN = N_(
    "this sheet has no column of this name, so its values would be lost;"
    " rename the column to one the sheet lacks, or delete it"
)
WB_COLUMN_TWICE = N_("the header row names this column twice")
WB_COLUMN_UNNAMED = N_("this value is in a column without a header, so it would be lost")
WB_TOO_MANY_ROWS = N_("the sheet has more than {limit} rows, so it was not read")
WB_EMPTY_CELL = N_("this cell must not be empty")
WB_NOT_A_NUMBER = N_("'{value}' is not a number")
WB_FORMULA = N_("the cell holds a formula; type the value itself")
WB_DATE = N_(
    "the spreadsheet turned the value into the date {value}; format the cell as text and type the value again"
)
WB_KEY_UNKNOWN = N_("the key names option '{option}', which this row does not have (its options: {options})")
WB_BANK_NO_ROW = N_("the sheet has no row under its header; it holds the bank's code, version and title")
WB_BANK_SECOND_ROW = N_("the sheet holds one bank; this is a second row")
WB_BLUEPRINT_UNKNOWN = N_("names blueprint '{id}', which is not on the sheet blueprints")
# Problems the schema and the checks find after conversion, reworded for the workbook
WB_DUPLICATE_ROW = N_("duplicate {kind} id '{id}' (first used in row {first})")
WB_DUPLICATE_OPTION = N_("duplicate option id '{id}' (first used in column {first})")
WB_VERSION_FORM = N_(
    "'{value}' is not a version of the form major.minor, such as 1.0;"
    " format the cell as text, so that the spreadsheet keeps the .0"
)
WB_TOO_FEW_OPTIONS = N_("an item needs at least {limit} options")
WB_BLUEPRINT_NO_AREAS = N_("the blueprint draws from no area; give it rows on the sheet blueprint areas")
WB_NO_AREAS = N_("the sheet lists no area; a bank needs at least one")
WB_CONVERTED_TOO_LARGE = N_(
    "the bank in this workbook is {size} bytes as a YAML file, more than the {limit} bytes allowed"
)

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
