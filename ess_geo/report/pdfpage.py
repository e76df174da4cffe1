"""The A4 page the printed documents share (panorama, prospect sheet).

fpdf2's core fonts are Latin-1 only (no "œ", "’" or "—"): every document
embeds DejaVu Sans from ``data/fonts/``. Layouts are at fixed positions, so
long texts are cut with :func:`fit` rather than wrapped past a page.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from fpdf import FPDF

from ess_geo import paths

__all__ = [
    "BLUE",
    "GREY",
    "MARGIN",
    "WIDTH",
    "A4Document",
    "fit",
    "heading",
    "svg_for_pdf",
]

MARGIN = 12.0
"""Page margins, in mm."""
WIDTH = 210.0 - 2 * MARGIN
"""Width of the text block of an A4 portrait page, in mm."""
BLUE = (31, 95, 139)
GREY = (85, 85, 85)


class A4Document(FPDF):
    """A4 portrait, DejaVu fonts, fixed layout, a dated footer on each page.

    Parameters
    ----------
    footer : str
        What the footer says before the date, e.g. ``"panorama généré le"``.
    generated : datetime.date
        The date printed in the footer.
    title, subject : str
        The document's metadata.
    """

    def __init__(
        self, footer: str, generated: dt.date, title: str, subject: str
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = f"ESS Territoires — {footer} {generated:%d/%m/%Y}"
        self.set_title(title)
        self.set_author("ESS Territoires")
        self.set_subject(subject)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.add_font("DejaVu", "", paths.FONTS_DIR / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", paths.FONTS_DIR / "DejaVuSans-Bold.ttf")

    def footer(self) -> None:
        """Date and page number at the bottom of each page."""
        self.set_y(-10)
        self.set_font("DejaVu", size=7)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"{self.footer_text} — page {self.page_no()}/{{nb}}", align="C")


def svg_for_pdf(svg: str) -> io.BytesIO:
    """SVG bytes without the elements fpdf2 does not draw (``<title>``)."""
    return io.BytesIO(re.sub(r"<title>.*?</title>", "", svg, flags=re.S).encode())


def fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, cut with an ellipsis to fit ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def heading(pdf: FPDF, text: str) -> None:
    """A section heading: bold blue text over a blue rule."""
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + WIDTH, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_text_color(0, 0, 0)
