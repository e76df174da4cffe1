"""Staff login throttling kept in the workspace: one count for every server.

:class:`StoredThrottle` has the interface of
:class:`ess_geo.workspace.auth.LoginThrottle` (``attempt``, ``wait``,
``failed``, ``succeeded``) but keeps failed attempts and locks in the
workspace's tables ``login_attempts`` and ``login_locks``: several app
servers on one PostgreSQL database (or on one SQLite file) share them, and
they survive a restart. They are security bookkeeping, not workspace
content: they are written in their own short transactions, not journaled
nor audited (a failed login does not change the workspace's revision).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ess_geo.workspace import store

__all__ = ["StoredThrottle"]


class StoredThrottle:
    """Refuses attempts for a key after repeated failures, for a while.

    Parameters
    ----------
    workspace : path-like or str
        The workspace (SQLite file or ``postgresql://`` URL).
    max_failures : int, default 5
        Failures allowed within ``window`` seconds.
    window : float, default 900
    lockout : float, default 900
        Seconds a key stays locked once over the limit.
    clock : callable, default time.time
        Wall-clock seconds (shared by the servers).
    """

    def __init__(
        self,
        workspace: Path | str,
        *,
        max_failures: int = 5,
        window: float = 900.0,
        lockout: float = 900.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.workspace = workspace
        self.max_failures = max_failures
        self.window = window
        self.lockout = lockout
        self.clock = clock

    def _connect(self) -> contextlib.closing:
        return contextlib.closing(store.connect(self.workspace))

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0 when it may now)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT locked_until FROM login_locks WHERE key = ?", (key,)
            ).fetchone()
        return 0.0 if row is None else max(0.0, float(row[0]) - self.clock())

    def _count(self, conn: object, key: str, now: float) -> None:
        """Count one attempt of ``key``; lock it when over the limit."""
        conn.execute(
            "DELETE FROM login_attempts WHERE key = ? AND at <= ?",
            (key, now - self.window),
        )
        conn.execute("INSERT INTO login_attempts (key, at) VALUES (?, ?)", (key, now))
        (count,) = conn.execute(
            "SELECT count(*) FROM login_attempts WHERE key = ?", (key,)
        ).fetchone()
        if count >= self.max_failures:
            conn.execute(
                "INSERT INTO login_locks (key, locked_until) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET locked_until = "
                "excluded.locked_until",
                (key, now + self.lockout),
            )
            conn.execute("DELETE FROM login_attempts WHERE key = ?", (key,))

    def failed(self, key: str) -> None:
        """Count a failure; lock the key when over the limit."""
        now = self.clock()
        with self._connect() as conn, store.transaction(conn):
            self._count(conn, key, now)

    def attempt(self, keys: Sequence[str]) -> float:
        """Count an attempt for every key at once, unless one is locked.

        Checked and counted in one write transaction (writers queue, on
        every server), so that simultaneous attempts cannot all pass the
        check before any is counted; a successful login then forgets them
        (:meth:`succeeded`).

        Returns
        -------
        float
            0 when the attempt may go on (it is counted), else the seconds
            to wait (it is not).
        """
        now = self.clock()
        with self._connect() as conn, store.transaction(conn):
            until = [
                row[0]
                for key in keys
                for row in conn.execute(
                    "SELECT locked_until FROM login_locks WHERE key = ?", (key,)
                )
            ]
            wait = max((float(u) - now for u in until), default=0.0)
            if wait > 0:
                return wait
            for key in keys:
                self._count(conn, key, now)
        return 0.0

    def succeeded(self, key: str) -> None:
        """Forget the key's failures and lock."""
        with self._connect() as conn, store.transaction(conn):
            conn.execute("DELETE FROM login_attempts WHERE key = ?", (key,))
            conn.execute("DELETE FROM login_locks WHERE key = ?", (key,))
