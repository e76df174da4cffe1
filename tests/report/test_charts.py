import pandas as pd

from ess_geo.analysis import indicators, weight
from ess_geo.report import charts


def chart_values(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def families():
    row = pd.Series(
        {
            **dict.fromkeys(indicators.FAMILY_COLUMNS.values(), 1),
            **{f"emplois_{c}": 10.0 for c in indicators.FAMILY_COLUMNS.values()},
        }
    )
    return weight.family_breakdown(row, row)


def test_family_chart_pairs_territory_and_france():
    values = chart_values(charts.family_chart(families()))
    assert len(values) == 10
    assert {v["serie"] for v in values} == {"Territoire", "France"}
    assert values[0] == {
        "libelle": "Association",
        "serie": "Territoire",
        "part": 0.2,
        "structures": 1,
    }


def test_section_chart_keeps_the_sections_with_most_jobs():
    sections = pd.DataFrame(
        {
            "section": list("QRS"),
            "libelle": ["Santé", "Arts", "Autres"],
            "structures": [3, 2, 0],
            "emplois": [30.0, 10.0, 0.0],
            "part_emplois": [0.75, 0.25, 0.0],
            "part_emplois_reference": [0.5, 0.3, 0.2],
        }
    )
    values = chart_values(charts.section_chart(sections, top=1))
    assert [v["libelle"] for v in values] == ["Q – Santé", "Q – Santé"]


def test_neighbours_chart_highlights_the_selection():
    table = pd.DataFrame(
        {"nom": ["A", "B"], "emplois_1000_hab": [2.0, 1.0], "selection": [False, True]}
    )
    chart = charts.neighbours_chart(table, "emplois_1000_hab", "x")
    values = chart_values(chart)
    assert [v["serie"] for v in values] == ["Voisin", "Territoire choisi"]
    tooltip = chart.to_dict()["encoding"]["tooltip"][1]
    assert tooltip["format"] == ",.1f"  # the registry's decimals, French locale


def test_charts_write_numbers_the_french_way_and_describe_themselves():
    spec = charts.family_chart(families()).to_dict()
    assert spec["config"]["locale"] == {
        "number": {
            "decimal": ",",
            "thousands": "\u202f",
            "grouping": [3],
            "currency": ["", "\u00a0€"],
            "percent": "\u202f%",
        }
    }
    assert spec["config"]["aria"] is False
    assert spec["description"] == "Part des emplois de l'ESS par famille"


def test_count_bars_and_stacked_bars():
    data = pd.DataFrame({"region": ["Bretagne", "Normandie"], "reseaux": [22, 2]})
    spec = charts.count_bars(
        data,
        "region",
        "reseaux",
        category_title="Région",
        value_title="Réseaux",
        description="Réseaux par région",
        horizontal=True,
        sort_by_value=True,
    ).to_dict()
    assert spec["encoding"]["y"]["field"] == "region"
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["x"]["axis"]["format"] == ",d"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    wide = pd.DataFrame(
        {"Financement public": [150000.0], "Cotisations des membres": [0.0]},
        index=pd.Index([1], name="annee"),
    )
    stacked = charts.stacked_bars(
        wide, x_title="Année", y_title="Euros", description="Budget"
    ).to_dict()
    values = next(iter(stacked["datasets"].values()))
    assert values == [
        {"x": 1, "serie": "Financement public", "valeur": 150000.0},
        {"x": 1, "serie": "Cotisations des membres", "valeur": 0.0},
    ]
    assert stacked["description"] == "Budget"
