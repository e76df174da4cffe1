"""The Territoires page in a real browser: choose, read, download the panorama."""

import io
import re
from pathlib import Path

import pytest
from conftest import choose, screenshot, wait_for_app
from pypdf import PdfReader

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"


# The JavaScript a data grid or a Vega chart needs: the territory's
# tables and charts are HTML and SVG, so none of it is loaded for them.
GRID_OR_VEGA = re.compile(r"/(DataFrame|ArrowVegaLiteChart|embed)\.[^/]*\.js$")
CHARTS = ".ess-terr-chart .wide img"


def charts_drawn(page, count: int = 3) -> None:
    """Wait until the ``count`` SVG charts (``img`` of SVG) are decoded."""
    page.wait_for_function(
        f"""() => {{
          const charts = [...document.querySelectorAll("{CHARTS}")];
          return charts.length === {count}
            && charts.every(c => c.complete && c.naturalWidth > 0);
        }}""",
        timeout=30_000,
    )


def open_territoires(page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/territoires{query}")
    wait_for_app(page)


def test_choose_a_territory_and_download_its_panorama(browser, app_url, tmp_path):
    context = browser.new_context(
        viewport={"width": 1280, "height": 4200}, accept_downloads=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_territoires(page, app_url)
        assert page.get_by_text(
            "Données de démonstration — acteurs fictifs"
        ).is_visible()
        choose(page, "Territoire", "Brest Métropole (242900314)")
        assert re.search(r"[?&]code=242900314\b", page.url)
        assert re.search(r"[?&]niveau=epci\b", page.url)
        page.get_by_role("heading", name="Brest Métropole").wait_for()
        page.get_by_text("Rang").first.wait_for()
        assert page.get_by_text("Comparaison avec le département").is_visible()
        charts_drawn(page)
        # Drawn as HTML and SVG images: the comparison's rows are text.
        comparison = page.get_by_role(
            "table", name="Le territoire, son département, sa région et la France"
        )
        assert comparison.get_by_role("row").nth(1).inner_text().split("\t")[:2] == [
            "Population",
            "209\u202f722",
        ]
        assert page.get_by_role(
            "img", name="Part des emplois de l'ESS par famille, comparée à la France"
        ).is_visible()
        screenshot(page, "territoires-brest-1280")

        with page.expect_download() as pdf_download:
            page.get_by_role("button", name=re.compile("panorama \\(PDF\\)")).click()
        download = pdf_download.value
        assert download.suggested_filename == "panorama-ess-epci-242900314.pdf"
        reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
        assert len(reader.pages) <= 2
        first_page = reader.pages[0].extract_text()
        assert "Panorama de l'ESS — Brest Métropole" in first_page
        assert "Données de démonstration — acteurs fictifs" in first_page

        with page.expect_download() as html_download:
            page.get_by_role("button", name=re.compile("Version web")).click()
        text = Path(html_download.value.path()).read_text(encoding="utf-8")
        assert "<h1>Panorama de l&#x27;ESS — Brest Métropole</h1>" in text

        # Loading an INSEE employment table fills the share of total employment.
        page.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(
            str(DATA / "base-cc-emploi-pop-active-2021-extrait.csv")
        )
        wait_for_app(page)
        share = page.locator("dl.figures div").filter(
            has_text="Part dans l'emploi total"
        )
        share.get_by_text(re.compile(r"\d+,\d\s%")).wait_for(timeout=30_000)
        screenshot(page, "territoires-brest-emploi-1280")

        with page.expect_download() as csv_download:
            page.get_by_role("button", name="CSV (Excel)").click()
        raw = Path(csv_download.value.path()).read_bytes()
        assert raw.startswith("\ufeffrang;code;nom;".encode())
    finally:
        context.close()
    assert not errors, errors


def test_a_territory_loads_no_data_grid_nor_vega_until_the_ranking_is_asked(
    browser, app_url
):
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        open_territoires(page, app_url, "?niveau=epci&code=242900314")
        page.get_by_role("heading", name="Brest Métropole").wait_for()
        charts_drawn(page)
        wait_for_app(page)
        neighbours = page.get_by_role(
            "table", name=re.compile("^Le territoire et ses voisins")
        )
        chosen = neighbours.locator("tr.selection")
        assert chosen.count() == 1
        assert chosen.locator("th").inner_text() == "Brest Métropole"
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
        assert not [u for u in requested if GRID_OR_VEGA.search(u)]

        page.get_by_text("Afficher le tableau du classement").click()
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        assert [u for u in requested if "/DataFrame." in u]  # the grid, on demand
    finally:
        context.close()


def test_a_page_opened_at_its_own_address_finds_its_server_at_once(page, app_url):
    """serve.py tells the page where its server is (ess_geo.web).

    Else the frontend asks /territoires/_stcore/health first (404), then
    waits about 0.1 s before asking the site's root.
    """
    asked = []
    page.on("request", lambda r: asked.append(r.url.removeprefix(app_url)))
    open_territoires(page, app_url, "?niveau=epci&code=242900314")
    page.get_by_role("heading", name="Brest Métropole").first.wait_for()
    server_routes = [u for u in asked if "/_stcore/" in u]
    assert "/_stcore/health" in server_routes
    assert [u for u in server_routes if not u.startswith("/_stcore/")] == []


def test_territoires_at_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 3000})
    page = context.new_page()
    try:
        open_territoires(page, app_url, "?niveau=commune&code=29019")
        page.get_by_role("heading", name="Brest", exact=True).wait_for()
        page.get_by_role("button", name=re.compile("panorama \\(PDF\\)")).wait_for()
        charts_drawn(page)
        # The narrow drawings are shown, at their size: 11 px text.
        narrow = page.locator(".ess-terr-chart .narrow img")
        assert narrow.count() == 3
        assert page.locator(CHARTS).first.is_hidden()
        box = narrow.first.bounding_box()
        assert box is not None and box["width"] == 340
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
        screenshot(page, "territoires-brest-commune-390")
    finally:
        context.close()
