"""Altair charts of the pages: famille, sector, neighbours, counts, budget.

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

from ess_geo.analysis.indicators import INDICATORS
from ess_geo.report.figures import COLOURS

__all__ = [
    "FRENCH_LOCALE",
    "count_bars",
    "family_chart",
    "french",
    "neighbours_chart",
    "section_chart",
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

_SERIES_COLOURS = alt.Scale(
    domain=["Territoire", "France"], range=[COLOURS["bar"], "#b8b2a6"]
)


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


def _compared(
    labels: pd.Series, own: pd.Series, reference: pd.Series, counts: pd.Series
) -> pd.DataFrame:
    """Long table: one row per label and series (the territory, France)."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "libelle": labels.to_numpy(),
                    "serie": "Territoire",
                    "part": own.to_numpy(),
                    "structures": counts.to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "libelle": labels.to_numpy(),
                    "serie": "France",
                    "part": reference.to_numpy(),
                    "structures": pd.NA,
                }
            ),
        ],
        ignore_index=True,
    )


def _share_bars(data: pd.DataFrame, order: list[str], title: str) -> alt.Chart:
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("libelle:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
            yOffset=alt.YOffset("serie:N", sort=["Territoire", "France"]),
            x=alt.X("part:Q", title="Part des emplois", axis=alt.Axis(format="%")),
            color=alt.Color(
                "serie:N",
                scale=_SERIES_COLOURS,
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("libelle:N", title="Catégorie"),
                alt.Tooltip("serie:N", title="Série"),
                alt.Tooltip("part:Q", title="Part des emplois", format=".1%"),
                alt.Tooltip("structures:Q", title="Structures"),
            ],
        )
        .properties(height=alt.Step(14))
    )
    return french(chart, title)


def family_chart(families: pd.DataFrame) -> alt.Chart:
    """Share of ESS jobs per famille, the territory beside France.

    Parameters
    ----------
    families : pandas.DataFrame
        :func:`ess_geo.analysis.weight.family_breakdown` output.

    Returns
    -------
    altair.Chart
    """
    data = _compared(
        families["libelle"],
        families["part_emplois"],
        families["part_emplois_reference"],
        families["structures"],
    )
    return _share_bars(
        data, families["libelle"].tolist(), "Part des emplois de l'ESS par famille"
    )


def section_chart(sections: pd.DataFrame, top: int = 10) -> alt.Chart:
    """Share of ESS jobs per NAF section (the ``top`` with most jobs) beside France.

    Parameters
    ----------
    sections : pandas.DataFrame
        :func:`ess_geo.analysis.weight.section_breakdown` output with a reference.
    top : int, default 10
        Sections shown.

    Returns
    -------
    altair.Chart
    """
    shown = sections[sections["structures"] > 0].head(top)
    labels = shown["section"] + " – " + shown["libelle"]
    data = _compared(
        labels,
        shown["part_emplois"],
        shown["part_emplois_reference"],
        shown["structures"],
    )
    return _share_bars(
        data, labels.tolist(), "Part des emplois de l'ESS par secteur d'activité"
    )


def neighbours_chart(neighbours: pd.DataFrame, indicator: str, label: str) -> alt.Chart:
    """One bar per territory (the selected one highlighted) on an indicator.

    Parameters
    ----------
    neighbours : pandas.DataFrame
        :func:`ess_geo.analysis.weight.neighbours_table` output.
    indicator : str
        Column to draw.
    label : str
        Its French label (axis title).

    Returns
    -------
    altair.Chart
    """
    data = pd.DataFrame(
        {
            "nom": neighbours["nom"].to_numpy(),
            "valeur": neighbours[indicator].astype("float64").to_numpy(),
            "serie": neighbours["selection"]
            .map({True: "Territoire choisi", False: "Voisin"})
            .to_numpy(),
        }
    )
    title = f"{label} : le territoire et ses voisins"
    decimals = INDICATORS[indicator].decimals if indicator in INDICATORS else 2
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(
                "nom:N",
                sort=data["nom"].tolist(),
                title=None,
                axis=alt.Axis(labelLimit=160),
            ),
            x=alt.X("valeur:Q", title=label),
            color=alt.Color(
                "serie:N",
                scale=alt.Scale(
                    domain=["Territoire choisi", "Voisin"],
                    range=["#d08c00", COLOURS["bar"]],
                ),
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("nom:N", title="Territoire"),
                alt.Tooltip("valeur:Q", title=label, format=f",.{decimals}f"),
            ],
        )
    )
    return french(chart, title)
