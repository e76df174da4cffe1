"""The ``sheet`` command: a prospect sheet as PDF or HTML; bad input exits 2."""

import pytest
from click.testing import CliRunner

from ess_geo.cli import cli
from ess_geo.workspace import seeding, store


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "workspace.sqlite"
    conn = store.connect(path)
    seeding.seed_workspace(conn, size=3_000, seed=11)
    conn.close()
    return path


def run(workspace, monkeypatch, *args):
    monkeypatch.setenv("ESS_GEO_DB", str(workspace))
    return CliRunner().invoke(cli, ["sheet", *map(str, args)])


@pytest.mark.parametrize(("suffix", "start"), [(".pdf", b"%PDF-"), (".html", b"<!DOC")])
def test_sheet_writes_pdf_or_html(workspace, monkeypatch, tmp_path, suffix, start):
    out = tmp_path / f"fiche{suffix}"
    result = run(
        workspace, monkeypatch, "--level", "epci", "--code", "200069425", "--out", out
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Fiche prospect de Communauté d'agglomération Mont-Saint-Michel-Normandie : "
        f"{out}\n"
    )
    assert out.read_bytes().startswith(start)


@pytest.mark.parametrize(
    ("level", "code", "name", "message"),
    [
        ("zz", "1", "x.pdf", "Niveau territorial « zz » inconnu"),
        ("departement", "29", "x.pdf", "une fiche prospect se fait pour"),
        ("epci", "999", "x.pdf", "Territoire « 999 » introuvable"),
        ("epci", "200069425", "x.doc", "extension attendue .pdf ou .html"),
    ],
)
def test_bad_level_code_or_extension_exit_2_and_write_nothing(
    workspace, monkeypatch, tmp_path, level, code, name, message
):
    out = tmp_path / name
    result = run(workspace, monkeypatch, "--level", level, "--code", code, "--out", out)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []
