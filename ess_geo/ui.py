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

import pandas as pd
import streamlit as st

from ess_geo import coverage, geography, maps, networks, store, weight
from ess_geo.errors import EssGeoError

__all__ = [
    "DEMO_BANNER",
    "KEY_MAP_VIEW",
    "actors",
    "commune_totals",
    "demo_banner",
    "escape_markdown",
    "ess_inputs",
    "footer",
    "layer_features",
    "network_tables",
    "number",
    "query_choice",
    "query_number",
    "safe_table",
    "set_query_params",
    "show_error",
    "workspace",
    "workspace_revision",
]

DEMO_BANNER = "Données de démonstration — acteurs fictifs"

# Session-state keys (one place, so pages never spell them twice).
KEY_MAP_VIEW = "map_view"


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


@st.cache_resource(show_spinner="Chargement des réseaux…", max_entries=2)
def _network_tables(
    path: str, revision: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with contextlib.closing(store.connect(path)) as conn:
        table, perimeters = networks.from_workspace(conn)
        members = store.read_network_members(conn)
    return table, perimeters, members


def network_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The workspace's networks, perimeters and memberships (shared: never mutate).

    Returns ``(networks, perimeters, members)`` as
    :func:`ess_geo.networks.from_workspace` and
    :func:`ess_geo.store.read_network_members` give them.
    """
    return _network_tables(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner="Calcul du poids de l'ESS…", max_entries=4)
def _commune_totals(path: str, revision: int) -> pd.DataFrame:
    return weight.by_commune(_actors(path, revision))


def commune_totals() -> pd.DataFrame:
    """ESS totals per commune (:func:`ess_geo.weight.by_commune`), shared."""
    return _commune_totals(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner="Calcul des indicateurs…", max_entries=8)
def _ess_inputs(path: str, revision: int, level: str) -> pd.DataFrame:
    return coverage.ess_inputs(_actors(path, revision), level)


def ess_inputs(level: str) -> pd.DataFrame:
    """:func:`ess_geo.coverage.ess_inputs` of the workspace's actors, shared."""
    return _ess_inputs(
        _prepared(str(store.workspace_path())), workspace_revision(), level
    )


def query_number(name: str, default: float, low: float, high: float) -> float:
    """A numeric query parameter within ``[low, high]``, else ``default``."""
    try:
        value = float(st.query_params.get(name, default))
    except ValueError:
        return default
    return value if low <= value <= high else default


def number(value: float, decimals: int = 0) -> str:
    """A number written the French way: ``12 345``, ``4,1``; ``—`` when missing."""
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


_MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$:"


def escape_markdown(text: str) -> str:
    """Text shown literally by ``st.markdown``: every Markdown sign escaped.

    Names come from files people upload; a ``[lien](…)`` or ``![image](…)``
    in them must not become a link or fetch an image.
    """
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


def safe_table(frame: pd.DataFrame) -> None:
    """``st.table`` with every text cell shown literally (st.table renders Markdown)."""
    st.table(frame.map(lambda v: escape_markdown(v) if isinstance(v, str) else v))
