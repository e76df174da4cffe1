"""The ``weight`` command: columns, every territory, formats, exit codes."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ess_geo.analysis import weight
from ess_geo.cli import cli
from ess_geo.geo import geography
from ess_geo.workspace import seeding, store

DATA = Path(__file__).parent / "data"
HEADER = (
    "code,nom,population,structures,employeurs,emplois,emplois_inconnus,"
    "associations,cooperatives,mutuelles,fondations,societes_commerciales,"
    "structures_10k_hab,emplois_1000_hab,indice_specificite,part_emploi"
)


@pytest.fixture
def seeded(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=500, seed=3)
    conn.close()
    return workspace_path


@pytest.fixture
def actor_file(tmp_path):
    path = tmp_path / "acteurs.csv"
    path.write_text(
        "nom;code_commune;famille;effectif;tranche_effectif\n"
        "Amicale;29019;association;12;\n"
        "Coop;29019;cooperative;;12\n"
        "Mutuelle;29232;mutuelle;;\n"
        ";29232;association;;\n"
    )
    return path


def run(*args):
    return CliRunner().invoke(cli, ["weight", *args])


def test_csv_header_is_the_contract():
    assert ",".join(weight.COLUMNS) == HEADER


@pytest.mark.parametrize("level", geography.LEVELS)
def test_every_territory_of_the_level_is_listed(seeded, level):
    result = run("--level", level)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert ",".join(rows[0]) == HEADER
    codes = [row[0] for row in rows[1:]]
    assert codes == list(geography.territories(level).index)


def test_numbers_in_csv_have_at_most_four_decimals(seeded):
    result = run("--level", "departement")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in rows:
        for column in ("structures_10k_hab", "emplois_1000_hab", "indice_specificite"):
            decimals = row[column].partition(".")[2]
            assert len(decimals) <= 4, (column, row[column])
    assert {row["part_emploi"] for row in rows} == {""}  # no employment table


def test_demo_workspace_is_flagged_on_stderr(seeded):
    result = run("--level", "region")
    assert "données de démonstration" in result.stderr


def test_actor_file_is_analysed_instead_of_the_workspace(actor_file, workspace_path):
    result = run("--level", "epci", "--actors", str(actor_file), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert len(rows) == 1253
    brest = rows["242900314"]
    assert (brest["structures"], brest["emplois"], brest["emplois_inconnus"]) == (
        2,
        46.5,
        0,
    )
    assert rows["200068120"]["mutuelles"] == 1  # Quimper Bretagne Occidentale
    assert rows["200068120"]["emplois_1000_hab"] == 0.0
    assert "ligne 5 ignorée : nom vide" in result.stderr
    assert not workspace_path.exists()  # read-only: no workspace created


def test_json_keeps_unrounded_numbers_and_nulls(actor_file):
    result = run("--level", "pnr", "--actors", str(actor_file), "--format", "json")
    rows = json.loads(result.stdout)
    assert list(rows[0]) == list(weight.COLUMNS)
    vercors = next(r for r in rows if r["code"] == "FR8000001")
    assert vercors["population"] is None
    assert vercors["part_emploi"] is None


def test_detail_adds_ranks_and_parents(actor_file):
    result = run("--level", "epci", "--actors", str(actor_file), "--detail")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [*weight.COLUMNS, *weight.DETAIL_COLUMNS]
    brest = next(r for r in rows if r["code"] == "242900314")
    assert (brest["departement"], brest["rang_departement"]) == ("29", "1")


def test_employment_fills_the_share_of_total_employment(actor_file):
    result = run(
        "--level",
        "commune",
        "--actors",
        str(actor_file),
        "--employment",
        str(DATA / "base-cc-emploi-pop-active-2021-extrait.csv"),
    )
    assert result.exit_code == 0, result.output
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["29019"]["part_emploi"] == str(round(46.5 / 86305.42, 4))
    assert rows["29232"]["part_emploi"] == "0.0"
    assert rows["29075"]["part_emploi"] == "0.0"  # in the file, no ESS job
    assert rows["35238"]["part_emploi"] == ""  # Rennes: not in the file


def test_out_writes_the_file(actor_file, tmp_path):
    out = tmp_path / "poids.csv"
    result = run("--level", "region", "--actors", str(actor_file), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = out.read_text().splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 19


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "canton"], "Niveau territorial « canton » inconnu"),
        ([], "Erreur : Option '--level' obligatoire."),
        (["--level", "epci", "--format", "xml"], "'xml' n'est pas parmi 'csv', 'json'"),
        (
            ["--level", "epci", "--actors", "/nonexistent.csv"],
            "Erreur : Fichier introuvable : /nonexistent.csv.",
        ),
    ],
)
def test_unusable_arguments_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_unusable_files_exit_2_and_write_nothing(tmp_path, actor_file):
    bad = tmp_path / "emploi.csv"
    bad.write_text("CODGEO;P21_EMPLT\n29019;-3\n")
    out = tmp_path / "poids.csv"
    result = run(
        "--level",
        "epci",
        "--actors",
        str(actor_file),
        "--employment",
        str(bad),
        "--out",
        str(out),
    )
    assert result.exit_code == 2
    assert "nombre d'emplois « -3 » invalide" in result.output
    assert not out.exists()
    assert list(tmp_path.glob(".*.tmp")) == []

    empty = tmp_path / "vide.csv"
    empty.write_text("nom;code_commune\n;99999\n")
    result = run("--level", "epci", "--actors", str(empty))
    assert result.exit_code == 2
    assert "Aucun acteur utilisable" in result.output


def test_unusable_workspace_exits_2(tmp_path, monkeypatch):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("ESS_GEO_DB", str(bad))
    result = run("--level", "epci")
    assert result.exit_code == 2
    assert "Impossible d'ouvrir l'espace de travail" in result.output
    assert bad.read_bytes() == b"garbage" * 1000
