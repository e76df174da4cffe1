"""Altair charts of the Territoires page: famille, sector, neighbours.

Pure builders (data in, ``alt.Chart`` out), testable through
``chart.to_dict()``; Streamlit draws them with its bundled Vega, offline.
Labels are French and shares are formatted as percentages.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ess_geo.report.figures import COLOURS

__all__ = ["family_chart", "neighbours_chart", "section_chart"]

_SERIES_COLOURS = alt.Scale(
    domain=["Territoire", "France"], range=[COLOURS["bar"], "#b8b2a6"]
)


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
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("libelle:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
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
    return (
        alt.Chart(data, title=f"{label} : le territoire et ses voisins")
        .mark_bar()
        .encode(
            y=alt.Y(
                "nom:N",
                sort=data["nom"].tolist(),
                title=None,
                axis=alt.Axis(labelLimit=260),
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
                alt.Tooltip("valeur:Q", title=label, format=",.2f"),
            ],
        )
    )
