"""Issue 15 in a real browser: forged links show a French notice, never a trace."""

import pytest
from conftest import open_app, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("/annuaire?page=%C2%B2", "page=²"),
        ("/carte?acteur=%C2%B2", "acteur=²"),
        ("/couverture?poids=structures:1e309", "poids=structures:1e309"),
    ],
)
def test_issue15_forged_links_show_a_notice_and_no_traceback(
    page, app_url, path, ignored
):
    open_app(page, f"{app_url}{path}")
    text = page.locator("[data-testid='stMain']").inner_text()
    assert ignored in text
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in text
    screenshot(page, f"issue15-{path.split('?')[0].strip('/')}")
