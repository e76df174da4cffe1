"""The one-click prospect sheet on Couverture, in a real browser."""

import io
import re

import pytest
from conftest import open_app, screenshot, wait_for_app
from pypdf import PdfReader

from ess_geo.ui.keys import CouvertureKeys

pytestmark = pytest.mark.browser


def test_one_click_gives_the_prospect_sheet_pdf_and_html(page, app_url, tmp_path):
    open_app(page, f"{app_url}/couverture")
    # The prospects are drawn on demand, below the map (issue 17).
    key = CouvertureKeys.block("prospects").replace(".", "-")  # as Streamlit's class
    page.locator(f".st-key-{key} summary").first.click()
    wait_for_app(page)
    heading = page.get_by_role("heading", name="Structures motrices et fiche prospect")
    heading.wait_for(timeout=30_000)
    heading.scroll_into_view_if_needed()
    button = page.get_by_role("button", name="Fiche prospect (PDF)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert re.fullmatch(r"fiche-prospect-epci-\d{9}\.pdf", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert text.startswith("Fiche prospect — ")
    assert "Pourquoi ce rang : les composantes du score" in text
    assert "Rang 1 sur" in text  # the first retained prospect is the best one
    wait_for_app(page)

    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Fiche prospect (HTML)").click()
    html = tmp_path / "fiche.html"
    info.value.save_as(html)
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    wait_for_app(page)
    screenshot(page, "couverture-fiche-prospect-1280")
