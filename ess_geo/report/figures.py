"""Static figures as SVG: a territory's map and bar charts, for the panorama.

The panorama exists as a web page and as a PDF; both embed the same SVG
(inline in HTML, through fpdf2's SVG support in the PDF), so a figure looks
the same in both and needs no browser, no JavaScript and no network to be
drawn. Every text that reaches the SVG is XML-escaped here.

The map draws the territory over its surroundings of a comparable level,
the boundaries of the wider level (its département, or its région for a
département), the actors as dots coloured by famille and a scale bar. It is
drawn from the display geometry in a local equirectangular projection
(longitudes shrunk by the cosine of the latitude), accurate enough at the
scale of a région.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from ess_geo.errors import UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.maps import FAMILY_COLOURS

__all__ = [
    "FONT_FAMILY",
    "MAX_MAP_POINTS",
    "bar_chart",
    "territory_map",
]

FONT_FAMILY = "DejaVu, 'DejaVu Sans', Verdana, sans-serif"
"""SVG font family: the PDF registers DejaVu under the first name."""

MAX_MAP_POINTS = 3_000
"""At most this many actors are drawn on a map (an even sample beyond)."""

_CONTEXT_LEVEL = {
    "commune": "departement",
    "epci": "departement",
    "pays": "departement",
    "pnr": "departement",
    "departement": "region",
    "region": None,
}
_BACKGROUND_LEVEL = {
    "commune": "commune",
    "epci": "epci",
    "pays": "epci",
    "pnr": "epci",
    "departement": "departement",
    "region": "region",
}
_KM_PER_DEGREE = 111.32

COLOURS = {
    "background": "#e4e1da",
    "edge": "#ffffff",
    "territory": "#fbe7a1",
    "territory_edge": "#1a1a1a",
    "context": "#5a5a5a",
    "bar": "#1f5f8b",
    "highlight": "#b35900",
    "reference": "#1a1a1a",
    "text": "#1a1a1a",
    "muted": "#555555",
}


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _path(geometry: shapely.Geometry, project) -> str:
    """SVG path data of a (multi)polygon's rings or a (multi)line."""
    parts = []
    for part in getattr(geometry, "geoms", [geometry]):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            rings = [part.exterior, *part.interiors]
            closed = True
        elif part.geom_type in ("LineString", "LinearRing"):
            rings = [part]
            closed = False
        else:  # points or collections left by clipping: nothing to draw
            continue
        for ring in rings:
            xy = project(np.asarray(ring.coords))
            if len(xy) < 2:
                continue
            points = " ".join(f"{x:.1f} {y:.1f}" for x, y in xy)
            parts.append(f"M{points}{'Z' if closed else ''}")
    return "".join(parts)


def _path_element(data: str, attributes: str) -> str:
    """A ``<path>`` element, or nothing when there is nothing to draw."""
    return f'<path d="{data}" {attributes}/>' if data else ""


def _nice_length(km: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ not above ``km``."""
    if km <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(km))
    return max(step * power for step in (1, 2, 5) if step * power <= km)


def _frame(
    bounds: tuple[float, float, float, float], width: int, height: int
) -> tuple[tuple[float, float, float, float], float]:
    """Map frame (lon/lat box) fitting the bounds with a margin, and the x shrink."""
    minx, miny, maxx, maxy = bounds
    cos = math.cos(math.radians((miny + maxy) / 2))
    span_x = max((maxx - minx) * cos, 0.01) * 1.2
    span_y = max(maxy - miny, 0.01) * 1.2
    if span_x / span_y > width / height:
        span_y = span_x * height / width
    else:
        span_x = span_y * width / height
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_x, half_y = span_x / cos / 2, span_y / 2
    return (cx - half_x, cy - half_y, cx + half_x, cy + half_y), cos


def territory_map(
    level: str,
    code: str,
    *,
    actors: pd.DataFrame | None = None,
    width: int = 360,
    height: int = 320,
) -> str:
    """A static map of a territory, its surroundings and its actors.

    Parameters
    ----------
    level, code : str
        The territory.
    actors : pandas.DataFrame, optional
        Actors to draw (``latitude``, ``longitude``, ``famille``); rows
        without coordinates are skipped, and beyond :data:`MAX_MAP_POINTS`
        an even sample is drawn.
    width, height : int
        Size in SVG user units (pixels).

    Returns
    -------
    str
        An ``<svg>`` element with a ``<title>``. A territory without
        geometry (a PNR whose communes are unknown) gives a frame saying so.

    Raises
    ------
    UnknownTerritoryError
        If the territory does not exist.
    """
    names = geography.territories(level)
    if code not in names.index:
        raise UnknownTerritoryError(level, code)
    title = f"Carte : {names.at[code, 'nom']}"
    layer = geography.load_layer(level)
    geometry = layer.geometry[(layer["code"] == code).to_numpy()].iloc[0]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT_FAMILY}"><title>{_escape(title)}</title>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f7f6f2" '
        f'stroke="{COLOURS["muted"]}" stroke-width="0.6"/>'
    )
    if geometry is None or geometry.is_empty:
        return (
            f"{head}<text x='{width / 2}' y='{height / 2}' font-size='12' "
            f"text-anchor='middle' fill='{COLOURS['muted']}'>Contour non disponible"
            "</text></svg>"
        )
    frame, cos = _frame(geometry.bounds, width, height)
    minx, _, maxx, maxy = frame
    scale = width / ((maxx - minx) * cos)

    def project(coords: np.ndarray) -> np.ndarray:
        x = (coords[:, 0] - minx) * cos * scale
        y = (maxy - coords[:, 1]) * scale
        return np.column_stack([x, y])

    box = shapely.box(*frame)
    background = geography.load_layer(_BACKGROUND_LEVEL[level])
    nearby = background.geometry.iloc[background.sindex.query(box)]
    shapes = shapely.clip_by_rect(nearby.to_numpy(), *frame)
    own = _path(shapely.clip_by_rect(geometry, *frame), project)
    body = [
        _path_element(
            "".join(_path(g, project) for g in shapes),
            f'fill="{COLOURS["background"]}" stroke="{COLOURS["edge"]}" '
            'stroke-width="0.7" fill-rule="evenodd"',
        ),
        _path_element(
            own, f'fill="{COLOURS["territory"]}" fill-rule="evenodd" stroke="none"'
        ),
    ]
    context_level = _CONTEXT_LEVEL[level]
    if context_level is not None:
        context = geography.load_layer(context_level)
        wider = context.geometry.iloc[context.sindex.query(box)].to_numpy()
        lines = shapely.clip_by_rect(shapely.boundary(wider), *frame)
        body.append(
            _path_element(
                "".join(_path(g, project) for g in lines),
                f'fill="none" stroke="{COLOURS["context"]}" stroke-width="1.1" '
                'stroke-dasharray="5 3"',
            )
        )
    body.append(
        _path_element(
            own,
            f'fill="none" stroke="{COLOURS["territory_edge"]}" stroke-width="1.8"',
        )
    )
    if actors is not None:
        body.append(_points(actors, frame, project))
    body.append(_scale_bar(width, height, scale / _KM_PER_DEGREE))
    return head + "".join(body) + "</svg>"


def _points(actors: pd.DataFrame, frame, project) -> str:
    """Actors as dots coloured by famille, with a white halo.

    Each dot is a zero-length segment with round caps, which SVG and PDF
    both draw as a disc: one path per famille instead of one element per
    actor keeps thousands of actors cheap to embed in the PDF.
    """
    minx, miny, maxx, maxy = frame
    located = actors.dropna(subset=["latitude", "longitude"])
    inside = located[
        located["longitude"].between(minx, maxx)
        & located["latitude"].between(miny, maxy)
    ]
    if len(inside) > MAX_MAP_POINTS:
        step = len(inside) / MAX_MAP_POINTS
        inside = inside.iloc[(np.arange(MAX_MAP_POINTS) * step).astype(int)]
    if inside.empty:
        return ""
    xy = project(inside[["longitude", "latitude"]].to_numpy(dtype=float))
    moves = np.array([f"M{x:.1f} {y:.1f}h0" for x, y in xy])
    colours = inside["famille"].map(FAMILY_COLOURS).fillna("#555555").to_numpy()
    dots = [
        f'<path d="{"".join(moves)}" stroke="#ffffff" stroke-width="5.2"/>',
        *(
            f'<path d="{"".join(moves[colours == colour])}" stroke="{colour}" '
            'stroke-width="4.2"/>'
            for colour in dict.fromkeys(colours)
        ),
    ]
    return (
        '<g class="actors" fill="none" stroke-linecap="round">' + "".join(dots) + "</g>"
    )


def _scale_bar(width: int, height: int, px_per_km: float) -> str:
    """A scale bar about a quarter of the map wide, bottom left."""
    km = _nice_length(width * 0.25 / px_per_km)
    if km <= 0:
        return ""
    length = km * px_per_km
    x, y = 10, height - 12
    label = f"{km:g} km".replace(".", ",")
    return (
        f'<rect x="{x - 4}" y="{y - 16}" width="{length + 8:.1f}" height="22" '
        'fill="#ffffff" fill-opacity="0.8"/>'
        f'<path d="M{x} {y - 4}L{x} {y}L{x + length:.1f} {y}L{x + length:.1f} {y - 4}" '
        f'fill="none" stroke="{COLOURS["text"]}" stroke-width="1.2"/>'
        f'<text x="{x}" y="{y - 6}" font-size="10" fill="{COLOURS["text"]}">'
        f"{label}</text>"
    )


_CHAR_WIDTH = 7.0
"""Average width of a character of an 11-unit DejaVu Sans label, to cut it."""


def _fit(text: str, max_chars: int) -> str:
    """The text, cut with an ellipsis if longer than ``max_chars``."""
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_labels: Sequence[str],
    references: Sequence[float] | None = None,
    series_label: str = "Territoire",
    reference_label: str = "France",
    title: str,
    width: int = 520,
    row_height: int = 20,
    label_share: float = 0.42,
    highlight: Sequence[bool] | None = None,
) -> str:
    """A horizontal bar chart, with an optional reference mark on each bar.

    Parameters
    ----------
    labels : sequence of str
        One per bar, written on the left (cut with "…" when too long).
    values : sequence of float
        Bar lengths (missing values draw no bar).
    value_labels : sequence of str
        Written at the end of each bar.
    references : sequence of float, optional
        A value to compare with, drawn as a black tick on each row (France's
        share, say), with a legend.
    series_label, reference_label : str
        Legend entries.
    title : str
        The SVG's ``<title>`` (read by screen readers).
    width, row_height : int
        Size in SVG user units.
    label_share : float, default 0.42
        Share of the width given to the labels.
    highlight : sequence of bool, optional
        One per bar: True draws the bar in ``COLOURS["highlight"]`` and its
        label in bold (the chosen territory among its neighbours, say).

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    label_width = int(width * label_share)
    value_width = 64
    bar_width = width - label_width - value_width - 8
    top = 22 if references is not None else 4
    height = top + row_height * len(labels) + 4
    numbers = [float(v) for v in values if v is not None and not math.isnan(v)]
    if references is not None:
        numbers += [float(r) for r in references if r is not None and not math.isnan(r)]
    top_value = max(numbers, default=0.0) or 1.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT_FAMILY}" font-size="11"><title>{_escape(title)}</title>'
    ]
    if references is not None:
        out.append(
            f'<rect x="{label_width}" y="5" width="10" height="10" '
            f'fill="{COLOURS["bar"]}"/>'
            f'<text x="{label_width + 14}" y="14" fill="{COLOURS["text"]}">'
            f"{_escape(series_label)}</text>"
            f'<path d="M{label_width + 96} 4L{label_width + 96} 16" '
            f'stroke="{COLOURS["reference"]}" stroke-width="2"/>'
            f'<text x="{label_width + 102}" y="14" fill="{COLOURS["text"]}">'
            f"{_escape(reference_label)}</text>"
        )
    max_chars = int((label_width - 6) / _CHAR_WIDTH)
    marked = highlight if highlight is not None else [False] * len(labels)
    for i, (label, value, text, mark) in enumerate(
        zip(labels, values, value_labels, marked, strict=True)
    ):
        y = top + i * row_height
        middle = y + row_height / 2 + 4
        bold = ' font-weight="bold"' if mark else ""
        out.append(
            f'<text x="{label_width - 6}" y="{middle:.1f}" text-anchor="end" '
            f'fill="{COLOURS["text"]}"{bold}>'
            f"{_escape(_fit(str(label), max_chars))}</text>"
        )
        length = 0.0
        if value is not None and not math.isnan(value):
            length = max(float(value), 0.0) / top_value * bar_width
            fill = COLOURS["highlight"] if mark else COLOURS["bar"]
            out.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" '
                f'height="{row_height - 6}" fill="{fill}"/>'
            )
        if references is not None:
            reference = references[i]
            if reference is not None and not math.isnan(reference):
                rx = label_width + max(float(reference), 0.0) / top_value * bar_width
                out.append(
                    f'<path d="M{rx:.1f} {y + 1}L{rx:.1f} {y + row_height - 1}" '
                    f'stroke="{COLOURS["reference"]}" stroke-width="2"/>'
                )
        out.append(
            f'<text x="{label_width + bar_width + 6}" y="{middle:.1f}" '
            f'fill="{COLOURS["text"]}">{_escape(text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
