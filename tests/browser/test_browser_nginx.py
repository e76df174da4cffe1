"""The app behind nginx, as the README deploys it (``scripts/nginx_conf.py``).

nginx serves Streamlit's frontend, the map component and the app's static
files from disk; the pages, their WebSocket and the uploads go through to
the Streamlit server.
"""

import sys

import pytest
from conftest import (
    _free_port,
    map_frame,
    screenshot,
    wait_for_app,
)
from test_browser_carte_perf import frame_eval, toggle_famille, wait_drawn
from test_browser_donnees import sign_in

from ess_geo import paths

sys.path.insert(0, str(paths.ROOT / "scripts"))
import nginx_conf

pytestmark = pytest.mark.browser

YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def proxied(app_url, tmp_path_factory):
    upstream = app_url.removeprefix("http://")
    folder = tmp_path_factory.mktemp("nginx")
    with nginx_conf.serve(_free_port(), [upstream], folder) as url:
        yield url


def test_the_carte_draws_and_updates_behind_nginx(page, proxied):
    headers = {}
    page.on(
        "response",
        lambda r: headers.setdefault(r.url.removeprefix(proxied), r.all_headers()),
    )
    page.goto(proxied)
    wait_for_app(page)
    map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    frontend = [h for url, h in headers.items() if url.startswith("/static/js/")]
    assert frontend, "no Streamlit frontend file was loaded"
    assert all(h.get("cache-control") == YEAR for h in frontend)
    assert all(
        h.get("content-encoding") == "gzip"
        for h in frontend
        if int(h.get("content-length", "2000")) > 1024
    )
    shapes = [u for u in headers if u.startswith("/app/static/geo/")]
    assert shapes and all(headers[u].get("cache-control") for u in shapes)
    # The WebSocket goes through: a filter reruns the page and redraws.
    before = frame_eval(page, "window.essDrawn || 0")
    toggle_famille(page, "Coopérative")
    wait_drawn(page, before)
    screenshot(page, "nginx-carte-1280")


def test_an_upload_over_nginx_default_limit_reaches_the_report(
    browser, proxied, tmp_path
):
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    try:
        sign_in(page, proxied)
        # 1.2 MB: nginx refuses bodies over 1 MB unless told otherwise.
        rows = "".join(f"Atelier {n};;29019;association\n" for n in range(48_000))
        path = tmp_path / "acteurs.csv"
        path.write_text("nom;siret;code_commune;famille\n" + rows, encoding="utf-8")
        assert path.stat().st_size > 1_100_000
        page.locator("input[type='file']").first.set_input_files(str(path))
        wait_for_app(page)
        page.get_by_text("Rapport de vérification").wait_for(timeout=120_000)
    finally:
        context.close()


def test_a_page_other_than_the_carte_finds_its_server_at_once(page, proxied, tmp_path):
    """Told the server's address, the frontend no longer asks under the page's path."""
    asked = []
    page.on("request", lambda r: asked.append(r.url.removeprefix(proxied)))
    page.goto(f"{proxied}/territoires?niveau=epci&code=242900314")
    wait_for_app(page)
    page.get_by_role("heading", name="Brest Métropole").first.wait_for(timeout=60_000)
    server_routes = [u for u in asked if "/_stcore/" in u]
    assert "/_stcore/health" in server_routes
    assert [u for u in server_routes if not u.startswith("/_stcore/")] == []
    # Links to the other pages keep the site's root.
    link = page.get_by_role("link", name="Couverture")
    assert link.get_attribute("href").endswith("/couverture")
    # A downloaded page is the panorama as written, not edited like the pages.
    button = page.get_by_role("button", name="Version web (HTML)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as info:
        button.click()
    saved = tmp_path / "panorama.html"
    info.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Brest Métropole" in html
    assert "__streamlit" not in html
