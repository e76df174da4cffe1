import functools
import http.server
import socket
import threading
import zipfile
from pathlib import Path

import pytest

from ess_geo import imports, loading
from ess_geo.sources import sirene as source

DATA = Path(__file__).resolve().parent / "data" / "sirene"


@pytest.fixture
def server(tmp_path):
    """A local web server publishing the fixtures as data.gouv.fr does (zips)."""
    published = tmp_path / "publie"
    published.mkdir()
    for name in ("StockUniteLegale_utf8", "StockEtablissement_utf8"):
        with zipfile.ZipFile(published / f"{name}.zip", "w") as archive:
            archive.write(DATA / f"{name}.csv", f"{name}.csv")
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(published)
    )
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def urls(base):
    return {name: f"{base}/{name}" for name in source.STOCK_URLS}


def test_download_then_import_the_folder(server, tmp_path, seeded):
    seen = []
    files = source.download_stock(
        tmp_path / "sirene", urls=urls(server), progress=lambda n, b: seen.append(n)
    )
    assert [f.name for f in files] == list(source.STOCK_URLS)
    assert sorted(p.name for p in (tmp_path / "sirene").iterdir()) == sorted(
        source.STOCK_URLS
    )
    assert set(seen) == set(source.STOCK_URLS)
    report = loading.import_actors(seeded, imports.open_source(tmp_path / "sirene"))
    assert (report.read, report.imported, report.ignored) == (7, 4, 2)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_download_fails_in_french_and_leaves_nothing(tmp_path):
    base = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(
        source.SourceUnavailableError,
        match=r"Téléchargement impossible de .* Vérifiez la connexion internet",
    ):
        source.download_stock(tmp_path / "sirene", urls=urls(base), timeout=2)
    assert list((tmp_path / "sirene").iterdir()) == []


def test_a_server_error_keeps_complete_files_only(server, tmp_path):
    broken = urls(server)
    broken["StockEtablissement_utf8.zip"] = f"{server}/absent.zip"
    with pytest.raises(source.SourceUnavailableError, match=r"absent\.zip"):
        source.download_stock(tmp_path / "sirene", urls=broken)
    assert [p.name for p in (tmp_path / "sirene").iterdir()] == [
        "StockUniteLegale_utf8.zip"
    ]
