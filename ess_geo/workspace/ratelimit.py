"""How many public proposals one session, one address and everyone may send.

A sliding window per key, kept in the server process's memory: one
Streamlit server serves a CRESS (several servers behind a load balancer
each count their own visitors; moving the counts to the workspace is
issue 16's). Limits are counted over :data:`RATE_WINDOW_SECONDS`:

- :data:`RATE_PER_SESSION`: one browser tab's session;
- :data:`RATE_PER_ADDRESS`: one client address (a school or an office behind one
  address shares it, hence a higher limit);
- :data:`RATE_GLOBAL`: every visitor together, a ceiling against a flood that
  would bury the moderation queue.

Only proposals actually sent count (a refused form does not).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from ess_geo import formats
from ess_geo.errors import RateLimitError

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


class RateLimiter:
    """Counts proposals per session, per address and in all, over a sliding window.

    Parameters
    ----------
    per_session, per_address, global_limit : int
        The limits (default :data:`RATE_PER_SESSION`, :data:`RATE_PER_ADDRESS`,
        :data:`RATE_GLOBAL`).
    window : float
        Seconds (default :data:`RATE_WINDOW_SECONDS`).
    clock : callable
        Seconds, monotonic (tests pass a fake one).

    Examples
    --------
    >>> now = [0.0]
    >>> limiter = RateLimiter(per_session=1, clock=lambda: now[0])
    >>> limiter.record("s1", "10.0.0.1")
    >>> limiter.check("s1", "10.0.0.1")
    Traceback (most recent call last):
    ...
    ess_geo.errors.RateLimitError: Vous avez déjà envoyé 1 proposition(s) en \
peu de temps : réessayez dans 60 minute(s).
    >>> now[0] = 3_600.0
    >>> limiter.check("s1", "10.0.0.1")
    """

    def __init__(
        self,
        *,
        per_session: int = RATE_PER_SESSION,
        per_address: int = RATE_PER_ADDRESS,
        global_limit: int = RATE_GLOBAL,
        window: float = RATE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {
            "session": per_session,
            "address": per_address,
            "global": global_limit,
        }
        self.window = window
        self._clock = clock
        self._times: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, session: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("session", session), ("global", "")]
        if address:
            keys.append(("address", address))
        return keys

    def _prune(self, now: float) -> None:
        for key in list(self._times):
            times = self._times[key]
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._times[key]

    def check(self, session: str, address: str | None) -> None:
        """Raise if one more proposal would pass a limit.

        Parameters
        ----------
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
        with self._lock:
            now = self._clock()
            self._prune(now)
            for kind, ident in self._keys(session, address):
                times = self._times.get((kind, ident), ())
                limit = self.limits[kind]
                if len(times) >= limit:
                    wait = times[0] + self.window - now
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

    def record(self, session: str, address: str | None) -> None:
        """Count one proposal sent by a session from an address."""
        with self._lock:
            now = self._clock()
            for key in self._keys(session, address):
                self._times.setdefault(key, deque()).append(now)
