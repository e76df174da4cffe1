"""Network perimeters for maps and territory panels.

A network declares its perimeter as territories of one or more levels. For
drawing, the perimeter is the union of their display geometry; for a
territory's panel, the networks present are those whose perimeter shares
communes with it (:func:`ess_geo.workspace.networks.expand_perimeter`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from ess_geo.geo import geography
from ess_geo.maps.mapview import Territory
from ess_geo.workspace.networks import KIND_LABELS, STATUS_LABELS, expand_perimeter

__all__ = ["network_perimeters", "networks_of"]


def network_perimeters(
    networks: pd.DataFrame, territories: pd.DataFrame
) -> gpd.GeoDataFrame:
    """The perimeter of each network as one shape, for drawing.

    Parameters
    ----------
    networks : pandas.DataFrame
        Indexed by network id: ``nom``, ``kind``, ``status``,
        ``perimetre_exact``, ``membres``
        (as :func:`ess_geo.workspace.store.read_networks`).
    territories : pandas.DataFrame
        ``network_id``, ``level``, ``code``: the declared perimeters.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per network whose perimeter has a known geometry: ``id``,
        ``nom``, ``kind``, ``status``, ``perimetre_exact`` (False also when
        a declared PNR is only partly known), ``membres``, ``geometry`` (the
        union of the display geometry of its declared territories).
    """
    pieces = []
    for level, rows in territories.groupby("level"):
        layer = geography.load_layer(level)[["code", "geometry"]]
        joined = rows.merge(layer, on="code", how="inner")
        if level == "pnr":
            complete = geography.territories("pnr")["perimetre_complet"]
            joined["complet"] = joined["code"].map(complete).fillna(False)
        else:
            joined["complet"] = True
        pieces.append(joined)
    columns = ["id", "nom", "kind", "status", "perimetre_exact", "membres"]
    if not pieces:
        return gpd.GeoDataFrame(columns=[*columns, "geometry"], crs="EPSG:4326")
    parts = pd.concat(pieces, ignore_index=True)
    parts = parts[
        parts["geometry"].notna() & ~gpd.GeoSeries(parts["geometry"]).is_empty
    ]
    grouped = parts.groupby("network_id")
    shapes = grouped["geometry"].apply(lambda g: shapely.union_all(g.to_numpy()))
    complete = grouped["complet"].all()
    frame = networks.loc[networks.index.isin(shapes.index)].copy()
    frame["perimetre_exact"] = frame["perimetre_exact"].astype(bool) & complete.reindex(
        frame.index
    ).astype(bool)
    frame = frame.rename_axis("id").reset_index()
    frame["membres"] = frame.get("membres", 0)
    return gpd.GeoDataFrame(
        frame[columns], geometry=shapes.reindex(frame["id"]).to_numpy(), crs="EPSG:4326"
    )


def networks_of(
    selected: Territory, territories: pd.DataFrame, networks: pd.DataFrame
) -> pd.DataFrame:
    """The networks whose perimeter shares communes with a territory.

    Parameters
    ----------
    selected : Territory
    territories : pandas.DataFrame
        ``network_id``, ``level``, ``code``.
    networks : pandas.DataFrame
        Indexed by network id, with ``nom``, ``kind``, ``status``.

    Returns
    -------
    pandas.DataFrame
        Indexed by network id: ``nom``, ``type`` and ``statut`` (French
        labels), ``part`` (share of the territory's communes covered, 0–1),
        sorted by name.
    """
    inside = geography.communes_of(selected.level, selected.code)
    communes = expand_perimeter(territories, key="network_id")
    covered = communes[communes["commune"].isin(inside)]
    share = covered.groupby("network_id")["commune"].nunique() / max(len(inside), 1)
    found = networks.loc[networks.index.isin(share.index)]
    out = pd.DataFrame(
        {
            "nom": found["nom"],
            "type": found["kind"].map(KIND_LABELS),
            "statut": found["status"].map(STATUS_LABELS),
            "part": share.reindex(found.index),
        }
    )
    return out.sort_values("nom")
