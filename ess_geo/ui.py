"""Streamlit helpers shared by the pages: workspace access, caches, common chrome.

This is the only module of ess_geo that imports streamlit. It holds the
cached loaders every page uses (so that big tables and map layers are built
once per process), the demo banner and footer, the error display, query
parameter helpers and the session-state keys.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from typing import NamedTuple
from urllib.parse import quote

import pandas as pd
import streamlit as st

from ess_geo import filters, geography, maps, perimeters, store
from ess_geo.errors import EssGeoError
from ess_geo.text import escape_markdown

__all__ = [
    "CARTE_PAGE_CSS",
    "DEMO_BANNER",
    "KEY_MAP_VIEW",
    "CarteKeys",
    "Networks",
    "actors",
    "carte_actors",
    "definition_list",
    "demo_banner",
    "footer",
    "layer_features",
    "networks",
    "query_choice",
    "set_query_params",
    "show_error",
    "workspace",
    "workspace_revision",
]

DEMO_BANNER = "Données de démonstration — acteurs fictifs"

# Session-state keys (one place, so pages never spell them twice).
KEY_MAP_VIEW = "map_view"


class CarteKeys:
    """Session-state keys of the Carte page (widgets and page state)."""

    READY = "carte_pret"
    SELECTION = "carte_selection"
    ACTOR = "carte_acteur"
    NETWORK = "carte_reseau_fiche"
    SEARCH = "carte_recherche"
    RESULTS = "carte_resultats"
    RESULT = "carte_resultat"
    MAILLE = "carte_maille"
    INDICATOR = "carte_indicateur"
    METHOD = "carte_classes"
    BASEMAP = "carte_fond"
    FAMILLES = "carte_familles"
    SECTEURS = "carte_secteurs"
    RESEAU = "carte_reseau"
    EMPLOYEUR = "carte_employeur"
    TAILLES = "carte_tailles"
    CHILD = "carte_descendre"
    IGNORED = "carte_ignores"
    MAP = "carte"
    TERRITORY_TABLE = "carte_tableau_territoires"
    ACTOR_TABLE = "carte_tableau_acteurs"


def show_error(exc: EssGeoError) -> None:
    """Show a library error to the user in French and stop the page."""
    st.error(str(exc), icon="⚠️")
    st.stop()


@st.cache_resource(
    show_spinner="Préparation de l'espace de travail (première ouverture)…"
)
def _prepared(path: str) -> str:
    """Create, migrate and seed the workspace once per process."""
    store.open_workspace(path).close()
    return path


@contextlib.contextmanager
def workspace() -> Iterator[sqlite3.Connection]:
    """A connection to the workspace for the length of a ``with`` block."""
    try:
        path = _prepared(str(store.workspace_path()))
        conn = store.connect(path)
    except EssGeoError as exc:
        show_error(exc)
    try:
        yield conn
    finally:
        conn.close()


def workspace_revision() -> int:
    """The workspace's current revision (changes with every write)."""
    with workspace() as conn:
        return store.revision(conn)


@st.cache_resource(show_spinner="Chargement des acteurs…", max_entries=2)
def _actors(path: str, revision: int) -> pd.DataFrame:
    with contextlib.closing(store.connect(path)) as conn:
        table = store.read_actors(conn)
    names = geography.communes()["nom"]
    table["nom_commune"] = table["code_commune"].map(names).fillna(table["commune"])
    return table


def actors() -> pd.DataFrame:
    """Every actor of the workspace (shared object: never mutate it).

    Adds ``nom_commune``: the official name of the actor's commune.
    """
    return _actors(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner=False)
def layer_features(level: str, properties: tuple[str, ...] = ("nom",)) -> dict:
    """GeoJSON of a level's display geometry, built once per process."""
    return maps.territory_features(geography.load_layer(level), list(properties))


def demo_banner() -> None:
    """Say so, on every page, while fictitious demo actors are shown."""
    with workspace() as conn:
        if store.has_demo_actors(conn):
            st.info(
                f"**{DEMO_BANNER}.** Les noms, adresses et numéros des acteurs "
                "sont inventés ; les territoires, les réseaux de référence et les "
                "ordres de grandeur nationaux sont réels.",
                icon="ℹ️",
            )


def footer() -> None:
    """Sources and attribution, at the bottom of every page."""
    st.divider()
    st.caption(
        f"{geography.ATTRIBUTION}. Pays, PNR et réseaux : tables de référence "
        "(data/reference/SOURCES.md). Document source : CNCRES, cahier « Des réseaux "
        "territoriaux d'acteurs de l'ESS moteurs du développement local » (2011)."
    )


def query_choice(name: str, allowed: Sequence[str], default: str) -> str:
    """A query parameter's value if it is one of ``allowed``, else ``default``."""
    value = st.query_params.get(name, default)
    return value if value in allowed else default


def set_query_params(**values: str | None) -> None:
    """Write page state to the URL; empty values remove their parameter."""
    for name, value in values.items():
        if value:
            if st.query_params.get(name) != value:
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


class Networks(NamedTuple):
    """The workspace's networks, as the Carte needs them (shared: read-only)."""

    table: pd.DataFrame
    """Indexed by id: ``nom``, ``kind``, ``status``, ``perimetre_exact``…"""
    territories: pd.DataFrame
    """Declared perimeters: ``network_id``, ``level``, ``code``."""
    members: pd.DataFrame
    """Memberships: ``network_id``, ``actor_id``."""
    perimeters: object
    """:func:`ess_geo.perimeters.network_perimeters`, a GeoDataFrame."""


@st.cache_resource(show_spinner="Chargement des réseaux…", max_entries=2)
def _networks(path: str, revision: int) -> Networks:
    with contextlib.closing(store.connect(path)) as conn:
        table = store.read_networks(conn)
        territories = store.read_network_territories(conn)
        members = store.read_network_members(conn)
    drawn = perimeters.network_perimeters(table, territories)
    return Networks(table, territories, members, drawn)


def networks() -> Networks:
    """The workspace's networks, their perimeters and members (cached)."""
    return _networks(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner="Préparation des filtres…", max_entries=2)
def _carte_actors(path: str, revision: int) -> pd.DataFrame:
    return filters.prepare(_actors(path, revision), _networks(path, revision).members)


def carte_actors() -> pd.DataFrame:
    """Every actor with the columns the filters read (shared: never mutate it)."""
    return _carte_actors(_prepared(str(store.workspace_path())), workspace_revision())


CARTE_PAGE_CSS = """<style>
[data-testid="stColumn"] h2 {font-size: 1.4rem; line-height: 1.3;}
@media (max-width: 640px) {
  iframe[title="streamlit_folium.st_folium"] {height: 440px !important;}
}
</style>"""
"""Carte page CSS: side-panel headings sized for the column, and a shorter
map frame on phones (the map fills its frame, see ``ess_geo.cartemap.carte_base``)."""


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
