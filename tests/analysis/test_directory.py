import math

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from ess_geo.analysis import directory
from ess_geo.errors import PlaceError, UnknownNeedError, UnknownTerritoryError
from ess_geo.geo import geography

SPHERE = Geod(a=directory.EARTH_RADIUS_KM * 1000, b=directory.EARTH_RADIUS_KM * 1000)
KM_PER_DEGREE = directory.EARTH_RADIUS_KM * math.pi / 180


def sphere_km(lon1, lat1, lon2, lat2):
    """Independent oracle: pyproj's geodesic on the same sphere."""
    return SPHERE.inv(lon1, lat1, lon2, lat2)[2] / 1000


def test_one_degree_along_a_meridian_is_r_times_pi_over_180():
    assert directory.haversine_km(3.0, 45.0, 3.0, 46.0) == pytest.approx(
        KM_PER_DEGREE, rel=1e-12
    )


def test_a_quarter_of_the_equator():
    assert directory.haversine_km(0, 0, 90, 0) == pytest.approx(
        directory.EARTH_RADIUS_KM * math.pi / 2, rel=1e-12
    )


def test_haversine_agrees_with_the_geodesic_on_the_same_sphere():
    rng = np.random.default_rng(4)
    lon1, lon2 = rng.uniform(-5, 9, 50), rng.uniform(-5, 9, 50)
    lat1, lat2 = rng.uniform(41, 51, 50), rng.uniform(41, 51, 50)
    ours = directory.haversine_km(lon1, lat1, lon2, lat2)
    theirs = [sphere_km(*args) for args in zip(lon1, lat1, lon2, lat2, strict=True)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def test_distance_to_itself_is_zero_and_arrays_broadcast():
    out = directory.haversine_km(
        2.0, 48.0, np.array([2.0, 2.0]), np.array([48.0, 49.0])
    )
    assert out[0] == 0.0
    assert out[1] == pytest.approx(KM_PER_DEGREE, rel=1e-12)


ORIGIN = (-4.0, 48.0)  # lon, lat


@pytest.fixture
def fixture_actors():
    """Actors at hand-picked places around ORIGIN (ids as index)."""
    lon0, lat0 = ORIGIN
    rows = {
        10: ("Zèbre", "8891A", lat0 + 0.01, lon0, "29019"),
        11: ("Abeille", "93.12Z", lat0 - 0.01, lon0, "29019"),
        12: ("Castor", None, lat0, lon0 - 0.02, "29019"),
        13: ("Dauphin", "86.10Z", lat0 + 0.05, lon0, "29019"),
        14: ("Écureuil", "88.91A", None, None, "29019"),  # at Brest's point
        15: ("Fourmi", "88.91A", lat0, lon0, "29019"),
        16: ("Grenouille", "88.91A", None, None, "15031"),  # nowhere
        17: ("Hérisson", "93.12Z", lat0 + 9.999 / KM_PER_DEGREE, lon0, "29019"),
        18: ("Ibis", "93.12Z", lat0 - 10.001 / KM_PER_DEGREE, lon0, "29019"),
        21: ("Zèbre", "93.12Z", lat0 + 0.01, lon0, "29019"),
    }
    frame = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=["nom", "naf", "latitude", "longitude", "code_commune"],
    )
    return frame


def test_actors_are_sorted_by_exact_distance_then_name_then_id(fixture_actors):
    index = directory.ActorIndex.build(fixture_actors)
    found = index.near(*ORIGIN, 10)
    assert found.index.tolist() == [15, 11, 10, 21, 12, 13, 17]
    lon0, lat0 = ORIGIN
    expected = [
        sphere_km(lon0, lat0, row.longitude, row.latitude)
        for row in fixture_actors.loc[found.index].itertuples()
    ]
    np.testing.assert_allclose(found["distance_km"], expected, rtol=1e-9, atol=1e-9)
    assert found["distance_km"].iloc[1] == pytest.approx(0.01 * KM_PER_DEGREE)
    assert list(found.columns) == [*fixture_actors.columns, "distance_km"]


def test_radius_keeps_what_is_inside_and_drops_what_is_outside(fixture_actors):
    index = directory.ActorIndex.build(fixture_actors)
    within_5 = index.near(*ORIGIN, 5).index.tolist()
    assert within_5 == [15, 11, 10, 21, 12]
    assert 18 not in index.near(*ORIGIN, 10).index
    assert 18 in index.near(*ORIGIN, 10.002).index


def test_actor_without_coordinates_is_placed_at_its_commune(fixture_actors):
    index = directory.ActorIndex.build(fixture_actors)
    brest = geography.communes().loc["29019"]
    found = index.near(brest["lon"], brest["lat"], 0.001)
    assert found.index.tolist() == [14]
    assert found["distance_km"].iloc[0] == 0.0
    everything = index.near(*ORIGIN, 500)
    assert 16 not in everything.index  # no coordinates, commune without position
    assert len(everything) == len(fixture_actors) - 1


def test_need_keeps_only_the_actors_that_answer_it(fixture_actors):
    index = directory.ActorIndex.build(fixture_actors)
    assert index.near(*ORIGIN, 10, need="petite_enfance").index.tolist() == [15, 10]
    assert index.near(*ORIGIN, 10, need="sport").index.tolist() == [11, 21, 17]
    assert index.near(*ORIGIN, 10, need="logement").empty


def test_unknown_need_and_bad_radius_are_refused(fixture_actors):
    index = directory.ActorIndex.build(fixture_actors)
    with pytest.raises(UnknownNeedError):
        index.near(*ORIGIN, 10, need="jardinage")
    with pytest.raises(ValueError, match="`radius_km` was 0"):
        index.near(*ORIGIN, 0)


@pytest.mark.parametrize("lat", [43.0, 51.0, 60.0, 75.0])
def test_the_box_never_drops_an_actor_inside_the_circle(lat):
    """Points all around the circle, just inside, at several latitudes."""
    lon0, radius = 2.0, 50.0
    azimuths = np.arange(0, 360, 5.0)
    lons, lats, _ = SPHERE.fwd(
        np.full(azimuths.size, lon0),
        np.full(azimuths.size, lat),
        azimuths,
        np.full(azimuths.size, radius * 999.9),
    )
    frame = pd.DataFrame(
        {
            "nom": [f"a{i:02d}" for i in range(azimuths.size)],
            "naf": None,
            "latitude": lats,
            "longitude": lons,
            "code_commune": "29019",
        }
    )
    found = directory.ActorIndex.build(frame).near(lon0, lat, radius)
    assert len(found) == azimuths.size


def test_bounding_box_matches_the_circle_extremes():
    _, miny, maxx, maxy = directory.bounding_box(2.0, 60.0, 100.0)
    east = max(SPHERE.fwd(2.0, 60.0, az, 100_000.0)[0] for az in np.arange(0, 180, 0.5))
    assert maxx == pytest.approx(east, abs=1e-4)
    assert maxy - 60.0 == pytest.approx(100 / KM_PER_DEGREE)
    assert 60.0 - miny == pytest.approx(100 / KM_PER_DEGREE)


def test_search_finds_the_sainte_marie_with_their_departement():
    found = directory.search_communes("sainte marie")
    exact = found[found["correspondance"] == "exact"]
    assert exact["label"].tolist() == [
        "Sainte-Marie – La Réunion (974)",
        "Sainte-Marie – Martinique (972)",
        "Sainte-Marie – Ille-et-Vilaine (35)",
        "Sainte-Marie – Doubs (25)",
        "Sainte-Marie – Gers (32)",
        "Sainte-Marie – Cantal (15)",
        "Sainte-Marie – Ardennes (08)",
        "Sainte-Marie – Nièvre (58)",
        "Sainte-Marie – Hautes-Pyrénées (65)",
    ]
    # then the names that start with it, most populated first
    assert found["label"].iloc[9] == "Sainte-Marie-aux-Mines – Haut-Rhin (68)"
    assert (found["correspondance"].iloc[9:] != "exact").all()


@pytest.mark.parametrize(
    "query", ["SAINTE-MARIE", "sainte-marie", "Sainte Marie", "  sainte   marie "]
)
def test_search_ignores_case_accents_and_hyphens(query):
    assert directory.search_communes(query).index.tolist() == (
        directory.search_communes("sainte marie").index.tolist()
    )


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("29200", "29019"),  # postal code
        ("29019", "29019"),  # INSEE code
        ("brest", "29019"),
        ("st malo", "35288"),
        ("ST-MALO", "35288"),
        ("saint malo", "35288"),
        ("l ile d yeu", "85113"),
        ("Évry Courcouronnes", "91228"),
        ("evry courcouronnes", "91228"),
        ("sainte marie 35", "35294"),  # département after the name
        ("sainte marie 35600", "35294"),  # postal code after the name
    ],
)
def test_search_puts_the_expected_commune_first(query, first):
    assert directory.search_communes(query).index[0] == first


def test_a_postal_code_shared_by_several_communes_finds_them_all():
    found = directory.search_communes("35600")
    assert set(found.index) == {"35236", "35013", "35294"}
    assert found.index[0] == "35236"  # Redon, the most populated


def test_postal_code_prefix_lists_the_communes_of_the_area():
    found = directory.search_communes("292")
    assert len(found) > 20
    assert (
        found["codes_postaux"].map(lambda c: any(p.startswith("292") for p in c)).all()
    )


@pytest.mark.parametrize("query", ["", "   ", "zzzzqq", "2", "-"])
def test_search_finds_nothing_for_blank_or_unknown_queries(query):
    assert directory.search_communes(query).empty


def test_suggestions_offer_only_the_commune_named_exactly():
    assert directory.suggestions(directory.search_communes("brest")) == ["29019"]
    assert directory.suggestions(directory.search_communes("29200")) == ["29019"]


def test_suggestions_keep_a_chosen_commune_among_the_offers():
    matches = directory.search_communes("sainte marie")
    assert directory.suggestions(matches, limit=3) == ["97418", "97228", "35294"]
    assert directory.suggestions(matches, keep="65391", limit=3) == [
        "97418",
        "97228",
        "65391",
    ]
    assert directory.suggestions(directory.search_communes("brest"), keep="27110") == [
        "29019",
        "27110",
        "70216",
        "03001",
    ]
    assert directory.suggestions(matches, keep="29019", limit=2) == ["97418", "97228"]


def test_commune_place_has_the_town_hall_point_and_a_label():
    place = directory.commune_place("29019")
    brest = geography.communes().loc["29019"]
    assert (place.lon, place.lat) == (brest["lon"], brest["lat"])
    assert place.label == "Brest – Finistère (29)"
    assert not place.located


def test_unknown_commune_is_refused():
    with pytest.raises(UnknownTerritoryError, match="« 99999 » introuvable"):
        directory.commune_place("99999")


def test_commune_without_position_gives_a_clear_message():
    with pytest.raises(PlaceError, match=r"Celles – Cantal \(15\).*voisine"):
        directory.commune_place("15031")


def test_position_inside_a_commune_gives_that_commune_at_that_position():
    place = directory.commune_at(-4.4861, 48.3904)
    assert (place.commune, place.located) == ("29019", True)
    assert (place.lon, place.lat) == (-4.4861, 48.3904)


def test_position_just_off_the_coast_gives_the_nearest_commune():
    lon, lat = -4.80, 48.33
    layer = geography.load_layer("commune")
    assert not layer.intersects(shapely.Point(lon, lat)).any()
    communes = geography.communes().dropna(subset=["lon", "lat"])
    distances = [
        sphere_km(lon, lat, x, y)
        for x, y in zip(communes["lon"], communes["lat"], strict=True)
    ]
    nearest = communes.index[int(np.argmin(distances))]
    assert directory.commune_at(lon, lat).commune == nearest == "29040"


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (-6.5, 47.0, "à plus de 10 km de toute commune"),
        (float("nan"), 48.0, "invalide"),
        (2.0, 95.0, "invalide"),
    ],
)
def test_position_far_from_france_or_invalid_is_refused(lon, lat, message):
    with pytest.raises(PlaceError, match=message):
        directory.commune_at(lon, lat)


@pytest.mark.parametrize(
    ("total", "page", "expected"),
    [
        (0, 1, directory.Page(1, 1, 0, 0)),
        (20, 1, directory.Page(1, 1, 0, 20)),
        (21, 2, directory.Page(2, 2, 20, 21)),
        (45, 3, directory.Page(3, 3, 40, 45)),
        (45, 99, directory.Page(3, 3, 40, 45)),
        (45, 0, directory.Page(1, 3, 0, 20)),
        (45, -4, directory.Page(1, 3, 0, 20)),
    ],
)
def test_paginate_clamps_to_existing_pages(total, page, expected):
    assert directory.paginate(total, page) == expected


def test_paginate_refuses_empty_pages():
    with pytest.raises(ValueError, match="`per_page` was 0"):
        directory.paginate(10, 1, per_page=0)


def test_wider_radius_finds_the_first_radius_with_someone(fixture_actors):
    index = directory.ActorIndex.build(fixture_actors)
    far = directory.Place("x", "x", "x", ORIGIN[0] + 0.2, ORIGIN[1], located=True)
    # 0.2° of longitude at 48°N is about 14.9 km from ORIGIN's actors
    assert directory.wider_radius(index, far, 5) == (20, 8)
    assert directory.wider_radius(index, far, 5, need="logement") is None
