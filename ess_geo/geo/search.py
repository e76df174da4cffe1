"""Find a territory by name or code, the way people type it.

One query searches every level at once: communes, EPCI, pays, PNR,
départements and régions by name or official code, and communes by postal
code. Matching ignores case, accents, hyphens and apostrophes
(:func:`ess_geo.text.fold`), reads ligatures as two letters (``oe``), and
knows the usual abbreviations (``st`` for saint, ``cc`` for communauté de
communes, ``pnr`` for parc naturel régional).

A query may name the kind of territory it looks for, anywhere in it:
``cc``, ``ca``, ``cu``, ``agglo``, ``métropole``, ``communauté de communes
de``, ``epci``, ``pnr``, ``parc``, ``petr``, ``pays``, ``commune``,
``département``, ``région`` (:data:`QUALIFIERS`). « pnr armorique », « morlaix
agglo » and « communauté de communes de Faucigny » then look for the rest of
the query among the territories of that kind, their own kind words
(« Communauté d'agglomération », « Métropole », « PNR de ») set aside.

Results are ranked: exact name or code first, then the territories of the
kind the query names, then a name that is the query once its kind words are
set aside (« Morlaix Communauté » for « morlaix », so that a commune and its
intercommunality are both offered, with their level), then names starting
with the query, then names with a word starting with it, then any other name
containing it; within a rank, wider territories first, then the most
populated.
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from ess_geo.geo import geography
from ess_geo.text import fold

__all__ = ["QUALIFIERS", "SEARCH_COLUMNS", "normalise", "search_territories"]

SEARCH_COLUMNS: tuple[str, ...] = ("niveau", "code", "nom", "libelle")
"""Columns of :func:`search_territories`' result."""

# Order in which levels come within a rank: wider territories first.
_LEVEL_ORDER = {
    "region": 0,
    "departement": 1,
    "pays": 2,
    "pnr": 3,
    "epci": 4,
    "commune": 5,
}
_KIND = {
    "region": "région",
    "departement": "département",
    "pays": "pays / PETR",
    "pnr": "parc naturel régional",
    "epci": "EPCI",
    "commune": "commune",
}
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\bcommunaute de communes\b", "cc"),
    (r"\bcommunaute d agglomeration\b", "ca"),
    (r"\bcommunaute urbaine\b", "cu"),
    (r"\bparc naturel regional\b", "pnr"),
    (r"\bste\b", "sainte"),
    (r"\bst\b", "saint"),
)
_SUBSTRING_MIN = 3

QUALIFIERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "cc": (frozenset({"epci"}), frozenset({"CC"})),
    "ca": (frozenset({"epci"}), frozenset({"CA"})),
    "agglo": (frozenset({"epci"}), frozenset({"CA", "CU", "ME"})),
    "agglomeration": (frozenset({"epci"}), frozenset({"CA", "CU", "ME"})),
    "cu": (frozenset({"epci"}), frozenset({"CU"})),
    "metropole": (frozenset({"epci"}), frozenset({"ME"})),
    "eurometropole": (frozenset({"epci"}), frozenset({"ME"})),
    "communaute": (frozenset({"epci"}), frozenset()),
    "epci": (frozenset({"epci"}), frozenset()),
    "interco": (frozenset({"epci"}), frozenset()),
    "intercommunalite": (frozenset({"epci"}), frozenset()),
    "pnr": (frozenset({"pnr"}), frozenset()),
    "parc": (frozenset({"pnr"}), frozenset()),
    "petr": (frozenset({"pays"}), frozenset()),
    "pays": (frozenset({"pays"}), frozenset()),
    "commune": (frozenset({"commune"}), frozenset()),
    "departement": (frozenset({"departement"}), frozenset()),
    "dept": (frozenset({"departement"}), frozenset()),
    "region": (frozenset({"region"}), frozenset()),
}
"""Words of a query that name a kind of territory (after :func:`normalise`):
the levels they ask for and, for EPCI, the legal types they prefer (``CC``,
``CA``, ``CU``, ``ME``)."""

# Kind words set aside from an EPCI, pays or PNR name to get its core name
# ("Communauté d'agglomération Morlaix Communauté" -> "morlaix"), and the
# little words set aside from both the core names and the query's rest.
_KIND_WORDS = frozenset(
    {
        "cc",
        "ca",
        "cu",
        "agglo",
        "agglomeration",
        "communaute",
        "metropole",
        "eurometropole",
        "pnr",
        "pays",
        "petr",
    }
)
_LITTLE_WORDS = frozenset({"de", "du", "des", "d", "la", "le", "l", "les", "et"})
_CORE_LEVELS = frozenset({"epci", "pays", "pnr"})


def normalise(text: str) -> str:
    """The search key of a name or a query.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        :func:`~ess_geo.text.fold` of the text (ligatures expanded), with
        common abbreviations made uniform.

    Examples
    --------
    >>> normalise("Communauté de communes du Pays de Landerneau-Daoulas")
    'cc du pays de landerneau daoulas'
    >>> normalise("St-Pol-de-Léon")
    'saint pol de leon'
    >>> normalise("Plœmeur")
    'ploemeur'
    """
    key = fold(text)
    for pattern, replacement in _ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    return key


def _core(key: str, *, drop: frozenset[str] = _KIND_WORDS) -> str:
    """A search key without its kind words and little words."""
    return " ".join(w for w in key.split() if w not in drop and w not in _LITTLE_WORDS)


def _qualified(key: str) -> tuple[frozenset[str], frozenset[str], str]:
    """The levels and EPCI types a query names, and the rest of the query."""
    levels: set[str] = set()
    types: set[str] = set()
    for word in key.split():
        if word in QUALIFIERS:
            levels |= QUALIFIERS[word][0]
            types |= QUALIFIERS[word][1]
    rest = _core(key, drop=frozenset(QUALIFIERS)) if levels else key
    return frozenset(levels), frozenset(types), rest


def _core_tiers(cores: pd.Series, rest: str) -> pd.Series:
    """Rank of each core name against the rest of a query (1 best), NA if none.

    1: the same; 2: starts with it as whole words; 3: starts with it;
    4: a word starts with it; 5: every word of it starts a word of the name.
    """
    padded = " " + cores + " "
    tiers = pd.Series(pd.NA, index=cores.index, dtype="Int64")
    words = rest.split()
    every = pd.Series(True, index=cores.index)
    for word in words:
        every &= padded.str.contains(" " + word, regex=False)
    tiers = tiers.mask(every, 5)
    tiers = tiers.mask(padded.str.contains(" " + rest, regex=False), 4)
    tiers = tiers.mask(cores.str.startswith(rest), 3)
    tiers = tiers.mask(padded.str.startswith(" " + rest + " "), 2)
    return tiers.mask(cores == rest, 1)


@functools.cache
def _index() -> pd.DataFrame:
    """Every territory with its search key, population and a context label."""
    departements = geography.territories("departement")["nom"]
    frames = []
    for level in _LEVEL_ORDER:
        table = geography.territories(level)
        frame = pd.DataFrame(
            {
                "niveau": level,
                "code": table.index.astype(str),
                "nom": table["nom"].astype(str).to_numpy(),
                "population": pd.to_numeric(table["population"], errors="coerce")
                .fillna(0)
                .to_numpy(),
            }
        )
        if level == "commune":
            dep = table["departement"].astype(str)
            frame["contexte"] = (
                dep.map(departements).fillna("").astype(str) + " (" + dep + ")"
            ).to_numpy()
        elif level in ("epci", "pays", "pnr"):
            parent = geography.parents(level, "departement")
            dep = pd.Series(table.index, index=table.index).map(parent)
            frame["contexte"] = dep.map(departements).fillna("").to_numpy()
        else:
            frame["contexte"] = ""
        frames.append(frame)
    index = pd.concat(frames, ignore_index=True)
    index["cle"] = index["nom"].map(normalise)
    index["code_cle"] = index["code"].map(normalise)
    index["coeur"] = index["cle"].where(
        ~index["niveau"].isin(_CORE_LEVELS), index["cle"].map(_core)
    )
    epci_types = geography.territories("epci")["type"].astype(str)
    index["type"] = index["code"].map(epci_types).where(index["niveau"] == "epci", "")
    index["rang_niveau"] = index["niveau"].map(_LEVEL_ORDER)
    return index


def _label(row: pd.Series, postal_code: str | None = None) -> str:
    level_label = _KIND[row["niveau"]]
    if row["niveau"] in ("departement", "region"):
        name = (
            f"{row['nom']} ({row['code']})"
            if row["niveau"] == "departement"
            else row["nom"]
        )
        return f"{name} — {level_label}"
    context = row["contexte"]
    if postal_code is not None:
        context = f"code postal {postal_code}"
    return f"{row['nom']} — {level_label}" + (f", {context}" if context else "")


def search_territories(query: str, *, limit: int = 10) -> pd.DataFrame:
    """Territories whose name or code matches a query, best first.

    Parameters
    ----------
    query : str
        A name or part of a name (``"quimper"``, ``"Pays de Brest"``,
        ``"st malo"``), an official code (INSEE commune, département or
        région code, EPCI SIREN, pays code, PNR code ``FR80000NN``) or a
        5-digit postal code.
    limit : int, default 10
        Maximum number of results.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SEARCH_COLUMNS`: ``niveau`` (one of
        :data:`ess_geo.geo.geography.LEVELS`), ``code``, ``nom`` and ``libelle``,
        a label that tells homonyms apart (``"Brest — commune, Finistère
        (29)"``). Empty when nothing matches or the query is blank.

    Raises
    ------
    ValueError
        If ``limit`` is not a positive integer.

    Examples
    --------
    >>> search_territories("finistere", limit=1)["libelle"].tolist()
    ['Finistère (29) — département']
    >>> search_territories("29200", limit=1)[["niveau", "code"]].values.tolist()
    [['commune', '29019']]
    >>> search_territories("pnr armorique", limit=1)["nom"].tolist()
    ["PNR d'Armorique"]
    """
    if not isinstance(limit, int) or limit < 1:
        raise ValueError(f"`limit` was {limit!r} but is expected to be an integer ≥ 1")
    key = normalise(query)
    if not key:
        return pd.DataFrame(columns=list(SEARCH_COLUMNS))
    index = _index()
    padded = " " + index["cle"]
    core_padded = " " + index["coeur"]
    tiers = pd.Series(pd.NA, index=index.index, dtype="Int64")
    if len(key) >= _SUBSTRING_MIN:
        tiers = tiers.mask(index["cle"].str.contains(key, regex=False), 40)
    word = padded.str.contains(" " + key, regex=False)
    tiers = tiers.mask(word | core_padded.str.contains(" " + key, regex=False), 30)
    start = index["cle"].str.startswith(key) | index["coeur"].str.startswith(key)
    tiers = tiers.mask(start, 20)
    tiers = tiers.mask(index["coeur"] == key, 10)
    levels, types, rest = _qualified(key)
    if levels and rest:
        kind = _core_tiers(index["coeur"], rest).where(index["niveau"].isin(levels))
        tiers = tiers.mask(kind.notna(), kind)
    tiers = tiers.mask((index["cle"] == key) | (index["code_cle"] == key), 0)
    found = index.assign(rang=tiers, autre_type=~index["type"].isin(types))
    found = found.dropna(subset=["rang"])
    found = found.sort_values(
        ["rang", "autre_type", "rang_niveau", "population", "nom"],
        ascending=[True, True, True, False, True],
    )
    rows = [
        {
            "niveau": row["niveau"],
            "code": row["code"],
            "nom": row["nom"],
            "libelle": _label(row),
        }
        for _, row in found.head(limit).iterrows()
    ]
    compact = key.replace(" ", "")
    if len(compact) == 5 and compact.isdigit():
        rows = _postal_matches(compact) + rows
    result = pd.DataFrame(rows, columns=list(SEARCH_COLUMNS))
    return result.drop_duplicates(["niveau", "code"]).head(limit).reset_index(drop=True)


def _postal_matches(postal_code: str) -> list[dict[str, str]]:
    """Communes served by a postal code, most populated first."""
    postal = geography.postal_codes()
    communes = postal.loc[postal["code_postal"] == postal_code, "commune"]
    index = _index()
    rows = index[(index["niveau"] == "commune") & index["code"].isin(communes)]
    rows = rows.sort_values(["population", "nom"], ascending=[False, True])
    return [
        {
            "niveau": "commune",
            "code": row["code"],
            "nom": row["nom"],
            "libelle": _label(row, postal_code),
        }
        for _, row in rows.iterrows()
    ]
