import pytest

from ess_geo.text import escape_markdown, fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("SAINT ETIENNE", "saint etienne"),
        ("  L’Haÿ-les-Roses ", "l hay les roses"),
        ("Plœmeur", "plœmeur"),
        ("Pays_de_Brest", "pays de brest"),
        ("St. Malo", "st malo"),
        ("Œuvre", "œuvre"),
        ("Île-de-France", "ile de france"),
        ("", ""),
    ],
)
def test_fold_removes_accents_case_and_separators(text, expected):
    assert fold(text) == expected


def test_fold_is_idempotent():
    once = fold("Crac'h — Côte-d’Émeraude")
    assert fold(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amicale", "Amicale"),
        ("[clic](http://x.example)", "\\[clic\\]\\(http://x\\.example\\)"),
        ("*gras* _it_", "\\*gras\\* \\_it\\_"),
        ("# titre", "\\# titre"),
        ("<b>", "\\<b\\>"),
    ],
)
def test_escape_markdown_neutralises_markup(text, expected):
    assert escape_markdown(text) == expected
