import numpy as np
import pandas as pd
import pytest
import shapely

from ess_geo.geo import geography
from ess_geo.io import placement


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (48.39, -4.49, True),  # Brest
        (41.92, 8.74, True),  # Ajaccio
        (16.24, -61.53, True),  # Pointe-à-Pitre
        (14.6, -61.07, True),  # Fort-de-France
        (4.93, -52.33, True),  # Cayenne
        (-20.88, 55.45, True),  # Saint-Denis de La Réunion
        (-12.78, 45.23, True),  # Mamoudzou
        (-4.49, 48.39, False),  # swapped
        (50.85, 4.35, True),  # Brussels is inside the metropolitan box
        (40.42, -3.70, False),  # Madrid
        (np.nan, 2.0, False),
    ],
)
def test_in_france_by_area_boxes(lat, lon, inside):
    assert placement.in_france(np.array([lat]), np.array([lon])).tolist() == [inside]


def test_normalise_commune_code_restores_lost_zero_and_case():
    codes = pd.Series([" 1053", "2a004", "29019", "", None])
    assert placement.normalise_commune_code(codes).tolist()[:3] == [
        "01053",
        "2A004",
        "29019",
    ]
    assert placement.normalise_commune_code(codes).isna().tolist()[3:] == [True, True]


def test_resolve_translates_arrondissements_and_communes_deleguees():
    codes = pd.Series(["75101", "69381", "13201", "29019", "99999", "01039"])
    assert placement.resolve_commune_code(codes).tolist()[:4] == [
        "75056",
        "69123",
        "13055",
        "29019",
    ]
    resolved = placement.resolve_commune_code(codes)
    assert pd.isna(resolved[4])
    assert resolved[5] == "01138"  # Béon, commune déléguée of Arvière-en-Valromey


def test_commune_at_finds_the_commune_of_each_point():
    lat = np.array([48.3904, 47.9960, np.nan, 45.0, 48.8566])
    lon = np.array([-4.4861, -4.1024, 2.0, -10.0, 2.3522])
    found = placement.commune_at(lat, lon)
    assert found[0] == "29019"  # Brest
    assert found[1] == "29232"  # Quimper
    assert pd.isna(found[2]) and pd.isna(found[3])  # missing, at sea
    assert found[4] == "75056"


def test_commune_at_attaches_a_point_just_off_the_coast():
    brest = geography.load_layer("commune", "full").query("code == '29019'")
    coords = shapely.get_coordinates(brest.geometry.iloc[0])
    lon, lat = coords[coords[:, 1].argmin()]
    # 200 m south of Brest's southernmost vertex: in the roadstead, not in a
    # polygon, but within the coastal tolerance.
    at_sea = np.array([lat - 0.002])
    communes = geography.load_layer("commune", "full")
    assert not communes.intersects(shapely.Point(lon, lat - 0.002)).any()
    found = placement.commune_at(at_sea, np.array([lon]))
    assert found[0] == "29019"


def test_distance_to_commune_is_zero_inside_and_grows_outside():
    lat = np.array([48.3904, 47.9960, 48.39])
    lon = np.array([-4.4861, -4.1024, np.nan])
    distance = placement.distance_to_commune_km(lat, lon, pd.Series(["29019"] * 3))
    assert distance[0] == 0
    assert 45 < distance[1] < 60  # Quimper is about 55 km from Brest's edge
    assert np.isnan(distance[2])


def test_commune_points_are_inside_their_commune():
    codes = pd.Series(["29019", "75056", "2A004", "15031"])
    lat, lon = placement.commune_points(codes)
    found = placement.commune_at(lat[:3], lon[:3])
    assert found.tolist() == ["29019", "75056", "2A004"]
    assert np.isnan(lat[3])  # Celles (Cantal) has no geometry in the geography


@pytest.mark.parametrize(
    ("postal", "name", "expected"),
    [
        ("29200", "BREST CEDEX 2", "29019"),
        ("29200", "Brest", "29019"),
        ("01000", "Saint-Denis-lès-Bourg", "01344"),
        ("01000", "ST DENIS LES BOURG", "01344"),
        ("01000", "Bourg-en-Bresse", "01053"),
    ],
)
def test_commune_from_postal_code_and_name(postal, name, expected):
    found, reasons = placement.commune_from_postal_code(
        pd.Series([postal]), pd.Series([name])
    )
    assert found.tolist() == [expected]
    assert reasons.isna().all()


def test_commune_from_postal_code_explains_what_fails():
    postal = pd.Series(["01000", "01000", "99999"], index=[10, 11, 12])
    names = pd.Series(["Lyon", None, "X"], index=[10, 11, 12])
    found, reasons = placement.commune_from_postal_code(postal, names)
    assert found.isna().all()
    assert list(reasons.index) == [10, 11, 12]
    assert reasons[10].startswith("commune « Lyon » introuvable pour le code postal")
    assert "Bourg-en-Bresse (01053)" in reasons[10]
    assert "dessert plusieurs communes" in reasons[11]
    assert reasons[12] == "code postal « 99999 » inconnu"


def test_a_single_commune_postal_code_needs_no_name():
    found, _ = placement.commune_from_postal_code(
        pd.Series(["22000"]), pd.Series([None])
    )
    assert found.tolist() == ["22278"]  # Saint-Brieuc


def test_haversine_between_paris_and_brest():
    assert placement.haversine_m(48.8566, 2.3522, 48.3904, -4.4861) == pytest.approx(
        505_000, rel=0.01
    )
