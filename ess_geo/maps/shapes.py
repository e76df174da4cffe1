"""Territory shapes sent to the browser once, then only styles.

The Carte's choropleth and outlines used to carry their polygons in every
map message (1.6 MB of EPCI for a filter change that only recolours them).
Here each level's display geometry is written once per process to a small
static file, ``static/geo/<level>-<detail>-<hash>.json``, that Streamlit
serves at ``/app/static/geo/…``: the browser fetches it once (the name
changes with the content, so it never goes stale) and keeps the decoded
shapes in the map's frame (``window.essShapes``). A map message then holds
only, per territory, its position in the file and its colour, tooltip and
click ref.

The files are compact: coordinates quantised to integers (1e-4° for the
display detail, about 10 m; 1e-3° for the coarse one) and delta-encoded per
ring. Two details per level: ``coarse`` (a coverage-preserving
simplification, neighbours stay joined) below zoom :data:`DETAIL_ZOOM`, the
display geometry above it.

When ``static/`` cannot be written, :func:`shape_urls` returns None and the
layers fall back to inline GeoJSON.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import shapely
from jinja2 import Template

from ess_geo import paths
from ess_geo.geo import geography
from ess_geo.maps.assets import write_static
from ess_geo.maps.layers import (
    GeoJsonLayer,
    _compact_json,
    _MapElement,
    _RawMacro,
    tooltip,
)
from ess_geo.text import escape_html

__all__ = [
    "COARSE_TOLERANCE",
    "DETAIL_ZOOM",
    "QUANTUM",
    "SHAPES_DIR",
    "ShapeLayer",
    "ShapesLibrary",
    "decode_rings",
    "encode_shapes",
    "geometry_urls",
    "prefetch_url",
    "shape_layer",
    "shape_urls",
    "territory_names",
    "tooltip_html",
]

SHAPES_DIR: Path = paths.STATIC_DIR / "geo"
"""Where the shape files are written (generated, not versioned)."""

QUANTUM: dict[str, float] = {"coarse": 1e-3, "display": 1e-4}
"""Size of a coordinate step, in degrees, of each detail."""

COARSE_TOLERANCE = 0.02
"""Coverage simplification of the coarse detail (degrees): under a pixel
at national zooms."""

DETAIL_ZOOM = 8
"""From this zoom on, the display detail is drawn; below it the coarse one."""


def _ring_codes(ring: np.ndarray, quantum: float) -> list[int]:
    steps = np.round(ring / quantum).astype(np.int64)
    deltas = np.diff(steps, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    keep = np.ones(len(deltas), dtype=bool)
    keep[1:] = np.any(deltas[1:] != 0, axis=1)  # repeated points say nothing
    return deltas[keep].ravel().tolist()


def _polygons(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, shapely.Polygon):
        return [geometry]
    if isinstance(geometry, shapely.MultiPolygon):
        return list(geometry.geoms)
    return [p for g in getattr(geometry, "geoms", ()) for p in _polygons(g)]


def encode_shapes(geometries: Sequence[shapely.Geometry], quantum: float) -> list:
    """Polygons as lists of delta-encoded integer rings.

    Parameters
    ----------
    geometries : sequence of shapely geometries
        Polygons or multipolygons (longitude, latitude).
    quantum : float
        Degrees per integer step.

    Returns
    -------
    list
        One entry per geometry: a list of polygons, each a list of rings,
        each ring ``[x0, y0, dx1, dy1, …]`` in steps of ``quantum``.

    Examples
    --------
    >>> encode_shapes([shapely.box(1, 2, 1.5, 2.25)], 0.25)
    [[[[6, 8, 0, 1, -2, 0, 0, -1, 2, 0]]]]
    """
    return [
        [
            [
                _ring_codes(np.asarray(ring.coords)[:, :2], quantum)
                for ring in (polygon.exterior, *polygon.interiors)
            ]
            for polygon in _polygons(geometry)
        ]
        for geometry in geometries
    ]


def decode_rings(shape: list, quantum: float) -> list[list[list[float]]]:
    """The rings of one encoded shape, as ``[[lon, lat], …]`` (the JS does the same).

    Examples
    --------
    >>> decode_rings([[[6, 8, 0, 1, -2, 0]]], 0.25)
    [[[1.5, 2.0], [1.5, 2.25], [1.0, 2.25]]]
    """
    rings = []
    for polygon in shape:
        for codes in polygon:
            x = y = 0
            ring = []
            for i in range(0, len(codes), 2):
                x += codes[i]
                y += codes[i + 1]
                ring.append([x * quantum, y * quantum])
            rings.append(ring)
    return rings


def _payload(level: str, detail: str) -> bytes:
    from ess_geo.maps.mapview import layer_index

    index = layer_index(level)
    layer = geography.load_layer(level).set_index("code")
    geometries = layer.geometry.reindex(index.codes).to_numpy()
    if detail == "coarse":
        try:
            geometries = shapely.coverage_simplify(geometries, COARSE_TOLERANCE)
        except (ValueError, shapely.errors.GEOSException):
            geometries = shapely.simplify(geometries, COARSE_TOLERANCE / 4)
    data = {
        "q": QUANTUM[detail],
        "s": encode_shapes(geometries, QUANTUM[detail]),
        "k": [str(code) for code in index.codes],
        "n": [escape_html(name) for name in territory_names(level)],
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def territory_names(level: str) -> list[str]:
    """Names of a level's territories, in the order of the shape files (plain text).

    A territory without a name is named by its code.
    """
    from ess_geo.maps.mapview import layer_index

    codes = layer_index(level).codes
    names = geography.territories(level)["nom"].reindex(codes)
    return [
        str(name) if isinstance(name, str) and name else str(code)
        for code, name in zip(codes, names, strict=True)
    ]


def tooltip_html(name: str, labels: Sequence[str], values: Sequence[str]) -> str:
    """A territory's tooltip as ``shapes.js`` composes it from ``labels`` and ``v``.

    The same HTML as :func:`ess_geo.maps.layers.tooltip` of the name and the
    lines ``"<label> : <value>"``.

    Examples
    --------
    >>> tooltip_html("Brest <Métropole>", ["Structures"], ["12"])
    '<strong>Brest &lt;Métropole&gt;</strong><br>Structures : 12'
    """
    return tooltip(
        name,
        [f"{label} : {value}" for label, value in zip(labels, values, strict=True)],
    )


def _write_static(name: str, payload: bytes) -> str | None:
    """Write a file under :data:`SHAPES_DIR` once; its URL (None if unwritable)."""
    return write_static(SHAPES_DIR, name, payload)


@functools.cache
def shape_urls(level: str) -> dict[str, str] | None:
    """The URLs of a level's shape files, written on first call (None if unwritable).

    Parameters
    ----------
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS` with polygons.

    Returns
    -------
    dict or None
        ``{"coarse": url, "display": url}``; the shapes are in the order of
        :func:`ess_geo.maps.mapview.layer_index`.
    """
    urls = {}
    for detail in QUANTUM:
        payload = _payload(level, detail)
        digest = hashlib.sha256(payload).hexdigest()[:12]
        url = _write_static(f"{level}-{detail}-{digest}.json", payload)
        if url is None:
            return None
        urls[detail] = url
    return urls


_GEOMETRY_FILES: dict[str, dict[str, str] | None] = {}


def geometry_urls(
    kind: str,
    geometries: Sequence[shapely.Geometry],
    columns: Mapping[str, Sequence[object]],
) -> dict[str, str] | None:
    """Any polygons (not a level's) as a shape file, written once per content.

    For layers that change with the workspace, not with a filter (the
    networks' perimeters): the file holds the shapes and, per shape, what
    :class:`ShapeLayer` would otherwise receive in every message.

    Parameters
    ----------
    kind : str
        Start of the file's name (``"reseaux"``).
    geometries : sequence of shapely geometries
        Polygons or multipolygons, longitude/latitude, at the display detail.
    columns : mapping
        Per-shape arrays stored in the file, as ``shapes.js`` reads them:
        ``t`` tooltip HTML (escaped), ``r`` click ref, ``d`` dash pattern
        (None for none), ``k`` code, ``n`` name (escaped).

    Returns
    -------
    dict or None
        ``{"coarse": url, "display": url}`` (the same file), None when
        ``static/`` cannot be written.
    """
    digest = hashlib.sha256(kind.encode())
    for geometry in geometries:
        digest.update(shapely.to_wkb(geometry) if geometry is not None else b"-")
    digest.update(json.dumps(columns, sort_keys=True, default=str).encode())
    key = digest.hexdigest()
    if key not in _GEOMETRY_FILES:
        data = {
            "q": QUANTUM["display"],
            "s": encode_shapes(geometries, QUANTUM["display"]),
            **{name: list(values) for name, values in columns.items()},
        }
        payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        url = _write_static(f"{kind}-{key[:12]}.json", payload)
        _GEOMETRY_FILES[key] = None if url is None else {"coarse": url, "display": url}
    return _GEOMETRY_FILES[key]


_PREFETCH = """%s.forEach(function (url) {  // asked first: nothing runs before them
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = url;
    document.head.appendChild(link);
});
%s.forEach(function (url) {  // streamlit-folium adds them only after the scripts
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
});
window.essPrefetch = window.essPrefetch || {};
%s.forEach(function (url) {
    if (window.essPrefetch[url]) { return; }
    window.essPrefetch[url] = fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
    });
    window.essPrefetch[url].catch(function () {});  // shapes.js fetches again
});
"""


@functools.cache
def prefetch_url(
    levels: tuple[str, ...],
    detail: str = "coarse",
    *,
    files: tuple[str, ...] = (),
    styles: tuple[str, ...] = (),
    scripts: tuple[str, ...] = (),
) -> str | None:
    """A script that starts fetching some shape files (None if unwritable).

    Loaded by the map's frame before Leaflet (first in the map's
    ``default_js``), it fetches the files while the frame loads its
    scripts; :class:`ShapesLibrary` then takes the answers from
    ``window.essPrefetch`` instead of fetching them again. It also adds
    the map's stylesheets at once (streamlit-folium adds them only once
    every script has loaded), and asks for the map's next scripts first
    (``<link rel="preload">``): the server answers in order, and nothing
    runs before Leaflet.

    Parameters
    ----------
    levels : tuple of str
    detail : str, default "coarse"
        A key of :data:`QUANTUM` (the national view draws the coarse one).
    files : tuple of str
        URLs of other shape files to fetch (:func:`geometry_urls`).
    styles : tuple of str
        URLs of stylesheets to add to the frame.
    scripts : tuple of str
        URLs of the scripts streamlit-folium loads next, to preload.
    """
    urls = [shape_urls(level) for level in levels]
    if any(u is None for u in urls):
        return None
    wanted = [u[detail] for u in urls] + list(files)
    code = _PREFETCH % (
        json.dumps(list(scripts)),
        json.dumps(list(styles)),
        json.dumps(wanted),
    )
    code = code.encode()
    digest = hashlib.sha256(code).hexdigest()[:12]
    return _write_static(f"prefetch-{digest}.js", code)


_SCRIPT = (Path(__file__).with_name("shapes.js")).read_text(encoding="utf-8")


class ShapesLibrary(_RawMacro):
    """Defines ``window.essShapes`` (``shapes.js``); add it once to the map.

    It is part of the map's own script, which streamlit-folium runs (a
    ``<script>`` put in the header would not be).
    """

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ShapesLibrary"
        self.code = _SCRIPT


class ShapeLayer(_MapElement):
    """Territories of one level drawn from the browser's copy of their shapes.

    Parameters
    ----------
    level : str
    positions : sequence of int
        Positions in :func:`ess_geo.maps.mapview.layer_index` of the
        territories to draw.
    properties : sequence of mapping, optional
        One per position, as :class:`ess_geo.maps.layers.GeoJsonLayer` reads
        them (``c`` colour, ``t`` tooltip HTML, escaped, ``r`` click ref,
        ``d`` dash pattern), or ``v``: the values (plain text) of the
        tooltip's lines, which the browser composes with the territory's
        name from the shape file (:func:`tooltip_html`): a few bytes per
        territory instead of its whole tooltip.
    style, interactive, highlight, canvas
        As :class:`ess_geo.maps.layers.GeoJsonLayer`.
    tip_labels : sequence of str, optional
        The labels (plain text) of the tooltip's lines, with ``v``.
    ref_level : str, optional
        Without an ``r``, a territory's click ref is ``"<ref_level>:<code>"``,
        its code read from the shape file.
    urls : mapping, optional
        Shape files other than the level's (:func:`geometry_urls`); their
        ``t``, ``r`` and ``d`` columns stand for missing properties.
    lines : bool, default False
        Draw each shape's rings as lines (clickable on the line only, even
        on the canvas), not as polygons.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = window.essShapes.layer({{ this.data }},
    {{ this.map_name }});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}"""
    )

    def __init__(
        self,
        level: str,
        positions: Sequence[int],
        properties: Sequence[Mapping[str, object]] | None = None,
        *,
        style: Mapping[str, object],
        interactive: bool = True,
        highlight: Mapping[str, object] | None = None,
        canvas: bool = False,
        tip_labels: Sequence[str] | None = None,
        ref_level: str | None = None,
        urls: Mapping[str, str] | None = None,
        lines: bool = False,
    ) -> None:
        super().__init__()
        self._name = "ShapeLayer"
        self.level = level
        self.positions = [int(p) for p in positions]
        self.properties = [dict(p) for p in properties] if properties else None
        self.count = len(self.positions)
        self.tip_labels = list(tip_labels) if tip_labels else None
        self.ref_level = ref_level
        self.spec = {
            "urls": dict(urls) if urls else shape_urls(level),
            "zoom": DETAIL_ZOOM,
            "p": self.positions,
            "props": [_escaped(p) for p in self.properties]
            if self.properties
            else None,
            "style": dict(style),
            "interactive": interactive,
            "highlight": dict(highlight) if highlight else None,
            "canvas": canvas,
            "labels": [escape_html(label) for label in self.tip_labels]
            if self.tip_labels
            else None,
            "ref": ref_level,
            "lines": lines,
        }
        self.data = _compact_json(self.spec)


def _escaped(properties: dict[str, object]) -> dict[str, object]:
    """The properties as sent: the tooltip values escaped for HTML."""
    if "v" not in properties:
        return properties
    return {**properties, "v": [escape_html(str(v)) for v in properties["v"]]}


def shape_layer(
    level: str,
    positions: Sequence[int],
    properties: Sequence[Mapping[str, object]] | None = None,
    *,
    tip_labels: Sequence[str] | None = None,
    ref_level: str | None = None,
    **options: object,
) -> ShapeLayer | GeoJsonLayer:
    """A :class:`ShapeLayer`, or inline GeoJSON when no shape file can be written.

    The inline layer gets whole tooltips and refs (``t``, ``r``) made from
    ``v``, ``tip_labels`` and ``ref_level`` as the browser would.
    """
    if shape_urls(level) is not None:
        return ShapeLayer(
            level,
            positions,
            properties,
            tip_labels=tip_labels,
            ref_level=ref_level,
            **options,
        )
    from ess_geo.maps.layers import feature
    from ess_geo.maps.mapview import layer_index

    index = layer_index(level)
    names = territory_names(level) if tip_labels else []
    props = []
    for i, p in zip(positions, properties or [{}] * len(positions), strict=True):
        whole = {k: v for k, v in p.items() if k != "v"}
        if tip_labels and "v" in p and "t" not in p:
            whole["t"] = tooltip_html(names[i], tip_labels, [str(v) for v in p["v"]])
        if ref_level and "r" not in p:
            whole["r"] = f"{ref_level}:{index.codes[i]}"
        props.append(whole)
    return GeoJsonLayer(
        [
            feature(index.geometries[i], p)
            for i, p in zip(positions, props, strict=True)
        ],
        **options,
    )
