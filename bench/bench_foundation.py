"""Foundation: loading the geography and generating the demo dataset.

The maps have their own benchmarks (carte, coverage, annuaire)."""

from __future__ import annotations

import time

from bench.common import Measure, best_time
from ess_geo.actors import demo
from ess_geo.geo import geography


def run() -> list[Measure]:
    """Measure the foundation's hot paths."""
    start = time.perf_counter()
    geography.load_layer("epci")
    geography.membership()
    cold = time.perf_counter() - start

    gen_30k, _ = best_time(lambda: demo.generate_actors(30_000), repeat=3)
    gen_full, _ = best_time(lambda: demo.generate_actors(), repeat=1)

    return [
        Measure("load EPCI layer + membership (cold)", cold, "s"),
        Measure("generate 30,000 demo actors", gen_30k, "s", budget=5),
        Measure("generate the calibrated demo (299,932 actors)", gen_full, "s"),
    ]
