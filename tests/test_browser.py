"""Whole user journeys in a real browser (Playwright + Debian's Chromium, headless).

The app runs with no internet: every script the map needs is served by the
app itself, so a blank map here means a regression in offline rendering.
"""

import re

import pytest
from conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def map_frame(page):
    """The map's iframe, once the rerun has replaced any stale copy of it."""
    frames = page.locator(MAP_FRAME)
    frames.last.wait_for(timeout=30_000)
    page.wait_for_function(
        f'document.querySelectorAll("{MAP_FRAME}").length === 1', timeout=30_000
    )
    return page.frame_locator(MAP_FRAME)


def open_app(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option).first.click()
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
    assert frame.locator("path.leaflet-interactive").count() >= 1253
    assert page.get_by_text("Données de démonstration — acteurs fictifs").is_visible()
    screenshot(page, "carte-france-1280")

    choose(page, "Département", "29 – Finistère")
    assert re.search(r"[?&]dep=29\b", page.url)
    frame = map_frame(page)
    legend = frame.locator(".ess-legend")
    legend.wait_for(timeout=30_000)
    assert "Association" in legend.inner_text()
    assert page.get_by_text(re.compile(r"acteurs de l'ESS dans")).is_visible()
    # Markers are drawn on top of the EPCI, pays and PNR outlines.
    assert frame.locator("path.leaflet-interactive").count() > 1253 + 100
    screenshot(page, "carte-finistere-1280")
    assert external == [], f"requests left the app: {external[:5]}"


def test_marker_popup_shows_escaped_actor_card(page, app_url):
    open_app(page, f"{app_url}/?dep=29&epci=242900314")
    frame = map_frame(page)
    frame.locator(".ess-legend").wait_for(timeout=30_000)
    markers = frame.locator("path.leaflet-interactive[fill='#0072B2']")
    markers.first.wait_for(timeout=30_000)
    markers.first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "(fictif)" in text
    assert "Famille" in text and "Association" in text
    assert "Commune" in text


def test_carte_at_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        open_app(tab, f"{app_url}/?dep=35")
        frame = map_frame(tab)
        frame.locator(".ess-legend").wait_for(timeout=30_000)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
        screenshot(tab, "carte-ille-et-vilaine-390")
    finally:
        context.close()
