"""The Carte page's map: a fixed base, and feature groups built from a scene.

streamlit-folium can swap feature groups in an existing map without
rebuilding it. The Carte uses that: :func:`carte_base` is the part that never
changes (basemap, controls, the legend of outlines), :func:`carte_groups`
the data layers of a :class:`ess_geo.maps.mapview.Scene` (choropleth, outlines,
network perimeters, selection, actors or circles), so that a filter change
keeps the person's own pan and zoom, and panning sends nothing back.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np

from ess_geo import formats
from ess_geo.analysis.classify import METHODS
from ess_geo.analysis.indicators import INDICATORS
from ess_geo.geo import geography
from ess_geo.maps import frame, layers, mapview, shapes
from ess_geo.maps.base import base_map

__all__ = [
    "FRANCE_BOUNDS",
    "OUTLINE_STYLES",
    "PREFETCHED_LEVELS",
    "carte_base",
    "carte_groups",
    "map_title",
    "network_urls",
]

FRANCE_BOUNDS: tuple[float, float, float, float] = (-5.2, 41.3, 9.6, 51.1)
"""Longitude/latitude box of metropolitan France, Corsica included."""

OUTLINE_STYLES: dict[str, dict[str, object]] = {
    "region": {"color": "#1a1a1a", "weight": 1.8, "fill": False},
    "departement": {"color": "#4d4d4d", "weight": 1.0, "fill": False},
    "epci": {"color": "#7a7a7a", "weight": 0.6, "fill": False},
    "pays": {"color": "#7a3e9d", "weight": 2.0, "fill": False},
    "pnr": {"color": "#1b7837", "weight": 2.0, "fill": False},
    "reseau": {"color": "#D55E00", "weight": 2.5, "fill": False},
}
"""Styles of the outline layers of the Carte (networks included)."""

PREFETCHED_LEVELS = ("epci", "departement", "region", "pays", "pnr")
"""Levels whose coarse shapes the national view draws: fetched from the start."""

_DASH = "7 5"
"""Dash pattern of partial or uncertain perimeters (PNR, networks)."""

_CARTE_CSS = """<style>
.ess-legend {background:#fff;padding:5px 8px;border-radius:4px;max-width:230px;
  box-shadow:0 1px 4px rgba(0,0,0,.35);font:11px/1.3 system-ui,sans-serif;color:#222}
.ess-legend summary {font-weight:600;cursor:pointer}
.ess-legend ul {list-style:none;margin:4px 0 2px;padding:0}
.ess-legend li {margin:1px 0;white-space:nowrap}
.ess-legend p {margin:3px 0 0}
.ess-legend svg {vertical-align:middle}
.ess-muted {color:#555}
.ess-swatch {display:inline-block;width:12px;height:12px;margin-right:6px;
  vertical-align:-2px;border:1px solid #666}
.ess-cluster {background:rgba(34,34,34,.82);color:#fff;border:2px solid #fff;
  border-radius:50%;display:flex;align-items:center;justify-content:center;
  font:600 12px system-ui,sans-serif;box-shadow:0 0 0 1px rgba(0,0,0,.3)}
.leaflet-tooltip {white-space:normal;max-width:260px;width:max-content}
.ess-count {color:#fff;font:700 11px system-ui,sans-serif;text-align:center;
  line-height:16px;text-shadow:0 0 3px #000,0 0 2px #000;pointer-events:none}
html, body {margin:0;padding:0;overflow:hidden}
body > span {display:none}
#map_div {height:100vh !important}
@media (max-width: 480px) {
  .ess-legend {max-width:170px;font-size:11px}
}
</style>"""
"""Legend, cluster and label styles. The map fills its frame exactly, whose
height the page sets (shorter on phones, see
:data:`ess_geo.ui.CARTE_PAGE_CSS`): a frame document taller than the frame
would scroll when the map takes the focus, and shift canvas clicks."""


def carte_base(
    basemap: str = "aucun", *, networks: gpd.GeoDataFrame | None = None
) -> folium.Map:
    """The fixed part of the Carte's map: basemap, controls, static legend.

    Everything that depends on data comes in feature groups
    (:func:`carte_groups`) that streamlit-folium swaps without rebuilding
    this map, so a filter change keeps the person's own pan and zoom.

    Parameters
    ----------
    basemap : str, default "aucun"
        A key of :data:`BASEMAPS`.
    networks : geopandas.GeoDataFrame, optional
        The network perimeters that :func:`carte_groups` will draw: their
        shape file is fetched from the frame's start too.

    Returns
    -------
    folium.Map
        :func:`base_map` plus the shared canvas renderer and the legend of
        outlines (which line means what, dashes for partial or uncertain
        perimeters). Its first script (:func:`ess_geo.maps.shapes.prefetch_url`)
        starts fetching the national shapes, the networks' file and the
        map's stylesheet while Leaflet loads.
    """
    m = base_map(basemap=basemap)
    m.options["zoom_snap"] = 0.25  # fit France, a région… snugly at any size
    files: tuple[str, ...] = ()
    if networks is not None and len(networks):
        urls = network_urls(networks)
        files = (urls["display"],) if urls is not None else ()
    early = shapes.prefetch_url(
        PREFETCHED_LEVELS,
        files=files,
        styles=tuple(url for _, url in m.default_css),
        scripts=tuple(url for _, url in m.default_js),
    )
    if early is not None:  # first: the shapes load while Leaflet does
        m.default_js = [("ess_prefetch", early), *m.default_js]
        m.default_css = []  # the prefetch adds the stylesheet, at once
    m.get_root().header.add_child(folium.Element(_CARTE_CSS), name="ess_carte_css")
    layers.CanvasRenderer().add_to(m)
    shapes.ShapesLibrary().add_to(m)
    frame.Declutter().add_to(m)
    if basemap == "aucun":  # a basemap names its places itself
        frame.PlaceNames(frame.main_towns()).add_to(m)
    layers.FocusWithoutScroll().add_to(m)
    layers.LegendControl(
        "Contours",
        layers.outline_legend_html(
            [
                ("Région", OUTLINE_STYLES["region"]),
                ("Département", OUTLINE_STYLES["departement"]),
                ("Pays / PETR", OUTLINE_STYLES["pays"]),
                ("PNR", OUTLINE_STYLES["pnr"]),
                (
                    "PNR, périmètre partiel",
                    {**OUTLINE_STYLES["pnr"], "dashArray": _DASH},
                ),
                ("Réseau territorial de l'ESS", OUTLINE_STYLES["reseau"]),
                (
                    "Réseau, périmètre partiel ou incertain",
                    {**OUTLINE_STYLES["reseau"], "dashArray": _DASH},
                ),
            ]
        )
        + '<p class="ess-muted">Tirets : périmètre partiel ou incertain.</p>',
        position="topright",
        folded=True,
    ).add_to(m)
    return m


def _outline_features(
    level: str, box: tuple[float, float, float, float] | None
) -> tuple[list[int], list[dict[str, object]]]:
    index = mapview.layer_index(level)
    dashed: set[str] = set()
    if level == "pnr":
        complete = geography.territories("pnr")["perimetre_complet"].astype(bool)
        dashed = set(complete.index[~complete])
    positions = index.within(box).tolist()
    return positions, [
        {"d": _DASH} if index.codes[i] in dashed else {} for i in positions
    ]


def _choropleth_features(
    scene: mapview.Scene,
) -> tuple[list[int], list[dict[str, object]], list[str]]:
    """Positions, properties (colour, tooltip values) and tooltip labels.

    The browser composes each tooltip from the territory's name in the shape
    file and these labels and values (:func:`ess_geo.maps.shapes.tooltip_html`),
    and its click ref from the maille and the file's code.
    """
    index = mapview.layer_index(scene.maille)
    codes = index.codes[scene.positions]
    rows = scene.table.set_index("code").reindex(codes)
    indicator = scene.indicator
    counted = INDICATORS["structures"]
    labels = [indicator.label]
    columns = [[indicator.format(v) for v in rows[indicator.key].tolist()]]
    if indicator.key != "structures":
        labels.append(counted.short_label)
        columns.append([counted.format(v) for v in rows["structures"].tolist()])
    features = [
        {"c": colour, "v": list(values)}
        for colour, *values in zip(rows["couleur"].tolist(), *columns, strict=True)
    ]
    return [int(i) for i in scene.positions], features, labels


def _network_properties(networks: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """Each network's click ref, tooltip and dash (partial or uncertain)."""
    from ess_geo.workspace.networks import KIND_LABELS, STATUS_LABELS

    out = []
    for row in networks.itertuples(index=False):
        kind = KIND_LABELS.get(row.kind, row.kind)
        lines = [
            f"{kind} — {STATUS_LABELS.get(row.status, row.status)}",
            f"{int(row.membres)} membres enregistrés",
        ]
        if not row.perimetre_exact:
            lines.append("Périmètre partiel ou incertain")
        properties = {"r": f"reseau:{row.id}", "t": layers.tooltip(str(row.nom), lines)}
        if not row.perimetre_exact:
            properties["d"] = _DASH
        out.append(properties)
    return out


def network_urls(networks: gpd.GeoDataFrame) -> dict[str, str] | None:
    """The shape file of the networks' perimeters (:func:`shapes.geometry_urls`).

    It holds each network's tooltip, click ref and dash too; None when
    ``static/`` cannot be written.
    """
    properties = _network_properties(networks)
    return shapes.geometry_urls(
        "reseaux",
        networks.geometry.to_numpy(),
        {
            "t": [p["t"] for p in properties],
            "r": [p["r"] for p in properties],
            "d": [p.get("d") for p in properties],
        },
    )


def _network_layer(
    networks: gpd.GeoDataFrame,
    box: tuple[float, float, float, float] | None,
    *,
    canvas: bool,
) -> shapes.ShapeLayer | layers.GeoJsonLayer:
    """The networks' perimeters as lines, from a shape file of their own.

    The file changes with the workspace, not with a filter: a filter change
    sends the networks' positions only. Inline GeoJSON when ``static/``
    cannot be written.
    """
    style = {"style": OUTLINE_STYLES["reseau"], "highlight": {"weight": 5}}
    urls = network_urls(networks)
    inside = np.ones(len(networks), dtype=bool)
    if box is not None:
        bounds = networks.geometry.bounds
        inside = (
            (bounds["maxx"] >= box[0])
            & (bounds["minx"] <= box[2])
            & (bounds["maxy"] >= box[1])
            & (bounds["miny"] <= box[3])
        ).to_numpy()
    positions = np.flatnonzero(inside).tolist()
    if urls is not None:
        return shapes.ShapeLayer(
            "reseau", positions, None, urls=urls, lines=True, canvas=canvas, **style
        )
    properties = _network_properties(networks)
    outlines = mapview.geometry_json(networks.geometry.boundary.to_numpy()[positions])
    return layers.GeoJsonLayer(
        [
            layers.feature(outline, properties[i])
            for i, outline in zip(positions, outlines, strict=True)
        ],
        canvas=canvas,
        **style,
    )


def map_title(scene: mapview.Scene) -> str:
    """What the Carte's map shows, in words (the title of its frame).

    Examples: « Carte : Structures de l'ESS pour 10 000 habitants par EPCI,
    France » or « …, Finistère (département) ».
    """
    where = "France"
    if scene.selection is not None:
        where = scene.selection.label
    return (
        f"Carte : {scene.indicator.label} par "
        f"{mapview.level_name(scene.maille)}, {where}"
    )


def carte_groups(
    scene: mapview.Scene, *, networks: gpd.GeoDataFrame | None = None
) -> list[folium.FeatureGroup]:
    """The data layers of the Carte for a scene, one feature group each.

    Parameters
    ----------
    scene : ess_geo.maps.mapview.Scene
        What to show.
    networks : geopandas.GeoDataFrame, optional
        Network perimeters (:func:`ess_geo.maps.perimeters.network_perimeters`).

    Returns
    -------
    list of folium.FeatureGroup
        In drawing order: the choropleth of the maille (with its classed
        legend), the outlines of régions and départements, EPCI (inside a
        selection, when the maille is another level), pays and PNR, the
        network perimeters, the
        selected territory, then the actors (clustered markers with the
        famille legend) or the proportional circles (with their legend).
        When markers are drawn, every layer uses the shared canvas, so that
        clicks reach the markers and the territories alike.
    """
    canvas = scene.mode == "marqueurs"
    box = scene.box
    groups: list[folium.FeatureGroup] = []

    indicator = scene.indicator
    choropleth = folium.FeatureGroup(
        name=f"{indicator.label} ({mapview.MAILLES[scene.maille]})"
    )
    frame.GroupReset().add_to(choropleth)  # first: before the groups are pushed
    frame.FrameTitle(map_title(scene)).add_to(choropleth)
    layers.RendererSwitch(canvas).add_to(choropleth)
    layers.FitOnce(
        scene.selection.ref if scene.selection else "france",
        scene.fit or FRANCE_BOUNDS,
    ).add_to(choropleth)
    positions, features, labels = _choropleth_features(scene)
    shapes.shape_layer(
        scene.maille,
        positions,
        features,
        tip_labels=labels,
        ref_level=scene.maille,
        style={
            "color": "#ffffff",
            "weight": 0.6,
            "fillOpacity": 0.45 if canvas else 0.78,
        },
        highlight={"weight": 2.5, "color": "#000000"},
        canvas=canvas,
    ).add_to(choropleth)
    no_data = (
        "Périmètre ou population inconnus"
        if scene.maille == "pnr"
        else "Sans population connue"
    )
    layers.LegendControl(
        indicator.label,
        layers.class_legend_html(
            scene.classification,
            decimals=indicator.decimals,
            method_label=METHODS[scene.classification.method],
            maille_label=f"{len(scene.table)} {mapview.MAILLES[scene.maille]}",
            no_data_label=no_data,
        ),
    ).add_to(choropleth)
    groups.append(choropleth)

    outlines = [
        ("Régions et départements", ("departement", "region")),
        ("Pays / PETR", ("pays",)),
        ("Parcs naturels régionaux", ("pnr",)),
    ]
    if scene.maille != "epci" and box is not None:
        # EPCI lines help inside a selection; nationally they would only
        # clutter (and weigh) a map coloured at another level.
        outlines.insert(1, ("Contours des EPCI", ("epci",)))
    for name, levels in outlines:
        group = folium.FeatureGroup(name=name)
        for level in levels:
            shapes.shape_layer(
                level,
                *_outline_features(level, box),
                style=OUTLINE_STYLES[level],
                interactive=False,
                canvas=canvas,
            ).add_to(group)
        groups.append(group)

    if networks is not None and len(networks):
        group = folium.FeatureGroup(name="Réseaux territoriaux de l'ESS")
        _network_layer(networks, box, canvas=canvas).add_to(group)
        groups.append(group)

    if scene.selection is not None:
        index = mapview.layer_index(scene.selection.level)
        found = index.codes.get_indexer([scene.selection.code])[0]
        if found >= 0:
            group = folium.FeatureGroup(name="Territoire sélectionné")
            frame.LegendFold(
                scene.selection.ref, tuple(float(v) for v in index.bounds[found])
            ).add_to(group)
            layers.GeoJsonLayer(  # one shape: inline, no file to fetch
                [layers.feature(index.geometries[found], {})],
                style={"color": "#000000", "weight": 3.5, "fill": False},
                interactive=False,
                canvas=canvas,
            ).add_to(group)
            groups.append(group)

    if scene.markers is not None:
        group = folium.FeatureGroup(
            name=f"Acteurs de l'ESS ({formats.number(len(scene.markers))})"
        )
        layers.ActorLayer(scene.markers, canvas=canvas).add_to(group)
        layers.LegendControl(
            "Familles de l'ESS",
            layers.family_legend_html(
                scene.markers["famille"].value_counts().to_dict()
            ),
            position="bottomleft",
        ).add_to(group)
        groups.append(group)
    elif scene.circles is not None and len(scene.circles):
        circles = scene.circles.copy()
        level = circles["niveau"].iloc[0]
        max_radius = 26.0 if len(circles) < 200 else 22.0
        circles["radius"] = layers.circle_radii(circles["structures"], max_radius)
        circles["tip"] = [
            layers.tooltip(nom, [f"{formats.number(n)} acteurs de l'ESS"])
            for nom, n in zip(circles["nom"], circles["structures"], strict=True)
        ]
        circles["ref"] = level + ":" + circles["code"].astype(str)
        circles["label"] = [
            formats.number(n) if r >= 14 else ""
            for n, r in zip(circles["structures"], circles["radius"], strict=True)
        ]
        what = f"acteurs par {mapview.level_name(level)}"
        group = folium.FeatureGroup(name=f"Nombre d'{what}")
        counts = layers.CircleLayer(circles, canvas=canvas)
        counts.add_to(group)
        frame.CircleLabels(counts).add_to(group)
        layers.LegendControl(
            "Nombre d'acteurs",
            layers.circle_legend_html(
                int(circles["structures"].max()), max_radius, what
            ),
            position="bottomleft",
        ).add_to(group)
        groups.append(group)
    return groups
