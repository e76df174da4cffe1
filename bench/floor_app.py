"""The smallest Streamlit page: the browser benchmark's floor.

A title and a heading, nothing else: the time a new browser takes to show
it is what Streamlit's own frontend costs before any page of the app can
draw (its JavaScript, then the WebSocket). Run by ``python -m bench
browser``; not part of the app.
"""

import streamlit as st

st.set_page_config(page_title="ESS Territoires", layout="wide")
st.title("Poids de l'ESS par territoire")
st.subheader("Comparaison")
