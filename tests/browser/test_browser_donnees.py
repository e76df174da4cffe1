"""The Données page in a real browser.

Sign in, upload a file, read the report, accept the import, undo it.
"""

import re

import pytest
from conftest import STAFF_NAME, STAFF_PASSWORD, screenshot, wait_for_app

pytestmark = pytest.mark.browser

FILE = (
    "Raison sociale;N° SIRET;Code INSEE;Famille;Lat;Lon\n"
    "Atelier vélo solidaire;73282932000074;29019;Association;;\n"
    "<img src=x onerror=\"document.title='pwned'\">;;29019;association;;\n"
    ";;29019;association;;\n"
    "Crèche inversée;;;association;-4.4861;48.3904\n"
).encode("cp1252")


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/donnees")
    wait_for_app(page)
    page.get_by_label("Identifiant").fill(STAFF_NAME)
    page.get_by_label("Mot de passe", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    wait_for_app(page)
    # In the sidebar, hidden on a phone until it is opened: wait for it in the page.
    page.get_by_text(f"Connecté·e : {STAFF_NAME}").wait_for(
        state="attached", timeout=30_000
    )
    page.get_by_role("radio", name="Importer", exact=True).wait_for(timeout=30_000)


def test_upload_report_accept_then_undo(browser, app_url, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        sign_in(page, app_url)
        path = tmp_path / "acteurs.csv"
        path.write_bytes(FILE)
        page.locator("input[type='file']").first.set_input_files(str(path))
        wait_for_app(page)
        page.get_by_text("Rapport de vérification").wait_for(timeout=60_000)
        assert page.get_by_text("Encodage détecté : Windows-1252.").is_visible()
        assert page.get_by_text("Lignes refusées", exact=True).is_visible()
        assert page.get_by_text(
            re.compile("seront retirés par cet import")
        ).is_visible()
        assert page.get_by_text(
            re.compile(r"latitude et la longitude inversées")
        ).is_visible()
        screenshot(page, "donnees-rapport-1280")

        # Ask for the fix: the swapped row is accepted, one row stays refused.
        page.get_by_text(
            "Corriger les latitudes et longitudes inversées", exact=True
        ).click()
        wait_for_app(page)
        page.get_by_role("button", name="Accepter et importer").click()
        wait_for_app(page)
        success = page.get_by_text(re.compile(r"Import n° \d+ enregistré : 3 acteur"))
        success.wait_for(timeout=60_000)
        number = re.search(r"Import n° (\d+)", success.inner_text()).group(1)
        assert page.get_by_text("Données de démonstration").count() == 0
        screenshot(page, "donnees-import-accepte-1280")

        # The journal undoes it: the demo is back. (Reloading the page would
        # start a new session, signed out: stay in the app.)
        page.get_by_role("radio", name="Journal", exact=True).click()
        wait_for_app(page)
        assert "onglet=journal" in page.url
        undo = page.get_by_role("button", name=f"Annuler la modification n° {number}")
        assert undo.is_disabled()  # a confirmation comes first
        page.get_by_text(
            f"Je confirme vouloir annuler la modification n° {number}"
        ).click()
        wait_for_app(page)
        undo.click()
        wait_for_app(page)
        page.get_by_text(re.compile(f"Modification n° {number} annulée")).wait_for(
            timeout=60_000
        )
        screenshot(page, "donnees-journal-1280")
        page.goto(app_url)
        wait_for_app(page)
        assert page.get_by_text(
            "Données de démonstration — acteurs fictifs"
        ).is_visible()
        assert dialogs == []
        assert page.title() != "pwned"
        assert page.locator("img[src='x']").count() == 0
        assert errors == []
    finally:
        context.close()


def test_donnees_at_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 1400})
    page = context.new_page()
    try:
        sign_in(page, app_url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways at phone width ({width}px)"
        screenshot(page, "donnees-import-390")
    finally:
        context.close()
