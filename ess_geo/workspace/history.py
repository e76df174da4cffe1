"""The change journal behind the audit log: what each change did, and undo.

Every write of an import, an edit or a merge goes through a :class:`Journal`
opened inside the caller's transaction. The journal performs the write and
records, in the table ``change_log``, what is needed to reverse it: the keys
of inserted rows (a range of ids for a bulk insert) and the full former
content of updated or deleted rows, including the rows that a deletion
cascades to. :meth:`Journal.commit` writes the audit row (who, when, what)
and attaches the journal entries to it, still in the same transaction.

:func:`undo` reverses one audited change. It refuses when a later change,
itself not undone, touched the same rows (an edit of an imported actor, say):
undo that one first. An undo is recorded in the audit log like any change,
and is final: to redo, import or edit again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ess_geo.errors import UndoError
from ess_geo.workspace import dialect, store

__all__ = [
    "ACTION_LABELS",
    "TABLE_KEYS",
    "UNDO_ACTION",
    "Journal",
    "conflicts",
    "describe",
    "id_list",
    "log",
    "log_table",
    "undo",
]

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "actors": ("id",),
    "networks": ("id",),
    "network_territories": ("network_id", "level", "code"),
    "network_members": ("network_id", "actor_id"),
    "merge_proposals": ("id",),
    "network_inventories": ("region",),
    "proposals": ("id",),
}
"""Journaled tables and the columns that identify one of their rows."""

# Rows deleted with a parent row (ON DELETE CASCADE): (child table, column).
_CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "actors": (
        ("network_members", "actor_id"),
        ("merge_proposals", "actor_id"),
        ("merge_proposals", "existing_id"),
    ),
    "networks": (
        ("network_members", "network_id"),
        ("network_territories", "network_id"),
    ),
}

# A change that references a row of another table depends on that row:
# a membership added later depends on its actor.
_REFERENCES: dict[str, tuple[tuple[str, int], ...]] = {
    "network_members": (("actors", 1),),
}

UNDO_ACTION = "undo"
"""Audit action of an undo."""

ACTION_LABELS: dict[str, str] = {
    "import": "Import de fichier",
    "acteur.ajout": "Ajout d'un acteur",
    "acteur.modification": "Modification d'un acteur",
    "acteur.suppression": "Suppression d'un acteur",
    "reseau.ajout": "Ajout d'un réseau",
    "reseau.modification": "Modification d'un réseau",
    "reseau.suppression": "Suppression d'un réseau",
    "reseau.membres": "Membres d'un réseau",
    "reseau.membres.import": "Liste de membres rapprochée",
    "dedup.fusion": "Fusion de doublons",
    "dedup.refus": "Doublons écartés",
    "proposition.depot": "Proposition du public",
    "proposition.acceptation": "Proposition acceptée",
    "proposition.refus": "Proposition refusée",
    UNDO_ACTION: "Annulation",
    "restauration": "Restauration d'une sauvegarde",
    "demo.seed": "Jeu de démonstration",
    "inventaire.declaration": "Inventaire des réseaux d'une région",
    "inventaire.reference": "Inventaires des réseaux (tables de référence)",
}
"""French label of each audited action."""

_BATCH = 5_000

_TRUNCATE_FROM = 10_000
"""On PostgreSQL, a deletion of at least this many rows that empties its
table truncates it instead (:meth:`Journal.delete`): much faster, but it
locks the table against readers until the transaction ends."""


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def id_list(ids: Iterable[int]) -> str:
    """Ids as a JSON array, to bind to ``json_each(?)`` in a query.

    Examples
    --------
    >>> id_list([3, 1])
    '[3,1]'
    """
    return _dumps([int(i) for i in ids])


def _batches(items: Sequence, size: int = _BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Journal:
    """Writes to the workspace that remember how to reverse themselves.

    Open one per change, inside :func:`ess_geo.workspace.store.transaction`, make the
    writes through its methods, then call :meth:`commit` before the
    transaction ends.

    Parameters
    ----------
    conn : sqlite3.Connection
        A connection in a write transaction.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.entries = 0
        """Journal entries written so far: 0 means nothing changed."""
        self._columns: dict[str, tuple[str, ...]] = {}

    def columns(self, table: str) -> tuple[str, ...]:
        """The columns of a journaled table, as the workspace has them."""
        if table not in TABLE_KEYS:
            raise ValueError(f"`table` was {table!r} but is expected in {TABLE_KEYS}")
        if table not in self._columns:
            self._columns[table] = dialect.columns(self.conn, table)
        return self._columns[table]

    def _record(self, table: str, op: str, rows: object) -> None:
        self.conn.execute(
            "INSERT INTO change_log (audit_id, tbl, op, rows) VALUES (NULL, ?, ?, ?)",
            (table, op, _dumps(rows)),
        )
        self.entries += 1

    # -- inserts ---------------------------------------------------------

    def insert_actors(
        self, actors: pd.DataFrame, *, source: str, is_demo: bool = False
    ) -> list[int]:
        """Insert actors (:func:`~ess_geo.workspace.store.insert_actors`), journal ids.

        Returns
        -------
        list of int
            The new ids, consecutive, in the order of ``actors``.
        """
        ids = store.insert_actors(self.conn, actors, source=source, is_demo=is_demo)
        if ids:
            self._record("actors", "insert", {"range": [ids[0], ids[-1]]})
        return ids

    def insert(self, table: str, rows: Sequence[Mapping[str, object]]) -> list[tuple]:
        """Insert rows into a journaled table and journal their keys.

        Parameters
        ----------
        table : str
            One of :data:`TABLE_KEYS`.
        rows : sequence of mappings
            Column -> value; unknown columns are refused. An ``id`` may be
            given (to restore a row) or left out (a new id is allocated).

        Returns
        -------
        list of tuple
            The key of each inserted row.
        """
        known = self.columns(table)
        keys = []
        for row in rows:
            unknown = set(row) - set(known)
            if unknown:
                raise ValueError(f"unknown column(s) {sorted(unknown)} for {table}")
            names = tuple(row)
            sql = store._insert_sql(table, names) + " RETURNING *"
            inserted = self.conn.execute(sql, tuple(row.values())).fetchone()
            keys.append(tuple(inserted[k] for k in TABLE_KEYS[table]))
        for batch in _batches(keys):
            self._record(table, "insert", [list(k) for k in batch])
        return keys

    # -- updates ---------------------------------------------------------

    def update(self, table: str, key: Sequence, values: Mapping[str, object]) -> bool:
        """Set some columns of one row, journaling its former content.

        Parameters
        ----------
        table : str
        key : sequence
            The row's key values (:data:`TABLE_KEYS`).
        values : mapping
            Column -> new value.

        Returns
        -------
        bool
            Whether the row existed and something changed.
        """
        return self.update_many(table, [(tuple(key), dict(values))]) > 0

    def update_many(
        self, table: str, changes: Iterable[tuple[tuple, Mapping[str, object]]]
    ) -> int:
        """Set columns of many rows; rows whose values are unchanged are left alone.

        Parameters
        ----------
        table : str
        changes : iterable of (key, values)

        Returns
        -------
        int
            Rows actually changed.
        """
        known = self.columns(table)
        key_cols = TABLE_KEYS[table]
        where = " AND ".join(f"{c} = ?" for c in key_cols)
        changed = 0
        for batch in _batches(list(changes)):
            current_rows = self.current_rows(table, [key for key, _ in batch])
            before_rows, updates = [], []
            for key, values in batch:
                unknown = set(values) - set(known)
                if unknown:
                    raise ValueError(f"unknown column(s) {sorted(unknown)} for {table}")
                current = current_rows.get(tuple(key))
                if current is None:
                    continue
                diff = {c: v for c, v in values.items() if current[c] != v}
                if diff:
                    before_rows.append(dict(current))
                    updates.append((key, diff))
            # One statement per set of changed columns, run for all its rows.
            groups: dict[tuple[str, ...], list[tuple]] = {}
            for key, diff in updates:
                groups.setdefault(tuple(diff), []).append((*diff.values(), *key))
            for names, params in groups.items():
                sets = ", ".join(f"{c} = ?" for c in names)
                self.conn.executemany(
                    f"UPDATE {table} SET {sets} WHERE {where}",  # noqa: S608
                    params,
                )
            if before_rows:
                self._record(table, "update", before_rows)
                changed += len(before_rows)
        return changed

    def current_rows(self, table: str, keys: list[tuple]) -> dict[tuple, sqlite3.Row]:
        """The stored rows with these keys, by key (one query for id-keyed tables).

        Parameters
        ----------
        table : str
        keys : list of tuple

        Returns
        -------
        dict
            Key -> ``sqlite3.Row``; absent keys are left out.
        """
        key_cols = TABLE_KEYS[table]
        names = ", ".join(self.columns(table))
        if key_cols == ("id",):
            rows = self.conn.execute(
                f"SELECT {names} FROM {table} WHERE id IN "  # noqa: S608
                "(SELECT value FROM json_each(?))",
                (id_list(k[0] for k in keys),),
            ).fetchall()
        else:
            where = " AND ".join(f"{c} = ?" for c in key_cols)
            rows = [
                row
                for key in keys
                for row in self.conn.execute(
                    f"SELECT {names} FROM {table} WHERE {where}",  # noqa: S608
                    tuple(key),
                )
            ]
        return {tuple(row[c] for c in key_cols): row for row in rows}

    # -- deletes ---------------------------------------------------------

    def delete(self, table: str, where: str, params: Sequence = ()) -> int:
        """Delete rows and the rows that cascade from them, journaling them all.

        Parameters
        ----------
        table : str
            One of :data:`TABLE_KEYS`.
        where : str
            A SQL condition written by the library (never user text), with
            ``?`` placeholders.
        params : sequence
            Values of the placeholders.

        Returns
        -------
        int
            Rows deleted from ``table`` (cascaded rows not counted).
        """
        names = ", ".join(self.columns(table))
        selection = f"SELECT {names} FROM {table} WHERE {where}"  # noqa: S608
        for child, column in _CHILDREN.get(table, ()):
            self.delete(
                child,
                f"{column} IN (SELECT id FROM {table} WHERE {where})",  # noqa: S608
                params,
            )
        if dialect.is_postgres(self.conn):
            count = self._record_deleted_in_database(table, where, params)
        else:
            cursor = self.conn.execute(selection, tuple(params))
            names = [d[0] for d in cursor.description]
            count = 0
            while batch := cursor.fetchmany(_BATCH):
                # Compact: the column names once (read back by _rows).
                values = [tuple(r) for r in batch]
                self._record(table, "delete", {"columns": names, "values": values})
                count += len(batch)
        if count >= _TRUNCATE_FROM and dialect.is_postgres(self.conn):
            (total,) = self.conn.execute(
                f"SELECT count(*) FROM {table}"  # noqa: S608
            ).fetchone()
            if total == count:
                # Every row goes (the demo replaced by a first import): its
                # children were deleted above, so emptying the tables is the
                # same change without one foreign-key check per row.
                children = tuple(dict.fromkeys(c for c, _ in _CHILDREN.get(table, ())))
                dialect.truncate(self.conn, (table, *children))
                return count
        if count:
            self.conn.execute(
                f"DELETE FROM {table} WHERE {where}",  # noqa: S608
                tuple(params),
            )
        return count

    def _record_deleted_in_database(
        self, table: str, where: str, params: Sequence
    ) -> int:
        """PostgreSQL: the database journals the rows to delete (count returned).

        The same compact entries as on SQLite, by :data:`_BATCH` rows in key
        order, without the round trip; doubles written in their shortest
        exact form read back the same.
        """
        (count,) = self.conn.execute(
            f"SELECT count(*) FROM {table} WHERE {where}",  # noqa: S608
            tuple(params),
        ).fetchone()
        if not count:
            return 0
        columns = self.columns(table)
        values = ", ".join(columns)
        order = ", ".join(TABLE_KEYS[table])
        self.conn.execute(
            "INSERT INTO change_log (audit_id, tbl, op, rows) "  # noqa: S608
            "SELECT NULL, ?, 'delete', json_build_object('columns', ?::json, "
            f"'values', json_agg(json_build_array({values}) ORDER BY {order}))::text "
            f"FROM (SELECT {values}, (row_number() OVER (ORDER BY {order}) - 1) / ? "
            f"AS batch FROM {table} WHERE {where}) picked "
            "GROUP BY batch ORDER BY batch",
            (table, _dumps(list(columns)), _BATCH, *params),
        )
        self.entries += -(-int(count) // _BATCH)
        return int(count)

    def delete_ids(self, table: str, ids: Iterable[int]) -> int:
        """Delete rows of ``actors``, ``networks`` or ``merge_proposals`` by id."""
        return self.delete(
            table, "id IN (SELECT value FROM json_each(?))", (id_list(ids),)
        )

    # -- end -------------------------------------------------------------

    def commit(self, action: str, detail: dict, who: str | None = None) -> int:
        """Write the audit row and attach this change's journal to it.

        Returns
        -------
        int
            The audit id (the workspace's new revision).
        """
        audit_id = store.audit(self.conn, action, detail, who=who)
        self.conn.execute(
            "UPDATE change_log SET audit_id = ? WHERE audit_id IS NULL", (audit_id,)
        )
        return audit_id


@dataclass
class _Touched:
    """The rows one change touched: explicit keys, plus ranges of ids."""

    keys: dict[str, set] = field(default_factory=dict)
    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, table: str, key: tuple) -> None:
        self.keys.setdefault(table, set()).add(key)

    def __contains__(self, item: tuple[str, tuple]) -> bool:
        table, key = item
        if key in self.keys.get(table, ()):
            return True
        return len(key) == 1 and any(
            a <= key[0] <= b for a, b in self.ranges.get(table, ())
        )

    def overlaps_range(self, table: str, first: int, last: int) -> bool:
        if any(first <= k[0] <= last for k in self.keys.get(table, ())):
            return True
        return any(a <= last and first <= b for a, b in self.ranges.get(table, ()))


def _rows(entry: sqlite3.Row) -> object:
    """A journal entry's rows, decoded.

    Deleted rows, stored compactly (``{"columns": [...], "values": [...]}``),
    come back as dicts like updated ones; inserts as stored (keys or a range).
    """
    rows = json.loads(entry["rows"])
    if isinstance(rows, dict) and "columns" in rows:
        names = rows["columns"]
        return [dict(zip(names, values, strict=True)) for values in rows["values"]]
    return rows


def _entries(conn: sqlite3.Connection, audit_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT id, tbl, op, rows FROM change_log WHERE audit_id = ? ORDER BY id",
        (audit_id,),
    ).fetchall()


def _keys_of(table: str, op: str, rows: object) -> Iterator[tuple]:
    if op == "insert":
        if isinstance(rows, dict):
            return iter(())
        return (tuple(k) for k in rows)
    return (tuple(r[c] for c in TABLE_KEYS[table]) for r in rows)


def _touched(conn: sqlite3.Connection, audit_id: int) -> _Touched:
    touched = _Touched()
    for entry in _entries(conn, audit_id):
        rows = _rows(entry)
        table = entry["tbl"]
        if entry["op"] == "insert" and isinstance(rows, dict):
            touched.ranges.setdefault(table, []).append(tuple(rows["range"]))
            continue
        for key in _keys_of(table, entry["op"], rows):
            touched.add(table, key)
    return touched


def conflicts(conn: sqlite3.Connection, audit_id: int) -> list[int]:
    """Later changes, not undone, that touched rows this change touched.

    Parameters
    ----------
    conn : sqlite3.Connection
    audit_id : int

    Returns
    -------
    list of int
        Their audit ids, ascending. Undoing ``audit_id`` is refused while
        this list is not empty.
    """
    mine = _touched(conn, audit_id)
    later = conn.execute(
        """SELECT DISTINCT a.id FROM audit_log a JOIN change_log c ON c.audit_id = a.id
           WHERE a.id > ? AND a.undone_by IS NULL AND a.action <> ?
           ORDER BY a.id""",
        (audit_id, UNDO_ACTION),
    ).fetchall()
    found = []
    for (other,) in later:
        if _overlaps(conn, other, mine):
            found.append(other)
    return found


def _overlaps(conn: sqlite3.Connection, other: int, mine: _Touched) -> bool:
    for entry in _entries(conn, other):
        table = entry["tbl"]
        rows = _rows(entry)
        if entry["op"] == "insert" and isinstance(rows, dict):
            if mine.overlaps_range(table, *rows["range"]):
                return True
            continue
        for key in _keys_of(table, entry["op"], rows):
            if (table, key) in mine:
                return True
            for ref_table, position in _REFERENCES.get(table, ()):
                if (ref_table, (key[position],)) in mine:
                    return True
    return False


def _restore(conn: sqlite3.Connection, table: str, op: str, rows: list[dict]) -> None:
    """Put rows back as they were: re-insert deleted ones, rewrite updated ones.

    One statement per set of columns, run for all its rows (``executemany``;
    ``COPY`` for re-inserted rows on PostgreSQL).
    """
    known = Journal(conn).columns(table)
    keys = TABLE_KEYS[table]
    groups: dict[tuple[str, ...], list[tuple]] = {}
    for row in rows:
        values = {c: v for c, v in row.items() if c in known}
        if op == "delete":
            groups.setdefault(tuple(values), []).append(tuple(values.values()))
            continue
        names = tuple(c for c in values if c not in keys)
        groups.setdefault(names, []).append(
            (*(values[c] for c in names), *(values[c] for c in keys))
        )
    where = " AND ".join(f"{c} = ?" for c in keys)
    for names, params in groups.items():
        if op == "delete" and dialect.is_postgres(conn):
            dialect.copy_rows(conn, table, names, params)
            continue
        if op == "delete":
            conn.executemany(store._insert_sql(table, names), params)
            continue
        sets = ", ".join(f"{c} = ?" for c in names)
        conn.executemany(
            f"UPDATE {table} SET {sets} WHERE {where}",  # noqa: S608
            params,
        )


def _delete_keys(conn: sqlite3.Connection, table: str, keys: list[list]) -> None:
    columns = TABLE_KEYS[table]
    where = " AND ".join(f"{c} = ?" for c in columns)
    conn.executemany(
        f"DELETE FROM {table} WHERE {where}",  # noqa: S608
        [tuple(k) for k in keys],
    )


def undo(conn: sqlite3.Connection, audit_id: int, who: str | None = None) -> int:
    """Reverse one audited change, in one transaction, and record it.

    Parameters
    ----------
    conn : sqlite3.Connection
        Not in a transaction (this function opens one).
    audit_id : int
        The change to reverse (an id of the audit log).
    who : str, optional
        The person undoing; default the system user.

    Returns
    -------
    int
        The audit id of the undo.

    Raises
    ------
    UndoError
        If the change does not exist, is an undo, was already undone, left
        no journal (the demo seeding, a restore), or a later change touched
        the same rows.
    """
    row = conn.execute(
        "SELECT id, action, undone_by FROM audit_log WHERE id = ?", (audit_id,)
    ).fetchone()
    if row is None:
        raise UndoError(f"Modification n° {audit_id} introuvable dans le journal.")
    if row["action"] == UNDO_ACTION:
        raise UndoError(
            f"La modification n° {audit_id} est elle-même une annulation ; "
            "une annulation est définitive : refaites l'import ou la modification."
        )
    if row["undone_by"] is not None:
        raise UndoError(
            f"La modification n° {audit_id} a déjà été annulée "
            f"(annulation n° {row['undone_by']})."
        )
    entries = _entries(conn, audit_id)
    if not entries:
        raise UndoError(
            f"La modification n° {audit_id} ({row['action']}) n'a pas laissé de "
            "trace détaillée et ne peut pas être annulée."
        )
    blocking = conflicts(conn, audit_id)
    if blocking:
        raise UndoError(
            f"Impossible d'annuler la modification n° {audit_id} : les modifications "
            f"n° {', '.join(map(str, blocking))} ont touché depuis les mêmes données. "
            "Annulez-les d'abord, de la plus récente à la plus ancienne."
        )
    counts = {"insert": 0, "update": 0, "delete": 0}
    with store.transaction(conn):
        dialect.defer_foreign_keys(conn)
        for entry in reversed(entries):
            table, op = entry["tbl"], entry["op"]
            rows = _rows(entry)
            if op == "insert" and isinstance(rows, dict):
                first, last = rows["range"]
                cursor = conn.execute(
                    f"DELETE FROM {table} WHERE id BETWEEN ? AND ?",  # noqa: S608
                    (first, last),
                )
                counts[op] += cursor.rowcount
            elif op == "insert":
                _delete_keys(conn, table, rows)
                counts[op] += len(rows)
            else:
                _restore(conn, table, op, rows)
                counts[op] += len(rows)
        undo_id = store.audit(
            conn,
            UNDO_ACTION,
            {
                "annule": audit_id,
                "action": row["action"],
                "lignes_retirees": counts["insert"],
                "lignes_retablies": counts["update"] + counts["delete"],
            },
            who=who,
        )
        conn.execute(
            "UPDATE audit_log SET undone_by = ? WHERE id = ?", (undo_id, audit_id)
        )
    return undo_id


def log(conn: sqlite3.Connection, limit: int = 100) -> pd.DataFrame:
    """The most recent audit rows, newest first, with what can be undone.

    Parameters
    ----------
    conn : sqlite3.Connection
    limit : int, default 100

    Returns
    -------
    pandas.DataFrame
        ``id``, ``at`` (UTC timestamp), ``who``, ``action``, ``detail`` (decoded),
        ``undone_by`` (audit id of the undo, or missing) and ``undoable``:
        the change left a journal, is not an undo and was not undone (a
        later change may still block it, see :func:`conflicts`).
    """
    frame = dialect.read_sql(
        """SELECT a.id, a.at, a.who, a.action, a.detail, a.undone_by,
                  EXISTS (SELECT 1 FROM change_log c WHERE c.audit_id = a.id)
                      AS journaled
           FROM audit_log a ORDER BY a.id DESC LIMIT ?""",
        conn,
        params=(limit,),
    )
    frame["detail"] = frame["detail"].map(json.loads)
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    frame["undone_by"] = frame["undone_by"].astype("Int64")
    frame["undoable"] = (
        frame["journaled"].astype(bool)
        & frame["undone_by"].isna()
        & (frame["action"] != UNDO_ACTION)
    )
    return frame.drop(columns="journaled")


def describe(action: str, detail: dict) -> str:
    """One line of French saying what an audited change did.

    Parameters
    ----------
    action : str
        The audit action (:data:`ACTION_LABELS`).
    detail : dict
        Its recorded detail.

    Returns
    -------
    str

    Examples
    --------
    >>> describe("import", {"fichier": "a.csv", "importees": 3, "mises_a_jour": 1,
    ...                     "refusees": 2})
    'a.csv : 3 ajouté(s), 1 mis à jour, 2 ligne(s) refusée(s)'
    """
    if action == "import":
        text = (
            f"{detail.get('fichier')} : {detail.get('importees', 0)} ajouté(s), "
            f"{detail.get('mises_a_jour', 0)} mis à jour, "
            f"{detail.get('refusees', 0)} ligne(s) refusée(s)"
        )
        if detail.get("demo_retiree"):
            text += f", {detail['demo_retiree']} acteurs fictifs retirés"
        return text
    if action == UNDO_ACTION:
        return (
            f"annule la modification n° {detail.get('annule')} "
            f"({ACTION_LABELS.get(detail.get('action', ''), detail.get('action'))})"
        )
    if action.startswith(("acteur.", "reseau.")):
        text = f"n° {detail.get('id')} « {detail.get('nom')} »"
        if detail.get("champs"):
            text += " : " + ", ".join(detail["champs"])
        if "ajoutes" in detail:
            text += (
                f" : {len(detail['ajoutes'])} ajouté(s), "
                f"{len(detail['retires'])} retiré(s)"
            )
        return text
    if action.startswith("proposition."):
        text = f"proposition n° {detail.get('id')}"
        if detail.get("fusion"):
            text += " (fusionnée avec une proposition identique)"
        if "acteur" in detail:
            text += f" : fiche n° {detail['acteur']} « {detail.get('nom')} »"
        if "reseau" in detail:
            text += f" : réseau n° {detail['reseau']} « {detail.get('nom')} »"
        if detail.get("raison"):
            text += f" : {detail['raison']}"
        return text
    if action.startswith("dedup."):
        return f"{len(detail.get('propositions', []))} proposition(s)"
    if action == "restauration":
        return (
            f"{detail.get('acteurs')} acteurs ; copie de sécurité "
            f"{detail.get('copie_de_securite')}"
        )
    if action == "demo.seed":
        return f"{detail.get('actors')} acteurs fictifs"
    if action == "inventaire.declaration":
        state = "complet" if detail.get("complet") else "incomplet"
        return f"{detail.get('nom')} ({detail.get('region')}) : {state}"
    return ", ".join(f"{k} : {v}" for k, v in detail.items())


def log_table(log_rows: pd.DataFrame) -> pd.DataFrame:
    """The audit log as a table for people (French headers, one-line details).

    Parameters
    ----------
    log_rows : pandas.DataFrame
        As :func:`log` returns.

    Returns
    -------
    pandas.DataFrame
        ``N°``, ``Date (UTC)`` (naive timestamp), ``Par``, ``Action``,
        ``Détail``, ``État`` (« annulée (n° k) », empty when undoable, « — »
        when it cannot be undone).
    """
    return pd.DataFrame(
        {
            "N°": log_rows["id"],
            "Date (UTC)": log_rows["at"].dt.tz_localize(None),
            "Par": log_rows["who"],
            "Action": log_rows["action"].map(ACTION_LABELS).fillna(log_rows["action"]),
            "Détail": [
                describe(a, d)
                for a, d in zip(log_rows["action"], log_rows["detail"], strict=True)
            ],
            "État": [
                f"annulée (n° {u})" if pd.notna(u) else ("" if ok else "—")
                for u, ok in zip(
                    log_rows["undone_by"], log_rows["undoable"], strict=True
                )
            ],
        }
    )
