"""Streamlit helpers shared by the pages: workspace access, caches, common chrome.

This is the only module of ess_geo that imports streamlit. It holds the
cached loaders every page uses (so that big tables and map layers are built
once per process), the demo banner and footer, the error display, query
parameter helpers and the session-state keys.
"""

from __future__ import annotations

import contextlib
import sqlite3
import warnings
from collections.abc import Iterator, Sequence

import pandas as pd
import streamlit as st

from ess_geo import geography, maps, panorama, store, weight
from ess_geo.employment import read_employment
from ess_geo.errors import EssGeoError

__all__ = [
    "DEMO_BANNER",
    "KEY_EMPLOYMENT",
    "KEY_MAP_VIEW",
    "actors",
    "commune_totals",
    "demo_banner",
    "employment",
    "footer",
    "layer_features",
    "load_employment",
    "query_choice",
    "set_query_params",
    "show_error",
    "territory_panorama",
    "weight_table",
    "workspace",
    "workspace_revision",
]

DEMO_BANNER = "Données de démonstration — acteurs fictifs"

# Session-state keys (one place, so pages never spell them twice).
KEY_MAP_VIEW = "map_view"
KEY_EMPLOYMENT = "employment"  # (pd.Series, file name) of an uploaded INSEE table


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


@st.cache_resource(show_spinner=False, max_entries=2)
def _totals(path: str, revision: int) -> pd.DataFrame:
    return weight.by_commune(_actors(path, revision))


def commune_totals() -> pd.DataFrame:
    """ESS totals per commune of the workspace's actors (shared: never mutate)."""
    return _totals(_prepared(str(store.workspace_path())), workspace_revision())


def employment() -> tuple[pd.Series | None, str | None]:
    """The employment table loaded in this session, and its file name."""
    return st.session_state.get(KEY_EMPLOYMENT, (None, None))


@st.cache_data(show_spinner="Lecture du fichier d'emploi…", max_entries=4)
def _read_employment(content: bytes, name: str) -> tuple[pd.Series, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        table = read_employment(content, name=name)
    return table, [str(w.message) for w in caught]


def load_employment(content: bytes | None, name: str | None) -> None:
    """Read an uploaded INSEE employment file into the session, or forget it.

    A file that cannot be used shows its French error and leaves the
    session without an employment table; the page goes on.
    """
    if content is None or name is None:
        st.session_state.pop(KEY_EMPLOYMENT, None)
        return
    try:
        table, notes = _read_employment(content, name)
    except EssGeoError as exc:
        st.session_state.pop(KEY_EMPLOYMENT, None)
        st.error(str(exc), icon="⚠️")
        return
    for note in notes:
        st.warning(note, icon="ℹ️")
    st.session_state[KEY_EMPLOYMENT] = (table, name)


@st.cache_data(show_spinner="Calcul des indicateurs…", max_entries=24)
def _weight_table(
    path: str, revision: int, level: str, employment_table: pd.Series | None
) -> pd.DataFrame:
    return weight.indicators(
        _totals(path, revision), level, employment=employment_table
    )


def weight_table(level: str) -> pd.DataFrame:
    """ESS indicators of every territory of a level (with the session's employment)."""
    return _weight_table(
        _prepared(str(store.workspace_path())),
        workspace_revision(),
        level,
        employment()[0],
    )


@st.cache_data(show_spinner="Préparation du panorama…", max_entries=8, ttl=3600)
def _panorama(
    path: str,
    revision: int,
    level: str,
    code: str,
    employment_table: pd.Series | None,
    employment_source: str | None,
) -> panorama.Panorama:
    everyone = _actors(path, revision)
    return panorama.build(
        everyone,
        level,
        code,
        employment=employment_table,
        employment_source=employment_source,
        is_demo=bool(everyone["is_demo"].any()),
    )


def territory_panorama(level: str, code: str) -> panorama.Panorama:
    """The panorama of one territory from the workspace's actors (cached)."""
    table, source = employment()
    try:
        return _panorama(
            _prepared(str(store.workspace_path())),
            workspace_revision(),
            level,
            code,
            table,
            source,
        )
    except EssGeoError as exc:
        show_error(exc)
