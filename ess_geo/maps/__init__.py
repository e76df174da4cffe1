"""Folium map builders: data in, folium.Map out; vendored Leaflet assets."""

from ess_geo.maps.base import (
    BASEMAPS,
    FAMILY_COLOURS,
    FRANCE_VIEW,
    HIGHLIGHT_STYLE,
    OVERLAY_NAMES,
    actors_layer,
    base_map,
    external_assets,
    family_legend,
    fit_to,
    select_features,
    territory_features,
)

__all__ = [
    "BASEMAPS",
    "FAMILY_COLOURS",
    "FRANCE_VIEW",
    "HIGHLIGHT_STYLE",
    "OVERLAY_NAMES",
    "actors_layer",
    "base_map",
    "external_assets",
    "family_legend",
    "fit_to",
    "select_features",
    "territory_features",
]
