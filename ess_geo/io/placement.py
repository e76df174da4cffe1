"""Placing actors in communes: by code, by coordinates, by postal code and name.

Every actor is attached to a current commune (DESIGN.md, principle 2):

- by its commune code, when given: codes of municipal arrondissements and of
  communes déléguées or associées are translated to their current commune
  (``data/reference/communes_rattachees.csv``); the actor's position is then
  a fixed point inside the commune (its town hall), so the same input always
  gives the same position;
- else by its coordinates, through a point-in-polygon test against the
  commune polygons (an STRtree over the full-detail layer, built once per
  process, queried with whole arrays of points);
- else by its postal code and commune name.

Functions take and return whole columns: they are used on chunks of
hundreds of thousands of rows.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import shapely

from ess_geo import _arrow, paths
from ess_geo.actors import text_key
from ess_geo.geo import geography

__all__ = [
    "COASTAL_TOLERANCE_DEG",
    "FRANCE_AREAS",
    "MAX_COMMUNE_DISTANCE_KM",
    "commune_aliases",
    "commune_at",
    "commune_from_postal_code",
    "commune_points",
    "distance_to_commune_km",
    "haversine_m",
    "in_france",
    "normalise_commune_code",
    "resolve_commune_code",
]

FRANCE_AREAS: dict[str, tuple[float, float, float, float]] = {
    "France métropolitaine": (-5.3, 41.2, 9.7, 51.2),
    "Guadeloupe": (-61.9, 15.75, -60.9, 16.6),
    "Martinique": (-61.3, 14.3, -60.7, 14.95),
    "Guyane": (-54.7, 2.0, -51.5, 5.85),
    "La Réunion": (55.15, -21.45, 55.9, -20.8),
    "Mayotte": (44.95, -13.05, 45.35, -12.55),
}
"""Boxes (lon min, lat min, lon max, lat max) around metropolitan France and
each DROM: the commune polygons' bounds widened by a few kilometres."""

MAX_COMMUNE_DISTANCE_KM = 5.0
"""Largest accepted gap between an actor's coordinates and the commune its
code names (a geocoding near a boundary; beyond, one of the two is wrong)."""

COASTAL_TOLERANCE_DEG = 0.01
"""A point outside every commune polygon (a harbour, a pier) is attached to
the nearest commune within this distance in degrees (about 1 km)."""

_EARTH_RADIUS_M = 6_371_008.8


def in_france(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Whether each point lies in metropolitan France or a DROM (by boxes).

    Parameters
    ----------
    lat, lon : array-like of float
        WGS 84 degrees; ``NaN`` gives ``False``.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> in_france(np.array([48.39, -4.49]), np.array([-4.49, 48.39])).tolist()
    [True, False]
    """
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    inside = np.zeros(lat.shape, dtype=bool)
    for lon_min, lat_min, lon_max, lat_max in FRANCE_AREAS.values():
        inside |= (
            (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)
        )
    return inside


def haversine_m(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in metres between pairs of WGS 84 points.

    Examples
    --------
    >>> round(float(haversine_m(48.0, -4.0, 48.0, -3.0)))
    74404
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@functools.cache
def commune_aliases() -> pd.Series:
    """Attached commune codes (arrondissements, communes déléguées/associées).

    Returns
    -------
    pandas.Series
        Current commune code, indexed by the attached code. Shared: do not
        mutate.
    """
    table = pd.read_csv(paths.REFERENCE_DIR / "communes_rattachees.csv", dtype=str)
    return table.set_index("code")["commune"]


def normalise_commune_code(codes: pd.Series) -> pd.Series:
    """Commune codes as written by people, in INSEE form.

    Trims, upper-cases (``2a004`` → ``2A004``) and puts back the leading zero
    that spreadsheets drop (``1053`` → ``01053``). Does not check existence.

    Parameters
    ----------
    codes : pandas.Series of str

    Returns
    -------
    pandas.Series of str
        Missing where the input is empty.
    """
    text = codes.astype("string").str.strip().str.upper()
    text = text.where(text.str.len() != 4, text.str.zfill(5))
    return text.where(text != "")


def resolve_commune_code(codes: pd.Series) -> pd.Series:
    """Current commune codes for INSEE codes (after :func:`normalise_commune_code`).

    Parameters
    ----------
    codes : pandas.Series of str

    Returns
    -------
    pandas.Series of str
        The code itself for a current commune, its commune for an attached
        code (``75101`` → ``75056``), missing when unknown or empty.
    """
    current = _arrow.lookup(codes, _current_codes())
    return current.fillna(_arrow.lookup(codes, commune_aliases())).astype("string")


@functools.cache
def _current_codes() -> pd.Series:
    """Current commune code -> itself (a hash lookup, unlike ``isin``)."""
    codes = geography.communes().index
    return pd.Series(codes, index=codes)


@functools.cache
def _tree() -> tuple[shapely.STRtree, np.ndarray, pd.Series]:
    """STRtree over the full-detail commune polygons, their codes, code -> position."""
    layer = geography.load_layer("commune", "full")
    layer = layer[layer.geometry.notna()]
    geometries = layer.geometry.to_numpy()
    codes = layer["code"].to_numpy()
    position = pd.Series(np.arange(len(codes)), index=codes)
    return shapely.STRtree(geometries), codes, position


def commune_at(lat: np.ndarray, lon: np.ndarray) -> pd.Series:
    """The commune containing each point (point-in-polygon, vectorised).

    A point on a boundary goes to the first commune in code order; a point
    outside every polygon but within :data:`COASTAL_TOLERANCE_DEG` of one
    (a pier, a harbour) goes to the nearest.

    Parameters
    ----------
    lat, lon : array-like of float
        WGS 84 degrees.

    Returns
    -------
    pandas.Series of str
        INSEE code per point (positional index), missing outside.
    """
    tree, codes, _ = _tree()
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    found = np.full(len(lat), -1, dtype="int64")
    valid = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    if len(valid):
        points = shapely.points(lon[valid], lat[valid])
        inputs, hits = tree.query(points, predicate="intersects")
        # Several hits for a point on a boundary: keep the lowest position.
        order = np.lexsort((hits, inputs))
        inputs, hits = inputs[order], hits[order]
        first = np.ones(len(inputs), dtype=bool)
        first[1:] = inputs[1:] != inputs[:-1]
        found[valid[inputs[first]]] = hits[first]
        missing = np.flatnonzero(found[valid] < 0)
        if len(missing):
            near_in, near_hit = tree.query_nearest(
                points[missing], max_distance=COASTAL_TOLERANCE_DEG, all_matches=False
            )
            found[valid[missing[near_in]]] = near_hit
    result = pd.Series(pd.NA, index=range(len(lat)), dtype="string")
    hit = found >= 0
    result[hit] = codes[found[hit]]
    return result


def distance_to_commune_km(
    lat: np.ndarray, lon: np.ndarray, codes: pd.Series
) -> np.ndarray:
    """Distance in km from each point to the polygon of a given commune.

    Parameters
    ----------
    lat, lon : array-like of float
    codes : pandas.Series of str
        Current commune codes, same length.

    Returns
    -------
    numpy.ndarray of float
        0 inside the commune; ``NaN`` where the point or the commune's
        geometry is missing.
    """
    tree, codes_in_tree, _ = _tree()
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    where = _arrow.positions(pd.Series(codes), pd.Index(codes_in_tree))
    out = np.full(len(lat), np.nan)
    ok = ~(np.isnan(lat) | np.isnan(lon) | np.isnan(where))
    if ok.any():
        polygons = tree.geometries.take(where[ok].astype("int64"))
        inside = shapely.contains_xy(polygons, lon[ok], lat[ok])
        distance = np.zeros(int(ok.sum()))
        if not inside.all():
            lines = shapely.shortest_line(
                shapely.points(lon[ok][~inside], lat[ok][~inside]), polygons[~inside]
            )
            ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
            distance[~inside] = (
                haversine_m(ends[:, 0, 1], ends[:, 0, 0], ends[:, 1, 1], ends[:, 1, 0])
                / 1000
            )
        out[ok] = distance
    return out


def commune_points(codes: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A fixed point inside each commune (its town hall when known).

    Parameters
    ----------
    codes : pandas.Series of str
        Current commune codes.

    Returns
    -------
    lat, lon : numpy.ndarray of float
        ``NaN`` for the four communes the geography has no position for.
    """
    table = geography.communes()
    lat = _arrow.lookup(codes, table["lat"]).to_numpy(dtype="float64", na_value=np.nan)
    lon = _arrow.lookup(codes, table["lon"]).to_numpy(dtype="float64", na_value=np.nan)
    return lat, lon


@functools.cache
def _postal_candidates() -> pd.DataFrame:
    """Postal code -> commune, with every name a commune is known by."""
    links = geography.postal_codes()
    names = pd.concat(
        [
            geography.communes()["nom"].rename("nom"),
            pd.read_csv(paths.REFERENCE_DIR / "communes_rattachees.csv", dtype=str)
            .set_index("commune")["nom"]
            .rename("nom"),
        ]
    )
    keys = pd.DataFrame(
        {"commune": names.index.to_numpy(), "key": names.map(_commune_key).to_numpy()}
    )
    return links.merge(keys, on="commune", how="left")


def _commune_key(name: object) -> str:
    """Folded commune name: accents, case, ``St``/``Ste`` and ``CEDEX`` removed."""
    words = text_key(name).split()
    if "cedex" in words:
        words = words[: words.index("cedex")]
    mapping = {"st": "saint", "ste": "sainte"}
    return " ".join(mapping.get(w, w) for w in words)


def commune_from_postal_code(
    postal: pd.Series, names: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Communes from postal codes and commune names.

    The name is compared without accents, case, punctuation, ``CEDEX`` and
    with ``St``/``Ste`` spelt out; names of communes déléguées count for
    their commune nouvelle. When the name is empty, a postal code that
    serves a single commune is enough.

    Parameters
    ----------
    postal : pandas.Series of str
        Five-digit postal codes.
    names : pandas.Series of str
        Commune names as written, same index.

    Returns
    -------
    communes : pandas.Series of str
        INSEE code, missing where no single commune matches.
    reasons : pandas.Series of str
        Why, in French, where ``communes`` is missing (else missing).
    """
    index = postal.index
    rows = pd.DataFrame(
        {
            "row": np.arange(len(postal)),
            "code_postal": postal.to_numpy(dtype=object),
            "key": names.map(_commune_key, na_action="ignore").to_numpy(dtype=object),
        }
    )
    candidates = rows.merge(_postal_candidates(), on="code_postal", how="inner")
    per_row = candidates.groupby("row")["commune"].unique()
    named = candidates[candidates["key_x"] == candidates["key_y"]]
    matches = named.groupby("row")["commune"].unique()
    communes = pd.Series(pd.NA, index=range(len(postal)), dtype="string")
    reasons = pd.Series(pd.NA, index=range(len(postal)), dtype="string")
    single_match = matches[matches.map(len) == 1]
    communes[single_match.index] = single_match.map(lambda c: c[0])
    no_name = rows["key"].isna() | (rows["key"] == "")
    single_code = per_row[per_row.map(len) == 1]
    use_code = single_code.index[no_name.to_numpy()[single_code.index]]
    communes[use_code] = single_code[use_code].map(lambda c: c[0])

    unresolved = communes.isna().to_numpy()
    has_postal = rows["code_postal"].notna().to_numpy()
    unknown = unresolved & has_postal & ~np.isin(rows["row"], per_row.index)
    reasons[unknown] = (
        "code postal « " + rows.loc[unknown, "code_postal"] + " » inconnu"
    )
    ambiguous = unresolved & has_postal & ~unknown
    official = geography.communes()["nom"]
    for row in np.flatnonzero(ambiguous):
        options = ", ".join(sorted(f"{official.get(c, c)} ({c})" for c in per_row[row]))
        written = names.iloc[row]
        if pd.isna(written) or not str(written).strip():
            reasons[row] = (
                f"le code postal {rows.at[row, 'code_postal']} dessert plusieurs "
                f"communes ({options}) : indiquez la commune"
            )
        else:
            reasons[row] = (
                f"commune « {written} » introuvable pour le code postal "
                f"{rows.at[row, 'code_postal']} (communes possibles : {options})"
            )
    communes.index = index
    reasons.index = index
    return communes, reasons
