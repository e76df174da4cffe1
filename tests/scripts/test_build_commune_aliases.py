"""The attached-communes table is exactly what its script builds."""

import sys

import pandas as pd

from ess_geo import paths

ROOT = paths.ROOT
sys.path.insert(0, str(ROOT / "scripts"))
import build_commune_aliases  # noqa: E402


def test_rebuild_reproduces_the_committed_table():
    committed = pd.read_csv(paths.REFERENCE_DIR / "communes_rattachees.csv", dtype=str)
    pd.testing.assert_frame_equal(build_commune_aliases.build_aliases(), committed)


def test_table_has_arrondissements_and_no_current_commune():
    table = build_commune_aliases.build_aliases()
    paris = table[table["commune"] == "75056"]
    assert paris["code"].tolist() == [f"751{n:02d}" for n in range(1, 21)]
    assert set(table["type"]) == {"ARM", "COMD", "COMA"}
    assert not table["code"].isin(table["commune"]).any()
