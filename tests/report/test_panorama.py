"""The panorama territorial: content, at most two A4 pages, escaped HTML."""

import dataclasses
import datetime as dt
import io
import re
from xml.etree import ElementTree

import pandas as pd
import pytest
from pypdf import PdfReader

from ess_geo.report import panorama, panorama_pdf

TODAY = dt.date(2026, 3, 14)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def sample(small_demo):
    return small_demo


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


@pytest.fixture(scope="module")
def brest(sample):
    return panorama.build(sample, "epci", "242900314", is_demo=True, today=TODAY)


def test_build_gathers_the_territory_and_its_comparisons(brest, sample):
    assert brest.title == "Panorama de l'ESS — Brest Métropole"
    assert brest.subtitle.startswith("EPCI (ME) · code 242900314 · Finistère")
    assert brest.subtitle.endswith("209\u202f722 habitants")
    assert brest.comparison["echelle"].tolist() == [
        "epci",
        "departement",
        "region",
        "france",
    ]
    assert brest.comparison.iloc[-1]["structures"] == len(sample)
    assert brest.neighbours["selection"].sum() == 1
    assert len(brest.neighbours) == 4
    assert brest.ranks[0].endswith("EPCI du département (Finistère)")
    assert brest.ranks[-1].endswith("sur 1\u202f248 EPCI en France")
    assert brest.map_svg.startswith("<svg")


def test_pdf_has_at_most_two_pages_with_title_notice_and_sources(brest):
    pages, text = pdf_text(panorama_pdf.to_pdf(brest))
    assert pages == 2
    assert "Panorama de l'ESS — Brest Métropole" in text
    assert panorama.DEMO_NOTICE in text
    flat = " ".join(text.split())
    assert "Calibré : le nombre d'établissements employeurs" in flat
    assert "Inventé : chaque acteur" in flat
    assert "Inventé : chaque acteur" in panorama.to_html(brest)
    assert "Méthode et sources" in text
    assert "IGN ADMIN EXPRESS" in text
    assert "14/03/2026" in text
    reader = PdfReader(io.BytesIO(panorama_pdf.to_pdf(brest)))
    assert reader.metadata.title == brest.title


def test_pdf_prints_characters_outside_latin_1(brest):
    name = "Œuvre d’entraide — cœur"
    _, text = pdf_text(panorama_pdf.to_pdf(dataclasses.replace(brest, nom=name)))
    assert f"Panorama de l'ESS — {name}" in text


def test_no_demo_notice_for_real_data(sample):
    p = panorama.build(sample, "departement", "29", is_demo=False, today=TODAY)
    _, text = pdf_text(panorama_pdf.to_pdf(p))
    assert panorama.DEMO_NOTICE not in text
    assert panorama.DEMO_NOTICE not in panorama.to_html(p)


@pytest.mark.parametrize(
    ("level", "code"),
    [
        ("commune", "75056"),  # Paris: many neighbours, every département line
        ("commune", "22016"),  # an island without EPCI nor neighbour
        ("pays", "200048643"),
        ("pnr", "FR8000001"),  # no known commune, no geometry
        ("departement", "976"),  # no population in the source
        ("region", "84"),  # Auvergne-Rhône-Alpes: many actors on the map
    ],
)
def test_every_kind_of_territory_fits_on_two_pages(sample, level, code):
    p = panorama.build(sample, level, code, is_demo=True, today=TODAY)
    pages, text = pdf_text(panorama_pdf.to_pdf(p))
    assert pages <= 2
    assert p.nom in text.replace("\n", " ")


def test_territory_without_population_says_so(sample):
    p = panorama.build(sample, "departement", "976", today=TODAY)
    assert any("Population inconnue ou nulle" in note for note in p.notes)
    assert p.ranks == []


def test_partial_pnr_perimeter_is_flagged(sample):
    p = panorama.build(sample, "pnr", "FR8000003", today=TODAY)  # Luberon: 04 only
    assert any(note.startswith("Périmètre partiel") for note in p.notes)


def test_html_is_self_contained_and_escapes_what_comes_from_files(sample):
    source = '<script>alert("x")</script>.csv'
    employment = pd.Series({"29019": 90_000.0})
    p = panorama.build(
        sample,
        "commune",
        "29019",
        employment=employment,
        employment_source=source,
        today=TODAY,
    )
    page = panorama.to_html(p)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;.csv" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert page.startswith('<!DOCTYPE html><html lang="fr">')
    assert "<h1>Panorama de l&#x27;ESS — Brest</h1>" in page
    assert "Part dans l&#x27;emploi total" in page


def test_share_of_employment_is_printed_when_an_employment_table_is_given(sample):
    employment = pd.Series({"29019": 100_000.0})
    p = panorama.build(sample, "commune", "29019", employment=employment, today=TODAY)
    share = dict(panorama.key_figures(p))["Part dans l'emploi total"]
    assert share.endswith("\xa0%")
    without = panorama.build(sample, "commune", "29019", today=TODAY)
    assert dict(panorama.key_figures(without))["Part dans l'emploi total"] == "n. c."
    assert any("non calculée" in s for s in without.sources)


def test_file_name_is_safe(brest):
    assert panorama.file_name(brest, "pdf") == "panorama-ess-epci-242900314.pdf"


def test_display_frames_are_formatted_in_french(brest):
    frame = panorama.comparison_frame(brest)
    assert list(frame.columns) == [
        "EPCI — Brest Métropole",
        "Département — Finistère",
        "Région — Bretagne",
        "France",
    ]
    assert frame.loc["Population", "EPCI — Brest Métropole"] == "209\u202f722"
    families = panorama.families_frame(brest)
    assert families.index.tolist()[0] == "Association"
    sections = panorama.sections_frame(brest)
    assert all(" – " in label for label in sections.index)


def test_table_html_escapes_heads_rows_and_marks_the_selection():
    out = panorama.table_html(
        ["Nom", "Deux\nlignes"],
        [["<b>A</b>", "1 & 2"], ["B", "3"]],
        "Légende <i>",
        [False, True],
    )
    assert out == (
        '<div class="scroll" tabindex="0" role="region" aria-label="Légende &lt;i&gt;">'
        "<table><caption>Légende &lt;i&gt;</caption>"
        '<thead><tr><th scope="col">Nom</th><th scope="col">Deux<br>lignes</th>'
        "</tr></thead><tbody>"
        '<tr><th scope="row">&lt;b&gt;A&lt;/b&gt;</th><td>1 &amp; 2</td></tr>'
        '<tr class="selection"><th scope="row">B</th><td>3</td></tr>'
        "</tbody></table></div>"
    )


def test_frame_html_puts_the_index_first():
    frame = pd.DataFrame({"Famille": ["Mutuelle"], "Part": ["9,0\u202f%"]})
    out = panorama.frame_html(frame.set_index("Famille"), "Familles")
    assert out == (
        '<div class="scroll" tabindex="0" role="region" aria-label="Familles">'
        "<table><caption>Familles</caption><thead><tr>"
        '<th scope="col">Famille</th><th scope="col">Part</th></tr></thead>'
        '<tbody><tr><th scope="row">Mutuelle</th><td>9,0\u202f%</td></tr>'
        "</tbody></table></div>"
    )


def test_indicator_rows_format_through_the_registry():
    frame = pd.DataFrame(
        {
            "nom": ["Brest Métropole", "Inconnu"],
            "population": [209722, float("nan")],
            "emplois_1000_hab": [33.456, float("nan")],
            "part_emploi": [0.125, float("nan")],
            "autre": [1, 2],
        }
    )
    header, rows = panorama.indicator_rows(
        frame, ["nom", "population", "emplois_1000_hab", "part_emploi"]
    )
    assert header == [
        "Territoire",
        "Population",
        "Emplois pour 1 000 hab.",
        "Part dans l'emploi total",
    ]
    assert rows == [
        ["Brest Métropole", "209\u202f722", "33,5", "12,5\xa0%"],
        ["Inconnu", "—", "—", "—"],
    ]


def test_neighbours_chart_draws_every_neighbour_and_highlights_the_territory(brest):
    svg = panorama.neighbours_chart_svg(brest, 620, "emplois_1000_hab")
    root = ElementTree.fromstring(svg)
    title = root.find(f"{SVG}title").text
    assert (
        title == "Emplois de l'ESS pour 1 000 habitants : le territoire et ses voisins"
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    names = [panorama.short_name(n) for n in brest.neighbours["nom"]]
    values = [
        f"{v:.1f}".replace(".", ",") for v in brest.neighbours["emplois_1000_hab"]
    ]
    assert texts == [x for pair in zip(names, values, strict=True) for x in pair]
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    chosen = brest.neighbours["selection"].tolist()
    assert fills == ["#b35900" if c else "#1f5f8b" for c in chosen]
    bold = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert bold == ["Brest Métropole"]


def test_key_figures_html_is_a_definition_list_escaped():
    figures = [("Structures de l'ESS", "1\u202f234"), ("<b>Part</b>", "n. c.")]
    assert panorama.key_figures_html(figures) == (
        '<dl class="figures">'
        "<div><dt>Structures de l&#x27;ESS</dt><dd>1\u202f234</dd></div>"
        "<div><dt>&lt;b&gt;Part&lt;/b&gt;</dt><dd>n. c.</dd></div></dl>"
    )
