import sqlite3

import pytest
from click.testing import CliRunner

from ess_geo.cli import cli
from ess_geo.workspace import store

BOTH_BACKENDS = True  # the workspace tests run on SQLite and on PostgreSQL


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


@pytest.mark.sqlite_only
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


@pytest.mark.parametrize(
    "target", ["https://example.org/base", "sqlite:///tmp/x.sqlite", "ftp://h/db"]
)
def test_a_url_that_is_not_postgresql_is_refused(tmp_path, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESS_GEO_DB", target)
    result = CliRunner().invoke(cli, ["demo", "--size", "10"])
    assert result.exit_code == 2  # unusable input
    assert "seules les adresses postgresql://" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_postgresql_url_is_never_a_file_name(tmp_path, monkeypatch):
    # No server listens on port 1: the connection fails, no folder is made.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESS_GEO_DB", "postgresql://ess:secret@127.0.0.1:1/ess")
    result = CliRunner().invoke(cli, ["demo", "--size", "10"])
    assert result.exit_code == 2  # unusable input
    assert "Impossible de se connecter à la base PostgreSQL" in result.output
    assert "postgresql://ess:***@127.0.0.1:1/ess" in result.output
    assert "secret" not in result.output
    assert list(tmp_path.iterdir()) == []


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
