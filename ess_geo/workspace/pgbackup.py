"""PostgreSQL workspaces: backups with ``pg_dump``/``pg_restore``, moving in.

A backup of a PostgreSQL workspace is a ``pg_dump`` archive (custom format)
of its tables; restoring checks the archive (an ESS Territoires workspace,
not newer than this software), keeps a safety dump of the current content,
replaces the tables in one transaction (``pg_restore --single-transaction
--clean``) and renews the workspace's generation.

:func:`migrate_workspace` copies a SQLite workspace into an empty PostgreSQL
one (``python -m ess_geo migrate-workspace SRC DEST``), ids and journal
included, in one transaction with ``COPY``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ess_geo import paths
from ess_geo.errors import RestoreError, WorkspaceError
from ess_geo.workspace import dialect, store

__all__ = [
    "BACKUP_DIR_VAR",
    "DUMP_MAGIC",
    "MIGRATED_TABLES",
    "dump",
    "migrate_workspace",
    "restore_dump",
    "safety_dir",
]

DUMP_MAGIC = b"PGDMP"
"""First bytes of a ``pg_dump`` custom-format archive."""

MIGRATED_TABLES: tuple[str, ...] = (
    "actors",
    "networks",
    "network_territories",
    "network_members",
    "audit_log",
    "change_log",
    "merge_proposals",
    "workspace_meta",
)
"""Tables copied by :func:`migrate_workspace` (with any table a later
migration adds: every table of the SQLite workspace is copied)."""

_REQUIRED = ("actors", "networks", "network_members", "audit_log", "schema_version")
_TOOL_TIMEOUT = 600


BACKUP_DIR_VAR = "ESS_GEO_BACKUP_DIR"
"""Where restores of a PostgreSQL workspace keep their safety dump (a folder
of the server; default ``data/sauvegardes``)."""


def safety_dir() -> Path:
    """The folder of safety dumps (:data:`BACKUP_DIR_VAR`)."""
    return Path(os.environ.get(BACKUP_DIR_VAR) or paths.DATA_DIR / "sauvegardes")


def _tool(name: str) -> str:
    """Path of a PostgreSQL client program (``ESS_GEO_PG_BIN`` or PATH)."""
    folder = os.environ.get("ESS_GEO_PG_BIN")
    candidates = [Path(folder) / name] if folder else []
    candidates.append(Path("/usr/lib/postgresql/15/bin") / name)
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise WorkspaceError(
            f"Programme {name} introuvable : installez le client PostgreSQL 15 "
            "(paquet postgresql-client-15) pour sauvegarder ou restaurer."
        )
    return found


def _environment(url: str) -> dict[str, str]:
    """Libpq variables for a URL: the password never on a command line."""
    from psycopg.conninfo import conninfo_to_dict

    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in conninfo_to_dict(url).items():
        if key in names and value is not None:
            env[names[key]] = str(value)
    return env


def _run(args: list[str], url: str | None, **kwargs) -> subprocess.CompletedProcess:
    env = _environment(url) if url else None
    result = subprocess.run(
        args, env=env, capture_output=True, timeout=_TOOL_TIMEOUT, check=False, **kwargs
    )
    return result


def dump(url: str) -> bytes:
    """A ``pg_dump`` archive (custom format) of the workspace's tables.

    Raises
    ------
    WorkspaceError
        If ``pg_dump`` is missing or fails.
    """
    result = _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--schema=public",
        ],
        url,
    )
    if result.returncode != 0:
        raise WorkspaceError(
            "Sauvegarde PostgreSQL impossible (pg_dump) : "
            f"{result.stderr.decode(errors='replace').strip()}"
        )
    return result.stdout


def _archive_version(archive: Path) -> int:
    """Check an archive is a workspace; return its schema version."""
    listing = _run([_tool("pg_restore"), "--list", str(archive)], None)
    if listing.returncode != 0:
        raise RestoreError(
            "Fichier de sauvegarde PostgreSQL illisible : "
            f"{listing.stderr.decode(errors='replace').strip()}."
        )
    text = listing.stdout.decode(errors="replace")
    tables = set(re.findall(r"TABLE (?:DATA )?\S+ (\w+) ", text))
    missing = [t for t in _REQUIRED if t not in tables]
    if missing:
        raise RestoreError(
            "Cette sauvegarde PostgreSQL n'est pas un espace de travail ESS "
            f"Territoires (tables absentes : {', '.join(missing)})."
        )
    data = _run(
        [
            _tool("pg_restore"),
            "--data-only",
            "--table=schema_version",
            "-f",
            "-",
            str(archive),
        ],
        None,
    )
    found = re.search(
        r"COPY \S*schema_version \(version\) FROM stdin;\n(\d+)\n",
        data.stdout.decode(errors="replace"),
    )
    if data.returncode != 0 or found is None:
        raise RestoreError("Sauvegarde PostgreSQL sans version de schéma lisible.")
    return int(found.group(1))


def restore_dump(data: bytes, url: str, *, who: str | None = None) -> Path:
    """Replace a PostgreSQL workspace by a ``pg_dump`` archive of one.

    Returns
    -------
    pathlib.Path
        The safety dump of the workspace as it was (``data/sauvegardes``).

    Raises
    ------
    RestoreError
        If the archive is not a workspace; nothing is changed then.
    WorkspaceError
        If it is from a newer version of the software, or a tool fails.
    """
    if not data.startswith(DUMP_MAGIC):
        raise RestoreError(
            "Ce fichier n'est pas une sauvegarde PostgreSQL (pg_dump) : choisissez "
            "un fichier téléchargé avec « Sauvegarde de l'espace de travail »."
        )
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "candidat.dump"
        archive.write_bytes(data)
        version = _archive_version(archive)
        if version > store.SCHEMA_VERSION:
            raise WorkspaceError(
                f"Cette sauvegarde est au schéma v{version}, plus récent que cette "
                f"version du logiciel (v{store.SCHEMA_VERSION}) : mettez ESS "
                "Territoires à jour."
            )
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        database = re.sub(r"\W", "_", url.rsplit("/", 1)[-1].split("?")[0]) or "base"
        safety = safety_dir() / f"{database}-avant-restauration-{stamp}.dump"
        safety.parent.mkdir(parents=True, exist_ok=True)
        safety.write_bytes(dump(url))
        result = _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                url.split("?")[0],
                str(archive),
            ],
            url,
        )
        if result.returncode != 0:
            raise RestoreError(
                "Restauration PostgreSQL refusée, rien n'a changé (pg_restore) : "
                f"{result.stderr.decode(errors='replace').strip()}"
            )
    with contextlib.closing(store.connect(url)) as live:
        actors = int(live.execute("SELECT count(*) FROM actors").fetchone()[0])
        with store.transaction(live):
            store.renew_generation(live)
            store.audit(
                live,
                "restauration",
                {"acteurs": actors, "copie_de_securite": safety.name},
                who=who,
            )
    return safety


def migrate_workspace(
    source: Path | str, target: str, *, who: str | None = None
) -> dict[str, int]:
    """Copy a SQLite workspace into an empty PostgreSQL one, in one transaction.

    Parameters
    ----------
    source : path-like
        The SQLite workspace (migrated to the current schema first).
    target : str
        A ``postgresql://`` URL of a database with no workspace content yet
        (created and migrated here when empty).
    who : str, optional
        Recorded in the audit row of the move.

    Returns
    -------
    dict
        Table -> rows copied.

    Raises
    ------
    WorkspaceError
        If the source is not a SQLite workspace, the target not PostgreSQL,
        or the target already holds actors or changes.
    """
    if not dialect.is_postgres(target):
        raise WorkspaceError(
            f"Destination « {dialect.redact(str(target))} » : une adresse "
            "postgresql://utilisateur@hôte/base est attendue."
        )
    if dialect.is_url(str(source)) or not Path(source).is_file():
        raise WorkspaceError(
            f"Source « {dialect.redact(str(source))} » : un fichier SQLite "
            "d'espace de travail existant est attendu."
        )
    counts: dict[str, int] = {}
    with (
        contextlib.closing(store.connect(Path(source))) as src,
        contextlib.closing(store.connect(target)) as dest,
    ):
        busy = dest.execute(
            "SELECT (SELECT count(*) FROM actors) + (SELECT count(*) FROM audit_log)"
        ).fetchone()[0]
        if busy:
            raise WorkspaceError(
                "La base PostgreSQL de destination contient déjà un espace de "
                "travail (acteurs ou journal) : choisissez une base vide."
            )
        tables = [
            r[0]
            for r in src.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        ]
        with store.transaction(dest):
            dialect.defer_foreign_keys(dest)
            dest.execute("DELETE FROM workspace_meta")
            for table in tables:
                wanted = dialect.columns(dest, table)
                if not wanted:
                    continue
                names = [c for c in dialect.columns(src, table) if c in wanted]
                rows = src.execute(
                    f"SELECT {', '.join(names)} FROM {table}"  # noqa: S608
                )
                counts[table] = dialect.copy_rows(dest, table, names, rows)
            dest.execute(
                "SELECT setval('workspace_revision', "
                "greatest((SELECT coalesce(max(id), 0) FROM audit_log), 1))"
            )
            store.renew_generation(dest)
            store.audit(
                dest,
                "migration",
                {"source": Path(source).name, **counts},
                who=who,
            )
    return counts
