"""Actors of the ESS: schema, famille ESS, activity and jobs.

An actor is one establishment of an ESS organisation (SIRET, 14 digits,
Luhn-valid) or an organisation without SIRET. This module holds the rules
about a single actor's fields; reading files is :mod:`ess_geo.io.imports`'
business and storing them :mod:`ess_geo.workspace.store`'s.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa

from ess_geo import paths
from ess_geo.geo import geography
from ess_geo.text import fold

__all__ = [
    "ACTOR_COLUMNS",
    "FAMILIES",
    "FAMILY_LABELS",
    "TRANCHES_EFFECTIF",
    "categories_juridiques",
    "display_table",
    "estimate_jobs",
    "famille_from_categorie_juridique",
    "in_territory",
    "luhn_valid",
    "naf_label",
    "naf_section",
    "naf_sections",
    "naf_subclasses",
    "normalise_famille",
    "normalise_naf",
    "siret_valid",
    "sirets_valid",
    "text_key",
    "tranche_midpoint",
]

ACTOR_COLUMNS: tuple[str, ...] = (
    "siret",
    "nom",
    "categorie_juridique",
    "famille",
    "naf",
    "effectif",
    "tranche_effectif",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "latitude",
    "longitude",
    "reseaux",
    "site_web",
    "telephone",
    "email",
)
"""Columns of an actor table: the canonical actor file (DESIGN.md) plus
``tranche_effectif``, the SIRENE size band kept when no exact count is known."""

FAMILIES: tuple[str, ...] = (
    "association",
    "cooperative",
    "mutuelle",
    "fondation",
    "societe_commerciale",
)

FAMILY_LABELS: dict[str, str] = {
    "association": "Association",
    "cooperative": "Coopérative",
    "mutuelle": "Mutuelle",
    "fondation": "Fondation",
    "societe_commerciale": "Société commerciale de l'ESS",
}


def text_key(value: object) -> str:
    """A text folded for matching: no accents, no case, no punctuation.

    :func:`ess_geo.text.fold`, then every character that is neither a
    letter nor a digit becomes a space.

    Parameters
    ----------
    value : object
        A name as written; ``None`` or ``NaN`` give ``""``.

    Returns
    -------
    str
        Lower-case words separated by single spaces.

    Examples
    --------
    >>> text_key("  L'Épicerie   SOLIDAIRE (Brest) ")
    'l epicerie solidaire brest'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    kept = "".join(c if c.isalnum() else " " for c in fold(str(value)))
    return " ".join(kept.split())


_FAMILY_SYNONYMS: dict[str, str] = {
    **{fold(code): code for code in FAMILIES},
    **{fold(label): code for code, label in FAMILY_LABELS.items()},
    "associations": "association",
    "cooperatives": "cooperative",
    "coop": "cooperative",
    "mutuelles": "mutuelle",
    "mutuel": "mutuelle",
    "fondations": "fondation",
    "societe commerciale": "societe_commerciale",
    "societe commerciale ess": "societe_commerciale",
    "societes commerciales": "societe_commerciale",
    "entreprise commerciale de l ess": "societe_commerciale",
    "esus": "societe_commerciale",
}


def normalise_famille(value: object) -> str | None:
    """The famille code of a label as people write it.

    Parameters
    ----------
    value : object
        A famille as found in a file: ``"Coopérative"``, ``"MUTUELLE"``,
        ``"societe_commerciale"``, ``"Société commerciale de l'ESS"``…

    Returns
    -------
    str or None
        One of :data:`FAMILIES`, or ``None`` when the value is empty or unknown.

    Examples
    --------
    >>> normalise_famille("Coopérative")
    'cooperative'
    >>> normalise_famille("  FONDATION ")
    'fondation'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return _FAMILY_SYNONYMS.get(fold(str(value)))


@functools.cache
def _categories_juridiques() -> pd.Series:
    table = pd.read_csv(
        paths.REFERENCE_DIR / "categories_juridiques.csv",
        dtype=str,
        keep_default_na=False,
    )
    return table.set_index("code")["famille_ess"]


@functools.cache
def categories_juridiques() -> pd.DataFrame:
    """The INSEE catégories juridiques (niveau III) and the famille each implies.

    Returns
    -------
    pandas.DataFrame
        Indexed by the 4-digit ``code``: ``libelle`` and ``famille_ess``
        (empty when the legal form alone does not make an ESS famille).
        Read from ``data/reference/categories_juridiques.csv``. Shared: do
        not mutate.
    """
    return pd.read_csv(
        paths.REFERENCE_DIR / "categories_juridiques.csv",
        dtype=str,
        keep_default_na=False,
    ).set_index("code")


def famille_from_categorie_juridique(code: object) -> str | None:
    """The ESS famille that an INSEE catégorie juridique (niveau III) implies.

    Parameters
    ----------
    code : object
        A 4-digit code such as ``"9220"`` (association déclarée).

    Returns
    -------
    str or None
        ``association``, ``cooperative``, ``mutuelle`` or ``fondation``; ``None``
        when the legal form alone does not place the unit in the ESS (a SAS,
        say) or the code is unknown. The table is
        ``data/reference/categories_juridiques.csv``.
    """
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return None
    famille = _categories_juridiques().get(str(code).strip().zfill(4), "")
    return famille or None


# SIRENE "tranche d'effectif salarié" codes: (label, lower bound, upper bound).
# The upper bound of the last band is open; None marks "non-employer".
TRANCHES_EFFECTIF: dict[str, tuple[str, int, int | None]] = {
    "NN": ("Unité non employeuse", 0, 0),
    "00": ("0 salarié", 0, 0),
    "01": ("1 ou 2 salariés", 1, 2),
    "02": ("3 à 5 salariés", 3, 5),
    "03": ("6 à 9 salariés", 6, 9),
    "11": ("10 à 19 salariés", 10, 19),
    "12": ("20 à 49 salariés", 20, 49),
    "21": ("50 à 99 salariés", 50, 99),
    "22": ("100 à 199 salariés", 100, 199),
    "31": ("200 à 249 salariés", 200, 249),
    "32": ("250 à 499 salariés", 250, 499),
    "41": ("500 à 999 salariés", 500, 999),
    "42": ("1 000 à 1 999 salariés", 1000, 1999),
    "51": ("2 000 à 4 999 salariés", 2000, 4999),
    "52": ("5 000 à 9 999 salariés", 5000, 9999),
    "53": ("10 000 salariés et plus", 10000, None),
}


def tranche_midpoint(code: str) -> float:
    """Jobs counted for a SIRENE size band: the midpoint of its range.

    ``NN`` and ``00`` count 0; the open band ``53`` (10,000 and more) counts
    its lower bound, 10,000, so as never to overstate.

    Parameters
    ----------
    code : str
        A key of :data:`TRANCHES_EFFECTIF`.

    Returns
    -------
    float

    Raises
    ------
    KeyError
        If the code is not a SIRENE band.

    Examples
    --------
    >>> tranche_midpoint("12")
    34.5
    """
    _, low, high = TRANCHES_EFFECTIF[code]
    return float(low if high is None else (low + high) / 2)


_MIDPOINTS = pd.Series({code: tranche_midpoint(code) for code in TRANCHES_EFFECTIF})


def estimate_jobs(effectif: pd.Series, tranche: pd.Series) -> pd.Series:
    """Salaried jobs per actor: the exact count when given, else the band's midpoint.

    Parameters
    ----------
    effectif : pandas.Series
        Exact number of jobs (missing when unknown).
    tranche : pandas.Series
        SIRENE band code (missing or unknown when not given), same index.

    Returns
    -------
    pandas.Series
        Float jobs, ``NaN`` where neither is known: unknown jobs are not guessed.
    """
    exact = pd.to_numeric(effectif, errors="coerce").astype("float64")
    # Look the few distinct band codes up once, not a million strings.
    codes, bands = pd.factorize(tranche)
    midpoints = pd.Series(bands).map(_MIDPOINTS).to_numpy(dtype="float64")
    from_band = np.where(codes >= 0, np.append(midpoints, np.nan)[codes], np.nan)
    return exact.fillna(pd.Series(from_band, index=tranche.index))


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (SIREN, SIRET).

    Examples
    --------
    >>> luhn_valid("73282932000074")
    True
    """
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_valid(siret: str) -> bool:
    """Whether a SIRET is 14 digits with a valid key.

    La Poste's establishments (SIREN 356 000 000) do not follow Luhn: their
    SIRET is valid when its digits sum to a multiple of 5.
    """
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def _digit_matrix(values: pd.Series, width: int) -> np.ndarray:
    """Texts of ``width`` ASCII digits as a (rows, width) integer matrix."""
    array = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return (data.reshape(-1, width) - ord("0")).astype(np.int64)


def sirets_valid(sirets: pd.Series) -> pd.Series:
    """:func:`siret_valid` for a whole column, vectorised.

    Parameters
    ----------
    sirets : pandas.Series of str

    Returns
    -------
    pandas.Series of bool
        Same index; missing values are not valid.

    Examples
    --------
    >>> sirets_valid(pd.Series(["73282932000074", "73282932000075", None])).tolist()
    [True, False, False]
    """
    text = sirets.astype("string")
    shaped = (text.str.len() == 14) & text.str.isdigit()
    shaped = shaped.fillna(False).astype(bool)
    result = pd.Series(False, index=sirets.index)
    if not shaped.any():
        return result
    digits = _digit_matrix(text[shaped], 14)
    doubled = digits[:, 0::2] * 2  # positions 1, 3, … from the right (14 digits)
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    luhn = (doubled.sum(axis=1) + digits[:, 1::2].sum(axis=1)) % 10 == 0
    poste = text[shaped].str.startswith("356000000").to_numpy()
    poste_ok = digits.sum(axis=1) % 5 == 0
    result[shaped] = np.where(poste, poste_ok, luhn)
    return result


# NAF rév. 2 sections by division (first two digits of the code).
_SECTION_DIVISIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)
_SECTION_OF_DIVISION = pd.Series(
    {
        f"{d:02d}": section
        for section, low, high in _SECTION_DIVISIONS
        for d in range(low, high + 1)
    }
)


def naf_section(naf: pd.Series) -> pd.Series:
    """NAF section letter (A..U) of NAF codes, ``"88.91A"`` or ``"8891A"``.

    Parameters
    ----------
    naf : pandas.Series
        NAF rév. 2 codes; missing or malformed codes give a missing section.

    Returns
    -------
    pandas.Series
        Section letters, same index.
    """
    division = naf.astype("string").str.strip().str[:2]
    return division.map(_SECTION_OF_DIVISION)


@functools.cache
def naf_sections() -> pd.Series:
    """Official labels of the NAF rév. 2 sections, indexed by letter."""
    table = pd.read_csv(paths.REFERENCE_DIR / "naf_sections.csv", dtype=str)
    return table.set_index("section")["libelle"]


@functools.cache
def _naf_labels() -> pd.Series:
    table = pd.read_csv(paths.REFERENCE_DIR / "naf_rev2.csv", dtype=str)
    return table.set_index("code")["libelle"]


def naf_subclasses() -> pd.Index:
    """The 732 NAF rév. 2 sub-class codes, dotted (``"88.91A"``), sorted."""
    return _naf_labels().index


def normalise_naf(naf: pd.Series) -> pd.Series:
    """NAF codes written the official way, ``"88.91A"``.

    Parameters
    ----------
    naf : pandas.Series
        Codes with or without the dot, in any case, possibly padded
        (``"8891a "``).

    Returns
    -------
    pandas.Series
        Dotted upper-case codes (string dtype), same index; missing stays
        missing.

    Examples
    --------
    >>> normalise_naf(pd.Series(["8891a", " 86.10Z", None])).tolist()
    ['88.91A', '86.10Z', <NA>]
    """
    code = naf.astype("string").str.strip().str.upper()
    return code.where(code.str[2] == ".", code.str[:2] + "." + code.str[2:])


def naf_label(naf: pd.Series) -> pd.Series:
    """Official label of NAF rév. 2 sub-classes.

    ``"88.91A"`` gives ``"Accueil de jeunes enfants"``.

    Codes are accepted with or without the dot; unknown codes give a
    missing label.
    """
    return normalise_naf(naf).map(_naf_labels())


def in_territory(actors: pd.DataFrame, level: str, code: str) -> pd.DataFrame:
    """The actors whose commune belongs to one territory.

    Parameters
    ----------
    actors : pandas.DataFrame
        With a ``code_commune`` column.
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS`.
    code : str
        The territory's code.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in their original order.

    Raises
    ------
    UnknownTerritoryError
        If the territory does not exist.
    """
    return actors[actors["code_commune"].isin(geography.communes_of(level, code))]


def display_table(actors: pd.DataFrame) -> pd.DataFrame:
    """Actors as a table for people: French headers, labels instead of codes.

    Parameters
    ----------
    actors : pandas.DataFrame
        With ``nom``, ``famille``, ``naf`` and ``nom_commune`` (or ``commune``).

    Returns
    -------
    pandas.DataFrame
        Columns Nom, Famille, Activité, Commune.
    """
    commune = actors["nom_commune"] if "nom_commune" in actors else actors["commune"]
    return pd.DataFrame(
        {
            "Nom": actors["nom"],
            "Famille": actors["famille"].map(FAMILY_LABELS).fillna(actors["famille"]),
            "Activité": naf_label(actors["naf"]).fillna(actors["naf"]),
            "Commune": commune,
        }
    ).reset_index(drop=True)
