"""Folium map builders: data in, ``folium.Map`` out.

Every builder here is a pure function of its inputs, so maps can be tested
by rendering them to HTML, without a browser. The maps work offline: Leaflet
and every plugin are served from the app's own static folder
(:mod:`ess_geo.maps.assets`), the default basemap is none, and tiles from
OpenStreetMap or IGN are optional layers for when the browser is online.

Every string that reaches the map's HTML (names in tooltips, popups,
legends) is HTML-escaped here, whatever its origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import xyzservices
import xyzservices.providers as xyz

from ess_geo.actors import FAMILY_LABELS, naf_label
from ess_geo.maps.assets import FULLSCREEN, LEAFLET, STATIC_URL
from ess_geo.maps.bundle import MAP_BUNDLE, bundle_urls
from ess_geo.maps.frame import CHROME_CSS, MapChrome
from ess_geo.maps.layers import FAMILY_COLOURS, family_legend_html
from ess_geo.text import escape_html

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
    "territory_features",
]

FRANCE_VIEW: tuple[tuple[float, float], int] = ((46.6, 2.5), 6)
"""Centre (lat, lon) and zoom of the national view (metropolitan France)."""


HIGHLIGHT_STYLE = {"weight": 3, "color": "#000000", "fillOpacity": 0.15}


@dataclass(frozen=True)
class Basemap:
    """A background layer choice: a label and an xyzservices tile provider (or none)."""

    label: str
    provider: xyzservices.TileProvider | None


BASEMAPS: dict[str, Basemap] = {
    "aucun": Basemap("Sans fond de carte", None),
    "osm": Basemap("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    "plan_ign": Basemap("Plan IGN", xyz.GeoportailFrance.plan),
    "ortho_ign": Basemap("Photographies aériennes IGN", xyz.GeoportailFrance.orthos),
}
"""Basemap choices; the default ``"aucun"`` needs no network."""


def _use_local_assets(element: folium.elements.JSCSSMixin, js: list, css: list) -> None:
    """Point a folium element at vendored copies of its JS/CSS instead of CDNs."""
    element.default_js = js
    element.default_css = css


def base_map(
    *,
    basemap: str = "aucun",
    location: tuple[float, float] = FRANCE_VIEW[0],
    zoom: int = FRANCE_VIEW[1],
) -> folium.Map:
    """An empty map of France that renders with no internet.

    Parameters
    ----------
    basemap : str, default "aucun"
        A key of :data:`BASEMAPS`. Tiles are fetched by the browser, so any
        choice but ``"aucun"`` needs it online.
    location : (float, float)
        Initial centre (latitude, longitude).
    zoom : int
        Initial zoom level.

    Returns
    -------
    folium.Map
        SVG rendering, a scale bar, a fullscreen button; Leaflet and the
        button's plugin served from ``/app/static/`` as one script and one
        stylesheet (:mod:`ess_geo.maps.bundle`).

    Raises
    ------
    ValueError
        If ``basemap`` is not a key of :data:`BASEMAPS`.
    """
    if basemap not in BASEMAPS:
        raise ValueError(
            f'`basemap` was "{basemap}" but is expected to be one of {list(BASEMAPS)}'
        )
    m = folium.Map(
        location=location,
        zoom_start=zoom,
        tiles=None,
        control_scale=False,  # MapChrome adds a metric-only one
        prefer_canvas=False,
        min_zoom=4,
    )
    # Without a tile layer Leaflet has no maximum zoom, which clustering needs.
    m.options["max_zoom"] = 18
    combined = bundle_urls(MAP_BUNDLE)
    if combined is not None:  # one script, one stylesheet (ess_geo.maps.bundle)
        _use_local_assets(
            m,
            js=[("ess_leaflet_js", combined.js)],
            css=[("ess_leaflet_css", combined.css)],
        )
    else:
        _use_local_assets(
            m,
            js=[("leaflet", LEAFLET.url("dist/leaflet.js"))],
            css=[("leaflet_css", LEAFLET.url("dist/leaflet.css"))],
        )
    provider = BASEMAPS[basemap].provider
    if provider is not None:
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=BASEMAPS[basemap].label,
            max_zoom=18,
            overlay=False,
            control=False,
        ).add_to(m)
    fullscreen = folium.plugins.Fullscreen(
        position="topleft", title="Plein écran", title_cancel="Quitter le plein écran"
    )
    if combined is not None:  # in the map's combined files
        _use_local_assets(fullscreen, js=[], css=[])
    else:
        _use_local_assets(
            fullscreen,
            js=[("Control.Fullscreen.js", FULLSCREEN.url("Control.FullScreen.js"))],
            css=[("Control.FullScreen.css", FULLSCREEN.url("Control.FullScreen.css"))],
        )
    fullscreen.add_to(m)
    m.get_root().header.add_child(
        folium.Element(f"<style>{CHROME_CSS}</style>"), name="ess_chrome_css"
    )
    MapChrome().add_to(m)
    return m


def _escape_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """HTML-escape every string cell (names may come from user files).

    Braces are escaped too (:func:`ess_geo.text.escape_html`): folium parses
    its elements' output as Jinja templates when rendering.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: escape_html(v) if isinstance(v, str) else v
            )
    return out


def territory_features(gdf: gpd.GeoDataFrame, properties: list[str]) -> dict:
    """A GeoJSON FeatureCollection of territories with escaped properties.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Territories with a ``code`` column and the ``properties`` columns.
    properties : list of str
        Columns to keep as feature properties (string values are escaped).

    Returns
    -------
    dict
        GeoJSON; features without geometry are dropped. Build it once per
        layer and reuse it: converting the national EPCI layer takes a few
        hundred milliseconds.
    """
    keep = gdf.loc[
        gdf.geometry.notna() & ~gdf.geometry.is_empty, ["code", *properties, "geometry"]
    ]
    keep = keep.loc[:, ~keep.columns.duplicated()]
    plain = _escape_strings(pd.DataFrame(keep.drop(columns="geometry")))
    escaped = gpd.GeoDataFrame(plain, geometry=keep.geometry.to_numpy(), crs=gdf.crs)
    return escaped.to_geo_dict(drop_id=True)


def actors_layer(
    actors: pd.DataFrame, *, name: str = "Acteurs de l'ESS"
) -> folium.GeoJson:
    """Actors as circle markers coloured by famille, with a popup each.

    Parameters
    ----------
    actors : pandas.DataFrame
        ``nom``, ``famille``, ``naf``, ``nom_commune`` (or ``commune``),
        ``latitude``, ``longitude``; rows without coordinates are skipped.
    name : str
        Layer name shown in the layer control.

    Returns
    -------
    folium.GeoJson
        One point feature per actor; the popup shows nom, famille, activité
        and commune, all HTML-escaped.
    """
    located = actors.dropna(subset=["latitude", "longitude"])
    props = pd.DataFrame(
        {
            "nom": located["nom"],
            "famille": located["famille"].map(FAMILY_LABELS).fillna(located["famille"]),
            "activite": naf_label(located["naf"]).fillna(located["naf"]).fillna("—"),
            "commune": (
                located["nom_commune"]
                if "nom_commune" in located
                else located["commune"]
            ).fillna("—"),
            "colour": located["famille"].map(FAMILY_COLOURS).fillna("#555555"),
        }
    )
    points = gpd.GeoDataFrame(
        _escape_strings(props),
        geometry=gpd.points_from_xy(located["longitude"], located["latitude"]),
        crs="EPSG:4326",
    )
    return folium.GeoJson(
        points.to_geo_dict(drop_id=True),
        name=escape_html(name),
        marker=folium.CircleMarker(
            radius=5, weight=1, color="#ffffff", fill=True, fill_opacity=0.9
        ),
        style_function=lambda feature: {"fillColor": feature["properties"]["colour"]},
        popup=folium.GeoJsonPopup(
            fields=["nom", "famille", "activite", "commune"],
            aliases=["Nom", "Famille", "Activité", "Commune"],
            labels=True,
        ),
        tooltip=folium.GeoJsonTooltip(fields=["nom"], labels=False),
    )


def family_legend(counts: Mapping[str, int] | None = None) -> folium.Element:
    """A legend of the famille colours, optionally with counts.

    Parameters
    ----------
    counts : mapping, optional
        Famille -> number of actors shown.

    Returns
    -------
    folium.Element
        To be added to the map's root HTML (``m.get_root().html.add_child``).
    """
    body = family_legend_html(counts).replace(
        "<ul>", '<ul style="list-style:none;margin:4px 0 0;padding:0">', 1
    )
    return folium.Element(
        '<div class="ess-legend" role="note" aria-label="Légende des familles" '
        'style="position:absolute;bottom:24px;right:10px;z-index:1000;background:#fff;'
        "padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
        'font:12px sans-serif">'
        f"<strong>Familles de l'ESS</strong>{body}</div>"
    )


OVERLAY_NAMES: dict[str, str] = {
    "epci": "EPCI",
    "pays": "Pays / PETR",
    "pnr": "Parcs naturels régionaux (communes connues)",
}


def external_assets(m: folium.Map) -> list[str]:
    """URLs of JS/CSS that a map would load from outside the app (should be empty)."""
    urls = []
    stack = [m]
    while stack:
        element = stack.pop()
        for _, url in [
            *getattr(element, "default_js", []),
            *getattr(element, "default_css", []),
        ]:
            if not url.startswith(STATIC_URL):
                urls.append(url)
        stack.extend(getattr(element, "_children", {}).values())
    return urls


def fit_to(m: folium.Map, features: dict) -> None:
    """Fit the map to the bounds of a FeatureCollection (if it has geometry)."""
    if features["features"]:
        minx, miny, maxx, maxy = gpd.GeoDataFrame.from_features(features).total_bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
