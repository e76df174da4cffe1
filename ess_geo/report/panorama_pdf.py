"""The panorama territorial printed as a PDF of at most two A4 pages.

:func:`to_pdf` lays out a :class:`ess_geo.report.panorama.Panorama` with fpdf2 at
fixed positions: lists are capped and long names cut so that nothing ever
runs past the second page. Text is set in DejaVu Sans, embedded from
``data/fonts/`` (fpdf2's core fonts are Latin-1 only: no "œ", "’" or "—");
the map and the charts are the SVG of :mod:`ess_geo.report.figures`.
"""

from __future__ import annotations

from fpdf import FPDF

from ess_geo.actors.calibration import CALIBRATION_NOTE
from ess_geo.report.panorama import (
    DEMO_NOTICE,
    MAX_SECTIONS,
    NEIGHBOUR_HEADER,
    Panorama,
    comparison_rows,
    family_chart_svg,
    key_figures,
    map_caption,
    neighbour_rows,
    section_chart_svg,
)
from ess_geo.report.pdfpage import (
    BLUE,
    GREY,
    MARGIN,
    WIDTH,
    A4Document,
    fit,
    heading,
    svg_for_pdf,
)

__all__ = ["to_pdf"]


def _pdf_table(
    pdf: FPDF,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    *,
    selected: list[bool] | None = None,
    row_height: float = 5.2,
) -> None:
    """A table with fixed row heights (text cut to fit) so the layout is known."""
    lines = max(h.count("\n") + 1 for h in header)
    pdf.set_font("DejaVu", "B", 7.5)
    pdf.set_fill_color(232, 238, 243)
    x0, y0 = pdf.get_x(), pdf.get_y()
    for i, (text, width) in enumerate(zip(header, widths, strict=True)):
        pdf.set_xy(x0 + sum(widths[:i]), y0)
        cells = text.split("\n")
        for j in range(lines):
            part = cells[j] if j < len(cells) else ""
            pdf.cell(
                width,
                4,
                fit(pdf, part, width - 2),
                align="L" if i == 0 else "R",
                fill=True,
                new_x="LEFT",
                new_y="NEXT",
            )
    pdf.set_xy(x0, y0 + 4 * lines)
    for r, row in enumerate(rows):
        is_selected = bool(selected and selected[r])
        pdf.set_font("DejaVu", "B" if is_selected else "", 8)
        pdf.set_fill_color(251, 231, 161)
        for i, (text, width) in enumerate(zip(row, widths, strict=True)):
            pdf.cell(
                width,
                row_height,
                fit(pdf, text, width - 2),
                align="L" if i == 0 else "R",
                border="B",
                fill=is_selected,
            )
        pdf.ln(row_height)


def to_pdf(p: Panorama) -> bytes:
    """The panorama as a PDF of at most two A4 pages.

    Parameters
    ----------
    p : Panorama

    Returns
    -------
    bytes
        The PDF; text in DejaVu Sans (embedded), so every French character
        prints. Lists are capped (:data:`MAX_NEIGHBOURS`,
        :data:`MAX_SECTIONS`) and long names cut so that the layout never
        runs past the second page.
    """
    pdf = A4Document("panorama généré le", p.generated, p.title, p.subtitle)

    # Page 1: title, notice, map and key figures, ranks, comparison, famille.
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(
        0, 7.5, p.title, align="L", max_line_height=7.5, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 5, fit(pdf, p.subtitle, WIDTH), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if p.is_demo:
        pdf.ln(1)
        pdf.set_draw_color(179, 89, 0)
        pdf.set_fill_color(255, 244, 229)
        pdf.set_line_width(0.6)
        pdf.set_font("DejaVu", "B", 8.5)
        pdf.multi_cell(
            0,
            5,
            f"{DEMO_NOTICE}. {CALIBRATION_NOTE} Territoires et populations sont réels.",
            border=1,
            fill=True,
            align="C",
            padding=1,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    top = pdf.get_y()
    map_width = 92.0
    pdf.image(svg_for_pdf(p.map_svg), x=MARGIN, y=top, w=map_width)
    map_height = map_width * 320 / 360
    x = MARGIN + map_width + 5
    tile_w, tile_h = (WIDTH - map_width - 5 - 3) / 2, 16.0
    pdf.set_line_width(0.2)
    pdf.set_draw_color(190, 190, 190)
    for i, (label, value) in enumerate(key_figures(p)):
        tx, ty = x + (i % 2) * (tile_w + 3), top + (i // 2) * (tile_h + 3)
        pdf.rect(tx, ty, tile_w, tile_h)
        pdf.set_xy(tx + 2, ty + 1.5)
        pdf.set_font("DejaVu", "", 7)
        pdf.set_text_color(*GREY)
        pdf.cell(tile_w - 4, 4, fit(pdf, label, tile_w - 4))
        pdf.set_xy(tx + 2, ty + 6.5)
        pdf.set_font("DejaVu", "B", 13)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(tile_w - 4, 7, fit(pdf, value, tile_w - 4))
    legend_y = top + 3 * (tile_h + 3) + 1
    pdf.set_xy(x, legend_y)
    pdf.set_font("DejaVu", "", 7)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        WIDTH - map_width - 5,
        3.4,
        f"Carte : {map_caption(p)}",
        new_x="LEFT",
        new_y="NEXT",
    )
    if p.ranks:
        pdf.set_xy(x, pdf.get_y() + 1.5)
        pdf.set_font("DejaVu", "B", 7.5)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(
            WIDTH - map_width - 5,
            3.6,
            "Rang (emplois de l'ESS pour 1 000 habitants) : "
            + " ; ".join(p.ranks)
            + ".",
            align="L",
            new_x="LEFT",
            new_y="NEXT",
        )
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, max(top + map_height, pdf.get_y()) + 2)
    for note in p.notes[:3]:
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(WIDTH, 3.6, note, new_x="LMARGIN", new_y="NEXT")

    heading(pdf, "Comparaisons")
    header, rows = comparison_rows(p)
    first = 58.0
    others = (WIDTH - first) / (len(header) - 1)
    _pdf_table(pdf, header, rows, [first] + [others] * (len(header) - 1))

    heading(pdf, "Familles de l'ESS : part des emplois")
    if p.row["structures"] > 0:
        pdf.image(
            svg_for_pdf(family_chart_svg(p, 620)),
            x=MARGIN,
            y=pdf.get_y(),
            w=WIDTH * 0.85,
        )
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(0, 6, "Aucune structure de l'ESS recensée dans ce territoire.")

    # Page 2: sectors, neighbours, method and sources.
    pdf.add_page()
    heading(pdf, "Secteurs d'activité : part des emplois (principaux secteurs)")
    if p.row["structures"] > 0:
        chart = section_chart_svg(p, 620)
        rows_drawn = min(MAX_SECTIONS, int((p.sections["structures"] > 0).sum()))
        pdf.image(svg_for_pdf(chart), x=MARGIN, y=pdf.get_y(), w=WIDTH * 0.95)
        pdf.set_y(pdf.get_y() + (26 + 20 * rows_drawn) * WIDTH * 0.95 / 620 + 2)
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(
            0,
            6,
            "Aucune structure de l'ESS recensée dans ce territoire.",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    heading(pdf, "Territoires voisins")
    rows, selected, left_out = neighbour_rows(p)
    if len(rows) > 1:
        _pdf_table(
            pdf,
            NEIGHBOUR_HEADER,
            rows,
            [72.0, 22.0, 20.0, 20.0, 32.0, 20.0],
            selected=selected,
        )
        if left_out:
            pdf.set_font("DejaVu", "", 7.5)
            pdf.cell(
                0,
                5,
                f"… et {left_out} autre(s) voisin(s).",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(
            0,
            6,
            "Aucun territoire limitrophe de même niveau.",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    heading(pdf, "Méthode et sources")
    pdf.set_font("DejaVu", "", 7.5)
    for paragraph in p.sources:
        pdf.multi_cell(WIDTH, 3.6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())
