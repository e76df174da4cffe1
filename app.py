"""ESS Territoires: the Streamlit entry point (``streamlit run app.py``).

Declares the pages, then draws what every page shares: the demo banner
above and the sources below.
"""

import streamlit as st

from ess_geo import ui

st.set_page_config(page_title="ESS Territoires", page_icon="🗺️", layout="wide")
ui.start_warm_up()

page = st.navigation(
    [
        st.Page(
            "views/carte.py",
            title="Carte",
            icon=":material/map:",
            url_path="accueil",
            default=True,
        ),
        st.Page(
            "views/territoires.py",
            title="Territoires",
            icon=":material/bar_chart:",
            url_path="territoires",
        ),
        st.Page(
            "views/reseaux.py",
            title="Réseaux",
            icon=":material/hub:",
            url_path="reseaux",
        ),
        st.Page(
            "views/couverture.py",
            title="Couverture",
            icon=":material/travel_explore:",
            url_path="couverture",
        ),
        st.Page(
            "views/annuaire.py",
            title="Annuaire",
            icon=":material/contacts:",
            url_path="annuaire",
        ),
        st.Page(
            "views/donnees.py",
            title="Données",
            icon=":material/database:",
            url_path="donnees",
        ),
        # Streamlit serves the default page at the root only: this hidden
        # twin answers the Carte's own address, /carte (shared links).
        st.Page(
            "views/carte.py",
            title="Carte",
            icon=":material/map:",
            url_path="carte",
            visibility="hidden",
        ),
    ]
)
# :small[] is Markdown's own (no raw HTML: the page needs no HTML parser
# for it); st.caption's grey would fail the contrast check.
st.sidebar.markdown(
    ":small[ESS Territoires — l'économie sociale et solidaire par territoire]"
)
ui.french_document()
ui.demo_banner()
ui.run_page(page)
ui.footer()
