"""Annuaire: commune search, distance sort and a page of results (30k, 300k actors)."""

from __future__ import annotations

import time
from functools import partial

from bench.common import Measure, best_time
from ess_geo.actors import demo
from ess_geo.analysis import directory
from ess_geo.maps import directory_map
from ess_geo.pages import cards


def _page(index: directory.ActorIndex, query: str, radius: int, need: str | None):
    """What the page computes for one request, server side."""
    matches = directory.search_communes(query)
    place = directory.commune_place(directory.suggestions(matches)[0])
    found = index.near(place.lon, place.lat, radius, need=need)
    page = directory.paginate(len(found), 1)
    shown = found.iloc[page.start : page.stop]
    html = cards.actor_cards(shown, start=page.start + 1, memberships={})
    m = directory_map.directory_map(
        centre=(place.lat, place.lon),
        radius_km=radius,
        actors=shown,
        start=page.start + 1,
        centre_label=place.nom,
    )
    return len(found), len(html) + len(m.get_root().render())


def run() -> list[Measure]:
    """Measure the Annuaire's hot paths."""
    directory.search_communes("x")  # commune index, built once per process
    search_s, _ = best_time(lambda: directory.search_communes("sainte marie"), 5)
    postal_s, _ = best_time(lambda: directory.search_communes("29200"), 5)

    measures = [
        Measure("search « sainte marie » (35 k communes)", search_s, "s", budget=0.1),
        Measure("search « 29200 »", postal_s, "s", budget=0.1),
    ]
    paris = directory.commune_place("75056")
    for size in (30_000, 300_000):
        actors = demo.generate_actors(size)
        start = time.perf_counter()
        index = directory.ActorIndex.build(actors)
        build_s = time.perf_counter() - start
        near_10, found_10 = best_time(partial(index.near, paris.lon, paris.lat, 10), 5)
        near_50, found_50 = best_time(partial(index.near, paris.lon, paris.lat, 50), 5)
        need_50, _ = best_time(
            partial(index.near, paris.lon, paris.lat, 50, need="sante"), 5
        )
        page_s, _ = best_time(partial(_page, index, "paris", 50, None), 3)
        label = f"{size:,}".replace(",", " ")
        measures += [
            Measure(
                f"index {label} actors (once per workspace revision)", build_s, "s"
            ),
            Measure(
                f"near Paris 10 km, {label} actors ({len(found_10)} found)",
                near_10,
                "s",
                budget=0.5,
            ),
            Measure(
                f"near Paris 50 km, {label} actors ({len(found_50)} found)",
                near_50,
                "s",
                budget=0.5,
            ),
            Measure(
                f"near Paris 50 km + need santé, {label}", need_50, "s", budget=0.5
            ),
            Measure(
                f"whole request: search + sort + page + cards + map, {label}",
                page_s,
                "s",
                budget=0.5,
            ),
        ]
    return measures
