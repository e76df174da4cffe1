"""The Annuaire in a real browser: phone width, keyboard, geolocation, axe-core.

axe-core (tests/assets, MPL-2.0) is injected by Playwright into the page and
into the map's iframe; the page must have no serious or critical violation.
"""

import re

import pytest
from conftest import (
    MAP_FRAME,
    PHONE,
    screenshot,
    serious_violations,
    wait_for_app,
    whole_page,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BREST = {"latitude": 48.3904, "longitude": -4.4861}


def open_annuaire(tab, app_url: str, query: str = "") -> None:
    """Open the Annuaire by a link, as a shared URL is opened."""
    tab.goto(f"{app_url}/annuaire{query}")
    wait_for_app(tab)


def search(tab, text: str) -> None:
    box = tab.get_by_label("Commune ou code postal", exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_app(tab)


def result_headings(tab) -> list[str]:
    return tab.locator(".ess-cards h3").all_inner_texts()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def test_annuaire_at_phone_width_finds_actors_and_passes_axe(phone, app_url):
    external = []
    phone.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith((app_url, "data:", f"blob:{app_url}"))
            else None
        ),
    )
    open_annuaire(phone, app_url)
    search(phone, "sainte marie")
    phone.get_by_text("Sainte-Marie – Ille-et-Vilaine (35)").click()
    wait_for_app(phone)
    phone.get_by_text("20 km", exact=True).click()
    wait_for_app(phone)
    assert phone.evaluate("document.documentElement.lang") == "fr"
    assert re.search(r"[?&]commune=35294\b", phone.url)
    assert re.search(r"[?&]rayon=20\b", phone.url)

    heading = phone.get_by_role("heading", level=2).first.inner_text()
    count = int(re.match(r"(\d+) acteur", heading.replace("\u202f", "")).group(1))
    assert count > 0
    headings = result_headings(phone)
    assert headings[0].startswith("1. ")
    assert len(headings) == min(count, 20)
    assert phone.get_by_role(
        "heading", name="Le réseau ESS de mon territoire"
    ).is_visible()
    assert phone.get_by_role("heading", name="Pôle ESS du Pays de Redon").is_visible()
    assert phone.get_by_role("heading", name="CRESS Bretagne").is_visible()

    frame = phone.frame_locator(MAP_FRAME)
    frame.locator(".ess-rank").first.wait_for(timeout=30_000)
    assert frame.locator(".ess-rank").count() == len(headings)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
    with whole_page(phone):
        screenshot(phone, "annuaire-sainte-marie-390")
        problems = serious_violations(phone)
        map_frame = next(f for f in phone.frames if "streamlit_folium" in f.url)
        problems += [f"(carte) {p}" for p in serious_violations(map_frame)]
    assert problems == [], "\n".join(problems)
    assert external == [], f"requests left the app: {external[:5]}"


def test_a_shared_link_gives_the_same_results_at_desktop_width(page, app_url):
    open_annuaire(page, app_url, "?commune=69123&besoin=sante&rayon=20")
    page.get_by_text("Autour de Lyon – Rhône (69) (« Santé »)").wait_for(timeout=30_000)
    # The box shows the commune once the session's second run has drawn it
    # (after a few tests on the same server, the results can come first).
    expect(page.get_by_label("Commune ou code postal", exact=True)).to_have_value(
        "Lyon", timeout=10_000
    )
    headings = result_headings(page)
    assert headings and headings[0].startswith("1. ")
    assert page.locator(".ess-cards a[href^='tel:']").count() > 0
    page.frame_locator(MAP_FRAME).locator(".ess-rank").first.wait_for(timeout=30_000)
    with whole_page(page):
        screenshot(page, "annuaire-lyon-sante-1280")
        problems = serious_violations(page)  # the sidebar is open at this width
    assert problems == [], "\n".join(problems)


def test_keyboard_alone_reaches_the_search_and_the_results(phone, app_url):
    open_annuaire(phone, app_url)
    for _ in range(30):
        phone.keyboard.press("Tab")
        if (
            phone.evaluate("document.activeElement.getAttribute('aria-label')")
            == ("Commune ou code postal")
            or phone.evaluate("document.activeElement.tagName") == "INPUT"
        ):
            break
    else:
        pytest.fail("the commune box cannot be reached with the Tab key")
    phone.keyboard.type("29200")
    phone.keyboard.press("Enter")
    wait_for_app(phone)
    assert result_headings(phone)[0].startswith("1. ")
    for _ in range(60):
        phone.keyboard.press("Tab")
        href = phone.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.startswith("tel:"):
            break
    else:
        pytest.fail("no telephone link of the results is reachable with Tab")


def test_near_me_uses_the_browser_position_once_allowed(browser, app_url):
    context = browser.new_context(
        viewport=PHONE, geolocation=BREST, permissions=["geolocation"]
    )
    tab = context.new_page()
    try:
        open_annuaire(tab, app_url)
        tab.get_by_role("button", name="Me localiser").click()
        wait_for_app(tab)
        tab.get_by_text("depuis votre position").wait_for(timeout=15_000)
        assert (
            tab.get_by_label("Commune ou code postal", exact=True).input_value()
            == "Brest"
        )
        assert re.search(r"[?&]commune=29019\b", tab.url)
        assert "48.39" not in tab.url and "4.48" not in tab.url
        screenshot(tab, "annuaire-pres-de-moi-390")
    finally:
        context.close()


def test_near_me_refused_leaves_the_page_usable(browser, app_url):
    context = browser.new_context(viewport=PHONE, geolocation=BREST, permissions=[])
    tab = context.new_page()
    try:
        open_annuaire(tab, app_url)
        tab.get_by_role("button", name="Me localiser").click()
        tab.get_by_text("Localisation refusée").first.wait_for(timeout=15_000)
        wait_for_app(tab)
        search(tab, "29200")
        assert result_headings(tab)[0].startswith("1. ")
    finally:
        context.close()


def test_a_shared_link_works_on_a_server_nobody_has_visited_yet(browser, fresh_app_url):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    try:
        tab.goto(f"{fresh_app_url}/annuaire?commune=29019")
        wait_for_app(tab)
        assert tab.get_by_text(
            "Données de démonstration — acteurs fictifs"
        ).is_visible()
    finally:
        context.close()
