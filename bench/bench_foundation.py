"""Foundation: loading the geography, generating the demo, building the Carte map."""

from __future__ import annotations

import time

from bench.common import Measure, best_time
from ess_geo import demo, geography, maps


def run() -> list[Measure]:
    """Measure the foundation's hot paths."""
    start = time.perf_counter()
    geography.load_layer("epci")
    geography.membership()
    cold = time.perf_counter() - start

    gen_30k, actors = best_time(lambda: demo.generate_actors(30_000), repeat=3)
    gen_300k, _ = best_time(lambda: demo.generate_actors(300_000), repeat=1)

    overlays = {
        level: maps.territory_features(geography.load_layer(level), ["nom"])
        for level in ("epci", "pays", "pnr")
    }

    def national_map() -> str:
        m = maps.carte_map(basemap="aucun", view=maps.FRANCE_VIEW, overlays=overlays)
        return m.get_root().render()

    finistere = geography.load_layer("departement").query("code == '29'")
    in_29 = geography.communes_of("departement", "29")
    shown = actors[actors["code_commune"].isin(in_29)]

    def finistere_map() -> str:
        m = maps.carte_map(
            basemap="aucun",
            view=maps.FRANCE_VIEW,
            overlays=overlays,
            selection=maps.territory_features(finistere, ["nom"]),
            actors=shown,
        )
        return m.get_root().render()

    national_s, national = best_time(national_map)
    dep_s, dep_html = best_time(finistere_map)
    return [
        Measure("load EPCI layer + membership (cold)", cold, "s"),
        Measure("generate 30,000 demo actors", gen_30k, "s", budget=5),
        Measure("generate 300,000 demo actors", gen_300k, "s"),
        Measure("build + render national Carte map", national_s, "s", budget=1),
        Measure(
            "national Carte map HTML", len(national.encode()) / 1e6, "MB", budget=3
        ),
        Measure("build + render Finistère map (30k demo)", dep_s, "s", budget=1),
        Measure("Finistère Carte map HTML", len(dep_html.encode()) / 1e6, "MB"),
    ]
