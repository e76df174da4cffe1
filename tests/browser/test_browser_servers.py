"""Two app servers on one PostgreSQL workspace, as behind a load balancer.

An actor imported through one server appears on the other at its next
rerun: the data, the revision its caches are keyed on and the staff login
limits all live in the shared database.
"""

import contextlib
import re

import pytest
from conftest import _streamlit_server, screenshot, wait_for_app

from ess_geo.ui.chrome import DEMO_BANNER

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

NAME = "Atelier vélo des deux serveurs"
FILE = (
    f"nom;siret;code_commune;famille\n{NAME};73282932000074;29019;association\n"
).encode()


def sign_in(page, url: str) -> None:
    from conftest import STAFF_NAME, STAFF_PASSWORD

    page.goto(f"{url}/donnees?onglet=acteurs")
    wait_for_app(page)
    page.get_by_label("Identifiant").fill(STAFF_NAME)
    page.get_by_label("Mot de passe", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    wait_for_app(page)
    page.get_by_text(f"Connecté·e : {STAFF_NAME}").wait_for(timeout=30_000)


def find(page, text: str) -> str:
    box = page.get_by_label("Rechercher un acteur (nom, SIRET ou code commune)")
    box.fill("29019")  # a different search first: the next one reruns the page
    box.press("Enter")
    wait_for_app(page)
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)
    return page.get_by_text(re.compile(r"acteur\(s\) affiché\(s\)")).inner_text()


def test_an_actor_added_on_one_server_appears_on_the_other(
    browser, postgres_server, tmp_path_factory, tmp_path
):
    url = postgres_server.create_database("deux_serveurs")
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(_streamlit_server(tmp_path_factory, url))
        second = stack.enter_context(_streamlit_server(tmp_path_factory, url))
        context = stack.enter_context(
            contextlib.closing(
                browser.new_context(viewport={"width": 1280, "height": 2000})
            )
        )
        one, two = context.new_page(), context.new_page()
        sign_in(one, first)
        sign_in(two, second)
        assert find(two, NAME).startswith("0 acteur(s)")

        one.get_by_role("radio", name="Importer", exact=True).click()
        wait_for_app(one)
        path = tmp_path / "acteurs.csv"
        path.write_bytes(FILE)
        one.locator("input[type='file']").first.set_input_files(str(path))
        wait_for_app(one)
        one.get_by_role("button", name="Accepter et importer").click()
        wait_for_app(one)
        one.get_by_text(re.compile(r"Import n° \d+ enregistré : 1 acteur")).wait_for(
            timeout=60_000
        )

        # The other server sees it at its next rerun, and the demo it
        # replaced is gone there too (its cached tables follow the revision).
        assert find(two, NAME).startswith("1 acteur(s)")
        two.goto(second)
        wait_for_app(two)
        assert two.get_by_text(DEMO_BANNER).count() == 0
        shown = two.get_by_text(re.compile("acteurs affichés sur")).first.inner_text()
        assert shown.startswith("1 acteurs affichés sur 1")
        screenshot(two, "deux-serveurs-second")
