"""Who to contact about the ESS in a commune.

"Les réseaux territoriaux d'acteurs sont là" (CNCRES, 2011): for a person's
commune this module finds the territorial networks whose perimeter covers
it; where none does, the nearest ones; and in every case the chambre
régionale de l'ESS (CRESS) of its région, from the reference table
``data/reference/cress.csv`` (sources and confidence in SOURCES.md).

Contacts are shown as known, never guessed: the reference networks mostly
have no e-mail or telephone, and some CRESS have no web site in the sources
read; the caller shows what is there and where it comes from.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ess_geo import paths
from ess_geo.analysis.directory import haversine_km
from ess_geo.errors import CressTableError
from ess_geo.geo import geography
from ess_geo.workspace import store
from ess_geo.workspace.networks import expand_perimeter

__all__ = [
    "CRESS_PATH",
    "CRESS_STATUSES",
    "ESS_FRANCE",
    "LocalContacts",
    "NetworkTables",
    "covering",
    "cress_for_region",
    "for_commune",
    "from_tables",
    "member_networks",
    "nearest",
    "network_tables",
    "read_cress",
]

CRESS_PATH = paths.REFERENCE_DIR / "cress.csv"

CRESS_STATUSES: dict[str, str] = {"active": "Active", "liquidee": "Liquidée"}

ESS_FRANCE: dict[str, str] = {
    "nom": "ESS France",
    "site_web": "https://www.ess-france.org",
    "role": "tête de réseau nationale des CRESS",
    "source": "https://ess-france.org/chiffre-de-la-semaine-d-aesio-mutuelle-et-d-ess-france-215",
}
"""The national body of the CRESS, shown where a région's CRESS cannot help."""

_CRESS_COLUMNS = [
    "region",
    "nom",
    "site_web",
    "email",
    "telephone",
    "statut",
    "confiance",
    "source",
    "note",
]


@dataclass(frozen=True)
class NetworkTables:
    """The workspace's territorial networks, ready for lookups by commune."""

    networks: pd.DataFrame
    """One row per network, indexed by id
    (:func:`ess_geo.workspace.store.read_networks`), with ``perimetre``: the
    declared perimeter in words."""
    perimeter: pd.DataFrame
    """``network_id`` and ``commune``: the communes each network covers."""
    members: pd.DataFrame
    """``network_id`` and ``actor_id``."""


_LEVEL_WORDS = {
    "commune": ("commune", "communes"),
    "epci": ("intercommunalité", "intercommunalités"),
    "pays": ("pays", "pays"),
    "pnr": ("parc naturel régional", "parcs naturels régionaux"),
    "departement": ("département", "départements"),
    "region": ("région", "régions"),
}


def _perimeter_words(territories: pd.DataFrame) -> pd.Series:
    """``"départements Nord, Pas-de-Calais"`` per network id."""
    words = {}
    for network_id, rows in territories.groupby("network_id"):
        parts = []
        for level, level_rows in rows.groupby("level"):
            names = geography.territories(level)["nom"]
            named = [str(names.get(code, code)) for code in level_rows["code"]]
            singular, plural = _LEVEL_WORDS[level]
            noun = singular if len(named) == 1 else plural
            shown = ", ".join(named[:5]) + (
                f" et {len(named) - 5} autres" if len(named) > 5 else ""
            )
            parts.append(f"{noun} {shown}")
        words[network_id] = " ; ".join(parts)
    return pd.Series(words, dtype=object)


def network_tables(conn: sqlite3.Connection) -> NetworkTables:
    """Read the networks, their perimeter and members from the workspace.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open workspace.

    Returns
    -------
    NetworkTables
    """
    return from_tables(
        store.read_networks(conn),
        store.read_network_territories(conn),
        store.read_network_members(conn),
    )


def from_tables(
    networks: pd.DataFrame, territories: pd.DataFrame, members: pd.DataFrame
) -> NetworkTables:
    """The lookup tables built from the stored ones (which are not modified).

    Parameters
    ----------
    networks, territories, members : pandas.DataFrame
        As :func:`ess_geo.workspace.store.read_networks`,
        :func:`~ess_geo.workspace.store.read_network_territories` and
        :func:`~ess_geo.workspace.store.read_network_members` return them.

    Returns
    -------
    NetworkTables
    """
    words = _perimeter_words(territories).reindex(networks.index)
    perimeter = expand_perimeter(territories, key="network_id")
    return NetworkTables(
        networks=networks.assign(perimetre=words),
        perimeter=perimeter.astype({"network_id": "int64"}),
        members=members,
    )


def member_networks(tables: NetworkTables) -> pd.Series:
    """The names of the networks each actor is a member of.

    Parameters
    ----------
    tables : NetworkTables

    Returns
    -------
    pandas.Series
        Indexed by actor id (only actors with at least one network): a
        tuple of network names, sorted.
    """
    names = tables.members["network_id"].map(tables.networks["nom"])
    return (
        pd.DataFrame({"actor_id": tables.members["actor_id"], "nom": names})
        .dropna()
        .sort_values(["actor_id", "nom"])
        .groupby("actor_id")["nom"]
        .agg(tuple)
    )


def covering(tables: NetworkTables, commune: str) -> pd.DataFrame:
    """The networks whose perimeter covers a commune.

    Parameters
    ----------
    tables : NetworkTables
    commune : str
        INSEE commune code.

    Returns
    -------
    pandas.DataFrame
        Rows of ``tables.networks`` (same columns), active networks first,
        then by name. Where ``perimetre_exact`` is False the perimeter was
        declared at a wider level than the network really covers.
    """
    ids = tables.perimeter.loc[tables.perimeter["commune"] == commune, "network_id"]
    found = tables.networks.loc[tables.networks.index.isin(ids)]
    return (
        found.assign(_active=found["status"] != "actif")
        .sort_values(["_active", "nom"], kind="mergesort")
        .drop(columns="_active")
    )


def nearest(
    tables: NetworkTables, lon: float, lat: float, *, limit: int = 1
) -> pd.DataFrame:
    """The networks nearest to a point, by distance to their closest commune.

    Parameters
    ----------
    tables : NetworkTables
    lon, lat : float
        The point, in degrees.
    limit : int, default 1
        How many networks to return.

    Returns
    -------
    pandas.DataFrame
        Rows of ``tables.networks`` with ``distance_km`` (from the point to
        the nearest commune point of the network's perimeter) and
        ``commune_proche`` (that commune's name), nearest first. Empty when
        the workspace has no network with a located commune.
    """
    communes = geography.communes()
    rows = tables.perimeter.join(communes[["nom", "lon", "lat"]], on="commune")
    rows = rows.dropna(subset=["lon", "lat"])
    if rows.empty:
        return tables.networks.iloc[0:0].assign(distance_km=[], commune_proche=[])
    rows = rows.assign(
        distance_km=haversine_km(
            lon, lat, rows["lon"].to_numpy(), rows["lat"].to_numpy()
        )
    )
    closest = rows.sort_values(["distance_km", "commune"]).drop_duplicates("network_id")
    closest = closest.set_index("network_id").head(limit)
    return tables.networks.loc[closest.index].assign(
        distance_km=closest["distance_km"].to_numpy(),
        commune_proche=closest["nom"].to_numpy(),
    )


def read_cress(path: Path | str = CRESS_PATH) -> pd.DataFrame:
    """Read and check a CRESS table.

    Parameters
    ----------
    path : path-like, default :data:`CRESS_PATH`
        CSV with columns ``region, nom, site_web, email, telephone, statut,
        confiance, source, note``.

    Returns
    -------
    pandas.DataFrame
        Indexed by région code; empty strings as missing values.

    Raises
    ------
    CressTableError
        If a column is missing, a région code is unknown or repeated, a
        status or confidence is unknown, a web site is not an http(s) URL,
        or a row has no source.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != _CRESS_COLUMNS:
        raise CressTableError(
            f"Table des CRESS {path} : colonnes {list(table.columns)}, "
            f"attendu {_CRESS_COLUMNS}."
        )
    regions = geography.territories("region").index
    problems = []
    for line, row in enumerate(table.itertuples(index=False), start=2):
        if row.region not in regions:
            problems.append(f"ligne {line} : région « {row.region} » inconnue")
        if row.statut not in CRESS_STATUSES:
            problems.append(
                f"ligne {line} : statut « {row.statut} » inconnu "
                f"(attendu : {', '.join(CRESS_STATUSES)})"
            )
        if row.confiance not in ("haute", "moyenne", "basse"):
            problems.append(f"ligne {line} : confiance « {row.confiance} » inconnue")
        if row.site_web and not row.site_web.startswith(("http://", "https://")):
            problems.append(f"ligne {line} : site « {row.site_web} » sans http(s)://")
        if not row.source.strip():
            problems.append(f"ligne {line} : aucune source")
    problems += [
        f"région {code} en double"
        for code in table["region"][table["region"].duplicated()]
    ]
    if problems:
        raise CressTableError(
            f"Table des CRESS {path} refusée :\n- " + "\n- ".join(problems)
        )
    return table.replace("", np.nan).set_index("region")


@functools.cache
def _cress() -> pd.DataFrame:
    return read_cress()


def cress_for_region(region: str) -> pd.Series | None:
    """The CRESS of a région.

    Parameters
    ----------
    region : str
        INSEE région code.

    Returns
    -------
    pandas.Series or None
        ``nom, site_web, email, telephone, statut, confiance, source, note``
        (missing where no source gives them); None when the table has no
        CRESS for the région.

    Examples
    --------
    >>> cress_for_region("53")["site_web"]
    'https://www.ess-bretagne.org'
    """
    table = _cress()
    return table.loc[region] if region in table.index else None


@dataclass(frozen=True)
class LocalContacts:
    """Whom a person in a commune can contact about the ESS."""

    commune_name: str
    covering: pd.DataFrame
    """Networks whose perimeter covers the commune (possibly none)."""
    nearest: pd.DataFrame
    """Where none covers it, the nearest network (else empty)."""
    region_name: str
    cress: pd.Series | None
    """The région's CRESS, None if the table has none."""

    @property
    def national_fallback(self) -> bool:
        """Whether to point to ESS France: no CRESS, a closed one, or no site."""
        return (
            self.cress is None
            or self.cress["statut"] != "active"
            or pd.isna(self.cress["site_web"])
        )


def for_commune(
    tables: NetworkTables, commune: str, *, lon: float, lat: float
) -> LocalContacts:
    """The networks and the CRESS to contact from a commune.

    Parameters
    ----------
    tables : NetworkTables
    commune : str
        INSEE code of the commune.
    lon, lat : float
        Where the person is (the commune's point or their own position), to
        find the nearest network when none covers the commune.

    Returns
    -------
    LocalContacts

    Raises
    ------
    KeyError
        If the commune is not a current commune (check it first with
        :func:`ess_geo.analysis.directory.commune_place`).
    """
    communes = geography.communes()
    region = communes.at[commune, "region"]
    found = covering(tables, commune)
    return LocalContacts(
        commune_name=communes.at[commune, "nom"],
        covering=found,
        nearest=nearest(tables, lon, lat) if found.empty else found.iloc[0:0],
        region_name=geography.territories("region").at[region, "nom"],
        cress=cress_for_region(region),
    )
