"""Widgets whose values live in the URL, kept across reruns.

A widget given its default from the URL (``index=``, ``value=``) changes
identity when the URL changes: after a first change written to the URL, the
next change was made on a widget Streamlit no longer knew, and was lost
(every second change of a control bounced back, at the cost of a rerun).
Keyed widgets keep their identity; :func:`seed_from_url` gives them the
URL's values when the URL changed behind the page's back (first visit, a
shared link, the browser's back button, a return from another page), and
:func:`remember_url` records what the page wrote.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

__all__ = ["keep_if_among", "remember_url", "seed_from_url"]


def seed_from_url(memo: str, values: Mapping[str, object]) -> None:
    """Set the keyed widgets to the URL's values, unless the page wrote that URL.

    Call before the widgets are created (and create them without a default).

    Parameters
    ----------
    memo : str
        Session key of what the page last wrote (:func:`remember_url`).
    values : mapping
        Widget key -> the value the URL gives it.
    """
    changed = st.session_state.get(memo) != dict(values)
    for key, value in values.items():
        # A widget not drawn on the last run lost its value: the URL has it.
        if changed or key not in st.session_state:
            st.session_state[key] = value


def remember_url(memo: str, values: Mapping[str, object]) -> None:
    """Record the widgets' values the page is writing to the URL.

    Parameters
    ----------
    memo : str
        Session key given to :func:`seed_from_url`.
    values : mapping
        Widget key -> its value, as the URL will give it back.
    """
    st.session_state[memo] = dict(values)


def keep_if_among(key: str, options: list[str], fallback: str = "") -> None:
    """Reset a keyed control whose value left its options (another level, filter…).

    Call before the widget is created.

    Parameters
    ----------
    key : str
        The widget's session key.
    options : list of str
        The options the widget is about to offer.
    fallback : str, default ""
        Its value when the kept one is no longer offered.
    """
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback
