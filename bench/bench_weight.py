"""Weight: 1,000,000 actors to all six levels, against a spatial-join baseline;
the panorama territorial built for the demo workspace."""

from __future__ import annotations

import gc
import time

import geopandas as gpd

from bench.common import Measure, best_time
from ess_geo.actors import demo
from ess_geo.analysis import weight
from ess_geo.geo import geography
from ess_geo.report import panorama, panorama_pdf

ACTORS = 1_000_000
DEMO = 30_000
PANORAMA_TERRITORIES = (
    ("epci", "242900314"),  # Brest Métropole
    ("commune", "75056"),  # Paris: many small neighbours on the commune map
    ("region", "84"),  # Auvergne-Rhône-Alpes: most actors on the map
)


def _all_levels(actors) -> dict:
    totals = weight.by_commune(actors)
    return {level: weight.indicators(totals, level) for level in geography.LEVELS}


def _spatial_join_baseline(actors, communes: gpd.GeoDataFrame) -> tuple[dict, float]:
    """Assign actors to communes by point-in-polygon, then group by level.

    Also returns the share of actors placed in the commune their code names.
    """
    points = gpd.GeoDataFrame(
        actors[["famille", "effectif", "tranche_effectif"]],
        geometry=gpd.points_from_xy(actors["longitude"], actors["latitude"]),
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(points, communes[["code", "geometry"]], predicate="within")
    placed = joined.rename(columns={"code": "code_commune"}).drop(columns="geometry")
    same = (placed["code_commune"] == actors.loc[placed.index, "code_commune"]).sum()
    return _all_levels(placed), same / len(actors)


def _aggregation() -> list[Measure]:
    big = demo.generate_actors(ACTORS, seed=1)
    _all_levels(big.head(1_000))  # read the geography tables once, untimed
    ours_s, _ = best_time(lambda: _all_levels(big), repeat=5)
    communes = geography.load_layer("commune", "full")
    communes.sindex  # noqa: B018 - build the index outside the timing
    base_s, (_, agreement) = best_time(
        lambda: _spatial_join_baseline(big, communes), repeat=1
    )
    return [
        Measure(
            "1,000,000 actors to all six levels (by_commune + indicators)",
            ours_s,
            "s",
            budget=2,
        ),
        Measure(
            "baseline: geopandas sjoin within communes + same group-bys", base_s, "s"
        ),
        Measure("speed-up over the spatial-join baseline", base_s / ours_s, "×"),
        Measure(
            "actors the baseline places in the commune of their code",
            agreement * 100,
            "%",
        ),
    ]


def _panoramas() -> list[Measure]:
    actors = demo.generate_actors(DEMO)
    measures = []
    for level, code in PANORAMA_TERRITORIES:
        start = time.perf_counter()
        panorama_pdf.to_pdf(panorama.build(actors, level, code, is_demo=True))
        cold = time.perf_counter() - start

        def both(level=level, code=code) -> bytes:
            built = panorama.build(actors, level, code, is_demo=True)
            panorama.to_html(built)
            return panorama_pdf.to_pdf(built)

        warm, pdf = best_time(both, repeat=3)
        name = geography.territories(level).at[code, "nom"]
        measures += [
            Measure(
                f"panorama {name} ({level}): first build + PDF", cold, "s", budget=3
            ),
            Measure(f"panorama {name}: build + PDF + HTML", warm, "s", budget=3),
            Measure(f"panorama {name}: PDF size", len(pdf) / 1024, "KB"),
        ]
    return measures


def _neighbours() -> list[Measure]:
    start = time.perf_counter()
    geography.neighbours("commune", "29019")
    first = time.perf_counter() - start
    query, _ = best_time(lambda: geography.neighbours("commune", "29075"), repeat=5)
    return [
        Measure(
            "neighbours of a commune, first call (layer read, index built)", first, "s"
        ),
        Measure("neighbours of a commune, next calls", query * 1000, "ms"),
    ]


def run() -> list[Measure]:
    """Aggregate 1 M actors; build panoramas; find neighbours."""
    measures = _aggregation()
    # The million actors are gone: without a collection, the garbage
    # collector's passes over their objects would slow the next measures.
    gc.collect()
    return measures + _neighbours() + _panoramas()
