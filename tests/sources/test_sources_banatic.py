import zipfile

import pandas as pd
import pytest
from conftest import SOURCE_FIXTURES, Route

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources import banatic

EPCI = {"242900314", "200068120", "200067932"}

GROUPEMENTS = [
    ["242900314", "Brest Métropole", "METRO", "212900195", "Brest"],
    [
        "200099999",
        "PETR du Pays de Démonstration",
        "PETR",
        "242900314",
        "Brest Métropole",
    ],
    [
        "200099999",
        "PETR du Pays de Démonstration",
        "PETR",
        "200068120",
        "CA Quimper Bretagne Occidentale",
    ],
    ["200099999", "PETR du Pays de Démonstration", "PETR", "999999999", "CC disparue"],
    [
        "200099998",
        "Pôle d'équilibre territorial et rural B",
        "PETR",
        "200067932",
        "Golfe du Morbihan - Vannes Agglomération",
    ],
    [
        "255600000",
        "Syndicat de démonstration",
        "SIVU",
        "200067932",
        "Golfe du Morbihan - Vannes Agglomération",
    ],
]

PETR_ROWS = [
    [
        "200099998",
        "Pôle d'équilibre territorial et rural B",
        "200067932",
        "Golfe du Morbihan - Vannes Agglomération",
    ],
    [
        "200099999",
        "PETR du Pays de Démonstration",
        "200068120",
        "CA Quimper Bretagne Occidentale",
    ],
    ["200099999", "PETR du Pays de Démonstration", "242900314", "Brest Métropole"],
]


@pytest.mark.parametrize("name", ["banatic_france.xlsx", "banatic_v5.txt"])
def test_read_groupements_reads_the_xlsx_export_and_the_former_v5_text(name):
    table = banatic.read_groupements(SOURCE_FIXTURES / name)
    assert table.columns.tolist() == [
        "siren",
        "nom",
        "nature",
        "siren_membre",
        "nom_membre",
    ]
    # Names are read as published (the double space is the fixture's).
    table["nom"] = table["nom"].str.split().str.join(" ")
    assert table.values.tolist() == GROUPEMENTS


def test_petr_members_keeps_known_epci_and_reports_the_others():
    table = banatic.read_groupements(SOURCE_FIXTURES / "banatic_france.xlsx")
    members, others = banatic.petr_members(table, EPCI)
    assert members.columns.tolist() == banatic.COLUMNS
    assert members.values.tolist() == PETR_ROWS
    assert others.values.tolist() == [
        ["200099999", "PETR du Pays de Démonstration", "999999999", "CC disparue"]
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>Service indisponible</body></html>", "page d'erreur HTML"),
        (b"Code\tNom\n1\tx\n", "en-tête introuvable"),
        (b"PK\x03\x04 broken", "classeur XLSX illisible"),
    ],
)
def test_read_groupements_refuses_other_files(tmp_path, content, message):
    path = tmp_path / "export"
    path.write_bytes(content)
    with pytest.raises(SourceUnavailableError, match=message):
        banatic.read_groupements(path)


def test_refresh_petr_writes_the_pays_table(source_server, tmp_path):
    url = source_server.serve_fixture("banatic_france.xlsx")
    out = tmp_path / "pays_petr.csv"
    result = banatic.refresh_petr(out, epci_codes=EPCI, url=url)
    assert pd.read_csv(out, dtype=str).values.tolist() == PETR_ROWS
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "pays_code,pays_nom,epci_siren,epci_nom"
    )
    assert (result.petr, result.epci) == (2, 3)
    assert result.others == ["PETR du Pays de Démonstration → CC disparue (999999999)"]


def test_refresh_petr_without_any_petr_fails_and_keeps_the_table(
    source_server, tmp_path
):
    text = "N° SIREN\tNom du groupement\tNature juridique\tSiren membre\tNom membre\n"
    text += "242900314\tBrest Métropole\tMETRO\t212900195\tBrest\n"
    url = source_server.serve("/export", Route(text.encode("cp1252")))
    out = tmp_path / "pays_petr.csv"
    out.write_text("avant\n")
    with pytest.raises(SourceUnavailableError, match="aucun PETR"):
        banatic.refresh_petr(out, epci_codes=EPCI, url=url)
    assert out.read_text() == "avant\n"


def test_read_groupements_reads_shared_strings_and_cells_without_reference(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    titles = ["N° SIREN", "Nom du groupement", "Nature juridique"]
    titles += ["Siren membre", "Nom membre", "PETR A", "PETR", "CC B"]
    strings = "".join(f"<si><t>{t}</t></si>" for t in titles)
    header = "".join(f'<c t="s"><v>{i}</v></c>' for i in range(5))
    member = '<c r="A2"><v>200099999</v></c><c r="B2" t="s"><v>5</v></c>'
    member += '<c r="C2" t="s"><v>6</v></c><c r="D2"><v>242900314</v></c>'
    member += '<c r="E2" t="s"><v>7</v></c>'
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Export" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId7" Target="worksheets/export.xml"'
            ' Type="x"/></Relationships>',
        )
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
        z.writestr(
            "xl/worksheets/export.xml",
            f'<worksheet xmlns="{main}"><sheetData><row>{header}</row>'
            f"<row>{member}</row></sheetData></worksheet>",
        )
    table = banatic.read_groupements(path)
    assert table.values.tolist() == [
        ["200099999", "PETR A", "PETR", "242900314", "CC B"]
    ]
