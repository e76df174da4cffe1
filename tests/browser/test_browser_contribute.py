"""The public proposes, staff moderate, in a real browser.

A visitor proposes an actor on the Annuaire (every field holding an XSS and
a ``{{ }}`` payload first), sees the thanks, and does not see the actor; a
staff member edits then accepts it on Données; it then appears on the Carte
and in the Annuaire. Nothing of the payloads runs: they show as text.
"""

import re

import pytest
from conftest import screenshot, wait_for_app
from test_browser_donnees import sign_in

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=\"document.title='pwned'\">"
NAME = "{{7*7}} Épicerie du port"
SEIN = "?commune=29083&rayon=5"  # Île-de-Sein: an island, few actors around


def watched(browser, height: int = 2400):
    context = browser.new_context(viewport={"width": 1280, "height": height})
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, dialogs, errors


def names_listed(page) -> list[str]:
    return [
        re.sub(r"^\d+\. ", "", h)
        for h in page.locator(".ess-cards h3").all_inner_texts()
    ]


def test_propose_moderate_and_publish(browser, fresh_app_url):
    url = fresh_app_url
    context, page, dialogs, errors = watched(browser)
    try:
        page.goto(f"{url}/annuaire{SEIN}")
        wait_for_app(page)
        before = names_listed(page)
        form = page.locator("[data-testid='stExpander']").filter(
            has_text="Proposer un acteur"
        )
        form.get_by_text("Proposer un acteur").click()
        assert form.get_by_label("Commune", exact=True).input_value() == (
            "Île-de-Sein 29"
        )
        assert form.get_by_text(re.compile("il est effacé dès que")).is_visible()
        # The honeypot is out of sight (robots still find it in the page).
        trap = form.get_by_label("Ne remplissez pas ce champ")
        assert trap.count() == 1 and trap.bounding_box()["x"] < 0
        # Every field holds the payloads: refused, the message shows them as text.
        for label in (
            "Nom",
            "Commune",
            "Activité",
            "Site web",
            "Courriel de contact (facultatif)",
            "Message",
        ):
            form.get_by_label(label, exact=True).fill(f"{XSS}{{{{7*7}}}}")
        form.get_by_role("button", name="Envoyer la proposition").click()
        wait_for_app(page)
        refusal = page.get_by_text(re.compile("Aucune commune ne correspond"))
        refusal.wait_for(timeout=30_000)
        assert f"« {XSS}{{{{7*7}}}} »" in refusal.inner_text()

        form.get_by_label("Nom", exact=True).fill(f"{XSS}{NAME}")
        form.get_by_label("Commune", exact=True).fill("Île-de-Sein 29")
        form.get_by_label("Courriel de contact (facultatif)", exact=True).fill(
            "visiteur@example.org"
        )
        form.get_by_role("button", name="Envoyer la proposition").click()
        wait_for_app(page)
        page.get_by_text(
            "Merci : votre proposition sera examinée par l'équipe"
        ).wait_for(timeout=60_000)
        screenshot(page, "annuaire-proposition-1280")
        # Nothing is public before the team decides.
        assert names_listed(page) == before
        assert NAME not in page.locator("[data-testid='stMain']").inner_text()

        # Staff: the queue, the proposal as text, edit then accept.
        staff_context, staff, staff_dialogs, staff_errors = watched(browser)
        sign_in(staff, url)
        assert staff.get_by_text("1 proposition en attente").is_visible()
        staff.get_by_role("radio", name="Propositions", exact=True).click()
        wait_for_app(staff)
        assert "onglet=propositions" in staff.url
        table = staff.locator("[data-testid='stTable']").first
        assert NAME in table.inner_text()
        about = staff.locator("[data-testid='stMarkdownContainer']").filter(
            has_text="Courriel de la personne"
        )
        assert "Message : {{7*7}}" in about.inner_text()
        assert "visiteur@example.org (effacé dès la décision)" in about.inner_text()
        screenshot(staff, "donnees-propositions-1280")
        staff.get_by_text("Modifier puis accepter").click()
        staff.get_by_role("button", name="Enregistrer").click()
        wait_for_app(staff)
        done = staff.get_by_text(re.compile(r"modifiée et acceptée : fiche n° \d+"))
        done.wait_for(timeout=60_000)
        actor_id = re.search(r"fiche n° (\d+)", done.inner_text()).group(1)
        assert staff.get_by_text("0 proposition en attente").is_visible()
        assert not staff_dialogs and not staff_errors
        assert staff.title() != "pwned"
        staff_context.close()

        # Public again: on the Carte (its card) and in the Annuaire.
        page.goto(f"{url}/carte?acteur={actor_id}")
        wait_for_app(page)
        page.get_by_role("heading", name=NAME).wait_for(timeout=60_000)
        assert page.get_by_text("Signaler une erreur").is_visible()
        screenshot(page, "carte-proposition-acceptee-1280")
        page.goto(f"{url}/annuaire{SEIN}")
        wait_for_app(page)
        assert NAME in names_listed(page)
        assert not dialogs and not errors
        assert page.title() != "pwned"
    finally:
        context.close()
