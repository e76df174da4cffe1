"""Coverage: neighbours, coverage and prospect score by EPCI, the Couverture map."""

from __future__ import annotations

import time

from bench.common import Measure, best_time
from ess_geo.actors import demo
from ess_geo.analysis import budget, coverage, prospects
from ess_geo.geo import geography
from ess_geo.maps import coverage_map
from ess_geo.workspace import networks


def run() -> list[Measure]:
    """Measure the coverage hot paths with the 30,000 and 300,000 demos."""
    table, perimeters = networks.read_networks_csv(networks.SEED_PATH)

    start = time.perf_counter()
    geography.neighbour_pairs("epci")
    neighbours_cold = time.perf_counter() - start

    coverage_s, _ = best_time(lambda: coverage.coverage(table, perimeters, "epci"))
    measures = [
        Measure("EPCI adjacency, once per process (cold)", neighbours_cold, "s"),
        Measure("coverage of the 1,253 EPCI (31 networks)", coverage_s, "s"),
    ]
    for size, budget_s in ((30_000, 1.0), (300_000, 2.0)):
        actors = demo.generate_actors(size)
        label = f"{size:,}"
        gaps_s, result = best_time(
            lambda actors=actors: coverage.gaps(table, perimeters, actors, "epci")
        )
        inputs_s, inputs = best_time(
            lambda actors=actors: coverage.ess_inputs(actors, "epci")
        )
        cached_s, _ = best_time(
            lambda inputs=inputs: coverage.gaps(
                table, perimeters, None, "epci", inputs=inputs
            )
        )
        measures += [
            Measure(
                f"gaps, EPCI: coverage + ESS inputs + score ({label} actors)",
                gaps_s,
                "s",
                budget=budget_s,
            ),
            Measure(f"ESS inputs of the score, EPCI ({label} actors)", inputs_s, "s"),
            Measure(
                f"coverage + score with cached ESS inputs ({label} actors)",
                cached_s,
                "s",
                budget=0.5,
            ),
        ]

    ranked = prospects.display_prospects(result)

    def national_map() -> str:
        # As the page draws it: a fixed base, and layers that carry colours
        # and tooltips only (the shapes are static files fetched once).
        m = coverage_map.coverage_base()
        for group in coverage_map.coverage_groups(
            coverage_map.coverage_shapes(result, "epci"),
            coverage.summary(result),
            level="epci",
            fit=("couverture:epci:", None),
            selected=ranked["Code"].head(5),
        ):
            group.add_to(m)
        return m.get_root().render()

    map_s, html = best_time(national_map)
    budget_s, _ = best_time(
        lambda: budget.simulate_budget(
            ranked["Code"].head(100),
            budget.BudgetAssumptions(horizon_years=30, launches_per_year=5),
        )
    )
    return [
        *measures,
        Measure("build + render national Couverture map", map_s, "s", budget=1),
        Measure(
            "national Couverture map HTML", len(html.encode()) / 1e6, "MB", budget=3
        ),
        Measure("budget of 100 launches over 30 years", budget_s, "s", budget=0.1),
    ]
