import sqlite3

from click.testing import CliRunner

from ess_geo.cli import cli
from ess_geo.workspace import store


def test_versions_lists_the_geo_stack():
    result = CliRunner().invoke(cli, ["versions"])
    assert result.exit_code == 0
    for name in ("Python", "GEOS", "GDAL", "PROJ", "streamlit", "geopandas"):
        assert name in result.output


def test_demo_command_reseeds_the_workspace(workspace_path):
    result = CliRunner().invoke(cli, ["demo", "--size", "400", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "400 acteurs fictifs" in result.output
    conn = store.connect(workspace_path)
    assert len(store.read_actors(conn)) == 400
    conn.close()


def test_demo_command_refuses_a_bad_size(workspace_path):
    result = CliRunner().invoke(cli, ["demo", "--size", "0"])
    assert result.exit_code == 2
    assert "0" in result.output
    assert not workspace_path.exists()


def test_demo_command_reports_an_unusable_workspace(tmp_path, monkeypatch):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("ESS_GEO_DB", str(bad))
    result = CliRunner().invoke(cli, ["demo", "--size", "10"])
    assert result.exit_code == 2
    assert "Impossible d'ouvrir l'espace de travail" in result.output
    assert bad.read_bytes() == b"garbage" * 1000
    assert not isinstance(result.exception, sqlite3.Error)


def test_module_entry_point_runs():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ess_geo", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "versions" in result.stdout


def test_staff_hash_prints_a_verifiable_entry():
    from ess_geo.workspace import auth

    result = CliRunner().invoke(
        cli,
        ["staff-hash", "--user", "alice"],
        input="motdepasse-test\nmotdepasse-test\n",
    )
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("ESS_GEO_STAFF="))
    accounts = auth.parse_accounts(line.split("=", 1)[1].strip("'"))
    assert auth.verify_password("motdepasse-test", accounts["alice"])
    assert "motdepasse-test" not in result.output


def test_staff_hash_refuses_a_short_password():
    result = CliRunner().invoke(cli, ["staff-hash", "--password", "court"])
    assert result.exit_code == 2
    assert "au moins 8 caractères" in result.output
