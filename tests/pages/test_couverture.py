from urllib.parse import parse_qsl

import pandas as pd
import pytest

from ess_geo.analysis import budget, coverage
from ess_geo.analysis.budget import BudgetAssumptions
from ess_geo.errors import BudgetError
from ess_geo.maps import coverage_map
from ess_geo.pages import couverture
from ess_geo.pages.couverture import CouvertureState


def written(state: CouvertureState) -> dict[str, str]:
    return {k: v for k, v in state.to_query().items() if v is not None}


@pytest.mark.parametrize(
    "url",
    [
        "niveau=pays&horizon=3&cotis=0",
        "niveau=pnr&region=53&seuil=60&approx=1&compter=actifs&taille=50"
        "&poids=potentiel:0,voisins:3",
        "sel=200067197,200070662&mob=25000&duree=1&anim=60000&cotis=20&rythme=2",
        "sel=aucun",
        "ouvert=prospects",
        "ouvert=prospects,budget",
        "horizon=3&ouvert=aucun",
        "sel=aucun&ouvert=prospects",
    ],
)
def test_shared_links_read_and_write_back_the_same_parameters(url):
    state, ignored = CouvertureState.from_query(dict(parse_qsl(url)))
    assert ignored == []
    assert written(state) == dict(parse_qsl(url))


@pytest.mark.parametrize(
    ("url", "blocks"),
    [
        ("", ()),
        ("ouvert=budget", ("budget",)),
        ("ouvert=budget,prospects", ("prospects", "budget")),
        ("sel=200067197", ("budget",)),
        ("cotis=20", ("budget",)),
        ("cotis=20&ouvert=prospects", ("prospects",)),
        ("cotis=20&ouvert=aucun", ()),
    ],
)
def test_a_link_opens_the_blocks_it_names_or_that_its_parameters_belong_to(url, blocks):
    state, ignored = CouvertureState.from_query(dict(parse_qsl(url)))
    assert ignored == []
    assert state.blocks == blocks


def test_unknown_blocks_are_ignored_and_the_known_kept():
    state, ignored = CouvertureState.from_query(
        {"ouvert": "carte,budget", "horizon": "3"}
    )
    assert state.blocks == ("budget",)
    assert ignored == ["ouvert=carte"]
    assert "ouvert" not in written(state)  # the budget's parameters open it
    state, ignored = CouvertureState.from_query({"ouvert": "<b>", "horizon": "3"})
    assert (state.blocks, ignored) == (("budget",), ["ouvert=<b>"])


def test_a_closed_budget_is_written_only_when_its_parameters_would_open_it():
    assert written(CouvertureState(blocks=("budget",))) == {"ouvert": "budget"}
    opened = CouvertureState(selection=("200067197",), blocks=("budget",))
    assert written(opened) == {"sel": "200067197"}
    closed = opened.replace(blocks=())
    assert written(closed) == {"sel": "200067197", "ouvert": "aucun"}


def test_defaults_write_nothing():
    assert written(CouvertureState()) == {}
    assert list(CouvertureState().to_query()) == [
        "niveau",
        "region",
        "seuil",
        "approx",
        "projets",
        "compter",
        "taille",
        "poids",
        "sel",
        "mob",
        "duree",
        "anim",
        "cotis",
        "horizon",
        "rythme",
        "etude",
        "cetude",
        "appui",
        "fin_reg",
        "fin_dep",
        "fin_epci",
        "fin_etat",
        "fin_autre",
        "ouvert",
    ]


def test_an_older_link_counting_projects_means_counting_all():
    state, ignored = CouvertureState.from_query({"projets": "1"})
    assert (state.counting, ignored) == ("tous", [])
    assert written(state) == {"compter": "tous"}


@pytest.mark.parametrize(("url", "bad"), [("compter=presque", 1), ("taille=-3", 1)])
def test_bad_counting_or_size_values_are_told(url, bad):
    state, ignored = CouvertureState.from_query(dict(parse_qsl(url)))
    assert state == CouvertureState()
    assert ignored == [url]


def test_the_page_says_what_networks_and_inventories_it_rests_on():
    networks = pd.DataFrame({"region": ["Bretagne", "Bretagne", "Normandie", None]})
    inventories = pd.DataFrame(
        {
            "nom": ["Bretagne", "Normandie"],
            "complet": [True, False],
            "niveau": ["pays", None],
        },
        index=["53", "28"],
    )
    text = couverture.inventory_notice(networks, inventories)
    assert text.startswith(
        "L'espace de travail connaît **4 réseaux** territoriaux de l'ESS, "
        "dans 2 régions."
    )
    assert "environ quarante réseaux territoriaux de l'ESS dans huit régions" in text
    assert "déclaré complet que pour : Bretagne (au niveau des pays)." in text
    nothing = couverture.inventory_notice(networks, inventories.assign(complet=False))
    assert "Aucune région n'a déclaré son inventaire des réseaux complet." in nothing


def test_the_score_is_explained_component_by_component():
    text = couverture.score_explained()
    for component in coverage.COMPONENTS.values():
        assert f"**{component.label}** : {component.measure}" in text
    assert "Aucune ne mesure la taille" in text


def test_budget_defaults_are_the_source_documents():
    state = CouvertureState()
    assert state.budget == BudgetAssumptions()
    assert state.form_values() == {
        "mobilisation_cost": 30_000,
        "mobilisation_years": 2,
        "animation_cost": 55_000,
        "member_share": 10,
        "horizon_years": 5,
        "launches_per_year": 0,
        "feasibility_study": 0,
        "feasibility_cost": 25_000,
        "support_cost": 65_000,
        "share_region": 53,
        "share_departement": 17,
        "share_epci": 30,
        "share_etat": 0,
        "share_autre": 0,
    }


def test_funder_shares_from_the_url_must_make_100_percent():
    state, ignored = CouvertureState.from_query({"fin_reg": "43", "etude": "1"})
    assert state.budget == BudgetAssumptions(feasibility_study=True)
    assert ignored == ["fin_reg=43"]
    state, ignored = CouvertureState.from_query({"fin_reg": "43", "fin_etat": "10"})
    assert state.budget.share_etat == 0.1
    assert ignored == []
    assert written(state) == {"fin_reg": "43", "fin_etat": "10"}


def test_budget_form_with_shares_off_100_keeps_the_default_split():
    form = CouvertureState().form_values() | {"share_epci": 20}
    assumptions, problem = couverture.budget_from_form(form)
    assert assumptions == BudgetAssumptions()
    assert problem.startswith("La répartition du financement public")
    assert problem.endswith(
        "fait 90 % : attendu 100 % (Région, Département, EPCI, "
        "État et autres). La répartition par défaut est utilisée."
    )


def test_budget_parameters_come_from_the_url_in_the_forms_units():
    state, _ = CouvertureState.from_query({"cotis": "25", "horizon": "6", "mob": "1e4"})
    assert state.budget == BudgetAssumptions(
        mobilisation_cost=10_000, member_share=0.25, horizon_years=6
    )
    assert written(state) == {"mob": "10000", "cotis": "25", "horizon": "6"}


def test_bad_url_values_fall_back_to_defaults_and_are_told():
    state, ignored = CouvertureState.from_query(
        {
            "niveau": "<script>",
            "seuil": "250",
            "approx": "oui",
            "poids": "voisins:-4",
            "horizon": "beaucoup",
            "duree": "11",
        }
    )
    assert state == CouvertureState()
    assert ignored == [
        "niveau=<script>",
        "seuil=250",
        "approx=oui",
        "poids=voisins:-4",
        "duree=11",
        "horizon=beaucoup",
    ]


@pytest.mark.parametrize("text", ["voisins:7", "voisins", "x:1"])
def test_weights_that_make_no_score_or_leave_the_sliders_are_ignored(text):
    state, ignored = CouvertureState.from_query({"poids": text})
    assert state.weights == coverage.DEFAULT_WEIGHTS
    assert ignored == [f"poids={text}"]


def test_all_weights_at_zero_are_ignored():
    text = ",".join(f"{key}:0" for key in coverage.COMPONENTS)
    state, ignored = CouvertureState.from_query({"poids": text})
    assert state.weights == coverage.DEFAULT_WEIGHTS
    assert ignored == [f"poids={text}"]


def test_threshold_keeps_whole_percents():
    state, ignored = CouvertureState.from_query({"seuil": "72,5"})
    assert (state.threshold, ignored) == (72, [])


def test_selection_defaults_to_the_five_best_and_follows_the_ranking():
    ranked = [f"c{i}" for i in range(8)]
    assert CouvertureState().selected(ranked) == ranked[:5]
    state = CouvertureState(selection=("c7", "gone", "c2"))
    assert state.selected(ranked) == ["c2", "c7"]
    assert CouvertureState(selection=()).selected(ranked) == []
    assert CouvertureState().with_selection(ranked[:5], ranked).selection is None
    assert CouvertureState().with_selection([], ranked).to_query()["sel"] == "aucun"
    assert CouvertureState().with_selection(["c3"], ranked).to_query()["sel"] == "c3"


def test_budget_form():
    assert couverture.budget_label("member_share") == (
        "Part de l'animation financée par les cotisations (%)"
    )
    assert (
        couverture.budget_label("horizon_years")
        == (budget.BUDGET_LABELS["horizon_years"])
    )
    assert couverture.budget_assumptions(
        {"member_share": 0, "horizon_years": 6}
    ) == BudgetAssumptions(member_share=0.0, horizon_years=6)
    with pytest.raises(BudgetError):
        couverture.budget_assumptions({"horizon_years": 0})


def test_summary_metrics_and_caption():
    figures = {
        "couverte": 67,
        "partielle": 0,
        "non_couverte": 1186,
        "inconnue": 0,
        "population": 1000.0,
        "part_population_couverte": 0.1234,
    }
    assert couverture.summary_metrics(figures) == [
        ("Couverts", "67"),
        ("Partiellement couverts", "0"),
        ("Non couverts", "1\u202f186"),
        ("Population couverte", "12 %"),
    ]
    assert couverture.summary_metrics({**figures, "population": 0})[3] == (
        "Population couverte",
        "—",
    )
    assert couverture.summary_caption("epci", "53", 60, figures) == (
        "EPCI — Bretagne : 60 territoires."
    )


def test_map_view_frames_the_region_the_level_or_france():
    assert couverture.map_view("epci", "", ["242900314"]) == (
        "couverture:epci:",
        None,
    )
    token, box = couverture.map_view("epci", "53", ["242900314"])
    assert token == "couverture:epci:53"
    assert box == coverage_map.coverage_bounds("region", ["53"])
    assert -5.2 < box[0] < -4.5 and 48.5 < box[3] < 49  # Bretagne
    token, box = couverture.map_view("pays", "", ["200048643", "999"])
    assert token == "couverture:pays:"
    assert box == coverage_map.coverage_bounds("pays", ["200048643"])


def test_texts():
    assert couverture.region_options()[:3] == ["", "84", "27"]
    assert couverture.prospects_intro(12).startswith("12 territoires partiellement")
    component = coverage.COMPONENTS["voisins"]
    assert couverture.component_help(component) == (
        f"{component.measure} ; {component.normalised}"
    )
    assert couverture.weight_help(component).startswith("Part moyenne de population")


def test_budget_metrics_and_chart_frame():
    years = budget.simulate_budget(["A", "B"], BudgetAssumptions(support_cost=0))
    totals = budget.budget_summary(years)
    assert couverture.budget_metrics(totals, 5) == [
        ("Coût total sur 5 ans", "450\u202f000 €"),
        ("Financement public sur 5 ans", "417\u202f000 €"),
        ("Financement public moyen par an", "83\u202f400 €"),
    ]
    frame = couverture.budget_chart_frame(years)
    assert frame.columns.tolist() == [
        "Cotisations des membres",
        "Département",
        "EPCI (agglomérations, communautés)",
        "Région",
    ]
    assert couverture.budget_chart_colours(frame) == [
        "#e6550d",
        "#08306b",
        "#2171b5",
        "#6baed6",
    ]
    assert frame["Région"].tolist() == [31_800, 31_800, 52_470, 52_470, 52_470]
    assert frame.index.tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_series_equal(
        frame["Cotisations des membres"],
        pd.Series([0.0, 0.0, 11_000.0, 11_000.0, 11_000.0], index=frame.index),
        check_names=False,
    )


def test_the_page_says_how_many_gaps_are_real():
    table = pd.DataFrame(
        {
            "couverture": ["non_couverte", "partielle", "non_couverte", "couverte"],
            "inventaire": ["complet", "complet", "incomplet", "complet"],
        }
    )
    assert couverture.gap_split(table) == (
        "Sur 3 territoires non ou partiellement couverts, 2 sont dans une région "
        "à l'inventaire complet (des lacunes avérées) ; 1 dans une région à "
        "l'inventaire incomplet, où l'absence de réseau connu ne prouve rien."
    )
    assert couverture.gap_split(table.iloc[3:]) is None
