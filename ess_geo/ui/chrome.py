"""What every page shares around its content, and literal display helpers.

The demo banner above and the sources below every page, the page's
language, the Carte's page styles (``carte.css`` next to this module), and
two ways to show data without Streamlit reading it as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import streamlit as st

from ess_geo import maps
from ess_geo.actors.calibration import CALIBRATION_NOTE
from ess_geo.geo import geography
from ess_geo.text import escape_markdown
from ess_geo.ui.caches import workspace
from ess_geo.ui.share import copy_link_button
from ess_geo.workspace import store

__all__ = [
    "CARTE_PAGE_CSS",
    "DEMO_BANNER",
    "FRENCH_SHIM",
    "basemap_choice",
    "definition_list",
    "demo_banner",
    "footer",
    "french_document",
    "safe_table",
]

DEMO_BANNER = "Données de démonstration — acteurs fictifs"

CARTE_PAGE_CSS = (
    "<style>\n"
    + Path(__file__).with_name("carte.css").read_text(encoding="utf-8")
    + "</style>"
)
"""The Carte page's styles (``carte.css``), for ``st.html``."""

_COMPONENTS = Path(__file__).with_name("components")
FRENCH_SHIM = (
    "<style>\n"
    + (_COMPONENTS / "french.css").read_text(encoding="utf-8")
    + "</style>\n<script>\n"
    + (_COMPONENTS / "french.js").read_text(encoding="utf-8")
    + "</script>"
)
"""Streamlit's interface in French, focus and layout fixes (``components/french.*``)."""


def demo_banner() -> None:
    """Say so, on every page, while fictitious demo actors are shown."""
    with workspace() as conn:
        if store.has_demo_actors(conn):
            st.info(
                f"**{DEMO_BANNER}.** {CALIBRATION_NOTE} Les territoires et les "
                "réseaux de référence sont réels.",
                icon="ℹ️",
            )


def french_document() -> None:
    """The page in French: its language, Streamlit's own texts, focus, layout.

    Streamlit serves every app with ``lang="en"`` and English interface texts
    (file uploader, empty select boxes, aria labels, skip link); screen
    readers would read the French text with an English voice (RGAA criterion
    8.3). :data:`FRENCH_SHIM` (``components/french.js`` and ``french.css``,
    constants) sets ``lang="fr"``, translates those texts as they appear,
    formats the browser's numbers the French way, keeps a collapsed sidebar
    out of the Tab order and shows the keyboard focus. It runs in the page,
    not in an iframe, once per browser tab.
    """
    with st.sidebar:
        st.html(FRENCH_SHIM, unsafe_allow_javascript=True)


def footer() -> None:
    """The « Copier le lien » button, sources and attribution, on every page."""
    st.divider()
    copy_link_button()
    # Not st.caption: its grey (#828180 on white, 3.9:1) fails the WCAG AA
    # contrast that axe-core checks; small text in the normal colour passes.
    # Markdown's own :small[] (raw HTML would make every page load an HTML
    # parser, 190 KB of JavaScript, before its map).
    st.markdown(
        f":small[{geography.ATTRIBUTION}. Pays, PNR et réseaux : tables de "
        "référence (data/reference/SOURCES.md). Document source : CNCRES, cahier "
        "« Des réseaux territoriaux d'acteurs de l'ESS moteurs du développement "
        "local » (2011).]"
    )


def definition_list(pairs: Sequence[tuple[str, str]]) -> None:
    """Show label/value pairs, values escaped (they come from data).

    A value that is an http(s) address becomes a link.
    """
    lines = []
    for label, value in pairs:
        shown = escape_markdown(value)
        if value.startswith(("http://", "https://")):
            shown = f"[{shown}](<{quote(value, safe=':/?&=#%.-_~+,;@')}>)"
        lines.append(f"- **{escape_markdown(label)}** : {shown}")
    st.markdown("\n".join(lines))


def safe_table(frame: pd.DataFrame) -> None:
    """``st.table`` with every text cell shown literally (st.table renders Markdown)."""
    st.table(frame.map(lambda v: escape_markdown(v) if isinstance(v, str) else v))


def basemap_choice(key: str, container=st) -> str:
    """The basemap selector of a map (a keyed widget); its value.

    Parameters
    ----------
    key : str
        The widget's session key.
    container : default ``st``
        Where to draw it (a column, the sidebar…).
    """
    return container.selectbox(
        "Fond de carte",
        list(maps.BASEMAPS),
        key=key,
        format_func=lambda name: maps.BASEMAPS[name].label,
        help="Les fonds OpenStreetMap et IGN demandent une connexion internet ; "
        "la carte fonctionne sans.",
    )
