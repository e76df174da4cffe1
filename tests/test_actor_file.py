import pandas as pd
import pytest

from ess_geo._actor_file import read_actor_file
from ess_geo.errors import InputFileError

HEADER = (
    "siret;nom;categorie_juridique;famille;naf;effectif;code_postal;commune;"
    "code_commune"
)


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "acteurs.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_the_canonical_file_and_rejects_bad_rows_with_their_line(tmp_path):
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                ";Amicale laïque;9220;;94.99Z;3;;;29019",
                ";Coop du Léon;;Coopérative;;;29200;Brest;",
                ";;9220;;;;;;29019",
                ";Sans commune;9220;;;;;;99999",
                ";Forme SAS;5710;;;;;;29019",
                ";Effectif bizarre;9220;;;2,5;;;29019",
                ";Fondation du Ponant;;fondation;;0;;;22016",
            ]
        ),
        encoding="cp1252",
    )
    actors, rejected = read_actor_file(path)
    assert actors["nom"].tolist() == [
        "Amicale laïque",
        "Coop du Léon",
        "Fondation du Ponant",
    ]
    assert actors["code_commune"].tolist() == ["29019", "29019", "22016"]
    assert actors["famille"].tolist() == ["association", "cooperative", "fondation"]
    assert actors["effectif"].tolist() == [3, pd.NA, 0]
    assert [r["line"] for r in rejected] == [4, 5, 6, 7]
    assert rejected[0]["reason"] == "nom vide"
    assert rejected[1]["reason"].startswith("commune introuvable")
    assert rejected[2]["reason"].startswith("famille inconnue")
    assert rejected[3]["reason"].startswith("effectif invalide")


def test_french_headers_and_comma_separator(tmp_path):
    path = write(
        tmp_path, "Raison sociale,Code INSEE,Famille\nAmicale,1001,association\n"
    )
    actors, rejected = read_actor_file(path)
    assert rejected == []
    assert actors.loc[0, "code_commune"] == "01001"


def test_a_file_without_a_way_to_place_actors_is_refused(tmp_path):
    path = write(tmp_path, "nom;latitude;longitude\nAmicale;48.4;-4.5\n")
    with pytest.raises(InputFileError, match="aucune colonne pour placer"):
        read_actor_file(path)


def test_a_file_without_names_is_refused(tmp_path):
    path = write(tmp_path, "code_commune\n29019\n")
    with pytest.raises(InputFileError, match="colonne « nom » absente"):
        read_actor_file(path)


def test_unknown_sirene_band_is_rejected(tmp_path):
    path = write(
        tmp_path, "nom;code_commune;famille;tranche_effectif\nA;29019;association;99\n"
    )
    _, rejected = read_actor_file(path)
    assert rejected == [{"line": 2, "reason": "tranche d'effectif SIRENE inconnue"}]
