import json

import pandas as pd
import pytest
import shapely

from ess_geo import paths
from ess_geo.errors import UnknownLevelError, UnknownTerritoryError
from ess_geo.geo import geography

BRETAGNE = ("22", "29", "35", "56")


def test_epci_count_is_1253():
    assert len(geography.load_layer("epci")) == 1253
    assert len(geography.load_layer("epci", "full")) == 1253
    assert geography.load_layer("epci")["type"].value_counts().to_dict() == {
        "CC": 987,
        "CA": 230,
        "ME": 22,
        "CU": 14,
    }


def test_at_least_34800_communes_with_names_and_departements():
    communes = geography.load_layer("commune", "full")
    assert len(communes) >= 34_800
    assert communes["code"].is_unique
    assert communes["code"].str.fullmatch(r"[0-9][0-9AB][0-9]{3}").all()
    assert communes["departement"].notna().all()
    # Article rebuilt from the INSEE name type: "L'Abergement-Clémenciat".
    assert communes.set_index("code").at["01001", "nom"] == "L'Abergement-Clémenciat"


def test_every_commune_with_an_epci_belongs_to_exactly_one():
    rows = geography.territory_communes("epci")
    assert rows["commune"].is_unique
    communes = geography.communes()
    with_epci = communes[communes["epci"].notna()]
    assert set(rows["commune"]) == set(with_epci.index)
    # The four island communes outside any EPCI.
    assert sorted(communes.index[communes["epci"].isna()]) == [
        "22016",
        "29083",
        "29155",
        "85113",
    ]


def test_epci_population_is_the_sum_of_its_communes():
    communes = geography.communes()
    expected = communes.groupby("epci")["population"].sum()
    epci = geography.territories("epci")["population"]
    pd.testing.assert_series_equal(
        epci.sort_index(), expected.sort_index(), check_names=False
    )


@pytest.mark.parametrize("level", ["departement", "region"])
def test_population_of_wide_levels_is_the_sum_of_communes(level):
    communes = geography.communes()
    expected = communes.groupby(level)["population"].sum()
    got = geography.territories(level)["population"]
    assert got.sort_index().tolist() == expected.sort_index().tolist()
    assert got.sum() == communes["population"].sum()


def test_each_of_bretagne_60_epci_is_in_exactly_one_pays():
    communes = geography.communes()
    breton_epci = set(
        communes.loc[communes["departement"].isin(BRETAGNE), "epci"].dropna()
    )
    # Cap Atlantique is a Loire-Atlantique EPCI with three Morbihan communes.
    breton_epci.discard("244400610")
    assert len(breton_epci) == 60
    reference = pd.read_csv(paths.REFERENCE_DIR / "pays_bretagne.csv", dtype=str)
    assert reference["epci_siren"].value_counts().max() == 1
    assert set(reference["epci_siren"]) == breton_epci
    membership = geography.membership()
    in_bretagne = membership[membership["epci"].isin(breton_epci)]
    assert in_bretagne["pays"].notna().all()
    assert in_bretagne.groupby("epci")["pays"].nunique().eq(1).all()
    assert geography.territories("pays").index.str.startswith("BZH-").sum() == 21


def test_nested_pays_are_both_kept_for_aggregation():
    # The former PAPAO sits inside the real PETR du Pays d'Argentan, Pays
    # d'Auge ornais et Pays d'Ouche (BANATIC, SIREN 200048643).
    papao = set(geography.communes_of("pays", "NOR-PAPAO"))
    petr = set(geography.communes_of("pays", "200048643"))
    assert (len(papao), len(petr)) == (91, 123)
    assert papao < petr
    assert geography.membership().at["61006", "pays"] == "NOR-PAPAO"


def test_the_real_petr_of_the_loiret_and_the_orne_are_pays():
    pays = geography.territories("pays")
    assert len(pays) == 31  # 21 in Bretagne, 8 PETR, 2 former pays
    petr = [c for c in pays.index if c.isdigit()]
    assert sorted(petr) == [
        "200048643",
        "200052538",
        "200070704",
        "200075364",
        "200075869",
        "200079903",
        "200086643",
        "254502669",
    ]


def test_pays_geometry_is_the_union_of_its_epci():
    pays = geography.load_layer("pays", "full").set_index("code")
    epci = geography.load_layer("epci", "full").set_index("code")
    members = ["242900314", "242900074", "242900553", "242900793"]
    brest = pays.at["BZH-BREST", "geometry"]
    assert pays.at["BZH-BREST", "epci_count"] == 7
    for code in members:
        assert brest.contains(epci.at[code, "geometry"].representative_point())


def test_pnr_layer_lists_59_parks_with_partial_flags():
    pnr = geography.load_layer("pnr").set_index("code")
    assert len(pnr) == 59
    # The INPN layer (SOURCES.md, section 4): 9 complete perimeters.
    complete = pnr.index[pnr["perimetre_complet"]].tolist()
    assert complete == [
        "FR8000005",
        "FR8000011",
        "FR8000026",
        "FR8000033",
        "FR8000034",
        "FR8000046",
        "FR8000051",
        "FR8000053",
        "FR8000060",
    ]
    assert pnr.at["FR8000051", "communes_connues"] == 34  # Golfe du Morbihan
    assert pnr.at["FR8000005", "communes_connues"] == 43  # Armorique
    assert pnr.at["FR8000060", "communes_connues"] == 65  # Rance
    assert pnr.at["FR8000046", "population"] == 46_853  # Alpilles (INSEE: 46 900)
    # Partial lists: one département read of two.
    assert not pnr.at["FR8000021", "perimetre_complet"]  # Cotentin et Bessin
    assert pnr.at["FR8000021", "communes_connues"] == 87
    assert not pnr.at["FR8000003", "perimetre_complet"]  # Luberon
    assert pnr.at["FR8000003", "communes_connues"] == 26
    no_list = pnr[pnr["communes_connues"] == 0]
    assert len(no_list) == 48
    assert no_list.geometry.isna().all()
    assert not no_list["perimetre_complet"].any()
    assert no_list["population"].isna().all()


@pytest.mark.parametrize(
    "level", ["commune", "epci", "departement", "region", "pays", "pnr"]
)
def test_display_geometry_is_valid(level):
    layer = geography.load_layer(level)
    geoms = layer.geometry.dropna()
    assert shapely.is_valid(geoms.array).all()


@pytest.mark.parametrize("level", ["commune", "epci", "departement", "region"])
def test_display_layers_are_gap_and_sliver_free_coverages(level):
    geoms = geography.load_layer(level).geometry.dropna().array
    assert shapely.coverage_is_valid(geoms)


def test_national_epci_layer_is_at_most_2_5_mb_as_geojson():
    epci = geography.load_layer("epci")[["code", "nom", "population", "geometry"]]
    size = len(json.dumps(epci.to_geo_dict(drop_id=True)).encode())
    assert size <= 2_500_000


def test_display_coordinates_are_rounded_to_about_one_metre():
    coords = shapely.get_coordinates(geography.load_layer("epci").geometry.array)
    assert abs(coords * 1e5 - (coords * 1e5).round()).max() < 1e-6


def test_membership_is_indexed_by_commune_with_every_level():
    membership = geography.membership()
    assert membership.index.name == "commune"
    assert list(membership.columns) == ["epci", "pays", "pnr", "departement", "region"]
    brest = membership.loc["29019"]
    assert brest["epci"] == "242900314"
    assert brest["pays"] == "BZH-BREST"
    assert brest["departement"] == "29"
    assert brest["region"] == "53"
    assert pd.isna(membership.at["29019", "pnr"])
    # Vannes is not in the Golfe du Morbihan's perimeter; Berric and La
    # Trinité-Surzur are; Saint-Malo is not in the Rance's; Plouyé not in
    # the Armorique's (the INPN layer corrected the hand-made lists).
    assert pd.isna(membership.at["56260", "pnr"])
    assert membership.at["56015", "pnr"] == "FR8000051"
    assert membership.at["56259", "pnr"] == "FR8000051"
    assert pd.isna(membership.at["35288", "pnr"])
    assert pd.isna(membership.at["29211", "pnr"])


def test_layers_are_loaded_once_per_process():
    assert geography.load_layer("epci") is geography.load_layer("epci")
    assert geography.membership() is geography.membership()


@pytest.mark.parametrize("level", ["canton", "EPCI", ""])
def test_unknown_level_is_refused(level):
    with pytest.raises(UnknownLevelError, match="Niveau territorial"):
        geography.load_layer(level)


def test_unknown_detail_is_refused():
    with pytest.raises(ValueError, match="`detail` was"):
        geography.load_layer("epci", detail="medium")


def test_unknown_territory_names_the_code():
    with pytest.raises(UnknownTerritoryError, match="« 999 » introuvable"):
        geography.communes_of("departement", "999")


def test_overlapping_lists_epci_straddling_a_border():
    # Redon Agglomération straddles Ille-et-Vilaine, Loire-Atlantique and Morbihan.
    assert "243500741" in geography.overlapping("departement", "44", "epci")
    assert "243500741" in geography.overlapping("departement", "56", "epci")
    assert len(geography.overlapping("departement", "29", "epci")) == 21


def test_postal_codes_point_to_current_communes():
    codes = geography.postal_codes()
    assert set(codes["commune"]) <= set(geography.communes().index)
    assert "29200" in set(codes.loc[codes["commune"] == "29019", "code_postal"])


def test_neighbours_share_a_border():
    assert list(geography.neighbours("epci", "242900314")) == [
        "242900074",
        "242900553",
        "242900801",
    ]
    assert list(geography.neighbours("departement", "29")) == ["22", "56"]
    assert "29075" in geography.neighbours("commune", "29019")  # Guipavas


def test_neighbourhood_is_symmetric():
    for code in geography.neighbours("departement", "35"):
        assert "35" in geography.neighbours("departement", code)


def test_nested_pays_are_not_neighbours():
    # The PAPAO lies inside the PETR d'Argentan (BANATIC 200048643): they overlap.
    assert "200048643" not in geography.neighbours("pays", "NOR-PAPAO")


@pytest.mark.parametrize(
    ("level", "code"),
    [("commune", "22016"), ("pnr", "FR8000001"), ("region", "04")],
)
def test_islands_and_territories_without_geometry_have_no_neighbours(level, code):
    # Île-de-Bréhat, a PNR without known communes, La Réunion.
    assert list(geography.neighbours(level, code)) == []


def test_neighbours_of_an_unknown_territory_raise():
    with pytest.raises(UnknownTerritoryError):
        geography.neighbours("epci", "123")


def test_territory_names_filter_by_majority_parent():
    bretagne = geography.territory_names("epci", region="53")
    assert len(bretagne) == 60
    assert "244400610" not in bretagne.index  # Cap Atlantique: mostly in 44
    assert list(bretagne) == sorted(bretagne)
    finistere = geography.territory_names("commune", departement="29")
    assert len(finistere) == 277
    assert finistere["29019"] == "Brest"
    assert list(geography.territory_names("departement", departement="29")) == [
        "Finistère"
    ]
    # A département filter does not apply to régions.
    assert len(geography.territory_names("region", departement="29")) == 18


def test_membership_leaves_the_shared_communes_index_alone():
    geography.membership()
    assert geography.communes().index.name == "code"
    assert geography.membership().index.name == "commune"
