"""A network's members reconciled with the workspace's establishments (SIRENE).

After a SIRENE import, a network's member list — a file of names, with a
SIRET when known, or the network's current members — is matched to the
workspace's actors:

1. the same SIRET (14 digits) is a sure match;
2. else the same name (folded: case, accents and punctuation ignored,
   :func:`ess_geo.actors.text_key`) in the same commune, or within
   :data:`MATCH_KM` km of the place given; without a place, the same name
   inside the network's perimeter. One such actor is a proposal for a
   person to confirm; several are an ambiguity, listed with every
   candidate; none leaves the row unmatched.

:func:`match_file` and :func:`match_current` only read; :func:`apply` writes
the confirmed memberships in one transaction, journaled (undo on the
Données page); :func:`import_members` does both for the command line.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ess_geo import formats
from ess_geo.actors import text_key
from ess_geo.errors import ImportFileError, MembersFileError, UnknownNetworkError
from ess_geo.geo import geography
from ess_geo.io import imports
from ess_geo.workspace import history, store
from ess_geo.workspace.networks import expand_perimeter

__all__ = [
    "MATCH_KM",
    "MATCH_LABELS",
    "MAX_MEMBER_BYTES",
    "MAX_MEMBER_ROWS",
    "SURE_STATUSES",
    "MemberMatch",
    "apply_matches",
    "import_members",
    "match_current",
    "match_file",
    "match_rows",
    "network_row",
    "read_member_file",
]

MATCH_KM = 3.0
"""A name matches an actor of another commune within this distance (km)."""

MAX_MEMBER_BYTES = 5_000_000
"""Largest member list file: 5 Mo (a network has 10 to 30 members)."""

MAX_MEMBER_ROWS = 5_000
"""Most rows of a member list."""

MATCH_LABELS: dict[str, str] = {
    "siret": "même SIRET",
    "nom_commune": "même nom, même commune",
    "nom_proche": f"même nom à moins de {MATCH_KM:g} km",
    "nom_perimetre": "même nom dans le périmètre du réseau",
    "ambigu": "plusieurs acteurs possibles",
    "introuvable": "aucun acteur trouvé",
}
"""Match status -> French label."""

SURE_STATUSES: tuple[str, ...] = ("siret",)
"""Matches that need no confirmation; name matches are proposals."""

_PROPOSALS = ("nom_commune", "nom_proche", "nom_perimetre")
_EARTH_KM = 6371.0088


@dataclass
class MemberMatch:
    """The reconciliation of a member list with the workspace.

    Attributes
    ----------
    file : str
        The file's name, or ``membres actuels``.
    network_id : int
    network : str
        The network's name.
    rows : pandas.DataFrame
        One row per member listed: ``line`` (file line, header = 1; the
        member's actor id for current members), ``nom``, ``siret``,
        ``statut`` (a key of :data:`MATCH_LABELS`), ``actor_id`` (the
        match, missing when none or ambiguous), ``acteur`` (its name and
        commune), ``candidats`` (``[(id, label), …]`` of an ambiguity) and
        ``remplace`` (current members: the actor whose membership moves).
    added, removed : list of int
        Memberships written (or that would be, in a dry run).
    dry_run : bool
    audit_id : int or None
        The journal entry, when something was written.
    """

    file: str
    network_id: int
    network: str
    rows: pd.DataFrame
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    dry_run: bool = False
    audit_id: int | None = None

    @property
    def unresolved(self) -> pd.DataFrame:
        """Rows ambiguous or unmatched."""
        return self.rows[self.rows["statut"].isin(["ambigu", "introuvable"])]

    @property
    def exit_code(self) -> int:
        """0 when every member was matched, 1 when some were not (as ``import``)."""
        return 1 if len(self.unresolved) else 0

    def to_json(self) -> dict:
        """The report as JSON-ready values."""
        rows = self.rows.astype(object).where(self.rows.notna(), None)
        return {
            "fichier": self.file,
            "reseau": {"id": self.network_id, "nom": self.network},
            "lus": len(self.rows),
            "ajoutes": self.added,
            "retires": self.removed,
            "lignes": [
                {k: v for k, v in r.items() if k != "candidats"}
                | {"candidats": [c[0] for c in r["candidats"] or []]}
                for r in rows.to_dict("records")
            ],
        }


def network_row(conn: sqlite3.Connection, name_or_id: str) -> pd.Series:
    """The stored network named or numbered ``name_or_id`` (``id`` included).

    Raises
    ------
    UnknownNetworkError
        With the names of the workspace's networks.
    """
    table = store.read_networks(conn).rename_axis("id").reset_index()
    text = str(name_or_id).strip()
    hit = table[table["id"].astype(str) == text] if text.isdigit() else table.iloc[:0]
    if hit.empty:
        hit = table[table["nom"].map(text_key) == text_key(text)] if text else hit
    if hit.empty:
        raise UnknownNetworkError(text, table["nom"].astype(str))
    return hit.iloc[0]


def _size(data: Path | str | bytes) -> int:
    return len(data) if isinstance(data, bytes) else Path(data).stat().st_size


def read_member_file(data: Path | str | bytes, name: str | None = None) -> pd.DataFrame:
    """Read a member list: a name on each row, a SIRET and a place when known.

    The import's readers (:func:`ess_geo.io.imports.open_source`): CSV or
    XLSX, the same header variants (« Raison sociale », « SIRET », « Code
    INSEE », « Ville »…).

    Returns
    -------
    pandas.DataFrame
        ``line``, ``nom``, ``siret``, ``code_commune``, ``commune``,
        ``code_postal``, ``latitude``, ``longitude`` (text; missing when
        absent). Rows without a name are dropped.

    Raises
    ------
    MembersFileError
        If the file is too big, has too many rows or no name column
        (nothing is written).
    """
    label = name or (Path(data).name if not isinstance(data, bytes) else "fichier")
    if not isinstance(data, bytes) and not Path(data).is_file():
        raise MembersFileError(f"Fichier introuvable : {data}.")
    if _size(data) > MAX_MEMBER_BYTES:
        raise MembersFileError(
            f"{label} dépasse {MAX_MEMBER_BYTES // 1_000_000} Mo : une liste de "
            "membres tient en quelques lignes. Vérifiez le fichier."
        )
    try:
        source = imports.open_source(data, name=label)
        if source.kind == "sirene":
            raise MembersFileError(
                f"{label} est un fichier SIRENE : importez-le d'abord (« import »), "
                "puis rapprochez la liste des membres du réseau."
            )
        frames = [chunk.frame for chunk in source.named_chunks()]
    except ImportFileError as exc:  # unusable file
        raise MembersFileError(str(exc)) from exc
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(rows) > MAX_MEMBER_ROWS:
        raise MembersFileError(
            f"{label} a {formats.number(len(rows))} lignes : au plus "
            f"{formats.number(MAX_MEMBER_ROWS)} membres "
            "par liste. Découpez le fichier."
        )
    columns = (
        "nom", "siret", "code_commune", "commune", "code_postal", "latitude",
        "longitude",
    )  # fmt: skip
    out = pd.DataFrame({"line": rows.get("line", pd.Series(dtype="Int64"))})
    for column in columns:
        out[column] = (
            rows[column].astype("string").str.strip()
            if column in rows
            else pd.Series(pd.NA, index=rows.index, dtype="string")
        )
    out = out[out["nom"].fillna("").str.len() > 0].reset_index(drop=True)
    if out.empty:
        raise MembersFileError(f"{label} ne contient aucun nom de membre.")
    return out


def _km(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(h))


@functools.cache
def _folded_communes() -> pd.Series:
    """Commune code -> folded name (shared: do not mutate)."""
    return geography.communes()["nom"].map(text_key)


def _place(row: pd.Series) -> tuple[str | None, float | None, float | None]:
    """The row's commune code and point, as far as it gives them."""
    communes = geography.communes()
    code = row.get("code_commune")
    code = str(code) if pd.notna(code) and str(code) in communes.index else None
    if code is None and pd.notna(row.get("commune")):
        named = communes.index[
            communes["nom"].map(text_key) == text_key(row["commune"])
        ]
        if len(named) and pd.notna(row.get("code_postal")):
            postal = geography.postal_codes()
            inside = postal.loc[postal["code_postal"] == row["code_postal"], "commune"]
            named = named.intersection(pd.Index(inside))
        code = named[0] if len(named) == 1 else None
    lat = pd.to_numeric(row.get("latitude"), errors="coerce")
    lon = pd.to_numeric(row.get("longitude"), errors="coerce")
    if (pd.isna(lat) or pd.isna(lon)) and code is not None:
        lat, lon = communes.at[code, "lat"], communes.at[code, "lon"]
    return (
        code,
        (None if pd.isna(lat) else float(lat)),
        (None if pd.isna(lon) else float(lon)),
    )


def _label(actor: pd.Series) -> str:
    commune = actor.get("commune")
    if pd.isna(commune) or not commune:
        commune = geography.communes()["nom"].get(actor.get("code_commune"))
    where = f" ({commune})" if pd.notna(commune) and commune else ""
    return f"n° {actor.name} {actor['nom']}{where}"


def match_rows(
    rows: pd.DataFrame, actors: pd.DataFrame, perimeter: Iterable[str]
) -> pd.DataFrame:
    """Match listed members to actors (the rules of the module's docstring).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`read_member_file` output (``exclude``: an actor id a row must
        not match, for current members).
    actors : pandas.DataFrame
        The workspace's actors, indexed by id: ``siret``, ``nom``,
        ``code_commune``, ``commune``, ``latitude``, ``longitude``.
    perimeter : iterable of str
        Commune codes of the network's perimeter (rows without a place).

    Returns
    -------
    pandas.DataFrame
        ``rows`` with ``statut``, ``actor_id``, ``acteur``, ``candidats``.
    """
    sirets = actors["siret"].astype("string").str.replace(r"\D", "", regex=True)
    by_siret = pd.Series(actors.index, index=sirets).dropna()
    by_siret = by_siret[~by_siret.index.duplicated()]
    keys = actors["nom"].map(text_key)
    by_name = actors.groupby(keys).groups
    inside = set(perimeter)
    statuses, ids, labels, candidates = [], [], [], []
    for _, row in rows.iterrows():
        exclude = row.get("exclude")
        given = row.get("siret")
        siret = "".join(c for c in str(given) if c.isdigit()) if pd.notna(given) else ""
        found: list = []
        status = "introuvable"
        if len(siret) == 14 and siret in by_siret.index:
            found, status = [by_siret[siret]], "siret"
        else:
            same = [i for i in by_name.get(text_key(row["nom"]), []) if i != exclude]
            code, lat, lon = _place(row)
            if same and (code is not None or lat is not None):
                pool = actors.loc[same]
                here = pool.index[pool["code_commune"] == code].tolist() if code else []
                if here:
                    found, status = here, "nom_commune"
                elif lat is not None:
                    km = _km(lat, lon, pool["latitude"], pool["longitude"])
                    found = pool.index[np.nan_to_num(km, nan=np.inf) <= MATCH_KM]
                    found, status = found.tolist(), "nom_proche"
            elif same:
                pool = actors.loc[same]
                found = pool.index[pool["code_commune"].isin(inside)].tolist()
                status = "nom_perimetre"
        if len(found) > 1:
            status = "ambigu"
        elif not found:
            status = "introuvable"
        statuses.append(status)
        one = int(found[0]) if len(found) == 1 else None
        ids.append(one)
        labels.append(_label(actors.loc[one]) if one is not None else None)
        candidates.append(
            [(int(i), _label(actors.loc[i])) for i in found] if len(found) > 1 else []
        )
    out = rows.drop(columns="exclude", errors="ignore").copy()
    out["statut"] = statuses
    out["actor_id"] = pd.array(ids, dtype="Int64")
    out["acteur"] = labels
    out["candidats"] = candidates
    return out


def _perimeter(conn: sqlite3.Connection, network_id: int) -> list[str]:
    territories = store.read_network_territories(conn)
    own = territories[territories["network_id"] == network_id]
    return expand_perimeter(own, key="network_id")["commune"].tolist()


def match_file(
    conn: sqlite3.Connection,
    data: Path | str | bytes,
    network: str,
    *,
    name: str | None = None,
) -> MemberMatch:
    """Match a member list file to the workspace's actors (reads only).

    Raises
    ------
    MembersFileError, UnknownNetworkError
    """
    row = network_row(conn, network)
    rows = read_member_file(data, name)
    actors = store.read_actors(conn)
    matched = match_rows(rows, actors, _perimeter(conn, int(row["id"])))
    matched["remplace"] = pd.array([None] * len(matched), dtype="Int64")
    label = name or (Path(data).name if not isinstance(data, bytes) else "fichier")
    return MemberMatch(label, int(row["id"]), str(row["nom"]), matched)


def match_current(conn: sqlite3.Connection, network: str) -> MemberMatch:
    """Match a network's current members without SIRET to SIRENE establishments.

    A current member that has no SIRET (entered by hand, or a demo actor) is
    looked for among the actors that have one; a match proposes to move the
    membership to that establishment (``remplace`` is the member's id).
    Members with a SIRET are left out.
    """
    row = network_row(conn, network)
    network_id = int(row["id"])
    actors = store.read_actors(conn)
    members = store.read_network_members(conn)
    ids = members.loc[members["network_id"] == network_id, "actor_id"]
    own = actors.loc[actors.index.intersection(ids)]
    own = own[own["siret"].isna()]
    with_siret = actors[actors["siret"].notna()]
    rows = pd.DataFrame(
        {
            "line": own.index.to_numpy(),
            "nom": own["nom"].to_numpy(),
            "siret": pd.NA,
            "code_commune": own["code_commune"].to_numpy(),
            "commune": own["commune"].to_numpy(),
            "code_postal": pd.NA,
            "latitude": own["latitude"].to_numpy(),
            "longitude": own["longitude"].to_numpy(),
            "exclude": own.index.to_numpy(),
        }
    )
    matched = match_rows(rows, with_siret, _perimeter(conn, network_id))
    matched["remplace"] = pd.array(own.index.to_numpy(), dtype="Int64")
    return MemberMatch("membres actuels", network_id, str(row["nom"]), matched)


def apply_matches(
    conn: sqlite3.Connection,
    result: MemberMatch,
    confirmed: Sequence[int],
    *,
    choices: Mapping[int, int] | None = None,
    who: str | None = None,
    dry_run: bool = False,
) -> MemberMatch:
    """Write the confirmed matches as memberships, in one journaled transaction.

    Parameters
    ----------
    result : MemberMatch
        :func:`match_file` or :func:`match_current` output.
    confirmed : sequence of int
        Positions (0-based) of ``result.rows`` to write; a row must have a
        match (``actor_id``). For current members, the replaced member's
        membership is removed.
    choices : mapping, optional
        Position -> actor id chosen by a person: one of the row's candidates
        (an ambiguity) or its match.
    dry_run : bool, default False
        Count only.

    Returns
    -------
    MemberMatch
        ``result`` with ``added``, ``removed``, ``dry_run`` and ``audit_id``.

    Raises
    ------
    MembersFileError
        If a choice is not among its row's candidates (nothing is written).
    """
    actor_ids, replaced = set(), set()
    for position in confirmed:
        row = result.rows.iloc[position]
        found = row["actor_id"]
        allowed = {c[0] for c in row["candidats"]} | (
            set() if pd.isna(found) else {int(found)}
        )
        actor = (choices or {}).get(position, found)
        if pd.isna(actor):
            continue
        if int(actor) not in allowed:
            raise MembersFileError(
                f"Ligne {row['line']} « {row['nom']} » : l'acteur n° {actor} n'est "
                "pas parmi ceux proposés pour elle."
            )
        actor_ids.add(int(actor))
        if pd.notna(row["remplace"]):
            replaced.add(int(row["remplace"]))
    members = store.read_network_members(conn)
    current = set(members.loc[members["network_id"] == result.network_id, "actor_id"])
    add = sorted(actor_ids - current)
    remove = sorted((replaced & current) - actor_ids)
    result.added, result.removed, result.dry_run = add, remove, dry_run
    if dry_run or not (add or remove):
        return result
    with store.transaction(conn):
        journal = history.Journal(conn)
        for actor_id in remove:
            journal.delete(
                "network_members",
                "network_id = ? AND actor_id = ?",
                (result.network_id, actor_id),
            )
        journal.insert(
            "network_members",
            [{"network_id": result.network_id, "actor_id": a} for a in add],
        )
        result.audit_id = journal.commit(
            "reseau.membres.import",
            {
                "id": result.network_id,
                "nom": result.network,
                "fichier": result.file,
                "ajoutes": add,
                "retires": remove,
            },
            who=who,
        )
    return result


def import_members(
    conn: sqlite3.Connection,
    data: Path | str | bytes,
    network: str,
    *,
    dry_run: bool = False,
    who: str | None = None,
) -> MemberMatch:
    """Match a member list and write the unique matches (the command line).

    The same SIRET, and a name matched to exactly one actor, are written;
    ambiguous and unmatched rows are listed, not written (exit code 1).

    Raises
    ------
    MembersFileError, UnknownNetworkError
        Nothing is written.
    """
    result = match_file(conn, data, network)
    sure = [
        i
        for i, status in enumerate(result.rows["statut"])
        if status in (*SURE_STATUSES, *_PROPOSALS)
    ]
    return apply_matches(conn, result, sure, who=who, dry_run=dry_run)
