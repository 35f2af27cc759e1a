"""The written conclusion of a person's attestation: a frozen context of plain values in, PDF/A-3b bytes out.

Decree 1204 ends an attestation in a written conclusion, with recommendations when it fails
(docs/attestation.md): «Заключение о результатах аттестации». It states the candidate, the scheme, the
theory exam's result, the practical part's result per competence area, the decision and, when not
attested, what the commission wrote per area and recommends. Pure like render.py and report_pdf.py (no
Flask, no database): `certify.certificates.conclusion_data` gathers the values; the same fetcher, fonts
and PDF/A variant as every other PDF of the app print it, with the report's stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from certify.certificates.render import DATE_LOCALES, render_pdf_template
from certify.certificates.report_pdf import number


@dataclass(frozen=True)
class TheoryArea:
    """One competence area of the theory exam: items right of those asked, as a percent, and its pass mark."""

    name_ru: str
    name_en: str
    correct: int
    total: int
    percent: Decimal
    pass_mark: Decimal
    passed: bool


@dataclass(frozen=True)
class TheoryResult:
    """The scored exam attempt the decision rests on (the passed one, else the last one scored)."""

    sat_on: date
    correct: int
    total: int
    percent: Decimal
    pass_mark: Decimal
    passed: bool
    areas: tuple[TheoryArea, ...]


@dataclass(frozen=True)
class PracticalArea:
    """One competence area of the practical part as decided: its score and what the commission wrote."""

    id: str
    name_ru: str
    name_en: str
    #: the area score (0–100) of the outcome decided on; None when the area has none
    score: Decimal | None
    #: the scheme's area minimum for its first level; None when the scheme sets none
    required: Decimal | None
    #: the commission's written result in the area ("" when none was written: an attested decision)
    conclusion: str = ""


@dataclass(frozen=True)
class ConclusionContext:
    """Everything printed in a conclusion, as plain values (no models, no request)."""

    application_id: int
    candidate_name_ru: str
    candidate_name_en: str
    #: the scheme's document, as the certificate is called: «Аттестат кластерного менеджера»
    document_name_ru: str
    document_name_en: str
    scheme_title_ru: str
    scheme_title_en: str
    scheme_code: str
    scheme_version: str
    decided_on: date
    #: a decision taken on appeal (it replaces the first one)
    on_appeal: bool
    #: None: not attested
    level_name_ru: str | None
    level_name_en: str | None
    #: None: no attestation was issued on the decision
    certificate_number: str | None
    reasons: str
    #: None: no attempt was scored
    theory: TheoryResult | None
    #: the practical part's total (0–100) as decided; None when the practical part was not scored
    practical_total: Decimal | None
    #: the scheme's total minimum for its first level
    practical_required: Decimal | None
    #: () when the practical part was not taken (the theory exam not passed)
    practical: tuple[PracticalArea, ...]
    #: the commission's recommendations to a candidate not attested ("" otherwise)
    recommendations: str
    issuer_name_ru: str
    issuer_name_en: str


def percent(value: Decimal, lang: str) -> str:
    """A percent as the exam page prints it, without trailing zeros: 72,5 % / 72.5 %."""
    return number(value, lang).removesuffix(",0").removesuffix(".0") + " %"


def template_values(ctx: ConclusionContext) -> dict:
    """The values the template prints: the context, the dates and the number formatters."""
    values = {"c": ctx, "number": number, "percent": percent}
    for lang, locale in DATE_LOCALES.items():
        values[f"decided_on_{lang}"] = format_date(ctx.decided_on, format="long", locale=locale)
        if ctx.theory is not None:
            values[f"sat_on_{lang}"] = format_date(ctx.theory.sat_on, format="long", locale=locale)
    return values


def render_conclusion(ctx: ConclusionContext) -> bytes:
    """Render the bilingual A4 portrait conclusion for `ctx` as PDF/A-3b bytes."""
    return render_pdf_template("conclusion.html", "report.css", template_values(ctx))
