"""Reports: the panorama and the prospect sheet (PDF, HTML), SVG figures, charts.

The panorama and the prospect sheet share function names (``build``,
``to_html``, ``to_pdf``, ``file_name``): reach the sheet's through
:mod:`ess_geo.report.sheet`.
"""

from ess_geo.report.charts import (
    FRENCH_LOCALE,
    count_bars,
    family_chart,
    french,
    neighbours_chart,
    section_chart,
    stacked_bars,
)
from ess_geo.report.figures import FONT_FAMILY, MAX_MAP_POINTS, bar_chart, territory_map
from ess_geo.report.panorama import (
    DEMO_NOTICE,
    MAX_NEIGHBOURS,
    MAX_SECTIONS,
    NEIGHBOUR_HEADER,
    Panorama,
    build,
    comparison_frame,
    comparison_rows,
    families_frame,
    family_chart_svg,
    file_name,
    key_figures,
    map_caption,
    neighbour_rows,
    section_chart_svg,
    sections_frame,
    short_name,
    to_html,
)
from ess_geo.report.panorama_pdf import to_pdf
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
from ess_geo.report.sheet import (
    MAX_BUDGET_YEARS,
    MAX_NETWORKS,
    SHEET_LEVELS,
    ProspectSheet,
)

__all__ = [
    "BLUE",
    "DEMO_NOTICE",
    "FONT_FAMILY",
    "FRENCH_LOCALE",
    "GREY",
    "MARGIN",
    "MAX_BUDGET_YEARS",
    "MAX_MAP_POINTS",
    "MAX_NEIGHBOURS",
    "MAX_NETWORKS",
    "MAX_SECTIONS",
    "NEIGHBOUR_HEADER",
    "SHEET_LEVELS",
    "WIDTH",
    "A4Document",
    "Panorama",
    "ProspectSheet",
    "bar_chart",
    "build",
    "comparison_frame",
    "comparison_rows",
    "count_bars",
    "families_frame",
    "family_chart",
    "family_chart_svg",
    "file_name",
    "fit",
    "french",
    "heading",
    "key_figures",
    "map_caption",
    "neighbour_rows",
    "neighbours_chart",
    "section_chart",
    "section_chart_svg",
    "sections_frame",
    "short_name",
    "stacked_bars",
    "svg_for_pdf",
    "territory_map",
    "to_html",
    "to_pdf",
]
