"""ESS Territoires: the Streamlit entry point (``streamlit run app.py``).

Declares the pages, then draws what every page shares: the demo banner
above and the sources below.
"""

import streamlit as st

from ess_geo import ui

st.set_page_config(page_title="ESS Territoires", page_icon="🗺️", layout="wide")

page = st.navigation(
    [
        st.Page(
            "pages/carte.py", title="Carte", icon="🗺️", url_path="carte", default=True
        ),
        st.Page("pages/donnees.py", title="Données", icon="🗃️", url_path="donnees"),
    ]
)
st.sidebar.caption("ESS Territoires — l'économie sociale et solidaire par territoire")
ui.demo_banner()
page.run()
ui.footer()
