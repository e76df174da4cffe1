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
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ess_geo import formats, paths
from ess_geo.errors import NetworkFileError
from ess_geo.geo import geography
from ess_geo.io import limits, textfile
from ess_geo.text import fold
from ess_geo.workspace import store

__all__ = [
    "FIGURE_LABELS",
    "KIND_LABELS",
    "MEMBER_CLASSES",
    "OPTIONAL_COLUMNS",
    "PERIMETER_LEVELS",
    "SEED_PATH",
    "SOURCE_FIGURES",
    "STATUS_LABELS",
    "by_region",
    "details",
    "display_table",
    "expand_perimeter",
    "figures",
    "from_workspace",
    "import_networks",
    "main_regions",
    "member_classes",
    "members_of",
    "perimeter_geometry",
    "perimeter_label",
    "perimeter_weight",
    "read_networks_csv",
    "with_names",
]

SEED_PATH = paths.REFERENCE_DIR / "networks_seed.csv"

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
    return "_".join(fold(text).split())


def _year(text: str) -> int | None:
    """A founding year, or None if empty; ValueError if not a plausible year."""
    if not text.strip():
        return None
    year = int(text.strip())
    if not 1800 <= year <= date.today().year:
        raise ValueError(text)
    return year


def _network_frame(path: Path | str) -> pd.DataFrame:
    """The file's cells as text, within the limits; French errors."""
    data = limits.read_file(
        path, limits.MAX_TABLE_BYTES, "Le fichier de réseaux", NetworkFileError
    )
    header, rows = textfile.read_table(
        data, Path(path).name, "Fichier de réseaux", NetworkFileError, _REQUIRED
    )
    return pd.DataFrame([r for _, r in rows], columns=header, dtype=str)


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
    frame = _network_frame(path)
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
        # a perimeter is a set: a code written twice counts once
        codes = list(
            dict.fromkeys(
                c.strip() for c in row.territory_codes.split("|") if c.strip()
            )
        )
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
    return with_names(store.read_networks(conn), store.read_network_territories(conn))


def with_names(
    networks: pd.DataFrame, territories: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored networks and perimeters in the shape :func:`read_networks_csv` returns.

    Parameters
    ----------
    networks : pandas.DataFrame
        :func:`ess_geo.workspace.store.read_networks` output, indexed by id (not
        modified).
    territories : pandas.DataFrame
        :func:`ess_geo.workspace.store.read_network_territories` output (not modified).

    Returns
    -------
    networks : pandas.DataFrame
        ``id`` as a column, then the stored network columns and ``membres``.
    territories : pandas.DataFrame
        The declared perimeters: ``nom, level, code``.
    """
    table = networks.rename_axis("id").reset_index()
    names = territories["network_id"].map(table.set_index("id")["nom"])
    perimeters = territories.assign(nom=names)[["nom", "level", "code"]]
    return table, perimeters


SOURCE_FIGURES: dict[str, str] = {
    "reseaux": "environ 40",
    "regions": "8",
    "en_projet": "environ 10",
    "membres": "10 à 30",
    "structures": "plus de 1 000",
}
"""The figures of the CNCRES 2011 cahier on territorial networks."""

FIGURE_LABELS: dict[str, str] = {
    "reseaux": "Réseaux territoriaux (actifs ou au statut inconnu)",
    "regions": "Régions où ils sont implantés",
    "en_projet": "Réseaux en projet",
    "membres": "Membres par réseau",
    "structures": "Structures membres d'au moins un réseau",
}

_LEVEL_SINGULARS = {
    "commune": "commune",
    "epci": "EPCI",
    "pays": "pays",
    "pnr": "PNR",
    "departement": "département",
}
_LEVEL_PLURALS = {
    "commune": "communes",
    "epci": "EPCI",
    "pays": "pays",
    "pnr": "PNR",
    "departement": "départements",
}


def main_regions(perimeters: pd.DataFrame) -> pd.Series:
    """The région where most of each network's population lives.

    Parameters
    ----------
    perimeters : pandas.DataFrame
        Declared perimeters: ``nom``, ``level``, ``code``.

    Returns
    -------
    pandas.Series
        Network name -> région code (ties broken by the smallest code).
        Networks whose perimeter has no commune are absent.
    """
    reach = expand_perimeter(perimeters)
    communes = geography.communes()
    reach["region"] = reach["commune"].map(communes["region"])
    reach["population"] = reach["commune"].map(communes["population"])
    weight = reach.groupby(["nom", "region"], as_index=False)["population"].sum()
    weight = weight.sort_values(
        ["nom", "population", "region"], ascending=[True, False, True]
    )
    return weight.drop_duplicates("nom").set_index("nom")["region"]


def figures(
    table: pd.DataFrame, perimeters: pd.DataFrame, members: pd.DataFrame
) -> pd.DataFrame:
    """The source document's figures, recomputed from the networks data.

    Parameters
    ----------
    table : pandas.DataFrame
        Networks as :func:`from_workspace` returns them (``id``, ``nom``,
        ``status``, ``membres``).
    perimeters : pandas.DataFrame
        Declared perimeters: ``nom``, ``level``, ``code``.
    members : pandas.DataFrame
        Memberships: ``network_id``, ``actor_id``.

    Returns
    -------
    pandas.DataFrame
        Indexed by the keys of :data:`SOURCE_FIGURES`: ``chiffre`` (label),
        ``cahier`` (the 2011 figure) and ``donnees`` (the same figure
        computed now, as text).
    """
    established = table[table["status"] != "en_projet"]
    regions = main_regions(perimeters).reindex(established["nom"]).dropna()
    counts = established["membres"]
    if len(counts):
        spread = f"{counts.min()} à {counts.max()} (médiane {counts.median():g})"
    else:
        spread = "—"
    values = {
        "reseaux": f"{len(established)}",
        "regions": f"{regions.nunique()}",
        "en_projet": f"{(table['status'] == 'en_projet').sum()}",
        "membres": spread,
        "structures": formats.number(members["actor_id"].nunique()),
    }
    return pd.DataFrame(
        {
            "chiffre": FIGURE_LABELS,
            "cahier": SOURCE_FIGURES,
            "donnees": values,
        }
    )


def perimeter_label(perimeters: pd.DataFrame) -> str:
    """A network's declared perimeter in words.

    Parameters
    ----------
    perimeters : pandas.DataFrame
        The perimeter rows of one network: ``level``, ``code``.

    Returns
    -------
    str
        ``"Pays de Brest (pays)"``, ``"4 départements : Côte-d'Or, Nièvre,
        Saône-et-Loire, Yonne"``; at most five names, then "…".

    Examples
    --------
    >>> perimeter_label(pd.DataFrame({"level": ["departement"], "code": ["29"]}))
    'Finistère (département)'
    """
    parts = []
    for level, rows in perimeters.groupby("level", sort=False):
        names = (
            geography.territories(level)["nom"]
            .reindex(rows["code"])
            .fillna(rows["code"].set_axis(rows["code"]))
        )
        if len(names) == 1:
            parts.append(f"{names.iloc[0]} ({_LEVEL_SINGULARS[level]})")
        else:
            shown = ", ".join(names.iloc[:5]) + (", …" if len(names) > 5 else "")
            parts.append(f"{len(names)} {_LEVEL_PLURALS[level]} : {shown}")
    return " ; ".join(parts)


def display_table(
    table: pd.DataFrame,
    perimeters: pd.DataFrame,
    *,
    region: str | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Networks as a table for people: French headers and labels.

    Parameters
    ----------
    table : pandas.DataFrame
        Networks as :func:`from_workspace` returns them.
    perimeters : pandas.DataFrame
        Declared perimeters: ``nom``, ``level``, ``code``.
    region : str, optional
        Keep only the networks of this région (its name, as in the
        ``Région`` column).
    kind : str, optional
        Keep only the networks of this kind (a key of :data:`KIND_LABELS`).

    Returns
    -------
    pandas.DataFrame
        Indexed by network id: Nom, Type, Région, Territoire, Périmètre,
        Statut, Membres, Source. The région is the one holding most of the
        perimeter's population (the declared one when the perimeter has no
        commune).
    """
    regions = geography.territories("region")["nom"]
    main = table["nom"].map(main_regions(perimeters)).map(regions)
    labels = {name: perimeter_label(rows) for name, rows in perimeters.groupby("nom")}
    out = pd.DataFrame(
        {
            "Nom": table["nom"],
            "Type": table["kind"].map(KIND_LABELS),
            "Région": main.fillna(table["region"]),
            "Territoire": table["nom"].map(labels).fillna("—"),
            "Périmètre": table["perimetre_exact"].map(
                {True: "exact", False: "approximatif"}
            ),
            "Statut": table["status"].map(STATUS_LABELS),
            "Membres": table["membres"],
            "Source": table["source"].fillna(""),
        }
    ).set_axis(table["id"].rename("id"))
    keep = pd.Series(True, index=out.index)
    if region:
        keep &= out["Région"] == region
    if kind:
        keep &= table["kind"].to_numpy() == kind
    return out[keep]


def details(
    table: pd.DataFrame, perimeters: pd.DataFrame, network_id: int
) -> pd.DataFrame:
    """One network's card: every known field, in French.

    Parameters
    ----------
    table : pandas.DataFrame
        Networks as :func:`from_workspace` returns them.
    perimeters : pandas.DataFrame
        Declared perimeters: ``nom``, ``level``, ``code``.
    network_id : int
        The network's id.

    Returns
    -------
    pandas.DataFrame
        ``Rubrique`` and ``Valeur`` (text), empty fields left out.

    Raises
    ------
    KeyError
        If no network has this id.
    """
    row = table.set_index("id").loc[network_id]
    listing = display_table(table, perimeters).loc[network_id]
    fields = {
        "Type": listing["Type"],
        "Statut": listing["Statut"],
        "Région": listing["Région"],
        "Territoire": listing["Territoire"],
        "Périmètre": listing["Périmètre"],
        "Membres": listing["Membres"],
        "Structure accompagnatrice": row.get("structure_accompagnatrice"),
        "Année de création": row.get("annee_creation"),
        "Site web": row.get("site_web"),
        "Courriel": row.get("email"),
        "Téléphone": row.get("telephone"),
        "Source": row.get("source"),
    }
    kept = {
        key: str(int(value) if isinstance(value, float) else value)
        for key, value in fields.items()
        if value is not None and not pd.isna(value) and str(value).strip()
    }
    return pd.DataFrame({"Rubrique": list(kept), "Valeur": list(kept.values())})


def by_region(table: pd.DataFrame, perimeters: pd.DataFrame) -> pd.DataFrame:
    """Number of networks per région (the one holding most of their population).

    Returns
    -------
    pandas.DataFrame
        ``region`` (name) and ``reseaux``, most networks first.
    """
    regions = geography.territories("region")["nom"]
    main = table["nom"].map(main_regions(perimeters)).map(regions)
    counts = main.fillna(table["region"]).fillna("Non précisée").value_counts()
    return counts.rename_axis("region").reset_index(name="reseaux")


MEMBER_CLASSES: tuple[tuple[str, int, float], ...] = (
    ("moins de 10", 0, 9),
    ("10 à 14", 10, 14),
    ("15 à 19", 15, 19),
    ("20 à 24", 20, 24),
    ("25 à 30", 25, 30),
    ("plus de 30", 31, float("inf")),
)
"""Classes of network size (members), around the cahier's 10 to 30."""


def member_classes(table: pd.DataFrame) -> pd.DataFrame:
    """Number of networks per class of member count (:data:`MEMBER_CLASSES`).

    Parameters
    ----------
    table : pandas.DataFrame
        Networks with ``membres``.

    Returns
    -------
    pandas.DataFrame
        ``membres`` (class label, in order) and ``reseaux``; every class is
        listed, empty ones with 0.

    Examples
    --------
    >>> member_classes(pd.DataFrame({"membres": [3, 12, 14, 30]}))["reseaux"].tolist()
    [1, 2, 0, 0, 1, 0]
    """
    counts = [
        int(table["membres"].between(low, high).sum())
        for _, low, high in MEMBER_CLASSES
    ]
    labels = pd.Categorical(
        [label for label, _, _ in MEMBER_CLASSES],
        categories=[label for label, _, _ in MEMBER_CLASSES],
        ordered=True,
    )
    return pd.DataFrame({"membres": labels, "reseaux": counts})


def perimeter_weight(totals: pd.DataFrame, communes: pd.Index) -> dict[str, float]:
    """The weight of the ESS on a network's territory.

    Parameters
    ----------
    totals : pandas.DataFrame
        Per-commune totals from :func:`ess_geo.analysis.weight.by_commune`.
    communes : pandas.Index
        INSEE codes of the network's communes (:func:`expand_perimeter`).

    Returns
    -------
    dict
        ``communes``, ``population``, ``structures``, ``employeurs``,
        ``emplois``, ``structures_10k_hab`` and ``emplois_1000_hab`` (NaN
        when the population is zero).
    """
    inside = totals.reindex(communes).fillna(0)
    population = float(geography.communes()["population"].reindex(communes).sum())
    per = population if population > 0 else float("nan")
    structures = float(inside["structures"].sum())
    jobs = float(inside["emplois"].sum())
    return {
        "communes": len(communes),
        "population": population,
        "structures": structures,
        "employeurs": float(inside["employeurs"].sum()),
        "emplois": jobs,
        "structures_10k_hab": structures / per * 10_000,
        "emplois_1000_hab": jobs / per * 1_000,
    }


def perimeter_geometry(perimeters: pd.DataFrame) -> gpd.GeoDataFrame:
    """Display geometry of the territories a network declares.

    Parameters
    ----------
    perimeters : pandas.DataFrame
        The perimeter rows of one network: ``level``, ``code``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``level``, ``code``, ``nom``, ``geometry`` (simplified display
        geometry, EPSG:4326); territories without a known geometry are
        dropped.
    """
    frames = []
    for level, rows in perimeters.groupby("level", sort=False):
        layer = geography.load_layer(level)
        chosen = layer.loc[
            layer["code"].isin(rows["code"]), ["code", "nom", "geometry"]
        ]
        frames.append(chosen.assign(level=level))
    if not frames:
        return gpd.GeoDataFrame(
            columns=["level", "code", "nom", "geometry"], geometry="geometry", crs=4326
        )
    out = pd.concat(frames, ignore_index=True)
    out = out[out.geometry.notna() & ~out.geometry.is_empty]
    return gpd.GeoDataFrame(
        out[["level", "code", "nom", "geometry"]], geometry="geometry", crs=4326
    )


def members_of(
    network_id: int, members: pd.DataFrame, actors: pd.DataFrame
) -> pd.DataFrame:
    """The member actors of one network.

    Parameters
    ----------
    network_id : int
        The network's workspace id.
    members : pandas.DataFrame
        Memberships: ``network_id``, ``actor_id``.
    actors : pandas.DataFrame
        Actors indexed by id.

    Returns
    -------
    pandas.DataFrame
        The rows of ``actors`` that are members, in id order.
    """
    ids = members.loc[members["network_id"] == network_id, "actor_id"]
    return actors.loc[actors.index.intersection(ids).sort_values()]
