"""Maps of network coverage: territories coloured by status, network perimeters.

Builders for the Couverture and Réseaux pages, on top of :mod:`ess_geo.maps`
(offline base map, escaped territory features, legends as HTML elements).
"""

from __future__ import annotations

from collections.abc import Mapping

import folium
import pandas as pd

from ess_geo import formats
from ess_geo.analysis.coverage import STATUS_LABELS
from ess_geo.geo import geography
from ess_geo.maps.base import (
    HIGHLIGHT_STYLE,
    OVERLAY_NAMES,
    actors_layer,
    base_map,
    family_legend,
    fit_to,
)
from ess_geo.maps.frame import FrameTitle
from ess_geo.text import escape_html

__all__ = [
    "APPROXIMATE_DASH",
    "COVERAGE_COLOURS",
    "INCOMPLETE_OPACITY",
    "coverage_features",
    "coverage_legend",
    "coverage_map",
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


def coverage_features(features: dict, table: pd.DataFrame) -> dict:
    """Territory features with their coverage, for :func:`coverage_map`.

    Parameters
    ----------
    features : dict
        GeoJSON from :func:`territory_features` (with ``code``, ``nom``),
        typically cached and shared: it is not modified.
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` (or ``coverage``) output: ``code``,
        ``couverture``, ``part_population_couverte``, ``reseaux``,
        ``reseaux_approximatifs``, and ``rang`` when scored.

    Returns
    -------
    dict
        A new FeatureCollection holding only the territories of ``table``,
        with the properties ``statut``, ``part``, ``reseaux`` (HTML-escaped,
        comma-separated), ``rang``, ``colour``, ``approximatif`` and
        ``inventaire`` (``complet`` or ``incomplet``; ``complet`` when the
        table has no such column).
    """
    inventory = (
        table["inventaire"]
        if "inventaire" in table
        else pd.Series("complet", index=table.index)
    )
    ranks = table["rang"] if "rang" in table else pd.Series(pd.NA, index=table.index)
    approximate = (
        table["reseaux_approximatifs"].astype(bool)
        if "reseaux_approximatifs" in table
        else pd.Series(False, index=table.index)
    )
    extra = {
        code: {
            "statut": STATUS_LABELS[status],
            "part": _fmt_share(share),
            "reseaux": escape_html(", ".join(n for n in names.split("|") if n))
            or "aucun",
            "rang": "—" if pd.isna(rank) else str(int(rank)),
            "colour": COVERAGE_COLOURS[status],
            "approximatif": bool(approx),
            "inventaire": inv,
        }
        for code, status, share, names, rank, approx, inv in zip(
            table["code"],
            table["couverture"],
            table["part_population_couverte"],
            table["reseaux"],
            ranks,
            approximate,
            inventory,
            strict=True,
        )
    }
    out = [
        {**feature, "properties": {**feature["properties"], **extra[code]}}
        for feature in features["features"]
        if (code := feature["properties"]["code"]) in extra
    ]
    return {"type": "FeatureCollection", "features": out}


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


def coverage_map(
    features: dict,
    counts: Mapping[str, int],
    *,
    level: str,
    basemap: str = "aucun",
    fit: dict | None = None,
    selected: dict | None = None,
    context: dict | None = None,
) -> folium.Map:
    """The Couverture page's map: territories coloured by coverage status.

    Parameters
    ----------
    features : dict
        Output of :func:`coverage_features`.
    counts : mapping
        Status -> number of territories, for the legend.
    level : str
        Territory level (for the layer name).
    basemap : str, default "aucun"
        A key of :data:`BASEMAPS`.
    fit : dict, optional
        GeoJSON whose bounds the map fits (a région); default the national view.
    selected : dict, optional
        GeoJSON of the prospects retained for the budget, outlined in black.
    context : dict, optional
        GeoJSON of boundaries drawn on top for orientation (régions).

    Returns
    -------
    folium.Map
    """
    m = base_map(basemap=basemap)
    label = OVERLAY_NAMES.get(level, level)
    folium.GeoJson(
        features,
        name=f"Couverture ({escape_html(label)})",
        style_function=_coverage_style,
        highlight_function=lambda _feature: HIGHLIGHT_STYLE,
        tooltip=folium.GeoJsonTooltip(
            fields=["nom", "statut", "part", "reseaux", "rang", "inventaire"],
            aliases=[
                "Territoire",
                "Couverture",
                "Population couverte",
                "Réseaux",
                "Rang de prospection",
                "Inventaire des réseaux",
            ],
            sticky=True,
        ),
        smooth_factor=0.5,
    ).add_to(m)
    if context is not None:
        folium.GeoJson(
            context,
            name="Régions",
            style_function=lambda _feature: REGION_OUTLINE,
            interactive=False,
        ).add_to(m)
    if selected is not None and selected["features"]:
        folium.GeoJson(
            selected,
            name="Prospects retenus",
            style_function=lambda _feature: {
                "color": "#000000",
                "weight": 3,
                "fill": False,
            },
            interactive=False,
        ).add_to(m)
    if fit is not None:
        fit_to(m, fit)
    m.get_root().html.add_child(coverage_legend(counts))
    folium.LayerControl(collapsed=True).add_to(m)
    FrameTitle(
        "Carte : couverture par les réseaux territoriaux de l'ESS "
        f"({geography.LEVEL_LABELS.get(level, level)})"
    ).add_to(m)
    return m


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
