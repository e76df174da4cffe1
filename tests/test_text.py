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


def test_fold_is_idempotent():
    once = fold("Crac'h — Côte-d’Émeraude")
    assert fold(once) == once


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Amicale", "Amicale"),
        ("[clic](http://x.example)", "\\[clic\\]\\(http\\://x\\.example\\)"),
        ("*gras* _it_", "\\*gras\\* \\_it\\_"),
        ("# titre", "\\# titre"),
        ("<b>", "\\<b\\>"),
    ],
)
def test_escape_markdown_neutralises_markup(raw, expected):
    assert text.escape_markdown(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "<b>{{ 7*7 }}</b> & Cie",
            "&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt; &amp; Cie",
        ),
        ("{% for x in y %}", "&#123;% for x in y %&#125;"),
        ('L\'Étoile "2"', "L&#x27;Étoile &quot;2&quot;"),
    ],
)
def test_escape_html_also_escapes_jinja_braces(raw, expected):
    assert text.escape_html(raw) == expected
