"""The Annuaire's map: the search circle and one page of results, numbered.

Built on :mod:`ess_geo.maps` (offline base map, escaped features).
"""

from __future__ import annotations

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from ess_geo import formats
from ess_geo.actors import naf_label
from ess_geo.analysis.directory import bounding_box
from ess_geo.geo import geography
from ess_geo.maps.base import base_map, territory_features
from ess_geo.maps.frame import FrameTitle
from ess_geo.text import escape_html

__all__ = ["OUTLINE_NAMES", "directory_map"]


class _HtmlPopup(MacroElement):
    """A popup of ready-made (already escaped) HTML, without folium's jQuery.

    ``folium.Popup`` builds its content with jQuery's ``$``, which the
    offline maps do not load; this binds the HTML string directly.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, "
        "{maxWidth: 260});"
        "{% endmacro %}"
    )

    def __init__(self, html_content: str) -> None:
        super().__init__()
        self._name = "HtmlPopup"
        self.html = html_content


OUTLINE_NAMES: dict[str, str] = {"commune": "Communes", "epci": "Intercommunalités"}


def directory_map(
    *,
    centre: tuple[float, float],
    radius_km: float,
    actors: pd.DataFrame,
    start: int,
    centre_label: str,
    basemap: str = "aucun",
) -> folium.Map:
    """The Annuaire's map: the search circle and one page of results, numbered.

    The numbers are those of the result list, so the map and the list can
    be read together; the list alone carries every piece of information.

    Parameters
    ----------
    centre : (float, float)
        (latitude, longitude) of the search's starting point.
    radius_km : float
        Search radius, drawn as a circle; the map fits it.
    actors : pandas.DataFrame
        The page's actors, in list order, with ``nom``, ``naf``,
        ``distance_km``, ``latitude``, ``longitude`` (rows without
        coordinates are not drawn).
    start : int
        Rank of the first actor (1 on the first page).
    centre_label : str
        What the starting point is ("Centre de Brest", "Votre position").
    basemap : str, default "aucun"
        A key of :data:`BASEMAPS`. Without tiles, the outlines of the
        communes (up to 20 km) or intercommunalités (beyond) around give
        the bearings.

    Returns
    -------
    folium.Map
        Markers are keyboard-focusable, with the rank and name as title and
        an escaped popup (name, activity, distance).
    """
    lat, lon = centre
    minx, miny, maxx, maxy = bounding_box(lon, lat, radius_km)
    m = base_map(basemap=basemap, location=centre, zoom=11)
    # Outlines for orientation: communes up to 20 km, intercommunalités beyond.
    level = "commune" if radius_km <= 20 else "epci"
    layer = geography.load_layer(level)
    around = layer.cx[minx:maxx, miny:maxy]
    if len(around):
        folium.GeoJson(
            territory_features(around, ["nom"]),
            name=OUTLINE_NAMES[level],
            style_function=lambda _feature: {
                "color": "#5b6770",
                "weight": 0.8,
                "fill": False,
            },
            interactive=False,
            smooth_factor=0.5,
        ).add_to(m)
    folium.Circle(
        location=centre,
        radius=radius_km * 1000,
        color="#1f4e79",
        weight=2,
        fill=True,
        fill_opacity=0.04,
        interactive=False,
    ).add_to(m)
    folium.CircleMarker(
        location=centre,
        radius=6,
        color="#000000",
        weight=2,
        fill=True,
        fill_color="#ffffff",
        fill_opacity=1,
        tooltip=escape_html(centre_label),
    ).add_to(m)
    activity = naf_label(actors["naf"]).fillna(actors["naf"]).fillna("—")
    for rank, (actor_id, row) in enumerate(actors.iterrows(), start=start):
        if pd.isna(row["latitude"]) or pd.isna(row["longitude"]):
            continue
        name = escape_html(str(row["nom"]))
        popup = (
            f"<strong>{rank}. {name}</strong><br>"
            f"{escape_html(str(activity.loc[actor_id]))}<br>"
            f"{escape_html(formats.distance(float(row['distance_km'])))}"
        )
        marker = folium.Marker(
            location=(float(row["latitude"]), float(row["longitude"])),
            icon=folium.DivIcon(
                html=f'<div class="ess-rank" aria-hidden="true">{rank}</div>',
                icon_size=(26, 26),
                icon_anchor=(13, 13),
                class_name="ess-rank-icon",
            ),
            title=f"{rank}. {escape_html(str(row['nom']))}",
        )
        _HtmlPopup(popup).add_to(marker)
        marker.add_to(m)
    m.get_root().header.add_child(
        folium.Element(
            "<style>.ess-rank{width:26px;height:26px;border-radius:50%;"
            "background:#1f4e79;color:#fff;font:bold 13px/26px sans-serif;"
            "text-align:center;border:2px solid #fff;"
            "box-shadow:0 1px 3px rgba(0,0,0,.5)}</style>"
        )
    )
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    FrameTitle(f"Carte : acteurs de l'ESS autour de {centre_label}").add_to(m)
    return m
