"""Library errors are shown literally; show_error stops the page."""

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo.errors import EssGeoError
from ess_geo.ui import messages


def stopping_page():
    import streamlit as st

    from ess_geo.errors import EssGeoError
    from ess_geo.ui import messages

    st.markdown("avant")
    messages.show_error(EssGeoError("Fichier **[piège](http://x.example)**"))
    st.markdown("après")


def going_on_page():
    import streamlit as st

    from ess_geo.ui import messages

    messages.show_problem("Commune « :red[Brest] » inconnue")
    st.markdown("après")


def test_show_error_shows_the_message_literally_and_stops():
    at = AppTest.from_function(stopping_page).run()
    assert not at.exception
    assert at.error[0].value == (
        "Fichier \\*\\*\\[piège\\]\\(http\\://x\\.example\\)\\*\\*"
    )
    assert [m.value for m in at.markdown] == ["avant"]


def test_show_problem_shows_the_message_literally_and_the_page_goes_on():
    at = AppTest.from_function(going_on_page).run()
    assert at.error[0].value == "Commune « \\:red\\[Brest\\] » inconnue"
    assert [m.value for m in at.markdown] == ["après"]


def test_show_error_never_returns_even_outside_a_streamlit_run():
    with pytest.raises(EssGeoError, match="hors session"):
        messages.show_error(EssGeoError("hors session"))


def ignoring_page():
    import streamlit as st

    from ess_geo.ui import messages

    messages.show_ignored([])
    messages.show_ignored(["onglet=[piège](http://x.example)"])
    st.markdown("après")


def test_show_ignored_names_link_values_literally_and_only_when_there_are_some():
    at = AppTest.from_function(ignoring_page).run()
    assert len(at.info) == 1
    assert at.info[0].value == (
        "Paramètres de l\\'adresse ignorés \\(valeur inconnue ou hors limites\\) "
        "\\: onglet\\=\\[piège\\]\\(http\\://x\\.example\\)\\."
    )
    assert [m.value for m in at.markdown] == ["après"]
