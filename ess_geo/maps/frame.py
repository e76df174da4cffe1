"""What the map's frame needs besides its data layers.

- :class:`GroupReset`: streamlit-folium removes the previous feature groups
  from the map before it evaluates the new ones, but never empties its
  ``window.feature_group`` list: every update kept the old layers alive
  (6 → 12 → 18… layers, a growing heap). Put first in the first group, this
  element empties the list once the old groups are off the map and before
  the new ones are pushed; if a later streamlit-folium empties it itself,
  emptying an empty list is harmless. It also detaches the removed layer
  control from the map's clicks (Leaflet's collapsed control never does, and
  it lists, hence keeps alive, every group of its time).
- :class:`FrameTitle`: the map's frame is titled after what it shows
  (screen readers announced « streamlit_folium.st_folium »).
- :class:`MapChrome`: Leaflet's default icon path (a missing slash gave a
  404), a metric-only scale bar, and one bubble at a time: while a popup is
  open, no tooltip shows over it.
- :class:`PlaceNames`: without a basemap, the main towns of the régions,
  départements and EPCI are named by zoom level, and, like the counts in
  the circles, a name is written only where there is room for it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd
from jinja2 import Template

from ess_geo.geo import geography
from ess_geo.maps.assets import LEAFLET
from ess_geo.maps.layers import _compact_json, _MapElement, _RawMacro
from ess_geo.text import escape_html

__all__ = [
    "CHROME_CSS",
    "DECLUTTER_JS",
    "LEGENDS_KEPT_OPEN",
    "PLACE_ZOOMS",
    "CircleLabels",
    "Declutter",
    "FrameTitle",
    "GroupReset",
    "LegendFold",
    "MapChrome",
    "PlaceNames",
    "labels_without_overlap",
    "main_towns",
]

PLACE_ZOOMS: dict[str, int] = {"region": 5, "departement": 7, "epci": 9}
"""From which zoom the main town of each level is named."""


class GroupReset(_RawMacro):
    """Empty streamlit-folium's ``window.feature_group`` list (see the module)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
if (Array.isArray(window.feature_group)) { window.feature_group.length = 0; }
(function (control, map) {
    // Leaflet's collapsed layer control listens to the map's clicks and never
    // stops (Control.Layers.onRemove forgets it): the removed control, and
    // every group it lists, would stay alive.
    if (!control || !map || control._map) { return; }
    map.off("click", control.collapse, control);
    control._layers = [];
})(window.layer_control, window.map);
{% endmacro %}"""
    )


class FrameTitle(_RawMacro):
    """Title the map's frame (``<iframe title>``) after what it shows.

    Parameters
    ----------
    title : str
        Plain text.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
try {
    if (window.frameElement) { window.frameElement.title = {{ this.title|tojson }}; }
    document.title = {{ this.title|tojson }};
} catch (error) { /* a frame from another origin keeps its title */ }
{% endmacro %}"""
    )

    def __init__(self, title: str) -> None:
        super().__init__()
        self._name = "FrameTitle"
        self.title = title


class MapChrome(_MapElement):
    """Default icon path, metric scale bar, popup without its tooltip.

    Every map gets it from :func:`ess_geo.maps.base.base_map` (which no
    longer asks folium for its metric-and-imperial scale).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
L.Icon.Default.imagePath = {{ this.image_path|tojson }};
(function (map) {
    L.control.scale({imperial: false}).addTo(map);
    map.on("popupopen", function (e) {
        map.getContainer().classList.add("ess-popup-open");
        if (e.popup && e.popup._source && e.popup._source.closeTooltip) {
            e.popup._source.closeTooltip();
        }
    });
    map.on("popupclose", function () {
        map.getContainer().classList.remove("ess-popup-open");
    });
})({{ this.map_name }});
{% endmacro %}"""
    )

    image_path = LEAFLET.url("dist/images/marker-icon.png").removesuffix(
        "marker-icon.png"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapChrome"


CHROME_CSS = """
.ess-popup-open .leaflet-tooltip {display:none}
.ess-place {font:600 11px/1.2 system-ui,sans-serif;color:#1a1a1a;white-space:nowrap;
  text-shadow:0 0 3px #fff,0 0 2px #fff,0 0 1px #fff;pointer-events:none}
.ess-place b {display:inline-block;width:5px;height:5px;border-radius:50%;
  background:#1a1a1a;border:1px solid #fff;margin-right:3px;vertical-align:1px}
.ess-place.ess-place-region {font-size:13px;font-weight:700}
.ess-place.ess-place-moved b {display:none}
"""
"""Styles of the place names and of the popup rule (added to the map's CSS)."""


@functools.cache
def main_towns() -> pd.DataFrame:
    """The most populous commune of each région, département and EPCI.

    Returns
    -------
    pandas.DataFrame
        ``level``, ``code`` (of the territory), ``nom`` (of the town),
        ``lat``, ``lon``, ``population`` (of the town), ``zoom`` (from which
        it is named); the most populous first. The embedded geography has no
        chef-lieu column: the most populous commune stands for it (it is the
        préfecture in most départements, not in all).
    """
    communes = geography.load_layer("commune")
    frames = []
    for level, zoom in PLACE_ZOOMS.items():
        column = level if level in communes else None
        if column is None:
            continue
        ranked = communes.dropna(subset=[column, "population", "lat", "lon"])
        top = ranked.sort_values("population", ascending=False).drop_duplicates(column)
        frames.append(
            pd.DataFrame(
                {
                    "level": level,
                    "code": top[column].astype(str).to_numpy(),
                    "nom": top["nom"].astype(str).to_numpy(),
                    "lat": top["lat"].astype(float).round(4).to_numpy(),
                    "lon": top["lon"].astype(float).round(4).to_numpy(),
                    "population": top["population"].astype(float).to_numpy(),
                    "zoom": zoom,
                }
            )
        )
    towns = pd.concat(frames, ignore_index=True)
    # A town named at a lower zoom keeps that zoom only (Rennes: région).
    towns = towns.sort_values(["zoom", "population"], ascending=[True, False])
    towns = towns.drop_duplicates(["nom", "lat", "lon"])
    return towns.sort_values("population", ascending=False).reset_index(drop=True)


class PlaceNames(_MapElement):
    """Main towns named by zoom level, where their name fits (no overlap).

    Drawn in their own pane above the territories and under the tooltips;
    not interactive. Names are placed from the most populous down; a name
    that would overlap one already placed, or a count drawn in a circle, is
    left out at that zoom.

    Parameters
    ----------
    towns : pandas.DataFrame
        As :func:`main_towns` gives it.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map) {
    var d = {{ this.data }};
    if (!map.getPane("essPlaces")) {
        map.createPane("essPlaces");
        map.getPane("essPlaces").style.zIndex = 640;
        map.getPane("essPlaces").style.pointerEvents = "none";
    }
    var layer = L.layerGroup();
    var redraw = function () {
        layer.clearLayers();
        var zoom = map.getZoom(), taken = window.essTaken ? window.essTaken() : [];
        var bounds = map.getBounds().pad(0.1);
        for (var i = 0; i < d.nom.length; i++) {
            var at = [d.lat[i], d.lon[i]];
            if (d.zoom[i] > zoom || !bounds.contains(at)) { continue; }
            var p = map.latLngToContainerPoint([d.lat[i], d.lon[i]]);
            var big = d.zoom[i] <= 5;
            var w = d.nom[i].length * (big ? 7.5 : 6.2) + 10, h = big ? 16 : 14;
            // The name right of its dot, else left, below or above it.
            var places = [[4, h / 2], [w - 4, h / 2], [w / 2, -3], [w / 2, h + 3]];
            var anchor = null;
            for (var k = 0; k < places.length && !anchor; k++) {
                var x0 = p.x - places[k][0], y0 = p.y - places[k][1];
                var box = [x0, y0, x0 + w, y0 + h];
                if (!window.essOverlaps(box, taken)) {
                    taken.push(box);
                    anchor = places[k];
                    var moved = k > 0;  // then no dot: it would not be on the town
                }
            }
            if (!anchor) { continue; }
            layer.addLayer(L.marker([d.lat[i], d.lon[i]], {
                pane: "essPlaces", interactive: false, keyboard: false,
                icon: L.divIcon({
                    className: "ess-place" + (big ? " ess-place-region" : "")
                        + (moved ? " ess-place-moved" : ""),
                    html: "<b></b>" + d.nom[i], iconSize: null, iconAnchor: anchor
                })
            }));
        }
    };
    map.on("zoomend moveend essredraw", redraw);
    layer.addTo(map);
    map.whenReady(function () { setTimeout(redraw, 0); });
    window.essPlaces = layer;
})({{ this.map_name }});
{% endmacro %}"""
    )

    def __init__(self, towns: pd.DataFrame) -> None:
        super().__init__()
        self._name = "PlaceNames"
        self.data = _compact_json(
            {
                "nom": [escape_html(n) for n in towns["nom"]],
                "lat": towns["lat"].tolist(),
                "lon": towns["lon"].tolist(),
                "zoom": [int(z) for z in towns["zoom"]],
            }
        )


DECLUTTER_JS = """
window.essOverlaps = function (box, taken) {
    for (var j = 0; j < taken.length; j++) {
        var t = taken[j];
        if (box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1]) {
            return true;
        }
    }
    return false;
};
"""
"""Rectangle overlap test shared by the place names and the circle counts."""


class Declutter(_RawMacro):
    """Defines ``window.essOverlaps`` (see :data:`DECLUTTER_JS`)."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Declutter"
        self.code = DECLUTTER_JS


class CircleLabels(_MapElement):
    """Hide the counts of circles that would overlap a count already shown.

    Counts are considered from the largest circle down (the order
    :class:`ess_geo.maps.layers.CircleLayer` draws them), again after each
    zoom; the place names then avoid the counts shown.

    Parameters
    ----------
    circles : ess_geo.maps.layers.CircleLayer
        The layer whose counts are decluttered (added before this element).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, group) {
    var labels = [];
    group.eachLayer(function (l) { if (l instanceof L.Marker) { labels.push(l); } });
    var taken = [];
    var run = function () {
        taken = [];
        labels.forEach(function (label) {
            var el = label.getElement();
            if (!el) { return; }
            var p = map.latLngToContainerPoint(label.getLatLng());
            var w = el.textContent.length * 7 + 6, h = 16;
            var box = [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
            var hidden = window.essOverlaps(box, taken);
            el.style.display = hidden ? "none" : "";
            if (!hidden) { taken.push(box); }
        });
        map.fire("essredraw");
    };
    window.essTaken = function () { return taken.slice(); };
    group.on("add", function () { map.on("zoomend", run); setTimeout(run, 0); });
    group.on("remove", function () {
        map.off("zoomend", run); taken = []; map.fire("essredraw");
    });
    if (map.hasLayer(group)) { map.on("zoomend", run); setTimeout(run, 0); }
})({{ this.map_name }}, {{ this.circles.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, circles: _MapElement) -> None:
        super().__init__()
        self._name = "CircleLabels"
        self.circles = circles


LEGENDS_KEPT_OPEN = ("Familles de l'ESS", "Nombre d'acteurs")
"""Titles of the legends never folded over a selection: they read its points."""


class LegendFold(_MapElement):
    """Fold the legends that would cover the selected territory.

    Once the map has moved to a new selection (``token``), every open
    legend whose box meets the selection's box on screen is folded (the
    classes, the outlines), except the small legends that decode the points
    drawn inside it (:data:`LEGENDS_KEPT_OPEN`); the person can open a
    folded legend again.

    Parameters
    ----------
    token : str
        The selection's ref (the fold happens once per selection).
    bounds : (minx, miny, maxx, maxy)
        Longitude/latitude box of the selection.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map) {
    if (window.essFoldToken === {{ this.token|tojson }}) { return; }
    window.essFoldToken = {{ this.token|tojson }};
    var keep = {{ this.keep|tojson }};
    var fold = function () {
        var b = {{ this.bounds|tojson }};
        var a = map.latLngToContainerPoint([b[1][0], b[0][1]]);
        var c = map.latLngToContainerPoint([b[0][0], b[1][1]]);
        var box = [Math.min(a.x, c.x), Math.min(a.y, c.y),
                   Math.max(a.x, c.x), Math.max(a.y, c.y)];
        var origin = map.getContainer().getBoundingClientRect();
        map.getContainer().querySelectorAll(".ess-legend").forEach(function (el) {
            var details = el.querySelector("details[open]");
            if (!details) { return; }
            var summary = details.querySelector("summary");
            if (summary && keep.indexOf(summary.textContent) >= 0) { return; }
            var r = el.getBoundingClientRect();
            var legend = [r.left - origin.left, r.top - origin.top,
                          r.right - origin.left, r.bottom - origin.top];
            if (window.essOverlaps(legend, [box])) { details.removeAttribute("open"); }
        });
    };
    map.once("moveend", function () { setTimeout(fold, 0); });
    setTimeout(fold, 400);
})({{ this.map_name }});
{% endmacro %}"""
    )

    def __init__(
        self,
        token: str,
        bounds: tuple[float, float, float, float],
        keep: tuple[str, ...] = LEGENDS_KEPT_OPEN,
    ) -> None:
        super().__init__()
        self._name = "LegendFold"
        self.token = token
        self.keep = list(keep)
        self.bounds = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]


def labels_without_overlap(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]]
) -> list[bool]:
    """Which labels a greedy placement keeps, in the given order (as the JS does).

    Parameters
    ----------
    points : sequence of (x, y)
        Label centres, in pixels.
    sizes : sequence of (width, height)

    Returns
    -------
    list of bool

    Examples
    --------
    >>> labels_without_overlap([(0, 0), (10, 0), (40, 0)], [(30, 16)] * 3)
    [True, False, True]
    """
    taken: list[tuple[float, float, float, float]] = []
    kept = []
    for (x, y), (w, h) in zip(points, sizes, strict=True):
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        clear = all(
            not (box[0] < t[2] and box[2] > t[0] and box[1] < t[3] and box[3] > t[1])
            for t in taken
        )
        if clear:
            taken.append(box)
        kept.append(clear)
    return kept
