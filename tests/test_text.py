import pytest

from ess_geo import text
from ess_geo.text import fold


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Sainte-Marie", "sainte marie"),
        ("SAINTE MARIE", "sainte marie"),
        ("  sainte   marie ", "sainte marie"),
        ("L'Île-d'Yeu", "l ile d yeu"),
        ("L’Haÿ-les-Roses", "l hay les roses"),
        ("Marcq-en-Barœul", "marcq en baroeul"),
        ("Æ.Œ", "ae oe"),
        ("Saint-Malô-du-Bois", "saint malo du bois"),
        ("Brest (29)", "brest 29"),
        ("", ""),
    ],
)
def test_fold_removes_case_accents_and_separators(text, key):
    assert fold(text) == key


def test_fold_makes_accented_and_plain_spellings_equal():
    assert fold("Évry-Courcouronnes") == fold("evry courcouronnes")


def test_escape_markdown_neutralises_links_images_and_emphasis():
    raw = "![x](http://a.b/c.png) [lien](javascript:alert) **gras** <b>"
    escaped = text.escape_markdown(raw)
    for sign in "![]()*<>":
        assert f"\\{sign}" in escaped
    assert escaped.replace("\\", "") == raw
