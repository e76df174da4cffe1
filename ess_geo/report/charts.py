"""Altair charts of the pages: counts (Réseaux) and budgets.

Pure builders (data in, ``alt.Chart`` out), testable through
``chart.to_dict()``; Streamlit draws them with its bundled Vega, offline.
Labels are French and every number is written the French way
(:data:`FRENCH_LOCALE`, a d3 format locale: ``150 000``, ``3,3``,
``35 %``); Vega's generated English descriptions of marks and axes are
turned off, each chart being described by one French sentence.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ess_geo.report.figures import COLOURS

__all__ = [
    "FRENCH_LOCALE",
    "count_bars",
    "french",
    "stacked_bars",
]

FRENCH_LOCALE: dict[str, object] = {
    "number": {
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
        "percent": "\u202f%",
    }
}
"""d3 number format locale for French (Vega-Lite ``config.locale``)."""


def french(chart: alt.Chart, description: str) -> alt.Chart:
    """A chart with French numbers, described by one French sentence.

    Parameters
    ----------
    chart : altair.Chart
    description : str
        What the chart shows (read by screen readers).

    Returns
    -------
    altair.Chart
        Configured: :data:`FRENCH_LOCALE`, and no generated (English) ARIA
        descriptions of marks and axes.
    """
    return (
        chart.properties(description=description)
        .configure(locale=FRENCH_LOCALE, aria=False)
        .configure_mark(aria=False)
        .configure_bar(aria=False)
        .configure_title(aria=False)
    )


def count_bars(
    data: pd.DataFrame,
    category: str,
    value: str,
    *,
    category_title: str,
    value_title: str,
    description: str,
    horizontal: bool = False,
    sort_by_value: bool = False,
    height: int = 280,
) -> alt.Chart:
    """One bar per category (``st.bar_chart`` with French numbers).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per category.
    category, value : str
        Columns of the categories and of the counts.
    category_title, value_title : str
        Axis titles.
    description : str
        One French sentence for screen readers.
    horizontal : bool, default False
        Bars along the x axis.
    sort_by_value : bool, default False
        Longest bar first; else the order of ``data``.
    height : int, default 280

    Returns
    -------
    altair.Chart
    """
    order = "-x" if horizontal else "-y"
    sort = order if sort_by_value else data[category].astype(str).tolist()
    cat = alt.X if not horizontal else alt.Y
    val = alt.Y if not horizontal else alt.X
    encoding = {
        ("y" if horizontal else "x"): cat(
            f"{category}:N",
            title=category_title,
            sort=sort,
            axis=alt.Axis(labelLimit=160),
        ),
        ("x" if horizontal else "y"): val(
            f"{value}:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)
        ),
        "tooltip": [
            alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",d"),
        ],
    }
    chart = (
        alt.Chart(data)
        .mark_bar(color=COLOURS["bar"])
        .encode(**encoding)
        .properties(height=height)
    )
    return french(chart, description)


def stacked_bars(
    wide: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    description: str,
    height: int = 260,
) -> alt.Chart:
    """Stacked bars of amounts in euros, one bar per index value, one colour per column.

    Parameters
    ----------
    wide : pandas.DataFrame
        Index: the bars (years); columns: the stacked series.
    x_title, y_title : str
        Axis titles.
    description : str
        One French sentence for screen readers.
    height : int, default 260

    Returns
    -------
    altair.Chart
    """
    series = [str(c) for c in wide.columns]
    long = (
        wide.rename_axis("x")
        .reset_index()
        .melt(id_vars="x", var_name="serie", value_name="valeur")
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("x:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("valeur:Q", title=y_title, axis=alt.Axis(format=",d")),
            color=alt.Color(
                "serie:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=[COLOURS["bar"], "#d08c00"]),
                legend=alt.Legend(orient="top", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("x:O", title=x_title),
                alt.Tooltip("serie:N", title="Série"),
                alt.Tooltip("valeur:Q", title=y_title, format=",d"),
            ],
        )
        .properties(height=height)
    )
    return french(chart, description)
