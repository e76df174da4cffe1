import pytest
from conftest import SOURCE_FIXTURES, Route

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources import sirene


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_fetch_stock_downloads_and_checks_the_file(source_server, tmp_path, fmt):
    name = sirene.file_name("unites_legales", fmt)
    url = source_server.serve_fixture(name)
    path = sirene.fetch_stock("unites_legales", tmp_path / "sirene", fmt=fmt, url=url)
    assert path == tmp_path / "sirene" / name
    assert path.read_bytes() == (SOURCE_FIXTURES / name).read_bytes()
    assert sorted(p.name for p in path.parent.iterdir()) == [name]


def test_fetch_stock_resumes_an_interrupted_download(source_server, tmp_path):
    name = "StockUniteLegale_utf8.zip"
    body = (SOURCE_FIXTURES / name).read_bytes()
    url = source_server.serve("/" + name, Route(body, truncate=200, etag='"mai"'))
    with pytest.raises(SourceUnavailableError, match="relancez la commande"):
        sirene.fetch_stock("unites_legales", tmp_path, url=url)
    assert (tmp_path / f"{name}.part").read_bytes() == body[:200]
    source_server.serve("/" + name, Route(body, etag='"mai"'))
    path = sirene.fetch_stock("unites_legales", tmp_path, url=url)
    assert path.read_bytes() == body
    assert source_server.requests[-1]["Range"] == "bytes=200-"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(
    ("fmt", "message"),
    [("csv", "pas une archive ZIP complète"), ("parquet", "pas un fichier Parquet")],
)
def test_unexpected_content_is_removed_and_the_existing_stock_kept(
    source_server, tmp_path, fmt, message
):
    name = sirene.file_name("etablissements", fmt)
    existing = tmp_path / name
    existing.write_bytes(b"stock du mois dernier")
    url = source_server.serve(
        "/" + name, b"<html>Fichier en cours de mise a jour</html>"
    )
    with pytest.raises(SourceUnavailableError, match=message):
        sirene.fetch_stock("etablissements", tmp_path, fmt=fmt, url=url)
    assert existing.read_bytes() == b"stock du mois dernier"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_zip_without_the_expected_csv_is_refused(source_server, tmp_path):
    url = source_server.serve_fixture("StockUniteLegale_utf8.zip")
    with pytest.raises(
        SourceUnavailableError, match="ne contient pas StockEtablissement"
    ):
        sirene.fetch_stock("etablissements", tmp_path, url=url)


@pytest.mark.parametrize(
    ("stock", "fmt"), [("entreprises", "csv"), ("unites_legales", "xlsx")]
)
def test_file_name_refuses_unknown_stocks_and_formats(stock, fmt):
    with pytest.raises(ValueError, match="is expected in"):
        sirene.file_name(stock, fmt)
