"""Page logic through Streamlit's AppTest (no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import store, ui

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(workspace_path):
    conn = store.connect(workspace_path)
    from ess_geo import demo

    demo.seed_workspace(conn, size=3_000, seed=11)
    conn.close()
    return AppTest.from_file(APP, default_timeout=60)


def test_home_is_the_carte_page_with_demo_banner(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Carte des acteurs de l'ESS"
    assert any(ui.DEMO_BANNER in info.value for info in app.info)
    assert "3\u202f000" in app.markdown[0].value
    assert [s.label for s in app.selectbox] == ["Fond de carte", "Département", "EPCI"]
    assert app.selectbox[0].value == "aucun"
    assert app.selectbox[2].disabled


def test_choosing_a_departement_lists_its_actors_and_updates_the_url(app):
    app.run()
    app.selectbox[1].select("29").run()
    assert not app.exception
    assert app.query_params["dep"] == "29"
    assert "Finistère" in app.markdown[0].value
    assert not app.selectbox[2].disabled
    assert len(app.selectbox[2].options) == 22  # "Tout le département" + 21 EPCI


def test_choosing_an_epci_narrows_the_selection(app):
    app.run()
    app.selectbox[1].select("29").run()
    app.selectbox[2].select("242900314").run()
    assert not app.exception
    assert "Brest Métropole" in app.markdown[0].value


def test_url_restores_the_view(app):
    app.query_params["dep"] = "35"
    app.query_params["fond"] = "osm"
    app.run()
    assert not app.exception
    assert app.selectbox[1].value == "35"
    assert app.selectbox[0].value == "osm"
    assert "Ille-et-Vilaine" in app.markdown[0].value


def test_bad_url_values_fall_back_to_defaults(app):
    app.query_params["dep"] = "<script>"
    app.query_params["fond"] = "google"
    app.run()
    assert not app.exception
    assert app.selectbox[1].value == ""
    assert app.selectbox[0].value == "aucun"


def test_no_banner_once_only_real_actors_remain(app, workspace_path):
    conn = store.connect(workspace_path)
    with store.transaction(conn):
        conn.execute("DELETE FROM actors")
        store.audit(conn, "test.clear", {})
    conn.close()
    app.run()
    assert not app.exception
    assert not any(ui.DEMO_BANNER in info.value for info in app.info)


def test_unusable_workspace_shows_a_french_error(tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not sqlite" * 500)
    monkeypatch.setenv("ESS_GEO_DB", str(bad))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert app.error
    assert "Impossible d'ouvrir l'espace de travail" in app.error[0].value
