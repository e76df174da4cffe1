"""The Réseaux and Couverture pages through Streamlit's AppTest (no browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import formats, paths
from ess_geo.analysis import invite, motrices
from ess_geo.geo import geography
from ess_geo.pages.couverture import BLOCKS
from ess_geo.ui.keys import CouvertureKeys
from ess_geo.workspace import networks, seeding, store

APP = str(paths.ROOT / "app.py")
NNBSP = "\u202f"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One 3,000-actor demo workspace for the module (pages only read it)."""
    path = tmp_path_factory.mktemp("ws") / "workspace.sqlite"
    conn = store.connect(path)
    seeding.seed_workspace(conn, size=3_000, seed=11)
    conn.close()
    return path


@pytest.fixture
def couverture(seeded, monkeypatch):
    monkeypatch.setenv("ESS_GEO_DB", str(seeded))
    app = AppTest.from_file(APP, default_timeout=90)
    app.switch_page("views/couverture.py")
    return app


@pytest.fixture
def reseaux(seeded, monkeypatch):
    monkeypatch.setenv("ESS_GEO_DB", str(seeded))
    app = AppTest.from_file(APP, default_timeout=90)
    app.switch_page("views/reseaux.py")
    return app


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_couverture_counts_the_epci_covered_by_the_reference_networks(couverture):
    couverture.run()
    assert not couverture.exception
    assert couverture.title[0].value.startswith("Couverture des territoires")
    values = metrics(couverture)
    assert values["Couverts"] == "67"
    assert values["Partiellement couverts"] == "0"
    assert values["Non couverts"] == f"1{NNBSP}186"
    assert [s.label for s in couverture.sidebar.selectbox] == [
        "Niveau des territoires",
        "Région",
    ]


def below_the_map(app) -> tuple[int, int, list[str]]:
    """Data grids, Vega charts and metrics' labels the page sent."""
    return (
        len(app.dataframe),
        len(app.get("vega_lite_chart")),
        [m.label for m in app.metric],
    )


def test_the_blocks_below_the_map_are_drawn_on_demand(couverture):
    """On load the map only: no data grid, chart or budget is sent (issue 17)."""
    couverture.run()
    assert not couverture.exception
    assert [e.label for e in couverture.expander] == [
        "Pondération du score de prospection",
        "Territoires à prospecter",
        "Budget de lancement",
    ]
    grids, charts, labels = below_the_map(couverture)
    assert (grids, charts) == (0, 0)
    assert labels == [
        "Couverts",
        "Partiellement couverts",
        "Non couverts",
        "Population couverte",
    ]
    assert "ouvert" not in couverture.query_params
    # A click on « Territoires à prospecter » (the expander's state).
    couverture.session_state[CouvertureKeys.block("prospects")] = True
    couverture.run()
    assert not couverture.exception
    assert couverture.query_params["ouvert"] == "prospects"
    grids, charts, labels = below_the_map(couverture)
    assert (grids, charts) == (4, 0)  # prospects (3 copies), motrices
    assert couverture.dataframe[0].value["Rang"].tolist()[:3] == [1, 2, 3]
    assert "Coût total sur 5 ans" not in labels
    # Then « Budget de lancement »: its three tables (3 copies each), its chart.
    couverture.session_state[CouvertureKeys.block("budget")] = True
    couverture.run()
    assert couverture.query_params["ouvert"] == "prospects,budget"
    grids, charts, labels = below_the_map(couverture)
    assert (grids, charts) == (4 + 9, 1)
    assert "Coût total sur 5 ans" in labels
    # Both closed again: nothing below the map, a clean address.
    for name in BLOCKS:
        couverture.session_state[CouvertureKeys.block(name)] = False
    couverture.run()
    assert below_the_map(couverture)[:2] == (0, 0)
    assert "ouvert" not in couverture.query_params


def test_a_link_with_a_block_open_shows_it(couverture):
    couverture.query_params["ouvert"] = "budget"
    couverture.run()
    assert not couverture.exception
    grids, charts, labels = below_the_map(couverture)
    assert (grids, charts) == (9, 1)
    assert "Coût total sur 5 ans" in labels
    assert couverture.query_params["ouvert"] == "budget"


def test_a_link_with_budget_parameters_opens_the_budget(couverture):
    couverture.query_params["horizon"] = "3"
    couverture.run()
    assert not couverture.exception
    assert "Coût total sur 3 ans" in below_the_map(couverture)[2]
    assert "ouvert" not in couverture.query_params  # the parameters say it
    # Closed by the person: the link says so, and keeps the parameters.
    couverture.session_state[CouvertureKeys.block("budget")] = False
    couverture.run()
    assert below_the_map(couverture)[:2] == (0, 0)
    assert couverture.query_params["ouvert"] == "aucun"
    assert couverture.query_params["horizon"] == "3"
    # Opened again: the boxes, not drawn meanwhile, take the URL's values.
    couverture.session_state[CouvertureKeys.block("budget")] = True
    couverture.run()
    horizon = next(n for n in couverture.number_input if n.label.startswith("Hor"))
    assert horizon.value == 3
    assert "Coût total sur 3 ans" in below_the_map(couverture)[2]
    assert "ouvert" not in couverture.query_params


def test_a_link_with_retained_prospects_opens_the_budget(couverture):
    couverture.query_params["taille"] = "0"
    couverture.query_params["sel"] = "aucun"
    couverture.run()
    assert not couverture.exception
    assert couverture.multiselect[0].value == []
    assert below_the_map(couverture)[2][-3] == "Coût total sur 5 ans"
    assert metrics(couverture)["Coût total sur 5 ans"] == "0 €"


def test_every_opening_and_closing_of_a_block_holds(couverture):
    couverture.run()
    key = CouvertureKeys.block("budget")
    for opened in (True, False, True, False):
        couverture.session_state[key] = opened
        couverture.run()
        assert ("Coût total sur 5 ans" in below_the_map(couverture)[2]) is opened
        assert couverture.query_params.get("ouvert") == ("budget" if opened else None)
    couverture.query_params["ouvert"] = "prospects"  # a link opened in the session
    couverture.run()
    assert below_the_map(couverture)[:2] == (4, 0)
    assert couverture.session_state[CouvertureKeys.block("prospects")] is True
    assert couverture.session_state[key] is False


def test_ranked_table_lists_every_uncovered_epci_with_its_components(couverture):
    couverture.query_params["taille"] = "0"  # a 3,000-actor demo: no size condition
    couverture.query_params["ouvert"] = "prospects"
    couverture.run()
    table = couverture.dataframe[0].value
    assert len(table) == 1186
    assert table["Rang"].tolist() == list(range(1, 1187))
    assert table["Score"].is_monotonic_decreasing
    for header in (
        "Densité ESS / région (0–1)",
        "Membres potentiels (0–1)",
        "Voisins couverts (0–1)",
        "Structures motrices (0–1)",
        "Population non couverte (0–1)",
    ):
        assert table[header].between(0, 1).all()
    jobs = table["Emplois (environ)"]
    assert (jobs == jobs.round()).all()
    assert set(table["Inventaire des réseaux"]) == {"incomplet"}


def test_only_territories_large_enough_are_ranked(couverture):
    couverture.query_params["taille"] = "10"
    couverture.query_params["ouvert"] = "prospects"
    couverture.run()
    assert not couverture.exception
    table = couverture.dataframe[0].value
    assert 0 < len(table) < 1186
    assert (table["Employeurs"] >= 10).all()
    intro = next(
        m.value for m in couverture.markdown if "au moins 10 employeurs" in m.value
    )
    assert "autres, trop petits, ne sont pas classés" in intro
    assert any("Spearman" in c.value for c in couverture.caption)


def test_the_page_says_which_inventories_are_complete(couverture):
    couverture.run()
    notice = next(m.value for m in couverture.markdown if "réseaux**" in m.value)
    assert notice.startswith("L'espace de travail connaît **31 réseaux**")
    assert "environ quarante réseaux territoriaux de l'ESS dans huit régions" in notice
    assert "Bretagne (au niveau des pays)" in notice


def test_counting_only_active_networks_covers_less(couverture):
    couverture.run()
    before = int(metrics(couverture)["Couverts"])
    radio = next(r for r in couverture.sidebar.radio if r.label == "Réseaux comptés")
    radio.set_value("actifs").run()
    assert couverture.query_params["compter"] == "actifs"
    assert int(metrics(couverture)["Couverts"]) < before


def test_budget_defaults_to_the_five_best_prospects(couverture):
    couverture.query_params["taille"] = "0"
    couverture.query_params["ouvert"] = "prospects,budget"
    couverture.run()
    chosen = couverture.multiselect[0].value
    assert chosen == couverture.dataframe[0].value["Code"].tolist()[:5]
    values = metrics(couverture)
    # 5 territories: 2 years x 30 k€, then 3 years x 55 k€, 10 % from fees;
    # plus 65 k€ a year of support mission for each of their régions.
    regions = len({geography.parents("epci", "region")[code] for code in chosen})
    mission = 5 * 65_000 * regions
    assert values["Coût total sur 5 ans"] == f"{formats.number(1_125_000 + mission)} €"
    assert values["Financement public sur 5 ans"] == (
        f"{formats.number(1_042_500 + mission)} €"
    )
    funders = next(
        d.value for d in couverture.dataframe if "Financeur" in d.value
    ).set_index("Financeur")
    assert funders.loc["Total", "Total (€)"] == 1_125_000 + mission
    assert funders.loc["Région", "Total (€)"] == pytest.approx(
        0.53 * (1_042_500 + mission)
    )


def test_budget_parameters_change_the_totals_and_the_url(couverture):
    couverture.query_params["appui"] = "0"
    couverture.query_params["taille"] = "0"
    couverture.query_params["ouvert"] = "budget"
    couverture.run()
    horizon = next(n for n in couverture.number_input if n.label.startswith("Horizon"))
    horizon.set_value(6).run()
    share = next(n for n in couverture.number_input if n.label.startswith("Part"))
    share.set_value(0).run()
    assert not couverture.exception
    values = metrics(couverture)
    assert values["Coût total sur 6 ans"] == f"1{NNBSP}400{NNBSP}000 €"
    assert values["Financement public sur 6 ans"] == f"1{NNBSP}400{NNBSP}000 €"
    assert couverture.query_params["horizon"] == "6"
    assert couverture.query_params["cotis"] == "0"


def test_retaining_other_territories_is_kept_in_the_url(couverture):
    couverture.query_params["appui"] = "0"
    couverture.query_params["taille"] = "0"
    couverture.query_params["ouvert"] = "prospects,budget"
    couverture.run()
    codes = couverture.dataframe[0].value["Code"].tolist()
    couverture.multiselect[0].set_value([codes[9]]).run()
    assert couverture.query_params["sel"] == codes[9]
    assert couverture.multiselect[0].value == [codes[9]]
    assert metrics(couverture)["Coût total sur 5 ans"] == f"225{NNBSP}000 €"
    couverture.multiselect[0].set_value([]).run()
    assert couverture.query_params["sel"] == "aucun"
    assert metrics(couverture)["Coût total sur 5 ans"] == "0 €"


def test_url_restores_level_region_threshold_and_weights(couverture):
    couverture.query_params["niveau"] = "pays"
    couverture.query_params["seuil"] = "60"
    couverture.query_params["poids"] = "voisins:3,potentiel:0"
    couverture.run()
    assert not couverture.exception
    assert couverture.sidebar.selectbox[0].value == "pays"
    assert couverture.sidebar.slider[0].value == 60
    sliders = {s.label: s.value for s in couverture.slider}
    assert sliders["Voisins couverts"] == 3.0
    assert sliders["Membres potentiels"] == 0.0
    values = metrics(couverture)
    # The PETR d'Argentan is 65 % covered through the PAPAO network: covered
    # at 60 %; the PETR Forêt d'Orléans-Loire-Sologne, 41 % through the Pays
    # Sologne Val Sud's, stays partly covered.
    assert values["Couverts"] == "24"
    assert values["Partiellement couverts"] == "1"


def test_a_region_where_everything_is_covered_says_so(couverture):
    couverture.query_params["region"] = "53"  # Bretagne
    couverture.query_params["ouvert"] = "prospects,budget"
    couverture.run()
    assert not couverture.exception
    assert metrics(couverture)["Non couverts"] == "0"
    assert any("Aucun territoire à classer" in i.value for i in couverture.info)
    assert metrics(couverture)["Coût total sur 5 ans"] == "0 €"


def test_bad_url_values_fall_back_to_defaults(couverture):
    couverture.query_params["niveau"] = "<script>"
    couverture.query_params["seuil"] = "250"
    couverture.query_params["poids"] = "voisins:-4"
    couverture.query_params["horizon"] = "beaucoup"
    couverture.query_params["ouvert"] = "budget"
    couverture.run()
    assert not couverture.exception
    assert couverture.sidebar.selectbox[0].value == "epci"
    assert couverture.sidebar.slider[0].value == 90
    assert {s.value for s in couverture.main.slider} == {1.0}
    assert "Coût total sur 5 ans" in metrics(couverture)


def test_counting_approximate_perimeters_covers_more(couverture):
    couverture.run()
    before = metrics(couverture)["Couverts"]
    couverture.sidebar.checkbox[0].check().run()
    assert couverture.query_params["approx"] == "1"
    assert int(metrics(couverture)["Couverts"]) > int(before)


def test_reseaux_page_recomputes_the_source_document_figures(reseaux):
    reseaux.run()
    assert not reseaux.exception
    assert reseaux.title[0].value == "Réseaux territoriaux de l'ESS"
    figures = reseaux.table[0].value
    assert figures.loc[
        "Réseaux territoriaux (actifs ou au statut inconnu)",
        "Cahier CNCRES (2011)",
    ] == ("environ 40")
    assert (
        figures.loc[
            "Réseaux territoriaux (actifs ou au statut inconnu)", "Données actuelles"
        ]
        == "31"
    )
    assert figures.loc["Régions où ils sont implantés", "Données actuelles"] == "7"
    listing = reseaux.dataframe[0].value
    assert len(listing) == 31


def test_reseaux_filter_and_network_card(reseaux):
    reseaux.run()
    region = next(s for s in reseaux.selectbox if s.label == "Région")
    region.select("Hauts-de-France").run()
    assert reseaux.query_params["region"] == "Hauts-de-France"
    assert len(reseaux.dataframe[0].value) == 1
    network = next(s for s in reseaux.selectbox if s.label == "Réseau")
    assert network.options == ["Conseils locaux de l’ESS du Nord-Pas-de-Calais"]
    assert reseaux.query_params["reseau"] == network.value
    # Its perimeter is approximate: the card says so.
    assert any("Périmètre approximatif" in w.value for w in reseaux.warning)
    # st.table renders Markdown: the card's text is escaped to show literally.
    card = reseaux.table[1].value["Valeur"].str.replace("\\", "")
    assert card["Périmètre"] == "approximatif"
    assert card["Territoire"] == "2 départements : Nord, Pas-de-Calais"


def test_reseaux_url_opens_a_network_card(reseaux):
    reseaux.query_params["reseau"] = "1"
    reseaux.run()
    assert not reseaux.exception
    assert reseaux.markdown[3].value == "### ADESS Pays de Brest"
    assert metrics(reseaux)["Population"] == f"420{NNBSP}633"
    assert any(m.value.startswith("#### Membres (") for m in reseaux.markdown)


def test_reseaux_without_any_network_says_how_to_import(tmp_path, monkeypatch):
    path = tmp_path / "workspace.sqlite"
    conn = store.connect(path)
    seeding.seed_workspace(conn, size=200, seed=2)
    with store.transaction(conn):
        conn.execute("DELETE FROM networks")
        store.audit(conn, "test.clear_networks", {})
    conn.close()
    monkeypatch.setenv("ESS_GEO_DB", str(path))
    app = AppTest.from_file(APP, default_timeout=90)
    app.switch_page("views/reseaux.py")
    app.run()
    assert not app.exception
    assert any("import-networks" in i.value for i in app.info)
    app.switch_page("views/couverture.py")
    app.run()
    assert not app.exception
    assert metrics(app)["Couverts"] == "0"


def test_reseaux_says_which_url_values_it_ignored(reseaux):
    reseaux.query_params["reseau"] = "999"
    reseaux.query_params["type"] = "<b>federation</b>"
    reseaux.run()
    assert not reseaux.exception
    notice = next(i.value for i in reseaux.info if "ignorés" in i.value)
    assert "\\<b\\>" in notice  # escaped Markdown: shown literally
    assert notice.replace("\\", "").endswith(": type=<b>federation</b>, reseau=999.")
    assert reseaux.query_params["reseau"] == "1"
    assert "type" not in reseaux.query_params


def test_couverture_says_which_url_values_it_ignored(couverture):
    couverture.query_params["seuil"] = "250"
    couverture.query_params["poids"] = "voisins:7"  # beyond the sliders
    couverture.query_params["cotis"] = "120"
    couverture.run()
    assert not couverture.exception
    notice = next(i.value for i in couverture.info if "ignorés" in i.value)
    assert notice.replace("\\", "").endswith(": seuil=250, poids=voisins:7, cotis=120.")
    assert {s.value for s in couverture.main.slider} == {1.0}
    for name in ("seuil", "poids", "cotis"):
        assert name not in couverture.query_params


def test_reseaux_lists_who_to_invite_with_filters_and_exports(reseaux, seeded):
    conn = store.connect(seeded)
    table, perimeters = networks.from_workspace(conn)
    actors = store.read_actors(conn)
    members = store.read_network_members(conn)
    conn.close()
    rennes = table.loc[table["nom"] == "Pôle ESS du Pays de Rennes", "id"].item()
    expected = invite.invite(table, perimeters, actors, members, str(rennes))
    reseaux.query_params["reseau"] = str(rennes)
    reseaux.run()
    assert not reseaux.exception
    shown = reseaux.dataframe[-1].value
    assert shown["Nom"].tolist() == expected["nom"].tolist()
    assert shown["Rang"].tolist() == list(range(1, len(expected) + 1))
    count = len(members[members["network_id"] == rennes])
    assert any(
        i.value.startswith(f"{count} membres aujourd'hui et {len(expected)} structure")
        for i in reseaux.info
    )
    families = next(m for m in reseaux.multiselect if m.label == "Familles")
    families.set_value(["cooperative"]).run()
    shown = reseaux.dataframe[-1].value
    assert set(shown["Famille"]) <= {"Coopérative"}
    assert len(shown) == (expected["famille"] == "cooperative").sum()
    labels = [b.label for b in reseaux.get("download_button")]
    assert "Télécharger les acteurs à inviter (CSV)" in labels
    assert "Télécharger les acteurs à inviter (XLSX)" in labels


def test_couverture_shows_the_structures_motrices_of_the_first_retained(
    couverture, seeded
):
    conn = store.connect(seeded)
    actors = store.read_actors(conn)
    conn.close()
    couverture.query_params["ouvert"] = "prospects,budget"
    couverture.run()
    assert not couverture.exception
    prospect = next(
        s for s in couverture.selectbox if s.label == "Territoire à préparer"
    )
    first = couverture.multiselect[0].value[0]
    assert prospect.value == first
    headers = [h.value for h in couverture.subheader]
    assert "Structures motrices et fiche prospect" in headers
    labels = [b.label for b in couverture.get("download_button")]
    for label in (
        "Structures motrices (CSV)",
        "Structures motrices (XLSX)",
        "Fiche prospect (PDF)",
        "Fiche prospect (HTML)",
    ):
        assert label in labels
    second = couverture.dataframe[0].value["Code"].tolist()[1]
    prospect.set_value(second).run()
    assert not couverture.exception
    expected = motrices.motrices(actors, "epci", second)
    assert len(expected) > 0
    shown = next(d.value for d in couverture.dataframe if "Pourquoi" in d.value)
    assert shown["Nom"].tolist() == expected["nom"].tolist()
    assert shown["Pourquoi"].tolist() == expected["motif"].tolist()


def test_a_budget_outside_30_to_300_keur_is_flagged(couverture):
    couverture.query_params["taille"] = "0"  # five prospects retained by default
    couverture.query_params["mob"] = "20000"
    couverture.query_params["etude"] = "1"
    couverture.run()
    assert not couverture.exception
    warnings = [w.value for w in couverture.warning]
    assert any(
        w.startswith("Budget annuel hors de la fourchette du cahier (30 à 300 k€")
        for w in warnings
    )
    retained = next(
        d.value for d in couverture.dataframe if "Hors fourchette 30–300 k€" in d.value
    )
    assert retained["Hors fourchette 30–300 k€"].tolist() == ["oui"] * 5
    # Year 1: study 25 k€ + mobilisation 20 k€ = 45 k€ (in range); year 2: 20 k€.
    assert retained["Coût total (€)"].tolist() == [25_000 + 2 * 20_000 + 3 * 55_000] * 5


def test_every_change_of_a_control_holds_not_every_second_one(couverture):
    """A default taken from the URL gave the widget a new identity once the
    URL changed: the next change was lost and the control bounced back."""
    couverture.run()
    region = next(s for s in couverture.sidebar.selectbox if s.label == "Région")
    region.select("53").run()
    assert couverture.query_params["region"] == "53"
    region = next(s for s in couverture.sidebar.selectbox if s.label == "Région")
    region.select_index(0).run()  # back to France
    assert "region" not in couverture.query_params
    assert metrics(couverture)["Non couverts"] == f"1{NNBSP}186"
    for value in (80, 70, 60, 65):
        threshold = next(
            s for s in couverture.sidebar.slider if s.label.startswith("Seuil")
        )
        threshold.set_value(value).run()
        assert couverture.query_params["seuil"] == str(value)
    weight = next(s for s in couverture.slider if s.label.startswith("Voisins"))
    weight.set_value(3.0).run()
    weight = next(s for s in couverture.slider if s.label.startswith("Voisins"))
    weight.set_value(0.5).run()
    assert "voisins:0.5" in couverture.query_params["poids"]
    assert not couverture.exception


def test_a_link_opened_in_the_session_sets_the_controls_again(couverture):
    couverture.run()
    threshold = next(
        s for s in couverture.sidebar.slider if s.label.startswith("Seuil")
    )
    threshold.set_value(80).run()
    couverture.query_params["seuil"] = "55"  # the URL changed: back, a link
    couverture.run()
    threshold = next(
        s for s in couverture.sidebar.slider if s.label.startswith("Seuil")
    )
    assert threshold.value == 55
    assert couverture.query_params["seuil"] == "55"


def test_reseaux_every_change_of_a_filter_holds_not_every_second_one(reseaux):
    reseaux.run()
    regions = next(s for s in reseaux.selectbox if s.label == "Région").options
    for label in ("Bretagne", "Occitanie", "Hauts-de-France", "Bretagne"):
        region = next(s for s in reseaux.selectbox if s.label == "Région")
        region.select(label).run()
        assert next(s for s in reseaux.selectbox if s.label == "Région").value == label
        assert reseaux.query_params["region"] == label
    assert len(regions) > 4
    for _ in range(2):  # the network chosen twice in a row in the same list
        network = next(s for s in reseaux.selectbox if s.label == "Réseau")
        chosen = len(network.options) - 1 if network.index == 0 else 0
        network.select_index(chosen).run()
        network = next(s for s in reseaux.selectbox if s.label == "Réseau")
        assert network.index == chosen
        assert reseaux.query_params["reseau"] == network.value
    assert not reseaux.exception


def test_reseaux_a_filter_that_drops_the_shown_network_shows_the_first_listed(reseaux):
    reseaux.query_params["reseau"] = "1"  # ADESS Pays de Brest
    reseaux.run()
    region = next(s for s in reseaux.selectbox if s.label == "Région")
    region.select("Hauts-de-France").run()
    network = next(s for s in reseaux.selectbox if s.label == "Réseau")
    assert network.index == 0
    assert network.options == ["Conseils locaux de l’ESS du Nord-Pas-de-Calais"]
    assert reseaux.query_params["reseau"] == network.value != "1"


def test_reseaux_a_link_opened_in_the_session_sets_the_filters_again(reseaux):
    reseaux.run()
    next(s for s in reseaux.selectbox if s.label == "Région").select("Bretagne").run()
    reseaux.query_params["region"] = "Occitanie"  # the URL changed: back, a link
    reseaux.run()
    assert (
        next(s for s in reseaux.selectbox if s.label == "Région").value == "Occitanie"
    )


def test_budget_every_change_holds_not_every_second_one(couverture):
    couverture.query_params["taille"] = "0"  # a 3,000-actor demo: no size condition
    couverture.query_params["ouvert"] = "prospects,budget"
    couverture.run()
    for years in (3, 4, 5, 2):
        horizon = next(n for n in couverture.number_input if n.label.startswith("Hor"))
        horizon.set_value(years).run()
        horizon = next(n for n in couverture.number_input if n.label.startswith("Hor"))
        assert horizon.value == years
        assert couverture.query_params.get("horizon", "5") == str(years)
    codes = couverture.dataframe[0].value["Code"].tolist()
    for code in (codes[2], codes[3]):
        couverture.multiselect[0].set_value([code]).run()
        assert couverture.multiselect[0].value == [code]
        assert couverture.query_params["sel"] == code
    assert not couverture.exception


def test_budget_a_link_opened_in_the_session_sets_the_boxes_again(couverture):
    couverture.query_params["ouvert"] = "budget"
    couverture.run()
    horizon = next(n for n in couverture.number_input if n.label.startswith("Hor"))
    horizon.set_value(3).run()
    couverture.query_params["horizon"] = "7"  # the URL changed: back, a link
    couverture.run()
    horizon = next(n for n in couverture.number_input if n.label.startswith("Hor"))
    assert horizon.value == 7
