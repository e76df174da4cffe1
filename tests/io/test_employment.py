from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ess_geo.errors import InputFileError
from ess_geo.io.employment import fold_arrondissements, read_employment

DATA = Path(__file__).resolve().parents[1] / "data"
INSEE_CSV = DATA / "base-cc-emploi-pop-active-2021-extrait.csv"


def test_reads_the_official_insee_csv():
    employment = read_employment(INSEE_CSV)
    assert employment.index.name == "commune"
    assert employment.index.tolist() == [
        "01001",
        "29019",
        "29075",
        "29232",
        "2A004",
        "75056",
    ]
    # P21_EMPLT, not P21_EMPLT_SAL nor the older P15_EMPLT.
    assert employment["29019"] == 86305.42
    assert employment["75056"] == 1857343.71


def write_insee_xlsx(path: Path, com_rows, arm_rows=None) -> Path:
    """A workbook shaped like INSEE's: title rows, labels, then variable names."""
    book = openpyxl.Workbook()
    sheets = [("COM", com_rows)] + ([("ARM", arm_rows)] if arm_rows else [])
    for index, (name, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(["Emploi - population active en 2021"])
        sheet.append(["Recensement de la population - Base communale"])
        sheet.append([])
        sheet.append(["Zone géographique : communes"])
        sheet.append(["Code géographique", "Libellé", "Emplois au LT en 2021 (princ)"])
        sheet.append(["CODGEO", "LIBGEO", "P21_EMPLT"])
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_reads_an_insee_workbook_below_its_title_rows(tmp_path):
    path = write_insee_xlsx(
        tmp_path / "emploi.xlsx",
        [["29019", "Brest", 86305.42], [1001, "L'Abergement", 142.87]],
    )
    employment = read_employment(path)
    assert employment.to_dict() == {"01001": 142.87, "29019": 86305.42}


def test_arrondissements_are_summed_when_the_commune_is_absent(tmp_path):
    path = write_insee_xlsx(
        tmp_path / "emploi.xlsx",
        [["29019", "Brest", 10.0]],
        [["75101", "Paris 1er", 100.0], ["75120", "Paris 20e", 50.5]],
    )
    employment = read_employment(path)
    assert employment.to_dict() == {"29019": 10.0, "75056": 150.5}


def test_arrondissements_are_dropped_when_the_commune_is_given(tmp_path):
    path = write_insee_xlsx(
        tmp_path / "emploi.xlsx",
        [["75056", "Paris", 1000.0], ["69123", "Lyon", 500.0]],
        [["75101", "Paris 1er", 600.0], ["13201", "Marseille 1er", 20.0]],
    )
    employment = read_employment(path)
    # Paris counted once; Marseille from its arrondissement.
    assert employment.to_dict() == {"13055": 20.0, "69123": 500.0, "75056": 1000.0}


def test_fold_arrondissements_of_lyon():
    folded = fold_arrondissements(pd.Series({"69381": 1.0, "69389": 2.0, "01001": 3.0}))
    assert folded.to_dict() == {"01001": 3.0, "69123": 3.0}


def test_comma_separated_file_with_french_decimals_and_a_bom(tmp_path):
    path = tmp_path / "emploi.csv"
    path.write_bytes('\ufeffcodgeo,emplt\n29019,"86 305,4"\n'.encode())
    assert read_employment(path).to_dict() == {"29019": 86305.4}


def test_bytes_of_an_upload_are_read_like_a_file():
    employment = read_employment(INSEE_CSV.read_bytes(), name="upload.csv")
    assert len(employment) == 6


def test_unknown_commune_codes_are_kept_with_a_warning(tmp_path):
    path = tmp_path / "emploi.csv"
    path.write_text("CODGEO;P21_EMPLT\n29019;10\n99999;5\n")
    with pytest.warns(UserWarning, match="1 code\\(s\\) commune.*99999"):
        employment = read_employment(path)
    assert employment["99999"] == 5.0


def test_empty_cells_stay_missing(tmp_path):
    path = tmp_path / "emploi.csv"
    path.write_text("CODGEO;P21_EMPLT\n29019;\n29075;3\n")
    employment = read_employment(path)
    assert pd.isna(employment["29019"])
    assert employment["29075"] == 3.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("CODGEO;P21_POP\n29019;3\n", "en-tête non reconnu"),
        ("nom;valeur\n", "en-tête non reconnu"),
        ("CODGEO;P21_EMPLT\n", "aucune ligne de données"),
        (
            "CODGEO;P21_EMPLT\n29019;10\n2901;4\nABCDE;3\n",
            "ligne 4 : code commune « ABCDE »",
        ),
        ("CODGEO;P21_EMPLT\n29019;-4\n", "ligne 2 : nombre d'emplois « -4 »"),
        ("CODGEO;P21_EMPLT\n29019;beaucoup\n", "« beaucoup » invalide"),
        ("CODGEO;P21_EMPLT\n29019;1\n29019;2\n", "29019 apparaît plusieurs fois"),
    ],
)
def test_unusable_files_raise_a_french_error_naming_the_problem(
    tmp_path, content, message
):
    path = tmp_path / "emploi.csv"
    path.write_text(content)
    with pytest.raises(InputFileError, match=message):
        read_employment(path)


def test_binary_and_missing_files_raise(tmp_path):
    binary = tmp_path / "emploi.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(InputFileError, match="pas un fichier texte"):
        read_employment(binary)
    with pytest.raises(InputFileError, match="introuvable"):
        read_employment(tmp_path / "absent.csv")
    broken = tmp_path / "emploi.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputFileError, match="illisible"):
        read_employment(broken)
