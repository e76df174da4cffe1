from urllib.parse import parse_qsl

import pandas as pd
import pytest

from ess_geo.pages import territoires
from ess_geo.pages.territoires import TerritoiresState
from ess_geo.pages.urlstate import option_index

README_URL = "niveau=epci&code=242900314&region=53&tri=structures"


def written(state: TerritoiresState) -> dict[str, str]:
    return {k: v for k, v in state.to_query().items() if v is not None}


def test_readme_url_reads_and_writes_back_the_same_parameters():
    state, ignored = TerritoiresState.from_query(dict(parse_qsl(README_URL)))
    assert ignored == []
    assert state == TerritoiresState(
        level="epci", code="242900314", region="53", dep="", by="structures"
    )
    assert written(state) == dict(parse_qsl(README_URL))


def test_carte_link_opens_a_territory():
    state, ignored = TerritoiresState.from_query(
        {"niveau": "epci", "code": "242900314"}
    )
    assert (state.level, state.code, ignored) == ("epci", "242900314", [])


def test_defaults_keep_the_level_in_the_url_and_nothing_else():
    assert TerritoiresState().to_query() == {
        "niveau": "epci",
        "code": None,
        "region": None,
        "dep": None,
        "tri": None,
    }


def test_bad_values_are_ignored_and_told():
    state, ignored = TerritoiresState.from_query(
        {"niveau": "canton", "code": "<script>", "tri": "nom", "dep": "2C"}
    )
    assert state == TerritoiresState()
    assert ignored == ["niveau=canton", "code=<script>", "dep=2C", "tri=nom"]


def test_a_code_must_be_a_territory_of_its_level():
    state, ignored = TerritoiresState.from_query({"niveau": "region", "code": "29"})
    assert (state.level, state.code, ignored) == ("region", "", ["code=29"])


def test_a_commune_fills_its_departement_and_region():
    state, _ = TerritoiresState.from_query({"niveau": "commune", "code": "35238"})
    assert state.filters_at("commune") == ("53", "35")
    # Another level chosen in the sidebar: the commune fills nothing.
    assert state.filters_at("epci") == ("", "")


def test_a_departement_fills_its_region_but_not_over_the_url():
    assert TerritoiresState(dep="29").filters_at("epci") == ("53", "29")
    assert TerritoiresState(region="11", dep="29").filters_at("epci") == ("11", "29")


def test_part_emploi_ranks_only_with_an_employment_table():
    assert "part_emploi" not in territoires.rankable(employment=False)
    assert territoires.rankable(employment=True)[3] == "part_emploi"
    state = TerritoiresState(by="part_emploi")
    assert state.ranking_by(employment=True) == "part_emploi"
    assert state.ranking_by(employment=False) == "emplois_1000_hab"


def test_option_index():
    assert option_index(["", "29", "35"], "35") == 2
    assert option_index(["", "29"], "56") == 0


def test_territory_names_follow_the_filters():
    assert territoires.territory_names("commune", "", "").empty
    epci = territoires.territory_names("epci", "53", "29")
    assert "242900314" in epci.index
    assert epci["242900314"] == "Brest Métropole"
    assert territoires.departement_names("53").to_dict() == {
        "22": "Côtes-d'Armor",
        "29": "Finistère",
        "35": "Ille-et-Vilaine",
        "56": "Morbihan",
    }


def test_ranking_title_and_export_stem():
    assert territoires.ranking_title("epci", "53", "") == (
        "Classement des EPCI de la région Bretagne"
    )
    assert territoires.export_stem("epci", "53", "") == "classement-ess-epci-53"


def test_rank_line_and_sentence():
    assert territoires.rank_line([]) is None
    assert territoires.rank_line(["1er sur 4", "2e sur 60"]) == (
        "**Rang** (emplois de l'ESS pour 1 000 habitants) : 1er sur 4 ; 2e sur 60."
    )
    ranked = pd.DataFrame(
        {"code": ["a", "b", "c", "d"], "rang": pd.array([1, 2, 3, None], "Int64")}
    )
    # The unranked territory (no population) is not counted.
    assert territoires.rank_sentence("Brest", ranked, "b") == (
        "**Brest** : 2e sur 3 dans ce classement (classés : ceux dont la "
        "population est connue)."
    )
    assert territoires.rank_sentence("Mamoudzou", ranked, "d") is None
    assert territoires.rank_sentence("Brest", ranked, "z") is None
    assert territoires.rank_sentence("", ranked, "") is None


@pytest.mark.parametrize(
    ("source", "end"),
    [
        (None, " n'est chargé (barre latérale)."),
        ("emploi.csv", " Emploi total : emploi.csv."),
    ],
)
def test_ranking_caption(source, end):
    caption = territoires.ranking_caption(1253, "epci", source)
    assert caption.startswith("1\u202f253 EPCI. Cliquez sur un en-tête de colonne")
    assert caption.endswith(end)


def test_carte_params():
    assert territoires.carte_params("commune", "29019", "29") == {"dep": "29"}
    assert territoires.carte_params("epci", "242900314", float("nan")) == {
        "epci": "242900314"
    }
