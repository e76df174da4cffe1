"""The prospect ranking for people, and how far it follows population."""

import pandas as pd
import pytest

from ess_geo.actors import demo
from ess_geo.analysis import coverage, prospects
from ess_geo.workspace import networks

SPEARMAN_DEFAULT = 0.3115
"""Spearman correlation of score and population, ranked EPCI, full demo
(seed 2011), reference networks, Bretagne's inventory complete, default
weights and size condition (reported in bench/RESULTS.md)."""


@pytest.fixture(scope="module")
def demo_gaps() -> pd.DataFrame:
    actors = demo.generate_actors()
    table, perimeters = networks.read_networks_csv(networks.SEED_PATH)
    return coverage.gaps(table, perimeters, actors, "epci", complete_regions=["53"])


def test_the_score_is_not_a_population_ranking_on_the_demo(demo_gaps):
    correlation = prospects.population_correlation(demo_gaps)
    assert correlation < 0.5
    assert correlation == pytest.approx(SPEARMAN_DEFAULT, abs=1e-4)
    ranked = demo_gaps[demo_gaps["rang"].notna()]
    assert len(ranked) == 870
    components = ranked.filter(like="composante_")
    assert ((components >= 0) & (components <= 1)).all().all()
    # Every ranked EPCI meets the size condition; none below it is ranked.
    assert (ranked["employeurs"] >= coverage.DEFAULT_MIN_EMPLOYERS).all()


def test_population_correlation_needs_three_ranked_territories():
    frame = pd.DataFrame(
        {"rang": [1, 2], "population": [1, 2], "score_prospection": [2.0, 1.0]}
    )
    assert pd.isna(prospects.population_correlation(frame))


def test_the_method_sheet_explains_every_choice():
    sheet = prospects.method_table(
        coverage.DEFAULT_WEIGHTS,
        0.9,
        min_employers=40,
        counting="actifs",
        correlation=0.31,
    ).set_index("Élément")
    for component in coverage.COMPONENTS.values():
        assert sheet.at[component.label, "Poids"] == 1.0
        assert sheet.at[component.label, "Mesure"] == component.measure
    assert sheet.at["Condition de taille", "Poids"] == 40
    assert sheet.at["Réseaux comptés", "Mesure"] == "Réseaux actifs seulement"
    assert sheet.at["Corrélation avec la population", "Poids"] == 0.31
    assert "Spearman" in sheet.at["Corrélation avec la population", "Mesure"]


def test_displayed_prospects_show_whole_estimated_jobs_and_the_inventory(demo_gaps):
    shown = prospects.display_prospects(demo_gaps)
    assert len(shown) == 870
    jobs = shown["Emplois (environ)"]
    assert (jobs == jobs.round()).all()
    # Bretagne, the one complete inventory, is wholly covered: no prospect.
    assert set(shown["Inventaire des réseaux"]) == {"incomplet"}
    assert set(demo_gaps.loc[demo_gaps["region"] == "53", "inventaire"]) == {"complet"}
    assert list(shown["Rang"]) == list(range(1, 871))
