"""The public directory: ESS actors near a place, by need, page by page.

A person names a commune (by name, accent- and case-insensitively, or by
postal code) or lets the browser locate them; the directory lists the ESS
actors within a radius, nearest first, optionally only those that answer a
need (:mod:`ess_geo.actors.needs`).

Distances are great-circle distances on a sphere of the Earth's mean radius
(haversine formula), computed with numpy over every actor at once. A place
is a commune's point (its town hall when known, see
:func:`ess_geo.geo.geography.communes`) or the person's own position.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ess_geo.actors import normalise_naf
from ess_geo.actors.needs import naf_codes
from ess_geo.errors import PlaceError, UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.text import fold

__all__ = [
    "EARTH_RADIUS_KM",
    "PAGE_SIZE",
    "RADII_KM",
    "ActorIndex",
    "Page",
    "Place",
    "bounding_box",
    "commune_at",
    "commune_place",
    "haversine_km",
    "paginate",
    "search_communes",
    "suggestions",
    "wider_radius",
]

EARTH_RADIUS_KM = 6371.0088
"""Mean radius of the Earth (IUGG), in kilometres."""

RADII_KM: tuple[int, ...] = (5, 10, 20, 50)
"""The search radii offered to people, in kilometres."""

PAGE_SIZE = 20
"""Actors listed per page."""

SEA_TOLERANCE_KM = 10.0
"""How far from every commune a located position may be (a beach, a boat in
a harbour) and still be attached to the nearest commune."""

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_DEPARTEMENT_TOKEN = re.compile(r"^(\d{2}|2[ab]|97\d)$")


def haversine_km(
    lon1: np.ndarray | float,
    lat1: np.ndarray | float,
    lon2: np.ndarray | float,
    lat2: np.ndarray | float,
) -> np.ndarray:
    """Great-circle distance between points given in degrees, in kilometres.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array-like
        Longitudes and latitudes in degrees (WGS 84); arrays broadcast
        against each other as numpy does.

    Returns
    -------
    numpy.ndarray
        Distances on a sphere of radius :data:`EARTH_RADIUS_KM` (a 0-d array
        for scalars). The spherical model errs by at most 0.5 % against the
        ellipsoid, far below what a directory needs.

    Examples
    --------
    >>> round(float(haversine_km(0, 0, 0, 1)), 4)  # one degree of latitude
    111.1951
    >>> round(float(haversine_km(2.3522, 48.8566, -4.4861, 48.3904)), 1)
    505.1
    """
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def bounding_box(
    lon: float, lat: float, radius_km: float
) -> tuple[float, float, float, float]:
    """The smallest longitude/latitude box holding a circle on the sphere.

    Parameters
    ----------
    lon, lat : float
        The circle's centre, in degrees.
    radius_km : float
        Its radius (a great-circle distance).

    Returns
    -------
    (minx, miny, maxx, maxy)
        In degrees. Points within angular distance ``d`` of latitude ``phi``
        span ``d`` in latitude and ``asin(sin d / cos phi)`` in longitude
        (the whole circle of longitudes near a pole); the box does not wrap
        around the antimeridian, which no French territory crosses.

    Examples
    --------
    >>> [round(v, 4) for v in bounding_box(0.0, 0.0, 111.19508)]
    [-1.0, -1.0, 1.0, 1.0]
    """
    angle = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angle)
    spread = math.sin(angle) / max(math.cos(math.radians(lat)), 1e-12)
    dlon = 180.0 if spread >= 1 else math.degrees(math.asin(spread))
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


@dataclass(frozen=True)
class Place:
    """Where a search starts from: a commune, or a position inside it."""

    commune: str
    """INSEE code of the commune."""
    nom: str
    """Official name of the commune."""
    label: str
    """The commune as people read it: ``"Brest – Finistère (29)"``."""
    lon: float
    lat: float
    located: bool = False
    """True when (lon, lat) is the person's own position, False when it is
    the commune's point."""


@functools.cache
def _commune_index() -> pd.DataFrame:
    """Communes with their search key, postal codes and a readable label."""
    communes = geography.communes()
    departements = geography.territories("departement")["nom"]
    pairs = geography.postal_codes().sort_values(["commune", "code_postal"])
    grouped: dict[str, list[str]] = {}
    for commune, code in zip(
        pairs["commune"].astype(str).tolist(),
        pairs["code_postal"].astype(str).tolist(),
        strict=True,
    ):
        grouped.setdefault(commune, []).append(code)
    departement_nom = communes["departement"].map(departements)
    return pd.DataFrame(
        {
            "nom": communes["nom"],
            "key": communes["nom"].map(fold),
            "departement": communes["departement"],
            "departement_nom": departement_nom,
            "codes_postaux": [tuple(grouped.get(c, ())) for c in communes.index],
            "population": communes["population"],
            "label": communes["nom"]
            + " – "
            + departement_nom
            + " ("
            + communes["departement"]
            + ")",
            "lon": communes["lon"],
            "lat": communes["lat"],
        },
        index=communes.index,
    )


@functools.cache
def _postal_pairs() -> pd.DataFrame:
    """Postal code and commune pairs, as strings, for the postal searches."""
    pairs = geography.postal_codes()
    return pd.DataFrame(
        {
            "code_postal": pairs["code_postal"].astype(str),
            "commune": pairs["commune"].astype(str),
        }
    )


_MATCHES = ("exact", "debut", "mot", "partout")


def _ranked(frame: pd.DataFrame, rank: pd.Series) -> pd.DataFrame:
    out = frame.assign(rank=rank)
    out = out[out["rank"].notna()]
    out = out.sort_values(
        ["rank", "population", "nom"], ascending=[True, False, True], kind="mergesort"
    )
    out["correspondance"] = [_MATCHES[int(r)] for r in out["rank"]]
    return out.drop(columns=["key", "rank"])


def search_communes(query: str) -> pd.DataFrame:
    """Communes matching what a person typed, best matches first.

    Parameters
    ----------
    query : str
        A commune name, whole or partial, in any case, with or without
        accents and hyphens (``"sainte marie"``, ``"ST MALO"``); optionally
        followed by a département number (``"sainte marie 35"``). Or a
        postal code (``"29200"``), its first digits (``"292"``), or an INSEE
        commune code.

    Returns
    -------
    pandas.DataFrame
        Indexed by INSEE code: ``nom``, ``departement``, ``departement_nom``,
        ``codes_postaux`` (tuple), ``population``, ``label``, ``lon``,
        ``lat`` and ``correspondance``: ``"exact"`` (the name is the query,
        or the postal code is), ``"debut"`` (the name starts with it, or a
        postal code does), ``"mot"`` (a word of the name starts with it, or
        the INSEE code is it) or ``"partout"``. Best matches come first, and
        within each kind the most populated communes. Empty when nothing
        matches or the query is blank.

    Examples
    --------
    >>> search_communes("29200")["nom"].tolist()
    ['Brest']
    >>> search_communes("sainte marie")["label"].head(3).tolist()
    ['Sainte-Marie – La Réunion (974)', 'Sainte-Marie – Martinique (972)', \
'Sainte-Marie – Ille-et-Vilaine (35)']
    """
    index = _commune_index()
    compact = query.replace(" ", "")
    if compact.isdigit():
        if len(compact) < 2:
            return _ranked(index, pd.Series(np.nan, index=index.index))
        pairs = _postal_pairs()
        starting = pairs["code_postal"].str.startswith(compact).to_numpy(bool)
        exact = (pairs["code_postal"] == compact).to_numpy(bool)
        rank = pd.Series(np.nan, index=index.index)
        rank[index.index == compact] = 2
        rank[index.index.isin(pairs["commune"][starting])] = 1
        rank[index.index.isin(pairs["commune"][exact])] = 0
        return _ranked(index, rank)
    tokens = [_ABBREVIATIONS.get(t, t) for t in fold(query).split()]
    subset = index
    if len(tokens) > 1 and _DEPARTEMENT_TOKEN.match(tokens[-1]):
        subset = index[index["departement"].str.lower() == tokens.pop()]
    elif len(tokens) > 1 and re.fullmatch(r"\d{5}", tokens[-1]):
        wanted = tokens.pop()
        subset = index[index["codes_postaux"].map(lambda codes: wanted in codes)]
    name = " ".join(tokens)
    if not name:
        return _ranked(index, pd.Series(np.nan, index=index.index))
    key = subset["key"]
    rank = pd.Series(np.nan, index=subset.index)
    rank[key.str.contains(name, regex=False)] = 3
    rank[(" " + key).str.contains(" " + name, regex=False)] = 2
    rank[key.str.startswith(name)] = 1
    rank[key == name] = 0
    if len(name) < 3:
        rank[rank == 3] = np.nan
    return _ranked(subset, rank)


def suggestions(
    matches: pd.DataFrame, *, keep: str | None = None, limit: int = 8
) -> list[str]:
    """The communes to offer a person among the matches of their query.

    Parameters
    ----------
    matches : pandas.DataFrame
        Output of :func:`search_communes`.
    keep : str, optional
        A commune already chosen (from a shared link, say): offered too if
        it matches, even beyond the first ``limit``.
    limit : int, default 8
        How many to offer.

    Returns
    -------
    list of str
        INSEE codes, best first, at most ``limit``. When one commune alone
        is named exactly (``"brest"``, ``"29200"``), only that one, unless
        ``keep`` is another of the matches.

    Examples
    --------
    >>> suggestions(search_communes("sainte marie"), keep="58253", limit=3)
    ['97418', '97228', '58253']
    """
    exact = matches.index[matches["correspondance"] == "exact"]
    if len(exact) == 1 and (keep in (None, exact[0]) or keep not in matches.index):
        return [exact[0]]
    codes = list(matches.index[:limit])
    if keep is not None and keep in matches.index and keep not in codes:
        codes = [*codes[: limit - 1], keep]
    return codes


def commune_place(code: str) -> Place:
    """The place of a commune: its point and its readable label.

    Parameters
    ----------
    code : str
        INSEE commune code.

    Returns
    -------
    Place

    Raises
    ------
    UnknownTerritoryError
        If no current commune has this code.
    PlaceError
        If the embedded geography has no position for the commune (four
        communes of the Cantal merged in 2017 have none).
    """
    index = _commune_index()
    if code not in index.index:
        raise UnknownTerritoryError("commune", code)
    row = index.loc[code]
    if pd.isna(row["lon"]) or pd.isna(row["lat"]):
        raise PlaceError(
            f"La commune {row['label']} n'a pas de position dans la géographie "
            "embarquée : cherchez depuis une commune voisine."
        )
    return Place(
        commune=code,
        nom=row["nom"],
        label=row["label"],
        lon=float(row["lon"]),
        lat=float(row["lat"]),
    )


@functools.cache
def _commune_shapes() -> tuple[np.ndarray, shapely.STRtree]:
    layer = geography.load_layer("commune")
    codes = layer["code"].to_numpy()
    return codes, shapely.STRtree(layer.geometry.to_numpy())


def commune_at(lon: float, lat: float) -> Place:
    """The commune where a position lies, as a place at that position.

    Parameters
    ----------
    lon, lat : float
        A position in degrees (WGS 84), such as the browser's geolocation.

    Returns
    -------
    Place
        ``located`` is True and (lon, lat) is the position itself. A
        position just off the coast (within :data:`SEA_TOLERANCE_KM` of a
        commune's point) is attached to the nearest commune.

    Raises
    ------
    PlaceError
        If the position is not a valid coordinate or is far from every
        French commune.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90:
        raise PlaceError(
            f"Position ({lat}, {lon}) invalide : latitude et longitude "
            "attendues en degrés."
        )
    codes, tree = _commune_shapes()
    hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
    if len(hits):
        code = str(min(codes[hits]))
    else:
        index = _commune_index().dropna(subset=["lon", "lat"])
        distances = haversine_km(lon, lat, index["lon"], index["lat"])
        nearest = int(np.argmin(distances))
        if distances[nearest] > SEA_TOLERANCE_KM:
            raise PlaceError(
                f"Votre position ({lat:.4f}, {lon:.4f}) est à plus de "
                f"{SEA_TOLERANCE_KM:.0f} km de toute commune française : "
                "indiquez plutôt votre commune ou votre code postal."
            )
        code = index.index[nearest]
    place = commune_place(code)
    return Place(place.commune, place.nom, place.label, lon, lat, located=True)


@dataclass(frozen=True)
class ActorIndex:
    """Actors prepared for repeated searches around places.

    Build it once per actor table with :meth:`build` (the page caches it)
    and query it with :meth:`near`.
    """

    actors: pd.DataFrame
    """The actor table it was built from (shared: do not mutate)."""
    lon: np.ndarray
    lat: np.ndarray
    naf: np.ndarray
    """Dotted NAF codes (object array, ``None`` where unknown)."""
    nom: np.ndarray
    """Names, to order actors at the same distance."""

    @classmethod
    def build(cls, actors: pd.DataFrame) -> ActorIndex:
        """Index an actor table.

        Parameters
        ----------
        actors : pandas.DataFrame
            With ``latitude``, ``longitude``, ``code_commune``, ``naf`` and
            ``nom``. Actors without coordinates are placed at their
            commune's point; those whose commune has none either are left
            out of every search.

        Returns
        -------
        ActorIndex
        """
        communes = geography.communes()
        fallback = (
            actors["code_commune"].map(communes["lon"]),
            actors["code_commune"].map(communes["lat"]),
        )
        lon = pd.to_numeric(actors["longitude"], errors="coerce").fillna(fallback[0])
        lat = pd.to_numeric(actors["latitude"], errors="coerce").fillna(fallback[1])
        naf = normalise_naf(actors["naf"]).astype(object)
        return cls(
            actors=actors,
            lon=lon.to_numpy(dtype=float),
            lat=lat.to_numpy(dtype=float),
            naf=naf.where(naf.notna(), None).to_numpy(dtype=object),
            nom=actors["nom"].to_numpy(dtype=object),
        )

    def near(
        self, lon: float, lat: float, radius_km: float, *, need: str | None = None
    ) -> pd.DataFrame:
        """Actors within a radius of a point, nearest first.

        Parameters
        ----------
        lon, lat : float
            The point, in degrees.
        radius_km : float
            Positive radius in kilometres (an actor exactly on the circle is
            in).
        need : str, optional
            A key of :data:`ess_geo.actors.needs.NEEDS`: keep only the actors whose
            activity answers it.

        Returns
        -------
        pandas.DataFrame
            The matching rows of the actor table (same index and columns)
            with ``distance_km`` added, sorted by distance (to the
            millimetre), then name (case and accents ignored), then position
            in the table: the order is total, so pages never overlap.

        Raises
        ------
        ValueError
            If ``radius_km`` is not positive.
        UnknownNeedError
            If ``need`` is not a known need.
        """
        if not radius_km > 0:
            raise ValueError(
                f"`radius_km` was {radius_km} but is expected to be positive"
            )
        wanted = naf_codes(need) if need is not None else None
        # A bounding box first, so that the exact distance is computed for
        # the few actors around the point only.
        minx, miny, maxx, maxy = bounding_box(lon, lat, radius_km)
        box = np.flatnonzero(
            (self.lat >= miny)
            & (self.lat <= maxy)
            & (self.lon >= minx)
            & (self.lon <= maxx)
        )
        distance = haversine_km(lon, lat, self.lon[box], self.lat[box])
        keep = distance <= radius_km
        if wanted is not None:
            keep &= np.fromiter(
                (code in wanted for code in self.naf[box]), dtype=bool, count=len(box)
            )
        positions, distance = box[keep], distance[keep]
        # Distances equal to the millimetre are ties (floating-point noise
        # aside), broken by name then by position in the table. Ties are
        # rare, so names are compared only within them.
        rounded = np.round(distance, 6)
        order = np.argsort(rounded, kind="stable")
        same = rounded[order][1:] == rounded[order][:-1]
        if same.any():
            edges = np.diff(np.concatenate(([0], same.astype(np.int8), [0])))
            for start, stop in zip(
                np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) + 1, strict=True
            ):
                order[start:stop] = sorted(
                    order[start:stop],
                    key=lambda i: (fold(str(self.nom[positions[i]])), positions[i]),
                )
        return self.actors.iloc[positions[order]].assign(distance_km=distance[order])


def wider_radius(
    index: ActorIndex,
    place: Place,
    radius_km: float,
    *,
    need: str | None = None,
    radii: tuple[int, ...] = RADII_KM,
) -> tuple[int, int] | None:
    """The first larger radius that finds someone, when a search finds no one.

    Parameters
    ----------
    index : ActorIndex
    place : Place
    radius_km : float
        The radius that found nothing.
    need : str, optional
        The need searched for.
    radii : tuple of int, default :data:`RADII_KM`
        The radii that may be suggested.

    Returns
    -------
    (radius, count) or None
        The smallest radius above ``radius_km`` with at least one actor,
        and how many it finds; None if even the largest finds no one.
    """
    for radius in sorted(r for r in radii if r > radius_km):
        found = len(index.near(place.lon, place.lat, radius, need=need))
        if found:
            return radius, found
    return None


@dataclass(frozen=True)
class Page:
    """One page of a result list."""

    number: int
    """1-based page number."""
    count: int
    """Number of pages (at least 1, even for no result)."""
    start: int
    """Position of the page's first row in the list (0-based)."""
    stop: int
    """Position after its last row."""


def paginate(total: int, page: int, per_page: int = PAGE_SIZE) -> Page:
    """The rows of one page, with the page number clamped to the valid range.

    Parameters
    ----------
    total : int
        Number of rows in the list.
    page : int
        Requested page, 1-based; a page beyond the last gives the last one,
        below 1 the first (a shared link may outlive its results).
    per_page : int, default :data:`PAGE_SIZE`

    Returns
    -------
    Page

    Examples
    --------
    >>> paginate(45, 3)
    Page(number=3, count=3, start=40, stop=45)
    >>> paginate(45, 9).number
    3
    """
    if per_page < 1:
        raise ValueError(f"`per_page` was {per_page} but is expected to be >= 1")
    count = max(1, math.ceil(total / per_page))
    number = min(max(page, 1), count)
    start = (number - 1) * per_page
    return Page(number, count, start, min(start + per_page, total))
