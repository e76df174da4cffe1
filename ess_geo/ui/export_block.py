"""A download made with a progress bar: prepare, then download.

``st.download_button`` with a callable makes the file when the person
clicks, with nothing shown meanwhile. For the long exports (the whole
workspace in XLSX), a first button makes the file while a progress bar
moves, then the download button is offered; the file is dropped from the
session once downloaded (or when another is prepared).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ess_geo import formats

__all__ = ["progress_download"]


def progress_download(
    label: str,
    make: Callable[[Callable[[float], None]], bytes],
    *,
    file_name: str,
    mime: str,
    key: str,
    where=st,
) -> None:
    """A « Préparer » button that makes the file with a progress bar, then its download.

    Parameters
    ----------
    label : str
        What the file is (``"Excel (XLSX)"``).
    make : callable
        Makes the file's bytes; called with a progress function (0 to 1).
    file_name, mime : str
    key : str
        Session key under which the prepared file waits for its download.
    where : module or container, default st
    """
    ready = st.session_state.get(key)
    if ready is None:
        if where.button(f"Préparer : {label}", key=f"{key}.prepare"):
            bar = where.progress(0.0, text=f"Préparation : {label}…")

            def advance(fraction: float) -> None:
                percent = formats.number(round(100 * fraction))
                bar.progress(min(1.0, fraction), text=f"{label} : {percent} %")

            st.session_state[key] = make(advance)
            bar.empty()
            st.rerun()
        return
    where.download_button(
        f"Télécharger : {label}",
        ready,
        file_name=file_name,
        mime=mime,
        key=f"{key}.download",
        on_click=lambda: st.session_state.pop(key, None),
    )
