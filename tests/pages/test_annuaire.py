import pytest

from ess_geo.analysis.directory import Place, paginate
from ess_geo.pages import annuaire
from ess_geo.pages.annuaire import AnnuaireState

COMMUNES = {"29019", "69123"}
BREST = Place("29019", "Brest", "Brest – Finistère (29)", -4.48, 48.39)


def written(state: AnnuaireState) -> dict[str, str]:
    return {k: v for k, v in state.to_query().items() if v is not None}


def test_a_page_at_its_defaults_has_a_clean_url():
    assert AnnuaireState.from_query({}, COMMUNES) == (AnnuaireState(), [])
    assert set(AnnuaireState().to_query().values()) == {None}


def test_the_readme_link_writes_back_the_same_parameters():
    params = {"commune": "29019", "besoin": "sante", "rayon": "20"}
    state, ignored = AnnuaireState.from_query(params, COMMUNES)
    assert ignored == []
    assert state == AnnuaireState(commune="29019", need="sante", radius=20)
    assert written(state) == params


def test_the_radius_goes_with_the_commune_and_the_page_only_past_the_first():
    assert written(AnnuaireState(commune="29019")) == {
        "commune": "29019",
        "rayon": "10",
    }
    assert written(AnnuaireState(commune="29019", page=2, basemap="osm")) == {
        "commune": "29019",
        "rayon": "10",
        "page": "2",
        "fond": "osm",
    }
    without = AnnuaireState(need="sante", radius=50, page=3)
    assert written(without) == {"besoin": "sante"}
    assert list(without.to_query()) == ["commune", "besoin", "rayon", "page", "fond"]


@pytest.mark.parametrize(
    ("params", "expected", "ignored"),
    [
        ({"commune": "<script>"}, AnnuaireState(), ["commune=<script>"]),
        ({"besoin": "jardinage"}, AnnuaireState(), ["besoin=jardinage"]),
        ({"rayon": "7"}, AnnuaireState(), ["rayon=7"]),
        ({"rayon": "50"}, AnnuaireState(radius=50), []),
        ({"page": "abc"}, AnnuaireState(), ["page=abc"]),
        ({"page": "²"}, AnnuaireState(), ["page=²"]),
        ({"page": "0"}, AnnuaireState(), ["page=0"]),
        ({"page": "99"}, AnnuaireState(page=99), []),
        ({"fond": "google"}, AnnuaireState(), ["fond=google"]),
    ],
)
def test_bad_link_values_fall_back_to_defaults(params, expected, ignored):
    assert AnnuaireState.from_query(params, COMMUNES) == (expected, ignored)


def test_link_warnings_put_the_unknown_commune_first_and_escape_values():
    assert annuaire.link_warnings([]) == []
    assert annuaire.link_warnings(["besoin=x*", "commune=[a](b)", "page=²"]) == [
        "Le lien indique une commune inconnue (« \\[a\\]\\(b\\) ») : cherchez votre "
        "commune ci-dessous.",
        "Paramètres de l\\'adresse ignorés \\(valeur inconnue ou hors limites\\) "
        "\\: besoin\\=x\\*, page\\=²\\.",
    ]


def test_need_activities_lists_the_naf_codes():
    assert annuaire.need_activities("petite_enfance") == (
        "- Enseignement pré-primaire (85.10Z)\n- Accueil de jeunes enfants (88.91A)"
    )


def test_result_texts():
    assert annuaire.results_heading(0, 5) == "0 acteur de l'ESS à moins de 5 km"
    assert annuaire.results_heading(2_500, 50) == (
        "2\u202f500 acteurs de l'ESS à moins de 50 km"
    )
    assert annuaire.results_summary(BREST, "sante") == (
        "Autour de **Brest – Finistère (29)** (« Santé »), du plus proche au plus "
        "lointain ; distances à vol d'oiseau depuis le centre de Brest."
    )
    located = Place("29019", "Brest", "Brest – Finistère (29)", -4.5, 48.4, True)
    assert annuaire.results_summary(located, "") == (
        "Autour de **Brest – Finistère (29)** (tous besoins), du plus proche au "
        "plus lointain ; distances à vol d'oiseau depuis votre position."
    )
    assert annuaire.centre_label(BREST) == "Centre de Brest"
    assert annuaire.centre_label(located) == "Votre position"
    assert annuaire.page_line(paginate(45, 2)) == "Page 2 sur 3 (acteurs 21 à 40)"


def test_no_result_message_suggests_a_wider_radius():
    assert annuaire.no_result_message(5, (20, 3)) == (
        "Aucun acteur à moins de 5 km, mais 3 à moins de 20 km."
    )
    assert annuaire.no_result_message(5, None) == (
        "Aucun acteur ne répond à ce besoin dans un rayon de 50 km. Essayez un "
        "autre besoin, ou contactez le réseau de votre territoire ci-dessous."
    )
