"""Couverture's prospect block: the structures motrices shown, the first prospect."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ess_geo import actors as actor_rules
from ess_geo.pages.couverture import CouvertureState

__all__ = ["motrices_table", "prospect_default"]


def motrices_table(result: pd.DataFrame) -> pd.DataFrame:
    """Structures motrices as a table for people, in rank order.

    Parameters
    ----------
    result : pandas.DataFrame
        :func:`ess_geo.analysis.motrices.motrices` output.
    """
    people = actor_rules.display_table(result)
    return pd.DataFrame(
        {
            "Rang": result["rang"].to_numpy(),
            **{k: people[k].to_numpy() for k in ("Nom", "Famille", "Activité")},
            "Emplois": result["emplois"].to_numpy(),
            "Commune": people["Commune"].to_numpy(),
            "Pourquoi": result["motif"].to_numpy(),
            "Site web": result["site_web"].to_numpy(),
            "Téléphone": result["telephone"].to_numpy(),
            "Courriel": result["email"].to_numpy(),
            "SIRET": result["siret"].to_numpy(),
        }
    )


def prospect_default(state: CouvertureState, ranked_codes: Sequence[str]) -> int:
    """Index of the territory the structures motrices and the sheet start on.

    The first retained prospect, else the best ranked.
    """
    chosen = state.selected(ranked_codes)
    return list(ranked_codes).index(chosen[0]) if chosen else 0
