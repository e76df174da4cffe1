"""Réseaux and Couverture in a real browser (Playwright + Debian's Chromium)."""

import re

import pytest
from conftest import MAP_FRAME, choose, map_frame, open_app, screenshot, wait_for_app

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
    assert page.get_by_role("heading", name="Territoires à prospecter").is_visible()
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
