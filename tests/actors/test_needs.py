import re

import pandas as pd
import pytest

from ess_geo import paths
from ess_geo.actors import demo, needs
from ess_geo.analysis import directory
from ess_geo.errors import NeedsTableError, UnknownNeedError

REFERENCE = paths.REFERENCE_DIR


def test_there_are_the_twelve_needs_of_the_issue():
    assert list(needs.NEEDS.values()) == [
        "Petite enfance",
        "Personnes âgées et handicap",
        "Logement",
        "Santé",
        "Transports et mobilité",
        "Alimentation et circuits courts",
        "Emploi et insertion",
        "Culture et loisirs",
        "Sport",
        "Éducation et formation",
        "Environnement et réemploi",
        "Finance solidaire",
    ]


def test_every_code_of_the_table_is_a_naf_rev2_code_at_some_level():
    table = pd.read_csv(REFERENCE / "besoins_naf.csv", dtype=str)
    naf = pd.read_csv(REFERENCE / "naf_rev2.csv", dtype=str)["code"]
    divisions = set(naf.str[:2])
    groups = set(naf.str[:4])
    classes = set(naf.str[:5])
    subclasses = set(naf)
    for code in table["naf"]:
        level = {2: divisions, 4: groups, 5: classes, 6: subclasses}[len(code)]
        assert code in level, f"{code} is not a NAF rév. 2 code"
    assert set(table["besoin"]) == set(needs.NEEDS)
    assert table["motif"].str.strip().ne("").all()


def test_prefixes_expand_to_every_subclass_below_them():
    assert needs.naf_codes("sport") == {
        "93.11Z",
        "93.12Z",
        "93.13Z",
        "93.19Z",
        "85.51Z",
    }
    assert needs.naf_codes("finance_solidaire") == {"64.19Z", "64.92Z", "64.99Z"}
    health = needs.naf_codes("sante")
    assert {"86.10Z", "86.90F", "65.11Z", "65.12Z", "47.78A"} <= health
    assert "47.26Z" not in needs.naf_codes("alimentation_circuits_courts")  # tabac


def test_an_activity_can_answer_several_needs_or_none():
    found = needs.needs_of(
        pd.Series(["8810C", "94.99Z", None, "XX"], index=[4, 5, 6, 7])
    )
    assert found.to_dict() == {
        4: ("Personnes âgées et handicap", "Emploi et insertion"),
        5: (),
        6: (),
        7: (),
    }


def test_unknown_need_is_refused_in_french():
    with pytest.raises(UnknownNeedError, match="Besoin « garage » inconnu"):
        needs.naf_codes("garage")


def test_describe_lists_the_activities_of_a_need():
    table = needs.describe("petite_enfance")
    assert table.to_dict("list") == {
        "Code NAF": ["85.10Z", "88.91A"],
        "Activité": ["Enseignement pré-primaire", "Accueil de jeunes enfants"],
    }


def _table(tmp_path, extra_rows=(), drop=None):
    """A small valid table (one code per need) plus extra rows."""
    rows = [f"{need},88.91A,motif" for need in needs.NEEDS if need != drop]
    path = tmp_path / "besoins.csv"
    path.write_text("\n".join(["besoin,naf,motif", *rows, *extra_rows]) + "\n")
    return path


def test_a_small_valid_table_is_read(tmp_path):
    table = needs.read_mapping(_table(tmp_path, ["sport,93.1,clubs"]))
    assert len(table) == 13


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("velo,93.12Z,x", "ligne 14 : besoin « velo » inconnu"),
        ("sport,9312Z,x", "ligne 14 : code NAF « 9312Z » mal formé"),
        ("sport,99.99Z,x", "ligne 14 : le code « 99.99Z » ne désigne aucune"),
        ("sport,88.91A,doublon", "ligne 14 : répétée"),
    ],
)
def test_bad_mapping_tables_are_refused_with_the_line(tmp_path, row, message):
    with pytest.raises(NeedsTableError, match=re.escape(message)):
        needs.read_mapping(_table(tmp_path, [row]))


def test_a_need_without_codes_is_refused(tmp_path):
    with pytest.raises(NeedsTableError, match="besoin « sport » sans aucun code"):
        needs.read_mapping(_table(tmp_path, drop="sport"))


BIG_CITIES = {
    "Paris": "75056",
    "Marseille": "13055",
    "Lyon": "69123",
    "Toulouse": "31555",
    "Nice": "06088",
    "Nantes": "44109",
    "Montpellier": "34172",
    "Strasbourg": "67482",
    "Bordeaux": "33063",
    "Lille": "59350",
}


@pytest.fixture(scope="module")
def default_demo_index():
    return directory.ActorIndex.build(demo.generate_actors())


@pytest.mark.parametrize("need", list(needs.NEEDS))
def test_every_need_has_demo_results_near_the_ten_biggest_cities(
    default_demo_index, need
):
    empty = []
    for city, code in BIG_CITIES.items():
        place = directory.commune_place(code)
        if default_demo_index.near(place.lon, place.lat, 10, need=need).empty:
            empty.append(city)
    assert empty == [], f"no demo actor for {need} within 10 km of {empty}"
