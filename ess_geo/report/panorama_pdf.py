"""The panorama territorial printed as a PDF of at most two A4 pages.

:func:`to_pdf` lays out a :class:`ess_geo.report.panorama.Panorama` with fpdf2 at
fixed positions: lists are capped and long names cut so that nothing ever
runs past the second page. Text is set in DejaVu Sans, embedded from
``data/fonts/`` (fpdf2's core fonts are Latin-1 only: no "œ", "’" or "—");
the map and the charts are the SVG of :mod:`ess_geo.report.figures`.
"""

from __future__ import annotations

import io
import re

from fpdf import FPDF

from ess_geo import paths
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

__all__ = ["to_pdf"]

_MARGIN = 12.0
_WIDTH = 210.0 - 2 * _MARGIN
_BLUE = (31, 95, 139)
_GREY = (85, 85, 85)


class _PanoramaPDF(FPDF):
    """A4 portrait with a footer on each page."""

    generated: str = ""

    def footer(self) -> None:
        """Date and page number at the bottom of each page."""
        self.set_y(-10)
        self.set_font("DejaVu", size=7)
        self.set_text_color(*_GREY)
        self.cell(
            0,
            4,
            f"ESS Territoires — panorama généré le {self.generated} — "
            f"page {self.page_no()}/{{nb}}",
            align="C",
        )


def _svg_for_pdf(svg: str) -> io.BytesIO:
    """SVG bytes without the elements fpdf2 does not draw (``<title>``)."""
    return io.BytesIO(re.sub(r"<title>.*?</title>", "", svg, flags=re.S).encode())


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, cut with an ellipsis to fit ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(*_BLUE)
    pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*_BLUE)
    pdf.set_line_width(0.5)
    pdf.line(_MARGIN, pdf.get_y(), _MARGIN + _WIDTH, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_text_color(0, 0, 0)


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
                _fit(pdf, part, width - 2),
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
                _fit(pdf, text, width - 2),
                align="L" if i == 0 else "R",
                border="B",
                fill=is_selected,
            )
        pdf.ln(row_height)


def _fonts(pdf: FPDF) -> None:
    pdf.add_font("DejaVu", "", paths.FONTS_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", paths.FONTS_DIR / "DejaVuSans-Bold.ttf")


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
    pdf = _PanoramaPDF(orientation="P", unit="mm", format="A4")
    pdf.generated = p.generated.strftime("%d/%m/%Y")
    pdf.set_title(p.title)
    pdf.set_author("ESS Territoires")
    pdf.set_subject(p.subtitle)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(False)
    _fonts(pdf)

    # Page 1: title, notice, map and key figures, ranks, comparison, famille.
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_text_color(*_BLUE)
    pdf.multi_cell(
        0, 7.5, p.title, align="L", max_line_height=7.5, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(*_GREY)
    pdf.cell(0, 5, _fit(pdf, p.subtitle, _WIDTH), new_x="LMARGIN", new_y="NEXT")
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
    pdf.image(_svg_for_pdf(p.map_svg), x=_MARGIN, y=top, w=map_width)
    map_height = map_width * 320 / 360
    x = _MARGIN + map_width + 5
    tile_w, tile_h = (_WIDTH - map_width - 5 - 3) / 2, 16.0
    pdf.set_line_width(0.2)
    pdf.set_draw_color(190, 190, 190)
    for i, (label, value) in enumerate(key_figures(p)):
        tx, ty = x + (i % 2) * (tile_w + 3), top + (i // 2) * (tile_h + 3)
        pdf.rect(tx, ty, tile_w, tile_h)
        pdf.set_xy(tx + 2, ty + 1.5)
        pdf.set_font("DejaVu", "", 7)
        pdf.set_text_color(*_GREY)
        pdf.cell(tile_w - 4, 4, _fit(pdf, label, tile_w - 4))
        pdf.set_xy(tx + 2, ty + 6.5)
        pdf.set_font("DejaVu", "B", 13)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(tile_w - 4, 7, _fit(pdf, value, tile_w - 4))
    legend_y = top + 3 * (tile_h + 3) + 1
    pdf.set_xy(x, legend_y)
    pdf.set_font("DejaVu", "", 7)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(
        _WIDTH - map_width - 5,
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
            _WIDTH - map_width - 5,
            3.6,
            "Rang (emplois de l'ESS pour 1 000 habitants) : "
            + " ; ".join(p.ranks)
            + ".",
            align="L",
            new_x="LEFT",
            new_y="NEXT",
        )
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(_MARGIN, max(top + map_height, pdf.get_y()) + 2)
    for note in p.notes[:3]:
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(_WIDTH, 3.6, note, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "Comparaisons")
    header, rows = comparison_rows(p)
    first = 58.0
    others = (_WIDTH - first) / (len(header) - 1)
    _pdf_table(pdf, header, rows, [first] + [others] * (len(header) - 1))

    _heading(pdf, "Familles de l'ESS : part des emplois")
    if p.row["structures"] > 0:
        pdf.image(
            _svg_for_pdf(family_chart_svg(p, 620)),
            x=_MARGIN,
            y=pdf.get_y(),
            w=_WIDTH * 0.85,
        )
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(0, 6, "Aucune structure de l'ESS recensée dans ce territoire.")

    # Page 2: sectors, neighbours, method and sources.
    pdf.add_page()
    _heading(pdf, "Secteurs d'activité : part des emplois (principaux secteurs)")
    if p.row["structures"] > 0:
        chart = section_chart_svg(p, 620)
        rows_drawn = min(MAX_SECTIONS, int((p.sections["structures"] > 0).sum()))
        pdf.image(_svg_for_pdf(chart), x=_MARGIN, y=pdf.get_y(), w=_WIDTH * 0.95)
        pdf.set_y(pdf.get_y() + (26 + 20 * rows_drawn) * _WIDTH * 0.95 / 620 + 2)
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(
            0,
            6,
            "Aucune structure de l'ESS recensée dans ce territoire.",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    _heading(pdf, "Territoires voisins")
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

    _heading(pdf, "Méthode et sources")
    pdf.set_font("DejaVu", "", 7.5)
    for paragraph in p.sources:
        pdf.multi_cell(_WIDTH, 3.6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())
