"""Issue 15: generated files and arguments given to the command line (property-based).

Whatever the file, ``import`` exits 0, 1 or 2 with French messages and no
traceback, and a refused file (exit 2) changes nothing in the workspace.
"""

import datetime as dt

import pytest
from click.testing import CliRunner
from conftest import workspace_dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ess_geo.cli import cli
from ess_geo.workspace import seeding

BOUNDED = settings(
    max_examples=25,
    deadline=dt.timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow],
)

HEADER = "nom,siret,code_commune,famille,effectif\n"
CELL = st.one_of(
    st.sampled_from(
        [
            '"',
            "29019",
            "35238",
            "association",
            "9223372036854775808",
            "1e18",
            "-3",
            "00000000000000",
            "=1+1",
            "\x00",
            "é",
            ",",
            "\n",
        ]
    ),
    st.text(max_size=8),
)
ROWS = st.lists(st.lists(CELL, max_size=6).map(",".join), max_size=8)
FILES = st.one_of(
    ROWS.map(lambda rows: (HEADER + "\n".join(rows)).encode("utf-8", "surrogatepass")),
    st.binary(max_size=300),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The demo workspace, scaled down: what an import must leave untouched."""
    folder = tmp_path_factory.mktemp("cli-props")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ESS_GEO_DB", str(folder / "workspace.sqlite"))
        patch.setenv(seeding.DEMO_SIZE_ENV, "3000")
        conn = seeding.open_workspace()
        yield conn, folder
        conn.close()


@settings(BOUNDED)
@given(data=FILES, dry_run=st.booleans())
def test_issue15_import_of_any_file_follows_the_contract(workspace, data, dry_run):
    conn, folder = workspace
    path = folder / "fichier.csv"
    path.write_bytes(data)
    before = workspace_dump(conn)
    args = ["import", str(path), *(["--dry-run"] if dry_run else [])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1, 2), result.output
    assert isinstance(result.exception, SystemExit | None)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "\nErreur : " in "\n" + result.output
    assert not any(c in result.output for c in "\x00\x1b\x0b")
    if result.exit_code == 2 or dry_run:
        assert workspace_dump(conn) == before


ARGUMENT = st.one_of(
    st.sampled_from(
        [
            "--level",
            "region",
            "epci",
            "--format",
            "xml",
            "--out",
            "/nonexistent/x",
            "--threshold",
            "1e309",
            "--weight",
            "structures=nan",
            "--networks",
            "/dev/zero",
            "--actors",
            "/",
            "--region",
            "²",
            "--detail",
            "-x",
            "",
        ]
    ),
    st.text(max_size=6),
)


@settings(BOUNDED)
@given(
    command=st.sampled_from(["gaps", "weight", "import-networks", "import", "nope"]),
    args=st.lists(ARGUMENT, max_size=6),
)
def test_issue15_any_arguments_follow_the_contract(workspace, command, args):
    result = CliRunner().invoke(cli, [command, *args])
    assert isinstance(result.exception, SystemExit | None)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "Erreur : " in result.output
