import pandas as pd
import pytest

from ess_geo.analysis.filters import ActorFilters
from ess_geo.maps import mapview
from ess_geo.pages import carte
from ess_geo.pages.carte import CarteState


def written(state: CarteState) -> dict[str, str]:
    return {k: v for k, v in state.to_query().items() if v is not None}


def test_a_page_at_its_defaults_has_a_clean_url():
    assert CarteState.from_query({}) == (CarteState(), [])
    assert set(CarteState().to_query().values()) == {None}
    assert CarteState().ref is None
    assert not CarteState().filters.active


def test_the_readme_link_writes_back_the_same_parameters():
    link = (
        "niveau=epci&code=242900314&maille=departement&indicateur=emplois_1000_hab"
        "&classes=jenks&famille=cooperative,mutuelle&secteur=Q&reseau=membre"
        "&employeur=oui&taille=10-49&fond=osm&acteur=17"
    )
    params = dict(pair.split("=") for pair in link.split("&"))
    state, ignored = CarteState.from_query(params, actor_ids={17})
    assert ignored == []
    assert state.ref == "epci:242900314"
    assert written(state) == params


def test_legacy_parameters_are_read_then_removed_in_todays_order():
    state, ignored = CarteState.from_query({"dep": "29", "epci": "242900314"})
    assert (state.level, state.code, ignored) == ("epci", "242900314", [])
    assert list(state.replace(basemap="osm").to_query()) == [
        "niveau",
        "code",
        "dep",
        "epci",
        "maille",
        "indicateur",
        "classes",
        "fond",
        "acteur",
        "famille",
        "secteur",
        "reseau",
        "employeur",
        "taille",
    ]
    assert state.to_query()["dep"] is None and state.to_query()["epci"] is None


@pytest.mark.parametrize(
    ("params", "ref", "ignored"),
    [
        ({}, None, []),
        ({"niveau": "pays", "code": "BZH-BREST"}, "pays:BZH-BREST", []),
        ({"dep": "29"}, "departement:29", []),
        ({"dep": "29", "epci": "242900314"}, "epci:242900314", []),
        ({"niveau": "commune", "code": "29019", "dep": "35"}, "commune:29019", []),
        ({"dep": "<script>"}, None, ["dep=<script>"]),
        (
            {"niveau": "canton", "code": "1", "dep": "29"},
            "departement:29",
            ["niveau=canton&code=1"],
        ),
    ],
)
def test_selection_from_query(params, ref, ignored):
    state, dropped = CarteState.from_query(params)
    assert state.ref == ref
    assert dropped == ignored


def test_filters_round_trip():
    chosen = ActorFilters(
        familles=("association", "cooperative"),
        secteurs=("P", "Q"),
        reseau="2",
        employeur="oui",
        tailles=("1-9", "250-plus"),
    )
    state = CarteState(
        familles=chosen.familles,
        secteurs=chosen.secteurs,
        reseau=chosen.reseau,
        employeur=chosen.employeur,
        tailles=chosen.tailles,
    )
    params = written(state)
    assert params == {
        "famille": "association,cooperative",
        "secteur": "P,Q",
        "reseau": "2",
        "employeur": "oui",
        "taille": "1-9,250-plus",
    }
    assert CarteState.from_query(params, network_ids=["1", "2"]) == (state, [])
    assert state.filters == chosen


@pytest.mark.parametrize(
    ("params", "expected", "ignored"),
    [
        ({"famille": "<script>"}, ActorFilters(), ["famille=<script>"]),
        (
            {"famille": "fondation,association,fondation"},
            ActorFilters(familles=("association", "fondation")),
            [],
        ),
        (
            {"famille": ["mutuelle", "cooperative"]},
            ActorFilters(familles=("cooperative", "mutuelle")),
            [],
        ),
        ({"secteur": "q,zz"}, ActorFilters(secteurs=("Q",)), ["secteur=ZZ"]),
        ({"reseau": "99"}, ActorFilters(), ["reseau=99"]),
        ({"employeur": "peut-etre"}, ActorFilters(), ["employeur=peut-etre"]),
        ({"taille": "1-9, 5000"}, ActorFilters(tailles=("1-9",)), ["taille=5000"]),
    ],
)
def test_bad_filter_values_are_dropped_and_reported(params, expected, ignored):
    state, dropped = CarteState.from_query(params, network_ids=["1"])
    assert (state.filters, dropped) == (expected, ignored)


def test_bad_values_are_reported_filters_first_then_actor_place_and_display():
    params = {
        "fond": "google",
        "maille": "canton",
        "acteur": "²",
        "dep": "<script>",
        "famille": "xyz",
        "classes": "jenks",
    }
    state, ignored = CarteState.from_query(params, actor_ids={1, 2})
    assert ignored == [
        "famille=xyz",
        "acteur=²",
        "dep=<script>",
        "maille=canton",
        "fond=google",
    ]
    assert state == CarteState(method="jenks")
    assert CarteState.from_query({"acteur": "2"}, actor_ids={1, 2})[0].actor == "2"
    assert CarteState.from_query({"acteur": "3"}, actor_ids={1, 2})[1] == ["acteur=3"]


def test_ignored_warning_is_escaped_markdown():
    assert carte.ignored_warning([]) is None
    assert carte.ignored_warning(["famille=xyz", "dep=<b>"]) == (
        "Paramètres du lien ignorés (valeur inconnue) : famille\\=xyz, dep\\=\\<b\\>. "
        "La carte s'ouvre sans eux."
    )


def test_count_line_says_what_is_shown_and_how(few_actors):
    scene = mapview.build_scene(few_actors)
    assert carte.count_line(scene, 5, ActorFilters()) == (
        "**5** acteurs affichés sur **5** — France"
    )
    brest = mapview.territory("epci", "242900314")
    scene = mapview.build_scene(few_actors, selection=brest)
    assert carte.count_line(scene, 5, ActorFilters()) == (
        "**3** acteurs affichés sur **5** — Brest Métropole"
    )
    crowded = mapview.build_scene(few_actors, marker_limit=2)
    chosen = ActorFilters(familles=("association",), reseau="1")
    assert carte.count_line(crowded, 3000, chosen, {"1": "ADESS [Brest]"}) == (
        "**5** acteurs affichés sur **3\u202f000** — France · filtres : famille \\: "
        "Association ; réseau \\: ADESS \\[Brest\\] · plus de 5\u202f000 acteurs : "
        "regroupés par département (choisissez un territoire pour les voir un à un)"
    )


def test_territory_panel_texts(few_actors):
    brest = mapview.territory("epci", "242900314")
    scene = mapview.build_scene(few_actors, selection=brest)
    figures = mapview.key_figures(scene.totals, brest, "structures")
    assert carte.territory_link(brest) == {"niveau": "epci", "code": "242900314"}
    assert carte.key_figures_table(figures) == (
        "| Chiffres clés | |\n|---|--:|\n"
        "| Population | 209\u202f722 |\n"
        "| Structures de l'ESS | 3 |\n"
        "| Employeurs | 2 |\n"
        "| Emplois (environ) | 15 |\n"
        "| Structures pour 10 000 hab. | 0,1 |\n"
        "| Emplois pour 1 000 hab. | 0,1 |\n"
        "| Indice de spécificité | 96,12 |"
    )
    assert carte.territory_rank(figures, brest, "Nombre") == (
        "Rang : **1** sur 1\u202f248 EPCI pour « Nombre » (classés : ceux dont la "
        "population est connue)."
    )
    nobody = mapview.key_figures(scene.totals, mapview.territory("epci", "200000172"))
    assert carte.territory_rank(nobody, brest, "X") == (
        "Rang : **4** sur 1\u202f248 EPCI (ex æquo avec 1\u202f244 autres) pour « X » "
        "(classés : ceux dont la population est connue)."
    )
    assert carte.territory_rank({**figures, "rang": None}, brest, "X") is None
    assert carte.families_line(figures) == (
        "Par famille : Association 2, Coopérative 1, Mutuelle 0, Fondation 0, "
        "Société commerciale de l'ESS 0."
    )


def test_network_lines():
    present = pd.DataFrame(
        {
            "nom": ["ADESS *Brest*"],
            "type": ["pôle territorial"],
            "statut": ["Actif"],
            "part": [0.375],
        }
    )
    assert carte.network_lines(present) == (
        "- ADESS \\*Brest\\* (pôle territorial, actif) — 38 % des communes"
    )


def test_france_panel_texts(few_actors):
    scene = mapview.build_scene(
        few_actors, maille="departement", indicator="structures"
    )
    assert carte.france_summary(scene.totals) == (
        "**5** structures de l'ESS, **50** emplois (estimés)."
    )
    assert carte.leaders(scene, 2) == (
        "**En tête (départements)** — Structures de l'ESS :",
        [
            ("Finistère (4)", "departement:29"),
            ("Ille-et-Vilaine (1)", "departement:35"),
        ],
    )
    assert carte.table_tabs(scene) == ["Territoires (départements)", "Acteurs (5)"]


def test_child_options_start_with_a_blank_choice():
    level, rows = mapview.children(mapview.territory("epci", "242900314"))
    options = carte.child_options(level, rows)
    assert list(options.items())[:3] == [
        ("", "—"),
        ("commune:29011", "Bohars"),
        ("commune:29019", "Brest"),
    ]
    assert len(options) == 9


def test_search_results_best_first_none_when_blank():
    assert carte.search_results("quimper")[:2] == [
        ("commune:29232", "Quimper — commune, Finistère (29)"),
        (
            "epci:200068120",
            "Communauté d'agglomération Quimper Bretagne Occidentale — EPCI, Finistère",
        ),
    ]
    assert carte.search_results("  ") is None
    assert carte.search_results("Zzyzx") == []
    assert carte.no_match_warning("*x*") == (
        "Aucun territoire ne correspond à « \\*x\\* ». Essayez un nom de commune, "
        "d'EPCI, de pays ou de PNR, un code INSEE, un SIREN d'EPCI ou un code postal."
    )


def test_the_scene_depends_on_filters_and_display_not_on_place_card_or_basemap():
    state = CarteState(
        level="epci",
        code="242900314",
        maille="pays",
        method="jenks",
        basemap="osm",
        actor="17",
        familles=("mutuelle",),
    )
    assert state.drawn == CarteState(
        maille="pays", method="jenks", familles=("mutuelle",)
    )
