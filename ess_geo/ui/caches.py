"""The workspace and its tables, read once per revision and shared by the pages.

A page asks for a table (``actors()``, ``network_tables()``…) and gets the
object every other session shares: never mutate it. Each cached builder is
keyed on the workspace's path and :func:`ess_geo.workspace.store.revision`
(:func:`_workspace_key`), which changes with every write and never repeats,
restores included; tables that do not depend on the workspace (map layers)
are built once per process.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from typing import NamedTuple

import pandas as pd
import streamlit as st

from ess_geo.analysis import contacts, coverage, directory, filters, weight
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.maps import perimeters
from ess_geo.report import panorama
from ess_geo.ui.employment import session_employment
from ess_geo.ui.messages import show_error
from ess_geo.workspace import networks, seeding, store

__all__ = [
    "CarteNetworks",
    "actor_index",
    "actors",
    "carte_actors",
    "carte_networks",
    "commune_totals",
    "ess_inputs",
    "network_contacts",
    "network_tables",
    "territory_panorama",
    "weight_table",
    "workspace",
    "workspace_revision",
]


_READY: set[str] = set()
"""Workspaces this process has created, migrated and seeded."""

_PREPARING = threading.Lock()


def _prepare(path: str) -> None:
    """Create, migrate and seed the workspace once per process.

    The first time, building the demo takes several seconds: toasts say so,
    step by step (toasts, not page elements, so that the page's elements
    keep their place, and their state, on the next run). Sessions arriving
    meanwhile wait for it, and say so.
    """

    def progress(message: str) -> None:
        # The step first: a long toast is cut after three lines, and the
        # steps' toasts show one above the other.
        st.toast(
            f"{message} Première ouverture : l'espace de démonstration se crée, "
            "une quinzaine de secondes au plus.",
            icon=":material/hourglass_top:",
            duration=_TOAST_SECONDS,
        )

    if not _PREPARING.acquire(blocking=False):
        progress("En attente : une autre visite a lancé sa création…")
        _PREPARING.acquire()
    try:
        if path not in _READY:
            seeding.open_workspace(path, progress=progress).close()
            _READY.add(path)
    finally:
        _PREPARING.release()


_TOAST_SECONDS = 20
"""How long each first-start message stays (a step takes a few seconds)."""


def _connect() -> tuple[str, sqlite3.Connection]:
    """The prepared workspace's path and a new connection to it.

    A workspace that cannot be opened shows its French error and stops the
    page.
    """
    try:
        path = str(store.workspace_path())
        if path not in _READY:
            _prepare(path)
        return path, store.connect(path)
    except EssGeoError as exc:
        show_error(exc)


@contextlib.contextmanager
def workspace() -> Iterator[sqlite3.Connection]:
    """A connection to the workspace for the length of a ``with`` block."""
    _, conn = _connect()
    try:
        yield conn
    finally:
        conn.close()


def _workspace_key() -> tuple[str, store.Revision]:
    """The workspace's path and current revision: every cached table's key."""
    path, conn = _connect()
    with contextlib.closing(conn):
        return path, store.revision(conn)


def workspace_revision() -> store.Revision:
    """The workspace's current revision (changes with every write, restores too)."""
    return _workspace_key()[1]


@st.cache_resource(show_spinner="Chargement des acteurs…", max_entries=2)
def _actors(path: str, revision: store.Revision) -> pd.DataFrame:
    with contextlib.closing(store.connect(path)) as conn:
        table = store.read_actors(conn)
    names = geography.communes()["nom"]
    table["nom_commune"] = table["code_commune"].map(names).fillna(table["commune"])
    return table


def actors() -> pd.DataFrame:
    """Every actor of the workspace (shared object: never mutate it).

    Adds ``nom_commune``: the official name of the actor's commune.
    """
    return _actors(*_workspace_key())


@st.cache_resource(show_spinner="Chargement des réseaux…", max_entries=2)
def _network_rows(
    path: str, revision: store.Revision
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The stored networks, perimeters and members, read once per revision."""
    with contextlib.closing(store.connect(path)) as conn:
        return (
            store.read_networks(conn),
            store.read_network_territories(conn),
            store.read_network_members(conn),
        )


@st.cache_resource(show_spinner=False, max_entries=2)
def _network_tables(
    path: str, revision: store.Revision
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    stored, territories, members = _network_rows(path, revision)
    table, drawn = networks.with_names(stored, territories)
    return table, drawn, members


def network_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The workspace's networks, perimeters and memberships (shared: never mutate).

    Returns ``(networks, perimeters, members)`` as
    :func:`ess_geo.workspace.networks.from_workspace` and
    :func:`ess_geo.workspace.store.read_network_members` give them.
    """
    return _network_tables(*_workspace_key())


@st.cache_resource(show_spinner="Calcul du poids de l'ESS…", max_entries=4)
def _commune_totals(path: str, revision: store.Revision) -> pd.DataFrame:
    return weight.by_commune(_actors(path, revision))


def commune_totals() -> pd.DataFrame:
    """ESS totals per commune (:func:`ess_geo.analysis.weight.by_commune`), shared."""
    return _commune_totals(*_workspace_key())


@st.cache_resource(show_spinner="Calcul des indicateurs…", max_entries=8)
def _ess_inputs(path: str, revision: store.Revision, level: str) -> pd.DataFrame:
    return coverage.ess_inputs(_actors(path, revision), level)


def ess_inputs(level: str) -> pd.DataFrame:
    """The workspace's actors as :func:`ess_geo.analysis.coverage.ess_inputs`."""
    return _ess_inputs(*_workspace_key(), level)


@st.cache_resource(show_spinner="Préparation de l'annuaire…", max_entries=2)
def _actor_index(path: str, revision: store.Revision) -> directory.ActorIndex:
    return directory.ActorIndex.build(_actors(path, revision))


def actor_index() -> directory.ActorIndex:
    """Every actor, indexed for searches around a place (shared: never mutate)."""
    return _actor_index(*_workspace_key())


@st.cache_resource(show_spinner=False, max_entries=2)
def _network_contacts(path: str, revision: store.Revision) -> contacts.NetworkTables:
    return contacts.from_tables(*_network_rows(path, revision))


def network_contacts() -> contacts.NetworkTables:
    """Networks ready for lookups by commune (:mod:`ess_geo.analysis.contacts`)."""
    return _network_contacts(*_workspace_key())


@st.cache_resource(show_spinner="Calcul des indicateurs…", max_entries=24)
def _weight_table(
    path: str,
    revision: store.Revision,
    level: str,
    employment_table: pd.Series | None,
) -> pd.DataFrame:
    return weight.indicators(
        _commune_totals(path, revision), level, employment=employment_table
    )


def weight_table(level: str) -> pd.DataFrame:
    """ESS indicators of every territory of a level (with the session's employment).

    Shared between sessions (no copy per run, up to 35,000 communes): never
    mutate it.
    """
    return _weight_table(*_workspace_key(), level, session_employment()[0])


@st.cache_data(show_spinner="Préparation du panorama…", max_entries=8, ttl=3600)
def _panorama(
    path: str,
    revision: store.Revision,
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
    """The panorama of one territory from the workspace's actors (cached).

    A territory that cannot be described shows its French error and stops
    the page.
    """
    table, source = session_employment()
    try:
        return _panorama(*_workspace_key(), level, code, table, source)
    except EssGeoError as exc:
        show_error(exc)


class CarteNetworks(NamedTuple):
    """The workspace's networks, as the Carte needs them (shared: read-only)."""

    table: pd.DataFrame
    """Indexed by id: ``nom``, ``kind``, ``status``, ``perimetre_exact``…"""
    territories: pd.DataFrame
    """Declared perimeters: ``network_id``, ``level``, ``code``."""
    members: pd.DataFrame
    """Memberships: ``network_id``, ``actor_id``."""
    perimeters: object
    """:func:`ess_geo.maps.perimeters.network_perimeters`, a GeoDataFrame."""


@st.cache_resource(show_spinner="Chargement des réseaux…", max_entries=2)
def _carte_networks(path: str, revision: store.Revision) -> CarteNetworks:
    table, territories, members = _network_rows(path, revision)
    drawn = perimeters.network_perimeters(table, territories)
    return CarteNetworks(table, territories, members, drawn)


def carte_networks() -> CarteNetworks:
    """The workspace's networks, their drawn perimeters and members (cached)."""
    return _carte_networks(*_workspace_key())


@st.cache_resource(show_spinner="Préparation des filtres…", max_entries=2)
def _carte_actors(path: str, revision: store.Revision) -> pd.DataFrame:
    return filters.prepare(
        _actors(path, revision), _carte_networks(path, revision).members
    )


def carte_actors() -> pd.DataFrame:
    """Every actor with the columns the filters read (shared: never mutate it)."""
    return _carte_actors(*_workspace_key())
