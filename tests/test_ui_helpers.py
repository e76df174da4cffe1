"""Pure helpers of ess_geo.ui (no Streamlit run needed)."""

import math

import pytest

from ess_geo import ui


def test_escape_markdown_neutralises_links_images_and_emphasis():
    text = "![x](http://a.b/c.png) [lien](javascript:alert) **gras** <b>"
    escaped = ui.escape_markdown(text)
    for sign in "![]()*<>":
        assert f"\\{sign}" in escaped
    assert escaped.replace("\\", "") == text


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1_125_000, 0, "1\u202f125\u202f000"),
        (4.078, 1, "4,1"),
        (0, 0, "0"),
        (math.nan, 0, "—"),
        (None, 0, "—"),
    ],
)
def test_number_is_written_the_french_way(value, decimals, expected):
    assert ui.number(value, decimals) == expected
