"""Member communes of the parcs naturels régionaux, from the INPN perimeters.

The MNHN publishes the classified perimeter of every PNR on the INPN
(« Espaces protégés », zipped shapefile ``pnr.zip``: layer
``N_ENP_PNR_S_000``, Lambert-93, attributes ``ID_MNHN`` = ``FR80000NN`` and
``NOM_SITE``). The IGN Géoplateforme serves the same layer over WFS
(``PROTECTEDAREAS.PNR:pnr``, GeoJSON, lower-case attribute names). Both are
read here.

A PNR is defined by the communes that approved its charter, and the
perimeter follows them, except where a commune is classified only in part.
The rule used to turn polygons back into a commune list:

- a commune is a member when at least half of its area
  (:data:`MIN_SHARE`) lies inside the PNR's perimeter;
- a member with less than :data:`WHOLE_SHARE` of its area inside is
  flagged ``classée_inpn_partielle`` (partially classified commune, or
  boundaries that do not match exactly); the others ``classée_inpn``.

Areas are compared in an equal-area projection (EPSG:6933), so the shares
are exact in metropolitan France and overseas alike. Both flags start with
``classée``: ``scripts/build_boundaries.py`` then treats the perimeter as
complete.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources._http import atomic_output, temporary_download

__all__ = [
    "AREA_CRS",
    "COLUMNS",
    "INPN_URL",
    "MAX_BYTES",
    "MIN_SHARE",
    "SOURCE",
    "WHOLE_SHARE",
    "PnrRefresh",
    "member_communes",
    "read_perimeters",
    "refresh_pnr_communes",
]

SOURCE = "PNR (INPN, MNHN)"
INPN_URL = "https://inpn.mnhn.fr/docs/Shape/pnr.zip"
"""Zipped shapefile of the PNR perimeters (INPN, Espaces protégés)."""

MAX_BYTES = 300_000_000
"""The national layer weighs a few tens of MB; refuse anything far larger."""

MIN_SHARE = 0.5
"""Share of a commune's area inside a PNR from which it counts as a member."""

WHOLE_SHARE = 0.95
"""Below this share a member is flagged as partially covered."""

AREA_CRS = "EPSG:6933"
"""WGS 84 / NSIDC EASE-Grid 2.0 Global: equal-area, valid overseas too."""

COLUMNS = ["pnr_code", "commune_insee", "commune_nom", "flag"]
"""Columns of ``data/reference/pnr_communes.csv``."""

_CODE = re.compile(r"^FR80000\d\d$")
_FLAG_WHOLE = "classée_inpn"
_FLAG_PART = "classée_inpn_partielle"


def _bad(url: str, what: str) -> SourceUnavailableError:
    return SourceUnavailableError(
        SOURCE,
        url,
        what,
        "La couche attendue est celle des parcs naturels régionaux de l'INPN "
        "(shapefile zippé avec les attributs ID_MNHN et NOM_SITE, ou GeoJSON du "
        "WFS PROTECTEDAREAS.PNR:pnr).",
    )


def _read_layers(path: Path, origin: str) -> gpd.GeoDataFrame:
    """Every shapefile of a zip archive, or a GeoJSON file, in EPSG:4326."""
    head = path.read_bytes()[:4] if path.stat().st_size else b""
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        except zipfile.BadZipFile as exc:
            raise _bad(origin, f"archive ZIP illisible ({exc})") from exc
        if not members:
            raise _bad(origin, "l'archive ZIP ne contient aucun shapefile (.shp)")
        # Braces let GDAL open an archive whose name does not end in .zip.
        sources = [f"/vsizip/{{{path}}}/{member}" for member in members]
    elif head.lstrip()[:1] == b"{":
        sources = [str(path)]
    else:
        raise _bad(
            origin,
            "le fichier reçu n'est ni une archive ZIP ni du GeoJSON "
            f"(il commence par {head!r} ; page d'erreur HTML ?)",
        )
    frames = []
    for name in sources:
        try:
            layer = gpd.read_file(name, engine="pyogrio")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise _bad(origin, f"couche illisible ({exc})") from exc
        if layer.crs is None:
            raise _bad(origin, f"couche sans système de coordonnées ({name})")
        frames.append(layer.to_crs("EPSG:4326"))
    return pd.concat(frames, ignore_index=True)


def read_perimeters(path: str | Path, *, origin: str | None = None) -> gpd.GeoDataFrame:
    """The PNR perimeters of an INPN download, one row per PNR.

    Parameters
    ----------
    path : str or path-like
        The INPN ``pnr.zip`` (one or more shapefiles, any folder layout) or
        a GeoJSON file (the Géoplateforme WFS answer).
    origin : str, optional
        Where the file came from (its URL), for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code`` (``FR80000NN``), ``nom`` and a valid ``geometry`` in
        EPSG:4326, sorted by code; the features of one PNR are united.

    Raises
    ------
    SourceUnavailableError
        If the file is not a readable layer, lacks the ``ID_MNHN`` attribute
        or holds no PNR code.
    """
    path = Path(path)
    origin = origin or str(path)
    layer = _read_layers(path, origin)
    by_lower = {str(c).lower(): c for c in layer.columns}
    if "id_mnhn" not in by_lower:
        found = ", ".join(str(c) for c in layer.columns if c != "geometry")
        raise _bad(origin, f"attribut ID_MNHN absent (attributs trouvés : {found})")
    codes = layer[by_lower["id_mnhn"]].astype("string").str.strip()
    names = (
        layer[by_lower["nom_site"]].astype("string").str.strip()
        if "nom_site" in by_lower
        else codes
    )
    keep = codes.str.fullmatch(_CODE).fillna(False).to_numpy() & layer.geometry.notna()
    if not keep.any():
        raise _bad(origin, "aucun code de PNR de la forme FR80000NN dans ID_MNHN")
    table = gpd.GeoDataFrame(
        {"code": codes[keep].to_numpy(), "nom": names[keep].to_numpy()},
        geometry=shapely.make_valid(layer.geometry[keep].to_numpy()),
        crs="EPSG:4326",
    )
    out = table.dissolve(by="code", aggfunc={"nom": "first"}).reset_index()
    return out[["code", "nom", "geometry"]].sort_values("code", ignore_index=True)


def member_communes(
    perimeters: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    *,
    min_share: float = MIN_SHARE,
) -> pd.DataFrame:
    """Communes inside each PNR perimeter, by share of their area.

    Parameters
    ----------
    perimeters : geopandas.GeoDataFrame
        ``code`` and ``geometry`` (:func:`read_perimeters`).
    communes : geopandas.GeoDataFrame
        ``code``, ``nom`` and ``geometry`` of the communes (typically
        ``geography.load_layer("commune", "full")``), any CRS.
    min_share : float, default :data:`MIN_SHARE`
        Share of a commune's area, in ]0, 1], from which it is a member.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` plus ``part`` (share of the commune's area inside,
        rounded to 4 decimals), sorted by PNR then commune. A commune may
        belong to two PNR (perimeters overlap in a few places).

    Raises
    ------
    ValueError
        If ``min_share`` is not in ]0, 1].
    """
    if not 0 < min_share <= 1:
        raise ValueError(f"`min_share` was {min_share} but is expected in ]0, 1]")
    parks = perimeters.to_crs(AREA_CRS)
    towns = communes[communes.geometry.notna()].to_crs(AREA_CRS)
    park_geoms = parks.geometry.to_numpy()
    town_geoms = towns.geometry.to_numpy()
    park_idx, town_idx = shapely.STRtree(town_geoms).query(
        park_geoms, predicate="intersects"
    )
    shapely.prepare(park_geoms)
    inside = shapely.contains_properly(park_geoms[park_idx], town_geoms[town_idx])
    share = np.ones(len(park_idx))
    edge = ~inside
    clipped = shapely.intersection(
        park_geoms[park_idx[edge]], town_geoms[town_idx[edge]]
    )
    share[edge] = shapely.area(clipped) / shapely.area(town_geoms[town_idx[edge]])
    rows = pd.DataFrame(
        {
            "pnr_code": parks["code"].to_numpy()[park_idx],
            "commune_insee": towns["code"].to_numpy()[town_idx],
            "commune_nom": towns["nom"].to_numpy()[town_idx],
            "part": share.round(4),
        }
    )
    rows = rows[share >= min_share]
    rows.insert(
        3, "flag", np.where(rows["part"] >= WHOLE_SHARE, _FLAG_WHOLE, _FLAG_PART)
    )
    return rows.sort_values(["pnr_code", "commune_insee"], ignore_index=True)


@dataclass
class PnrRefresh:
    """What :func:`refresh_pnr_communes` wrote."""

    parks: int
    """PNR found in the download and written."""
    communes: int
    """Rows written for them."""
    partial: int
    """Of which flagged ``classée_inpn_partielle``."""
    kept: list[str] = field(default_factory=list)
    """PNR absent from the download whose existing rows were kept."""
    unknown: list[str] = field(default_factory=list)
    """Codes of the download absent from ``pnr.csv``, left out."""
    without_commune: list[str] = field(default_factory=list)
    """PNR of the download that no commune reaches ``min_share`` of."""


def refresh_pnr_communes(
    out: str | Path,
    *,
    communes: gpd.GeoDataFrame,
    known_codes: set[str],
    url: str = INPN_URL,
    min_share: float = MIN_SHARE,
    max_bytes: int = MAX_BYTES,
) -> PnrRefresh:
    """Download the INPN perimeters and rewrite a ``pnr_communes.csv`` table.

    Parameters
    ----------
    out : str or path-like
        The table to write (``data/reference/pnr_communes.csv``). If it
        exists, its rows for PNR absent from the download are kept.
    communes : geopandas.GeoDataFrame
        Commune polygons (``code``, ``nom``, ``geometry``).
    known_codes : set of str
        PNR codes of ``pnr.csv``; other codes are left out (add the PNR to
        ``pnr.csv`` first).
    url : str, default :data:`INPN_URL`
        Where to download from (a zipped shapefile or GeoJSON).
    min_share : float, default :data:`MIN_SHARE`
        See :func:`member_communes`.
    max_bytes : int, default :data:`MAX_BYTES`
        Refuse larger downloads.

    Returns
    -------
    PnrRefresh
        Counts for the report.

    Raises
    ------
    SourceUnavailableError
        Offline, or the download is not the expected layer. ``out`` is then
        left untouched.
    """
    with temporary_download(url, source=SOURCE, max_bytes=max_bytes) as path:
        perimeters = read_perimeters(path, origin=url)
    unknown = sorted(set(perimeters["code"]) - known_codes)
    perimeters = perimeters[perimeters["code"].isin(known_codes)]
    if perimeters.empty:
        raise _bad(url, f"aucun des codes de la couche n'est dans pnr.csv ({unknown})")
    rows = member_communes(perimeters, communes, min_share=min_share)
    out = Path(out)
    kept: list[str] = []
    table = rows[COLUMNS]
    if out.exists():
        existing = pd.read_csv(out, dtype=str, keep_default_na=False)
        old = existing[~existing["pnr_code"].isin(perimeters["code"])]
        kept = sorted(old["pnr_code"].unique())
        table = pd.concat([old[COLUMNS], table], ignore_index=True)
    table = table.sort_values(["pnr_code", "commune_insee"], ignore_index=True)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    with atomic_output(out) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    return PnrRefresh(
        parks=int(rows["pnr_code"].nunique()),
        communes=len(rows),
        partial=int((rows["flag"] == _FLAG_PART).sum()),
        kept=kept,
        unknown=unknown,
        without_commune=sorted(set(perimeters["code"]) - set(rows["pnr_code"])),
    )
