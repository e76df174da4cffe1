"""A corpus of bad files, each with the report the importer must give.

Each file goes through the command line (``python -m ess_geo import FILE
--report-json R``) into a fresh workspace holding the small demo; the big
files are generated here, at run time, under ``tmp_path``.
"""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import workspace_dump

from ess_geo.cli import cli
from ess_geo.io import exports
from ess_geo.workspace import seeding, store

HEADER = "nom;siret;code_commune;famille;latitude;longitude\n"


@pytest.fixture
def workspace(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=200, seed=3)
    yield conn
    conn.close()


def run(tmp_path, name: str, data: bytes, *options: str):
    path = tmp_path / name
    path.write_bytes(data)
    report_path = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli, ["import", str(path), "--report-json", str(report_path), *options]
    )
    report = json.loads(report_path.read_text()) if report_path.exists() else None
    return result, report


def real_names(conn) -> list[str]:
    table = store.read_actors(conn)
    return table.loc[~table["is_demo"], "nom"].tolist()


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("cp1252", "Coopérative « Œuvre » – Brest"),
        ("latin-1", "Crèche Noël ÿ"),
        ("utf-8-sig", "Épicerie ☕ solidaire"),
        ("utf-16", "Maison des ʃeunes"),
    ],
)
def test_encodings_are_detected_and_accents_kept(tmp_path, workspace, encoding, name):
    data = (HEADER + f"{name};;29019;association;;\n").encode(encoding)
    result, report = run(tmp_path, "acteurs.csv", data)
    assert result.exit_code == 0, result.output
    assert report["imported"] == 1
    assert real_names(workspace) == [name]


def test_mixed_encodings_line_by_line(tmp_path, workspace):
    data = (
        HEADER.encode()
        + "Crèche UTF-8;;29019;association;;\n".encode()
        + "Crèche Windows;;29019;association;;\n".encode("cp1252")
    )
    result, _ = run(tmp_path, "acteurs.csv", data)
    assert result.exit_code == 0
    assert "Encodage détecté : mixte (UTF-8 et Windows-1252" in result.output
    assert real_names(workspace) == ["Crèche UTF-8", "Crèche Windows"]


def test_mixed_delimiters_reject_the_odd_lines(tmp_path, workspace):
    data = (
        HEADER
        + "A;;29019;association;;\n"
        + "B,,29019,association,,\n"
        + "C;;29019;association;;\n"
        + "D\t\t29019\tassociation\t\t\n"
    ).encode()
    result, report = run(tmp_path, "acteurs.csv", data)
    assert result.exit_code == 1
    assert report["read"] == 4
    assert report["imported"] == 2
    assert [r["line"] for r in report["rejected"]] == [3, 5]
    assert report["rejected"][0]["reason"].startswith(
        "1 champ(s) au lieu de 6 : séparateur différent du point-virgule"
    )
    assert "ligne 3 : 1 champ(s) au lieu de 6" in result.output


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.csv", b"", "Le fichier vide.csv est vide : rien à importer."),
        (
            "entete.csv",
            HEADER.encode(),
            "Aucune ligne de entete.csv n'a pu être importée : le fichier n'a pas "
            "de ligne de données. Rien n'a été écrit.",
        ),
        (
            "image.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40,
            "image.csv n'est pas un fichier texte (octets binaires trouvés) : attendu "
            "un CSV, un classeur .xlsx ou un fichier SIRENE.",
        ),
        (
            "ancien.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "ancien.xls est un classeur Excel 97-2003 (.xls), non pris en charge : "
            "enregistrez-le au format .xlsx ou CSV.",
        ),
    ],
)
def test_unusable_files_exit_2_and_write_nothing(
    tmp_path, workspace, name, data, message
):
    before = workspace_dump(workspace)
    result, report = run(tmp_path, name, data)
    assert result.exit_code == 2
    assert message in result.output
    assert report["error"] == message
    assert (report["imported"], report["updated"]) == (0, 0)
    assert workspace_dump(workspace) == before


def test_a_50_mb_file_is_imported_in_one_go(tmp_path, workspace):
    rows = 100_000
    codes = np.array(["29019", "35238", "75056", "69123", "13055", "97411"])
    comment = "x" * 470
    lines = [
        f"Structure n° {i};;{codes[i % 6]};association;;;{comment}\n"
        for i in range(rows)
    ]
    data = (HEADER.strip() + ";commentaire\n" + "".join(lines)).encode()
    assert len(data) > 50_000_000
    result, report = run(tmp_path, "gros.csv", data)
    assert result.exit_code == 0, result.output
    assert (report["read"], report["imported"], report["rejected"]) == (rows, rows, [])
    assert (
        workspace.execute("SELECT count(*) FROM actors WHERE is_demo = 0").fetchone()[0]
        == rows
    )


def test_10000_rows_with_5_percent_bad_rows(tmp_path, workspace):
    rng = np.random.default_rng(2011)
    bad = set(rng.choice(np.arange(10_000), 500, replace=False).tolist())
    problems = [
        ("", "nom vide"),
        ("siret", "SIRET « 12345 » : 14 chiffres attendus (5 caractères lus)"),
        ("commune", "code commune « 00000 » inconnu"),
        ("famille", "famille « syndicat » inconnue"),
        ("coords", "coordonnées (40.4, -3.7) hors de France"),
    ]
    lines, expected = [], {}
    for i in range(10_000):
        row = [f"Acteur {i}", "", "29019", "association", "", ""]
        if i in bad:
            kind, reason = problems[i % 5]
            if kind == "":
                row[0] = ""
            elif kind == "siret":
                row[1] = "12345"
            elif kind == "commune":
                row[2] = "00000"
            elif kind == "famille":
                row[3] = "syndicat"
            else:
                row[4:6] = ["40.4", "-3.7"]
            expected[i + 2] = reason
        lines.append(";".join(row) + "\n")
    result, report = run(tmp_path, "dix-mille.csv", (HEADER + "".join(lines)).encode())
    assert result.exit_code == 1
    assert (report["read"], report["imported"]) == (10_000, 9_500)
    assert [r["line"] for r in report["rejected"]] == sorted(expected)
    for rejection in report["rejected"]:
        assert rejection["reason"].startswith(expected[rejection["line"]])
    assert "… et 480 autre(s) ligne(s) refusée(s)" in result.output


FORMULAS = [
    '=HYPERLINK("http://x.example","clic")',
    "+33 1 00 00 00 00",
    "-2+3",
    "@SUM(A1)",
]
SCRIPTS = ["<script>alert('x')</script>", '<img src=x onerror="alert(1)">']


def test_formulas_and_html_in_names_are_stored_as_text(tmp_path, workspace):
    names = FORMULAS + SCRIPTS
    body = "".join(
        f'"{n.replace(chr(34), chr(34) * 2)}";;29019;association;;\n' for n in names
    )
    result, _ = run(tmp_path, "pieges.csv", (HEADER + body).encode())
    assert result.exit_code == 0, result.output
    assert real_names(workspace) == names
    table = store.read_actors(workspace)
    exported = exports.to_csv(table[~table["is_demo"]][["nom"]]).decode("utf-8-sig")
    for formula in FORMULAS:
        assert f"'{formula}" in exported.replace('""', '"')


def test_dry_run_and_keep_demo(tmp_path, workspace):
    before = workspace_dump(workspace)
    data = (HEADER + "A;;29019;association;;\n").encode()
    result, report = run(tmp_path, "a.csv", data, "--dry-run")
    assert result.exit_code == 0
    assert "Essai (--dry-run) : rien n'a été écrit." in result.output
    assert "Les 200 acteurs de démonstration seraient retirés." in result.output
    assert report["imported"] == 1
    assert workspace_dump(workspace) == before
    result, _ = run(tmp_path, "a.csv", data, "--keep-demo")
    assert result.exit_code == 0
    assert store.has_demo_actors(workspace)


def test_swapped_coordinates_fixed_on_request(tmp_path, workspace):
    data = (HEADER + "A;;;association;-4.4861;48.3904\n").encode()
    result, report = run(tmp_path, "a.csv", data)
    assert result.exit_code == 2  # the only row is refused
    assert "--fix-swapped" in report["rejected"][0]["reason"]
    result, report = run(tmp_path, "a.csv", data, "--fix-swapped")
    assert result.exit_code == 0
    assert store.read_actors(workspace)["code_commune"].tolist() == ["29019"]


def test_missing_file_is_a_usage_error(tmp_path, workspace):
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "absent.csv")])
    assert result.exit_code == 2
    absent = tmp_path / "absent.csv"
    assert result.output == f"Erreur : Fichier introuvable : {absent}.\n"


def test_an_unusable_workspace_exits_2(tmp_path, monkeypatch):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("ESS_GEO_DB", str(bad))
    result, _ = run(tmp_path, "a.csv", (HEADER + "A;;29019;association;;\n").encode())
    assert result.exit_code == 2
    assert "Impossible d'ouvrir l'espace de travail" in result.output
    assert bad.read_bytes() == b"garbage" * 1000


def test_xlsx_sheet_option(tmp_path, workspace):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["rien"])
    sheet = book.create_sheet("Acteurs")
    sheet.append(["Raison sociale", "Code INSEE", "Famille"])
    sheet.append(["Atelier", "29019", "Association"])
    buffer = io.BytesIO()
    book.save(buffer)
    result, _ = run(tmp_path, "a.xlsx", buffer.getvalue(), "--sheet", "Acteurs")
    assert result.exit_code == 0, result.output
    assert real_names(workspace) == ["Atelier"]
