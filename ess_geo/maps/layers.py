"""Leaflet layers of the Carte: compact GeoJSON, circles, actor markers, legends.

Each class here is a folium element whose JavaScript is written for the
Carte's needs: data travel as compact JSON (no per-feature style objects),
every feature carries a short ``ref`` (``"epci:242900314"``,
``"acteur:17"``) that a click sends back to the page instead of its
geometry, and legends are Leaflet controls that come and go with their
layer. The layers work inside the feature groups that streamlit-folium
swaps without rebuilding the map.

Every text that reaches HTML is escaped by the functions that build the
data (:func:`tooltip`, :func:`actor_records`, the legend builders), never
left to the browser. And what these layers write is never parsed again as a
Jinja template (as folium does with its own elements' output), so that data
can neither break the page nor run on the server.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import folium
import folium.elements
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from jinja2 import Template

from ess_geo import formats
from ess_geo.actors import FAMILY_LABELS, naf_label
from ess_geo.analysis.classify import NO_DATA_COLOUR, Classification
from ess_geo.maps.bundle import CLUSTER_LOADER_JS, cluster_urls
from ess_geo.text import escape_html

__all__ = [
    "FAMILY_COLOURS",
    "ActorLayer",
    "CanvasRenderer",
    "CircleLayer",
    "FitOnce",
    "FocusWithoutScroll",
    "GeoJsonLayer",
    "LegendControl",
    "RendererSwitch",
    "circle_legend_html",
    "circle_radii",
    "class_legend_html",
    "family_legend_html",
    "feature",
    "outline_legend_html",
    "tooltip",
]

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
FAMILY_COLOURS: dict[str, str] = {
    "association": "#0072B2",
    "cooperative": "#E69F00",
    "mutuelle": "#009E73",
    "fondation": "#CC79A7",
    "societe_commerciale": "#D55E00",
}


def _compact_json(data: object) -> str:
    """JSON without spaces, safe inside a ``<script>`` element."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("</", "<\\/")


class _Raw(Element):
    """Text put in the page as it is, never parsed as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        """The text itself."""
        return self.text


class _RawMacro(MacroElement):
    """A macro element whose rendered script is inserted verbatim.

    branca's ``MacroElement.render`` wraps the script it renders in a new
    ``Element``, which compiles it as a Jinja template: slow for megabytes
    of GeoJSON, and a template injection for any ``{{ … }}`` in the data.
    """

    def render(self, **kwargs: object) -> None:
        """Add the element's links and script to the figure, then its children's."""
        figure = self.get_root()
        for name, url in getattr(self, "default_js", ()):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", ()):
            figure.header.add_child(CssLink(url), name=name)
        script = self._template.module.__dict__.get("script")
        if script is not None:
            figure.script.add_child(_Raw(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _MapElement(_RawMacro):
    """A folium element that knows the name of the map it ends up in."""

    @property
    def map_name(self) -> str:
        """JavaScript name of the enclosing ``folium.Map``."""
        element = self._parent
        while element is not None and not isinstance(element, folium.Map):
            element = element._parent
        if element is None:
            raise ValueError(f"{type(self).__name__} must be added inside a map")
        return element.get_name()


def feature(geometry: str, properties: Mapping[str, object]) -> str:
    """One GeoJSON feature as compact JSON, from its geometry's JSON.

    Parameters
    ----------
    geometry : str
        Compact GeoJSON geometry (see :func:`ess_geo.maps.mapview.geometry_json`).
    properties : mapping
        JSON-serialisable properties (strings already escaped if they are
        HTML).

    Returns
    -------
    str

    Examples
    --------
    >>> feature('{"type":"Point","coordinates":[1,2]}', {"r": "epci:1"})[-35:]
    '[1,2]},"properties":{"r":"epci:1"}}'
    """
    return (
        f'{{"type":"Feature","geometry":{geometry},'
        f'"properties":{_compact_json(dict(properties))}}}'
    )


def tooltip(title: str, lines: Sequence[str] = ()) -> str:
    """Tooltip HTML: a bold escaped title and escaped lines under it.

    Examples
    --------
    >>> tooltip("<b>Brest</b>", ["12 structures"])
    '<strong>&lt;b&gt;Brest&lt;/b&gt;</strong><br>12 structures'
    """
    parts = [f"<strong>{escape_html(title)}</strong>"]
    parts += [escape_html(line) for line in lines]
    return "<br>".join(parts)


class CanvasRenderer(_RawMacro):
    """A shared Leaflet canvas renderer, ``window.essCanvas``, for busy views.

    Layers drawn with ``canvas=True`` use it. Keep every clickable layer of
    a view on the same renderer: a canvas catches the clicks over its whole
    area, so clickable SVG shapes under it would stop answering.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
window.essCanvas = L.canvas({padding: 0.5, tolerance: 4});
{% endmacro %}"""
    )


class FocusWithoutScroll(_MapElement):
    """Let the map take the keyboard focus without scrolling the page.

    Leaflet focuses the map on mouse-down (for keyboard navigation). In a
    frame partly out of view, that focus scrolls the page under the pointer
    between mouse-down and mouse-up, and the click lands on whatever came
    under it. Focusing with ``preventScroll`` keeps the keyboard navigation
    and the click where the person pressed.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map) {
    if (!map.keyboard) { return; }
    map.keyboard.disable();
    L.Map.Keyboard.prototype._onMouseDown = function () {
        if (this._focused) { return; }
        this._map._container.focus({preventScroll: true});
    };
    map.keyboard.enable();
})({{ this.map_name }});
{% endmacro %}"""
    )


class GeoJsonLayer(_MapElement):
    """Polygons or lines from GeoJSON features, with tooltips and click refs.

    Parameters
    ----------
    features : list of str
        GeoJSON features as JSON (:func:`feature`). Recognised properties:
        ``t``, tooltip HTML (already escaped, see :func:`tooltip`); ``r``,
        the ref sent back on click; ``c``, the fill colour; ``d``, a dash
        pattern.
    style : mapping
        Leaflet path options shared by every feature.
    interactive : bool, default True
        Whether the features answer the mouse (tooltip, highlight, click).
    highlight : mapping, optional
        Style applied while the mouse is over a feature.
    canvas : bool, default False
        Draw with :class:`CanvasRenderer` instead of SVG.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJson({{ this.data }}, {
    {%- if this.canvas %}renderer: window.essCanvas,{% endif %}
    interactive: {{ this.interactive|tojson }},
    smoothFactor: 0.5,
    style: function (feature) {
        var style = Object.assign({}, {{ this.style|tojson }});
        if (feature.properties.c) { style.fillColor = feature.properties.c; }
        if (feature.properties.d) { style.dashArray = feature.properties.d; }
        return style;
    },
    onEachFeature: function (feature, layer) {
        var p = feature.properties;
        {%- if this.interactive %}
        if (p.t) { layer.bindTooltip(p.t, {sticky: true}); }
        if (p.r) {
            layer.toGeoJSON = function () {
                return {type: "Feature", geometry: null, properties: {ref: p.r}};
            };
        }
        {%- if this.highlight %}
        layer.on("mouseover", function () {
            layer.setStyle({{ this.highlight|tojson }});
        });
        layer.on("mouseout", function () {
            {{ this.get_name() }}.resetStyle(layer);
        });
        {%- endif %}
        {%- endif %}
    }
});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}"""
    )

    def __init__(
        self,
        features: Sequence[str],
        *,
        style: Mapping[str, object],
        interactive: bool = True,
        highlight: Mapping[str, object] | None = None,
        canvas: bool = False,
    ) -> None:
        super().__init__()
        self._name = "GeoJsonLayer"
        self.count = len(features)
        self.data = (
            '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
        ).replace("</", "<\\/")
        self.style = dict(style)
        self.interactive = interactive
        self.highlight = dict(highlight) if highlight else None
        self.canvas = canvas


def circle_radii(counts: pd.Series, max_radius: float = 36.0) -> pd.Series:
    """Radius in pixels of proportional circles: area proportional to the count.

    Parameters
    ----------
    counts : pandas.Series
        Non-negative counts.
    max_radius : float, default 36
        Radius of the largest count.

    Returns
    -------
    pandas.Series
        Radii, at least 2 px for any positive count, 0 for 0.

    Examples
    --------
    >>> circle_radii(pd.Series([100, 25, 1, 0]), max_radius=20).tolist()
    [20.0, 10.0, 2.0, 0.0]
    """
    values = counts.astype("float64")
    top = values.max()
    if not top or math.isnan(top):
        return values * 0
    radii = max_radius * np.sqrt(values / top)
    return radii.where(values <= 0, radii.clip(lower=2.0)).round(1)


# Circles are sized for a desktop map; a phone's narrow map gets them smaller
# (down to half), so that they do not hide the territories. The circle legend
# scales its reference circles the same way.
_CIRCLE_SCALE_JS = (
    "function (map) { var width = map.getContainer().clientWidth || 800;"
    " return Math.max(0.5, Math.min(1, width / 560)); }"
)


class CircleLayer(_MapElement):
    """Proportional circles, the count written in the larger ones.

    Parameters
    ----------
    circles : pandas.DataFrame
        ``lat``, ``lon``, ``radius`` (px on a map 560 px wide or more,
        smaller on narrower maps, down to half), ``tip`` (tooltip HTML, escaped),
        ``ref`` (click ref) and ``label`` (text shown in the circle when it
        is drawn 13 px or more; empty for none).
    canvas : bool, default False
        Draw with :class:`CanvasRenderer`.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup();
(function () {
    var d = {{ this.data }};
    var scale = ({{ this.scale_js }})({{ this.map_name }});
    for (var i = 0; i < d.lat.length; i++) {
        var radius = d.radius[i] * scale;
        var circle = L.circleMarker([d.lat[i], d.lon[i]], {
            {%- if this.canvas %}renderer: window.essCanvas,{% endif %}
            radius: radius, color: "#ffffff", weight: 1,
            fillColor: "#3b3b3b", fillOpacity: 0.55
        });
        circle.bindTooltip(d.tip[i]);
        (function (ref) {
            circle.toGeoJSON = function () {
                return {type: "Feature", geometry: null, properties: {ref: ref}};
            };
        })(d.ref[i]);
        {{ this.get_name() }}.addLayer(circle);
        if (d.label[i] && radius >= 13) {
            {{ this.get_name() }}.addLayer(L.marker([d.lat[i], d.lon[i]], {
                interactive: false, keyboard: false,
                icon: L.divIcon({className: "ess-count", html: d.label[i],
                                 iconSize: [48, 16], iconAnchor: [24, 8]})
            }));
        }
    }
})();
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}"""
    )

    scale_js = _CIRCLE_SCALE_JS

    def __init__(self, circles: pd.DataFrame, *, canvas: bool = False) -> None:
        super().__init__()
        self._name = "CircleLayer"
        ordered = circles.sort_values("radius", ascending=False)  # small ones on top
        self.count = len(ordered)
        self.data = _compact_json(
            {
                "lat": ordered["lat"].round(5).tolist(),
                "lon": ordered["lon"].round(5).tolist(),
                "radius": ordered["radius"].tolist(),
                "tip": ordered["tip"].tolist(),
                "ref": ordered["ref"].tolist(),
                "label": [escape_html(str(v)) for v in ordered["label"]],
            }
        )
        self.canvas = canvas


def actor_records(actors: pd.DataFrame) -> dict[str, list]:
    """Actors as compact columns for :class:`ActorLayer`, every text escaped.

    Parameters
    ----------
    actors : pandas.DataFrame
        Indexed by actor id: ``nom``, ``famille``, ``naf``, ``nom_commune``
        (or ``commune``), ``latitude``, ``longitude``. Rows without
        coordinates are left out.

    Returns
    -------
    dict
        ``lat``, ``lon``, ``id``, ``nom``, ``fam`` (index into ``familles``),
        ``com`` (index into ``communes``), ``act`` (index into
        ``activites``) and the lookup lists ``familles``, ``couleurs``,
        ``communes``, ``activites``.
    """
    located = actors.dropna(subset=["latitude", "longitude"])
    families = list(FAMILY_COLOURS)
    family_index = located["famille"].map({f: i for i, f in enumerate(families)})
    commune = located["nom_commune"] if "nom_commune" in located else located["commune"]
    commune_codes, commune_names = pd.factorize(commune.fillna("—").astype(str))
    activity = naf_label(located["naf"]).fillna(located["naf"]).fillna("—")
    activity_codes, activity_names = pd.factorize(activity.astype(str))
    return {
        "lat": located["latitude"].astype("float64").round(5).tolist(),
        "lon": located["longitude"].astype("float64").round(5).tolist(),
        "id": [str(i) for i in located.index],
        "nom": [escape_html(str(n)) for n in located["nom"]],
        "fam": family_index.fillna(-1).astype(int).tolist(),
        "com": commune_codes.tolist(),
        "act": activity_codes.tolist(),
        "familles": [escape_html(FAMILY_LABELS[f]) for f in families],
        "couleurs": [FAMILY_COLOURS[f] for f in families],
        "communes": [escape_html(n) for n in commune_names],
        "activites": [escape_html(a) for a in activity_names],
    }


class ActorLayer(_MapElement):
    """Actors as clustered circle markers coloured by famille, with a popup each.

    Markers are Leaflet circle markers grouped by Leaflet.markercluster,
    which the layer loads the first time one is drawn in the frame
    (:data:`ess_geo.maps.bundle.CLUSTER_LOADER_JS`): a map without actors
    never loads it. Clusters show their count. A click on
    a marker opens its popup (nom, famille, activité, commune) and sends
    ``acteur:<id>`` back to the page.

    Parameters
    ----------
    actors : pandas.DataFrame
        As :func:`actor_records` reads it.
    canvas : bool, default True
        Draw the markers with :class:`CanvasRenderer`.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this.loader }}
// A stand-in on the map from the start (streamlit-folium listens to its
// clicks); the clusters come in it once Leaflet.markercluster is loaded.
var {{ this.get_name() }} = L.featureGroup();
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
window.essNeedClusters({{ this.cluster_urls }}, function () {
var clusters = L.markerClusterGroup({
    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 16,
    iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 42 : 50;
        return L.divIcon({
            html: "<span>" + n + "</span>", className: "ess-cluster",
            iconSize: L.point(size, size)
        });
    }
});
(function () {
    var d = {{ this.data }};
    var markers = [];
    for (var i = 0; i < d.lat.length; i++) {
        var family = d.fam[i];
        var marker = L.circleMarker([d.lat[i], d.lon[i]], {
            {%- if this.canvas %}renderer: window.essCanvas,{% endif %}
            radius: 6, color: "#ffffff", weight: 1, fillOpacity: 0.9,
            fillColor: family >= 0 ? d.couleurs[family] : "#555555"
        });
        marker.bindTooltip(d.nom[i]);
        marker.bindPopup(function (i) {
            return function () {
                return "<strong>" + d.nom[i] + "</strong><br>"
                    + "Famille : " + (d.fam[i] >= 0 ? d.familles[d.fam[i]] : "—")
                    + "<br>Activité : " + d.activites[d.act[i]]
                    + "<br>Commune : " + d.communes[d.com[i]];
            };
        }(i));
        (function (ref) {
            marker.toGeoJSON = function () {
                return {type: "Feature", geometry: null, properties: {ref: ref}};
            };
        })("acteur:" + d.id[i]);
        markers.push(marker);
    }
    clusters.addLayers(markers);
})();
{{ this.get_name() }}.addLayer(clusters);
});
{% endmacro %}"""
    )

    def __init__(self, actors: pd.DataFrame, *, canvas: bool = True) -> None:
        super().__init__()
        self._name = "ActorLayer"
        self.records = actor_records(actors)
        self.data = _compact_json(self.records)
        self.canvas = canvas
        self.loader = CLUSTER_LOADER_JS
        urls = cluster_urls()
        self.cluster_urls = _compact_json({"js": urls.js, "css": urls.css})


class LegendControl(_MapElement):
    """A legend in a corner of the map, shown while its feature group is.

    The legend is a ``<details>`` box (open on maps wider than 520 px,
    folded on phones) with a class ``ess-legend``.


    Parameters
    ----------
    title : str
        Plain text, escaped here.
    body : str
        HTML, already escaped by its builder.
    position : str, default "bottomright"
        A Leaflet control corner.
    folded : bool, default False
        Start folded whatever the map's width.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new (L.Layer.extend({
    onAdd: function (map) {
        var control = L.control({position: {{ this.position|tojson }}});
        control.onAdd = function () {
            var box = L.DomUtil.create("div", "ess-legend leaflet-control");
            box.setAttribute("role", "note");
            box.innerHTML = {{ this.html|tojson }};
            var scale = ({{ this.scale_js }})(map);
            box.querySelectorAll("svg.ess-scale").forEach(function (svg) {
                svg.setAttribute("width", svg.viewBox.baseVal.width * scale);
                svg.setAttribute("height", svg.viewBox.baseVal.height * scale);
            });
            var details = box.querySelector("details");
            if (details && map.getSize().x < 520) {
                details.removeAttribute("open");
            }
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        };
        this._control = control.addTo(map);
    },
    onRemove: function (map) { map.removeControl(this._control); }
}))();
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}"""
    )

    scale_js = _CIRCLE_SCALE_JS

    def __init__(
        self,
        title: str,
        body: str,
        *,
        position: str = "bottomright",
        folded: bool = False,
    ) -> None:
        super().__init__()
        self._name = "LegendControl"
        self.title = title
        opened = "" if folded else " open"
        self.html = (
            f"<details{opened}><summary>{escape_html(title)}</summary>{body}</details>"
        )
        self.position = position


class RendererSwitch(_MapElement):
    """Detach the shared canvas when a view is drawn in SVG.

    An empty canvas left on the map would still catch every click over it,
    and the SVG shapes underneath would stop answering.

    Parameters
    ----------
    canvas : bool
        Whether this view uses :class:`CanvasRenderer` (then nothing is done).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
{%- if not this.canvas %}
if (window.essCanvas && {{ this.map_name }}.hasLayer(window.essCanvas)) {
    {{ this.map_name }}.removeLayer(window.essCanvas);
}
{%- endif %}
{% endmacro %}"""
    )

    def __init__(self, canvas: bool) -> None:
        super().__init__()
        self._name = "RendererSwitch"
        self.canvas = canvas


class FitOnce(_MapElement):
    """Fit the map to a box, once per ``token``.

    The feature groups are evaluated again whenever the page's data change
    (a filter, say); the map moves only when the token does, so a person's
    own panning and zooming survive filter changes. A map not laid out yet
    (no height) is fitted as soon as it gets its size.

    Parameters
    ----------
    token : str
        Identifies the requested view (the selected territory's ref).
    bounds : (minx, miny, maxx, maxy)
        Longitude/latitude box to fit, whatever the map's size.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
if (window.essFitToken !== {{ this.token|tojson }}) {
    window.essFitToken = {{ this.token|tojson }};
    (function (map) {
        var fit = function () {
            map.fitBounds({{ this.bounds|tojson }}, {maxZoom: 14});
        };
        // A map whose frame is not laid out yet has no size: fit once it has.
        if (map.getSize().y > 0) { fit(); } else { map.once("resize", fit); }
    })({{ this.map_name }});
}
{% endmacro %}"""
    )

    def __init__(self, token: str, bounds: tuple[float, float, float, float]) -> None:
        super().__init__()
        self._name = "FitOnce"
        self.token = token
        self.bounds = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]


def _swatch(colour: str, *, shape: str = "square", border: str = "#666") -> str:
    radius = "50%" if shape == "circle" else "2px"
    return (
        f'<span class="ess-swatch" style="background:{colour};'
        f'border-radius:{radius};border-color:{border}"></span>'
    )


def class_legend_html(
    classification: Classification,
    *,
    decimals: int,
    method_label: str,
    maille_label: str,
    no_data_label: str = "Sans donnée",
) -> str:
    """The body of a classed choropleth legend.

    Parameters
    ----------
    classification : Classification
    decimals : int
        Decimals of the class bounds.
    method_label : str
        How the classes were made, named under them.
    maille_label : str
        What the territories are (``"EPCI"``), said with the counts.
    no_data_label : str
        Label of the grey class.

    Returns
    -------
    str
        HTML (escaped): one row per class with its colour, bounds and the
        number of territories in it, then the no-data row when needed, then
        the method.
    """
    rows = [
        f"<li>{_swatch(colour)}{escape_html(label)} "
        f'<span class="ess-muted">({count})</span></li>'
        for colour, label, count in zip(
            classification.colours,
            classification.labels(decimals),
            classification.counts,
            strict=True,
        )
    ]
    if classification.missing:
        rows.append(
            f"<li>{_swatch(NO_DATA_COLOUR)}{escape_html(no_data_label)} "
            f'<span class="ess-muted">({classification.missing})</span></li>'
        )
    if not rows:
        rows.append(f"<li>{escape_html(no_data_label)}</li>")
    return (
        f"<ul>{''.join(rows)}</ul>"
        f'<p class="ess-muted">{escape_html(maille_label)} ; classes : '
        f"{escape_html(method_label)}</p>"
    )


def circle_legend_html(max_count: int, max_radius: float, what: str) -> str:
    """The body of a proportional-circles legend: three reference circles.

    Parameters
    ----------
    max_count : int
        The largest count drawn (it has ``max_radius``).
    max_radius : float
        Its radius in pixels.
    what : str
        What a circle counts (``"acteurs par EPCI"``), plain text.

    Returns
    -------
    str
        HTML (escaped).
    """
    if max_count <= 0:
        return f"<p>{escape_html(what)} : aucun</p>"
    references = sorted({max_count, _nice(max_count / 4), _nice(max_count / 16)})
    references = [r for r in references if r > 0]
    radii = [max_radius * math.sqrt(r / max_count) for r in references]
    size = int(2 * max_radius + 4)
    circles = "".join(
        f'<circle cx="{size / 2:.1f}" cy="{size - 2 - r:.1f}" r="{r:.1f}" '
        'fill="rgba(59,59,59,.25)" stroke="#3b3b3b"/>'
        for r in sorted(radii, reverse=True)
    )
    labels = " · ".join(formats.number(r) for r in sorted(references, reverse=True))
    return (
        f'<svg class="ess-scale" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" aria-hidden="true">{circles}</svg>'
        f"<p>{escape_html(labels)}<br>"
        f'<span class="ess-muted">{escape_html(what)}</span></p>'
    )


def _nice(value: float) -> int:
    """A round number near ``value`` (1, 2 or 5 times a power of ten)."""
    if value < 1:
        return 0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power * 1.5:
            return int(step * power)
    return int(10 * power)


def family_legend_html(counts: Mapping[str, int] | None = None) -> str:
    """The body of the famille legend, with the number of actors of each.

    Parameters
    ----------
    counts : mapping, optional
        Famille -> actors drawn.

    Returns
    -------
    str
        HTML (escaped).
    """
    rows = []
    for famille, colour in FAMILY_COLOURS.items():
        count = "" if counts is None else f" ({formats.number(counts.get(famille, 0))})"
        rows.append(
            f"<li>{_swatch(colour, shape='circle', border='#fff')}"
            f"{escape_html(FAMILY_LABELS[famille])}{escape_html(count)}</li>"
        )
    return f"<ul>{''.join(rows)}</ul>"


def outline_legend_html(entries: Sequence[tuple[str, Mapping[str, object]]]) -> str:
    """The body of a legend of outlines: one line sample per entry.

    Parameters
    ----------
    entries : sequence of (label, style)
        Plain-text label and the Leaflet style of the line (``color``,
        ``weight``, ``dashArray``).

    Returns
    -------
    str
        HTML (escaped).
    """
    rows = []
    for label, style in entries:
        dash = style.get("dashArray")
        dash_attr = f' stroke-dasharray="{escape_html(str(dash))}"' if dash else ""
        rows.append(
            '<li><svg width="28" height="10" aria-hidden="true">'
            f'<line x1="1" y1="5" x2="27" y2="5" stroke="{style.get("color")}" '
            f'stroke-width="{style.get("weight", 1)}"{dash_attr}/></svg> '
            f"{escape_html(label)}</li>"
        )
    return f"<ul>{''.join(rows)}</ul>"
