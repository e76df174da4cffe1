import pandas as pd
import pytest
from click.testing import CliRunner

from ess_geo.cli import cli


def run(*args):
    return CliRunner().invoke(cli, ["sources", *args])


def test_sources_list_names_every_source_with_url_and_licence():
    result = run("list")
    assert result.exit_code == 0, result.output
    for name in ("pnr —", "banatic —", "emploi —", "sirene —"):
        assert name in result.output
    assert "https://inpn.mnhn.fr/docs/Shape/pnr.zip" in result.output
    assert result.output.count("Licence Ouverte 2.0") == 4


def test_fetch_pnr_writes_the_table_and_reports(source_server, tmp_path):
    url = source_server.serve_fixture("pnr_inpn.zip")
    out = tmp_path / "pnr_communes.csv"
    result = run("fetch", "pnr", "--url", url, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "1 PNR, 3 communes membres (dont 1 couvertes en partie)" in result.output
    assert "Codes inconnus de pnr.csv, ignorés : FR8000099" in result.output
    assert "Aucune commune au-dessus du seuil : FR8000004" in result.output
    assert pd.read_csv(out, dtype=str)["commune_insee"].tolist() == [
        "56003",
        "56005",
        "56007",
    ]


def test_fetch_pnr_with_a_higher_threshold_drops_the_partial_commune(
    source_server, tmp_path
):
    url = source_server.serve_fixture("pnr_wfs.geojson")
    out = tmp_path / "pnr_communes.csv"
    result = run("fetch", "pnr", "--url", url, "--out", str(out), "--seuil", "0.7")
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out, dtype=str)["commune_insee"].tolist() == ["56003", "56005"]


@pytest.mark.parametrize(
    "args",
    [
        ["fetch", "pnr"],
        ["fetch", "banatic"],
        ["fetch", "emploi"],
        ["fetch", "sirene", "etablissements", "--dir"],
    ],
)
def test_offline_fetch_exits_2_in_french_and_changes_no_file(
    offline_url, tmp_path, args
):
    target = tmp_path / "cible.csv"
    target.write_text("données embarquées\n")
    out = ["--out", str(target)] if args[-1] != "--dir" else [str(tmp_path)]
    result = run(*args, *out, "--url", offline_url)
    assert result.exit_code == 2
    assert "indisponible" in result.output
    assert "hors ligne" in result.output
    assert "les données embarquées restent utilisées" in result.output
    assert target.read_text() == "données embarquées\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cible.csv"]


def test_fetch_pnr_refuses_a_threshold_of_zero(tmp_path):
    result = run("fetch", "pnr", "--seuil", "0", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "--seuil" in result.output


def test_fetch_banatic_emploi_and_sirene_write_their_files(source_server, tmp_path):
    result = run(
        "fetch",
        "banatic",
        "--url",
        source_server.serve_fixture("banatic_v5.txt"),
        "--out",
        str(tmp_path / "pays_petr.csv"),
    )
    assert result.exit_code == 0, result.output
    assert "2 PETR, 3 adhésions d'EPCI" in result.output
    assert "CC disparue (999999999)" in result.output

    result = run(
        "fetch",
        "emploi",
        "--url",
        source_server.serve_fixture("base-cc-emploi-pop-active-2021_csv.zip"),
        "--out",
        str(tmp_path / "emplois.csv"),
    )
    assert result.exit_code == 0, result.output
    assert "4 communes, colonne P21_EMPLT" in result.output

    result = run(
        "fetch",
        "sirene",
        "unites_legales",
        "--format",
        "parquet",
        "--dir",
        str(tmp_path / "sirene"),
        "--url",
        source_server.serve_fixture("StockUniteLegale_utf8.parquet"),
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sirene" / "StockUniteLegale_utf8.parquet").exists()


def test_fetch_emploi_requires_an_output_file():
    result = run("fetch", "emploi")
    assert result.exit_code == 2
    assert "--out" in result.output


def test_download_larger_than_max_mo_is_refused_and_nothing_written(
    source_server, tmp_path
):
    url = source_server.serve("/base.zip", b"0" * 1_500_000)
    out = tmp_path / "emplois.csv"
    result = run("fetch", "emploi", "--url", url, "--out", str(out), "--max-mo", "1")
    assert result.exit_code == 2
    assert "au-delà de la limite de 1.0 Mo" in result.output
    assert "--max-mo" in result.output
    assert list(tmp_path.iterdir()) == []
