"""PostgreSQL workspaces: backups with ``pg_dump``/``pg_restore``, moving in.

A backup of a PostgreSQL workspace is a ``pg_dump`` archive (custom format)
of its tables. Restoring checks the archive (an ESS Territoires workspace,
not newer than this software), keeps a safety dump of the current content,
then runs one transaction (:func:`restore_dump`): the archive's tables
replace the live ones (``pg_restore`` text replayed by ``psql``), an older
archive is migrated, its schema must be exactly the live one
(:func:`schema_signature`), the revision sequence is put past every
revision ever given, the generation renewed and the restore audited.

:func:`migrate_workspace` copies a SQLite workspace into an empty PostgreSQL
one (``python -m ess_geo migrate-workspace SRC DEST``), ids and journal
included, in one transaction with ``COPY``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import re
import secrets
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
    "safety_path",
    "schema_signature",
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


def safety_path(folder: Path, stem: str, suffix: str) -> Path:
    """Where a restore keeps the workspace as it was (the folder created).

    ``folder / f"{stem}-avant-restauration-{date}-{time}{suffix}"``, both
    backends.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stem}-avant-restauration-{stamp}{suffix}"


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


_SIGNATURE_SQL = r"""
SELECT label || E'\t' || regexp_replace(detail, '\s+', ' ', 'g') AS line FROM (
    WITH ns AS (
        SELECT oid, nspname,
               CASE WHEN nspname = 'public' THEN '' ELSE nspname || '.' END AS prefix
        FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
    ),
    ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
    rel AS (
        SELECT c.*, ns.prefix FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
        WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass
                          AND ext.objid = c.oid)
          AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN ext
                          ON ext.classid = 'pg_class'::regclass
                          AND ext.objid = i.indrelid WHERE i.indexrelid = c.oid)
    )
    SELECT 'schéma « ' || nspname || ' »' AS label, '' AS detail FROM ns
    UNION ALL
    SELECT CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table'
                WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'S' THEN 'séquence'
                WHEN 'v' THEN 'vue' WHEN 'm' THEN 'vue' WHEN 'f' THEN 'table externe'
                ELSE 'type' END || ' « ' || prefix || relname || ' »',
           relkind::text || CASE WHEN relrowsecurity THEN ' rls' ELSE '' END
           || CASE WHEN relkind IN ('i', 'I') THEN ' ' || pg_get_indexdef(oid)
                   WHEN relkind IN ('v', 'm') THEN ' ' || md5(pg_get_viewdef(oid))
                   ELSE '' END
    FROM rel
    UNION ALL
    SELECT 'colonne « ' || r.prefix || r.relname || '.' || a.attname || ' »',
           format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' ' || a.attgenerated::text || ' '
                       || pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN rel r ON r.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL
    SELECT 'contrainte « ' || r.prefix || r.relname || '.' || k.conname || ' »',
           pg_get_constraintdef(k.oid)
    FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid
    UNION ALL
    SELECT 'déclencheur « ' || r.prefix || r.relname || '.' || t.tgname || ' »',
           t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'règle « ' || r.prefix || r.relname || '.' || w.rulename || ' »',
           md5(pg_get_ruledef(w.oid))
    FROM pg_rewrite w JOIN rel r ON r.oid = w.ev_class WHERE w.rulename <> '_RETURN'
    UNION ALL
    SELECT 'politique « ' || r.prefix || r.relname || '.' || o.polname || ' »', ''
    FROM pg_policy o JOIN rel r ON r.oid = o.polrelid
    UNION ALL
    SELECT 'fonction « ' || ns.prefix || p.proname || '('
           || pg_get_function_identity_arguments(p.oid) || ') »',
           p.prokind::text || ' ' || p.prosecdef::text || ' ' || p.provolatile::text
           || ' '
           || md5(coalesce(p.prosrc, '') || pg_get_function_result(p.oid))
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass
                      AND ext.objid = p.oid)
    UNION ALL
    SELECT 'opérateur « ' || ns.prefix || o.oprname || ' »', o.oid::regoperator::text
    FROM pg_operator o JOIN ns ON ns.oid = o.oprnamespace
    WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_operator'::regclass
                      AND ext.objid = o.oid)
    UNION ALL
    SELECT 'type « ' || ns.prefix || t.typname || ' »', t.typtype::text
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
    WHERE t.typtype NOT IN ('c') AND t.typcategory <> 'A'
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass
                      AND ext.objid = t.oid)
    UNION ALL
    SELECT 'déclencheur d''événement « ' || evtname || ' »', evtevent::text
    FROM pg_event_trigger
) objects
"""
"""Every object of the database a workspace could hold, one line each
(``label<TAB>definition``): schemas, tables and their columns, indexes,
constraints, triggers, rules, policies, views, sequences, functions,
operators and types, PostgreSQL extensions' own objects left out. A restore
compares the restored database's lines with the live one's."""

_CHECK_SQL = r"""
CREATE TEMP TABLE ess_found ON COMMIT DROP AS {signature};
DO $ess$
DECLARE
    problems text[];
BEGIN
    SELECT array_agg(problem ORDER BY problem) INTO problems FROM (
        SELECT split_part(line, E'\t', 1) || ' en trop' AS problem FROM ess_found
        WHERE split_part(line, E'\t', 1) NOT IN
              (SELECT split_part(line, E'\t', 1) FROM ess_expected)
        UNION ALL
        SELECT split_part(line, E'\t', 1) || ' absent(e)' FROM ess_expected
        WHERE split_part(line, E'\t', 1) NOT IN
              (SELECT split_part(line, E'\t', 1) FROM ess_found)
        UNION ALL
        SELECT split_part(f.line, E'\t', 1) || ' différent(e)'
        FROM ess_found f JOIN ess_expected e
             ON split_part(f.line, E'\t', 1) = split_part(e.line, E'\t', 1)
        WHERE f.line <> e.line
    ) differences;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'ESS_SCHEMA: %', array_to_string(problems[1:8], '; ')
            || CASE WHEN cardinality(problems) > 8 THEN '; …' ELSE '' END;
    END IF;
END $ess$;
"""
"""After the restore, in its transaction: the restored schema must be the
live one (``ess_expected``), else the whole restore is rolled back."""


def schema_signature(conn: dialect.PgConnection) -> list[str]:
    """The schema of a PostgreSQL workspace, one sorted line per object.

    Lines are ``label<TAB>definition`` (:data:`_SIGNATURE_SQL`); two
    databases with the same lines have the same tables, columns, indexes,
    constraints, triggers, functions… (data aside).
    """
    return sorted(r[0] for r in conn.execute(_SIGNATURE_SQL))


def _script(restore_sql: str, version: int) -> str:
    """The restore's one transaction (``psql --single-transaction``).

    Take the write lock and remember the revision sequence; drop the
    workspace's tables and replay the archive (``pg_restore`` text, run
    with psql's meta-commands restricted); migrate it when older; compare
    its schema with the live one; put the revision sequence past every
    revision ever given; renew the generation; audit the restore. Values
    come in as psql variables (``:'who'``…), never formatted in.
    """
    upgrade = dialect.pg_upgrade_script(store.MIGRATIONS, version)
    return "\n".join(
        (
            "SET lock_timeout = :lock_timeout;",
            "SELECT pg_advisory_xact_lock(:lock);",
            "CREATE TEMP TABLE ess_revision ON COMMIT DROP AS "
            "SELECT last_value FROM workspace_revision;",
            "CREATE TEMP TABLE ess_expected ON COMMIT DROP AS "
            "SELECT unnest(string_to_array(:'expected', E'\\n')) AS line;",
            _DROP_WORKSPACE,
            restore_sql,
            "RESET search_path;",
            upgrade,
            "UPDATE schema_version SET version = :schema_version;",
            _CHECK_SQL.format(signature=_SIGNATURE_SQL),
            "SELECT setval('workspace_revision', greatest("
            "(SELECT last_value FROM ess_revision), "
            "(SELECT last_value FROM workspace_revision), "
            "(SELECT coalesce(max(id), 0) FROM audit_log)));",
            "UPDATE workspace_meta SET value = :'generation' WHERE key = 'generation';",
            "INSERT INTO audit_log (at, who, action, detail) VALUES (:'at', :'who', "
            "'restauration', json_build_object('acteurs', "
            "(SELECT count(*) FROM actors), 'copie_de_securite', :'safety')::text);",
            "",
        )
    )


_DROP_WORKSPACE = r"""
DO $ess$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.deptype = 'e'
                          AND d.classid = 'pg_class'::regclass AND d.objid = c.oid)
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS public.%I CASCADE', item.relname);
    END LOOP;
END $ess$;
"""
"""The live workspace's tables go first (in the restore's transaction): an
older archive then migrates as a new workspace would, without meeting the
tables that later versions added."""


def restore_dump(data: bytes, url: str, *, who: str | None = None) -> Path:
    """Replace a PostgreSQL workspace by a ``pg_dump`` archive of one.

    One transaction (``psql --single-transaction``) replays the archive,
    migrates it when older, checks that its schema is exactly the live
    workspace's (no table, column, index, trigger, function… of its own),
    renews the generation and audits the restore: other servers see the old
    workspace or the restored one, never a restored one with an old
    generation; the revision sequence never goes back.

    Returns
    -------
    pathlib.Path
        The safety dump of the workspace as it was (``data/sauvegardes``).

    Raises
    ------
    RestoreError
        If the archive is not a workspace, or not exactly a workspace's
        schema; nothing is changed then.
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
        text = _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "-f",
                "-",
                str(archive),
            ],
            None,
        )
        if text.returncode != 0:
            raise RestoreError(
                "Fichier de sauvegarde PostgreSQL illisible (pg_restore) : "
                f"{text.stderr.decode(errors='replace').strip()}."
            )
        if not text.stdout.lstrip().startswith(b"--") or b"\n\\restrict " not in (
            text.stdout
        ):
            raise WorkspaceError(
                "pg_restore trop ancien : installez le client PostgreSQL 15.14 ou "
                "plus récent (il protège la restauration des commandes psql)."
            )
        with contextlib.closing(store.connect(url)) as live:
            expected = schema_signature(live)
        database = re.sub(r"\W", "_", url.rsplit("/", 1)[-1].split("?")[0]) or "base"
        safety = safety_path(safety_dir(), database, ".dump")
        safety.write_bytes(dump(url))
        script = Path(tmp) / "restauration.sql"
        script.write_bytes(_script(text.stdout.decode(), version).encode())
        variables = {
            "lock": str(dialect.WRITE_LOCK),
            "lock_timeout": str(dialect.LOCK_TIMEOUT_MS),
            "schema_version": str(store.SCHEMA_VERSION),
            "expected": "\n".join(expected),
            "generation": secrets.token_hex(16),
            "at": store._now(),
            "who": who or getpass.getuser(),
            "safety": safety.name,
        }
        result = _run(
            [
                _tool("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                *(f"--set={name}={value}" for name, value in variables.items()),
                "--file",
                str(script),
            ],
            url,
        )
        if result.returncode != 0:
            error = result.stderr.decode(errors="replace")
            found = re.search(r"ESS_SCHEMA: (.*)", error)
            if found:
                raise RestoreError(
                    "Cette sauvegarde n'a pas le schéma d'un espace de travail ESS "
                    f"Territoires ({found.group(1).strip()}) : elle n'est pas "
                    "restaurée, l'espace de travail n'a pas été modifié."
                )
            if "lock timeout" in error:
                raise RestoreError(
                    "Restauration impossible pour l'instant : l'espace de travail "
                    "est occupé par un autre serveur depuis plus de "
                    f"{dialect.LOCK_TIMEOUT_MS // 1000} s. Rien n'a changé : "
                    "réessayez dans un moment."
                )
            raise RestoreError(
                "Restauration PostgreSQL refusée, rien n'a changé (psql) : "
                f"{error.strip()}"
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
