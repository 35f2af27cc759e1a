"""Every message the standard's loader reports, as `str.format` templates in one place.

Messages stay English here because this package is pure; the web layer translates a `Problem` with
`gettext(problem.template).format(**problem.params)`. `N_` only marks a template for extraction
(`pybabel extract -k N_`), as `gettext_noop` does.
"""

from __future__ import annotations

from certify.textmarks import N_

# Reading the file
FILE_TOO_LARGE = N_("the file is {size} bytes, more than the {limit} bytes allowed, so it was not read")
NOT_UTF8 = N_("the file is not valid UTF-8 text: {error}")
YAML_SYNTAX = N_("YAML syntax error at column {column}: {error}")
YAML_UNSUPPORTED = N_("unsupported YAML: {error}")
YAML_ALIAS = N_("anchors and aliases (&name, *name) are not allowed in this file")
YAML_DUPLICATE_KEY = N_("the key '{key}' appears twice in this mapping (first on line {first})")
YAML_BAD_KEY = N_("mapping keys must be plain text, not {kind}")
YAML_NOT_FINITE = N_("numbers must be finite, not {value}")
YAML_TOO_DEEP = N_("lists and mappings are nested more than {limit} levels deep (column {column})")
YAML_EMPTY = N_("the file is empty")

# Shape (JSON Schema)
SCHEMA_REQUIRED = N_("the required property '{name}' is missing")
SCHEMA_TRANSLATION = N_("the text has no '{language}' version; ru and en are both required")
SCHEMA_UNKNOWN = N_("unknown property '{name}'")
SCHEMA_TYPE = N_("expected {expected}, found {found}")
SCHEMA_ENUM = N_("must be one of: {allowed}")
SCHEMA_MINIMUM = N_("must be at least {limit}, not {value}")
SCHEMA_MAXIMUM = N_("must be at most {limit}, not {value}")
SCHEMA_EXCLUSIVE_MINIMUM = N_("must be greater than {limit}, not {value}")
SCHEMA_PATTERN = N_("'{value}' does not have the expected form ({hint})")
SCHEMA_EMPTY_TEXT = N_("must not be empty")
SCHEMA_TOO_FEW = N_("needs at least {limit} item(s)")
SCHEMA_TOO_MANY = N_("allows at most {limit} item(s)")
SCHEMA_OTHER = N_("{error}")

# Meaning (certify.standards.checks)
DUPLICATE_ID = N_("duplicate {kind} id '{id}' (first used on line {first})")
DUPLICATE_RANK = N_("two levels have rank {rank}")
WEIGHTS_ALL_ZERO = N_("all {kind} weights are zero; at least one must be positive")
WEIGHTS_NOT_100 = N_("the {kind} weights add up to {total}, not 100")
EXPRESSION_SYNTAX = N_("invalid expression: {error}")
REFERENCE_UNKNOWN = N_("refers to '{id}', which is not a question of this standard")
REFERENCE_SELF = N_("refers to its own question '{id}' (a cycle)")
REFERENCE_FORWARD = N_(
    "refers to '{id}', which comes later in the questionnaire; a question may depend only on earlier ones"
)
OPTION_UNKNOWN = N_("compares '{id}' with '{value}', which is not one of its options")
OPTIONS_MISSING = N_("a {type} question needs at least two options")
OPTIONS_NOT_ALLOWED = N_("only choice questions have options; this one is {type}")
FIELD_NOT_ALLOWED = N_("'{field}' does not apply to a {type} question")
BOUNDS_REVERSED = N_("minimum {minimum} is not below maximum {maximum}")
MAX_CHOICES_TOO_MANY = N_("max_choices is {value} but there are only {count} options")
BAND_EMPTY = N_("the band's minimum {minimum} is not below its maximum {maximum}")
BANDS_OVERLAP = N_("bands {first} and {second} overlap")
LEVEL_UNKNOWN_INDICATOR = N_("min_rubric names '{id}', which is not an indicator")
CRITICAL_UNKNOWN_INDICATOR = N_("critical names '{id}', which is not an indicator")
CRITICAL_TWICE = N_("critical names indicator '{id}' twice")
EXEMPT_UNKNOWN_AREA = N_("min_area_exempt names '{id}', which is not an area")
EXEMPT_NOT_BELOW = N_(
    "level '{id}' exempts area '{area}' from min_area but the lower level '{lower}' does not,"
    " which would make '{id}' the easier level to reach there"
)
NOT_APPLICABLE_ELIGIBILITY = N_(
    "an eligibility question cannot be declared not applicable: every requirement must be met"
)
NOT_APPLICABLE_WHOLE_AREA = N_(
    "every question of area '{id}' that earns points may be answered 'not applicable';"
    " at least one must always count, so that the area cannot be left out of the total"
)
LEVEL_NOT_STRICTER = N_(
    "level '{id}' ranks above '{lower}' but its {field} ({value}) is lower ({lower_value})"
)
RATIO_SOURCE_MISSING = N_("a ratio question needs both a numerator and a denominator")
RATIO_SOURCE_NOT_NUMBER = N_(
    "'{id}' is a {type} question; a ratio is computed from number (or ratio) questions only"
)
REFERENCE_RATIO = N_("refers to '{id}', a ratio; conditions may refer only to questions someone answers")
PHASE_BANDS_WITHOUT_PHASES = N_("phase_bands names phases, but this standard defines none")
PHASE_UNKNOWN = N_("names '{id}', which is not a phase of this standard")
PHASE_BANDS_TOP = N_(
    "the bands of phase '{id}' reach {points} points, not {expected} as 'bands' do;"
    " a phase changes what an answer is worth, never the indicator's weight"
)
PHASES_FOUNDED_NOT_DATE = N_("founded names '{id}', which is not a date question of this standard")
PHASES_FOUNDED_HIDDEN = N_(
    "the founding date '{id}' has a visible_if; every cluster must be able to state it"
)
PHASES_ORDER = N_("every phase but the last needs under_years, each above the one before; the last has none")
CROSS_CHECK_QUESTION = N_("'{id}' is not a number (or ratio) question of this standard")
CROSS_CHECK_EQUAL_ALONE = N_("an equal check compares at least two questions")
CROSS_CHECK_LIMIT_MISSING = N_("a sum_at_most check needs a limit")
CROSS_CHECK_LIMIT_UNUSED = N_("limit applies only to a sum_at_most check")

# A personal attestation scheme (certify.standards.attestation_checks, docs/attestation.md)
PERSON_SECTION_NOT_PERSON = N_(
    "'{name}' belongs only to a personal attestation scheme (kind: person); this file is an organisation's"
    " standard"
)
PERSON_SECTION_MISSING = N_("a personal attestation scheme (kind: person) needs the section '{name}'")
ATTEMPTS_DO_NOT_FIT = N_(
    "{max} attempts at least {days} days apart cannot all be taken within {months} months"
)
REMINDERS_ORDER = N_(
    "reminders are listed from the earliest to the latest: {value} days is not fewer than the {previous}"
    " before it"
)
REMINDER_BEYOND_VALIDITY = N_(
    "a reminder {value} days before expiry would come before the attestation starts: it is valid for"
    " {months} months (about {days} days)"
)
CPD_UNATTAINABLE = N_(
    "every CPD kind has a maximum, and together they count at most {possible} hours, fewer than the"
    " {hours} required"
)
PRACTICAL_EARNS_POINTS = N_(
    "question '{id}' earns points by itself; in a personal scheme only the examiners' rubric scores the"
    " practical part, never the candidate's own answers"
)
REQUIRES_NOTE_ALONE = N_("requires_note says in words what requires checks, but this level has no requires")
