"""The « Copier le lien » button: every page's state is in its address.

The button is plain HTML; the copying is done in the page by
``components/french.js`` (loaded on every page by
:func:`ess_geo.ui.chrome.french_document`), which writes the page's current
address, query string included, to the clipboard and says so next to the
button.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["COPY_LINK_HTML", "COPY_LINK_LABEL", "copy_link_button"]

COPY_LINK_LABEL = "Copier le lien"

COPY_LINK_HTML = (
    '<div class="ess-share">'
    '<button type="button" class="ess-copy-link" data-ess-copy-link '
    'title="Copier l\'adresse de cette page, qui reproduit ce que vous voyez">'
    f"{COPY_LINK_LABEL}</button>"
    '<span class="ess-copy-status" data-ess-copy-status role="status" '
    'aria-live="polite"></span></div>'
)
"""The button and its status line (constant HTML)."""


def copy_link_button() -> None:
    """A « Copier le lien » button: copies the page's address, state included."""
    st.html(COPY_LINK_HTML)
