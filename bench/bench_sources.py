"""Official sources: streaming download, BANATIC export reading, PNR membership.

No network: the download streams from a server on 127.0.0.1, the BANATIC
export is synthetic (its real shape: 177 columns, one row per member), and
the PNR perimeters are 59 real EPCI polygons grown by 1 km, intersected with
the real commune polygons.
"""

from __future__ import annotations

import http.server
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import openpyxl

from bench.common import Measure, best_time
from ess_geo.geo import geography
from ess_geo.sources import banatic, pnr
from ess_geo.sources._http import download

DOWNLOAD_MB = 200
BANATIC_ROWS = 20_000
BANATIC_NATIONAL_ROWS = 143_000  # about one row per (groupement, member)
BANATIC_COLUMNS = 177


def _serve(body: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            view = memoryview(body)
            for start in range(0, len(body), 1 << 20):
                self.wfile.write(view[start : start + (1 << 20)])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/stock.zip"


def _download(folder: Path) -> list[Measure]:
    body = bytes(range(256)) * (DOWNLOAD_MB * 4096)
    server, url = _serve(body)
    try:
        tracemalloc.start()
        start = time.perf_counter()
        download(url, folder / "stock.part", source="bench", max_bytes=len(body) + 1)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        server.shutdown()
        server.server_close()
    return [
        Measure(
            f"download {DOWNLOAD_MB} MB over loopback", DOWNLOAD_MB / elapsed, "MB/s"
        ),
        Measure("download: peak Python memory", peak / 1e6, "MB", budget=8),
    ]


def _banatic(folder: Path) -> list[Measure]:
    path = folder / "banatic.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    titles = [f"(colonne {i})" for i in range(1, BANATIC_COLUMNS + 1)]
    for i, title in banatic_titles().items():
        titles[i - 1] = title
    sheet.append(titles)
    for n in range(BANATIC_ROWS):
        row = ["OUI" if i % 3 else "NON" for i in range(BANATIC_COLUMNS)]
        row[3], row[4] = f"{200000000 + n // 20}", f"Groupement {n // 20}"
        row[5] = "PETR" if n % 40 < 20 else "CC"
        row[46], row[47] = f"{210000000 + n}", f"Membre {n}"
        sheet.append(row)
    book.save(path)
    seconds, table = best_time(lambda: banatic.read_groupements(path), repeat=1)
    assert len(table) == BANATIC_ROWS
    rate = BANATIC_ROWS / seconds
    return [
        Measure(
            f"BANATIC XLSX read ({BANATIC_ROWS} rows × {BANATIC_COLUMNS} columns)",
            rate,
            "rows/s",
        ),
        Measure(
            f"BANATIC national export, extrapolated ({BANATIC_NATIONAL_ROWS} rows)",
            BANATIC_NATIONAL_ROWS / rate,
            "s",
            budget=300,
        ),
    ]


def banatic_titles() -> dict[int, str]:
    """Positions of the titles the reader looks for (1-based, as in the export)."""
    return {
        4: "N° SIREN",
        5: "Nom du groupement",
        6: "Nature juridique",
        47: "Siren membre",
        48: "Nom membre",
    }


def _pnr() -> list[Measure]:
    communes = geography.load_layer("commune", "full")
    epci = geography.load_layer("epci", "full")
    parks = epci.iloc[::21].head(59).to_crs("EPSG:2154")
    parks = parks.assign(
        code=[f"FR80000{i:02d}" for i in range(1, len(parks) + 1)],
        geometry=parks.geometry.buffer(1000),
    )[["code", "nom", "geometry"]]
    seconds, rows = best_time(lambda: pnr.member_communes(parks, communes), repeat=1)
    assert len(rows) > 0
    return [
        Measure(
            f"PNR members: {len(parks)} perimeters × {len(communes)} communes",
            seconds,
            "s",
            budget=60,
        )
    ]


def run() -> list[Measure]:
    """Measure the downloaders' heavy steps."""
    with tempfile.TemporaryDirectory() as folder:
        measures = _download(Path(folder))
        measures += _banatic(Path(folder))
    return measures + _pnr()
