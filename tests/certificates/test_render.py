"""Certificate rendering, checked with poppler's command-line tools on the real PDF bytes."""

from __future__ import annotations

import dataclasses
import gc
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from certify.certificates import render
from certify.certificates.render import (
    STATIC_DIR,
    CertificateContext,
    StaticFilesFetcher,
    quoted_ru,
    render_certificate,
    static_file_for,
)
from tests.pdfs import pdf_text, poppler

HOSTILE_NAME = '<img src="file:///etc/passwd"> <b>x</b>'


def make_context(**changes) -> CertificateContext:
    """A realistic organisation's certificate context (naming no person); keyword arguments replace fields."""
    context = CertificateContext(
        number="CMQ-2026-000042",
        subject_kind="organisation",
        document_name_ru="Сертификат соответствия",
        document_name_en="Certificate of conformity",
        holder_name_ru="",
        holder_name_en="",
        organisation_name_ru="АНО «Центр кластерного развития Республики Татарстан»",
        organisation_name_en="Tatarstan Cluster Development Centre",
        cluster_name_ru="Камский инновационный территориально-производственный кластер",
        cluster_name_en="Kama Innovative Territorial Production Cluster",
        region="Республика Татарстан",
        country="Россия",
        standard_title_ru="Единый стандарт качества управления кластерами",
        standard_title_en="Unified Standard of Cluster Management Quality",
        standard_code="CMQ",
        standard_version="2.1",
        level_name_ru="Золотой",
        level_name_en="Gold",
        assessed_score=Decimal("87.5"),
        issued_on=date(2026, 11, 28),
        expires_on=date(2029, 11, 27),
        verify_url="https://certify.example.org/verify/CMQ-2026-000042",
        issuer_name_ru="Орган по сертификации «Сертифай»",
        issuer_name_en="Certify certification body",
    )
    return dataclasses.replace(context, **changes)


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("render") / "certificate.pdf"
    path.write_bytes(render_certificate(make_context()))
    return path


def test_text_shows_cyrillic_holder_number_levels_and_dates(pdf_file):
    text = pdf_text(pdf_file, layout=True)
    for expected in (
        "Сертификат / Certificate",
        "Tatarstan Cluster Development Centre",
        "CMQ-2026-000042",
        "Золотой",
        "Gold",
        "28 ноября 2026 г.",
        "28 November 2026",
        "27 ноября 2029 г.",
        "27 November 2029",
        "87.5",
        "87,5",
        "Проверить подлинность / Verify at:",
        "https://certify.example.org/verify/CMQ-2026-000042",
    ):
        assert expected in text


def test_the_organisation_is_the_certified_subject_and_no_person_is_named(pdf_file):
    text = " ".join(pdf_text(pdf_file).split())
    assert (
        "Настоящим удостоверяется, что специализированная организация кластера / This is to certify that "
        "the specialised organisation of the cluster "
        "«Камский инновационный территориально-производственный кластер» / "
        "Kama Innovative Territorial Production Cluster "
        "АНО «Центр кластерного развития Республики Татарстан» Tatarstan Cluster Development Centre "
        "Республика Татарстан, Россия "
        "соответствует требованиям стандарта / meets the requirements of the standard"
    ) in text
    assert "Руководитель" not in text and "Head of the organisation" not in text
    assert "управляющая кластером" not in text and "Competence areas" not in text


def test_an_organisations_certificate_prints_no_name_even_if_one_is_stated(tmp_path):
    """A certificate issued before issue 16 stated the head; a re-render (a correction) prints no person."""
    pdf = tmp_path / "old-head.pdf"
    pdf.write_bytes(render_certificate(make_context(holder_name_ru="Анна Иванова", holder_name_en="Anna")))
    text = pdf_text(pdf)
    assert "Tatarstan Cluster Development Centre" in text and "Анна Иванова" not in text


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("Камский кластер", "«Камский кластер»"),
        ("«Иннокам»", "«Иннокам»"),
        ("Кластер «Иннокам»", "«Кластер „Иннокам“»"),
    ],
)
def test_the_clusters_russian_name_reads_as_a_name_in_the_sentence(name, quoted):
    assert quoted_ru(name) == quoted


def test_score_always_shows_one_decimal(tmp_path):
    pdf = tmp_path / "round.pdf"
    pdf.write_bytes(render_certificate(make_context(assessed_score=Decimal("87"))))
    text = pdf_text(pdf, layout=True)
    assert "87,0" in text and "87.0" in text


LONG_ORGANISATION = (
    "Автономная некоммерческая организация «Центр кластерного развития и поддержки малого "
    "и среднего предпринимательства Республики Татарстан»"
)


@pytest.mark.parametrize("repeat", [1, 2])
def test_long_names_still_fit_on_one_page(tmp_path, repeat):
    pdf = tmp_path / "long.pdf"
    long_text = LONG_ORGANISATION * repeat
    context = make_context(
        organisation_name_ru="Константинопольская-Вознесенская " + long_text,
        organisation_name_en="Centre for Cluster Development and Support of Small Enterprises " * repeat,
        cluster_name_ru=long_text,
        standard_title_ru=long_text,
    )
    pdf.write_bytes(render_certificate(context))

    assert re.search(r"^Pages:\s+1$", poppler("pdfinfo", pdf), re.MULTILINE)
    assert "Константинопольская-Вознесенская" in pdf_text(pdf, layout=True)


PERSON = {
    "subject_kind": "person",
    "document_name_ru": "Аттестат кластерного менеджера",
    "document_name_en": "Cluster manager attestation",
    "holder_name_ru": "Анна Сергеевна Иванова",
    "holder_name_en": "Anna Ivanova",
    "areas_passed": (("Стратегия", "Strategy"), ("Управление", "Governance"), ("Финансы", "Finance")),
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"phase_name_ru": "Рост", "phase_name_en": "Growth"},
        PERSON,
        {"organisation_name_ru": LONG_ORGANISATION * 2, "cluster_name_ru": LONG_ORGANISATION * 2},
    ],
    ids=["organisation", "phase", "person", "long-names"],
)
def test_the_certificates_own_user_agent_sheet_prints_what_weasyprints_printed(tmp_path, changes):
    # certificate-ua.css keeps only the rules of WeasyPrint's HTML5 sheet the certificate's elements use:
    # an element added to the template without its rules would shift or restyle the page here.
    values = render.template_values(make_context(**changes))
    for density in render.DENSITIES:
        html = render._template().render(values, density=density)
        own = render.lay_out(html, render._stylesheet(), user_agent=render._certificate_user_agent())
        full = render.lay_out(html, render._stylesheet())
        if len(full.pages) == 1:
            break
    assert len(own.pages) == len(full.pages)
    assert own.make_bookmark_tree() == full.make_bookmark_tree()
    for name, document in (("own", own), ("full", full)):
        (tmp_path / f"{name}.pdf").write_bytes(render.write_pdf(document))
        pdf = tmp_path / f"{name}.pdf"
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(pdf), str(tmp_path / name)], check=True)
    own_pages, full_pages = sorted(tmp_path.glob("own*.pgm")), sorted(tmp_path.glob("full*.pgm"))
    assert own_pages and len(own_pages) == len(full_pages)
    for own_page, full_page in zip(own_pages, full_pages, strict=True):
        assert own_page.read_bytes() == full_page.read_bytes(), own_page.name


def test_qr_code_scanned_off_the_printed_page_is_the_verification_address(pdf_file, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_file), str(tmp_path / "page")], check=True
    )
    scanned = [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
    assert scanned == [make_context().verify_url]


def test_qr_code_is_drawn_as_vectors(pdf_file):
    # segno's path reached the page as vector strokes (hundreds of line segments), sharp at any print
    # size, and no raster image stands in for it.
    with pdf_file.open("rb") as stream:
        page = PdfFileReader(stream).root["/Pages"]["/Kids"][0]
        content = page["/Contents"].data
        resources = page["/Resources"]
        assert not resources.get("/XObject")
    assert content.count(b" l\n") > 200


def test_all_fonts_are_embedded_dejavu(pdf_file):
    rows = poppler("pdffonts", pdf_file).splitlines()[2:]
    assert rows
    for row in rows:
        assert "DejaVu" in row
        # Columns: name, type (two words), encoding, emb, sub, uni, object, generation.
        assert row.split()[-5] == "yes", row


def test_info_title_author_page_size_and_pdfa(pdf_file):
    info = poppler("pdfinfo", pdf_file)
    assert "Title:           Сертификат CMQ-2026-000042 / Certificate CMQ-2026-000042" in info
    assert "Author:          Орган по сертификации «Сертифай» / Certify certification body" in info
    assert "Keywords:        CMQ-2026-000042" in info
    assert re.search(r"Page size:\s+841\.89 x 595\.276 pts \(A4\)", info)
    metadata = poppler("pdfinfo", pdf_file, "-meta")
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata


def test_document_language_is_russian(pdf_file):
    with pdf_file.open("rb") as stream:
        assert PdfFileReader(stream).root["/Lang"] == "ru"


def test_no_embedded_files(pdf_file):
    assert poppler("pdfdetach", pdf_file, "-list").strip() == "0 embedded files"


def test_markup_in_names_prints_as_text_and_fetches_nothing(tmp_path, monkeypatch):
    fetched: list[str] = []
    original_fetch = StaticFilesFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return original_fetch(self, url, headers)

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording_fetch)
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(
        render_certificate(make_context(organisation_name_ru=HOSTILE_NAME, organisation_name_en=HOSTILE_NAME))
    )

    assert HOSTILE_NAME in pdf_text(pdf, layout=True)
    assert fetched == []


def test_renders_reuse_one_font_configuration_and_stylesheet():
    render_certificate(make_context(number="CMQ-2026-000001"))
    font_config, stylesheet = render._font_config(), render._stylesheet()
    render_certificate(make_context(number="CMQ-2026-000002"))
    assert render._font_config() is font_config
    assert render._stylesheet() is stylesheet


def test_the_collector_is_paused_while_laying_out_and_back_on_after(monkeypatch):
    seen: list[bool] = []
    original_layout = render._layout

    def recording_layout(values, density):
        seen.append(gc.isenabled())
        return original_layout(values, density)

    monkeypatch.setattr(render, "_layout", recording_layout)
    assert gc.isenabled()
    render_certificate(make_context())
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_comes_back_on_after_a_failed_render(monkeypatch):
    def failing_layout(values, density):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(render, "_layout", failing_layout)
    with pytest.raises(RuntimeError):
        render_certificate(make_context())
    assert gc.isenabled()


def test_a_render_leaves_a_collector_switched_off_by_its_caller_off():
    gc.disable()
    try:
        render_certificate(make_context())
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "data:text/plain,hello",
        (STATIC_DIR / "css" / ".." / ".." / "config.py").as_uri(),
        (STATIC_DIR / "css").as_uri(),
        "file://evil.example.org" + str(STATIC_DIR / "css" / "certify.css"),
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    assert static_file_for(url) is None
    with pytest.raises(render.ResourceRefused):
        StaticFilesFetcher().fetch(url)


def test_fetcher_serves_static_files():
    stylesheet = STATIC_DIR / "css" / "certify.css"
    response = StaticFilesFetcher().fetch(stylesheet.as_uri())
    assert response.read() == stylesheet.read_bytes()
    assert response.content_type == "text/css"
