import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from ess_geo.errors import ImportFileError
from ess_geo.io.imports import decode_text, map_headers, open_source

HEADER = "nom;siret;code_commune;famille\n"


def frames(source):
    chunks = list(source.chunks())
    return pd.concat([c.frame for c in chunks], ignore_index=True), chunks


@pytest.mark.parametrize(
    ("data", "text", "label"),
    [
        ("Coopérative".encode(), "Coopérative", "UTF-8"),
        ("\ufeffCoopérative".encode(), "Coopérative", "UTF-8 (avec BOM)"),
        ("Coopérative – œuvre".encode("cp1252"), "Coopérative – œuvre", "Windows-1252"),
        ("Coopérative".encode("utf-16"), "Coopérative", "UTF-16"),
        (b"caf\xe9 \x81", "café \x81", "Latin-1 (ISO-8859-1)"),
    ],
)
def test_decode_text_detects_the_encoding(data, text, label):
    assert decode_text(data) == (text, label)


def test_decode_text_handles_encodings_mixed_line_by_line():
    data = "Crèche\n".encode() + "Épicerie\n".encode("cp1252")
    text, label = decode_text(data)
    assert text == "Crèche\nÉpicerie\n"
    assert label == "mixte (UTF-8 et Windows-1252, selon les lignes)"


def test_map_headers_recognises_french_variants():
    mapping = map_headers(
        [
            "Raison sociale",
            "N° SIRET",
            "Code INSEE",
            "CP",
            "Ville",
            "Lat",
            "Lon",
            "E-mail",
            "Téléphone",
            "Site internet",
            "Code APE",
            "Forme juridique",
            "Nombre de salariés",
            "Réseaux",
            "Colonne inconnue",
        ]
    )
    assert mapping == {
        "nom": "Raison sociale",
        "siret": "N° SIRET",
        "code_commune": "Code INSEE",
        "code_postal": "CP",
        "commune": "Ville",
        "latitude": "Lat",
        "longitude": "Lon",
        "email": "E-mail",
        "telephone": "Téléphone",
        "site_web": "Site internet",
        "naf": "Code APE",
        "famille": "Forme juridique",
        "effectif": "Nombre de salariés",
        "reseaux": "Réseaux",
    }


@pytest.mark.parametrize(
    ("delimiter", "label"),
    [(";", "point-virgule"), (",", "virgule"), ("\t", "tabulation")],
)
def test_csv_delimiters_are_detected(delimiter, label):
    data = (
        delimiter.join(["nom", "code_commune"])
        + "\n"
        + delimiter.join(["Atelier", "29019"])
        + "\n"
    )
    source = open_source(data.encode(), "a.csv")
    frame, _ = frames(source)
    assert f"Séparateur : {label}." in source.notes
    assert frame[["nom", "code_commune", "line"]].values.tolist() == [
        ["Atelier", "29019", 2]
    ]


def test_line_numbers_count_physical_lines_with_quoted_newlines_and_blank_lines():
    data = 'nom,adresse,code_commune\n"A","1 rue\nde la Paix",29019\n\nB,,29019\n'
    frame, chunks = frames(open_source(data.encode(), "a.csv"))
    assert frame["line"].tolist() == [2, 5]
    assert frame["adresse"].tolist()[0] == "1 rue\nde la Paix"
    assert pd.isna(frame["adresse"].tolist()[1])
    assert sum(c.read for c in chunks) == 2


def test_excel_sep_line_is_honoured():
    data = "sep=,\nnom,code_commune\nA,29019\n"
    frame, _ = frames(open_source(data.encode(), "a.csv"))
    assert frame[["nom", "line"]].values.tolist() == [["A", 3]]


def test_rows_with_another_delimiter_are_rejected_with_their_line():
    data = (
        HEADER + "A;;29019;association\nB,,29019,association\nC;;29019;association;;\n"
    )
    frame, chunks = frames(open_source(data.encode(), "a.csv"))
    assert frame["nom"].tolist() == ["A", "C"]
    assert chunks[0].rejected == [
        {
            "line": 3,
            "reason": "1 champ(s) au lieu de 4 : séparateur différent du point-virgule "
            "ou guillemet mal placé sur cette ligne ?",
        }
    ]


def test_duplicate_and_empty_headers_get_distinct_names():
    source = open_source(b"nom;;nom;code_commune\nA;x;B;29019\n", "a.csv")
    assert source.columns == ("nom", "colonne 2", "nom (2)", "code_commune")
    assert source.mapping["nom"] == "nom"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "est vide"),
        (b"  \n\n", "est vide"),
        (b"\x00\x01\x02binary" * 100, "n'est pas un fichier texte"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003 (.xls)"),
        (b"PK\x03\x04garbage", "endommagé"),
        (
            b"siret;adresse\n1;2\n",
            "il manque le nom (colonne « nom », « raison sociale »…) et de quoi "
            "placer les acteurs",
        ),
        (b"nom;adresse\nA;2\n", "il manque de quoi placer les acteurs"),
    ],
)
def test_unusable_files_are_refused_with_a_french_reason(data, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        open_source(data, "fichier.csv").check()


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="Fichier introuvable"):
        open_source(tmp_path / "absent.csv")


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_sheet_numbers_and_excel_row_numbers():
    data = _workbook(
        {
            "Acteurs": [
                [],
                ["Raison sociale", "SIRET", "Code INSEE", "CP"],
                ["Atelier", 73282932000074, 1053, 1000],
                [None, None, None, None],
                ["Crèche", None, "29019", 29200.0],
            ],
            "Autre": [["nom", "code_commune"], ["X", "29019"]],
        }
    )
    source = open_source(data, "acteurs.xlsx")
    assert source.kind == "xlsx"
    assert source.sheets == ("Acteurs", "Autre")
    frame, _ = frames(source)
    assert frame[
        ["nom", "siret", "code_commune", "code_postal", "line"]
    ].values.tolist() == [
        ["Atelier", "73282932000074", "1053", "1000", 3],
        ["Crèche", pd.NA, "29019", "29200", 5],
    ]


def test_xlsx_chosen_sheet_and_unknown_sheet():
    data = _workbook(
        {
            "A": [["nom", "code_commune"], ["X", "29019"]],
            "B": [["nom", "code_commune"], ["Y", "29019"]],
        }
    )
    frame, _ = frames(open_source(data, "a.xlsx", sheet="B"))
    assert frame["nom"].tolist() == ["Y"]
    with pytest.raises(ImportFileError, match="feuilles disponibles : A, B"):
        open_source(data, "a.xlsx", sheet="C")


def test_a_csv_in_a_zip_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("acteurs.csv", "nom;code_commune\nA;29019\n")
    frame, _ = frames(open_source(buffer.getvalue(), "acteurs.zip"))
    assert frame["nom"].tolist() == ["A"]


def test_manual_mapping_replaces_the_automatic_one():
    data = "Structure;Où;Type\nA;29019;association\n".encode()
    source = open_source(data, "a.csv")
    assert source.columns == ("Structure", "Où", "Type")
    assert source.mapping == {"nom": "Structure", "famille": "Type"}
    with pytest.raises(ImportFileError, match="il manque de quoi placer"):
        list(source.chunks())
    mapped = source.with_mapping(
        {"nom": "Structure", "code_commune": "Où", "famille": "Type"}
    )
    frame, _ = frames(mapped)
    assert frame[["nom", "code_commune", "famille"]].values.tolist() == [
        ["A", "29019", "association"]
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"nom": "nom", "inconnu": "x"}, "Champ(s) inconnu(s) inconnu"),
        ({"nom": "nom", "code_commune": "absente"}, "Colonne(s) absente absente(s)"),
        ({"nom": "nom", "code_commune": "nom"}, "associée à plusieurs champs"),
        ({"nom": "nom"}, "il manque de quoi placer"),
    ],
)
def test_bad_manual_mappings_are_refused(mapping, message):
    source = open_source(b"nom;code_commune\nA;29019\n", "a.csv")
    with pytest.raises(ImportFileError, match=re.escape(message)):
        source.with_mapping(mapping)


def test_a_truncated_workbook_is_refused_clearly():
    data = _workbook({"A": [["nom", "code_commune"], ["X", "29019"]]})
    with pytest.raises(ImportFileError, match="endommagé"):
        open_source(data[: len(data) // 2], "coupe.xlsx")
