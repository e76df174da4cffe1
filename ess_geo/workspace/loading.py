"""Importing an actor file into the workspace: one transaction, one report.

:func:`import_actors` reads a :class:`~ess_geo.io.source.Source` chunk by
chunk, checks each chunk (:func:`ess_geo.io.validation.validate`) and writes the
good rows in a single transaction, through the change journal
(:class:`ess_geo.workspace.history.Journal`) so that the import can be undone:

- a row whose SIRET is already stored updates that actor (its non-empty
  fields win; unchanged actors are not rewritten);
- the other rows are inserted; those that look like a stored actor (same
  name nearby, :mod:`ess_geo.workspace.dedup`) get a merge proposal;
- ``reseaux`` memberships are added;
- the first real import replaces the fictitious demo actors, in the same
  transaction, unless asked to keep them.

A row with any problem is rejected and listed in the report with its line
and reasons; the others go on. If no row can be imported, nothing is
written at all, not even the removal of the demo. A crash anywhere leaves
the workspace as it was.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ess_geo import _arrow
from ess_geo.errors import ImportFileError
from ess_geo.io import imports
from ess_geo.io.source import Source
from ess_geo.io.validation import FileState, ValidationContext, validate
from ess_geo.workspace import dedup, dialect, history, store

__all__ = ["ImportReport", "import_actors", "read_actor_file", "report_tables"]


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    Attributes
    ----------
    file, kind : str
        The file's name and kind (``csv``, ``xlsx``, ``sirene``).
    read : int
        Data rows read from the file.
    imported, updated : int
        Actors added, and stored actors matched by SIRET (updated when
        something changed).
    ignored : int
        Rows left out on purpose (SIRENE: not ESS or closed).
    rejected : list of dict
        ``{"line": k, "reason": "..."}``, ``line`` counting the header as 1.
    duplicates : list of dict
        Merge proposals: ``line``, ``nom``, ``actor_id`` (new),
        ``existing_id``, ``existing_nom``, ``distance_m``.
    swapped : int
        Rows with latitude and longitude swapped (fixed when asked).
    demo_removed : int
        Fictitious demo actors replaced by this import.
    notes : list of str
        What the reader detected (encoding, delimiter, sheet…), in French.
    audit_id : int or None
        The audit log entry (``None`` for a dry run or a refused file).
    dry_run : bool
    error : str or None
        Why the file was refused as a whole (nothing written).
    """

    file: str
    kind: str = ""
    read: int = 0
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    rejected: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    swapped: int = 0
    demo_removed: int = 0
    notes: list[str] = field(default_factory=list)
    audit_id: int | None = None
    dry_run: bool = False
    error: str | None = None

    @property
    def exit_code(self) -> int:
        """0 every row imported, 1 some rows rejected, 2 nothing imported."""
        if self.error is not None:
            return 2
        return 1 if self.rejected else 0

    def to_json(self) -> dict:
        """The report as ``--report-json`` writes it (DESIGN.md), plus ``ignored``."""
        return {
            "read": self.read,
            "imported": self.imported,
            "updated": self.updated,
            "rejected": sorted(self.rejected, key=lambda r: r["line"]),
            "duplicates": self.duplicates,
            "ignored": self.ignored,
        }


_IMPORT_CACHE_KIB = 128 * 1024
"""SQLite page cache while importing (128 MiB): indexes updated in random
order (commune codes) stay in memory instead of going back and forth."""


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def _networks(conn: sqlite3.Connection) -> pd.DataFrame:
    return dialect.read_sql("SELECT id, nom FROM networks ORDER BY id", conn)


def _updates(
    journal: history.Journal, rows: pd.DataFrame, ids: pd.Series, source: str
) -> None:
    """Update stored actors from rows with their SIRET: non-empty cells win."""
    now = store._now()
    columns = _arrow.column_lists(rows[list(store.ACTOR_FIELDS)])
    changes = []
    for actor_id, record in zip(ids, zip(*columns, strict=True), strict=True):
        fields = {
            name: value
            for name, value in zip(store.ACTOR_FIELDS, record, strict=True)
            if value is not None
        }
        changes.append(((int(actor_id),), fields))
    # Stamp (source, date, no longer demo) only the actors that change.
    for batch in [changes[i : i + 5_000] for i in range(0, len(changes), 5_000)]:
        current = journal.current_rows("actors", [key for key, _ in batch])
        stamped = [
            (key, {**fields, "source": source, "updated_at": now, "is_demo": 0})
            for key, fields in batch
            if key in current
            and (
                current[key]["is_demo"]
                or any(current[key][k] != v for k, v in fields.items())
            )
        ]
        journal.update_many("actors", stamped)


def _memberships(
    journal: history.Journal, actor_ids: pd.Series, networks: pd.Series
) -> None:
    given = networks.notna().to_numpy()
    wanted = {
        (int(n), int(a))
        for a, ids in zip(actor_ids[given], networks[given], strict=True)
        for n in ids
    }
    if not wanted:
        return
    existing = {
        (r[0], r[1])
        for r in journal.conn.execute(
            "SELECT network_id, actor_id FROM network_members WHERE actor_id IN "
            "(SELECT value FROM json_each(?))",
            (history.id_list(sorted({a for _, a in wanted})),),
        )
    }
    journal.insert(
        "network_members",
        [{"network_id": n, "actor_id": a} for n, a in sorted(wanted - existing)],
    )


def import_actors(
    conn: sqlite3.Connection,
    source: Source,
    *,
    keep_demo: bool = False,
    dry_run: bool = False,
    fix_swapped: bool = False,
    who: str | None = None,
) -> ImportReport:
    """Import an actor file into the workspace, whole or not at all.

    Parameters
    ----------
    conn : sqlite3.Connection
        The workspace, not in a transaction.
    source : Source
        From :func:`ess_geo.io.imports.open_source`.
    keep_demo : bool, default False
        Keep the fictitious demo actors (else the import replaces them).
    dry_run : bool, default False
        Check and count everything, then write nothing.
    fix_swapped : bool, default False
        Put back latitudes and longitudes found swapped instead of
        rejecting those rows.
    who : str, optional
        Who imports (default: the system user).

    Returns
    -------
    ImportReport
        With ``error`` set (and nothing written) when the file turns out
        unusable while reading, or no row can be imported.
    """
    report = ImportReport(
        file=source.name, kind=source.kind, dry_run=dry_run, notes=list(source.notes)
    )
    state = FileState()
    try:
        source.check()
        with dialect.bulk_cache(conn, _IMPORT_CACHE_KIB), store.transaction(conn):
            journal = history.Journal(conn)
            remove_demo = not keep_demo and store.has_demo_actors(conn)
            # The actors that stay (the demo left out when it goes).
            stored = dedup.stored_actors(conn, include_demo=keep_demo)
            with_siret = stored[stored["siret"].notna()]
            by_siret = pd.Series(
                with_siret["id"].to_numpy(), index=with_siret["siret"].to_numpy()
            )
            context = ValidationContext(
                networks=_networks(conn),
                fix_swapped=fix_swapped,
                ess_unit=source.kind == "sirene",
                stored_sirets=by_siret.index,
            )
            writer = _Writer(journal, by_siret, stored, source.name)
            # Chunk k is written by one worker thread while the next one is
            # read and checked (the databases release the GIL while they
            # work); the demo's removal is the worker's first task.
            with (
                dialect.spatial_index_built_after(conn, empty=stored.empty),
                ThreadPoolExecutor(max_workers=1) as pool,
            ):
                removal = (
                    pool.submit(journal.delete, "actors", "is_demo = 1")
                    if remove_demo
                    else None
                )
                pending: Future | None = removal
                for chunk in source.chunks():
                    report.read += chunk.read
                    report.ignored += chunk.ignored
                    report.rejected += chunk.rejected
                    checked = validate(chunk.frame, context, state)
                    report.rejected += checked.rejected.to_dict("records")
                    report.swapped += checked.swapped
                    if pending is not None:
                        pending.result()
                    pending = pool.submit(writer.write, checked.rows)
                if pending is not None:
                    pending.result()
            if removal is not None:
                report.demo_removed = removal.result()
            report.imported = writer.imported
            report.updated = writer.updated
            report.duplicates = writer.duplicates
            if report.imported + report.updated == 0:
                why = (
                    f" ({len(report.rejected)} ligne(s) refusée(s) : voir le rapport)"
                    if report.rejected
                    else " : le fichier n'a pas de ligne de données"
                )
                raise ImportFileError(
                    f"Aucune ligne de {source.name} n'a pu être importée{why}. "
                    "Rien n'a été écrit."
                )
            report.audit_id = journal.commit(
                "import",
                {
                    "fichier": source.name,
                    "format": source.kind,
                    "lues": report.read,
                    "importees": report.imported,
                    "mises_a_jour": report.updated,
                    "refusees": len(report.rejected),
                    "ignorees": report.ignored,
                    "doublons_proposes": len(report.duplicates),
                    "demo_retiree": report.demo_removed,
                },
                who=who,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.audit_id = None
    except ImportFileError as exc:
        report.error = str(exc)
        report.audit_id = None
        report.imported = report.updated = report.demo_removed = 0
        report.duplicates = []
    return report


class _Writer:
    """Writes checked chunks of one import; runs in the import's worker thread."""

    def __init__(
        self,
        journal: history.Journal,
        by_siret: pd.Series,
        stored: pd.DataFrame,
        source: str,
    ) -> None:
        self.journal = journal
        self.by_siret = by_siret
        self.stored = stored
        self.source = source
        self.imported = 0
        self.updated = 0
        self.duplicates: list[dict] = []

    def write(self, rows: pd.DataFrame) -> None:
        """Update known SIRETs, insert the rest, add memberships and proposals."""
        matched = _arrow.lookup(rows["siret"], self.by_siret)
        update_rows = rows[matched.notna()]
        _updates(self.journal, update_rows, matched.dropna(), self.source)
        new_rows = rows[matched.isna()].reset_index(drop=True)
        ids = self.journal.insert_actors(
            new_rows[list(store.ACTOR_FIELDS)], source=self.source
        )
        new_rows["actor_id"] = ids
        _memberships(
            self.journal,
            pd.concat([matched.dropna(), new_rows["actor_id"]]),
            pd.concat([update_rows["reseaux"], new_rows["reseaux"]]),
        )
        pairs = dedup.find_duplicates(new_rows, self.stored)
        if len(pairs):
            self.journal.insert("merge_proposals", pairs.to_dict("records"))
            self.duplicates += _describe(pairs, new_rows, self.stored)
        self.imported += len(new_rows)
        self.updated += len(update_rows)


def _describe(
    pairs: pd.DataFrame, new_rows: pd.DataFrame, stored: pd.DataFrame
) -> list[dict]:
    new = new_rows.set_index("actor_id")
    old = stored.set_index("id")
    return [
        {
            "line": int(new.at[a, "line"]),
            "nom": str(new.at[a, "nom"]),
            "actor_id": int(a),
            "existing_id": int(e),
            "existing_nom": str(old.at[e, "nom"]),
            "distance_m": float(d),
        }
        for a, e, d in pairs[["actor_id", "existing_id", "distance_m"]].itertuples(
            index=False
        )
    ]


def report_tables(report: ImportReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rejected lines and the probable duplicates, with French headers.

    Returns
    -------
    rejected : pandas.DataFrame
        ``Ligne``, ``Raison``, sorted by line.
    duplicates : pandas.DataFrame
        ``Ligne``, ``Nom dans le fichier``, ``Acteur existant``,
        ``Distance (m)``.
    """
    rejected = pd.DataFrame(report.rejected, columns=["line", "reason"])
    rejected = rejected.sort_values("line", ignore_index=True).rename(
        columns={"line": "Ligne", "reason": "Raison"}
    )
    duplicates = pd.DataFrame(
        report.duplicates,
        columns=[
            "line",
            "nom",
            "actor_id",
            "existing_id",
            "existing_nom",
            "distance_m",
        ],
    )
    duplicates = pd.DataFrame(
        {
            "Ligne": duplicates["line"],
            "Nom dans le fichier": duplicates["nom"],
            "Acteur existant": duplicates["existing_nom"]
            + " (n° "
            + duplicates["existing_id"].astype(str)
            + ")",
            "Distance (m)": duplicates["distance_m"],
        }
    )
    return rejected, duplicates


def read_actor_file(
    path: Path | str,
    *,
    sheet: str | None = None,
    networks: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, ImportReport]:
    """Read and check an actor file without a workspace (read-only analysis).

    The rows go through the same readers and checks as an import; the
    ``reseaux`` column is not read (networks live in a workspace). This is
    what ``--actors PATH`` options of analysis commands use.

    Parameters
    ----------
    path : path-like
        Any file :func:`ess_geo.io.imports.open_source` accepts.
    sheet : str, optional
        Workbook sheet.
    networks : pandas.DataFrame, optional
        Networks (``id``, ``nom``) the ``reseaux`` column names: when given,
        that column is read and checked against them (``invite --actors``)
        and kept as lists of network ids.

    Returns
    -------
    actors : pandas.DataFrame
        The accepted rows: :data:`ess_geo.actors.ACTOR_COLUMNS` except
        ``reseaux`` (unless ``networks`` is given), plus ``placement`` and
        ``line``.
    report : ImportReport
        Lines read and rejected (``imported`` counts the accepted rows).

    Raises
    ------
    ImportFileError
        If the file is unusable.
    """
    source = imports.open_source(path, sheet=sheet)
    keep = networks is not None
    if "reseaux" in source.mapping and source.kind != "sirene" and not keep:
        source = source.with_mapping(
            {f: c for f, c in source.mapping.items() if f != "reseaux"}
        )
    report = ImportReport(file=source.name, kind=source.kind, notes=list(source.notes))
    context = ValidationContext(ess_unit=source.kind == "sirene")
    if keep:
        context = ValidationContext(ess_unit=source.kind == "sirene", networks=networks)
    state = FileState()
    frames = []
    for chunk in source.chunks():
        report.read += chunk.read
        report.ignored += chunk.ignored
        report.rejected += chunk.rejected
        checked = validate(chunk.frame, context, state)
        report.rejected += checked.rejected.to_dict("records")
        frames.append(checked.rows if keep else checked.rows.drop(columns="reseaux"))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    report.imported = len(rows)
    return rows, report
