"""The A4 page shared by the panorama and the prospect sheet."""

import datetime as dt

from ess_geo.report.pdfpage import MARGIN, WIDTH, A4Document, fit, svg_for_pdf


def _document() -> A4Document:
    pdf = A4Document("panorama généré le", dt.date(2026, 12, 5), "Titre", "Sujet")
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    return pdf


def test_document_is_a4_with_the_shared_margins_and_embedded_fonts():
    pdf = _document()
    assert (round(pdf.w), round(pdf.h)) == (210, 297)
    assert (pdf.l_margin, pdf.t_margin, pdf.r_margin) == (MARGIN, MARGIN, MARGIN)
    assert WIDTH == 186.0
    assert {"dejavu", "dejavuB"} <= set(pdf.fonts)
    assert pdf.title == "Titre" and pdf.subject == "Sujet"
    assert pdf.author == "ESS Territoires"
    assert pdf.footer_text == "ESS Territoires — panorama généré le 05/12/2026"


def test_fit_keeps_a_short_text_and_cuts_a_long_one_with_an_ellipsis():
    pdf = _document()
    assert fit(pdf, "Brest", 50) == "Brest"
    long = "Communauté de communes du Pays de Landerneau-Daoulas " * 3
    cut = fit(pdf, long, 40)
    assert cut.endswith("…") and long.startswith(cut[:-1])
    assert pdf.get_string_width(cut) <= 40
    assert pdf.get_string_width(cut[:-1] + long[len(cut) - 1] + "…") > 40


def test_svg_for_pdf_drops_titles_only():
    svg = '<svg><title>Brest\nMétropole</title><rect width="1"/></svg>'
    assert svg_for_pdf(svg).read() == b'<svg><rect width="1"/></svg>'
