"""Certificate PDFs: a frozen context of plain values in, PDF/A-3b bytes out.

Nothing here touches Flask or the database, so a certificate can be rendered (and re-rendered for a
renewal or a reprint) from the same plain values anywhere: a view, a CLI command, a test, the bench.
"""

from __future__ import annotations

import functools
import mimetypes
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.css import ColorProfile
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certify.collector import collector_paused

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "certificates" / "pdf"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
PDF_VARIANT = "pdf/a-3b"
#: Babel locales for the long dates: "28 ноября 2026 г." and "28 November 2026" (day first in both).
DATE_LOCALES = {"ru": "ru", "en": "en_GB"}
#: Type scales tried in turn (a class on <body>) until the certificate fits on one page: long
#: organisation or cluster names need the smaller ones, and a certificate must never run onto a page 2.
DENSITIES = ("regular", "compact", "tight")
#: Our name for the sRGB output intent; any name but WeasyPrint's own "srgb" (see _srgb_profile).
OUTPUT_INTENT = "certify-srgb"


@dataclass(frozen=True)
class CertificateContext:
    """Everything printed on a certificate, as plain values (no models, no request).

    `subject_kind` decides who the certificate is for. "organisation": the specialised organisation of the
    cluster, and no person (a certificate issued before issue 16 still prints the head it named, as
    `holder_name_*`). "person": the attested person (`holder_name_*`), the scheme, the level and the
    competence areas passed; the person's organisation is not printed.
    """

    number: str
    subject_kind: str
    #: what the document is called: «Сертификат соответствия», «Аттестат кластерного менеджера»
    document_name_ru: str
    document_name_en: str
    holder_name_ru: str
    holder_name_en: str
    organisation_name_ru: str
    organisation_name_en: str
    cluster_name_ru: str
    cluster_name_en: str
    region: str
    country: str
    standard_title_ru: str
    standard_title_en: str
    standard_code: str
    standard_version: str
    level_name_ru: str
    level_name_en: str
    assessed_score: Decimal
    issued_on: date
    expires_on: date
    verify_url: str
    issuer_name_ru: str
    issuer_name_en: str
    #: a person's competence areas passed, (ru, en) each, in the scheme's order; () for an organisation
    areas_passed: tuple[tuple[str, str], ...] = ()
    #: the cluster's maturity phase when it applied; None when the standard has no phases
    phase_name_ru: str | None = None
    phase_name_en: str | None = None


class ResourceRefused(ValueError):
    """Raised by the fetcher for any URL that is not a file under the app's static folder."""


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves only files under `certify/static/` and refuses the rest.

    Certificates carry names typed by applicants; even though the template escapes them, the renderer
    must never read local files (`file:///etc/passwd`) or reach the network (SSRF) on their behalf.
    WeasyPrint turns the exception into a logged warning and leaves the resource out.
    """

    def fetch(self, url, headers=None):
        path = static_file_for(url)
        if path is None:
            raise ResourceRefused(f"certificate renderer refuses to fetch {url!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_file_for(url: str) -> Path | None:
    """Return the file under STATIC_DIR that `url` names, or None if it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    # resolve() folds `..` and symlinks, so the containment check below cannot be walked around.
    path = Path(url2pathname(parts.path)).resolve()
    static = STATIC_DIR.resolve()
    if not path.is_relative_to(static) or not path.is_file():
        return None
    return path


# Per-process singletons, built on first use. Reusing one FontConfiguration and one parsed stylesheet
# makes a warm render about a quarter faster and stops the ~0.2 MB per render that a fresh
# FontConfiguration (with its Pango/fontconfig state) leaks. WeasyPrint is not thread-safe, so a
# process renders one certificate at a time (sync workers), which these shared objects rely on.
@functools.cache
def _fetcher() -> StaticFilesFetcher:
    return StaticFilesFetcher()


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet(name: str = "certificate.css") -> CSS:
    return CSS(
        filename=str(TEMPLATE_DIR / name),
        font_config=_font_config(),
        url_fetcher=_fetcher(),
    )


@functools.cache
def _certificate_user_agent() -> CSS:
    return _stylesheet("certificate-ua.css")


class _HTMLWithUserAgent(HTML):
    """An HTML document laid out with a user-agent stylesheet of our choosing instead of WeasyPrint's.

    `_ua_stylesheets` is the hook WeasyPrint's own tests override the same way (their FakeHTML); it is
    pinned with WeasyPrint in requirements.txt.
    """

    def __init__(self, *, user_agent: CSS, **kwargs):
        super().__init__(**kwargs)
        self._user_agent = user_agent

    def _ua_stylesheets(self, forms=False):
        return [self._user_agent]


@functools.cache
def _srgb_profile() -> ColorProfile:
    # PDF/A needs an ICC output intent. Left to itself, WeasyPrint opens its sRGB profile file on every
    # render and never closes it (a leaked file handle and a ResourceWarning per certificate). The same
    # profile, read once here and passed in under our own name, gives an equivalent PDF/A output intent.
    # ColorProfile is WeasyPrint's internal class for @color-profile rules; pinned with WeasyPrint.
    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
        return ColorProfile(icc, "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))


@functools.cache
def _environment() -> Environment:
    # autoescape=True: names are applicant input, and markup in them must print as text.
    return Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=StrictUndefined)


@functools.cache
def _template(name: str = "certificate.html"):
    return _environment().get_template(name)


def qr_code_svg(url: str) -> Markup:
    """Return an inline SVG QR code for `url` (inline, so rendering it fetches nothing)."""
    qr = segno.make(url, error="m", micro=False)
    # omitsize drops width/height and keeps the viewBox, so the stylesheet decides the printed size.
    # Markup is safe here: segno writes only path data; the URL itself is not copied into the SVG.
    return Markup(qr.svg_inline(border=0, omitsize=True, dark="#1b2a41"))  # noqa: S704


def quoted_ru(name: str) -> str:
    """`name` in «ёлочки», its own inner quotes turned into „лапки“, as Russian typography nests them.

    The cluster's name follows «кластера» in the certificate's sentence, where it must read as a name.
    """
    if name.startswith("«") and name.endswith("»"):
        return name
    return "«" + name.replace("«", "„").replace("»", "“") + "»"


def template_values(ctx: CertificateContext) -> dict:
    """Return the values the template prints: the context plus dates, score and quoted names by language."""
    values = {
        "c": ctx,
        "person": ctx.subject_kind == "person",
        "qr_svg": qr_code_svg(ctx.verify_url),
        "cluster_ru": quoted_ru(ctx.cluster_name_ru),
    }
    for lang, locale in DATE_LOCALES.items():
        values[f"issued_on_{lang}"] = format_date(ctx.issued_on, format="long", locale=locale)
        values[f"expires_on_{lang}"] = format_date(ctx.expires_on, format="long", locale=locale)
        # "0.0": the score always shows one decimal, so 87 prints as 87,0 / 87.0 like its peers.
        values[f"score_{lang}"] = format_decimal(ctx.assessed_score, format="0.0", locale=lang)
    return values


def render_certificate(ctx: CertificateContext) -> bytes:
    """Render the bilingual A4 landscape certificate for `ctx` as one page of PDF/A-3b bytes."""
    values = template_values(ctx)
    with collector_paused():
        # Most certificates fit at the first density, so extra layouts cost only the long ones. Names too
        # long even for the tightest scale keep its (two-page) layout: better than refusing to issue.
        for density in DENSITIES:
            document = _layout(values, density)
            if len(document.pages) == 1:
                break
        return write_pdf(document)


def _layout(values: dict, density: str):
    """Lay the certificate out at one density and return WeasyPrint's Document."""
    html = _template().render(values, density=density)
    return lay_out(html, _stylesheet(), user_agent=_certificate_user_agent())


def render_pdf_template(template_name: str, stylesheet_name: str, values: dict) -> bytes:
    """Render another PDF of templates/certificates/pdf/ (the assessment report) as the certificate is.

    The same fetcher, fonts, colour profile and PDF/A-3b variant, so every PDF the app prints refuses
    local files and the network alike and embeds its fonts.
    """
    html = _template(template_name).render(values)
    with collector_paused():
        return write_pdf(lay_out(html, _stylesheet(stylesheet_name)))


def lay_out(html_text: str, stylesheet: CSS, user_agent: CSS | None = None):
    """Lay `html_text` out with the shared fetcher, fonts and output intent; return WeasyPrint's Document.

    `user_agent` replaces WeasyPrint's HTML5 user-agent stylesheet (None keeps it).
    """
    source = {"string": html_text, "base_url": STATIC_DIR.as_uri() + "/", "url_fetcher": _fetcher()}
    html = HTML(**source) if user_agent is None else _HTMLWithUserAgent(user_agent=user_agent, **source)
    return html.render(
        font_config=_font_config(),
        color_profiles={OUTPUT_INTENT: _srgb_profile()},
        stylesheets=[stylesheet],
        **_pdf_options(),
    )


def write_pdf(document) -> bytes:
    """The PDF/A-3b bytes of a laid-out Document."""
    return document.write_pdf(**_pdf_options())


def _pdf_options() -> dict:
    # Given to both layout and writing, as HTML.write_pdf does: the variant affects both steps.
    return {"output_intent": OUTPUT_INTENT, "pdf_variant": PDF_VARIANT}
