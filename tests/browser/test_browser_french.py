"""Every page in French, legible and accessible at 1280 px and 390 px (issue 14).

On each page, at both widths: no English string of :data:`ENGLISH` in the
text or in the aria-label/placeholder/title attributes, no serious or
critical axe-core violation, the key columns of the wide tables inside the
window, no sideways scrolling on a phone, and a « Copier le lien » button
that copies the page's address. Also: the shim on its own (a blank page),
the same-tab link from the Carte to Territoires, and the Tab order.
"""

import re

import pytest
from conftest import (
    DESKTOP,
    PHONE,
    ROOT,
    STAFF_NAME,
    STAFF_PASSWORD,
    screenshot,
    serious_violations,
    wait_for_app,
    whole_page,
)

from ess_geo.pages.carte import TABLES_TOGGLE
from ess_geo.pages.territoires import RANKING_TOGGLE

pytestmark = pytest.mark.browser

ENGLISH = (
    "Drag and drop",
    "per file",
    "Browse files",
    "Upload",
    "No options to select",
    "Choose an option",
    "Help for",
    "Expand sidebar",
    "Collapse sidebar",
    "Skip to main content",
    "Download as",
    "Show/hide columns",
    "Fullscreen",
    "Show data",
    "Clear all",
    "Show password",
    "Vega visualization",
    "Link to heading",
    "Remove ",
    "X-axis",
    "Y-axis",
    "Title text",
    "Sidebar",
    "view more",
)
"""English that Streamlit 1.67 writes by itself, found on the pages before
the shim (ess_geo/ui/components/french.js)."""

PAGES = {
    "carte": "/carte?niveau=epci&code=242900314",
    "territoires": "/territoires?niveau=epci&code=242900314",
    "reseaux": "/reseaux?reseau=15",
    "couverture": "/couverture?ouvert=prospects,budget",  # on demand below the map
    "annuaire": "/annuaire?commune=29019",
    "donnees": "/donnees",
}

KEY_COLUMNS = {
    "carte": {
        "": ("Territoire", "Structures de l'ESS pour 10 000 habitants"),
    },
    "territoires": {
        "classement": ("Rang", "Territoire"),
    },
    "couverture": {
        "prospects": ("Rang", "Territoire", "Score"),
        "budget": ("Année", "Financement public (€)"),
    },
}
"""Per page: table (``ui.responsive_table`` key, "" for the page's first data
frame) -> headers that must show."""

_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const tag = node.parentElement && node.parentElement.tagName;
    if (!['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(tag)) out.push(node.nodeValue);
  }
  for (const e of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const a of ['aria-label', 'placeholder', 'title']) {
      if (e.hasAttribute(a)) out.push(e.getAttribute(a));
    }
  }
  return out;
}"""


def english_strings(tab) -> list[str]:
    """Texts and attributes of the page holding one of :data:`ENGLISH`."""
    return sorted(
        {
            text.strip()[:80]
            for text in tab.evaluate(_TEXTS)
            if any(phrase in text for phrase in ENGLISH)
        }
    )


def table_headers(tab, key: str, width: int) -> tuple[dict, list[str]]:
    """Bounding box and rendered headers of a responsive table at a width."""
    which = "phone" if width <= 640 else "wide"
    scope = f".st-key-ess-{which}-{key} " if key else ""
    frame = tab.locator(f"{scope}[data-testid='stDataFrame']").first
    frame.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)
    box = frame.bounding_box()
    # The data grid lists the columns it draws (those in view) for screen
    # readers; a column scrolled out of the grid is not among them.
    headers = frame.locator("[role='columnheader']").all_inner_texts()
    return box, headers


def sign_in(tab, url: str) -> None:
    tab.goto(f"{url}/donnees")
    wait_for_app(tab)
    tab.get_by_label("Identifiant").fill(STAFF_NAME)
    tab.get_by_label("Mot de passe", exact=True).fill(STAFF_PASSWORD)
    tab.get_by_role("button", name="Se connecter").click()
    wait_for_app(tab)
    tab.get_by_role("radio", name="Importer", exact=True).wait_for(timeout=30_000)
    wait_for_app(tab)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["1280", "390"])
def tab(request, browser):
    context = browser.new_context(viewport=request.param)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def check_page(tab, name: str) -> None:
    """What every page must pass at the tab's width."""
    width = tab.viewport_size["width"]
    assert tab.evaluate("document.documentElement.lang") == "fr"
    assert english_strings(tab) == []
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways ({scroll}px)"
    for key, columns in KEY_COLUMNS.get(name, {}).items():
        box, headers = table_headers(tab, key, width)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (key, box)
        missing = [c for c in columns if c not in headers]
        assert missing == [], f"{key}: {missing} out of view in {headers}"
    with whole_page(tab):
        screenshot(tab, f"french-{name}-{width}")
        problems = serious_violations(tab)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_is_french_accessible_and_fits(tab, app_url, name):
    tab.goto(app_url + PAGES[name])
    wait_for_app(tab)
    if name == "carte":  # the Carte draws its tables on demand
        tab.get_by_text(TABLES_TOGGLE).click()
        tab.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    if name == "territoires":  # below a territory, the ranking comes on demand
        tab.get_by_text(RANKING_TOGGLE).click()
        tab.locator(".st-key-ess-wide-classement [data-testid='stDataFrame']").wait_for(
            state="attached", timeout=30_000
        )
    tab.wait_for_timeout(1_000)  # the data grids draw after the script ends
    check_page(tab, name)
    if name == "territoires":  # HTML tables and SVG charts, inside the page
        width = tab.viewport_size["width"]
        blocks = tab.locator(".ess-report .scroll, .ess-report .chart img").all()
        boxes = [b.bounding_box() for b in blocks if b.is_visible()]
        assert len(boxes) == 6  # 3 tables (the sectors' folded) and 3 charts
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)

    button = tab.get_by_role("button", name="Copier le lien")
    button.scroll_into_view_if_needed()
    address = tab.url
    button.click()
    tab.get_by_text(f"Lien copié : {address}").wait_for(timeout=10_000)
    assert tab.evaluate("navigator.clipboard.readText()") == address


def test_donnees_signed_in_is_french_and_accessible(tab, app_url):
    sign_in(tab, app_url)  # the Importer rubric: a file uploader
    tab.locator("[data-testid='stFileUploader']").wait_for(timeout=30_000)
    uploader = tab.locator("[data-testid='stFileUploader']").inner_text()
    assert "Choisir un fichier" in uploader
    assert re.search(r"\d+\xa0Mo par fichier", uploader), uploader
    check_page(tab, "donnees-connecte")
    # Clicking the chosen rubric keeps it (it used to deselect it).
    chosen = tab.get_by_role("radio", name="Importer", exact=True)
    chosen.click()
    wait_for_app(tab)
    assert chosen.get_attribute("aria-checked") == "true"
    assert tab.locator("[data-testid='stFileUploader']").count() == 1
    for rubric in (
        "Doublons",
        "Acteurs",
        "Réseaux",
        "Propositions",
        "Journal",
        "Export et sauvegarde",
    ):
        tab.get_by_role("radio", name=rubric, exact=True).click()
        wait_for_app(tab)
        tab.wait_for_timeout(500)
        assert english_strings(tab) == [], rubric
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        assert scroll <= tab.viewport_size["width"], (rubric, scroll)


def test_the_shim_translates_streamlit_texts_as_they_appear(browser):
    """french.js alone, on a blank page: existing and later elements."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        "<html lang='en'><body>"
        "<button aria-label='Help for Région'>?</button>"
        "<span>200MB per file • CSV, TXT, XLSX</span>"
        "<span aria-label='mauvais.csv, 30.0B'>30.0B</span>"
        "<a href='#m'>Skip to main content</a>"
        "<span translate='no'>upload</span><p>Upload</p>"
        "<p>88.10B</p><p>Brest</p></body></html>"
    )
    page.add_script_tag(path=str(ROOT / "ess_geo" / "ui" / "components" / "french.js"))
    page.evaluate(
        "() => { const i = document.createElement('input');"
        " i.setAttribute('placeholder', 'Choose an option');"
        " i.id = 'later'; document.body.appendChild(i);"
        " const s = document.createElement('div'); s.setAttribute('data-testid',"
        " 'stSlider'); s.textContent = '0.25'; document.body.appendChild(s);"
        " const t = document.createElement('div'); t.setAttribute('data-testid',"
        " 'stToast'); t.setAttribute('role', 'alertdialog');"
        " document.body.appendChild(t); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("button").get_attribute("aria-label") == "Aide : Région"
    assert page.locator("span").nth(0).inner_text() == (
        "200\xa0Mo par fichier • CSV, TXT, XLSX"
    )
    # An uploaded file's size, shown and read aloud.
    assert page.locator("span").nth(1).inner_text() == "30,0\xa0o"
    assert page.locator("span").nth(1).get_attribute("aria-label") == (
        "mauvais.csv, 30,0\xa0o"
    )
    assert page.locator("a").inner_text() == "Aller au contenu principal"
    assert page.locator("span[translate='no']").inner_text() == "upload"  # an icon
    # A NAF code is not a file size.
    assert page.locator("p").all_inner_texts() == [
        "Choisir un fichier",
        "88.10B",
        "Brest",
    ]
    assert page.locator("#later").get_attribute("placeholder") == (
        "Choisissez une option"
    )
    assert page.locator("[data-testid='stSlider']").inner_text() == "0,25"
    # A toast (an alert dialog) gets a name (axe: aria-dialog-name).
    assert page.locator("[data-testid='stToast']").get_attribute("aria-label") == (
        "Message"
    )
    assert page.evaluate("navigator.languages[0]") == "fr-FR"
    assert page.evaluate("(1234.5).toLocaleString(navigator.languages)") == (
        "1\u202f234,5"
    )
    context.close()


def test_the_carte_opens_the_territory_page_in_the_same_tab(page, app_url):
    page.goto(f"{app_url}/carte?niveau=epci&code=242900314")
    wait_for_app(page)
    page.get_by_role("link", name="Fiche complète du territoire →").click()
    wait_for_app(page)
    assert len(page.context.pages) == 1
    assert page.url == f"{app_url}/territoires?niveau=epci&code=242900314"
    assert page.get_by_role("heading", name="Brest Métropole").first.is_visible()


def test_keyboard_focus_skips_the_closed_sidebar_and_is_visible(browser, app_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{app_url}/territoires?niveau=epci&code=242900314")
    wait_for_app(page)
    # The sidebar closes itself at this width; its links leave the Tab order
    # once it has slid away (0.3 s).
    page.wait_for_function(
        "getComputedStyle(document.querySelector("
        "'[data-testid=stSidebar] a')).visibility === 'hidden'",
        timeout=10_000,
    )
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "() => { const e = document.activeElement; const r ="
                " e.getBoundingClientRect(); const s = getComputedStyle(e);"
                " return {text: (e.innerText || e.getAttribute('aria-label') || '')"
                ".trim().slice(0, 40),"
                " inSidebar: !!e.closest('[data-testid=stSidebar]'),"
                " x: r.x, right: r.right, outline: s.outlineStyle}; }"
            )
        )
    context.close()
    assert stops[0]["text"] == "Aller au contenu principal"
    assert [s for s in stops if s["inSidebar"]] == []
    assert [s for s in stops if s["right"] <= 0 or s["x"] >= PHONE["width"]] == []
    assert [s for s in stops[1:] if s["outline"] == "none"] == []
