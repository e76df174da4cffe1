"""Needs of the public, mapped to NAF activity codes.

The Annuaire lets a person look for ESS actors by need ("petite enfance",
"santé", "logement"…) rather than by activity code. The twelve needs come
from the source document's promise to the public; each is defined by a list
of NAF rév. 2 codes or code prefixes (a division such as ``86``, a group
``65.1``, a class ``47.11`` or a sub-class ``88.91A``) in the reference table
``data/reference/besoins_naf.csv``, whose choices are documented in
``data/reference/SOURCES.md``. An activity may answer several needs (an ESAT
is both "personnes âgées et handicap" and "emploi et insertion"); many
activities answer none (``94.99Z``, the catch-all of associations).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from ess_geo import paths
from ess_geo.actors.schema import (
    naf_label,
    naf_subclasses,
    normalise_naf,
)
from ess_geo.errors import NeedsTableError, UnknownNeedError

__all__ = [
    "MAPPING_PATH",
    "NEEDS",
    "describe",
    "mapping",
    "naf_codes",
    "needs_of",
    "read_mapping",
]

MAPPING_PATH = paths.REFERENCE_DIR / "besoins_naf.csv"

NEEDS: dict[str, str] = {
    "petite_enfance": "Petite enfance",
    "personnes_agees_handicap": "Personnes âgées et handicap",
    "logement": "Logement",
    "sante": "Santé",
    "transports_mobilite": "Transports et mobilité",
    "alimentation_circuits_courts": "Alimentation et circuits courts",
    "emploi_insertion": "Emploi et insertion",
    "culture_loisirs": "Culture et loisirs",
    "sport": "Sport",
    "education_formation": "Éducation et formation",
    "environnement_reemploi": "Environnement et réemploi",
    "finance_solidaire": "Finance solidaire",
}
"""The twelve needs, key -> label, in the order the page lists them."""

# A NAF rév. 2 code at any level: division, group, class or sub-class.
_NAF_PREFIX = re.compile(r"^\d{2}(\.\d(\d[A-Z]?)?)?$")


def read_mapping(path: Path | str = MAPPING_PATH) -> pd.DataFrame:
    """Read and check a need -> NAF table.

    Parameters
    ----------
    path : path-like, default :data:`MAPPING_PATH`
        CSV with columns ``besoin`` (a key of :data:`NEEDS`), ``naf`` (a
        dotted NAF rév. 2 code or prefix) and ``motif`` (why).

    Returns
    -------
    pandas.DataFrame
        The rows as read.

    Raises
    ------
    NeedsTableError
        If a column is missing, a need is unknown, a code is malformed or
        names no NAF rév. 2 sub-class (``data/reference/naf_rev2.csv``), a
        row is repeated, or a need has no code at all.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["besoin", "naf", "motif"]
    if list(table.columns) != expected:
        raise NeedsTableError(
            f"Table des besoins {path} : colonnes {list(table.columns)}, "
            f"attendu {expected}."
        )
    subclasses = naf_subclasses()
    problems = []
    for line, (need, code, _) in enumerate(table.itertuples(index=False), start=2):
        if need not in NEEDS:
            problems.append(f"ligne {line} : besoin « {need} » inconnu")
        if not _NAF_PREFIX.match(code):
            problems.append(
                f"ligne {line} : code NAF « {code} » mal formé "
                "(attendu 86, 65.1, 47.11 ou 88.91A)"
            )
        elif not subclasses.str.startswith(code).any():
            problems.append(
                f"ligne {line} : le code « {code} » ne désigne aucune "
                "sous-classe de la NAF rév. 2"
            )
    repeated = table[table.duplicated(["besoin", "naf"])]
    problems += [f"ligne {i + 2} : répétée" for i in repeated.index]
    problems += [
        f"besoin « {need} » sans aucun code"
        for need in NEEDS
        if need not in set(table["besoin"])
    ]
    if problems:
        raise NeedsTableError(
            f"Table des besoins {path} refusée :\n- " + "\n- ".join(problems)
        )
    return table


@functools.cache
def mapping() -> pd.DataFrame:
    """The NAF sub-classes that answer each need (read once, shared: read-only).

    Returns
    -------
    pandas.DataFrame
        Columns ``besoin`` and ``naf`` (a dotted sub-class), one row per
        pair, the prefixes of ``besoins_naf.csv`` expanded over
        ``naf_rev2.csv``.
    """
    table = read_mapping()
    subclasses = pd.Series(naf_subclasses())
    rows = [
        (need, code)
        for need, prefix in table[["besoin", "naf"]].itertuples(index=False)
        for code in subclasses[subclasses.str.startswith(prefix)]
    ]
    return pd.DataFrame(rows, columns=["besoin", "naf"]).drop_duplicates(
        ignore_index=True
    )


def naf_codes(need: str) -> frozenset[str]:
    """The NAF sub-classes whose actors answer a need.

    Parameters
    ----------
    need : str
        A key of :data:`NEEDS`.

    Returns
    -------
    frozenset of str
        Dotted sub-class codes.

    Raises
    ------
    UnknownNeedError
        If ``need`` is not a key of :data:`NEEDS`.

    Examples
    --------
    >>> sorted(naf_codes("petite_enfance"))
    ['85.10Z', '88.91A']
    """
    if need not in NEEDS:
        raise UnknownNeedError(need, NEEDS)
    table = mapping()
    return frozenset(table.loc[table["besoin"] == need, "naf"])


def needs_of(naf: pd.Series) -> pd.Series:
    """The labels of the needs each activity answers.

    Parameters
    ----------
    naf : pandas.Series
        NAF codes (dotted or not).

    Returns
    -------
    pandas.Series
        A tuple of need labels per row, in the order of :data:`NEEDS`; an
        empty tuple where the code answers no need or is unknown.

    Examples
    --------
    >>> needs_of(pd.Series(["88.10C", "94.99Z"])).tolist()
    [('Personnes âgées et handicap', 'Emploi et insertion'), ()]
    """
    by_code: dict[str, list[str]] = {}
    for need, code in mapping().itertuples(index=False):
        by_code.setdefault(code, []).append(need)
    labels = {
        code: tuple(NEEDS[k] for k in NEEDS if k in keys)
        for code, keys in by_code.items()
    }
    codes = normalise_naf(naf)
    return pd.Series(
        [labels.get(c, ()) if isinstance(c, str) else () for c in codes],
        index=naf.index,
        dtype=object,
    )


def describe(need: str) -> pd.DataFrame:
    """The activities behind a need, for people who wonder what it covers.

    Parameters
    ----------
    need : str
        A key of :data:`NEEDS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``Code NAF`` and ``Activité``, sorted by code.

    Raises
    ------
    UnknownNeedError
        If ``need`` is not a key of :data:`NEEDS`.
    """
    codes = pd.Series(sorted(naf_codes(need)), dtype="string")
    return pd.DataFrame({"Code NAF": codes, "Activité": naf_label(codes)})
