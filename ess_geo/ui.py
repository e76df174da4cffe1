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

from ess_geo import geography, maps, store
from ess_geo.errors import EssGeoError

__all__ = [
    "DEMO_BANNER",
    "KEY_MAP_VIEW",
    "actors",
    "demo_banner",
    "footer",
    "layer_features",
    "query_choice",
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
