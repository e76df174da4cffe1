"""Issue 15: one error contract for every command of the command line."""

import io
import json
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner
from conftest import workspace_dump

from ess_geo import cli_errors
from ess_geo.cli import cli
from ess_geo.workspace import seeding, store

NET_HEADER = (
    "network_name,network_kind,region,territory_level,territory_codes,status,"
    "source,perimetre_exact\n"
)
NET_ROW = "Réseau du Pays de Brest,pole,Bretagne,pays,BZH-BREST,actif,s,oui\n"
ACTORS = "nom,siret,code_commune,famille,effectif\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def seeded(workspace_path, monkeypatch):
    """The demo workspace, scaled down: what an import must leave untouched."""
    monkeypatch.setenv(seeding.DEMO_SIZE_ENV, "3000")
    conn = seeding.open_workspace()
    yield conn
    conn.close()


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


# -- defect 3 ---------------------------------------------------------------------


def test_issue15_report_json_into_a_missing_folder_writes_nothing(seeded, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(ACTORS + "A,,29019,association,3\n")
    before = workspace_dump(seeded)
    result = run("import", path, "--report-json", tmp_path / "absent" / "r.json")
    assert result.exit_code == 2
    assert result.output == (
        f"Erreur : Dossier {tmp_path / 'absent'} introuvable pour écrire r.json : "
        "créez-le d'abord. Rien n'a été fait.\n"
    )
    assert workspace_dump(seeded) == before


def test_issue15_effectif_beyond_2_63_refuses_its_row_only(seeded, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        ACTORS + "A,,29019,association,9223372036854775808\nB,,29019,association,4\n"
    )
    report = tmp_path / "r.json"
    result = run("import", path, "--report-json", report)
    assert result.exit_code == 1, result.output
    payload = json.loads(report.read_text())
    assert (payload["read"], payload["imported"]) == (2, 1)
    assert [r["line"] for r in payload["rejected"]] == [2]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            sqlite3.OperationalError("database is locked"),
            "l'espace de travail est occupé par une autre écriture",
        ),
        (sqlite3.OperationalError("database or disk is full"), "le disque est plein"),
        (sqlite3.OperationalError("disk I/O error"), "erreur d'écriture sur le disque"),
        (
            sqlite3.DatabaseError("database disk image is malformed"),
            "l'espace de travail est endommagé",
        ),
    ],
)
def test_issue15_workspace_errors_exit_2_in_french(
    monkeypatch, workspace_path, error, message
):
    def fail():
        raise error

    monkeypatch.setattr(seeding, "open_workspace", fail)
    result = run("gaps", "--level", "region")
    assert result.exit_code == 2
    assert result.output.startswith(f"Erreur : Espace de travail : {message}")
    assert result.output.endswith("Rien n'a été écrit.\n")


def test_issue15_an_unexpected_error_gives_a_log_file_not_a_traceback(
    monkeypatch, workspace_path, tmp_path
):
    monkeypatch.setenv(cli_errors.LOG_DIR_VAR, str(tmp_path / "journaux"))

    def fail():
        raise TypeError("a bug")

    monkeypatch.setattr(seeding, "open_workspace", fail)
    result = run("gaps", "--level", "region")
    assert result.exit_code == cli_errors.EXIT_UNEXPECTED == 3
    logs = list((tmp_path / "journaux").iterdir())
    assert len(logs) == 1
    assert result.output == (
        f"Erreur : Erreur inattendue (TypeError) ; détails dans {logs[0]}. Joignez "
        "ce fichier et la sortie de « python -m ess_geo versions » à votre "
        "signalement.\n"
    )
    assert "Traceback" in logs[0].read_text()
    assert "TypeError: a bug" in logs[0].read_text()


def test_issue15_click_usage_errors_are_french():
    result = run("gaps", "--levle", "region")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Erreur : Option '--levle' inconnue. (Vouliez-vous dire l'une de : "
        "'--help', '--level' ?)"
    )


# -- defect 9: import-networks, gaps --networks, weight --employment -------------

BAD_NETWORK_FILES = {
    "vide": (b"", "Fichier de réseaux reseaux.csv : fichier vide."),
    "entete": (NET_HEADER.encode(), "aucune ligne sous l'en-tête"),
    "binaire": (b"\x00\x01\x02" * 100, "ce n'est pas un fichier texte"),
    "zip": (zipped("r.csv", (NET_HEADER + NET_ROW).encode()), "archive ZIP"),
    "guillemet": (
        (NET_HEADER + '"Réseau,pole,Bretagne,pays,BZH-BREST,actif,s,oui\n').encode(),
        "ligne 2 : guillemet ouvert et jamais fermé",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_NETWORK_FILES))
def test_issue15_import_networks_refuses_bad_files_in_french(seeded, tmp_path, kind):
    data, message = BAD_NETWORK_FILES[kind]
    path = tmp_path / "reseaux.csv"
    path.write_bytes(data)
    before = workspace_dump(seeded)
    result = run("import-networks", path)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Erreur : Fichier de réseaux reseaux.csv")
    assert message in result.output
    assert workspace_dump(seeded) == before


@pytest.mark.parametrize("kind", sorted(BAD_NETWORK_FILES))
def test_issue15_gaps_refuses_bad_network_files_in_french(
    workspace_path, tmp_path, kind
):
    data, message = BAD_NETWORK_FILES[kind]
    path = tmp_path / "reseaux.csv"
    path.write_bytes(data)
    result = run("gaps", "--level", "region", "--networks", path)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_issue15_cp1252_and_repeated_perimeter_codes_are_imported(seeded, tmp_path):
    path = tmp_path / "reseaux.csv"
    row = (
        "Réseau Brest-Morlaix,collectif,Bretagne,epci,242900314|242900314,actif,s,oui\n"
    )
    path.write_bytes((NET_HEADER + row).encode("cp1252"))
    result = run("import-networks", path)
    assert result.exit_code == 0, result.output
    stored = store.read_networks(seeded)
    added = stored[stored["nom"] == "Réseau Brest-Morlaix"]
    assert len(added) == 1
    perimeter = store.read_network_territories(seeded)
    codes = perimeter[perimeter["network_id"] == added.index[0]]["code"].tolist()
    assert codes == ["242900314"]


def test_issue15_weight_with_a_garbage_employment_workbook_exits_2(
    workspace_path, tmp_path
):
    actors = tmp_path / "a.csv"
    actors.write_text(ACTORS + "A,,29019,association,3\n")
    path = tmp_path / "emploi.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x07" * 500)
    result = run(
        "weight", "--level", "region", "--actors", actors, "--employment", path
    )
    assert result.exit_code == 2
    assert result.output.startswith("Erreur : Classeur d'emploi emploi.xlsx illisible")


# -- defect 10 and 11 ---------------------------------------------------------------


def test_issue15_an_unrelated_sqlite_workspace_exits_2_unchanged(tmp_path, monkeypatch):
    other = tmp_path / "compta.sqlite"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE factures (n INTEGER)")
    raw.commit()
    raw.close()
    before = other.read_bytes()
    monkeypatch.setenv("ESS_GEO_DB", str(other))
    result = run("gaps", "--level", "region")
    assert result.exit_code == 2
    assert "n'est pas un espace de travail ESS Territoires" in result.output
    assert other.read_bytes() == before


def test_issue15_gaps_csv_neutralises_formula_cells(workspace_path, tmp_path):
    path = tmp_path / "reseaux.csv"
    row = (
        '"=HYPERLINK(""http://x.example"")",pole,Bretagne,pays,BZH-BREST,actif,s,oui\n'
    )
    path.write_text(NET_HEADER + row)
    actors = tmp_path / "a.csv"
    actors.write_text(ACTORS + "A,,29019,association,3\n")
    result = run(
        "gaps",
        "--level",
        "pays",
        "--networks",
        path,
        "--actors",
        actors,
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert """'=HYPERLINK(""http://x.example"")""" in result.output
    assert ",=HYPERLINK" not in result.output
