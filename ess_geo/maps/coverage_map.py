"""Maps of network coverage: territories coloured by status, network perimeters.

Builders for the Couverture and Réseaux pages, on top of :mod:`ess_geo.maps`
(offline base map, escaped territory features, legends as HTML elements).

The Couverture page draws its map like the Carte: :func:`coverage_base` is
the part that never changes, :func:`coverage_groups` the data layers, drawn
from the shapes the browser fetched once (:mod:`ess_geo.maps.shapes`), so
that a map message carries only colours and tooltips, and a change of
threshold, weights or région updates the map in place.
:func:`coverage_map` (the whole layer as inline GeoJSON) stays for a
standalone map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import numpy as np
import pandas as pd
from jinja2 import Template

from ess_geo import formats
from ess_geo.analysis.coverage import STATUS_LABELS
from ess_geo.geo import geography
from ess_geo.maps import shapes
from ess_geo.maps.base import (
    HIGHLIGHT_STYLE,
    OVERLAY_NAMES,
    actors_layer,
    base_map,
    family_legend,
    fit_to,
)
from ess_geo.maps.frame import FrameTitle, GroupReset
from ess_geo.maps.layers import FitOnce, _compact_json, _MapElement
from ess_geo.maps.mapview import layer_index
from ess_geo.text import escape_html

__all__ = [
    "APPROXIMATE_DASH",
    "COVERAGE_COLOURS",
    "COVERAGE_FRANCE_BOUNDS",
    "INCOMPLETE_OPACITY",
    "TOOLTIP_FIELDS",
    "coverage_base",
    "coverage_bounds",
    "coverage_groups",
    "coverage_legend",
    "coverage_shapes",
    "coverage_tooltip",
    "network_map",
]

REGION_OUTLINE = {"color": "#222222", "weight": 2.2, "fill": False}
"""Régions drawn on top for bearings."""

COVERAGE_COLOURS: dict[str, str] = {
    "couverte": "#009E73",
    "partielle": "#F0E442",
    "non_couverte": "#D55E00",
    "inconnue": "#BBBBBB",
}
"""Fill colour per coverage status (Okabe–Ito: safe for colour-vision deficiencies).
The gaps, ``non_couverte``, get the strongest colour."""

APPROXIMATE_DASH = "4 4"
"""Outline of territories touched by a network whose perimeter is approximate."""

INCOMPLETE_OPACITY = 0.2
"""Fill opacity of a territory whose région's network inventory is incomplete
(greyed: an absent network may only be unrecorded there)."""


def _fmt_share(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}".replace("%", "\u202f%")


def _coverage_style(feature: dict) -> dict:
    """Style of a coverage feature: fill by status; dashed and pale if approximate.

    Where the région's network inventory is incomplete, the fill is greyed
    (:data:`INCOMPLETE_OPACITY`): a gap there is not certain.
    """
    approximate = feature["properties"]["approximatif"]
    incomplete = feature["properties"].get("inventaire") == "incomplet"
    opacity = 0.35 if approximate else 0.7
    return {
        "color": "#7a2e00" if approximate else "#333333",
        "weight": 1.5 if approximate else 0.5,
        "dashArray": APPROXIMATE_DASH if approximate else None,
        "fillColor": feature["properties"]["colour"],
        "fillOpacity": min(opacity, INCOMPLETE_OPACITY) if incomplete else opacity,
    }


def coverage_legend(counts: Mapping[str, int]) -> folium.Element:
    """A legend of the coverage statuses with their counts, as an HTML element.

    Parameters
    ----------
    counts : mapping
        Status -> number of territories.

    Returns
    -------
    folium.Element
        To add to the map's root HTML (``m.get_root().html.add_child``).
    """
    box = "display:inline-block;width:12px;height:12px;margin-right:6px;"
    rows = [
        f'<li><span style="{box}background:{COVERAGE_COLOURS[status]};'
        f'border:1px solid #555"></span>{escape_html(label)} '
        f"({formats.number(counts.get(status, 0))})</li>"
        for status, label in STATUS_LABELS.items()
        if counts.get(status, 0) or status != "inconnue"
    ]
    rows.append(
        f'<li><span style="{box}border:2px dashed #7a2e00;'
        f'background:{COVERAGE_COLOURS["non_couverte"]}59"></span>'
        "Réseau au périmètre approximatif (non compté)</li>"
    )
    rows.append(
        f'<li><span style="{box}border:1px solid #555;'
        f'background:{COVERAGE_COLOURS["non_couverte"]}33"></span>'
        "Couleur pâlie : inventaire des réseaux de la région incomplet (une "
        "absence de réseau n'y prouve rien)</li>"
    )
    rows.append(
        f'<li><span style="{box}border:3px solid #000"></span>'
        "Prospect retenu pour le budget</li>"
    )
    return folium.Element(
        '<div class="ess-legend ess-coverage-legend" role="note" '
        'aria-label="Légende de la couverture" '
        'style="position:absolute;bottom:24px;right:10px;z-index:1000;'
        "background:#fff;padding:6px 10px;border-radius:4px;max-width:60%;"
        'box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px sans-serif">'
        "<strong>Couverture par un réseau</strong>"
        '<ul style="list-style:none;margin:4px 0 0;padding:0">'
        f"{''.join(rows)}</ul></div>"
    )


TOOLTIP_FIELDS: tuple[tuple[str, str], ...] = (
    ("nom", "Territoire"),
    ("statut", "Couverture"),
    ("part", "Population couverte"),
    ("reseaux", "Réseaux"),
    ("rang", "Rang de prospection"),
    ("inventaire", "Inventaire des réseaux"),
)
"""Property -> label of the lines of a territory's tooltip, in order."""

COVERAGE_FRANCE_BOUNDS: tuple[float, float, float, float] = (-5.2, 41.3, 9.6, 51.1)
"""Longitude/latitude box the map shows for France (metropolitan, Corsica)."""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_COVERAGE_CSS = (
    "<style>\n"
    ".ess-cov-tip {display:table;border-spacing:0}\n"
    ".ess-cov-tip p {display:table-row;margin:0}\n"
    ".ess-cov-tip p::before {display:table-cell;font-weight:bold;"
    "padding:2px 8px 2px 2px;text-align:left;white-space:nowrap}\n"
    ".ess-cov-tip i {display:table-cell;font-style:normal;padding:2px}\n"
    + "".join(
        f".ess-cov-tip p:nth-child({n})::before {{content:{_css_string(label)}}}\n"
        for n, (_, label) in enumerate(TOOLTIP_FIELDS, start=1)
    )
    + ".leaflet-tooltip {white-space:normal;max-width:320px;width:max-content}\n"
    "html, body {margin:0;padding:0;overflow:hidden}\n"
    "#map_div {height:100vh !important}\n"
    "</style>"
)
"""The tooltip's two columns (as folium's table: labels in bold) and a map
filling its frame. The labels are written once here, not in each of the
1,253 tooltips a map message carries."""


def coverage_tooltip(values: Mapping[str, object]) -> str:
    """A territory's tooltip: the values of :data:`TOOLTIP_FIELDS`, escaped.

    Each value is a row whose label the map's style sheet writes before it
    (:data:`TOOLTIP_FIELDS`, in order).

    Examples
    --------
    >>> coverage_tooltip({"nom": "A<b>", "statut": "Couverte"})[:62]
    '<div class="ess-cov-tip"><p><i>A&lt;b&gt;</i></p><p><i>Couvert'
    """
    rows = "".join(
        f"<p><i>{escape_html(str(values.get(key, '')))}</i></p>"
        for key, _ in TOOLTIP_FIELDS
    )
    return f'<div class="ess-cov-tip">{rows}</div>'


def coverage_shapes(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """What the map draws of each territory of ``table``: its shape, colour, tooltip.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output (``code``, ``nom``,
        ``couverture``, ``part_population_couverte``, ``reseaux``, and
        optionally ``rang``, ``reseaux_approximatifs``, ``inventaire``);
        not modified.
    level : str
        The territories' level.

    Returns
    -------
    pandas.DataFrame
        One row per territory that has a shape, in the order of ``table``:
        ``code``, ``position`` (in :func:`ess_geo.maps.mapview.layer_index`),
        ``c`` (fill colour), ``t`` (tooltip HTML, escaped), ``approximatif``
        and ``incomplet`` (booleans).
    """
    n = len(table)
    ranks = table["rang"] if "rang" in table else pd.Series(pd.NA, index=table.index)
    approximate = (
        table["reseaux_approximatifs"].astype(bool)
        if "reseaux_approximatifs" in table
        else pd.Series(False, index=table.index)
    )
    inventory = (
        table["inventaire"]
        if "inventaire" in table
        else pd.Series("complet", index=table.index)
    )
    tips = [
        coverage_tooltip(
            {
                "nom": name,
                "statut": STATUS_LABELS[status],
                "part": _fmt_share(share),
                "reseaux": ", ".join(n for n in names.split("|") if n) or "aucun",
                "rang": "—" if pd.isna(rank) else str(int(rank)),
                "inventaire": inv,
            }
        )
        for name, status, share, names, rank, inv in zip(
            table["nom"].astype(str),
            table["couverture"],
            table["part_population_couverte"],
            table["reseaux"],
            ranks,
            inventory,
            strict=True,
        )
    ]
    out = pd.DataFrame(
        {
            "code": table["code"].astype(str).to_numpy(),
            "position": layer_index(level).codes.get_indexer(table["code"].astype(str)),
            "c": table["couverture"].map(COVERAGE_COLOURS).to_numpy(),
            "t": tips,
            "approximatif": approximate.to_numpy(dtype=bool),
            "incomplet": (inventory == "incomplet").to_numpy(dtype=bool),
        },
        index=range(n),
    )
    return out[out["position"] >= 0].reset_index(drop=True)


def coverage_bounds(level: str, codes: Sequence[str]) -> tuple[float, ...] | None:
    """Longitude/latitude box of the territories ``codes`` (None: no shape)."""
    index = layer_index(level)
    found = index.codes.get_indexer(list(codes))
    found = found[found >= 0]
    if not len(found):
        return None
    b = index.bounds[found]
    return (
        float(b[:, 0].min()),
        float(b[:, 1].min()),
        float(b[:, 2].max()),
        float(b[:, 3].max()),
    )


class _Legend(_MapElement):
    """The coverage legend (:func:`coverage_legend`), shown while its group is."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new (L.Layer.extend({
    onAdd: function (map) {
        var holder = document.createElement("div");
        holder.innerHTML = {{ this.html }};
        this._box = holder.firstChild;
        L.DomEvent.disableClickPropagation(this._box);
        L.DomEvent.disableScrollPropagation(this._box);
        map.getContainer().appendChild(this._box);
    },
    onRemove: function () { if (this._box) { this._box.remove(); } }
}))();
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "CoverageLegend"
        self.html = _compact_json(html)


def coverage_base(basemap: str = "aucun", *, level: str = "epci") -> folium.Map:
    """The fixed part of the Couverture map: basemap, controls, the shapes' script.

    The data come in :func:`coverage_groups`, which streamlit-folium swaps
    without rebuilding this map. Its first script starts fetching the
    national shapes of ``level`` and the régions' outlines, and adds the
    map's stylesheet, while Leaflet loads
    (:func:`ess_geo.maps.shapes.prefetch_url`).
    """
    m = base_map(basemap=basemap)
    m.options["zoom_snap"] = 0.25  # fit France or a région snugly at any size
    early = shapes.prefetch_url(
        (level, "region"),
        styles=tuple(url for _, url in m.default_css),
        scripts=tuple(url for _, url in m.default_js),
    )
    if early is not None:
        m.default_js = [("ess_prefetch", early), *m.default_js]
        m.default_css = []  # the prefetch adds the stylesheet, at once
    m.get_root().header.add_child(
        folium.Element(_COVERAGE_CSS), name="ess_coverage_css"
    )
    shapes.ShapesLibrary().add_to(m)
    return m


def _polygon_style(approximate: bool, incomplete: bool) -> dict[str, object]:
    style = _coverage_style(
        {
            "properties": {
                "approximatif": approximate,
                "inventaire": "incomplet" if incomplete else "complet",
                "colour": None,
            }
        }
    )
    style.pop("fillColor")
    if style["dashArray"] is None:
        style.pop("dashArray")
    return style


def coverage_groups(
    drawn: pd.DataFrame,
    counts: Mapping[str, int],
    *,
    level: str,
    fit: tuple[str, tuple[float, ...] | None],
    selected: Sequence[str] = (),
) -> list[folium.FeatureGroup]:
    """The Couverture map's data layers, from the shapes the browser keeps.

    Parameters
    ----------
    drawn : pandas.DataFrame
        :func:`coverage_shapes` output.
    counts : mapping
        Status -> number of territories, for the legend.
    level : str
        Territory level.
    fit : (token, bounds)
        The view to fit once per token (a région, the level), and its
        longitude/latitude box (None: France).
    selected : sequence of str
        Codes of the prospects retained for the budget, outlined in black.

    Returns
    -------
    list of folium.FeatureGroup
        The coverage (with the legend and the map's title), the régions
        drawn on top for bearings, and the retained prospects.
    """
    label = OVERLAY_NAMES.get(level, level)
    coverage_group = folium.FeatureGroup(name=f"Couverture ({label})")
    GroupReset().add_to(coverage_group)  # first: before the groups are pushed
    FrameTitle(
        "Carte : couverture par les réseaux territoriaux de l'ESS "
        f"({geography.LEVEL_LABELS.get(level, level)})"
    ).add_to(coverage_group)
    token, bounds = fit
    FitOnce(token, bounds or COVERAGE_FRANCE_BOUNDS).add_to(coverage_group)
    for approximate in (False, True):
        for incomplete in (False, True):
            rows = drawn[
                (drawn["approximatif"] == approximate)
                & (drawn["incomplet"] == incomplete)
            ]
            if rows.empty:
                continue
            shapes.shape_layer(
                level,
                rows["position"].tolist(),
                [{"c": c, "t": t} for c, t in zip(rows["c"], rows["t"], strict=True)],
                style=_polygon_style(approximate, incomplete),
                highlight=HIGHLIGHT_STYLE,
            ).add_to(coverage_group)
    _Legend(coverage_legend(counts).render()).add_to(coverage_group)
    groups = [coverage_group]

    regions = folium.FeatureGroup(name="Régions")
    shapes.shape_layer(
        "region",
        np.arange(len(layer_index("region").codes)).tolist(),
        style=REGION_OUTLINE,
        interactive=False,
    ).add_to(regions)
    groups.append(regions)

    chosen = drawn[drawn["code"].isin(set(selected))]
    if not chosen.empty:
        group = folium.FeatureGroup(name="Prospects retenus")
        shapes.shape_layer(
            level,
            chosen["position"].tolist(),
            style={"color": "#000000", "weight": 3, "fill": False},
            interactive=False,
        ).add_to(group)
        groups.append(group)
    return groups


def network_map(
    perimeter: dict,
    *,
    exact: bool,
    members: pd.DataFrame | None = None,
    basemap: str = "aucun",
) -> folium.Map:
    """A network's perimeter, and its members as markers.

    Parameters
    ----------
    perimeter : dict
        GeoJSON (:func:`territory_features`, with ``nom``) of the
        territories the network declares.
    exact : bool
        Whether the declared perimeter is the network's real one; an
        approximate perimeter is drawn dashed and says so.
    members : pandas.DataFrame, optional
        Member actors (see :func:`actors_layer`).
    basemap : str, default "aucun"
        A key of :data:`BASEMAPS`.

    Returns
    -------
    folium.Map
        Fitted to the perimeter.
    """
    m = base_map(basemap=basemap)
    name = "Périmètre déclaré" + ("" if exact else " (approximatif)")
    folium.GeoJson(
        perimeter,
        name=name,
        style_function=lambda _feature: {
            "color": "#0b6e4f",
            "weight": 2.5,
            "dashArray": None if exact else "8 6",
            "fillColor": "#0b6e4f",
            "fillOpacity": 0.12 if exact else 0.05,
        },
        tooltip=folium.GeoJsonTooltip(fields=["nom"], aliases=[name]),
    ).add_to(m)
    fit_to(m, perimeter)
    if members is not None and len(members):
        actors_layer(members, name="Membres du réseau").add_to(m)
        m.get_root().html.add_child(
            family_legend(members["famille"].value_counts().to_dict())
        )
    folium.LayerControl(collapsed=True).add_to(m)
    FrameTitle("Carte : périmètre du réseau territorial et ses membres").add_to(m)
    return m
