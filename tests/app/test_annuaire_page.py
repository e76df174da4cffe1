"""The Annuaire page through Streamlit's AppTest (no browser)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import paths
from ess_geo.analysis import directory
from ess_geo.workspace import seeding, store

APP = str(paths.ROOT / "app.py")
PAGE = "views/annuaire.py"


@pytest.fixture
def workspace(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=3_000, seed=11)
    actors = store.read_actors(conn)
    conn.close()
    return directory.ActorIndex.build(actors)


def annuaire(**params) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.switch_page(PAGE)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def cards_html(app) -> str:
    return "".join(h.proto.body for h in app.get("html"))


def page_buttons(app) -> list:
    """The page's buttons, without the proposal forms' « Envoyer »."""
    return [b for b in app.button if b.label != "Envoyer la proposition"]


def ranks(app) -> list[int]:
    return [int(n) for n in re.findall(r"<h3>(\d+)\. ", cards_html(app))]


def expected_count(index, code, radius, need=None):
    place = directory.commune_place(code)
    return len(index.near(place.lon, place.lat, radius, need=need))


def test_empty_page_asks_for_a_commune_and_offers_every_control(workspace):
    app = annuaire()
    assert not app.exception
    assert app.title[0].value == "Annuaire de l'ESS près de chez vous"
    assert app.text_input[0].label == "Commune ou code postal"
    assert app.selectbox[0].label == "Besoin"
    assert app.selectbox[0].value == ""
    assert [r.label for r in app.radio] == ["Distance maximale"]
    assert app.radio[0].value == 10
    assert "Indiquez votre commune" in app.info[-1].value
    assert not app.header


def test_shared_link_restores_commune_need_and_radius(workspace):
    app = annuaire(commune="69123", besoin="sante", rayon="20")
    assert not app.exception
    assert app.text_input[0].value == "Lyon"
    assert app.selectbox[0].value == "sante"
    assert app.radio[0].value == 20
    count = expected_count(workspace, "69123", 20, "sante")
    assert count > 0
    plural = "s" if count > 1 else ""
    assert app.header[0].value == f"{count} acteur{plural} de l'ESS à moins de 20 km"
    assert ranks(app) == list(range(1, min(count, 20) + 1))
    assert dict(app.query_params) == {
        "commune": "69123",
        "besoin": "sante",
        "rayon": "20",
    }


def summary(app) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("Autour de"))


def test_typing_a_name_offers_the_homonyms_and_the_choice_goes_to_the_url(workspace):
    app = annuaire()
    app.text_input[0].input("sainte marie").run()
    assert not app.exception
    choice = app.radio[0]
    assert choice.label == "Précisez votre commune"
    assert choice.options[:3] == [
        "Sainte-Marie – La Réunion (974)",
        "Sainte-Marie – Martinique (972)",
        "Sainte-Marie – Ille-et-Vilaine (35)",
    ]
    assert app.query_params["commune"] == "97418"
    choice.set_value("35294").run()
    assert app.query_params["commune"] == "35294"
    assert "Sainte-Marie – Ille-et-Vilaine (35)" in summary(app)
    assert any("50 communes correspondent" in m.value for m in app.markdown)


def test_postal_code_finds_the_commune(workspace):
    app = annuaire()
    app.text_input[0].input("29200").run()
    assert not app.exception
    assert app.query_params["commune"] == "29019"
    assert "Commune : **Brest – Finistère (29)**" in [m.value for m in app.markdown]


def test_unknown_commune_name_says_so(workspace):
    app = annuaire()
    app.text_input[0].input("Zzyzx sur Mer").run()
    assert not app.exception
    assert "Aucune commune ne correspond à « Zzyzx sur Mer »" in app.warning[0].value
    assert "commune" not in app.query_params


def test_what_people_type_is_shown_literally_not_as_markdown(workspace):
    app = annuaire(commune="[gagnez](http://evil.example)")
    assert "\\[gagnez\\]\\(http\\://evil\\.example\\)" in app.warning[0].value
    app.text_input[0].input("**x** :red[y]").run()
    assert "\\*\\*x\\*\\* \\:red\\[y\\]" in app.warning[-1].value


def test_bad_link_values_fall_back_to_defaults(workspace):
    app = annuaire(commune="<script>", besoin="jardinage", rayon="7", page="abc")
    assert not app.exception
    assert "commune inconnue (« \\<script\\> »)" in app.warning[0].value
    assert app.text_input[0].value == ""
    assert app.selectbox[0].value == ""
    assert app.radio[0].value == 10


def test_changing_need_and_radius_updates_results_and_url(workspace):
    app = annuaire(commune="29019")
    app.selectbox[0].select("petite_enfance").run()
    app.radio[0].set_value(50).run()
    assert not app.exception
    assert app.query_params["besoin"] == "petite_enfance"
    assert app.query_params["rayon"] == "50"
    count = expected_count(workspace, "29019", 50, "petite_enfance")
    assert app.header[0].value.startswith(f"{count} acteur")
    assert "« Petite enfance »" in summary(app)


def test_pages_turn_and_the_page_goes_to_the_url(workspace):
    app = annuaire(commune="75056", rayon="50")
    total = expected_count(workspace, "75056", 50)
    pages = -(-total // directory.PAGE_SIZE)
    assert pages >= 3
    assert ranks(app) == list(range(1, 21))
    assert any(f"Page 1 sur {pages} " in m.value for m in app.markdown)
    previous, following = page_buttons(app)
    assert previous.disabled and not following.disabled
    following.click().run()
    assert ranks(app) == list(range(21, 41))
    assert app.query_params["page"] == "2"
    page_buttons(app)[0].click().run()
    assert ranks(app) == list(range(1, 21))
    assert "page" not in app.query_params


def test_a_new_search_starts_again_at_page_one(workspace):
    app = annuaire(commune="75056", rayon="50", page="2")
    assert ranks(app)[0] == 21
    app.radio[0].set_value(20).run()
    assert ranks(app)[0] == 1
    assert "page" not in app.query_params


def test_a_page_beyond_the_last_shows_the_last(workspace):
    app = annuaire(commune="29019", page="99")
    assert not app.exception
    assert ranks(app)[0] == 1  # Brest has fewer than 20 actors within 10 km here
    assert "page" not in app.query_params


def test_no_result_suggests_the_first_radius_that_finds_someone(workspace):
    place = directory.commune_place("67482")
    assert workspace.near(place.lon, place.lat, 5, need="sante").empty
    radius, count = directory.wider_radius(workspace, place, 5, need="sante")
    app = annuaire(commune="67482", besoin="sante", rayon="5")
    assert not app.exception
    assert app.header[0].value == "0 acteur de l'ESS à moins de 5 km"
    assert app.info[-1].value == (
        f"Aucun acteur à moins de 5 km, mais {count} à moins de {radius} km."
    )
    page_buttons(app)[0].click().run()
    assert app.radio[0].value == radius
    assert app.query_params["rayon"] == str(radius)
    assert app.header[0].value.startswith(f"{count} acteur")


def test_no_result_even_at_50_km_says_so(workspace):
    place = directory.commune_place("29019")
    assert directory.wider_radius(workspace, place, 5, need="logement") is None
    app = annuaire(commune="29019", besoin="logement", rayon="5")
    assert "dans un rayon de 50 km" in app.info[-1].value
    assert not page_buttons(app)


def test_the_network_covering_the_commune_is_shown_with_its_source(workspace):
    app = annuaire(commune="29019")
    html = cards_html(app)
    assert "<h3>ADESS Pays de Brest</h3>" in html
    assert "<dt>Périmètre</dt><dd>pays Pays de Brest</dd>" in html
    assert "<dt>Contact</dt><dd>non renseigné</dd>" in html
    assert "radioevasion.net" in html
    assert "<h3>CRESS Bretagne</h3>" in html
    assert [h.value for h in app.header][1] == "Le réseau ESS de mon territoire"


def test_where_no_network_covers_the_nearest_one_and_the_cress(workspace):
    app = annuaire(commune="75056")
    html = cards_html(app)
    assert "Aucun réseau territorial de l'ESS recensé ne couvre Paris" in html
    assert "<dt>Distance</dt><dd>" in html and "commune la plus proche" in html
    assert "<h3>CRESS Île-de-France</h3>" in html


def test_a_region_whose_cress_is_closed_points_to_ess_france(workspace):
    app = annuaire(commune="76540")  # Rouen
    html = cards_html(app)
    assert "En liquidation judiciaire" in html
    assert "<strong>ESS France</strong>" in html


def test_the_map_follows_the_list(workspace):
    app = annuaire(commune="29019")
    assert [h.value for h in app.header][-1] == "Sur la carte"
    basemap = app.selectbox[-1]
    assert basemap.label == "Fond de carte"
    basemap.select("osm").run()
    assert app.query_params["fond"] == "osm"
    for key in ("plan_ign", "aucun", "osm"):  # every change holds, not every second
        app.selectbox[-1].select(key).run()
        assert app.selectbox[-1].value == key
        assert app.query_params.get("fond", "aucun") == key


def test_a_link_with_odd_values_says_which_were_ignored(workspace):
    app = annuaire(commune="29019", besoin="jardinage", page="²", fond="google")
    assert not app.exception
    assert app.query_params["commune"] == "29019"
    assert "page" not in app.query_params and "fond" not in app.query_params
    notice = app.warning[0].value.replace("\\", "")
    assert notice.startswith("Paramètres de l'adresse ignorés")
    assert "besoin=jardinage, page=², fond=google" in notice
