"""The whole workspace out and back: exports (CSV, XLSX, GeoPackage), backups.

Exports are for people and GIS: actors, networks (with their perimeter and
members) and the territories with their actor counts, in CSV (a zip, for
French Excel), XLSX (one sheet per table) or GeoPackage (one layer per
table, opens in QGIS). Text cells that a spreadsheet would run as a formula
are neutralised (:mod:`ess_geo.io.exports`).

A backup is the SQLite file itself, copied consistently with SQLite's
backup API while the application runs. Restoring checks a copy of the file
first (intact, not newer than this software, and once migrated exactly a
workspace's schema: tables, columns, indexes, no trigger or view of its
own), records the restore in that copy, keeps a safety copy of the current
workspace next to it, then replaces the content in one step, and
renews the workspace's generation: the restored file may carry an audit id
already seen, its revision (:func:`ess_geo.workspace.store.revision`) is
still new.
"""

from __future__ import annotations

import functools
import io
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ess_geo import actors
from ess_geo.errors import RestoreError, WorkspaceError
from ess_geo.geo import geography
from ess_geo.io import exports
from ess_geo.workspace import dialect, networks, pgbackup, store

__all__ = [
    "BACKUP_DIR_NAME",
    "backup_bytes",
    "export_csv_zip",
    "export_geopackage",
    "export_xlsx",
    "restore",
    "workspace_tables",
]

BACKUP_DIR_NAME = "sauvegardes"
"""Folder, next to the workspace, where restores keep a safety copy."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_REQUIRED_TABLES = {
    "actors",
    "networks",
    "network_territories",
    "network_members",
    "audit_log",
}


def workspace_tables(conn: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """The workspace as tables for people, French column names kept simple.

    Returns
    -------
    dict
        ``acteurs``, ``reseaux``, ``perimetres``, ``membres``.
    """
    table = store.read_actors(conn).reset_index()
    communes = geography.communes()
    table.insert(
        table.columns.get_loc("code_commune") + 1,
        "nom_commune",
        table["code_commune"].map(communes["nom"]),
    )
    table["emplois_estimes"] = actors.estimate_jobs(
        table["effectif"], table["tranche_effectif"]
    )
    table["fictif"] = table.pop("is_demo").map({True: "oui", False: "non"})
    nets = store.read_networks(conn).reset_index()
    nets["type"] = nets["kind"].map(networks.KIND_LABELS)
    nets["statut"] = nets["status"].map(networks.STATUS_LABELS)
    names = nets.set_index("id")["nom"]
    perimeters = store.read_network_territories(conn)
    perimeters.insert(1, "reseau", perimeters["network_id"].map(names))
    perimeters["territoire"] = [
        geography.territories(level)["nom"].get(code)
        for level, code in zip(perimeters["level"], perimeters["code"], strict=True)
    ]
    members = store.read_network_members(conn)
    members.insert(1, "reseau", members["network_id"].map(names))
    members["acteur"] = members["actor_id"].map(table.set_index("id")["nom"])
    return {
        "acteurs": table,
        "reseaux": nets,
        "perimetres": perimeters,
        "membres": members,
    }


def export_csv_zip(conn: sqlite3.Connection) -> bytes:
    """A zip of one CSV per table (UTF-8 with BOM, ``;``), formulas neutralised."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in workspace_tables(conn).items():
            archive.writestr(f"{name}.csv", exports.to_csv(table))
    return buffer.getvalue()


def export_xlsx(
    conn: sqlite3.Connection, progress: Callable[[float], None] | None = None
) -> bytes:
    """An XLSX workbook, one sheet per table, formulas neutralised.

    ``progress`` is called with the fraction of rows written (written as a
    stream: :func:`ess_geo.io.exports.to_xlsx`).
    """
    labels = {
        "acteurs": "Acteurs",
        "reseaux": "Réseaux",
        "perimetres": "Périmètres",
        "membres": "Membres",
    }
    return exports.to_xlsx(
        {labels[name]: table for name, table in workspace_tables(conn).items()},
        progress=progress,
    )


def _network_layer(tables: dict[str, pd.DataFrame]) -> gpd.GeoDataFrame:
    perimeters = tables["perimetres"]
    shapes = []
    for network_id, rows in perimeters.groupby("network_id"):
        parts = []
        for level, codes in rows.groupby("level")["code"]:
            layer = geography.load_layer(level)
            parts.extend(layer.loc[layer["code"].isin(codes), "geometry"])
        shapes.append((network_id, shapely.union_all(parts) if parts else None))
    geometry = pd.Series(dict(shapes), dtype=object)
    nets = tables["reseaux"].set_index("id")
    layer = nets.drop(columns=["kind", "status"]).assign(
        geometry=geometry.reindex(nets.index)
    )
    return gpd.GeoDataFrame(layer.reset_index(), geometry="geometry", crs="EPSG:4326")


def _territory_layers(acteurs: pd.DataFrame) -> dict[str, gpd.GeoDataFrame]:
    layers = {}
    names = {
        "epci": "epci",
        "pays": "pays",
        "pnr": "pnr",
        "departement": "departements",
        "region": "regions",
    }
    for level, name in names.items():
        links = geography.territory_communes(level)
        joined = links.merge(
            acteurs[["code_commune", "emplois_estimes"]],
            left_on="commune",
            right_on="code_commune",
        )
        counts = joined.groupby("code").agg(
            structures=("commune", "size"), emplois=("emplois_estimes", "sum")
        )
        layer = geography.load_layer(level)[["code", "nom", "population", "geometry"]]
        layer = layer.merge(counts, left_on="code", right_index=True, how="left")
        layer["structures"] = layer["structures"].fillna(0).astype("int64")
        layer["emplois"] = layer["emplois"].fillna(0.0)
        layers[f"territoires_{name}"] = layer
    return layers


def export_geopackage(conn: sqlite3.Connection) -> bytes:
    """A GeoPackage for QGIS: every actor, networks and territories (polygons).

    Layers: ``acteurs`` (points), ``acteurs_sans_position`` (a table without
    geometry: the actors without coordinates, none is left out), ``reseaux``
    (each network's declared perimeter), ``territoires_epci``, ``…_pays``,
    ``…_pnr``, ``…_departements``, ``…_regions`` with their ``structures``
    and estimated ``emplois``, and ``resume`` (a table: rows of each layer,
    actors in all). All in WGS 84 (EPSG:4326).
    """
    tables = workspace_tables(conn)
    acteurs = tables["acteurs"]
    has_position = acteurs["latitude"].notna() & acteurs["longitude"].notna()
    located = acteurs[has_position]
    points = gpd.GeoDataFrame(
        located,
        geometry=gpd.points_from_xy(located["longitude"], located["latitude"]),
        crs="EPSG:4326",
    )
    unplaced = pd.DataFrame(acteurs[~has_position])
    layers: dict[str, pd.DataFrame] = {
        "acteurs": points,
        "acteurs_sans_position": unplaced,
        "reseaux": _network_layer(tables),
    }
    layers.update(_territory_layers(acteurs))
    layers["resume"] = _summary(layers, len(acteurs))
    return exports.to_geopackage(layers)


def _summary(layers: dict[str, pd.DataFrame], actors: int) -> pd.DataFrame:
    """What the GeoPackage holds: rows per layer, and the actors in all."""
    rows = [
        {"couche": "acteurs (en tout)", "lignes": actors},
        *({"couche": name, "lignes": len(layer)} for name, layer in layers.items()),
    ]
    return pd.DataFrame(rows)


def backup_bytes(conn: sqlite3.Connection) -> bytes:
    """A consistent copy of the workspace, taken while it is in use.

    SQLite: the file itself; PostgreSQL: a ``pg_dump`` archive
    (:func:`ess_geo.workspace.pgbackup.dump`).
    """
    if isinstance(conn, dialect.PgConnection):
        return pgbackup.dump(conn.url)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sauvegarde.sqlite"
        target = sqlite3.connect(path)
        try:
            conn.backup(target)
        finally:
            target.close()
        return path.read_bytes()


def _schema(conn: sqlite3.Connection) -> dict[str, object]:
    """Every schema object (tables with their columns, indexes, triggers, views)."""
    objects = sorted(
        (kind, name, table, " ".join((sql or "").split()))
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
        )
    )
    columns = {
        name: [
            tuple(c)
            for c in conn.execute(
                'SELECT cid, name, type, "notnull", dflt_value, pk '
                "FROM pragma_table_info(?)",
                (name,),
            )
        ]
        for kind, name, _, _ in objects
        if kind == "table"
    }
    return {"objects": objects, "columns": columns}


@functools.cache
def _reference_schema() -> dict[str, object]:
    """The schema of a new, empty workspace of this version."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = store.connect(Path(tmp) / "reference.sqlite")
        try:
            return _schema(conn)
        finally:
            conn.close()


def _schema_differences(conn: sqlite3.Connection) -> list[str]:
    """What differs from a workspace's schema, in French (empty: identical)."""
    found, reference = _schema(conn), _reference_schema()
    labels = {
        "table": "table",
        "index": "index",
        "trigger": "déclencheur",
        "view": "vue",
    }
    ours = {(o[0], o[1]): o for o in reference["objects"]}
    theirs = {(o[0], o[1]): o for o in found["objects"]}
    problems = []
    for key in sorted(set(theirs) - set(ours)):
        problems.append(f"{labels.get(key[0], key[0])} « {key[1]} » en trop")
    for key in sorted(set(ours) - set(theirs)):
        problems.append(f"{labels.get(key[0], key[0])} « {key[1]} » absent(e)")
    for key in sorted(set(ours) & set(theirs)):
        if ours[key] != theirs[key]:
            problems.append(f"{labels.get(key[0], key[0])} « {key[1]} » différent(e)")
    return problems


def _check_candidate(path: Path) -> int:
    """Check a candidate copy, migrating it; return its actors.

    The copy must be intact (``integrity_check``) and, once migrated to this
    version, have exactly a workspace's schema: the same tables and
    columns, the same indexes, no trigger or view of its own.
    """
    try:
        raw = sqlite3.connect(path)
        try:
            ok = raw.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {
                r[0]
                for r in raw.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
        finally:
            raw.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreError(f"Fichier de sauvegarde illisible : {exc}.") from exc
    if ok != "ok":
        raise RestoreError(f"Fichier de sauvegarde endommagé (contrôle SQLite : {ok}).")
    missing = sorted(_REQUIRED_TABLES - tables)
    if missing:
        raise RestoreError(
            "Ce fichier SQLite n'est pas un espace de travail ESS Territoires "
            f"(tables absentes : {', '.join(missing)})."
        )
    try:
        conn = store.connect(path)
    except WorkspaceError as exc:
        if "plus récent" in str(exc):
            raise
        raise RestoreError(
            "Ce fichier n'est pas un espace de travail ESS Territoires utilisable "
            f"({exc}). L'espace de travail n'a pas été modifié."
        ) from exc
    except sqlite3.Error as exc:
        raise RestoreError(
            f"Ce fichier n'est pas un espace de travail ESS Territoires ({exc}). "
            "L'espace de travail n'a pas été modifié."
        ) from exc
    try:
        try:
            problems = _schema_differences(conn)
        except sqlite3.Error as exc:
            raise RestoreError(f"Schéma du fichier illisible ({exc}).") from exc
        if problems:
            shown = problems[:8] + (["…"] if len(problems) > 8 else [])
            raise RestoreError(
                "Ce fichier n'a pas le schéma d'un espace de travail ESS Territoires "
                f"({'; '.join(shown)}) : il n'est pas restauré, l'espace de travail "
                "n'a pas été modifié."
            )
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if ok != "ok" or broken is not None:
            raise RestoreError(
                "Fichier de sauvegarde incohérent (contrôle SQLite après mise à "
                "niveau) : il n'est pas restauré."
            )
        return int(conn.execute("SELECT count(*) FROM actors").fetchone()[0])
    finally:
        conn.close()


def restore(
    data: bytes, *, path: Path | str | None = None, who: str | None = None
) -> Path:
    """Replace the workspace by a backup, keeping a safety copy of the current one.

    The restore is audited and renews the workspace's generation, so that its
    revision differs from every revision before it.

    Parameters
    ----------
    data : bytes
        A file made by :func:`backup_bytes` (or a copy of a workspace).
    path : path-like, optional
        The workspace; default :func:`ess_geo.workspace.store.workspace_path`.
    who : str, optional
        Recorded in the restored workspace's audit log.

    Returns
    -------
    pathlib.Path
        The safety copy of the workspace as it was.

    Raises
    ------
    RestoreError
        If the file is not an intact workspace; nothing is changed then.
    WorkspaceError
        If the backup is from a newer version of the software.
    """
    target = store.workspace_target(path) if path is not None else None
    target = target if target is not None else store.workspace_path()
    if isinstance(target, str):
        return pgbackup.restore_dump(data, target, who=who)
    path = target
    if not data.startswith(_SQLITE_MAGIC):
        raise RestoreError(
            "Ce fichier n'est pas une sauvegarde SQLite : choisissez un fichier "
            "téléchargé avec « Sauvegarde de l'espace de travail »."
        )
    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / "candidat.sqlite"
        candidate.write_bytes(data)
        restored_actors = _check_candidate(candidate)
        safety = pgbackup.safety_path(
            path.parent / BACKUP_DIR_NAME, path.stem, ".sqlite"
        )
        # The checked copy gets its new generation and journal entry first;
        # then one backup step replaces the live content: SQLite copies every
        # page in a single write transaction (atomic for the other
        # connections, rolled back whole on failure).
        prepared = store.connect(candidate)
        try:
            with store.transaction(prepared):
                store.renew_generation(prepared)
                store.audit(
                    prepared,
                    "restauration",
                    {"acteurs": restored_actors, "copie_de_securite": safety.name},
                    who=who,
                )
            live = store.connect(path)
            try:
                safety.write_bytes(backup_bytes(live))
                prepared.backup(live)
            finally:
                live.close()
        finally:
            prepared.close()
    return safety
