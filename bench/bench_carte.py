"""Carte: Python time to build each view and bytes sent to the browser.

A view is what the page computes for one state: the filtered actors, the
scene (:func:`ess_geo.maps.mapview.build_scene`), the map's feature groups
(:func:`ess_geo.maps.cartemap.carte_groups`) and the arguments streamlit-folium sends
to the browser, computed with its own functions. The bytes are those
arguments (the base map's script, header and HTML, every feature group and
the layer control), which is what a view costs over the wire.

A filter change is timed from the new filter to the arguments ready to send,
with what the page caches (the prepared actor table, the network perimeters,
the geometry indexes) already warm, as they are after the first view.
"""

from __future__ import annotations

import time

import folium
import pandas as pd
from streamlit_folium import (
    _get_feature_group_string,
    _get_header,
    _get_html,
    _get_layer_control_string,
    _get_map_string,
)

from bench.common import Measure, best_time
from ess_geo.actors import demo
from ess_geo.analysis import filters
from ess_geo.analysis.filters import ActorFilters
from ess_geo.maps import cartemap, mapview, perimeters
from ess_geo.workspace import networks as network_files


def _networks() -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """The reference networks, 20 members each, and their perimeters."""
    table, territories = network_files.read_networks_csv(network_files.SEED_PATH)
    table.index = pd.RangeIndex(1, len(table) + 1, name="id")
    table["membres"] = 20
    ids = dict(zip(table["nom"], table.index, strict=True))
    territories["network_id"] = territories["nom"].map(ids)
    members = pd.DataFrame(columns=["network_id", "actor_id"])
    return members, territories, perimeters.network_perimeters(table, territories)


def _payload(scene: mapview.Scene, perimeters: object) -> int:
    """Bytes of what streamlit-folium sends for a scene (as the page calls it)."""
    base = cartemap.carte_base()
    base.get_root().render()
    html, header, script = _get_html(base), _get_header(base), _get_map_string(base)
    groups = cartemap.carte_groups(scene, networks=perimeters)
    group_js = "".join(
        _get_feature_group_string(group, map=base, idx=i)
        for i, group in enumerate(groups)
    )
    control = _get_layer_control_string(folium.LayerControl(collapsed=True), base)
    return sum(len(part.encode()) for part in (html, header, script, group_js, control))


def _view(
    prepared: pd.DataFrame,
    members: pd.DataFrame,
    perimeters: object,
    chosen: ActorFilters,
    selection: mapview.Territory | None,
) -> int:
    shown = filters.apply(prepared, chosen, members)
    scene = mapview.build_scene(shown, selection=selection)
    return _payload(scene, perimeters)


def run() -> list[Measure]:
    """Measure the Carte's views with the 30,000- and 300,000-actor demos."""
    members, _, perimeters = _networks()
    finistere = mapview.territory("departement", "29")
    paris = mapview.territory("departement", "75")
    coops = ActorFilters(familles=("cooperative",))
    employers = ActorFilters(familles=("association",), employeur="oui")

    start = time.perf_counter()
    for level in ("epci", "departement", "region", "pays", "pnr", "commune"):
        mapview.layer_index(level)
    cold = time.perf_counter() - start

    measures = [Measure("geometry indexes of the six levels (cold, once)", cold, "s")]
    for size, budget in ((30_000, 1.0), (300_000, 2.0)):
        actors = demo.generate_actors(size)
        actors.index = pd.RangeIndex(1, size + 1, name="id")
        prepared = filters.prepare(actors, members)
        label = f"{size:,}".replace(",", " ")
        _view(prepared, members, perimeters, ActorFilters(), None)  # warm caches

        national_s, national = best_time(
            lambda p=prepared: _view(p, members, perimeters, ActorFilters(), None)
        )
        dep_s, dep = best_time(
            lambda p=prepared: _view(p, members, perimeters, ActorFilters(), finistere)
        )
        paris_s, paris_bytes = best_time(
            lambda p=prepared: _view(p, members, perimeters, ActorFilters(), paris)
        )
        change_s, _ = best_time(
            lambda p=prepared: _view(p, members, perimeters, coops, None)
        )
        change_dep_s, _ = best_time(
            lambda p=prepared: _view(p, members, perimeters, employers, finistere)
        )
        in_29 = filters.apply(prepared, ActorFilters(), members)
        shown_29 = mapview.build_scene(in_29, selection=finistere)
        measures += [
            Measure(f"{label} actors: national view, build", national_s, "s"),
            Measure(f"{label} actors: national view, sent", national / 1e6, "MB", 3),
            Measure(
                f"{label} actors: Finistère ({len(shown_29.shown)} actors, "
                f"{shown_29.mode}), build",
                dep_s,
                "s",
            ),
            Measure(f"{label} actors: Finistère view, sent", dep / 1e6, "MB", 1.5),
            Measure(f"{label} actors: Paris view, build", paris_s, "s"),
            Measure(f"{label} actors: Paris view, sent", paris_bytes / 1e6, "MB", 1.5),
            Measure(
                f"{label} actors: filter change, national view", change_s, "s", budget
            ),
            Measure(
                f"{label} actors: filter change, Finistère view",
                change_dep_s,
                "s",
                budget,
            ),
        ]
    return measures
