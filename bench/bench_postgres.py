"""Imports into a PostgreSQL workspace: the 1M-row SIRENE benchmark with COPY.

The same files and child processes as :mod:`bench.bench_imports`, with the
workspace a PostgreSQL 15 + PostGIS database (a throw-away server started
here, tests/pgserver.py: Debian's binaries, durability off as for the
tests; a production server with ``fsync`` on writes the WAL more slowly).
New actors are written with ``COPY`` (:func:`ess_geo.workspace.dialect.copy_rows`),
in the import's one transaction, their PostGIS point computed by the
database (a generated column with a GiST index). Each workspace starts with
the full demo (300,000 fictitious actors), which the first import replaces:
journaled for undo, then the table truncated rather than emptied row by
row (:meth:`ess_geo.workspace.history.Journal.delete`), and the GiST index
is built once after the new rows
(:func:`ess_geo.workspace.dialect.spatial_index_built_after`).

A last child times PostgreSQL alone copying 1,000,000 ready-made actor rows
into the empty table (GiST index built after the rows, as for an import
into a workspace without actors), the floor under the all-ESS figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.bench_imports import ROOT, ROWS, _measures, _run_child, write_stock
from bench.common import Measure

sys.path.insert(0, str(ROOT / "tests"))


def _floor(workspace: str) -> None:
    """Time PostgreSQL alone: 1M ready-made actor rows through ``COPY``."""
    from ess_geo.geo import geography
    from ess_geo.workspace import dialect, store

    conn = store.connect(workspace)
    codes = geography.communes().index.to_numpy()
    where = np.random.default_rng(1).integers(0, len(codes), ROWS)
    names = (
        "id",
        "siret",
        "nom",
        "famille",
        "naf",
        "code_commune",
        "latitude",
        "longitude",
        "placement",
        "is_demo",
        "source",
        "created_at",
        "updated_at",
    )
    rows = [
        (
            i + 1,
            f"{10**13 + i}",
            f"UNITE {i} SOLIDAIRE",
            "association",
            "88.91A",
            codes[where[i]],
            45.0 + i * 1e-7,
            2.0,
            "coordonnees",
            0,
            "bench",
            "t",
            "t",
        )
        for i in range(ROWS)
    ]
    start = time.perf_counter()
    with store.transaction(conn), dialect.spatial_index_built_after(conn, empty=True):
        dialect.copy_rows(conn, "actors", names, rows)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def run() -> list[Measure]:
    """Start a server, import the files in child processes, and report."""
    import pgserver

    if not pgserver.available():
        raise SystemExit(
            "PostgreSQL 15 + PostGIS missing: apt-get install postgresql-15-postgis-3"
        )
    measures = []
    with tempfile.TemporaryDirectory() as tmp, pgserver.running() as server:
        folder = Path(tmp)
        for number, (label, ess_share, closed) in enumerate(
            (("10 % ESS", 0.1, 0.15), ("all ESS", 1.0, 0.0))
        ):
            files = folder / f"stock{number}"
            files.mkdir()
            stock = write_stock(files, ROWS, ess_share, closed)
            url = server.create_database(f"bench{number}")
            seed = (
                "from ess_geo.workspace import seeding; "
                f"seeding.open_workspace({url!r})"
            )
            subprocess.run([sys.executable, "-c", seed], check=True, cwd=ROOT)
            figures = _run_child("--child", str(stock), url)
            measures += _measures(f"{label}, PostgreSQL", figures, budget=number == 0)
            if number == 0:
                again = _run_child("--child", str(stock), url)
                measures += _measures(
                    f"{label}, PostgreSQL, again (every SIRET known)", again
                )
        url = server.create_database("floor")
        floor = json.loads(
            subprocess.run(
                [sys.executable, "-m", "bench.bench_postgres", "--floor", url],
                check=True,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        measures.append(
            Measure(
                "PostgreSQL alone: 1M ready-made actor rows copied per second",
                ROWS / floor["seconds"],
                "rows/s",
            )
        )
    return measures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--floor":
        _floor(sys.argv[2])
    else:
        raise SystemExit("usage: python -m bench postgres")
