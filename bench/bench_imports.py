"""Imports: throughput and peak memory of a 1,000,000-row SIRENE Parquet import.

The benchmark writes, into a temporary folder, a StockEtablissement Parquet
file of 1,000,000 rows and its StockUniteLegale, with INSEE's column names
and value shapes: sorted by SIREN as INSEE publishes them, Luhn-valid SIRETs,
Lambert-93 coordinates of real commune points (a few metres of jitter),
tranche codes, NAF codes, ``[ND]`` for some hidden coordinates.

Two files are measured, each imported by ``python -m ess_geo import`` logic
(:func:`ess_geo.io.imports.open_source` +
:func:`ess_geo.workspace.loading.import_actors`)
in a fresh child process over a workspace holding the 30,000-actor demo
(which the import replaces):

- *10 % ESS*: one unit in ten is ESS and 15 % of establishments are closed;
  most rows are read and left out, as with the real stock (where ESS
  establishments are a few per cent of all). The same file is then imported
  a second time: every SIRET is already stored, the update path;
- *all ESS*: every establishment is open and belongs to an ESS unit, so all
  1,000,000 rows are checked, placed and written: a stress case, recorded
  without a budget, next to SQLite's own insertion speed on the machine.

A last child times SQLite alone inserting 1,000,000 ready-made rows into
the actors table, the floor under the all-ESS figure.

Rows per second count the rows of the file (read), over the wall time of
opening, reading, checking, placing, deduplicating and committing. Peak
memory is the child process's maximum resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), which includes the Python
interpreter, pandas, the geography and the commune polygons' STRtree.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bench.common import Measure
from ess_geo import paths

ROWS = 1_000_000
ROOT = paths.ROOT


def _luhn_complete(bodies: np.ndarray, width: int) -> np.ndarray:
    """Append the Luhn key to integer bodies of ``width - 1`` digits."""
    digits = np.zeros((len(bodies), width - 1), dtype=np.int64)
    rest = bodies.copy()
    for position in range(width - 2, -1, -1):
        digits[:, position] = rest % 10
        rest //= 10
    # With the key appended, the body's last digit is second from the right
    # and doubled.
    doubled_positions = np.arange(width - 2, -1, -2)
    plain_positions = np.arange(width - 3, -1, -2)
    doubled = digits[:, doubled_positions] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + digits[:, plain_positions].sum(axis=1)
    key = (10 - total % 10) % 10
    return bodies * 10 + key


def write_stock(folder: Path, rows: int, ess_share: float, closed_share: float) -> Path:
    """Write StockEtablissement and StockUniteLegale Parquet files; return the first."""
    from pyproj import Transformer

    from ess_geo.geo import geography

    rng = np.random.default_rng(2011)
    communes = geography.communes().dropna(subset=["lat"])
    communes = communes[~communes["departement"].str.startswith("97")]
    units = rows // 2
    bodies = rng.choice(9 * 10**7, units, replace=False) + 10**7
    siren = np.sort(_luhn_complete(bodies, 9))
    cj = rng.choice(["9220", "5458", "8210", "9300", "5710", "5499"], units)
    ess = np.where(rng.random(units) < ess_share, "O", "N")
    pq.write_table(
        pa.table(
            {
                "siren": pa.array([f"{s:09d}" for s in siren]),
                "statutDiffusionUniteLegale": pa.array(np.full(units, "O")),
                "denominationUniteLegale": pa.array(
                    [f"UNITE {i} SOLIDAIRE" for i in range(units)]
                ),
                "categorieJuridiqueUniteLegale": pa.array(cj),
                "economieSocialeSolidaireUniteLegale": pa.array(ess),
            }
        ),
        folder / "StockUniteLegale_utf8.parquet",
    )
    unit_of_row = np.sort(rng.integers(0, units, rows))
    nic_index = np.zeros(rows, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(unit_of_row)) + 1]
    nic_index[starts] = 1
    first_of_unit = np.maximum.accumulate(np.where(nic_index, np.arange(rows), 0))
    nic_index = np.arange(rows) - first_of_unit
    bodies = siren[unit_of_row] * 10**4 + nic_index + 1
    siret = _luhn_complete(bodies, 14)
    where = rng.integers(0, len(communes), rows)
    lon = communes["lon"].to_numpy()[where] + rng.normal(0, 0.0003, rows)
    lat = communes["lat"].to_numpy()[where] + rng.normal(0, 0.0003, rows)
    x, y = Transformer.from_crs(4326, 2154, always_xy=True).transform(lon, lat)
    x_text = np.char.mod("%.1f", x).astype(object)
    hidden = rng.random(rows) < 0.02
    x_text[hidden] = "[ND]"
    y_text = np.char.mod("%.1f", y).astype(object)
    y_text[hidden] = "[ND]"
    codes = communes.index.to_numpy()[where]
    etat = np.where(rng.random(rows) < closed_share, "F", "A")
    table = pa.table(
        {
            "siren": pa.array([f"{s:09d}" for s in siren[unit_of_row]]),
            "nic": pa.array([f"{n + 1:05d}" for n in nic_index]),
            "siret": pa.array([f"{s:014d}" for s in siret]),
            "trancheEffectifsEtablissement": pa.array(
                rng.choice(["NN", "00", "01", "02", "03", "11", "12", "21"], rows)
            ),
            "etablissementSiege": pa.array(np.where(nic_index == 0, "true", "false")),
            "enseigne1Etablissement": pa.array(
                np.where(rng.random(rows) < 0.2, "ANTENNE", None)
            ),
            "denominationUsuelleEtablissement": pa.nulls(rows, pa.string()),
            "numeroVoieEtablissement": pa.array(rng.integers(1, 200, rows).astype(str)),
            "typeVoieEtablissement": pa.array(
                rng.choice(["RUE", "AV", "BD", "PL"], rows)
            ),
            "libelleVoieEtablissement": pa.array(np.full(rows, "DE LA REPUBLIQUE")),
            "codePostalEtablissement": pa.array(np.full(rows, "00000")),
            "libelleCommuneEtablissement": pa.array(
                geography.communes()["nom"]
                .to_numpy()[geography.communes().index.get_indexer(codes)]
                .astype(str)
            ),
            "codeCommuneEtablissement": pa.array(codes.astype(str)),
            "coordonneeLambertAbscisseEtablissement": pa.array(x_text, pa.string()),
            "coordonneeLambertOrdonneeEtablissement": pa.array(y_text, pa.string()),
            "etatAdministratifEtablissement": pa.array(etat),
            "activitePrincipaleEtablissement": pa.array(
                rng.choice(["88.91A", "94.99Z", "88.10A", "56.10A", "65.12Z"], rows)
            ),
            "nomenclatureActivitePrincipaleEtablissement": pa.array(
                np.full(rows, "NAFRev2")
            ),
        }
    )
    path = folder / "StockEtablissement_utf8.parquet"
    pq.write_table(table, path, row_group_size=100_000)
    return path


def _child(stock: str, workspace: str) -> None:
    """Import ``stock`` into ``workspace`` and print timing and peak memory."""
    from ess_geo.io import imports
    from ess_geo.workspace import loading, seeding

    conn = seeding.open_workspace(workspace)
    start = time.perf_counter()
    source = imports.open_source(Path(stock))
    report = loading.import_actors(conn, source)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
                "read": report.read,
                "imported": report.imported,
                "updated": report.updated,
                "rejected": len(report.rejected),
                "ignored": report.ignored,
                "error": report.error,
            }
        )
    )


def _floor(workspace: str) -> None:
    """Time SQLite alone: 1M ready-made actor rows through ``executemany``."""
    from ess_geo.geo import geography
    from ess_geo.workspace import store

    conn = store.connect(workspace)
    codes = geography.communes().index.to_numpy()
    rng = np.random.default_rng(1)
    where = rng.integers(0, len(codes), ROWS)
    columns = (
        "siret, nom, categorie_juridique, famille, naf, tranche_effectif, adresse, "
        "code_postal, commune, code_commune, latitude, longitude, placement, "
        "is_demo, source, created_at, updated_at"
    )
    rows = [
        (
            f"{10**13 + i}",
            f"UNITE {i} SOLIDAIRE",
            "9220",
            "association",
            "88.91A",
            "12",
            f"{i % 200} rue DE LA REPUBLIQUE",
            "00000",
            "COMMUNE",
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
    sql = f"INSERT INTO actors ({columns}) VALUES ({', '.join('?' * 17)})"  # noqa: S608
    conn.execute("PRAGMA cache_size = -131072")
    start = time.perf_counter()
    with store.transaction(conn):
        for i in range(0, ROWS, 100_000):
            conn.executemany(sql, rows[i : i + 100_000])
    print(json.dumps({"seconds": time.perf_counter() - start}))


def _run_child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_imports", *args],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _measures(label: str, figures: dict, *, budget: bool = True) -> list[Measure]:
    if figures["error"] or figures["read"] != ROWS:
        raise SystemExit(f"import failed: {figures}")
    print(f"{label}: {figures}")
    rate = figures["read"] / figures["seconds"]
    name = f"SIRENE Parquet 1M rows, {label}"
    return [
        Measure(f"{name}: rows read per second", rate, "rows/s"),
        Measure(
            f"{name}: time per 100,000 rows"
            + (" (≥ 100,000 rows/s)" if budget else " (stress case, no budget)"),
            100_000 / rate,
            "s",
            budget=1.0 if budget else None,
        ),
        Measure(
            f"{name}: actors added / updated",
            figures["imported"] + figures["updated"],
            "actors",
        ),
        Measure(
            f"{name}: peak memory (child ru_maxrss)",
            figures["peak_mib"],
            "MiB",
            budget=2048,
        ),
    ]


def run() -> list[Measure]:
    """Generate the files, import each in a child process, and report."""
    measures = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number, (label, ess_share, closed) in enumerate(
            (("10 % ESS", 0.1, 0.15), ("all ESS", 1.0, 0.0))
        ):
            files = folder / f"stock{number}"
            files.mkdir()
            start = time.perf_counter()
            stock = write_stock(files, ROWS, ess_share, closed)
            print(f"{label}: files written in {time.perf_counter() - start:.1f} s")
            workspace = folder / f"workspace{number}.sqlite"
            # The demo is seeded first, outside the measured child.
            seed = (
                "from ess_geo.workspace import seeding; "
                f"seeding.open_workspace({str(workspace)!r})"
            )
            subprocess.run([sys.executable, "-c", seed], check=True, cwd=ROOT)
            figures = _run_child("--child", str(stock), str(workspace))
            # The budget applies to a SIRENE-shaped file; writing every one
            # of a million rows is a stress case bounded by SQLite itself
            # (see the last measure).
            measures += _measures(label, figures, budget=number == 0)
            if number == 0:
                again = _run_child("--child", str(stock), str(workspace))
                measures += _measures(f"{label}, again (every SIRET known)", again)
        floor = _run_child("--floor", str(folder / "floor.sqlite"))
        measures.append(
            Measure(
                "SQLite alone: 1M ready-made actor rows inserted per second",
                ROWS / floor["seconds"],
                "rows/s",
            )
        )
    return measures


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "--floor":
        _floor(sys.argv[2])
    else:
        raise SystemExit("usage: python -m bench imports")
