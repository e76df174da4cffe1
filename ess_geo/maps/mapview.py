"""What the Carte shows for a given state: territories, scale, actors, figures.

The Carte page's state is a choropleth level (the *maille*), an indicator,
a classification method, optional filters on actors and an optional selected
territory. :func:`build_scene` turns it into a :class:`Scene`: the values and
classes of the maille, the territories in view, and the actors either as
individual markers (a bounded number of them) or aggregated as proportional
circles. Everything here is plain data; :mod:`ess_geo.maps` draws it.

Scale rule (DESIGN.md, data principle 4): individual markers when the view
(the selected territory, or France) holds at most :data:`MARKER_LIMIT`
actors; otherwise one proportional circle per territory: per département
for France, per EPCI inside a selected département or région (per commune
when it holds fewer than three EPCI), per commune inside a smaller
selection. Circles follow this administrative ladder
whatever the maille of the choropleth, so that they stay few enough to
read.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ess_geo.analysis import weight
from ess_geo.analysis.classify import MAP_INDICATORS, Classification, classify
from ess_geo.analysis.indicators import Indicator
from ess_geo.errors import UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.text import fold

__all__ = [
    "DEFAULT_INDICATOR",
    "DEFAULT_MAILLE",
    "MAILLES",
    "MARKER_LIMIT",
    "LayerIndex",
    "Scene",
    "Territory",
    "breadcrumb",
    "build_scene",
    "children",
    "geometry_json",
    "key_figures",
    "layer_index",
    "level_name",
    "parse_ref",
    "territory",
    "vicinity",
]

MAILLES: dict[str, str] = {
    "epci": "EPCI",
    "pays": "Pays / PETR",
    "pnr": "Parcs naturels régionaux",
    "departement": "Départements",
    "region": "Régions",
}
"""Levels a choropleth can be drawn at (URL value -> label)."""

DEFAULT_MAILLE = "epci"
DEFAULT_INDICATOR = "structures_10k_hab"
MARKER_LIMIT = 5_000
"""Most actors drawn one by one; above it they are aggregated."""

# Map shapes (width / height) a selection may be fitted in: a wide desktop
# window and a phone held upright.
_WIDE_ASPECT = 2.2
_NARROW_ASPECT = 0.8
_VIEW_MARGIN = 0.25


@dataclass(frozen=True)
class Territory:
    """A territory: its level, code and name."""

    level: str
    code: str
    nom: str

    @property
    def ref(self) -> str:
        """``"level:code"``: how the map names it in a click."""
        return f"{self.level}:{self.code}"

    @property
    def label(self) -> str:
        """Its name with its kind, for headings (``"Finistère (département)"``)."""
        return f"{self.nom} ({level_name(self.level)})"


_LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "commune": ("commune", "communes"),
    "epci": ("EPCI", "EPCI"),
    "pays": ("pays / PETR", "pays / PETR"),
    "pnr": ("parc naturel régional", "parcs naturels régionaux"),
    "departement": ("département", "départements"),
    "region": ("région", "régions"),
}


def level_name(level: str, *, plural: bool = False) -> str:
    """A level's name inside a French sentence (``"EPCI"``, ``"départements"``).

    Examples
    --------
    >>> level_name("pnr", plural=True)
    'parcs naturels régionaux'
    """
    return _LEVEL_NAMES[level][1 if plural else 0]


def territory(level: str, code: str) -> Territory:
    """The territory of a level with a given code.

    Parameters
    ----------
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS`.
    code : str

    Returns
    -------
    Territory

    Raises
    ------
    UnknownLevelError
        If the level is unknown.
    UnknownTerritoryError
        If no territory of that level has this code.

    Examples
    --------
    >>> territory("departement", "29").nom
    'Finistère'
    """
    table = geography.territories(level)
    if code not in table.index:
        raise UnknownTerritoryError(level, code)
    return Territory(level, code, str(table.at[code, "nom"]))


def parse_ref(ref: str) -> tuple[str, str]:
    """Split a map reference ``"kind:id"`` into its two parts.

    Parameters
    ----------
    ref : str
        ``"epci:242900314"``, ``"acteur:17"``, ``"reseau:3"``…

    Returns
    -------
    (str, str)

    Raises
    ------
    ValueError
        If there is no ``:`` or either part is empty.
    """
    kind, _, ident = str(ref).partition(":")
    if not kind or not ident:
        raise ValueError(f'`ref` was "{ref}" but is expected to look like "epci:…"')
    return kind, ident


@dataclass(frozen=True)
class LayerIndex:
    """A level's display geometry, ready to be cut to a view and drawn.

    Parameters
    ----------
    level : str
    codes : pandas.Index
        Territory codes, in the order of ``geometries``.
    geometries : tuple of str
        Compact GeoJSON geometries, coordinates rounded to 4 decimals (about
        10 m, well under the display simplification).
    bounds : numpy.ndarray
        ``(n, 4)`` longitude/latitude boxes.
    points : numpy.ndarray
        ``(n, 2)`` latitude, longitude of a point inside each territory.
    """

    level: str
    codes: pd.Index
    geometries: tuple[str, ...]
    bounds: np.ndarray
    points: np.ndarray

    def within(self, box: tuple[float, float, float, float] | None) -> np.ndarray:
        """Positions of the territories whose box meets ``box`` (all if None)."""
        if box is None:
            return np.arange(len(self.codes))
        minx, miny, maxx, maxy = box
        b = self.bounds
        hit = (b[:, 2] >= minx) & (b[:, 0] <= maxx) & (b[:, 3] >= miny)
        return np.flatnonzero(hit & (b[:, 1] <= maxy))


def geometry_json(geometries: np.ndarray) -> tuple[str, ...]:
    """Compact GeoJSON of shapes, coordinates rounded to 4 decimals.

    Parameters
    ----------
    geometries : numpy.ndarray
        Shapely geometries (longitude, latitude).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> geometry_json(np.array([shapely.Point(-4.486123, 48.390131)]))
    ('{"type":"Point","coordinates":[-4.4861,48.3901]}',)
    """
    rounded = shapely.transform(geometries, lambda xy: np.round(xy, 4))
    return tuple(shapely.to_geojson(rounded).tolist())


@functools.cache
def layer_index(level: str) -> LayerIndex:
    """The :class:`LayerIndex` of a level (built once per process; read-only).

    Territories without geometry (PNR whose communes are unknown) are left
    out.
    """
    layer = geography.load_layer(level)
    layer = layer[layer.geometry.notna() & ~layer.geometry.is_empty]
    inner = layer.geometry.representative_point()
    return LayerIndex(
        level=level,
        codes=pd.Index(layer["code"].astype(str)),
        geometries=geometry_json(layer.geometry.to_numpy()),
        bounds=layer.geometry.bounds.to_numpy(),
        points=np.column_stack([inner.y.to_numpy(), inner.x.to_numpy()]),
    )


def bounds_of(selected: Territory) -> tuple[float, float, float, float] | None:
    """Longitude/latitude box of a territory (None when its geometry is unknown)."""
    index = layer_index(selected.level)
    found = index.codes.get_indexer([selected.code])[0]
    if found < 0:
        return None
    return tuple(float(v) for v in index.bounds[found])


def vicinity(
    bounds: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    """The box of what a map fitted to ``bounds`` may show around them.

    The map can be wider than the territory (a desktop screen) or taller (a
    phone), so the box widens to the map's possible shapes, plus a margin.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)

    Returns
    -------
    (minx, miny, maxx, maxy)

    Examples
    --------
    >>> [round(v, 2) for v in vicinity((-5.0, 48.0, -4.0, 48.5))]
    [-5.74, 47.63, -3.26, 48.87]
    """
    minx, miny, maxx, maxy = bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    # On a Web Mercator screen, a degree of latitude is 1 / cos(lat) times
    # as long as a degree of longitude.
    shrink = math.cos(math.radians(cy))
    width = max(maxx - minx, _WIDE_ASPECT * (maxy - miny) / shrink, 0.05)
    height = max(maxy - miny, (maxx - minx) * shrink / _NARROW_ASPECT, 0.05)
    half_w = width * (1 + 2 * _VIEW_MARGIN) / 2
    half_h = height * (1 + 2 * _VIEW_MARGIN) / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


@dataclass(frozen=True)
class Scene:
    """Everything the Carte draws for one state.

    Parameters
    ----------
    maille : str
        Level of the choropleth (a key of :data:`MAILLES`).
    indicator : Indicator
    classification : Classification
    table : pandas.DataFrame
        :func:`ess_geo.analysis.weight.indicators` at the maille (every territory),
        plus ``classe`` (-1: no data) and ``couleur``.
    positions : numpy.ndarray
        Positions in :func:`layer_index` of the maille of the territories
        in view.
    box : tuple or None
        Box of the view (``None``: all of France).
    selection : Territory or None
    fit : tuple or None
        Box to fit the map to (the selection's), ``None`` for France.
    markers : pandas.DataFrame or None
        Actors to draw one by one.
    circles : pandas.DataFrame or None
        ``code, nom, lat, lon, structures, niveau``: one circle per territory.
    shown : pandas.DataFrame
        The actors in view (in the selection, or all), filters applied.
    totals : pandas.DataFrame
        :func:`ess_geo.analysis.weight.by_commune` of the filtered actors.
    listing : pandas.DataFrame
        :func:`ess_geo.analysis.weight.indicators` rows of the territories the view
        is about: the maille's for France; inside a selection, the maille's
        territories that overlap it when the maille is finer, else its
        communes.
    listing_level : str
        Level of ``listing``.
    """

    maille: str
    indicator: Indicator
    classification: Classification
    table: pd.DataFrame
    positions: np.ndarray
    box: tuple[float, float, float, float] | None
    selection: Territory | None
    fit: tuple[float, float, float, float] | None
    markers: pd.DataFrame | None
    circles: pd.DataFrame | None
    shown: pd.DataFrame
    totals: pd.DataFrame
    listing: pd.DataFrame
    listing_level: str

    @property
    def mode(self) -> str:
        """``"marqueurs"`` or ``"cercles"``."""
        return "marqueurs" if self.markers is not None else "cercles"

    def leaders(self, count: int = 5) -> pd.DataFrame:
        """The maille's territories with the highest value of the indicator.

        Returns
        -------
        pandas.DataFrame
            ``count`` rows of :attr:`table`, highest first; territories
            without a value are left out.
        """
        column = self.indicator.key
        return self.table.dropna(subset=[column]).nlargest(count, column)


_LEVEL_RANK = {"commune": 0, "epci": 1, "pays": 2, "pnr": 2, "departement": 3}
_LEVEL_RANK["region"] = 4


def _listing(
    totals: pd.DataFrame, table: pd.DataFrame, maille: str, selection: Territory | None
) -> tuple[str, pd.DataFrame]:
    if selection is None:
        return maille, table
    if _LEVEL_RANK[maille] < _LEVEL_RANK[selection.level]:
        inside = geography.overlapping(selection.level, selection.code, maille)
        return maille, table[table["code"].isin(inside)].reset_index(drop=True)
    communes = weight.indicators(totals, "commune")
    inside = geography.communes_of(selection.level, selection.code)
    return "commune", communes[communes["code"].isin(inside)].reset_index(drop=True)


def _circle_level(selection: Territory | None) -> str:
    if selection is None:
        return "departement"
    if selection.level in ("region", "departement"):
        epcis = geography.overlapping(selection.level, selection.code, "epci")
        if len(epcis) >= 3:  # Paris, say, is one EPCI: count by commune instead
            return "epci"
    return "commune"


def _circles(
    totals: pd.DataFrame,
    table: pd.DataFrame,
    level: str,
    maille: str,
    selection: Territory | None,
) -> pd.DataFrame:
    """One row per territory with actors: where to draw its circle, and its count."""
    if level == maille:
        counts = table.set_index("code")["structures"]
    elif level == "commune":
        counts = totals["structures"]
    else:
        links = geography.territory_communes(level)
        joined = links.join(totals["structures"], on="commune", how="inner")
        counts = joined.groupby("code")["structures"].sum()
    if selection is not None:
        inside = geography.overlapping(selection.level, selection.code, level)
        counts = counts[counts.index.isin(inside)]
    counts = counts[counts > 0]
    if level == "commune":
        places = geography.communes().reindex(counts.index)
        frame = pd.DataFrame(
            {
                "code": counts.index,
                "nom": places["nom"].to_numpy(),
                "lat": places["lat"].to_numpy(),
                "lon": places["lon"].to_numpy(),
            }
        )
    else:
        index = layer_index(level)
        position = index.codes.get_indexer(counts.index)
        counts = counts[position >= 0]
        position = position[position >= 0]
        frame = pd.DataFrame(
            {
                "code": counts.index,
                "nom": geography.territories(level)["nom"].reindex(counts.index),
                "lat": index.points[position, 0],
                "lon": index.points[position, 1],
            }
        )
    frame["structures"] = counts.to_numpy().astype("int64")
    frame["niveau"] = level
    return frame.dropna(subset=["lat", "lon"]).reset_index(drop=True)


def build_scene(
    actors: pd.DataFrame,
    *,
    maille: str = DEFAULT_MAILLE,
    indicator: str = DEFAULT_INDICATOR,
    method: str = "quantiles",
    selection: Territory | None = None,
    marker_limit: int = MARKER_LIMIT,
    totals: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
) -> Scene:
    """What the Carte shows for a state.

    Parameters
    ----------
    actors : pandas.DataFrame
        The actors to show (filters already applied), with ``code_commune``,
        ``famille``, ``effectif``, ``tranche_effectif``, ``latitude``,
        ``longitude``.
    maille : str, default "epci"
        A key of :data:`MAILLES`.
    indicator : str, default "structures_10k_hab"
        A key of :data:`ess_geo.analysis.classify.MAP_INDICATORS`.
    method : str, default "quantiles"
        A key of :data:`ess_geo.analysis.classify.METHODS`.
    selection : Territory, optional
        The selected territory; the view is its surroundings.
    marker_limit : int, default :data:`MARKER_LIMIT`
        Most actors drawn one by one.
    totals : pandas.DataFrame, optional
        :func:`ess_geo.analysis.weight.by_commune` of ``actors``, when the
        caller has it already (a selection changes, the filters do not).
    table : pandas.DataFrame, optional
        :func:`ess_geo.analysis.weight.indicators` of ``totals`` at
        ``maille``, likewise (not modified: the scene's table is a copy).

    Returns
    -------
    Scene

    Raises
    ------
    ValueError
        If ``maille``, ``indicator`` or ``method`` is unknown.
    """
    if maille not in MAILLES:
        raise ValueError(
            f'`maille` was "{maille}" but is expected to be one of {list(MAILLES)}'
        )
    if indicator not in MAP_INDICATORS:
        raise ValueError(
            f'`indicator` was "{indicator}" but is expected to be one of '
            f"{list(MAP_INDICATORS)}"
        )
    if totals is None:
        totals = weight.by_commune(actors)
    table = weight.indicators(totals, maille) if table is None else table.copy()
    classes = classify(table[indicator], method)
    table["classe"] = classes.classes_of(table[indicator])
    table["couleur"] = classes.colours_of(table[indicator])

    fit = bounds_of(selection) if selection is not None else None
    box = vicinity(fit) if fit is not None else None
    positions = layer_index(maille).within(box)

    if selection is None:
        shown = actors
    else:
        inside = geography.communes_of(selection.level, selection.code)
        shown = actors[actors["code_commune"].isin(inside)]
    markers = circles = None
    if len(shown) <= marker_limit:
        markers = shown
    else:
        level = _circle_level(selection)
        circles = _circles(totals, table, level, maille, selection)
    listing_level, listing = _listing(totals, table, maille, selection)
    return Scene(
        maille=maille,
        indicator=MAP_INDICATORS[indicator],
        classification=classes,
        table=table,
        positions=positions,
        box=box,
        selection=selection,
        fit=fit,
        markers=markers,
        circles=circles,
        shown=shown,
        totals=totals,
        listing=listing,
        listing_level=listing_level,
    )


def breadcrumb(selected: Territory) -> list[Territory]:
    """The territories that contain a territory, widest first, itself last.

    Communes go région › département › EPCI › commune; EPCI, pays and PNR
    go région › département (where most of their people live) › itself.

    Examples
    --------
    >>> [t.nom for t in breadcrumb(territory("commune", "29019"))]
    ['Bretagne', 'Finistère', 'Brest Métropole', 'Brest']
    """
    chain: list[Territory] = []
    if selected.level == "commune":
        row = geography.communes().loc[selected.code]
        for level in ("region", "departement", "epci"):
            if pd.notna(row[level]):
                chain.append(territory(level, str(row[level])))
    elif selected.level == "departement":
        region = geography.territories("departement").at[selected.code, "region"]
        chain.append(territory("region", str(region)))
    elif selected.level in ("epci", "pays", "pnr"):
        for level in ("region", "departement"):
            parent = geography.parents(selected.level, level).get(selected.code)
            if parent is not None:
                chain.append(territory(level, str(parent)))
    return [*chain, selected]


def children(selected: Territory) -> tuple[str | None, pd.DataFrame]:
    """The territories one step down from a territory, to drill into.

    Parameters
    ----------
    selected : Territory

    Returns
    -------
    level : str or None
        ``"departement"`` under a région, ``"epci"`` under a département,
        ``"commune"`` under an EPCI, a pays or a PNR; None under a commune.
    table : pandas.DataFrame
        ``code``, ``nom``, sorted by name.
    """
    level = {
        "region": "departement",
        "departement": "epci",
        "epci": "commune",
        "pays": "commune",
        "pnr": "commune",
    }.get(selected.level)
    if level is None:
        return None, pd.DataFrame(columns=["code", "nom"])
    codes = geography.overlapping(selected.level, selected.code, level)
    names = geography.territories(level)["nom"].reindex(codes)
    table = pd.DataFrame({"code": codes.astype(str), "nom": names.to_numpy()})
    return level, table.sort_values("nom", key=lambda s: s.map(fold)).reset_index(
        drop=True
    )


def key_figures(
    totals: pd.DataFrame,
    selected: Territory,
    indicator: str = DEFAULT_INDICATOR,
    *,
    table: pd.DataFrame | None = None,
) -> dict[str, object]:
    """Key figures of a territory, and its rank among its level.

    Parameters
    ----------
    totals : pandas.DataFrame
        :func:`ess_geo.analysis.weight.by_commune` of the actors counted.
    selected : Territory
    indicator : str
        The indicator to rank on (a key of
        :data:`ess_geo.analysis.classify.MAP_INDICATORS`).
    table : pandas.DataFrame, optional
        :func:`ess_geo.analysis.weight.indicators` of ``totals`` at the
        territory's level, when the caller has it already.

    Returns
    -------
    dict
        The territory's row of :func:`ess_geo.analysis.weight.indicators` (``code``,
        ``nom``, ``population``, ``structures``…), plus ``rang`` (1 = the
        highest value of ``indicator``; None when it has no value or no
        population), ``sur`` (territories of the level ranked: with a value
        and a known population, the same for every indicator, see
        :data:`ess_geo.analysis.weight.RANKED_NOTE`) and ``ex_aequo`` (other
        territories with the same value).
    """
    if table is None:
        table = weight.indicators(totals, selected.level)
    row = table.loc[table["code"] == selected.code].iloc[0].to_dict()
    values = table[indicator].where(table["population"] > 0)
    ranks = values.rank(ascending=False, method="min")
    rank = ranks[table["code"] == selected.code].iloc[0]
    row["rang"] = None if pd.isna(rank) else int(rank)
    row["sur"] = int(values.notna().sum())
    mine = row[indicator]
    row["ex_aequo"] = 0 if pd.isna(mine) else int((values == mine).sum()) - 1
    return row
