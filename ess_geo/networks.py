"""Territorial ESS networks: reading network files and expanding perimeters.

A territorial network (pôle ESS, conseil local, comité territorial,
collectif, cluster…) declares a perimeter as a set of territories at one
level (communes, EPCI, pays, PNR, départements). Expanded to communes, the
perimeter joins the rest of the data through the membership table.

The reference list of networks (``data/reference/networks_seed.csv``, see
its SOURCES.md) has the file shape this module reads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ess_geo import geography
from ess_geo.errors import EssGeoError

__all__ = [
    "KIND_LABELS",
    "PERIMETER_LEVELS",
    "SEED_PATH",
    "STATUS_LABELS",
    "NetworkFileError",
    "expand_perimeter",
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


class NetworkFileError(EssGeoError, ValueError):
    """A network file that cannot be read; the message lists every bad line."""


def read_networks_csv(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a network file shaped like ``networks_seed.csv``.

    Parameters
    ----------
    path : path-like
        CSV with columns ``network_name, network_kind, region,
        territory_level, territory_codes`` (codes separated by ``|``),
        ``status, source`` and optionally ``perimetre_exact`` (oui/non).

    Returns
    -------
    networks : pandas.DataFrame
        One row per network: ``nom, kind, region, status, source,
        perimetre_exact``.
    territories : pandas.DataFrame
        The declared perimeters: ``nom, level, code``.

    Raises
    ------
    NetworkFileError
        If a column is missing, or any line has an unknown kind, status,
        level or territory code, or repeats a network name. Nothing is
        returned then: the caller stores nothing.
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
        kind = row.network_kind.strip()
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
                f"ligne {line} : type « {kind} » inconnu "
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
        networks.append(
            {
                "nom": name,
                "kind": kind,
                "region": getattr(row, "region", "").strip() or None,
                "status": status,
                "source": getattr(row, "source", "").strip() or None,
                "perimetre_exact": exact != "non",
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
    return pd.DataFrame(networks), pd.DataFrame(
        territories, columns=["nom", "level", "code"]
    )


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
