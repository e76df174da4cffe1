"""How a page tells the user about a library error or an ignored link value.

Library errors (:class:`ess_geo.errors.EssGeoError`) carry a French message
meant for the user; it often quotes what the user typed or what a file held,
so it is always shown literally, Markdown escaped. Two ways, and only two:
:func:`show_error` when the page cannot go on, :func:`show_problem` when it
can (a form refused, a file not usable). :func:`show_ignored` says which
values of a link the page could not use (the values come from the URL, so
they are escaped too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import streamlit as st

from ess_geo.errors import EssGeoError
from ess_geo.pages.urlstate import ignored_notice
from ess_geo.text import escape_markdown

__all__ = ["show_error", "show_ignored", "show_problem"]


def show_problem(problem: Exception | str, *, icon: str = "⚠️") -> None:
    """Show an error message, user text in it literal; the page goes on.

    Parameters
    ----------
    problem : Exception or str
        A library error, or a refusal already worded in French.
    icon : str, default "⚠️"
    """
    st.error(escape_markdown(str(problem)), icon=icon)


def show_ignored(ignored: Iterable[str]) -> None:
    """Say which link values were ignored, escaped (``urlstate.ignored_notice``).

    Parameters
    ----------
    ignored : iterable of str
        ``"name=value"`` of every value a page state could not use; nothing
        is shown when it is empty.
    """
    if notice := ignored_notice(ignored):
        st.info(escape_markdown(notice), icon="ℹ️")


def show_error(exc: EssGeoError) -> NoReturn:
    """Show a library error and stop the page.

    Parameters
    ----------
    exc : EssGeoError

    Raises
    ------
    EssGeoError
        ``exc`` again, outside a Streamlit run only (bare mode, where
        ``st.stop()`` returns): a caller never goes on after the error.
    """
    show_problem(exc)
    st.stop()
    raise exc
