"""Cached Couverture and Territoires frames give the direct computation's figures."""

import contextlib

import pandas as pd
import pytest

from ess_geo import ui
from ess_geo.analysis import coverage, motrices, prospects, weight
from ess_geo.maps import coverage_map
from ess_geo.ui import coverage_cache, territoires_cache
from ess_geo.workspace import seeding, store

SETTINGS = {
    "threshold": 0.9,
    "count_inexact": False,
    "counting": "actifs_inconnus",
    "complete_regions": ("53",),
}


@pytest.fixture
def seeded(workspace_path):
    with contextlib.closing(store.connect(workspace_path)) as conn:
        seeding.seed_workspace(conn, size=3_000, seed=11)
    return workspace_path


def direct_gaps(level, **options):
    networks, perimeters, _ = ui.network_tables()
    return coverage.gaps(networks, perimeters, ui.actors(), level, **options)


@pytest.mark.parametrize(
    ("level", "weights", "region", "min_employers"),
    [
        ("epci", None, None, 30),
        ("epci", {"densite": 2.0, "voisins": 0.0, "motrices": 1.0}, None, 0),
        ("epci", None, "52", 0),
        ("pays", {"potentiel": 3.0}, "24", 0),
    ],
)
def test_the_cached_couverture_view_is_the_direct_computation(
    seeded, level, weights, region, min_employers
):
    view = ui.coverage_view(
        level, weights=weights, region=region, min_employers=min_employers, **SETTINGS
    )
    direct = direct_gaps(
        level, weights=weights, region=region, min_employers=min_employers, **SETTINGS
    )
    assert len(direct) > 0 and direct["rang"].notna().any()
    pd.testing.assert_frame_equal(view.table, direct)
    assert view.figures == coverage.summary(direct)
    pd.testing.assert_frame_equal(view.ranked, prospects.display_prospects(direct))
    assert view.labels == prospects.prospect_labels(direct)
    assert view.correlation == pytest.approx(
        prospects.population_correlation(direct), nan_ok=True
    )
    pd.testing.assert_frame_equal(
        view.drawn, coverage_map.coverage_shapes(direct, level)
    )


def test_a_new_weight_rescores_the_shared_frame_without_changing_it(seeded):
    first = ui.coverage_view("epci", **SETTINGS)
    components = coverage_cache._components(
        ui.workspace_revision(), "epci", 0.9, False, "actifs_inconnus", ("53",)
    )
    before = components.copy()
    again = ui.coverage_view("epci", weights={"densite": 4.0}, **SETTINGS)
    assert again is not first
    assert ui.coverage_view("epci", **SETTINGS) is first  # the same parameters
    same = coverage_cache._components(
        ui.workspace_revision(), "epci", 0.9, False, "actifs_inconnus", ("53",)
    )
    assert same is components  # computed once for both weightings
    pd.testing.assert_frame_equal(components, before)


def test_cached_structures_motrices_are_the_direct_ones(seeded):
    code = ui.coverage_view("epci", min_employers=0, **SETTINGS).ranked["Code"][0]
    cached = ui.prospect_motrices("epci", code)
    pd.testing.assert_frame_equal(cached, motrices.motrices(ui.actors(), "epci", code))
    assert ui.prospect_motrices("epci", code) is cached


@pytest.mark.parametrize(
    ("level", "by", "region", "dep"),
    [
        ("epci", "structures_10k_hab", "", ""),
        ("epci", "emplois", "53", ""),
        ("commune", "emplois_1000_hab", "53", "29"),
        ("departement", "indice_specificite", "", ""),
    ],
)
def test_the_cached_ranking_is_the_direct_one(seeded, level, by, region, dep):
    cached = ui.territory_ranking(level, by, region, dep)
    direct = weight.ranking(
        weight.indicators(weight.by_commune(ui.actors()), level),
        by=by,
        region=region or None,
        departement=dep or None,
    )
    assert len(direct) > 0
    pd.testing.assert_frame_equal(cached, direct)
    assert ui.territory_ranking(level, by, region, dep) is cached
    assert territoires_cache.territory_ranking(level, by, region or None) is not None
