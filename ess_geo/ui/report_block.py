"""Report tables, figures and SVG drawn as plain HTML (``st.html``), no script.

The Territoires page shows a territory's map, key figures, comparison,
familles, sectors and neighbours as the panorama writes them
(:func:`ess_geo.report.panorama.table_html`, ``key_figures_html`` and the
SVG of :mod:`ess_geo.report.figures`): formatted text needs no data grid,
and SVG bars need no Vega, so the browser loads neither (about 2.6 MB of
JavaScript) nor spends time drawing them. The map and the key figures are
HTML too: as ``st.image`` and ``st.metric`` they waited for their own code,
and a new browser showed them about 0.2 s after the rest of the page.
``st.html`` keeps only HTML (its sanitiser drops inline ``<svg>``): a chart
is an ``<img>`` of its SVG as a ``data:`` URI, the SVG's ``<title>`` as its
text alternative. The style is scoped to ``.ess-report`` (``st.html`` puts
it in the page's DOM): tables scroll sideways inside their box on a phone,
and each chart exists twice, a wide drawing and a narrow one shown below
641 px, so that its text stays at 11 px instead of being scaled down.
"""

from __future__ import annotations

import base64
import html
import re

import streamlit as st

__all__ = [
    "REPORT_CSS",
    "report_chart",
    "report_html",
    "report_map",
    "report_styles",
    "svg_image",
]

REPORT_CSS = """
.ess-report{color:inherit;margin:0 0 .5rem}
.ess-report .scroll{overflow-x:auto;max-width:100%}
.ess-report table{border-collapse:collapse;width:100%;font-size:.9rem}
.ess-report th,.ess-report td{border-bottom:1px solid #d6d6d6;padding:.3rem .5rem;
text-align:right;vertical-align:top}
.ess-report th:first-child,.ess-report td:first-child{text-align:left}
.ess-report thead th{font-weight:600;border-bottom:2px solid #8a8a8a}
.ess-report tbody th{font-weight:normal}
.ess-report caption{text-align:left;font-weight:600;padding:.2rem 0 .4rem}
.ess-report tr.selection{background:#fbe7a1;font-weight:bold}
.ess-report tr.selection th{font-weight:bold}
.ess-report .chart img{display:block;max-width:100%;height:auto}
.ess-report figure{margin:0}
.ess-report figure img{display:block;width:100%;height:auto}
.ess-report figcaption{font-size:.875rem;margin-top:.3rem}
.ess-report dl.figures{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin:0;
padding:0}
.ess-report dl.figures div{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;
padding:.6rem .9rem}
.ess-report dl.figures dt{font-size:.875rem}
.ess-report dl.figures dd{margin:0;font-size:1.75rem;line-height:1.3}
.ess-report .narrow{display:none}
@media (max-width:640px){.ess-report .wide{display:none}
.ess-report .narrow{display:block}}
"""
"""Style of the ``report_*`` functions' HTML, scoped to ``.ess-report``."""


def report_styles() -> None:
    """Put :data:`REPORT_CSS` in the page (once, before the tables and charts)."""
    st.html(f"<style>{REPORT_CSS}</style>")


def report_html(body: str) -> None:
    """Draw HTML already escaped (a :func:`~ess_geo.report.panorama.table_html`)."""
    st.html(f'<div class="ess-report">{body}</div>')


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def svg_image(svg: str) -> str:
    """An ``<img>`` of an SVG (a ``data:`` URI), its ``<title>`` as ``alt``.

    The title of :mod:`ess_geo.report.figures`' SVG is already escaped, so
    it goes into the attribute as it is.
    """
    title = _TITLE.search(svg)
    alt = title.group(1) if title else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}">'


def report_map(svg: str, caption: str) -> None:
    """Draw an SVG map as wide as its column, with its caption (escaped here)."""
    report_html(
        f"<figure>{svg_image(svg)}"
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def report_chart(wide: str, narrow: str) -> None:
    """Draw an SVG chart: ``wide`` from 641 px, ``narrow`` below.

    Parameters
    ----------
    wide, narrow : str
        The same chart as SVG (with its ``<title>``), drawn for about 620 and
        340 px: each is shown at its size or smaller, never enlarged.
    """
    st.html(
        '<div class="ess-report ess-terr-chart">'
        f'<div class="chart wide">{svg_image(wide)}</div>'
        f'<div class="chart narrow">{svg_image(narrow)}</div></div>'
    )
