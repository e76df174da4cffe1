import math

import numpy as np
import pandas as pd
import pytest

from ess_geo.analysis import coverage
from ess_geo.errors import CoverageError, UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.workspace import networks

BREST_METROPOLE = "242900314"
MORLAIX = "242900835"
REDON = "243500741"  # Redon Agglomération: communes in 35, 44 and 56
CAP_ATLANTIQUE = "244400610"  # Loire-Atlantique, three communes in the Morbihan
REDON_POP = {"35": 27_151, "44": 21_331, "56": 17_786}
REDON_TOTAL = 66_268

HEADER = (
    "network_name,network_kind,region,territory_level,territory_codes,status,"
    "source,perimetre_exact\n"
)
FIXTURE = (
    "Réseau du Pays de Brest,pole,Bretagne,pays,BZH-BREST,actif,s,oui\n"
    f"Réseau Brest-Morlaix,collectif,Bretagne,epci,{BREST_METROPOLE}|{MORLAIX},"
    "actif,s,oui\n"
    "Réseau d'Ille-et-Vilaine,comite_territorial,Bretagne,departement,35,"
    "inconnu,s,oui\n"
    "Réseau du Morbihan,conseil_local,Bretagne,departement,56,inconnu,s,non\n"
    f"Pôle en projet,pole,Pays de la Loire,epci,{CAP_ATLANTIQUE},en projet,s,oui\n"
)


@pytest.fixture
def network_file(tmp_path):
    path = tmp_path / "reseaux.csv"
    path.write_text(HEADER + FIXTURE, encoding="utf-8")
    return path


@pytest.fixture
def fixture_networks(network_file):
    return networks.read_networks_csv(network_file)


@pytest.fixture
def epci(fixture_networks):
    table = coverage.coverage(*fixture_networks, "epci")
    return table.set_index("code")


def test_every_territory_of_the_level_is_listed(epci):
    assert len(epci) == 1253
    assert epci.index.is_unique
    assert set(epci["couverture"]) <= set(coverage.STATUSES)


def test_overlapping_pays_and_epci_networks_are_both_present(epci):
    brest = epci.loc[BREST_METROPOLE]
    assert brest["couverture"] == "couverte"
    assert brest["part_population_couverte"] == 1.0
    assert brest["population_couverte"] == 209_722
    assert brest["reseaux"] == "Réseau Brest-Morlaix|Réseau du Pays de Brest"
    assert epci.at[MORLAIX, "reseaux"] == "Réseau Brest-Morlaix"
    pays_de_brest = geography.overlapping("pays", "BZH-BREST", "epci")
    assert (epci.loc[pays_de_brest, "couverture"] == "couverte").all()
    assert epci.loc[pays_de_brest, "reseaux"].str.contains("Pays de Brest").all()


def test_departement_network_covers_part_of_a_straddling_epci(epci):
    redon = epci.loc[REDON]
    assert redon["couverture"] == "partielle"
    assert redon["population"] == REDON_TOTAL
    assert redon["population_couverte"] == REDON_POP["35"]
    assert redon["part_population_couverte"] == pytest.approx(
        REDON_POP["35"] / REDON_TOTAL
    )
    assert redon["reseaux"] == "Réseau d'Ille-et-Vilaine"
    # The Morbihan network's perimeter is not exact: listed, not counted.
    assert redon["reseaux_approximatifs"] == "Réseau du Morbihan"


def test_inexact_perimeters_count_when_asked(fixture_networks):
    table = coverage.coverage(*fixture_networks, "epci", count_inexact=True)
    redon = table.set_index("code").loc[REDON]
    assert redon["part_population_couverte"] == pytest.approx(
        (REDON_POP["35"] + REDON_POP["56"]) / REDON_TOTAL
    )
    assert redon["reseaux"] == "Réseau d'Ille-et-Vilaine|Réseau du Morbihan"
    assert redon["reseaux_approximatifs"] == ""


def test_network_in_project_is_listed_but_does_not_cover(epci, fixture_networks):
    cap = epci.loc[CAP_ATLANTIQUE]
    assert cap["couverture"] == "non_couverte"
    assert cap["part_population_couverte"] == 0.0
    assert cap["reseaux"] == ""
    assert cap["reseaux_en_projet"] == "Pôle en projet"
    assert cap["reseaux_approximatifs"] == "Réseau du Morbihan"
    counted = coverage.coverage(*fixture_networks, "epci", count_projects=True)
    assert counted.set_index("code").at[CAP_ATLANTIQUE, "couverture"] == "couverte"


def test_threshold_decides_between_couverte_and_partielle(fixture_networks):
    low = coverage.coverage(*fixture_networks, "epci", threshold=0.4)
    assert low.set_index("code").at[REDON, "couverture"] == "couverte"
    high = coverage.coverage(*fixture_networks, "epci", threshold=0.41)
    assert high.set_index("code").at[REDON, "couverture"] == "partielle"


@pytest.mark.parametrize("threshold", [0, -0.5, 1.2, math.nan])
def test_threshold_out_of_range_is_refused(fixture_networks, threshold):
    with pytest.raises(CoverageError, match="Seuil de couverture"):
        coverage.coverage(*fixture_networks, "epci", threshold=threshold)


def test_territory_without_any_network_is_non_couverte(epci):
    lyon = epci.loc["200046977"]  # Métropole de Lyon
    assert lyon["couverture"] == "non_couverte"
    assert lyon["part_population_couverte"] == 0.0
    assert lyon["reseaux"] == ""


def test_pays_level_statuses(fixture_networks):
    table = coverage.coverage(*fixture_networks, "pays").set_index("code")
    assert len(table) == 31  # 21 pays in Bretagne, 8 PETR, 2 former pays
    assert table.at["BZH-BREST", "couverture"] == "couverte"
    # Pays de Redon (Redon Agglomération): only its Ille-et-Vilaine part.
    assert table.at["BZH-REDON", "couverture"] == "partielle"
    assert table.at["BZH-LORIENT", "couverture"] == "non_couverte"


def test_pnr_without_known_communes_has_unknown_coverage(fixture_networks):
    table = coverage.coverage(*fixture_networks, "pnr").set_index("code")
    assert len(table) == 59
    vercors = table.loc["FR8000001"]
    assert vercors["couverture"] == "inconnue"
    assert np.isnan(vercors["part_population_couverte"])
    # Golfe du Morbihan: every known commune is in the Morbihan, not counted.
    assert table.at["FR8000051", "couverture"] == "non_couverte"
    assert table.at["FR8000051", "reseaux_approximatifs"] == "Réseau du Morbihan"


def test_territory_without_population_uses_its_communes(tmp_path):
    path = tmp_path / "mayotte.csv"
    path.write_text(
        HEADER + "Réseau de Mayotte,pole,Mayotte,commune,97611|97608,actif,s,oui\n"
    )
    table = coverage.coverage(*networks.read_networks_csv(path), "epci")
    mamoudzou = table.set_index("code").loc["200060457"]  # Dembeni / Mamoudzou
    assert mamoudzou["population"] == 0
    assert mamoudzou["part_population_couverte"] == pytest.approx(1 / 2)
    assert mamoudzou["couverture"] == "partielle"


def test_no_network_at_all_leaves_everything_uncovered():
    empty = pd.DataFrame(columns=["nom", "status", "perimetre_exact"])
    perimeters = pd.DataFrame(columns=["nom", "level", "code"])
    table = coverage.coverage(empty, perimeters, "departement")
    assert (table["couverture"] == "non_couverte").all()
    assert (table["reseaux"] == "").all()


# ESS inputs -------------------------------------------------------------------


@pytest.fixture
def fixture_actors():
    return pd.DataFrame(
        {
            "code_commune": ["29019", "29019", "29075", "35236", "35236", "56239"],
            "famille": ["association"] * 3 + ["cooperative", "mutuelle", "fondation"],
            "effectif": pd.array([12, None, 3, None, None, 10], dtype="Int64"),
            "tranche_effectif": [None, "11", None, "03", None, None],
        }
    )


def test_ess_inputs_counts_structures_jobs_and_lead_structures(fixture_actors):
    inputs = coverage.ess_inputs(fixture_actors, "epci")
    assert len(inputs) == 1253
    brest = inputs.loc[BREST_METROPOLE]  # Brest 29019, Guipavas 29075
    assert brest["structures"] == 3
    assert brest["employeurs"] == 3
    assert brest["emplois"] == 12 + 14.5 + 3
    assert brest["structures_motrices"] == 0  # none of 50 jobs or more
    redon = inputs.loc[REDON]  # Redon 35236, Saint-Vincent-sur-Oust 56239
    assert redon["structures"] == 3
    assert redon["employeurs"] == 2  # the mutuelle's size is unknown
    assert redon["emplois"] == 7.5 + 10
    assert inputs.at[MORLAIX, "structures"] == 0
    # Employers per inhabitant over the national ratio (5 employers in all).
    national = 5 / geography.territories("epci")["population"].sum()
    assert redon["potentiel_france"] == pytest.approx(2 / REDON_TOTAL / national)


def test_a_lead_structure_has_50_jobs_or_more():
    actors = pd.DataFrame(
        {
            "code_commune": ["29019", "29019", "29019"],
            "famille": ["association"] * 3,
            "effectif": pd.array([50, 49, None], dtype="Int64"),
            "tranche_effectif": [None, None, "21"],
        }
    )
    inputs = coverage.ess_inputs(actors, "epci")
    assert inputs.at[BREST_METROPOLE, "structures_motrices"] == 2


def test_components_neighbours_share_of_covered_population(epci, fixture_actors):
    table = coverage.components(
        epci.reset_index(), coverage.ess_inputs(fixture_actors, "epci"), "epci"
    ).set_index("code")
    # Redon's 8 neighbours: two wholly in Ille-et-Vilaine, six elsewhere.
    assert table.at[REDON, "voisins_couverts"] == pytest.approx(2 / 8)
    assert table.at[REDON, "part_non_couverte"] == pytest.approx(
        1 - REDON_POP["35"] / REDON_TOTAL
    )
    # Belle-Île-en-Mer has no land neighbour.
    assert table.at["245600465", "voisins_couverts"] == 0.0


# Score --------------------------------------------------------------------------


def _scored_fixture() -> pd.DataFrame:
    """Four territories: A covered, B, C, D not; values chosen by hand."""
    return pd.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "population": [500, 100, 300, 300],
            "couverture": ["couverte", "non_couverte", "partielle", "non_couverte"],
            "employeurs": [50, 40, 30, 31],
            "densite_region": [1.0, 3.0, np.nan, 1.0],
            "potentiel_france": [1.0, 1.0, 0.25, 4.0],
            "structures_motrices": [5, 0, 1, 6],
            "voisins_couverts": [0.0, 0.5, 1.0, 0.0],
            "part_non_couverte": [0.0, 1.0, 0.25, 1.0],
        }
    )


def test_score_components_are_bounded_ratios_or_shares():
    table = coverage.score(_scored_fixture()).set_index("code")
    components = table.filter(like="composante_")
    assert ((components >= 0) & (components <= 1)).all().all()
    # r / (1 + r); a missing density counts 0.
    assert table["composante_densite"].tolist() == [0.5, 0.75, 0.0, 0.5]
    assert table["composante_potentiel"].tolist() == [0.5, 0.5, 0.2, 0.8]
    # Presence of structures motrices, capped at 3.
    assert table["composante_motrices"].tolist() == [1.0, 0.0, 1 / 3, 1.0]
    assert table["composante_voisins"].tolist() == [0.0, 0.5, 1.0, 0.0]
    assert table["composante_non_couverte"].tolist() == [0.0, 1.0, 0.25, 1.0]


def test_score_is_the_weighted_mean_times_100_and_rank_follows():
    table = coverage.score(_scored_fixture()).set_index("code")
    # densite, potentiel, motrices, voisins, non_couverte
    expected = {
        "B": (0.75 + 0.5 + 0.0 + 0.5 + 1.0) / 5 * 100,
        "C": (0.0 + 0.2 + 1 / 3 + 1.0 + 0.25) / 5 * 100,
        "D": (0.5 + 0.8 + 1.0 + 0.0 + 1.0) / 5 * 100,
    }
    for code, value in expected.items():
        assert table.at[code, "score_prospection"] == pytest.approx(value)
    assert np.isnan(table.at["A", "score_prospection"])
    assert table["rang"].loc[["D", "B", "C"]].tolist() == [1, 2, 3]
    assert table.at["A", "rang"] is pd.NA


def test_size_is_a_condition_not_a_merit():
    table = coverage.score(_scored_fixture(), min_employers=31).set_index("code")
    assert table["taille_suffisante"].tolist() == [True, True, False, True]
    assert table.at["C", "rang"] is pd.NA
    assert table["rang"].loc[["D", "B"]].tolist() == [1, 2]
    everyone = coverage.score(_scored_fixture(), min_employers=0)
    assert everyone["rang"].notna().sum() == 3


@pytest.mark.parametrize("value", [-1, 10_001, 2.5, "30"])
def test_a_bad_size_condition_is_refused(value):
    with pytest.raises(CoverageError, match="Condition de taille"):
        coverage.score(_scored_fixture(), min_employers=value)


def test_a_small_dense_uncovered_epci_outranks_a_large_sparse_one():
    # Same région, both uncovered, no covered neighbour. The small one has
    # twice its région's ESS jobs per head and twice the national employers
    # per head; the large one has ten times the people but half the density.
    table = pd.DataFrame(
        {
            "code": ["petit", "grand"],
            "population": [12_000, 400_000],
            "couverture": ["non_couverte", "non_couverte"],
            "employeurs": [75, 620],
            "densite_region": [2.0, 0.5],
            "potentiel_france": [2.0, 0.5],
            "structures_motrices": [3, 40],
            "voisins_couverts": [0.0, 0.0],
            "part_non_couverte": [1.0, 1.0],
        }
    )
    ranked = coverage.score(table).set_index("code")
    assert ranked.at["petit", "rang"] == 1
    assert ranked.at["grand", "rang"] == 2
    assert ranked.at["petit", "score_prospection"] == pytest.approx(
        (2 / 3 + 2 / 3 + 1 + 0 + 1) / 5 * 100
    )


def test_weights_change_the_ranking():
    weights = dict.fromkeys(coverage.COMPONENTS, 0.0) | {"voisins": 1.0}
    table = coverage.score(_scored_fixture(), weights).set_index("code")
    assert table.at["C", "score_prospection"] == 100.0
    assert table["rang"].loc[["C", "B", "D"]].tolist() == [1, 2, 3]


def test_equal_scores_rank_the_larger_population_first():
    weights = dict.fromkeys(coverage.COMPONENTS, 0.0) | {"non_couverte": 1.0}
    table = coverage.score(_scored_fixture(), weights).set_index("code")
    assert table.at["B", "score_prospection"] == table.at["D", "score_prospection"]
    assert table["rang"].loc[["D", "B", "C"]].tolist() == [1, 2, 3]


def test_a_single_candidate_gets_rank_one():
    table = coverage.score(_scored_fixture().iloc[:2]).set_index("code")
    assert table.at["B", "rang"] == 1


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"taille": 1.0}, "inconnue"),
        ({"population": 1.0}, "inconnue"),
        ({"densite": -1.0}, "Poids « -1.0 » invalide"),
        ({"densite": "beaucoup"}, "invalide"),
        ({"densite": math.nan}, "invalide"),
        (dict.fromkeys(coverage.COMPONENTS, 0), "Tous les poids"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(CoverageError, match=message):
        coverage.score(_scored_fixture(), weights)


def test_every_component_is_documented():
    assert set(coverage.COMPONENTS) == set(coverage.DEFAULT_WEIGHTS)
    for component in coverage.COMPONENTS.values():
        assert component.label and component.measure and component.normalised


# gaps -------------------------------------------------------------------------


def test_gaps_ranks_every_uncovered_territory_once(fixture_networks, fixture_actors):
    table = coverage.gaps(*fixture_networks, fixture_actors, "epci", min_employers=0)
    assert len(table) == 1253
    ranked = table[table["couverture"].isin(["partielle", "non_couverte"])]
    assert ranked["rang"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["score_prospection"].is_monotonic_decreasing
    covered = table[table["couverture"] == "couverte"]
    assert covered["rang"].isna().all()
    assert covered["score_prospection"].isna().all()
    assert table.iloc[: len(ranked)].equals(ranked)


def test_gaps_within_a_region_ranks_its_territories_only(
    fixture_networks, fixture_actors
):
    table = coverage.gaps(
        *fixture_networks, fixture_actors, "epci", region="53", min_employers=0
    )
    parents = geography.parents("epci", "region")
    assert (table["code"].map(parents) == "53").all()
    assert len(table) == (parents == "53").sum()
    ranked = table.dropna(subset=["rang"])
    assert ranked["rang"].tolist() == list(range(1, len(ranked) + 1))
    assert REDON in set(ranked["code"])


def test_gaps_refuses_an_unknown_region(fixture_networks, fixture_actors):
    with pytest.raises(UnknownTerritoryError, match="« 99 »"):
        coverage.gaps(*fixture_networks, fixture_actors, "epci", region="99")


def test_prospect_table_has_the_command_columns(fixture_networks, fixture_actors):
    table = coverage.prospect_table(
        coverage.gaps(*fixture_networks, fixture_actors, "pays")
    )
    assert tuple(table.columns) == coverage.GAPS_COLUMNS


def test_gaps_with_no_actor_and_no_network_ranks_every_territory():
    actors = pd.DataFrame(
        {
            "code_commune": pd.Series(dtype="string"),
            "famille": pd.Series(dtype=object),
            "effectif": pd.Series(dtype="Int64"),
            "tranche_effectif": pd.Series(dtype="string"),
        }
    )
    empty = pd.DataFrame(columns=["nom", "status", "perimetre_exact"])
    perimeters = pd.DataFrame(columns=["nom", "level", "code"])
    table = coverage.gaps(empty, perimeters, actors, "departement", min_employers=0)
    assert len(table) == 101
    assert (table["structures"] == 0).all()
    assert table["rang"].tolist() == list(range(1, 102))
    # Nothing but the population tells them apart: the most populous first.
    assert table.loc[0, "nom"] == "Nord"
    # With the default size condition, none has enough employers.
    assert coverage.gaps(empty, perimeters, actors, "departement")["rang"].isna().all()


@pytest.mark.parametrize(
    "text", ["voisins:beaucoup", "taille:2", "voisins", "voisins:-1"]
)
def test_weights_from_an_url_are_checked(text):
    with pytest.raises(CoverageError):
        coverage.weights_from_text(text)


def test_weights_round_trip_through_text():
    weights = {**coverage.DEFAULT_WEIGHTS, "voisins": 2.5, "potentiel": 0.0}
    text = coverage.weights_to_text(weights)
    assert text == "potentiel:0,voisins:2.5"
    assert coverage.weights_from_text(text) == weights
    assert coverage.weights_to_text(coverage.DEFAULT_WEIGHTS) == ""


# Counting choices and declared inventories --------------------------------------


@pytest.mark.parametrize(
    ("counting", "status", "columns"),
    [
        # Ille-et-Vilaine's network has the status « inconnu ».
        ("actifs", "non_couverte", ("reseaux_inconnus",)),
        ("actifs_inconnus", "couverte", ("reseaux",)),
        ("tous", "couverte", ("reseaux",)),
    ],
)
def test_counting_choices(fixture_networks, counting, status, columns):
    table = coverage.coverage(*fixture_networks, "epci", counting=counting)
    rennes = table.set_index("code").loc["243500139"]  # Rennes Métropole (35)
    assert rennes["couverture"] == status
    assert rennes[columns[0]] == "Réseau d'Ille-et-Vilaine"


def test_counting_all_counts_projects(fixture_networks):
    table = coverage.coverage(*fixture_networks, "epci", counting="tous")
    cap = table.set_index("code").loc[CAP_ATLANTIQUE]
    assert cap["reseaux"] == "Pôle en projet"
    assert cap["reseaux_en_projet"] == ""
    default = coverage.coverage(*fixture_networks, "epci").set_index("code")
    assert default.at[CAP_ATLANTIQUE, "reseaux_en_projet"] == "Pôle en projet"


def test_an_unknown_counting_choice_is_refused(fixture_networks):
    with pytest.raises(CoverageError, match="Choix de comptage « presque »"):
        coverage.coverage(*fixture_networks, "epci", counting="presque")


def test_inventory_column_follows_the_declared_regions(fixture_networks):
    table = coverage.coverage(*fixture_networks, "epci", complete_regions=["53"])
    by_region = table.groupby("region")["inventaire"].unique()
    assert list(by_region["53"]) == ["complet"]
    assert list(by_region["52"]) == ["incomplet"]
    # Redon Agglomération lives mostly in Ille-et-Vilaine: Bretagne's.
    assert table.set_index("code").at[REDON, "inventaire"] == "complet"
    nothing = coverage.coverage(*fixture_networks, "epci")
    assert set(nothing["inventaire"]) == {"incomplet"}


def test_the_complete_pnr_perimeters_have_a_measured_coverage():
    table, perimeters = networks.read_networks_csv(networks.SEED_PATH)
    pnr = coverage.coverage(table, perimeters, "pnr").set_index("code")
    measured = pnr[pnr["couverture"] != "inconnue"]
    assert len(measured) == 11  # 9 complete, 2 partial (INPN layer)
    # The three Breton parks lie in pays whose networks are counted.
    for code in ("FR8000005", "FR8000051", "FR8000060"):
        assert pnr.at[code, "couverture"] == "couverte"
    assert pnr.at["FR8000046", "couverture"] == "non_couverte"  # Alpilles
    assert pnr.at["FR8000026", "couverture"] == "partielle"  # Normandie-Maine
