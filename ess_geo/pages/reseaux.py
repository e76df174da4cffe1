"""Réseaux: the page's URL state and what it shows, without Streamlit.

The URL keeps ``region`` (name of a région, filters the list), ``type``
(network kind) and ``reseau`` (id of the network shown).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import ClassVar, Self

import pandas as pd

from ess_geo import actors as actor_rules
from ess_geo import formats
from ess_geo.geo import geography
from ess_geo.pages.urlstate import PageState, Params, QueryReader
from ess_geo.workspace import networks

__all__ = [
    "FIGURE_HEADERS",
    "KIND_OPTIONS",
    "ReseauxState",
    "count_caption",
    "figures_table",
    "invite_stem",
    "invite_table",
    "kind_label",
    "network_options",
    "network_perimeter",
    "region_label",
    "region_options",
    "weight_caption",
    "weight_metrics",
]

FIGURE_HEADERS: dict[str, str] = {
    "chiffre": "Chiffre",
    "cahier": "Cahier CNCRES (2011)",
    "donnees": "Données actuelles",
}
"""Headers of the table of the source document's figures."""

KIND_OPTIONS: list[str] = ["", *networks.KIND_LABELS]
"""Options of the network kind filter (``""``: every kind)."""


def region_options(listing: pd.DataFrame) -> list[str]:
    """Options of the région filter: ``""`` (every région), then the names.

    Parameters
    ----------
    listing : pandas.DataFrame
        :func:`ess_geo.workspace.networks.display_table` of every network.
    """
    return ["", *sorted(listing["Région"].dropna().unique())]


def region_label(name: str) -> str:
    """How a région filter option reads."""
    return name or "Toutes les régions"


def kind_label(key: str) -> str:
    """How a network kind filter option reads."""
    return networks.KIND_LABELS.get(key, "Tous les types")


@dataclasses.dataclass(frozen=True)
class ReseauxState(PageState):
    """The Réseaux page's state: the list's filters and the network shown.

    Attributes
    ----------
    region : str
        Name of the région the list keeps, ``""`` for all.
    kind : str
        Network kind the list keeps (a key of
        :data:`ess_geo.workspace.networks.KIND_LABELS`), ``""`` for all.
    network : str
        Id of the network shown, ``""`` for the first one listed.
    """

    PARAMS: ClassVar = {"region": "region", "kind": "type", "network": "reseau"}
    region: str = ""
    kind: str = ""
    network: str = ""

    @classmethod
    def from_query(
        cls, params: Params, listing: pd.DataFrame
    ) -> tuple[Self, list[str]]:
        """Read the state from the URL's query parameters.

        Parameters
        ----------
        params : mapping
            ``st.query_params`` or any mapping of parameter names to values.
        listing : pandas.DataFrame
            :func:`ess_geo.workspace.networks.display_table` of every network:
            the régions and ids that exist.

        Returns
        -------
        tuple
            The state, and the ``name=value`` of every parameter ignored
            (a région without network, an unknown kind or network).
        """
        q = QueryReader(params)
        default = cls.defaults()
        state = cls(
            region=q.choice("region", region_options(listing), default.region),
            kind=q.choice("type", KIND_OPTIONS, default.kind),
            network=q.choice("reseau", map(str, listing.index), default.network),
        )
        return state, q.ignored

    def network_in(self, options: list[str]) -> str:
        """The network to show among ``options``: this one, else the first."""
        return self.network if self.network in options else options[0]


def figures_table(figures: pd.DataFrame) -> pd.DataFrame:
    """The source document's figures with French headers, indexed by figure.

    Parameters
    ----------
    figures : pandas.DataFrame
        :func:`ess_geo.workspace.networks.figures` output.
    """
    return figures.rename(columns=FIGURE_HEADERS).set_index(FIGURE_HEADERS["chiffre"])


def count_caption(shown: pd.DataFrame, listing: pd.DataFrame) -> str:
    """How many networks the filters keep.

    Examples
    --------
    >>> count_caption(pd.DataFrame(index=[1]), pd.DataFrame(index=[1, 2]))
    '1 réseau(x) sur 2.'
    """
    return f"{len(shown)} réseau(x) sur {len(listing)}."


def network_options(shown: pd.DataFrame, listing: pd.DataFrame) -> list[str]:
    """Ids of the networks offered on the card: those listed, or all when none."""
    return [str(i) for i in (shown.index if len(shown) else listing.index)]


def network_perimeter(
    table: pd.DataFrame, perimeters: pd.DataFrame, network_id: int
) -> tuple[pd.Series, pd.DataFrame]:
    """One network's row and its declared perimeter rows.

    Parameters
    ----------
    table, perimeters : pandas.DataFrame
        :func:`ess_geo.workspace.networks.with_names` output.
    network_id : int
        The network's id.
    """
    network = table.set_index("id").loc[network_id]
    return network, perimeters[perimeters["nom"] == network["nom"]]


def weight_metrics(ess: Mapping[str, float]) -> list[tuple[str, str]]:
    """The four figures of the weight of the ESS on a network's territory.

    Parameters
    ----------
    ess : mapping
        :func:`ess_geo.workspace.networks.perimeter_weight` output.

    Returns
    -------
    list of (label, value)
    """
    return [
        ("Population", formats.number(ess["population"])),
        ("Structures de l'ESS", formats.number(ess["structures"])),
        ("Emplois de l'ESS", formats.number(ess["emplois"])),
        (
            "Emplois de l'ESS pour 1 000 hab.",
            formats.number(ess["emplois_1000_hab"], 1),
        ),
    ]


def weight_caption(ess: Mapping[str, float]) -> str:
    """The caption under those figures: communes, employers, density, source."""
    return (
        f"{ess['communes']} communes ; {formats.number(ess['employeurs'])} "
        "établissements employeurs ; "
        f"{formats.number(ess['structures_10k_hab'], 1)} structures pour 10 000 "
        f"habitants. {geography.ATTRIBUTION}."
    )


def invite_table(result: pd.DataFrame) -> pd.DataFrame:
    """The actors to invite as a table for people, in rank order.

    Parameters
    ----------
    result : pandas.DataFrame
        :func:`ess_geo.analysis.invite.invite` output.

    Returns
    -------
    pandas.DataFrame
        Rang, Nom, Famille, Activité, Emplois (exact, else the SIRENE band's
        midpoint; empty when unknown), Commune, Site web, Téléphone, Courriel,
        SIRET.
    """
    people = actor_rules.display_table(result)
    return pd.DataFrame(
        {
            "Rang": result["rang"].to_numpy(),
            **{k: people[k].to_numpy() for k in ("Nom", "Famille", "Activité")},
            "Emplois": result["emplois"].to_numpy(),
            "Commune": people["Commune"].to_numpy(),
            "Site web": result["site_web"].to_numpy(),
            "Téléphone": result["telephone"].to_numpy(),
            "Courriel": result["email"].to_numpy(),
            "SIRET": result["siret"].to_numpy(),
        }
    )


def invite_stem(network_id: int) -> str:
    """File name, without extension, of a network's list of actors to invite.

    Examples
    --------
    >>> invite_stem(12)
    'a-inviter-reseau-12'
    """
    return f"a-inviter-reseau-{network_id}"
