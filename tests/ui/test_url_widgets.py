"""Keyed controls take the URL's values only when the URL changed behind the page."""

import pytest
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from ess_geo import ui

url = st.query_params.get("n", "1")
ui.seed_from_url("t.url", {"t.n": url, "t.m": "x"})
n = st.selectbox("n", ["1", "2", "3"], key="t.n")
if st.session_state.get("show_m", True):
    st.selectbox("m", ["x", "y"], key="t.m")
st.query_params["n"] = n
ui.remember_url("t.url", {"t.n": n, "t.m": "x"})
"""


@pytest.fixture
def app():
    at = AppTest.from_string(SCRIPT)
    at.run()
    return at


def test_every_change_holds(app):
    for value in ("2", "3", "1", "2"):
        app.selectbox[0].select(value).run()
        assert app.query_params["n"] == value
        assert app.selectbox[0].value == value


def test_a_changed_url_sets_the_control_again(app):
    app.selectbox[0].select("2").run()
    app.query_params["n"] = "3"
    app.run()
    assert app.selectbox[0].value == "3"


def test_a_control_not_drawn_on_the_last_run_gets_the_url_value_back(app):
    app.selectbox[1].select("y").run()
    app.session_state["show_m"] = False
    app.run()  # "m" not drawn: Streamlit forgets its value
    app.session_state["show_m"] = True
    app.selectbox[0].select("3").run()  # ... and "n" keeps its change
    assert app.selectbox[0].value == "3"
    assert app.selectbox[1].value == "x"


KEEP = """
import streamlit as st
from ess_geo import ui

options = ["a", "b"] if st.session_state.get("short") else ["a", "b", "c"]
ui.keep_if_among("k.choice", options, fallback="b")
st.selectbox("choice", options, key="k.choice")
"""


def test_a_value_that_left_the_options_falls_back():
    at = AppTest.from_string(KEEP)
    at.run()
    assert at.selectbox[0].value == "b"  # nothing kept yet: the fallback
    at.selectbox[0].select("c").run()
    assert at.selectbox[0].value == "c"
    at.session_state["short"] = True
    at.run()
    assert at.selectbox[0].value == "b"
    at.selectbox[0].select("a").run()
    assert at.selectbox[0].value == "a"  # a value still offered is kept
