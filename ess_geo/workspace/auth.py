"""Staff login: password hashes from the environment, throttled attempts.

Importing and editing data require a staff account; every other page is
public and read-only. Accounts are never stored in the repository: each is
a name and a password hash, given

- by the environment variable :data:`ENV_VAR` (``ESS_GEO_STAFF``):
  ``nom:hash`` entries separated by spaces, commas or new lines;
- or by Streamlit secrets (``.streamlit/secrets.toml``, not versioned), a
  table ``[staff]`` of ``nom = "hash"`` entries.

A hash is ``scrypt$n$r$p$salt$key`` (standard library :func:`hashlib.scrypt`,
salt and key in base64); ``python -m ess_geo staff-hash`` prints one.
Passwords are compared in constant time (:func:`hmac.compare_digest`), an
unknown name costs the same time as a wrong password, and a
:class:`LoginThrottle` locks a name (and a client address) for a while after
repeated failures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from ess_geo.errors import LoginError, StaffConfigError

__all__ = [
    "ENV_VAR",
    "SECRETS_SECTION",
    "TRUSTED_PROXIES_VAR",
    "LoginThrottle",
    "authenticate",
    "client_address",
    "hash_password",
    "load_accounts",
    "parse_accounts",
    "trusted_proxies",
    "verify_password",
]

ENV_VAR = "ESS_GEO_STAFF"
SECRETS_SECTION = "staff"

_NAME = re.compile(r"^[\w.@-]{1,64}$")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(
    password: str, *, salt: bytes | None = None, n: int = 2**14, r: int = 8, p: int = 1
) -> str:
    """Hash a password for an account (scrypt, random 16-byte salt).

    Parameters
    ----------
    password : str
        At least 8 characters.
    salt : bytes, optional
        For tests only; default a fresh random salt.
    n, r, p : int
        scrypt cost parameters (default 2**14, 8, 1: about 16 MiB, 50 ms).

    Returns
    -------
    str
        ``scrypt$n$r$p$salt$key``.

    Raises
    ------
    ValueError
        If the password is shorter than 8 characters.
    """
    if len(password) < 8:
        raise ValueError("le mot de passe doit compter au moins 8 caractères")
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


_SCRYPT_MAXMEM = 64 * 1024 * 1024


def _decode(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        numbers = int(n), int(r), int(p)
        # bounded cost: a forged hash must not make every login burn memory
        if not (
            2**10 <= numbers[0] <= 2**20
            and numbers[0] & (numbers[0] - 1) == 0
            and 1 <= numbers[1] <= 32
            and 1 <= numbers[2] <= 16
            and 128 * numbers[0] * numbers[1] <= _SCRYPT_MAXMEM // 2
        ):
            raise ValueError("scrypt parameters out of range")
        salt_bytes = base64.b64decode(salt, validate=True)
        key_bytes = base64.b64decode(key, validate=True)
        if not salt_bytes or len(key_bytes) != 32:
            raise ValueError("salt or key length")
        return (*numbers, salt_bytes, key_bytes)
    except (ValueError, TypeError) as exc:
        raise StaffConfigError(
            "Empreinte de mot de passe illisible dans la configuration des comptes : "
            "attendu « scrypt$n$r$p$sel$clé », tel que l'affiche "
            "« python -m ess_geo staff-hash »."
        ) from exc


def verify_password(password: str, encoded: str) -> bool:
    """Whether a password matches a hash, compared in constant time.

    Raises
    ------
    StaffConfigError
        If ``encoded`` is not a hash made by :func:`hash_password`.

    Examples
    --------
    >>> stored = hash_password("correct horse", salt=b"0123456789abcdef")
    >>> verify_password("correct horse", stored), verify_password("wrong", stored)
    (True, False)
    """
    n, r, p, salt, key = _decode(encoded)
    candidate = hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=len(key),
        maxmem=_SCRYPT_MAXMEM,
    )
    return hmac.compare_digest(candidate, key)


def parse_accounts(text: str) -> dict[str, str]:
    """Accounts from the environment variable's text (``nom:hash`` entries).

    Raises
    ------
    StaffConfigError
        If an entry has no ``:``, a name with spaces or odd characters, or a
        malformed hash.
    """
    accounts = {}
    entries = [e for e in re.split(r"[\s,]+", text.strip()) if e]
    for position, entry in enumerate(entries, start=1):
        name, sep, encoded = entry.partition(":")
        if not sep or not _NAME.match(name):
            raise StaffConfigError(
                f"Entrée n° {position} de {ENV_VAR} illisible : attendu "
                "« nom:empreinte » (nom sans espace), séparées par des espaces."
            )
        _decode(encoded)
        accounts[name] = encoded
    return accounts


def load_accounts(
    environ: Mapping[str, str] | None = None,
    streamlit_secrets: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """Staff accounts from the environment, then Streamlit secrets.

    Parameters
    ----------
    environ : mapping, optional
        Default :data:`os.environ`.
    streamlit_secrets : mapping, optional
        Streamlit secrets (``st.secrets``); its ``staff`` table is read.

    Returns
    -------
    dict
        Name -> hash; empty when no account is configured (then nobody can
        import or edit).

    Raises
    ------
    StaffConfigError
        If an entry is malformed.
    """
    environ = os.environ if environ is None else environ
    accounts = parse_accounts(environ.get(ENV_VAR, ""))
    table: Mapping[str, object] = {}
    if streamlit_secrets is not None and SECRETS_SECTION in streamlit_secrets:
        table = streamlit_secrets[SECRETS_SECTION]  # type: ignore[assignment]
    for name, encoded in dict(table).items():
        if not _NAME.match(str(name)):
            raise StaffConfigError(
                "Un nom de compte de la table [staff] des secrets Streamlit est "
                "invalide (attendu lettres, chiffres, . @ - _, sans espace)."
            )
        _decode(str(encoded))
        accounts.setdefault(str(name), str(encoded))
    return accounts


@dataclass
class LoginThrottle:
    """Refuses attempts for a key after repeated failures, for a while.

    Parameters
    ----------
    max_failures : int, default 5
        Failures allowed within ``window`` seconds.
    window : float, default 900
    lockout : float, default 900
        Seconds a key stays locked once over the limit.
    clock : callable, default time.monotonic
    """

    max_failures: int = 5
    window: float = 900.0
    lockout: float = 900.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0 when it may now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def failed(self, key: str) -> None:
        """Count a failure; lock the key when over the limit."""
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(key, []) if now - t < self.window]
            recent.append(now)
            self._failures[key] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout
                self._failures[key] = []

    def attempt(self, keys: Sequence[str]) -> float:
        """Count an attempt for every key at once, unless one is locked.

        Checking and counting happen under one lock, so that simultaneous
        attempts cannot all pass the check before any is counted: of many
        concurrent tries, at most ``max_failures`` go on to the password
        check. A successful login then forgets them (:meth:`succeeded`).

        Returns
        -------
        float
            0 when the attempt may go on (it is counted), else the seconds
            to wait (it is not).
        """
        with self._lock:
            now = self.clock()
            wait = max(self._locked_until.get(k, 0.0) - now for k in keys)
            if wait > 0:
                return wait
            for key in keys:
                recent = [
                    t for t in self._failures.get(key, []) if now - t < self.window
                ]
                recent.append(now)
                self._failures[key] = recent
                if len(recent) >= self.max_failures:
                    self._locked_until[key] = now + self.lockout
                    self._failures[key] = []
            return 0.0

    def succeeded(self, key: str) -> None:
        """Forget the key's failures."""
        with self._lock:
            self._failures.pop(key, None)
            self._locked_until.pop(key, None)


TRUSTED_PROXIES_VAR = "ESS_GEO_TRUSTED_PROXIES"
"""Addresses of the reverse proxies whose ``X-Forwarded-For`` is believed
(space- or comma-separated; ``127.0.0.1`` for a proxy on the same machine)."""

_LOOPBACK = ("127.0.0.1", "::1")


def trusted_proxies(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The trusted proxies named by :data:`TRUSTED_PROXIES_VAR` (empty: none)."""
    environ = os.environ if environ is None else environ
    text = environ.get(TRUSTED_PROXIES_VAR, "")
    return frozenset(p for p in re.split(r"[\s,]+", text) if p)


def client_address(
    remote: str | None,
    forwarded_for: str | None = None,
    trusted: Collection[str] = frozenset(),
) -> str:
    """The address a login attempt is counted against.

    Parameters
    ----------
    remote : str or None
        The connection's peer address; Streamlit gives ``None`` for a
        loopback peer, counted as ``127.0.0.1``.
    forwarded_for : str, optional
        The ``X-Forwarded-For`` header.
    trusted : collection of str
        Proxy addresses whose header is believed (:func:`trusted_proxies`).

    Returns
    -------
    str
        The peer itself, unless it is a trusted proxy: then the right-most
        address of ``X-Forwarded-For`` that is not a trusted proxy (the one
        the proxy saw; addresses further left are the client's own claims).

    Examples
    --------
    >>> client_address(None, "203.0.113.9, 10.0.0.2", {"127.0.0.1", "10.0.0.2"})
    '203.0.113.9'
    >>> client_address("198.51.100.7", "1.2.3.4", {"127.0.0.1"})
    '198.51.100.7'
    """
    address = remote or _LOOPBACK[0]
    is_trusted = address in trusted or (
        remote is None and any(a in trusted for a in _LOOPBACK)
    )
    if not is_trusted or not forwarded_for:
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if not hop:
            continue
        if hop not in trusted:
            return hop[:64]
        address = hop
    return address


_DUMMY = hash_password("not a real password", salt=b"\0" * 16)


def authenticate(
    accounts: Mapping[str, str],
    name: str,
    password: str,
    throttle: LoginThrottle,
    client: str = "",
) -> str:
    """Check a login; return the account name.

    Parameters
    ----------
    accounts : mapping
        From :func:`load_accounts`.
    name, password : str
        As typed.
    throttle : LoginThrottle
        Shared by every session of the process.
    client : str, optional
        The client's address, throttled too when given.

    Returns
    -------
    str
        The account name.

    Raises
    ------
    LoginError
        Wrong name or password (the message does not say which), or too many
        attempts (the message says how long to wait).
    """
    name = name.strip()
    keys = [f"compte:{name.lower()}"] + ([f"client:{client}"] if client else [])
    wait = throttle.attempt(keys)
    if wait > 0:
        raise LoginError(
            f"Trop de tentatives : réessayez dans {math.ceil(wait / 60)} minute(s).",
            wait,
        )
    encoded = accounts.get(name)
    matches = verify_password(password, encoded or _DUMMY)
    if encoded is None or not matches:
        raise LoginError("Identifiant ou mot de passe incorrect.")
    for key in keys:
        throttle.succeeded(key)
    return name
