import pandas as pd

from ess_geo.report import charts


def chart_values(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def test_charts_write_numbers_the_french_way_and_describe_themselves():
    data = pd.DataFrame({"region": ["Bretagne"], "reseaux": [22]})
    spec = charts.count_bars(
        data,
        "region",
        "reseaux",
        category_title="Région",
        value_title="Réseaux",
        description="Réseaux par région",
    ).to_dict()
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
    assert spec["description"] == "Réseaux par région"


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
