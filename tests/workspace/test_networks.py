import pandas as pd
import pytest

from ess_geo.errors import NetworkFileError
from ess_geo.geo import geography
from ess_geo.workspace import networks, store

HEADER = (
    "network_name,network_kind,region,territory_level,territory_codes,status,source\n"
)


def write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "reseaux.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_seed_file_reads_31_networks_with_their_perimeters():
    table, territories = networks.read_networks_csv(networks.SEED_PATH)
    assert len(table) == 31
    assert table["nom"].is_unique
    assert set(table["kind"]) <= set(networks.KIND_LABELS)
    assert set(table["status"]) == {"actif", "inconnu"}
    regional = table[~table["perimetre_exact"]]
    assert len(regional) == 4
    bourgogne = territories[territories["nom"].str.contains("Bourgogne")]
    assert bourgogne["code"].tolist() == ["21", "58", "71", "89"]


def test_expand_perimeter_to_communes():
    territories = geography.communes_of("pays", "BZH-BREST")
    _, declared = networks.read_networks_csv(networks.SEED_PATH)
    expanded = networks.expand_perimeter(declared)
    brest = expanded[expanded["nom"] == "ADESS Pays de Brest"]["commune"]
    assert sorted(brest) == list(territories)
    assert len(brest) == 103


def test_expand_perimeter_of_nothing_is_empty():
    empty = pd.DataFrame(columns=["nom", "level", "code"])
    assert networks.expand_perimeter(empty).empty


def test_status_en_projet_is_accepted(tmp_path):
    path = write(tmp_path, "Pôle X,pole,Bretagne,epci,242900314,en projet,src\n")
    table, _ = networks.read_networks_csv(path)
    assert table.loc[0, "status"] == "en_projet"
    assert table.loc[0, "perimetre_exact"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Pôle X,pole,Bretagne,epci,999999999,actif,s\n", "ligne 2 : code"),
        ("Pôle X,federation,Bretagne,epci,242900314,actif,s\n", "type « federation »"),
        ("Pôle X,pole,Bretagne,canton,2901,actif,s\n", "niveau « canton »"),
        ("Pôle X,pole,Bretagne,epci,242900314,dissous,s\n", "statut « dissous »"),
        (",pole,Bretagne,epci,242900314,actif,s\n", "nom de réseau vide"),
        ("Pôle X,pole,Bretagne,epci,,actif,s\n", "aucun code"),
        (
            "Pôle X,pole,B,epci,242900314,actif,s\n"
            "Pôle X,pole,B,epci,242900074,actif,s\n",
            "ligne 3 : réseau « Pôle X » en double",
        ),
    ],
)
def test_bad_lines_are_reported_with_their_line_number(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(NetworkFileError, match=message):
        networks.read_networks_csv(path)


def test_every_bad_line_is_listed_at_once(tmp_path):
    path = write(
        tmp_path,
        "A,pole,B,epci,1,actif,s\nB,pole,B,epci,242900314,actif,s\nC,pole,B,epci,2,actif,s\n",
    )
    with pytest.raises(NetworkFileError) as info:
        networks.read_networks_csv(path)
    assert "ligne 2" in str(info.value)
    assert "ligne 4" in str(info.value)
    assert "ligne 3" not in str(info.value)


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "x\n", header="network_name,status\n")
    with pytest.raises(NetworkFileError, match="network_kind"):
        networks.read_networks_csv(path)


# Import into the workspace ------------------------------------------------------


def _actor():
    return pd.DataFrame(
        [{"nom": "Atelier vélo", "famille": "association", "code_commune": "29019"}]
    )


GOOD = "Pôle X,pole,Bretagne,epci,242900314,actif,s\n"


def _snapshot(conn):
    tables = ("networks", "network_territories", "network_members", "audit_log")
    return {
        t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
    }


def test_import_adds_networks_with_their_perimeter_and_an_audit_row(tmp_path, conn):
    path = write(
        tmp_path,
        GOOD
        + "Collectif Y,Collectif,Bretagne,pays,BZH-BREST|BZH-MORLAIX,en projet,s\n",
    )
    report = networks.import_networks(conn, path, who="cress")
    assert report == {"added": ["Pôle X", "Collectif Y"], "updated": []}
    table, perimeters = networks.from_workspace(conn)
    assert table["nom"].tolist() == ["Pôle X", "Collectif Y"]
    assert table["kind"].tolist() == ["pole", "collectif"]
    assert table["membres"].tolist() == [0, 0]
    assert perimeters.values.tolist() == [
        ["Pôle X", "epci", "242900314"],
        ["Collectif Y", "pays", "BZH-BREST"],
        ["Collectif Y", "pays", "BZH-MORLAIX"],
    ]
    log = store.read_audit_log(conn)
    assert log.loc[0, "action"] == "networks.import"
    assert log.loc[0, "who"] == "cress"
    assert log.loc[0, "detail"] == {
        "file": "reseaux.csv",
        "added": ["Pôle X", "Collectif Y"],
        "updated": [],
    }


def test_reimport_updates_a_network_and_keeps_its_members(tmp_path, conn):
    networks.import_networks(conn, write(tmp_path, GOOD))
    with store.transaction(conn):
        [actor] = store.insert_actors(conn, _actor(), source="test")
        conn.execute("INSERT INTO network_members VALUES (1, ?)", (actor,))
    path = write(tmp_path, "Pôle X,pole,Bretagne,pays,BZH-BREST,actif,autre\n")
    report = networks.import_networks(conn, path)
    assert report == {"added": [], "updated": ["Pôle X"]}
    table, perimeters = networks.from_workspace(conn)
    assert table.loc[0, "source"] == "autre"
    assert table.loc[0, "membres"] == 1
    assert perimeters.values.tolist() == [["Pôle X", "pays", "BZH-BREST"]]


def test_unknown_code_refuses_the_whole_file_and_loses_nothing(tmp_path, conn):
    networks.import_networks(conn, write(tmp_path, GOOD))
    before = _snapshot(conn)
    path = write(
        tmp_path,
        "Pôle X,pole,Bretagne,pays,BZH-BREST,actif,changé\n"
        "Pôle Z,pole,Bretagne,epci,123456789,actif,s\n",
    )
    with pytest.raises(NetworkFileError) as info:
        networks.import_networks(conn, path)
    message = str(info.value)
    assert "ligne 3 : code(s) 123456789 inconnu(s) au niveau epci" in message
    assert "rien n'a été enregistré" in message
    assert _snapshot(conn) == before


def test_failed_write_rolls_back_everything(tmp_path, conn, monkeypatch):
    networks.import_networks(conn, write(tmp_path, GOOD))
    before = _snapshot(conn)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "update_networks", broken)
    path = write(tmp_path, GOOD + "Pôle W,pole,B,epci,242900835,actif,s\n")
    with pytest.raises(RuntimeError):
        networks.import_networks(conn, path)
    assert _snapshot(conn) == before


def test_dry_run_reports_without_writing(tmp_path, conn):
    before = _snapshot(conn)
    report = networks.import_networks(conn, write(tmp_path, GOOD), dry_run=True)
    assert report == {"added": ["Pôle X"], "updated": []}
    assert _snapshot(conn) == before


def test_optional_columns_are_read_and_checked(tmp_path):
    header = HEADER.strip() + ",structure_accompagnatrice,annee_creation\n"
    path = write(tmp_path, GOOD.strip() + ",CRESS Bretagne,2008\n", header=header)
    table, _ = networks.read_networks_csv(path)
    assert table.loc[0, "structure_accompagnatrice"] == "CRESS Bretagne"
    assert table.loc[0, "annee_creation"] == 2008
    bad = write(tmp_path, GOOD.strip() + ",,vers 2008\n", header=header)
    with pytest.raises(NetworkFileError, match="année de création"):
        networks.read_networks_csv(bad)


def test_bad_perimetre_exact_is_refused(tmp_path):
    header = HEADER.strip() + ",perimetre_exact\n"
    path = write(tmp_path, GOOD.strip() + ",peut-être\n", header=header)
    with pytest.raises(NetworkFileError, match="perimetre_exact"):
        networks.read_networks_csv(path)
