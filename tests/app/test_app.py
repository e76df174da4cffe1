"""Page logic through Streamlit's AppTest (no browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import paths, ui
from ess_geo.text import escape_markdown
from ess_geo.workspace import store

APP = str(paths.ROOT / "app.py")
K = ui.CarteKeys


@pytest.fixture
def app(workspace_path):
    conn = store.connect(workspace_path)
    from ess_geo.workspace import seeding

    seeding.seed_workspace(conn, size=3_000, seed=11)
    conn.close()
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def stored(workspace_path):
    """The actors the app shows (after the ``app`` fixture has seeded them)."""

    def read():
        conn = store.connect(workspace_path)
        try:
            return store.read_actors(conn)
        finally:
            conn.close()

    return read


def shown(markdown: str) -> str:
    """Markdown source as displayed: backslash escapes removed."""
    return markdown.replace("\\", "")


def count_line(app) -> str:
    line = next(m.value for m in app.markdown if "acteurs affichés sur" in m.value)
    return shown(line)


def widget(elements, label):
    return next(e for e in elements if e.label == label)


def test_home_is_the_carte_page_with_demo_banner(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Carte des acteurs de l'ESS"
    assert any(ui.DEMO_BANNER in info.value for info in app.info)
    assert any("Inventé : chaque acteur" in info.value for info in app.info)
    assert count_line(app).startswith(
        "**3\u202f000** acteurs affichés sur **3\u202f000**"
    )
    assert [s.label for s in app.selectbox] == [
        "Territoires colorés",
        "Indicateur",
        "Appartenance à un réseau",
        "Fond de carte",
    ]
    assert app.text_input[0].label == "Rechercher un territoire"
    assert widget(app.selectbox, "Fond de carte").value == "aucun"
    assert widget(app.selectbox, "Territoires colorés").value == "epci"
    assert app.header[0].value == "France entière"
    assert dict(app.query_params) == {}
    # Sources in small text, in Markdown (no raw HTML on any page).
    small = [m for m in app.markdown if m.value.startswith(":small[")]
    assert sorted(m.value[:36] for m in small) == [
        ":small[Contours : IGN ADMIN EXPRESS ",
        ":small[ESS Territoires — l'économie ",
    ]
    assert not any(m.allow_html for m in app.markdown)


def test_legacy_dep_link_selects_the_departement_and_rewrites_the_url(app):
    app.query_params["dep"] = "29"
    app.run()
    assert not app.exception
    assert app.header[0].value == "Finistère (département)"
    assert "— Finistère" in count_line(app)
    assert app.query_params["niveau"] == "departement"
    assert app.query_params["code"] == "29"
    assert "dep" not in app.query_params
    # A page link: the Territoires page opens in the same tab and session.
    links = [
        (e.proto.label, e.proto.page, e.proto.query_string)
        for e in app.get("page_link")
    ]
    assert (
        "Fiche complète du territoire →",
        "territoires",
        "niveau=departement&code=29",
    ) in links


def test_legacy_epci_link_narrows_the_selection(app):
    app.query_params["dep"] = "29"
    app.query_params["epci"] = "242900314"
    app.run()
    assert not app.exception
    assert app.header[0].value == "Brest Métropole (EPCI)"
    assert app.query_params["code"] == "242900314"


def test_shared_link_restores_level_filters_and_basemap(app, stored):
    actors = stored()
    app.query_params.update(
        {
            "niveau": "region",
            "code": "53",
            "maille": "departement",
            "indicateur": "emplois_1000_hab",
            "classes": "jenks",
            "fond": "osm",
            "famille": "cooperative,mutuelle",
            "employeur": "oui",
        }
    )
    app.run()
    assert not app.exception
    assert app.header[0].value == "Bretagne (région)"
    assert widget(app.selectbox, "Territoires colorés").value == "departement"
    assert widget(app.selectbox, "Indicateur").value == "emplois_1000_hab"
    assert widget(app.selectbox, "Fond de carte").value == "osm"
    assert widget(app.radio, "Classes de couleur").value == "jenks"
    assert widget(app.multiselect, "Familles de l'ESS").value == [
        "cooperative",
        "mutuelle",
    ]
    assert widget(app.radio, "Employeur").value == "oui"
    assert "famille : Coopérative, Mutuelle ; Employeurs" in count_line(app)
    # The same link again: the app writes back exactly what it read.
    assert app.query_params["famille"] == "cooperative,mutuelle"
    assert app.query_params["fond"] == "osm"
    assert len(actors) == 3_000


def test_bad_link_values_are_reported_and_ignored(app):
    app.query_params.update(
        {"dep": "<script>", "fond": "google", "famille": "xyz", "acteur": "abc"}
    )
    app.run()
    assert not app.exception
    assert widget(app.selectbox, "Fond de carte").value == "aucun"
    assert app.header[0].value == "France entière"
    source = app.warning[0].value
    assert "\\<script\\>" in source  # escaped in the Markdown source
    warning = shown(source)
    assert "Paramètres du lien ignorés" in warning
    assert "famille=xyz" in warning and "acteur=abc" in warning
    assert "dep=<script>" in warning


def test_filters_update_the_count(app, stored):
    actors = stored()
    app.run()
    widget(app.multiselect, "Familles de l'ESS").select("cooperative").run()
    assert not app.exception
    cooperatives = int((actors["famille"] == "cooperative").sum())
    assert count_line(app).startswith(
        f"**{cooperatives}** acteurs affichés sur **3\u202f000**"
    )
    assert app.query_params["famille"] == "cooperative"
    widget(app.button, "Effacer les filtres").click().run()
    assert count_line(app).startswith("**3\u202f000** acteurs affichés")
    assert "famille" not in app.query_params


def test_network_filter_keeps_its_members(app, workspace_path):
    conn = store.connect(workspace_path)
    members = store.read_network_members(conn)
    conn.close()
    first = int(members["network_id"].iloc[0])
    expected = int((members["network_id"] == first).sum())
    app.run()
    widget(app.selectbox, "Appartenance à un réseau").select(str(first)).run()
    assert not app.exception
    assert count_line(app).startswith(f"**{expected}** acteurs affichés")
    assert app.query_params["reseau"] == str(first)


def test_search_selects_the_best_match_and_offers_the_others(app):
    app.run()
    app.text_input[0].input("quimper").run()
    assert not app.exception
    assert app.header[0].value == "Quimper (commune)"
    assert app.query_params["niveau"] == "commune"
    assert app.query_params["code"] == "29232"
    results = widget(app.selectbox, "Résultats de la recherche")
    assert results.options[:2] == [
        "Quimper — commune, Finistère (29)",
        "Communauté d'agglomération Quimper Bretagne Occidentale — EPCI, Finistère",
    ]
    results.select("epci:200068120").run()
    assert app.header[0].value == (
        "Communauté d'agglomération Quimper Bretagne Occidentale (EPCI)"
    )


def test_search_by_postal_code(app):
    app.run()
    app.text_input[0].input("29200").run()
    assert app.header[0].value == "Brest (commune)"


def test_search_without_match_says_so_in_french(app):
    app.run()
    app.text_input[0].input("Zzyzx").run()
    assert not app.exception
    assert "Aucun territoire ne correspond à « Zzyzx »" in app.warning[0].value
    assert app.header[0].value == "France entière"


def test_breadcrumb_climbs_back_up(app):
    app.query_params.update({"niveau": "commune", "code": "29019"})
    app.run()
    assert [b.label for b in app.button][:5] == [
        "France",
        "Bretagne",
        "Finistère",
        "Brest Métropole",
        "Brest",
    ]
    widget(app.button, "Finistère").click().run()
    assert app.header[0].value == "Finistère (département)"
    widget(app.button, "France").click().run()
    assert app.header[0].value == "France entière"
    assert "niveau" not in app.query_params


def test_drill_down_to_a_smaller_territory(app):
    app.query_params["dep"] = "29"
    app.run()
    child = widget(app.selectbox, "Aller vers un territoire plus petit (EPCI)")
    assert len(child.options) == 22  # "—" + the 21 EPCI of the Finistère
    child.select("epci:242900314").run()
    assert app.header[0].value == "Brest Métropole (EPCI)"


def test_actor_card_from_a_shared_link(app, stored):
    actors = stored()
    first = int(actors.index[0])
    app.query_params["acteur"] = str(first)
    app.run()
    assert not app.exception
    assert app.header[0].value == escape_markdown(actors.loc[first, "nom"])
    card = next(m.value for m in app.markdown if "**Famille**" in m.value)
    assert "(fictif)" not in card  # the name is the heading, not in the list
    assert "**Activité**" in card
    widget(app.button, "Fermer la fiche").click().run()
    assert "acteur" not in app.query_params


def test_no_banner_once_only_real_actors_remain(app, workspace_path):
    conn = store.connect(workspace_path)
    with store.transaction(conn):
        conn.execute("DELETE FROM actors")
        store.audit(conn, "test.clear", {})
    conn.close()
    app.run()
    assert not app.exception
    assert not any(ui.DEMO_BANNER in info.value for info in app.info)
    assert count_line(app).startswith("**0** acteurs affichés sur **0**")


def test_first_start_says_each_step_first_in_its_toast(workspace_path, monkeypatch):
    """A long toast is cut after three lines: each step's own words come first."""
    monkeypatch.setenv("ESS_GEO_DEMO_SIZE", "200")
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert [toast.value for toast in app.toast] == [
        "Génération de 200 acteurs fictifs calibrés… Première ouverture : "
        "l'espace de démonstration se crée, une quinzaine de secondes au plus.",
        "Écriture de l'espace de travail (une transaction)… Première ouverture : "
        "l'espace de démonstration se crée, une quinzaine de secondes au plus.",
    ]
    app.run()  # the workspace is there: no toast the second time
    assert len(app.toast) == 0


def test_unusable_workspace_shows_a_french_error(tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not sqlite" * 500)
    monkeypatch.setenv("ESS_GEO_DB", str(bad))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert app.error
    assert "Impossible d'ouvrir l'espace de travail" in shown(app.error[0].value)


def test_territory_without_perimeter_says_so(app):
    app.query_params.update({"niveau": "pnr", "code": "FR8000001"})
    app.run()
    assert not app.exception
    assert app.header[0].value == "PNR du Vercors (parc naturel régional)"
    assert "périmètre de ce territoire n'est pas connu" in app.info[-1].value
    assert count_line(app).startswith("**0** acteurs affichés")
