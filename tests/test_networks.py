import pytest

from ess_geo import geography, networks

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
    import pandas as pd

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
    with pytest.raises(networks.NetworkFileError, match=message):
        networks.read_networks_csv(path)


def test_every_bad_line_is_listed_at_once(tmp_path):
    path = write(
        tmp_path,
        "A,pole,B,epci,1,actif,s\nB,pole,B,epci,242900314,actif,s\nC,pole,B,epci,2,actif,s\n",
    )
    with pytest.raises(networks.NetworkFileError) as info:
        networks.read_networks_csv(path)
    assert "ligne 2" in str(info.value)
    assert "ligne 4" in str(info.value)
    assert "ligne 3" not in str(info.value)


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "x\n", header="network_name,status\n")
    with pytest.raises(networks.NetworkFileError, match="network_kind"):
        networks.read_networks_csv(path)
