"""Territorial ESS networks: reading network files and expanding perimeters.

A territorial network (pôle ESS, conseil local, comité territorial,
collectif, cluster…) declares a perimeter as a set of territories at one
level (communes, EPCI, pays, PNR, départements). Expanded to communes, the
perimeter joins the rest of the data through the membership table.

The reference list of networks (``data/reference/networks_seed.csv``, see
its SOURCES.md) has the file shape this module reads.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd

from ess_geo import geography, store
from ess_geo.errors import EssGeoError

__all__ = [
    "KIND_LABELS",
    "OPTIONAL_COLUMNS",
    "PERIMETER_LEVELS",
    "SEED_PATH",
    "STATUS_LABELS",
    "NetworkFileError",
    "expand_perimeter",
    "from_workspace",
    "import_networks",
    "read_networks_csv",
]

SEED_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "reference" / "networks_seed.csv"
)

KIND_LABELS: dict[str, str] = {
    "pole": "Pôle ESS",
    "conseil_local": "Conseil local",
    "comite_territorial": "Comité territorial",
    "collectif": "Collectif",
    "cluster": "Cluster",
    "autre": "Autre",
}
STATUS_LABELS: dict[str, str] = {
    "actif": "Actif",
    "en_projet": "En projet",
    "inconnu": "Inconnu",
}
PERIMETER_LEVELS: tuple[str, ...] = ("commune", "epci", "pays", "pnr", "departement")

_REQUIRED = (
    "network_name",
    "network_kind",
    "territory_level",
    "territory_codes",
    "status",
)
_STATUS_SYNONYMS = {"en projet": "en_projet", "projet": "en_projet"}
_EXACT_VALUES = {
    "": True,
    "oui": True,
    "o": True,
    "vrai": True,
    "true": True,
    "1": True,
    "non": False,
    "n": False,
    "faux": False,
    "false": False,
    "0": False,
}

OPTIONAL_COLUMNS: tuple[str, ...] = (
    "structure_accompagnatrice",
    "annee_creation",
    "site_web",
    "email",
    "telephone",
)
"""Columns a network file may add to the shape of ``networks_seed.csv``."""


def _fold_kind(text: str) -> str:
    """``"Pôle"`` -> ``"pole"``, ``"Conseil local"`` -> ``"conseil_local"``."""
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "_".join(plain.replace("-", " ").split())


def _year(text: str) -> int | None:
    """A founding year, or None if empty; ValueError if not a plausible year."""
    if not text.strip():
        return None
    year = int(text.strip())
    if not 1800 <= year <= date.today().year:
        raise ValueError(text)
    return year


class NetworkFileError(EssGeoError, ValueError):
    """A network file that cannot be read; the message lists every bad line."""


def read_networks_csv(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a network file shaped like ``networks_seed.csv``.

    Parameters
    ----------
    path : path-like
        CSV with columns ``network_name, network_kind, region,
        territory_level, territory_codes`` (codes separated by ``|``),
        ``status, source`` and optionally ``perimetre_exact`` (oui/non) and
        the :data:`OPTIONAL_COLUMNS`. Kinds may be written as their French
        label (``Pôle``, ``Conseil local``…), statuses as ``en projet``.

    Returns
    -------
    networks : pandas.DataFrame
        One row per network: ``nom, kind, region, status, source,
        perimetre_exact`` and those of the :data:`OPTIONAL_COLUMNS` that
        the file has.
    territories : pandas.DataFrame
        The declared perimeters: ``nom, level, code``.

    Raises
    ------
    NetworkFileError
        If a column is missing, or any line has an unknown kind, status,
        level or territory code, a bad ``perimetre_exact`` or founding year,
        or repeats a network name. Nothing is returned then: the caller
        stores nothing.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise NetworkFileError(
            f"Fichier de réseaux {path} : colonne(s) manquante(s) "
            f"{', '.join(missing)} ; colonnes attendues : {', '.join(_REQUIRED)}, "
            "region, source, perimetre_exact."
        )
    problems: list[str] = []
    networks, territories = [], []
    seen: set[str] = set()
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        name = row.network_name.strip()
        kind = _fold_kind(row.network_kind)
        level = row.territory_level.strip()
        status = row.status.strip().lower()
        status = _STATUS_SYNONYMS.get(status, status)
        codes = [c.strip() for c in row.territory_codes.split("|") if c.strip()]
        if not name:
            problems.append(f"ligne {line} : nom de réseau vide")
        elif name in seen:
            problems.append(f"ligne {line} : réseau « {name} » en double")
        seen.add(name)
        if kind not in KIND_LABELS:
            problems.append(
                f"ligne {line} : type « {row.network_kind.strip()} » inconnu "
                f"(attendu : {', '.join(KIND_LABELS)})"
            )
        if status not in STATUS_LABELS:
            problems.append(
                f"ligne {line} : statut « {row.status} » inconnu "
                f"(attendu : {', '.join(STATUS_LABELS)})"
            )
        if level not in PERIMETER_LEVELS:
            problems.append(
                f"ligne {line} : niveau « {level} » inconnu "
                f"(attendu : {', '.join(PERIMETER_LEVELS)})"
            )
        elif not codes:
            problems.append(f"ligne {line} : aucun code de territoire")
        else:
            known = geography.territories(level).index
            unknown = [c for c in codes if c not in known]
            if unknown:
                problems.append(
                    f"ligne {line} : code(s) {', '.join(unknown)} "
                    f"inconnu(s) au niveau {level}"
                )
        exact = getattr(row, "perimetre_exact", "oui").strip().lower()
        if exact not in _EXACT_VALUES:
            problems.append(
                f"ligne {line} : perimetre_exact « {row.perimetre_exact} » "
                "invalide (attendu : oui ou non)"
            )
        extra = {
            column: getattr(row, column).strip() or None
            for column in OPTIONAL_COLUMNS
            if column in frame.columns
        }
        if "annee_creation" in extra:
            try:
                extra["annee_creation"] = _year(row.annee_creation)
            except ValueError:
                problems.append(
                    f"ligne {line} : année de création « {row.annee_creation} » "
                    f"invalide (attendu : une année entre 1800 et {date.today().year})"
                )
        networks.append(
            {
                "nom": name,
                "kind": kind,
                "region": getattr(row, "region", "").strip() or None,
                "status": status,
                "source": getattr(row, "source", "").strip() or None,
                "perimetre_exact": _EXACT_VALUES.get(exact, True),
                **extra,
            }
        )
        territories.extend(
            {"nom": name, "level": level, "code": code} for code in codes
        )
    if problems:
        raise NetworkFileError(
            f"Fichier de réseaux {path} refusé, rien n'a été enregistré :\n- "
            + "\n- ".join(problems)
        )
    table = pd.DataFrame(networks)
    if "annee_creation" in table:
        table["annee_creation"] = table["annee_creation"].astype("Int64")
    return table, pd.DataFrame(territories, columns=["nom", "level", "code"])


def expand_perimeter(territories: pd.DataFrame, key: str = "nom") -> pd.DataFrame:
    """Communes covered by each network's declared perimeter.

    Parameters
    ----------
    territories : pandas.DataFrame
        Columns ``key`` (the network), ``level`` and ``code``.
    key : str, default "nom"
        The column identifying the network (``"network_id"`` for stored ones).

    Returns
    -------
    pandas.DataFrame
        Columns ``key`` and ``commune``, one row per (network, commune).
    """
    frames = []
    for level, rows in territories.groupby("level"):
        communes = geography.territory_communes(level)
        frames.append(rows[[key, "code"]].merge(communes, on="code")[[key, "commune"]])
    if not frames:
        return pd.DataFrame(columns=[key, "commune"])
    return pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)


def import_networks(
    conn: sqlite3.Connection,
    path: Path | str,
    *,
    who: str | None = None,
    dry_run: bool = False,
) -> dict[str, list[str]]:
    """Import a network file into the workspace, whole or not at all.

    Networks whose name is new are added; networks already in the
    workspace (same name) get the file's attributes and perimeter, and keep
    their members. Networks absent from the file are left untouched. The
    change is one transaction with its audit row (``networks.import``).

    Parameters
    ----------
    conn : sqlite3.Connection
        An open workspace.
    path : path-like
        A file shaped like ``networks_seed.csv`` (see :func:`read_networks_csv`).
    who : str, optional
        Recorded in the audit log; default the system user.
    dry_run : bool, default False
        Check the file and report what would change, without writing.

    Returns
    -------
    dict
        ``{"added": [names], "updated": [names]}``.

    Raises
    ------
    NetworkFileError
        If any line of the file is wrong: nothing is written.
    """
    table, territories = read_networks_csv(path)
    existing = set(store.read_networks(conn)["nom"])
    is_new = ~table["nom"].isin(existing)
    added, updated = table[is_new], table[~is_new]
    report = {"added": added["nom"].tolist(), "updated": updated["nom"].tolist()}
    if dry_run:
        return report
    with store.transaction(conn):
        store.insert_networks(
            conn, added, territories[territories["nom"].isin(added["nom"])]
        )
        store.update_networks(
            conn, updated, territories[territories["nom"].isin(updated["nom"])]
        )
        store.audit(
            conn,
            "networks.import",
            {"file": Path(path).name, **report},
            who=who,
        )
    return report


def from_workspace(conn: sqlite3.Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The workspace's networks in the shape :func:`read_networks_csv` returns.

    Parameters
    ----------
    conn : sqlite3.Connection

    Returns
    -------
    networks : pandas.DataFrame
        One row per network: ``id``, ``nom``, every stored network column
        and ``membres`` (member count).
    territories : pandas.DataFrame
        The declared perimeters: ``nom, level, code``.
    """
    table = store.read_networks(conn).rename_axis("id").reset_index()
    perimeters = store.read_network_territories(conn)
    perimeters.insert(
        0, "nom", perimeters["network_id"].map(table.set_index("id")["nom"])
    )
    return table, perimeters[["nom", "level", "code"]]
