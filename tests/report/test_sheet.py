"""The prospect sheet: two A4 pages, fonts embedded, every figure, escaped HTML."""

import dataclasses
import datetime as dt
import io

import pandas as pd
import pytest
from pypdf import PdfReader

from ess_geo import formats, paths
from ess_geo.analysis import budget, coverage
from ess_geo.errors import CoverageError, UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.report import sheet
from ess_geo.workspace import networks

TODAY = dt.date(2026, 3, 14)
ASSUMPTIONS = budget.BudgetAssumptions(feasibility_study=True, horizon_years=12)


@pytest.fixture(scope="module")
def inputs(small_demo):
    table, perimeters = networks.read_networks_csv(
        paths.REFERENCE_DIR / "networks_seed.csv"
    )
    ranked = coverage.gaps(table, perimeters, small_demo, "epci")
    actors = small_demo.copy()
    # A structure motrice of the best prospect whose name must be escaped.
    best = ranked.loc[ranked["rang"] == 1, "code"].item()
    commune = geography.communes_of("epci", best)[0]
    actors.loc[actors.index[0], ["nom", "effectif", "code_commune"]] = [
        "<script>ADMR</script> & Cie",
        900,
        commune,
    ]
    return ranked, table, actors


@pytest.fixture(scope="module")
def prospect(inputs):
    ranked, table, actors = inputs
    code = ranked.loc[ranked["rang"] == 1, "code"].item()
    return sheet.build(
        "epci", code, ranked, table, actors, assumptions=ASSUMPTIONS,
        is_demo=True, generated=TODAY,
    )  # fmt: skip


def text_heights(page) -> list[float]:
    """Height above the bottom of the page of every piece of text, in points."""
    heights: list[float] = []

    def visit(text, cm, tm, *_):
        if text.strip():
            heights.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return heights


def pdf_pages(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def test_build_explains_each_component_of_the_score(prospect, inputs):
    ranked = inputs[0]
    row = ranked[ranked["code"] == prospect.code].iloc[0]
    ranks = ranked["rang"].notna().sum()
    assert prospect.rank_line.startswith(f"Rang 1 sur {formats.number(ranks)}")
    assert [c[0] for c in prospect.components] == [
        c.label for c in coverage.COMPONENTS.values()
    ]
    for key, line in zip(coverage.COMPONENTS, prospect.components, strict=True):
        assert line[2] == formats.number(row[f"composante_{key}"], 2)
        assert line[3] == "1,0"
    assert ("Score de prospection", formats.number(row["score_prospection"], 1)) in (
        prospect.figures
    )
    # 12 years: 5 rows, then years 6 to 12 in one; and the total.
    assert [r[0] for r in prospect.budget_rows] == [
        *(f"Année {y}" for y in range(1, 6)),
        "Années 6 à 12",
        "Total",
    ]
    years = budget.simulate_budget([prospect.code], ASSUMPTIONS)
    total = budget.budget_summary(years)["financement_public"]
    assert prospect.budget_rows[-1][-1] == f"{formats.number(total)} €"
    assert prospect.budget_rows[0][1] == f"{formats.number(55_000)} €"  # study+mob.


def test_pdf_two_a4_pages_fonts_embedded_every_figure_inside_the_page(prospect):
    reader = pdf_pages(sheet.to_pdf(prospect))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]  # A4
        fonts = page["/Resources"]["/Font"].values()
        for font in fonts:
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
        heights = text_heights(page)
        assert min(heights) > 20 and max(heights) < 842  # nothing off the page
    text = "\n".join(p.extract_text() for p in reader.pages)
    for label, value in prospect.figures:
        assert label in text and value in text
    for line in prospect.components + prospect.budget_rows + prospect.funder_rows:
        assert " ".join(line) in text
    for name in prospect.motrices["nom"]:
        assert str(name)[:20] in text
    assert "14/03/2026" in text and "page 2/2" in text


def test_html_is_standalone_and_escaped(prospect):
    page = sheet.to_html(prospect)
    assert page.startswith('<!DOCTYPE html><html lang="fr">')
    assert "<script" not in page
    assert "&lt;script&gt;ADMR&lt;/script&gt; &amp; Cie" in page
    assert "src=" not in page and "href=" not in page
    for _label, value in prospect.figures:
        assert value in page
    assert prospect.motrices["nom"].iloc[0] == "<script>ADMR</script> & Cie"


def test_bad_level_and_unknown_code_are_refused(inputs):
    ranked, table, actors = inputs
    with pytest.raises(CoverageError, match="une fiche prospect se fait pour"):
        sheet.build("departement", "29", ranked, table, actors)
    with pytest.raises(UnknownTerritoryError):
        sheet.build("epci", "000000000", ranked, table, actors)


def test_file_name():
    s = type("S", (), {"level": "pays", "code": "BZH-BREST"})
    assert sheet.file_name(s, "html") == "fiche-prospect-pays-BZH-BREST.html"
    assert pd.isna(pd.NA)


def test_the_fullest_sheet_still_fits_its_two_pages(prospect):
    long = "Structure au nom très long " * 4
    fullest = dataclasses.replace(
        prospect,
        nom="Communauté de communes " + "du très long nom " * 6,
        motrices=pd.concat([prospect.motrices] * 30)
        .head(30)
        .assign(nom=long, motif=long),
        networks=[[long, long, "https://exemple.example"]] * sheet.MAX_NETWORKS,
        funder_rows=[[long, "1 000 000 €", "20 %"]] * len(budget.FUNDERS),
        budget_note=prospect.budget_note * 2,
    )
    reader = pdf_pages(sheet.to_pdf(fullest))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert min(text_heights(page)) > 20


def test_without_a_covered_neighbour_the_region_s_networks_are_listed(inputs):
    ranked, table, actors = inputs
    perimeters = networks.read_networks_csv(paths.REFERENCE_DIR / "networks_seed.csv")[
        1
    ]
    lyon = sheet.build(
        "epci", "200046977", ranked, table, actors, perimeters=perimeters
    )
    assert [n[0] for n in lyon.networks] == [
        "Collectif des acteurs de l’ESS de Saint-Étienne Métropole",
        "PROGRESS – Programme roannais pour l’ESS (Grand Roanne Agglomération, auj. "
        "Roannais Agglomération)",
    ]
    assert {n[1] for n in lyon.networks} == {
        "réseau de la région (aucun voisin couvert)"
    }
    monts = sheet.build(
        "epci", "200066587", ranked, table, actors, perimeters=perimeters
    )
    assert monts.networks == [
        [
            "Collectif des acteurs de l’ESS de Saint-Étienne Métropole",
            "Saint-Etienne Métropole",
            "",
        ]
    ]


def test_a_covered_territory_has_no_rank_and_says_why(inputs):
    ranked, table, actors = inputs
    rennes = sheet.build("epci", "243500139", ranked, table, actors)
    assert rennes.rank_line == "Non classé : couverte à ce seuil."
    assert ("Score de prospection", "—") in rennes.figures
    assert {line[2] for line in rennes.components} == {"—"}
    assert len(pdf_pages(sheet.to_pdf(rennes)).pages) == 2
