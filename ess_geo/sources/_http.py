"""Streaming downloads to temporary files, and atomic replacement of outputs.

Every official source goes through :func:`download`: a timeout on each
network wait, a User-Agent naming the application, a size limit, and a
:class:`~ess_geo.errors.SourceUnavailableError` in French for every failure
(offline, HTTP error, timeout, truncated or oversized answer). Outputs are
written through :func:`atomic_output`: a temporary file next to the target,
renamed over it only once complete, so a failure never leaves an existing
file half-written.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Callable, Iterator
from pathlib import Path

from ess_geo import __version__
from ess_geo.errors import SourceUnavailableError

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "atomic_output",
    "download",
    "temporary_download",
]

USER_AGENT = f"ESS-Territoires/{__version__} (Python urllib; données ouvertes)"
"""Sent with every request: some publishers refuse anonymous clients."""

DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for the connection and for each block of the answer."""

CHUNK_SIZE = 1 << 20
"""Bytes read and written at a time (1 MiB): memory stays flat."""

_OFFLINE_HINT = (
    "Vérifiez la connexion à internet (ou le proxy : variables HTTPS_PROXY) "
    "puis relancez la commande."
)
_ADDRESS_HINT = (
    "L'adresse a peut-être changé : retrouvez-la sur le site de l'éditeur "
    "et passez-la avec --url."
)

Progress = Callable[[int, int | None], None]
"""Called as ``progress(bytes_so_far, total_or_None)`` after each block."""


def _megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f} Mo".replace(",", " ")


def _open(
    url: str, *, source: str, timeout: float, headers: dict[str, str]
) -> urllib.response.addinfourl:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise SourceUnavailableError(
            source,
            url,
            f"le serveur a répondu HTTP {exc.code} {exc.reason}",
            _ADDRESS_HINT if exc.code in (404, 410) else _OFFLINE_HINT,
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            what = f"pas de réponse en {timeout:g} s"
        else:
            what = f"connexion impossible, hors ligne ? ({exc.reason})"
        raise SourceUnavailableError(source, url, what, _OFFLINE_HINT) from exc
    except TimeoutError as exc:
        raise SourceUnavailableError(
            source, url, f"pas de réponse en {timeout:g} s", _OFFLINE_HINT
        ) from exc
    except ValueError as exc:  # not a URL at all
        raise SourceUnavailableError(
            source, url, f"adresse invalide ({exc})", _ADDRESS_HINT
        ) from exc


def download(
    url: str,
    dest: Path,
    *,
    source: str,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    resume: bool = False,
    progress: Progress | None = None,
) -> int:
    """Stream a URL into a file, block by block.

    Parameters
    ----------
    url : str
        ``http(s)://`` address (``file://`` also works, for local copies).
    dest : pathlib.Path
        The file to write: a temporary or partial file, never the final
        output (see :func:`atomic_output`).
    source : str
        Name of the source, for messages (« PNR (INPN) »…).
    max_bytes : int
        Refuse answers announced or grown larger than this.
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds to wait for the connection and for each block.
    resume : bool, default False
        If ``dest`` already holds the beginning of the file (an interrupted
        download), ask the server for the rest only (HTTP ``Range`` with
        ``If-Range``: the ETag or date of the first attempt, kept next to
        ``dest`` in ``<dest>.validator``). When the file changed on the
        server, or the server ignores ranges, the download starts over.
    progress : callable, optional
        ``progress(bytes_so_far, total_or_None)`` after each block.

    Returns
    -------
    int
        Size of ``dest`` once complete, in bytes.

    Raises
    ------
    SourceUnavailableError
        Offline, HTTP error, timeout, an answer larger than ``max_bytes`` or
        shorter than announced. ``dest`` keeps what was received (so that a
        resumable download can go on), the caller removes it otherwise.
    """
    # The validator (ETag or Last-Modified) of a partial file lets the server
    # answer 206 only if the file has not changed since (If-Range); a new
    # version of the file comes back whole (200) and the download restarts.
    validator = dest.with_name(dest.name + ".validator")
    have = 0
    headers = {}
    if resume and dest.exists() and validator.exists():
        have = dest.stat().st_size
        headers = {"Range": f"bytes={have}-", "If-Range": validator.read_text()}
    with contextlib.closing(
        _open(url, source=source, timeout=timeout, headers=headers)
    ) as answer:
        if getattr(answer, "status", 200) != 206:
            have = 0
        if resume and not have:
            tag = answer.headers.get("ETag") or answer.headers.get("Last-Modified")
            if tag:
                validator.write_text(tag)
            else:
                validator.unlink(missing_ok=True)
        length = answer.headers.get("Content-Length")
        expected = have + int(length) if length and length.isdigit() else None
        if expected is not None and expected > max_bytes:
            raise SourceUnavailableError(
                source,
                url,
                f"fichier annoncé de {_megabytes(expected)}, au-delà de la limite "
                f"de {_megabytes(max_bytes)}",
                "Vérifiez l'adresse ; pour un fichier légitimement plus gros, "
                "relevez la limite avec --max-mo.",
            )
        received = have
        try:
            with open(dest, "ab" if have else "wb") as out:
                while block := answer.read(CHUNK_SIZE):
                    received += len(block)
                    if received > max_bytes:
                        raise SourceUnavailableError(
                            source,
                            url,
                            f"plus de {_megabytes(max_bytes)} reçus, au-delà de la "
                            "limite",
                            "Vérifiez l'adresse ; pour un fichier légitimement plus "
                            "gros, relevez la limite avec --max-mo.",
                        )
                    out.write(block)
                    if progress is not None:
                        progress(received, expected)
        except (TimeoutError, ConnectionError) as exc:
            raise SourceUnavailableError(
                source,
                url,
                f"téléchargement interrompu après {_megabytes(received)} ({exc})",
                _OFFLINE_HINT,
            ) from exc
    if expected is not None and received != expected:
        raise SourceUnavailableError(
            source,
            url,
            f"téléchargement incomplet : {received} octets reçus sur {expected} "
            "annoncés",
            _OFFLINE_HINT,
        )
    validator.unlink(missing_ok=True)
    return received


@contextlib.contextmanager
def temporary_download(
    url: str,
    *,
    source: str,
    max_bytes: int,
    suffix: str = "",
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Path]:
    """Download a URL into a temporary file, removed on exit.

    Parameters
    ----------
    url, source, max_bytes, timeout
        As for :func:`download`.
    suffix : str, optional
        File name suffix (``.zip``…), for readers that look at it.

    Yields
    ------
    pathlib.Path
        The complete downloaded file.

    Raises
    ------
    SourceUnavailableError
        As :func:`download`.
    """
    with tempfile.TemporaryDirectory(prefix="ess_geo_source_") as folder:
        path = Path(folder) / f"download{suffix}"
        download(url, path, source=source, max_bytes=max_bytes, timeout=timeout)
        yield path


@contextlib.contextmanager
def atomic_output(target: str | Path) -> Iterator[Path]:
    r"""A temporary path next to ``target``, renamed over it on success.

    Parameters
    ----------
    target : str or path-like
        The file to (re)write. Its folder must exist.

    Yields
    ------
    pathlib.Path
        Where to write. On a clean exit it replaces ``target`` in one
        ``os.replace`` (atomic on one file system); on an exception it is
        deleted and ``target`` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_output(folder / "out.csv") as tmp:
    ...     _ = tmp.write_text("a,b")
    >>> (folder / "out.csv").read_text()
    'a,b'
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
