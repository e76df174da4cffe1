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
    values = chart_values(charts.neighbours_chart(table, "emplois_1000_hab", "x"))
    assert [v["serie"] for v in values] == ["Voisin", "Territoire choisi"]
