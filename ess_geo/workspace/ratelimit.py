"""How many public proposals one session, one address and everyone may send.

A sliding window per key, kept in the workspace (the table
``login_attempts`` of the staff login throttle,
:class:`ess_geo.workspace.logins.StoredThrottle`, under keys of their own
starting with ``proposition:``): every app server on one database counts
the same proposals. Limits are counted over :data:`RATE_WINDOW_SECONDS`:

- :data:`RATE_PER_SESSION`: one browser tab's session;
- :data:`RATE_PER_ADDRESS`: one client address (a school or an office behind one
  address shares it, hence a higher limit);
- :data:`RATE_GLOBAL`: every visitor together, a ceiling against a flood that
  would bury the moderation queue.

Only proposals actually sent count (a refused form does not). The counts
are security bookkeeping, not workspace content: written in their own short
transactions, neither journaled nor audited.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ess_geo import formats
from ess_geo.errors import RateLimitError
from ess_geo.workspace import store
from ess_geo.workspace.dialect import Connection

__all__ = [
    "RATE_GLOBAL",
    "RATE_PER_ADDRESS",
    "RATE_PER_SESSION",
    "RATE_WINDOW_SECONDS",
    "RateLimiter",
]

RATE_WINDOW_SECONDS = 3_600.0
"""The window over which proposals are counted: one hour."""

RATE_PER_SESSION = 5
"""Proposals one session may send per window."""

RATE_PER_ADDRESS = 20
"""Proposals one client address may send per window."""

RATE_GLOBAL = 200
"""Proposals all visitors together may send per window."""


_PREFIX = "proposition:"
"""Keys of proposals' counts in ``login_attempts`` (login keys are
``compte:…`` and ``client:…``)."""


class RateLimiter:
    """Counts proposals per session, per address and in all, over a sliding window.

    The counts live in the workspace: two servers (two connections) see the
    same ones.

    Parameters
    ----------
    per_session, per_address, global_limit : int
        The limits (default :data:`RATE_PER_SESSION`, :data:`RATE_PER_ADDRESS`,
        :data:`RATE_GLOBAL`).
    window : float
        Seconds (default :data:`RATE_WINDOW_SECONDS`).
    clock : callable
        Wall-clock seconds, shared by the servers (tests pass a fake one).
    """

    def __init__(
        self,
        *,
        per_session: int = RATE_PER_SESSION,
        per_address: int = RATE_PER_ADDRESS,
        global_limit: int = RATE_GLOBAL,
        window: float = RATE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limits = {
            "session": per_session,
            "address": per_address,
            "global": global_limit,
        }
        self.window = window
        self._clock = clock

    @staticmethod
    def _keys(session: str, address: str | None) -> list[tuple[str, str]]:
        keys = [
            ("session", f"{_PREFIX}session:{session}"),
            ("global", f"{_PREFIX}toutes"),
        ]
        if address:
            keys.append(("address", f"{_PREFIX}adresse:{address}"))
        return keys

    def check(self, conn: Connection, session: str, address: str | None) -> None:
        """Raise if one more proposal would pass a limit.

        Parameters
        ----------
        conn : Connection
            The workspace (either backend), not in a transaction.
        session : str
            The session's id.
        address : str or None
            The client's address (``None`` when unknown: only the session and
            global limits apply).

        Raises
        ------
        RateLimitError
            Saying how long to wait, in French.
        """
        now = self._clock()
        for kind, key in self._keys(session, address):
            count, oldest = conn.execute(
                "SELECT count(*), min(at) FROM login_attempts WHERE key = ? AND at > ?",
                (key, now - self.window),
            ).fetchone()
            limit = self.limits[kind]
            if count < limit:
                continue
            wait = float(oldest) + self.window - now
            minutes = formats.number(max(1, -(-wait // 60)))
            if kind == "global":
                message = (
                    "Beaucoup de propositions sont arrivées en peu de "
                    f"temps : réessayez dans {minutes} minute(s)."
                )
            else:
                message = (
                    f"Vous avez déjà envoyé {formats.number(limit)} "
                    "proposition(s) en peu de temps : réessayez dans "
                    f"{minutes} minute(s)."
                )
            raise RateLimitError(message, wait_seconds=wait)

    def record(self, conn: Connection, session: str, address: str | None) -> None:
        """Count one proposal sent by a session from an address.

        Counts gone out of the window are forgotten at the same time.
        """
        now = self._clock()
        with store.transaction(conn):
            conn.execute(
                "DELETE FROM login_attempts WHERE substr(key, 1, ?) = ? AND at <= ?",
                (len(_PREFIX), _PREFIX, now - self.window),
            )
            conn.executemany(
                "INSERT INTO login_attempts (key, at) VALUES (?, ?)",
                [(key, now) for _, key in self._keys(session, address)],
            )
