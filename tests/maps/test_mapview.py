import numpy as np
import pandas as pd
import pytest

from ess_geo.errors import UnknownLevelError, UnknownTerritoryError
from ess_geo.maps import mapview
from ess_geo.maps.mapview import Territory


def test_territory_knows_its_name_and_ref():
    brest = mapview.territory("epci", "242900314")
    assert brest == Territory("epci", "242900314", "Brest Métropole")
    assert brest.ref == "epci:242900314"
    assert brest.label == "Brest Métropole (EPCI)"


@pytest.mark.parametrize(
    ("level", "code", "error"),
    [("epci", "000000000", UnknownTerritoryError), ("canton", "29", UnknownLevelError)],
)
def test_unknown_territory_is_refused(level, code, error):
    with pytest.raises(error):
        mapview.territory(level, code)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("epci:242900314", ("epci", "242900314")), ("acteur:12", ("acteur", "12"))],
)
def test_parse_ref(ref, expected):
    assert mapview.parse_ref(ref) == expected


@pytest.mark.parametrize("ref", ["", "epci", ":12", "epci:"])
def test_malformed_ref_is_refused(ref):
    with pytest.raises(ValueError, match="`ref` was"):
        mapview.parse_ref(ref)


def test_vicinity_widens_to_wide_and_tall_maps():
    box = mapview.vicinity((-5.0, 48.0, -4.0, 48.5))
    assert [round(v, 2) for v in box] == [-5.74, 47.63, -3.26, 48.87]


def test_layer_index_cuts_to_a_box():
    index = mapview.layer_index("departement")
    assert len(index.codes) == 101
    inside = set(index.codes[index.within((-4.6, 48.3, -4.4, 48.5))])
    assert inside == {"29"}
    assert len(index.within(None)) == 101
    assert index.geometries[0].startswith('{"type":"')


def test_pnr_without_known_perimeter_have_no_geometry():
    assert len(mapview.layer_index("pnr").codes) == 11  # 48 PNR without a list


def test_geometry_json_rounds_to_four_decimals():
    import shapely

    out = mapview.geometry_json(np.array([shapely.LineString([(1.234567, 2), (3, 4)])]))
    assert out == ('{"type":"LineString","coordinates":[[1.2346,2.0],[3.0,4.0]]}',)


def test_national_scene_aggregates_by_departement_above_the_limit(few_actors):
    scene = mapview.build_scene(few_actors, marker_limit=2)
    assert scene.mode == "cercles"
    assert scene.markers is None
    circles = scene.circles.set_index("code")
    assert circles["structures"].to_dict() == {"29": 4, "35": 1}
    assert set(circles["niveau"]) == {"departement"}
    assert scene.fit is None and scene.box is None
    assert len(scene.positions) == 1253
    assert len(scene.shown) == 5


def test_small_national_view_draws_every_actor(few_actors):
    scene = mapview.build_scene(few_actors)
    assert scene.mode == "marqueurs"
    assert scene.markers.index.tolist() == [1, 2, 3, 4, 5]


def test_selected_departement_shows_its_actors_and_its_surroundings(few_actors):
    finistere = mapview.territory("departement", "29")
    scene = mapview.build_scene(few_actors, selection=finistere)
    assert scene.mode == "marqueurs"
    assert scene.markers.index.tolist() == [1, 2, 3, 4]
    assert scene.fit == pytest.approx(mapview.bounds_of(finistere))
    drawn = set(mapview.layer_index("epci").codes[scene.positions])
    assert {"242900314", "200068120"} <= drawn
    assert "200054781" not in drawn  # Métropole du Grand Paris is far away
    assert scene.listing_level == "epci"
    assert set(scene.listing["code"]) >= {"242900314", "200068120"}


def test_crowded_selection_is_aggregated_one_level_down(few_actors):
    bretagne = mapview.territory("region", "53")
    scene = mapview.build_scene(few_actors, selection=bretagne, marker_limit=3)
    assert scene.mode == "cercles"
    assert scene.circles.set_index("code")["structures"].to_dict() == {
        "242900314": 3,
        "200068120": 1,
        "243500139": 1,
    }
    brest = mapview.territory("epci", "242900314")
    scene = mapview.build_scene(few_actors, selection=brest, marker_limit=2)
    assert scene.circles[["code", "nom", "structures", "niveau"]].values.tolist() == [
        ["29019", "Brest", 3, "commune"]
    ]
    assert scene.listing_level == "commune"


def test_choropleth_classes_cover_every_territory_of_the_maille(few_actors):
    scene = mapview.build_scene(few_actors, maille="departement", method="jenks")
    table = scene.table.set_index("code")
    assert len(table) == 101
    assert table.loc["29", "structures"] == 4
    assert table.loc["29", "structures_10k_hab"] == pytest.approx(4 / 909_028 * 1e4)
    assert table.loc["75", "classe"] == 0  # no actor: the lowest class
    assert table.loc["976", "classe"] == -1  # Mayotte: no population
    assert scene.classification.method == "jenks"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("maille", "commune", "`maille` was"), ("indicator", "nope", "`indicator` was")],
)
def test_bad_scene_options_are_refused(few_actors, option, value, message):
    with pytest.raises(ValueError, match=message):
        mapview.build_scene(few_actors, **{option: value})


def test_breadcrumb_climbs_to_the_region():
    names = [t.nom for t in mapview.breadcrumb(mapview.territory("commune", "29019"))]
    assert names == ["Bretagne", "Finistère", "Brest Métropole", "Brest"]
    chain = mapview.breadcrumb(mapview.territory("pays", "BZH-BREST"))
    assert [t.ref for t in chain] == ["region:53", "departement:29", "pays:BZH-BREST"]
    assert mapview.breadcrumb(mapview.territory("region", "53"))[0].nom == "Bretagne"


def test_children_go_one_step_down():
    level, rows = mapview.children(mapview.territory("departement", "29"))
    assert level == "epci"
    assert len(rows) == 21
    assert rows["nom"].iloc[0] == "Brest Métropole"
    level, rows = mapview.children(mapview.territory("epci", "242900314"))
    assert level == "commune"
    assert len(rows) == 8
    assert mapview.children(mapview.territory("commune", "29019"))[0] is None


def test_key_figures_and_rank(few_actors):
    from ess_geo.analysis import weight

    totals = weight.by_commune(few_actors)
    brest = mapview.territory("epci", "242900314")
    figures = mapview.key_figures(totals, brest, "structures")
    assert figures["structures"] == 3
    assert figures["employeurs"] == 2
    assert figures["emplois"] == 15.0
    assert figures["rang"] == 1
    # One denominator for every indicator: the EPCI with a known population.
    assert figures["sur"] == 1248
    assert figures["ex_aequo"] == 0
    ratio = mapview.key_figures(totals, brest, "structures_10k_hab")
    assert ratio["sur"] == 1248  # EPCI with a known population
    quimper = mapview.territory("epci", "200068120")
    assert mapview.key_figures(totals, quimper, "structures")["rang"] == 2
    nobody = mapview.key_figures(totals, mapview.territory("epci", "200000172"))
    assert nobody["structures"] == 0
    assert nobody["rang"] == 4  # after Brest, Quimper and Rennes
    assert nobody["ex_aequo"] == 1253 - 3 - 5 - 1  # 5 EPCI have no population


def test_a_departement_with_a_single_epci_is_counted_by_commune():
    paris_actors = pd.DataFrame(
        {
            "famille": ["association"] * 3,
            "effectif": pd.array([1, 2, 3], dtype="Int64"),
            "tranche_effectif": [None] * 3,
            "code_commune": ["75056", "75056", "75056"],
            "latitude": [48.85] * 3,
            "longitude": [2.35] * 3,
        },
        index=pd.Index([1, 2, 3], name="id"),
    )
    paris = mapview.territory("departement", "75")
    scene = mapview.build_scene(paris_actors, selection=paris, marker_limit=1)
    assert scene.circles[["code", "structures", "niveau"]].values.tolist() == [
        ["75056", 3, "commune"]
    ]


def test_territory_without_known_perimeter_has_no_view_box(few_actors):
    vercors = mapview.territory("pnr", "FR8000001")
    scene = mapview.build_scene(few_actors, selection=vercors)
    assert scene.fit is None and scene.box is None
    assert len(scene.shown) == 0
    assert mapview.breadcrumb(vercors) == [vercors]


def test_leaders_are_the_highest_values(few_actors):
    scene = mapview.build_scene(
        few_actors, maille="departement", indicator="structures"
    )
    assert scene.leaders(2)["code"].tolist() == ["29", "35"]


def test_a_scene_from_given_totals_and_table_is_the_same_scene(few_actors):
    from ess_geo.analysis import weight

    finistere = mapview.territory("departement", "29")
    totals = weight.by_commune(few_actors)
    table = weight.indicators(totals, "epci")
    kept = table.copy()
    given = mapview.build_scene(
        few_actors, selection=finistere, totals=totals, table=table
    )
    computed = mapview.build_scene(few_actors, selection=finistere)
    pd.testing.assert_frame_equal(given.table, computed.table)
    pd.testing.assert_frame_equal(given.listing, computed.listing)
    assert given.positions.tolist() == computed.positions.tolist()
    assert given.markers.index.tolist() == [1, 2, 3, 4]
    assert given.totals is totals
    pd.testing.assert_frame_equal(table, kept)  # the caller's table untouched


def test_key_figures_from_a_given_table(few_actors):
    from ess_geo.analysis import weight

    totals = weight.by_commune(few_actors)
    brest = mapview.territory("epci", "242900314")
    table = weight.indicators(totals, "epci")
    given = mapview.key_figures(totals, brest, "structures", table=table)
    computed = mapview.key_figures(totals, brest, "structures")
    assert pd.Series(given).equals(pd.Series(computed))  # NaN where NaN
    assert given["rang"] == 1
