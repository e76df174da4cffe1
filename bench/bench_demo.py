"""The calibrated demo: first start (generate and write), and the prospect score.

First start is measured as a person meets it: a new Python process opens a
workspace that does not exist yet (imports, geography, generation of the
299,932 calibrated actors, one write transaction). The budget is the
issue's: 15 s on the development machine. The score's Spearman correlation
with population, over the ranked EPCI of the full demo (reference networks,
Bretagne's inventory complete, default weights and size condition), must
stay under 0.5: the ranking is not a population ranking.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Measure

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, time
start = time.perf_counter()
from ess_geo.workspace import seeding, store
steps = []
conn = seeding.open_workspace({path!r}, progress=lambda m: steps.append(
    (m, time.perf_counter() - start)))
total = time.perf_counter() - start
actors = conn.execute("SELECT count(*) FROM actors").fetchone()[0]
print(json.dumps({{"total": total, "steps": steps, "actors": actors}}))
"""


def _first_start() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "workspace.sqlite")
        out = subprocess.run(
            [sys.executable, "-c", _CHILD.format(path=path)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> list[Measure]:
    """Measure the first start and the score's correlation with population."""
    from ess_geo.actors import demo
    from ess_geo.analysis import coverage, prospects
    from ess_geo.workspace import networks

    first = _first_start()
    (_, generated_at), (_, writing_at) = first["steps"]
    start = time.perf_counter()
    actors = demo.generate_actors()
    generate = time.perf_counter() - start
    table, perimeters = networks.read_networks_csv(networks.SEED_PATH)
    gaps = coverage.gaps(table, perimeters, actors, "epci", complete_regions=["53"])
    ranked = int(gaps["rang"].notna().sum())
    return [
        Measure(
            f"first start: new workspace, {first['actors']:,} demo actors "
            "(process start to written)",
            first["total"],
            "s",
            budget=15,
        ),
        Measure("first start: until generation starts (imports)", generated_at, "s"),
        Measure("first start: generation", writing_at - generated_at, "s"),
        Measure("first start: one write transaction", first["total"] - writing_at, "s"),
        Measure("generate the calibrated demo (warm)", generate, "s"),
        Measure(
            f"Spearman(score, population), {ranked} ranked EPCI, default weights",
            prospects.population_correlation(gaps),
            "",
            budget=0.5,
        ),
    ]
