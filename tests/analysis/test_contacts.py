import re

import pandas as pd
import pytest
from pyproj import Geod

from ess_geo.analysis import contacts, directory
from ess_geo.errors import CressTableError
from ess_geo.geo import geography
from ess_geo.workspace import store

SPHERE = Geod(a=directory.EARTH_RADIUS_KM * 1000, b=directory.EARTH_RADIUS_KM * 1000)


def _networks(rows):
    frame = pd.DataFrame(
        rows,
        columns=["id", "nom", "kind", "status", "perimetre_exact", "site_web", "email"],
    ).set_index("id")
    return frame


@pytest.fixture
def tables():
    networks = _networks(
        [
            (1, "Pôle Brest", "pole", "actif", True, None, None),
            (2, "Collectif Finistère", "collectif", "inconnu", False, None, None),
            (3, "Pôle Quimper", "pole", "actif", True, "https://q.example", None),
            (4, "Amicale du Bourg", "autre", "actif", True, None, None),
        ]
    )
    perimeter = pd.DataFrame(
        {
            "network_id": [1, 2, 2, 3, 4],
            "commune": ["29019", "29019", "29232", "29232", "29075"],
        }
    )
    members = pd.DataFrame({"network_id": [1, 3, 1, 2], "actor_id": [7, 7, 8, 9]})
    return contacts.NetworkTables(networks, perimeter, members)


def test_covering_lists_the_networks_of_the_commune_active_first(tables):
    found = contacts.covering(tables, "29019")
    assert found["nom"].tolist() == ["Pôle Brest", "Collectif Finistère"]
    assert list(found.columns) == list(tables.networks.columns)
    assert contacts.covering(tables, "75056").empty


def test_nearest_measures_to_the_closest_commune_of_each_perimeter(tables):
    paris = directory.commune_place("75056")
    found = contacts.nearest(tables, paris.lon, paris.lat, limit=4)
    communes = geography.communes()

    def km(code):
        row = communes.loc[code]
        return SPHERE.inv(paris.lon, paris.lat, row["lon"], row["lat"])[2] / 1000

    expected = {
        1: km("29019"),
        2: min(km("29019"), km("29232")),
        3: km("29232"),
        4: km("29075"),
    }
    assert found.index.tolist() == sorted(expected, key=expected.get)
    for network_id, distance in expected.items():
        assert found.at[network_id, "distance_km"] == pytest.approx(distance, rel=1e-9)
    assert found.at[3, "commune_proche"] == "Quimper"
    assert len(contacts.nearest(tables, paris.lon, paris.lat)) == 1


def test_nearest_is_empty_without_networks():
    empty = contacts.NetworkTables(
        _networks([]),
        pd.DataFrame({"network_id": [], "commune": []}),
        pd.DataFrame({"network_id": [], "actor_id": []}),
    )
    assert contacts.nearest(empty, 2.0, 48.0).empty


def test_member_networks_lists_each_actors_networks_sorted(tables):
    assert contacts.member_networks(tables).to_dict() == {
        7: ("Pôle Brest", "Pôle Quimper"),
        8: ("Pôle Brest",),
        9: ("Collectif Finistère",),
    }


def test_network_tables_read_the_workspace_with_perimeter_in_words(conn):
    networks = pd.DataFrame(
        [
            {"nom": "Réseau A", "kind": "pole", "status": "actif"},
            {"nom": "Réseau B", "kind": "collectif", "status": "en_projet"},
        ]
    )
    territories = pd.DataFrame(
        [
            {"nom": "Réseau A", "level": "pays", "code": "BZH-BREST"},
            {"nom": "Réseau B", "level": "departement", "code": "59"},
            {"nom": "Réseau B", "level": "departement", "code": "62"},
        ]
    )
    with store.transaction(conn):
        ids = store.insert_networks(conn, networks, territories)
        store.audit(conn, "test", {})
    tables = contacts.network_tables(conn)
    assert tables.networks.loc[ids["Réseau A"], "perimetre"] == "pays Pays de Brest"
    assert tables.networks.loc[ids["Réseau B"], "perimetre"] == (
        "départements Nord, Pas-de-Calais"
    )
    brest = set(geography.communes_of("pays", "BZH-BREST"))
    assert (
        set(
            tables.perimeter.loc[
                tables.perimeter["network_id"] == ids["Réseau A"], "commune"
            ]
        )
        == brest
    )
    assert contacts.covering(tables, "59350")["nom"].tolist() == ["Réseau B"]


def test_the_cress_table_has_one_cress_per_region_with_sources():
    table = contacts.read_cress()
    assert set(table.index) == set(geography.territories("region").index)
    assert len(table) == 18
    assert table["source"].str.contains(r"https?://").all()
    assert table["confiance"].isin(["haute", "moyenne", "basse"]).all()
    sites = table["site_web"].dropna()
    assert sites.str.match(r"^https?://[^\s]+$").all()
    assert table.loc["28", "statut"] == "liquidee"


def test_cress_for_region():
    cress = contacts.cress_for_region("11")
    assert cress["nom"] == "CRESS Île-de-France"
    assert cress["site_web"] == "https://www.cressidf.org"
    assert pd.isna(contacts.cress_for_region("94")["site_web"])
    assert contacts.cress_for_region("99") is None


def _cress_csv(tmp_path, *rows):
    header = "region,nom,site_web,email,telephone,statut,confiance,source,note"
    path = tmp_path / "cress.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_a_valid_cress_table_is_read(tmp_path):
    path = _cress_csv(
        tmp_path,
        "53,CRESS Bretagne,https://b.example,,,active,haute,https://s.example,",
    )
    assert contacts.read_cress(path).loc["53", "nom"] == "CRESS Bretagne"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("99,X,,,,active,haute,https://s.example,", "ligne 2 : région « 99 » inconnue"),
        (
            "53,X,,,,fermee,haute,https://s.example,",
            "ligne 2 : statut « fermee » inconnu",
        ),
        (
            "53,X,,,,active,sure,https://s.example,",
            "ligne 2 : confiance « sure » inconnue",
        ),
        ("53,X,www.b.example,,,active,haute,https://s.example,", "sans http(s)://"),
        ("53,X,,,,active,haute,,", "ligne 2 : aucune source"),
    ],
)
def test_bad_cress_tables_are_refused(tmp_path, row, message):
    with pytest.raises(CressTableError, match=re.escape(message)):
        contacts.read_cress(_cress_csv(tmp_path, row))


def test_repeated_region_is_refused(tmp_path):
    row = "53,X,,,,active,haute,https://s.example,"
    with pytest.raises(CressTableError, match="région 53 en double"):
        contacts.read_cress(_cress_csv(tmp_path, row, row))


def test_for_commune_covered_gives_its_networks_and_no_nearest(tables):
    brest = directory.commune_place("29019")
    found = contacts.for_commune(tables, "29019", lon=brest.lon, lat=brest.lat)
    assert found.commune_name == "Brest"
    assert found.covering["nom"].tolist() == ["Pôle Brest", "Collectif Finistère"]
    assert found.nearest.empty
    assert found.region_name == "Bretagne"
    assert found.cress["nom"] == "CRESS Bretagne"
    assert not found.national_fallback


def test_for_commune_uncovered_gives_the_nearest_and_the_cress(tables):
    rouen = directory.commune_place("76540")
    found = contacts.for_commune(tables, "76540", lon=rouen.lon, lat=rouen.lat)
    assert found.covering.empty
    assert len(found.nearest) == 1
    assert found.cress["statut"] == "liquidee"
    assert found.national_fallback  # the Normandie CRESS is closed


def test_a_cress_without_known_site_points_to_ess_france(tables):
    ajaccio = directory.commune_place("2A004")
    found = contacts.for_commune(tables, "2A004", lon=ajaccio.lon, lat=ajaccio.lat)
    assert found.cress["nom"] == "CRESS Corse"
    assert found.national_fallback
