"""The indicators of the ESS weight: one record each, read by every page and file.

Each column of the weight table (:func:`ess_geo.analysis.weight.indicators`)
that measures something has one :class:`Indicator` in :data:`INDICATORS`: its
French label and short label, its unit, the decimals it is shown with and a
sentence saying what it counts. The weight table, the map's classes and
legends, the pages, the CSV and XLSX headers and the panorama all take their
wording and their decimals from here, so that a figure is named and rounded
the same way everywhere.

Two labels, two roles:

- ``label`` names the indicator on its own: menus, map legends and layers,
  tooltips, the column of a table that has one indicator among others
  (``Emplois de l'ESS pour 1 000 habitants``);
- ``short_label`` names it where the page already says it is about the ESS
  and space is short: key figures, comparison rows, narrow column headers
  (``Emplois pour 1 000 hab.``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ess_geo import formats
from ess_geo.actors.schema import FAMILY_LABELS

__all__ = ["FAMILY_COLUMNS", "INDICATORS", "SHARE", "Indicator", "key_figure"]

SHARE = "%"
"""Unit of a share (a value between 0 and 1, printed as a percentage)."""


@dataclass(frozen=True)
class Indicator:
    """An indicator of the ESS weight, as people read it.

    Parameters
    ----------
    key : str
        Its column in the weight table.
    label : str
        French name on its own (menus, legends, table headers).
    short_label : str
        French name where the context says "ESS" (key figures, comparisons).
    unit : str
        What it counts (``"emplois"``, ``"structures pour 10 000 habitants"``…);
        :data:`SHARE` for a share, printed as a percentage.
    decimals : int
        Decimals shown (percentage points for a share). Tables meant to be
        sorted or exported keep one more.
    description : str
        One French sentence: what it counts and how.
    """

    key: str
    label: str
    short_label: str
    unit: str
    decimals: int
    description: str

    @property
    def is_share(self) -> bool:
        """Whether it is a share, printed as a percentage."""
        return self.unit == SHARE

    def format(self, value: object) -> str:
        r"""A value the French way, with the indicator's decimals.

        Parameters
        ----------
        value : number or None
            Missing values print as :data:`ess_geo.formats.MISSING`.

        Returns
        -------
        str

        Examples
        --------
        >>> INDICATORS["emplois_1000_hab"].format(12.345)
        '12,3'
        >>> INDICATORS["part_emploi"].format(0.0834)
        '8,3\xa0%'
        """
        if self.is_share:
            return formats.percent(value, self.decimals)
        return formats.number(value, self.decimals)


FAMILY_COLUMNS: dict[str, str] = {
    "association": "associations",
    "cooperative": "cooperatives",
    "mutuelle": "mutuelles",
    "fondation": "fondations",
    "societe_commerciale": "societes_commerciales",
}
"""Famille -> name of its structure-count column in the weight table."""

_FAMILY_PLURALS: dict[str, str] = {
    "association": "Associations",
    "cooperative": "Coopératives",
    "mutuelle": "Mutuelles",
    "fondation": "Fondations",
    "societe_commerciale": "Sociétés commerciales de l'ESS",
}

_JOBS = (
    "Effectif exact quand il est connu, sinon milieu de la tranche d'effectif "
    "SIRENE ; les structures à effectif inconnu ne sont pas comptées."
)

INDICATORS: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in (
        Indicator(
            "population",
            "Population",
            "Population",
            "habitants",
            0,
            "Population municipale (INSEE).",
        ),
        Indicator(
            "structures",
            "Structures de l'ESS",
            "Structures",
            "structures",
            0,
            "Établissements des acteurs de l'ESS situés sur le territoire.",
        ),
        Indicator(
            "employeurs",
            "Établissements employeurs de l'ESS",
            "Employeurs",
            "établissements",
            0,
            "Structures de l'ESS qui emploient au moins un salarié.",
        ),
        Indicator(
            "emplois",
            "Emplois de l'ESS (estimés)",
            "Emplois (estimés)",
            "emplois",
            0,
            f"Emplois salariés des structures de l'ESS. {_JOBS}",
        ),
        Indicator(
            "emplois_inconnus",
            "Structures à effectif inconnu",
            "Effectif inconnu",
            "structures",
            0,
            "Structures de l'ESS dont ni l'effectif ni la tranche d'effectif ne "
            "sont connus : leurs emplois ne sont pas estimés.",
        ),
        *(
            Indicator(
                column,
                _FAMILY_PLURALS[famille],
                _FAMILY_PLURALS[famille],
                "structures",
                0,
                f"Structures de l'ESS de la famille « {FAMILY_LABELS[famille]} ».",
            )
            for famille, column in FAMILY_COLUMNS.items()
        ),
        Indicator(
            "structures_10k_hab",
            "Structures de l'ESS pour 10 000 habitants",
            "Structures pour 10 000 hab.",
            "structures pour 10 000 habitants",
            1,
            "Structures de l'ESS rapportées à la population.",
        ),
        Indicator(
            "emplois_1000_hab",
            "Emplois de l'ESS pour 1 000 habitants",
            "Emplois pour 1 000 hab.",
            "emplois pour 1 000 habitants",
            1,
            f"Emplois de l'ESS rapportés à la population. {_JOBS}",
        ),
        Indicator(
            "indice_specificite",
            "Indice de spécificité (France = 1)",
            "Indice de spécificité",
            "indice (France = 1)",
            2,
            "Emplois de l'ESS par habitant du territoire rapportés à ceux de la "
            "France : au-dessus de 1, l'ESS y pèse plus qu'en moyenne.",
        ),
        Indicator(
            "indice_specificite_region",
            "Indice de spécificité (région = 1)",
            "Indice de spécificité régional",
            "indice (région = 1)",
            2,
            "Emplois de l'ESS par habitant du territoire rapportés à ceux de sa "
            "région (celle où vit la majorité de sa population).",
        ),
        Indicator(
            "part_emploi",
            "Part de l'ESS dans l'emploi total",
            "Part dans l'emploi total",
            SHARE,
            1,
            "Emplois de l'ESS rapportés à l'emploi total au lieu de travail "
            "(INSEE) ; calculée quand ce fichier est chargé.",
        ),
    )
}
"""Every indicator of the weight table, by column, in the table's order."""


def key_figure(key: str, value: object) -> tuple[str, str]:
    """A key figure of a territory, as a page or the panorama shows it.

    Parameters
    ----------
    key : str
        A key of :data:`INDICATORS`.
    value : number or None
        The territory's value.

    Returns
    -------
    tuple of str
        The short label (the count of structures keeps its label, so that a
        block of key figures names the ESS once) and the value formatted.

    Examples
    --------
    >>> key_figure("structures", 1234)
    ("Structures de l'ESS", '1\u202f234')
    >>> key_figure("emplois_1000_hab", 12.34)
    ('Emplois pour 1 000 hab.', '12,3')
    >>> key_figure("emplois", 907.5)
    ('Emplois (environ)', '908')
    """
    indicator = INDICATORS[key]
    label = indicator.label if key == "structures" else indicator.short_label
    if key == "emplois":  # band midpoints: an estimate, in whole numbers
        label = "Emplois (environ)"
    return label, indicator.format(value)
