"""Réseaux and Couverture in a real browser (Playwright + Debian's Chromium)."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import MAP_FRAME, choose, map_frame, open_app, screenshot, wait_for_app

from ess_geo.pages.couverture import BLOCKS
from ess_geo.ui.keys import CouvertureKeys

pytestmark = pytest.mark.browser

NNBSP = "\u202f"


def metric(page, label: str) -> str:
    """The value shown by the st.metric whose label starts with ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label)
    return box.locator("[data-testid='stMetricValue']").inner_text()


def show(page, locator) -> None:
    """Scroll Streamlit's main area so that ``locator`` is in the screenshot."""
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(500)


def set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    wait_for_app(page)


def block(page, label: str):
    """The expander of a block below the map (a ``details`` element)."""
    name = next(n for n, text in BLOCKS.items() if text == label)
    key = CouvertureKeys.block(name).replace(".", "-")  # as Streamlit's class
    return page.locator(f".st-key-{key} details").first


def open_block(page, label: str) -> None:
    """Open (or close) a block below the map, as a person does: a click on its title."""
    block(page, label).locator("summary").first.click()
    wait_for_app(page)


def outside_requests(page, app_url: str) -> list[str]:
    urls: list[str] = []
    page.on(
        "request",
        lambda r: (
            urls.append(r.url)
            if not r.url.startswith(app_url) and not r.url.startswith("data:")
            else None
        ),
    )
    return urls


def test_couverture_map_ranking_and_budget_simulator(page, app_url):
    external = outside_requests(page, app_url)
    open_app(page, app_url)
    open_app(page, f"{app_url}/couverture?appui=0")  # no regional support mission
    frame = map_frame(page)
    legend = frame.locator(".ess-coverage-legend")
    legend.wait_for(timeout=30_000)
    assert "Non couverte" in legend.inner_text()
    assert "Couverte (67)" in legend.inner_text()
    assert frame.locator("path.leaflet-interactive").count() >= 1253
    # A budget parameter in the link opens the budget; the prospects stay closed.
    assert block(page, "Territoires à prospecter").get_attribute("open") is None
    assert block(page, "Budget de lancement").get_attribute("open") is not None
    assert metric(page, "Coût total sur 5 ans") == f"1{NNBSP}125{NNBSP}000 €"

    set_number(page, "Horizon de la simulation (années)", 6)
    assert metric(page, "Coût total sur 6 ans") == f"1{NNBSP}400{NNBSP}000 €"
    set_number(page, "Lancements par an (0 = tous la première année)", 2)
    # Launches 2, 2, 1 in years 1-3: 60+120+200+250+275+275 k€.
    assert metric(page, "Coût total sur 6 ans") == f"1{NNBSP}180{NNBSP}000 €"
    assert re.search(r"[?&]horizon=6\b", page.url)
    assert re.search(r"[?&]rythme=2\b", page.url)
    show(page, page.locator("[data-testid='stMetric']").last)
    screenshot(page, "couverture-budget-1280")

    # The map's frame stays: a change of région sends colours and tooltips,
    # the shapes were fetched once (issue 17).
    folium_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    folium_frame.evaluate("window.essKept = 17")
    choose(page, "Région", "Hauts-de-France")
    assert re.search(r"[?&]region=32\b", page.url)
    frame = map_frame(page)
    frame.locator(".ess-coverage-legend").get_by_text("Non couverte (90)").wait_for(
        timeout=30_000
    )
    assert folium_frame.evaluate("window.essKept") == 17
    assert frame.locator("path.leaflet-interactive").count() < 1253
    # The budget parameters survive the change of région.
    assert metric(page, "Coût total sur 6 ans") == f"1{NNBSP}180{NNBSP}000 €"
    show(page, page.locator(MAP_FRAME))
    screenshot(page, "couverture-hauts-de-france-1280")
    assert external == [], f"requests left the app: {external[:5]}"


def test_couverture_shared_link_at_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        open_app(tab, app_url)
        # The test server's demo is scaled down to 30,000 actors: a size
        # condition of 21 ESS employers leaves one pays large enough.
        open_app(tab, f"{app_url}/couverture?niveau=pays&horizon=3&cotis=0&taille=21")
        frame = map_frame(tab)
        frame.locator(".ess-coverage-legend").wait_for(timeout=30_000)
        # The PETR d'Argentan (65 %) and Forêt d'Orléans-Loire-Sologne (41 %).
        assert (
            "Partiellement couverte (2)"
            in frame.locator(".ess-coverage-legend").inner_text()
        )
        # One prospect (PETR d'Argentan): 2 x 30 k€ then 55 k€, no fees, and
        # the support mission of its région, 3 x 65 k€.
        assert metric(tab, "Coût total sur 3 ans") == f"310{NNBSP}000 €"
        assert metric(tab, "Financement public sur 3 ans") == f"310{NNBSP}000 €"
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
        show(tab, tab.locator(MAP_FRAME))
        screenshot(tab, "couverture-pays-390")
    finally:
        context.close()


LAZY_CHUNKS = ("DataFrame.", "ArrowVegaLiteChart.")
"""Streamlit's JavaScript for data grids and Vega charts, fetched when first needed."""


def opened(page) -> str | None:
    """The address's ``ouvert`` parameter (the blocks open below the map)."""
    return parse_qs(urlparse(page.url).query).get("ouvert", [None])[0]


def grids_and_charts(page, settled: tuple[int, int] | None = None) -> tuple[int, int]:
    """Data grids and Vega charts on the page.

    With ``settled``, first give them time to reach that count: a grid is
    drawn after the buttons and charts sent with it.
    """
    if settled is not None:
        page.wait_for_function(
            "([grids, charts]) => "
            "document.querySelectorAll(\"[data-testid='stDataFrame']\").length >= grids"
            " && document.querySelectorAll(\"[data-testid='stVegaLiteChart']\").length"
            " >= charts",
            arg=list(settled),
            timeout=30_000,
        )
        page.wait_for_timeout(500)  # and none more after them
    return (
        page.locator("[data-testid='stDataFrame']").count(),
        page.locator("[data-testid='stVegaLiteChart']").count(),
    )


def test_couverture_draws_what_is_below_the_map_on_demand(page, app_url):
    """On load the map only (issue 17): no data grid, no chart, not their code."""
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.url.endswith(".js") else 0)
    open_app(page, f"{app_url}/couverture")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(1252).wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)  # what is sent after the map has time to draw
    assert grids_and_charts(page) == (0, 0)
    assert [u for u in scripts if any(c in u for c in LAZY_CHUNKS)] == []
    for label in ("Territoires à prospecter", "Budget de lancement"):
        assert block(page, label).get_attribute("open") is None
    assert opened(page) is None

    open_block(page, "Budget de lancement")
    chart = page.locator("[data-testid='stVegaLiteChart']")
    chart.wait_for(timeout=30_000)
    assert opened(page) == "budget"
    assert metric(page, "Coût total sur 5 ans").endswith(" €")
    # three tables, drawn three ways
    assert grids_and_charts(page, settled=(9, 1)) == (9, 1)

    open_block(page, "Territoires à prospecter")
    page.get_by_role("button", name="Fiche prospect (PDF)").wait_for(timeout=30_000)
    assert opened(page) == "prospects,budget"
    assert grids_and_charts(page, settled=(13, 1)) == (13, 1)
    show(page, block(page, "Territoires à prospecter"))
    screenshot(page, "couverture-blocks-open-1280")

    # The shared link reopens them, in a new tab.
    address = page.url
    tab = page.context.new_page()
    try:
        open_app(tab, address)
        tab.get_by_role("button", name="Fiche prospect (PDF)").wait_for(timeout=30_000)
        tab.locator("[data-testid='stVegaLiteChart']").wait_for(timeout=30_000)
        assert grids_and_charts(tab, settled=(13, 1)) == (13, 1)
    finally:
        tab.close()

    open_block(page, "Budget de lancement")  # closed again
    page.wait_for_function(
        "!document.querySelector(\"[data-testid='stVegaLiteChart']\")", timeout=30_000
    )
    assert opened(page) == "prospects"


def test_reseaux_figures_and_a_network_card(page, app_url):
    open_app(page, app_url)
    open_app(page, f"{app_url}/reseaux")
    figures = page.locator("[data-testid='stTable']").first
    assert "environ 40" in figures.inner_text()
    assert "Régions où ils sont implantés" in figures.inner_text()
    choose(page, "Réseau", "Pôle ESS du Pays de Redon")
    assert re.search(r"[?&]reseau=\d+", page.url)
    assert page.get_by_role("heading", name="Pôle ESS du Pays de Redon").is_visible()
    frame = map_frame(page)
    frame.locator(".ess-legend").wait_for(timeout=30_000)  # member families
    assert frame.locator("path.leaflet-interactive").count() >= 10
    assert metric(page, "Population") == f"66{NNBSP}268"
    assert page.get_by_role("heading", name=re.compile(r"Membres \(\d+\)")).is_visible()
    show(page, page.locator(MAP_FRAME))
    screenshot(page, "reseaux-redon-1280")


def test_reseaux_approximate_network_at_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        open_app(tab, app_url)
        open_app(tab, f"{app_url}/reseaux?region=Hauts-de-France")
        assert tab.get_by_text("Périmètre approximatif").first.is_visible()
        frame = map_frame(tab)
        frame.locator(".leaflet-container").wait_for(timeout=30_000)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
        show(tab, tab.get_by_text("Périmètre approximatif").first)
        screenshot(tab, "reseaux-nord-pas-de-calais-390")
    finally:
        context.close()
