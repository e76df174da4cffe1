"""The Territoires page through Streamlit's AppTest (no browser)."""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import paths
from ess_geo.pages import territoires
from ess_geo.workspace import seeding, store

APP = str(paths.ROOT / "app.py")
PAGE = "views/territoires.py"


@pytest.fixture
def app(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=3_000, seed=11)
    conn.close()
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page(PAGE)
    return at


def selectbox(at, label):
    return next(s for s in at.selectbox if s.label == label)


def html_table(at, caption: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, rows and selected rows' first cells of an ``st.html`` table."""
    body = next(h.value for h in at.html if f"<caption>{caption}</caption>" in h.value)

    def cells(row: str) -> list[str]:
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        return [html.unescape(c.replace("<br>", "\n")) for c in found]

    rows = re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.S)
    header, *body_rows = rows
    selected = [cells(r)[0] for a, r in body_rows if "selection" in a]
    return cells(header[1]), [cells(r) for _, r in body_rows], selected


def key_figures(at) -> dict[str, str]:
    """Label -> value of the key figures (an ``st.html`` definition list)."""
    body = next(h.value for h in at.html if '<dl class="figures">' in h.value)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", body)
    return {html.unescape(label): html.unescape(value) for label, value in pairs}


def test_without_territory_the_page_invites_a_choice_and_ranks_the_level(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Poids de l'ESS par territoire"
    assert [s.label for s in app.sidebar.selectbox] == [
        "Niveau",
        "Région",
        "Département",
        "Territoire",
    ]
    assert app.main.selectbox[0].label == "Classer selon"
    assert selectbox(app, "Niveau").value == "epci"
    assert "Choisissez un **niveau**" in app.markdown[0].value
    assert app.subheader[0].value == "Classement des EPCI de France"
    assert len(app.dataframe[0].value) == 1253


def test_url_opens_a_territory_with_its_figures_and_comparisons(app):
    app.query_params["niveau"] = "epci"
    app.query_params["code"] = "242900314"
    app.run()
    assert not app.exception
    assert app.header[0].value == "Brest Métropole"
    figures = key_figures(app)
    assert list(figures) == [
        "Structures de l'ESS",
        "Employeurs",
        "Emplois (environ)",
        "Emplois pour 1 000 hab.",
        "Indice de spécificité",
        "Part dans l'emploi total",
    ]
    assert figures["Part dans l'emploi total"] == "n. c."
    assert any("non calculée" in c.value for c in app.caption)
    # The map and the key figures are HTML too: none waits for code of its own.
    assert not app.metric
    assert not app.get("imgs")
    (drawn,) = [h.value for h in app.html if "<figure" in h.value]
    assert 'alt="Carte : Brest Métropole"' in drawn
    assert "<figcaption>Le territoire en jaune, les limites des départements" in drawn
    header, rows, _ = html_table(
        app, "Le territoire, son département, sa région et la France"
    )
    assert header == [
        "Indicateur",
        "EPCI\nBrest Métropole",
        "Département\nFinistère",
        "Région\nBretagne",
        "France",
    ]
    assert [r[0] for r in rows] == [
        "Population",
        "Structures",
        "Employeurs",
        "Emplois (estimés)",
        "Structures pour 10 000 hab.",
        "Emplois pour 1 000 hab.",
        "Indice de spécificité",
        "Part dans l'emploi total",
    ]
    assert rows[0][1] == "209\u202f722"
    assert rows[-1][1:] == ["—", "—", "—", "—"]
    subheaders = [s.value for s in app.subheader]
    assert "Territoires voisins" in subheaders
    # Tables and charts are HTML and SVG: no data grid, no Vega chart.
    assert not app.dataframe
    assert not app.get("arrow_vega_lite_chart")
    charts = [h.value for h in app.html if "ess-terr-chart" in h.value]
    assert len(charts) == 3  # familles, sectors, neighbours
    assert all(c.count('<img src="data:image/svg+xml;base64,') == 2 for c in charts)
    assert 'alt="Part des emplois de l&#x27;ESS par famille' in charts[0]
    header, rows, selected = html_table(app, "Structures et emplois par famille")
    assert header[0] == "Famille" and rows[0][0] == "Association"
    header, rows, selected = html_table(
        app, "Le territoire et ses voisins (territoires limitrophes du même niveau)"
    )
    assert header == [
        "Territoire",
        "Population",
        "Structures",
        "Emplois (estimés)",
        "Structures pour 10 000 hab.",
        "Emplois pour 1 000 hab.",
        "Indice de spécificité",
        "Part dans l'emploi total",
    ]
    assert selected == ["Brest Métropole"]
    assert len(rows) == 4  # Brest and its three neighbouring EPCI
    brest = next(r for r in rows if r[0] == "Brest Métropole")
    assert brest[1] == "209\u202f722"
    assert "Panorama territorial" in subheaders
    assert any("**Rang**" in m.value for m in app.markdown)


def test_choosing_a_level_and_a_commune_updates_the_url(app):
    app.run()
    selectbox(app, "Niveau").select("commune").run()
    assert selectbox(app, "Territoire").disabled  # a département comes first
    selectbox(app, "Département").select("29").run()
    assert app.query_params["dep"] == "29"
    selectbox(app, "Territoire").select("29019").run()
    assert not app.exception
    assert app.query_params["niveau"] == "commune"
    assert app.query_params["code"] == "29019"
    assert app.header[0].value == "Brest"
    assert app.subheader[-1].value == (
        "Classement des communes du département 29 – Finistère"
    )
    assert any(m.value.startswith("**Brest** : ") for m in app.markdown)


def test_commune_in_the_url_fills_its_departement_and_region(app):
    app.query_params["niveau"] = "commune"
    app.query_params["code"] = "35238"
    app.run()
    assert not app.exception
    assert selectbox(app, "Département").value == "35"
    assert selectbox(app, "Région").value == "53"
    assert app.header[0].value == "Rennes"


def test_ranking_filters_by_region_and_sorts_on_the_chosen_indicator(app):
    app.query_params["region"] = "53"
    app.query_params["tri"] = "structures"
    app.run()
    assert not app.exception
    ranking = app.dataframe[0].value
    assert len(ranking) == 60
    assert ranking["structures"].is_monotonic_decreasing
    assert app.subheader[0].value == "Classement des EPCI de la région Bretagne"


def test_bad_url_values_fall_back_to_defaults(app):
    app.query_params["niveau"] = "canton"
    app.query_params["code"] = "<script>"
    app.query_params["tri"] = "nom"
    app.run()
    assert not app.exception
    assert selectbox(app, "Niveau").value == "epci"
    assert selectbox(app, "Territoire").value == ""
    assert selectbox(app, "Classer selon").value == "emplois_1000_hab"


def test_ignored_url_values_are_told_and_leave_the_url(app):
    app.query_params["niveau"] = "canton"
    app.query_params["code"] = "<script>"
    app.run()
    assert not app.exception
    notice = next(i.value for i in app.info if "ignorés" in i.value)
    assert notice.replace("\\", "").endswith(": niveau=canton, code=<script>.")
    assert app.query_params["niveau"] == "epci"
    assert "code" not in app.query_params


def test_pnr_without_known_communes_says_so(app):
    app.query_params["niveau"] = "pnr"
    app.query_params["code"] = "FR8000001"
    app.run()
    assert not app.exception
    assert any("Périmètre inconnu" in w.value for w in app.warning)
    assert any("Aucune structure" in i.value for i in app.info)
    assert any("Aucun territoire limitrophe" in i.value for i in app.info)


def shown(markdown: str) -> str:
    """Markdown source as displayed: backslash escapes removed."""
    return markdown.replace("\\", "")


def load_employment_script(content: bytes, name: str):
    import streamlit as st

    from ess_geo import ui

    ui.load_employment(content, name)
    table, source = ui.session_employment()
    st.write(f"{source}: {None if table is None else len(table)}")


def test_an_unusable_employment_upload_shows_why_and_is_not_kept():
    at = AppTest.from_function(
        load_employment_script, args=(b"CODGEO;P21_EMPLT\n29019;-3\n", "emploi.csv")
    )
    at.run()
    assert "nombre d'emplois « -3 » invalide" in shown(at.error[0].value)
    assert at.markdown[0].value == "None: None"


def test_a_good_employment_upload_is_kept_in_the_session():
    content = b"CODGEO;P21_EMPLT\n29019;10\n99999;1\n"
    at = AppTest.from_function(load_employment_script, args=(content, "emploi.csv"))
    at.run()
    assert not at.error
    assert "99999" in at.warning[0].value  # unknown code, kept with a warning
    assert at.markdown[0].value == "emploi.csv: 2"


def test_below_a_territory_the_ranking_table_is_drawn_on_demand(app):
    app.query_params["niveau"] = "epci"
    app.query_params["code"] = "242900314"
    app.query_params["region"] = "53"
    app.run()
    assert not app.exception
    assert not [d for d in app.dataframe if "rang" in d.value.columns]
    assert any(m.value.startswith("**Brest Métropole** : ") for m in app.markdown)
    switch = next(t for t in app.toggle if t.label == territoires.RANKING_TOGGLE)
    assert switch.value is False
    switch.set_value(True).run()
    assert not app.exception
    ranking = next(d.value for d in app.dataframe if "rang" in d.value.columns)
    assert len(ranking) == 60  # the EPCI of Bretagne, as without a territory
    assert "242900314" in set(ranking["code"])
    assert app.query_params["code"] == "242900314"


def test_every_change_of_a_control_holds_not_every_second_one(app):
    """A default taken from the URL gave the widget a new identity once the
    URL changed: the next change was lost and the control bounced back."""
    app.run()
    for level in ("pays", "pnr", "departement", "region", "epci"):
        selectbox(app, "Niveau").select(level).run()
        assert app.query_params["niveau"] == level
        assert selectbox(app, "Niveau").value == level
    for by in ("structures", "emplois", "emplois_1000_hab"):
        selectbox(app, "Classer selon").select(by).run()
        assert app.query_params.get("tri", "emplois_1000_hab") == by
    selectbox(app, "Région").select("53").run()
    selectbox(app, "Territoire").select("242900314").run()
    selectbox(app, "Territoire").select("243500139").run()
    assert app.query_params["code"] == "243500139"
    assert app.header[0].value == "Rennes Métropole"
    selectbox(app, "Niveau").select("pays").run()  # Rennes is no pays
    assert selectbox(app, "Territoire").value == ""
    assert "code" not in app.query_params
    assert not app.exception


def test_a_link_opened_in_the_session_sets_the_controls_again(app):
    app.run()
    selectbox(app, "Niveau").select("pays").run()
    app.query_params["niveau"] = "epci"  # the URL changed: back, a link
    app.query_params["code"] = "242900314"
    app.run()
    assert selectbox(app, "Niveau").value == "epci"
    assert selectbox(app, "Territoire").value == "242900314"
    assert app.header[0].value == "Brest Métropole"
