"""Whole user journeys in a real browser (Playwright + Debian's Chromium, headless).

The app runs with no internet: every script the map needs is served by the
app itself, so a blank map here means a regression in offline rendering.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import MAP_FRAME, map_frame, open_app, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def map_window(page):
    """The map frame's Frame, to run Leaflet's API in it."""
    map_frame(page).locator(".leaflet-container").wait_for(timeout=30_000)
    return page.locator(MAP_FRAME).element_handle().content_frame()


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def panel_title(page) -> str:
    return page.locator("h2").first.inner_text()


def click_on_map(page, lat: float, lon: float) -> None:
    """Click the map at a place, with the mouse, as a person would."""
    window = map_window(page)
    x, y = window.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(600)  # streamlit-folium sends clicks after 250 ms
    wait_for_app(page)


def search(page, text: str) -> None:
    box = page.get_by_label("Rechercher un territoire", exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)


def test_carte_renders_offline_then_zooms_to_a_departement(page, app_url):
    external = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith(app_url) and not r.url.startswith("data:")
            else None
        ),
    )
    open_app(page, app_url)
    frame = map_frame(page)
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    # National view in SVG: 1,253 EPCI, plus one circle per département.
    assert frame.locator("path.leaflet-interactive").count() >= 1253 + 96
    assert "1253 EPCI" in frame.locator(".ess-legend").last.inner_text()
    assert page.get_by_text("Données de démonstration — acteurs fictifs").is_visible()
    assert page.get_by_text(
        re.compile(r"30\u202f000 acteurs affichés sur")
    ).is_visible()
    screenshot(page, "carte-france-1280")

    search(page, "Finistère")
    assert params(page) == {"niveau": "departement", "code": "29"}
    assert panel_title(page) == "Finistère (département)"
    frame = map_frame(page)
    legend = frame.locator(".ess-legend", has_text="Familles de l'ESS")
    legend.wait_for(timeout=30_000)
    assert "Association" in legend.inner_text()
    # Actors are drawn one by one, on a canvas, with the territories.
    frame.locator("canvas.leaflet-zoom-animated").wait_for(timeout=30_000)
    assert frame.locator(".ess-cluster").count() > 0
    zoom = map_window(page).evaluate("window.map.getZoom()")
    assert zoom >= 7.5
    screenshot(page, "carte-finistere-1280")
    assert external == [], f"requests left the app: {external[:5]}"


def test_switch_maille_and_layers(page, app_url):
    open_app(page, app_url)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    page.get_by_label("Territoires colorés").click()
    page.get_by_role("option", name="Départements").click()
    wait_for_app(page)
    assert params(page) == {"maille": "departement"}
    frame = map_frame(page)
    frame.locator(".ess-legend", has_text="101 Départements").wait_for(timeout=30_000)
    interactive = frame.locator("path.leaflet-interactive")
    assert 101 + 96 <= interactive.count() < 1253
    # Switch an overlay off in the map's layer control.
    outlines = frame.locator("path:not(.leaflet-interactive)")
    before = outlines.count()
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_text("Régions et départements").click()
    assert outlines.count() == before - 101 - 18
    screenshot(page, "carte-departements-1280")


def test_filter_updates_the_count_and_the_url(page, app_url):
    open_app(page, f"{app_url}/?niveau=region&code=53")
    map_frame(page).locator(".ess-legend").first.wait_for(timeout=30_000)
    before = page.get_by_text(re.compile(r"acteurs affichés sur")).inner_text()
    page.get_by_label("Familles de l'ESS").click()
    page.get_by_role("option", name="Coopérative").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert params(page)["famille"] == "cooperative"
    after = page.get_by_text(re.compile(r"acteurs affichés sur")).inner_text()
    shown = int(
        re.match(r"([\d\u202f]+) acteurs", after).group(1).replace("\u202f", "")
    )
    total = int(
        re.match(r"([\d\u202f]+) acteurs", before).group(1).replace("\u202f", "")
    )
    assert 0 < shown < total
    assert "famille : Coopérative" in after
    legend = map_frame(page).locator(".ess-legend", has_text="Familles de l'ESS")
    assert f"Coopérative ({shown})" in legend.inner_text()


def test_click_a_territory_shows_its_panel(page, app_url):
    open_app(page, app_url)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    map_window(page).evaluate("void window.map.setView([48.40, -4.45], 10)")
    page.wait_for_timeout(800)
    click_on_map(page, 48.40, -4.45)  # inside Brest Métropole
    assert panel_title(page) == "Brest Métropole (EPCI)"
    assert params(page) == {"niveau": "epci", "code": "242900314"}
    link = page.get_by_role("link", name="Fiche complète du territoire →")
    assert link.get_attribute("href").endswith("territoires?niveau=epci&code=242900314")
    assert page.get_by_text("Chiffres clés").is_visible()
    screenshot(page, "carte-brest-panneau-1280")


def test_marker_click_opens_escaped_card_and_popup(page, app_url):
    open_app(page, f"{app_url}/?dep=29&epci=242900314")
    map_frame(page).locator(".ess-legend").first.wait_for(timeout=30_000)
    window = map_window(page)
    window.evaluate("void window.map.setZoom(16)")  # no more clusters
    page.wait_for_timeout(1200)
    found = window.evaluate(
        """() => { const view = window.map.getBounds(); let out = null;
        window.map.eachLayer(l => {
            if (out || !(l instanceof L.CircleMarker) || !l.toGeoJSON) return;
            const ref = l.toGeoJSON().properties.ref;
            if (String(ref).startsWith('acteur:') && view.contains(l.getLatLng())
                && l.options.fillColor === '#0072B2') {
                out = [l.getLatLng().lat, l.getLatLng().lng]; }
        }); return out; }"""
    )
    assert found, "no association marker in view"
    click_on_map(page, *found)
    popup = map_frame(page).locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "(fictif)" in text
    assert "Famille : Association" in text
    assert "Commune" in text
    assert "acteur" in params(page)
    assert "(fictif)" in panel_title(page)
    assert page.get_by_text("Famille", exact=True).count() >= 1
    screenshot(page, "carte-fiche-acteur-1280")


def test_panning_reruns_nothing_and_filters_keep_the_view(page, app_url):
    open_app(page, f"{app_url}/?dep=29")
    map_frame(page).locator(".ess-legend").first.wait_for(timeout=30_000)
    window = map_window(page)
    # The selected département's first fit comes with the map's layers,
    # which may land after the legend: zoom only once it has been done.
    window.wait_for_function("window.essFitToken === 'departement:29'")
    page.wait_for_timeout(500)
    window.evaluate("window.essProbe = 'same map'")
    page.evaluate(
        """() => { window.essRuns = 0; new MutationObserver(() => {
            const app = document.querySelector("[data-testid='stApp']");
            if (app.dataset.testScriptState === 'running') window.essRuns += 1;
        }).observe(document.querySelector("[data-testid='stApp']"),
                   {attributes: true}); }"""
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 250, steps=8)
    page.mouse.up()
    window.evaluate("void window.map.setZoom(11)")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.essRuns") == 0, "panning or zooming reran the page"
    center = window.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")

    page.get_by_label("Employeur").get_by_text(
        "Employeurs (au moins 1 salarié)"
    ).click()
    wait_for_app(page)
    assert params(page)["employeur"] == "oui"
    assert page.evaluate("window.essRuns") >= 1
    # The same map (not rebuilt), still where the person left it.
    window = map_window(page)
    assert window.evaluate("window.essProbe") == "same map"
    assert window.evaluate("window.map.getZoom()") == 11
    after = window.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert after == pytest.approx(center, abs=1e-6)


@pytest.mark.parametrize("path", ["/", "/carte"])
def test_shared_link_opens_the_same_view(page, app_url, path):
    link = (
        f"{app_url}{path}?niveau=pays&code=BZH-BREST&maille=departement"
        "&indicateur=emplois_1000_hab&famille=association&employeur=oui"
    )
    open_app(page, link)
    frame = map_frame(page)
    frame.locator(
        ".ess-legend", has_text="Emplois de l'ESS pour 1 000 habitants"
    ).wait_for(timeout=30_000)
    assert panel_title(page) == "Pays de Brest (pays / PETR)"
    assert page.get_by_text("Page not found").count() == 0
    assert params(page) == {
        "niveau": "pays",
        "code": "BZH-BREST",
        "maille": "departement",
        "indicateur": "emplois_1000_hab",
        "famille": "association",
        "employeur": "oui",
    }
    assert (
        "famille : Association ; Employeurs"
        in page.get_by_text(re.compile(r"acteurs affichés sur")).inner_text()
    )
    center = map_window(page).evaluate(
        "(() => { const c = window.map.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert 48.0 < center[0] < 48.8 and -5.0 < center[1] < -3.9  # Pays de Brest
    screenshot(page, "carte-lien-partage-1280")


def test_carte_at_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        open_app(tab, f"{app_url}/?dep=35")
        frame = map_frame(tab)
        frame.locator(".ess-legend").first.wait_for(timeout=30_000)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
        box = tab.locator(MAP_FRAME).bounding_box()
        assert box["height"] == 440
        assert box["width"] <= 390
        search_box = tab.get_by_label("Rechercher un territoire", exact=True)
        assert search_box.bounding_box()["y"] < box["y"]  # controls above the map
        # Legends start folded so that the map stays visible.
        assert frame.locator(".ess-legend details[open]").count() == 0
        screenshot(tab, "carte-ille-et-vilaine-390")
    finally:
        context.close()
