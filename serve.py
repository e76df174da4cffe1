"""ESS Territoires' server: ``streamlit run serve.py`` (what ``make run`` starts).

Streamlit's own server for the pages of app.py, each page telling the
frontend where that server is (:mod:`ess_geo.web`): opened at its own
address (``/territoires``, ``/couverture``…), a page connects about 0.1 s
sooner. Streamlit reads this file, finds ``app`` and serves it.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ess_geo import web

INDEX = Path(st.__file__).parent / "static" / "index.html"

app = st.App(
    "app.py",
    middleware=[
        Middleware(
            web.PageShells, shell=web.page_shell(INDEX.read_text(encoding="utf-8"))
        )
    ],
)
