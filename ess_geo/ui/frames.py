"""Data frames with French numbers, and tables that fit a phone.

Streamlit's data frame writes numbers the English way unless a column says
otherwise; its ``"localized"`` and ``"percent"`` formats follow the
browser's language, which ``components/french.js`` makes French on every
page. :func:`french_columns` gives every number column of a table one of
them, with the decimals of the indicator registry
(:data:`ess_geo.analysis.indicators.INDICATORS`) when the column is an
indicator.

:func:`responsive_table` draws a table twice: whole from 641 px, reduced to
its key columns below (a phone), with the whole table one tap away in an
expander. ``components/french.css`` shows one or the other. Each copy
carries only the columns it shows (every copy travels to the browser).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from ess_geo.analysis.indicators import INDICATORS, Indicator

__all__ = [
    "french_columns",
    "indicator_column",
    "number_column",
    "responsive_table",
]

_BY_LABEL = {
    label: indicator
    for indicator in INDICATORS.values()
    for label in (indicator.label, indicator.short_label)
}


def number_column(
    label: str | None = None,
    decimals: int | None = 0,
    *,
    share: bool = False,
    help: str | None = None,
    width: str | None = None,
):
    """A number column written the French way (``1 234,5`` or ``12,5 %``).

    Parameters
    ----------
    label : str, optional
    decimals : int or None, default 0
        Decimals shown (of the percentage for a share); None lets the
        browser choose (up to three).
    share : bool, default False
        The values are shares between 0 and 1, shown as percentages.
    help, width : optional
        As ``st.column_config.NumberColumn``.
    """
    if share:
        step = None if decimals is None else 10 ** -(decimals + 2)
        number_format = "percent"
    else:
        step = None if decimals is None else 10**-decimals
        number_format = "localized"
    return st.column_config.NumberColumn(
        label, format=number_format, step=step, help=help, width=width
    )


def indicator_column(indicator: Indicator, label: str | None = None):
    """The number column of an indicator: its label, its decimals."""
    return number_column(
        label or indicator.label,
        indicator.decimals,
        share=indicator.is_share,
        help=indicator.description,
    )


def french_columns(
    frame: pd.DataFrame, config: Mapping[str, object] | None = None
) -> dict[str, object]:
    """``column_config`` giving every number column of a table French numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to show.
    config : mapping, optional
        Columns already configured, kept as they are.

    Returns
    -------
    dict
        ``config`` plus one :func:`number_column` per other number column:
        an indicator (by key or label) with its decimals, an integer column
        with none, another decimal column with the browser's choice.
    """
    result = dict(config or {})
    for column in frame.columns:
        name = str(column)
        if name in result:
            continue
        dtype = frame[column].dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(
            dtype
        ):
            continue
        indicator = INDICATORS.get(name) or _BY_LABEL.get(name)
        if indicator is not None:
            result[name] = indicator_column(indicator, label=name)
        elif pd.api.types.is_integer_dtype(dtype):
            result[name] = number_column(name, 0)
        else:
            result[name] = number_column(name, None)
    return result


def responsive_table(
    frame: pd.DataFrame,
    key: str,
    key_columns: Sequence[str],
    *,
    column_order: Sequence[str] | None = None,
    column_config: Mapping[str, object] | None = None,
    key_first: bool = True,
    **dataframe_options,
) -> None:
    """A table whole on a wide screen, its key columns on a phone.

    Parameters
    ----------
    frame : pandas.DataFrame
    key : str
        Names the two containers (``ess-wide-<key>``, ``ess-phone-<key>``).
    key_columns : sequence of str
        The columns a phone shows at once (the index, if shown, stays); the
        others are in an expander below, one tap away.
    column_order : sequence of str, optional
        The columns of the whole table (default: all), shown after the key
        columns.
    column_config : mapping, optional
        Completed by :func:`french_columns`.
    key_first : bool, default True
        Put the key columns first in the whole table too, so that they are
        never the ones scrolled out of view; False keeps ``column_order``.
    **dataframe_options
        Passed to ``st.dataframe`` (not ``key`` nor a selection: the table
        is drawn twice).
    """
    config = french_columns(frame, column_config)
    shown = [c for c in key_columns if c in frame.columns]
    every = list(column_order) if column_order is not None else list(frame.columns)
    others = [c for c in every if c not in shown]
    order = shown + others if key_first else every
    with st.container(key=f"ess-wide-{key}"):
        st.dataframe(
            _only(frame, order),
            column_config=config,
            column_order=order,
            **dataframe_options,
        )
    with st.container(key=f"ess-phone-{key}"):
        st.dataframe(
            _only(frame, shown),
            column_config=_narrow(
                frame, shown, config, not dataframe_options.get("hide_index")
            ),
            column_order=shown,
            **dataframe_options,
        )
        if others:
            labels = [_label(config.get(str(c)), str(c)) for c in others]
            with st.expander("Autres colonnes : " + ", ".join(labels)):
                st.dataframe(
                    _only(frame, others),
                    column_config=config,
                    column_order=others,
                    **dataframe_options,
                )


def _only(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns a copy shows, and only them: each copy is sent to the browser."""
    return frame[[c for c in columns if c in frame.columns]]


def _narrow(
    frame: pd.DataFrame,
    columns: Sequence[str],
    config: Mapping[str, object],
    with_index: bool,
) -> dict[str, object]:
    """The configuration of key columns sized for a phone (390 px).

    The first column (the index when shown) is "medium" (about 200 px), the
    others "small", so that three fit.
    """
    narrow = dict(config)
    names = (["_index"] if with_index else []) + [str(c) for c in columns]
    for position, name in enumerate(names):
        own = config.get(name)
        entry = dict(own) if isinstance(own, Mapping) else {}
        if isinstance(own, str):
            entry["label"] = own
        entry["width"] = "medium" if position == 0 else "small"
        narrow[name] = entry
    return narrow


def _label(column_config: object, name: str) -> str:
    """A column's header: its configured label, else its name."""
    if isinstance(column_config, Mapping) and column_config.get("label"):
        return str(column_config["label"])
    if isinstance(column_config, str):
        return column_config
    return name
