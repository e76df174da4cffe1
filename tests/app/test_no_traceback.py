"""Issue 15: pages never show a traceback, whatever the link or the click."""

import tomllib

import pytest
from streamlit import config
from streamlit.elements import exception as st_exception
from streamlit.testing.v1 import AppTest

from ess_geo import paths
from ess_geo.workspace import seeding, store


def test_issue15_config_hides_every_error_detail(monkeypatch):
    settings = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text())
    value = settings["client"]["showErrorDetails"]
    assert value == "none"
    monkeypatch.setattr(config, "get_option", lambda key: value)
    shown = st_exception._error_detail_visibility(True)
    assert (shown.show_message, shown.show_trace, shown.show_type) == (
        False,
        False,
        False,
    )


@pytest.fixture(scope="module")
def seeded_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "workspace.sqlite"
    conn = store.connect(path)
    seeding.seed_workspace(conn, size=300, seed=3)
    conn.close()
    return path


@pytest.mark.parametrize(
    ("page", "params", "ignored"),
    [
        ("views/annuaire.py", {"page": "²"}, "page=²"),
        ("views/carte.py", {"acteur": "²"}, "acteur=²"),
        (
            "views/couverture.py",
            {"poids": "structures:1e309"},
            "poids=structures:1e309",
        ),
    ],
)
def test_issue15_forged_links_are_ignored_with_a_notice(
    seeded_path, monkeypatch, page, params, ignored
):
    monkeypatch.setenv("ESS_GEO_DB", str(seeded_path))
    app = AppTest.from_file(str(paths.ROOT / page), default_timeout=120)
    app.query_params.update(params)
    app.run()
    assert not app.exception
    notices = [e.value for e in (*app.warning, *app.info, *app.markdown)]
    assert any(ignored in n.replace("\\", "") for n in notices), notices
