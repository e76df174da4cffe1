"""The indicator registry: one record per weight column, read everywhere."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ess_geo.analysis import classify, weight
from ess_geo.analysis.indicators import (
    FAMILY_COLUMNS,
    INDICATORS,
    SHARE,
    Indicator,
    key_figure,
)
from ess_geo.io import exports
from ess_geo.maps import cartemap, layers, mapview
from ess_geo.pages import details
from ess_geo.report import panorama

ROLES = {
    # key: (label, short label, unit, decimals)
    "population": ("Population", "Population", "habitants", 0),
    "structures": ("Structures de l'ESS", "Structures", "structures", 0),
    "employeurs": (
        "Établissements employeurs de l'ESS",
        "Employeurs",
        "établissements",
        0,
    ),
    "emplois": ("Emplois de l'ESS (estimés)", "Emplois (estimés)", "emplois", 0),
    "emplois_inconnus": (
        "Structures à effectif inconnu",
        "Effectif inconnu",
        "structures",
        0,
    ),
    "associations": ("Associations", "Associations", "structures", 0),
    "cooperatives": ("Coopératives", "Coopératives", "structures", 0),
    "mutuelles": ("Mutuelles", "Mutuelles", "structures", 0),
    "fondations": ("Fondations", "Fondations", "structures", 0),
    "societes_commerciales": (
        "Sociétés commerciales de l'ESS",
        "Sociétés commerciales de l'ESS",
        "structures",
        0,
    ),
    "structures_10k_hab": (
        "Structures de l'ESS pour 10 000 habitants",
        "Structures pour 10 000 hab.",
        "structures pour 10 000 habitants",
        1,
    ),
    "emplois_1000_hab": (
        "Emplois de l'ESS pour 1 000 habitants",
        "Emplois pour 1 000 hab.",
        "emplois pour 1 000 habitants",
        1,
    ),
    "indice_specificite": (
        "Indice de spécificité (France = 1)",
        "Indice de spécificité",
        "indice (France = 1)",
        2,
    ),
    "indice_specificite_region": (
        "Indice de spécificité (région = 1)",
        "Indice de spécificité régional",
        "indice (région = 1)",
        2,
    ),
    "part_emploi": (
        "Part de l'ESS dans l'emploi total",
        "Part dans l'emploi total",
        "%",
        1,
    ),
}


def test_every_weight_column_has_one_record_in_the_table_order():
    measured = [c for c in weight.COLUMNS if c not in ("code", "nom")]
    expected = [*measured[:-1], "indice_specificite_region", measured[-1]]
    assert list(INDICATORS) == expected
    assert set(INDICATORS) <= set(weight.COLUMNS) | set(weight.DETAIL_COLUMNS)
    assert list(FAMILY_COLUMNS.values()) == measured[5:10]


def test_records_name_count_and_round_each_indicator():
    found = {
        key: (i.label, i.short_label, i.unit, i.decimals)
        for key, i in INDICATORS.items()
    }
    assert found == ROLES
    assert all(key == i.key for key, i in INDICATORS.items())
    assert all(i.description.endswith(".") for i in INDICATORS.values())
    assert [k for k, i in INDICATORS.items() if i.is_share] == ["part_emploi"]
    assert SHARE == "%"


def test_records_are_frozen():
    with pytest.raises(AttributeError):
        INDICATORS["emplois"].decimals = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("population", 209722, "209\u202f722"),
        ("emplois", 1234.56, "1\u202f235"),
        ("structures_10k_hab", 12.345, "12,3"),
        ("emplois_1000_hab", 0.05, "0,1"),
        ("indice_specificite", 1.2345, "1,23"),
        ("part_emploi", 0.0834, "8,3\xa0%"),
        ("part_emploi", np.nan, "—"),
        ("emplois_1000_hab", None, "—"),
    ],
)
def test_format_uses_the_decimals_and_the_unit(key, value, expected):
    assert INDICATORS[key].format(value) == expected


def test_key_figures_use_short_labels_and_name_the_ess_once():
    assert key_figure("structures", 3) == ("Structures de l'ESS", "3")
    assert key_figure("employeurs", 2) == ("Employeurs", "2")
    assert key_figure("indice_specificite", 0.5) == ("Indice de spécificité", "0,50")


def test_the_map_offers_registry_records():
    assert list(classify.MAP_INDICATORS) == [
        "structures_10k_hab",
        "emplois_1000_hab",
        "indice_specificite",
        "structures",
        "employeurs",
        "emplois",
    ]
    assert all(
        indicator is INDICATORS[key]
        for key, indicator in classify.MAP_INDICATORS.items()
    )
    assert mapview.DEFAULT_INDICATOR in classify.MAP_INDICATORS


def test_legends_show_the_indicator_decimals():
    classes = classify.classify(pd.Series([0.5, 0.75, 1.25, 2.0]), "quantiles", k=2)
    legend = layers.class_legend_html(
        classes,
        decimals=INDICATORS["indice_specificite"].decimals,
        method_label=classify.METHODS["quantiles"],
        maille_label="4 EPCI",
        no_data_label="Sans population connue",
    )
    assert "0,50 à 1,00" in legend
    assert "1,00 à 2,00" in legend


def test_map_layer_legend_and_tooltip_read_the_registry(few_actors):
    scene = mapview.build_scene(
        few_actors, maille="departement", indicator="indice_specificite"
    )
    choropleth = cartemap.carte_groups(scene)[0]
    assert choropleth.layer_name == "Indice de spécificité (France = 1) (Départements)"
    (legend,) = [
        c for c in choropleth._children.values() if isinstance(c, layers.LegendControl)
    ]
    assert "Indice de spécificité (France = 1)" in legend.title
    assert "0,00 à " in legend.html


def test_labels_and_decimals_reach_the_csv_headers(few_actors):
    finistere = mapview.territory("departement", "29")
    scene = mapview.build_scene(
        few_actors, selection=finistere, indicator="emplois_1000_hab"
    )
    table = details.listing_table(scene)
    header, first = (
        exports.to_csv(table, decimals=4).decode("utf-8-sig").split("\r\n")[:2]
    )
    assert header == (
        "Code;Territoire;Population;Structures;Employeurs;Emplois (estimés);"
        "Emplois de l'ESS pour 1 000 habitants"
    )
    assert first == "242900314;Brest Métropole;209722;3;2;15,0;0,07"


def test_labels_reach_the_panorama(few_actors):
    p = panorama.build(few_actors, "epci", "242900314", today=dt.date(2026, 3, 14))
    _, rows = panorama.comparison_rows(p)
    assert [row[0] for row in rows] == [
        "Population",
        "Structures",
        "Employeurs",
        "Emplois (estimés)",
        "Structures pour 10 000 hab.",
        "Emplois pour 1 000 hab.",
        "Indice de spécificité",
        "Part dans l'emploi total",
    ]
    assert rows[5][1] == "0,1"
    assert panorama.key_figures(p) == [
        ("Structures de l'ESS", "3"),
        ("Employeurs", "2"),
        ("Emplois (environ)", "15"),
        ("Emplois pour 1 000 hab.", "0,1"),
        ("Indice de spécificité", "96,12"),
        ("Part dans l'emploi total", "n. c."),
    ]
    assert panorama.NEIGHBOUR_HEADER == [
        "Territoire",
        "Population",
        "Structures",
        "Emplois\n(estimés)",
        "Emplois pour\n1 000 hab.",
        "Indice de\nspécificité",
    ]
    assert list(panorama.families_frame(p).columns) == [
        "Structures",
        "Emplois (estimés)",
        "Part des emplois",
        "France",
    ]


def test_an_indicator_is_a_plain_record():
    made = Indicator("x", "X", "x", "unités", 0, "Un x.")
    assert made.format(1234) == "1\u202f234"
    assert not made.is_share
