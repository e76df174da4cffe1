"""The app's pages as its server sends them: each tells where the server is.

Streamlit's frontend looks for its server under the page's own path first:
opened at ``/territoires``, it asks ``/territoires/_stcore/health`` (404),
waits about 0.1 s, then asks ``/_stcore/health``. A page that names the
server (``window.__streamlit.BACKEND_BASE_URL``, the hook Streamlit's
frontend reads for hosts) connects at once. ``serve.py`` puts
:class:`PageShells` in front of Streamlit's server; nginx passes the pages
on as they are.

No Streamlit import here: the shell is made from the text of Streamlit's
``index.html``, which ``serve.py`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BACKEND_SCRIPT = (
    '<script>window.__streamlit={BACKEND_BASE_URL:location.origin+"/"}</script>'
)
"""The site's root as the server's address (the app is served at the root)."""
PAGE_PATHS = re.compile(r"/[a-z_-]*")
"""The pages' addresses (``url_path`` of each page in app.py, and the root):
one segment of letters, so never a file (``/favicon.png``), a download under
``/media/`` or a server route under ``/_stcore/``."""


def page_shell(index_html: str) -> bytes:
    """Streamlit's ``index.html`` with :data:`BACKEND_SCRIPT` first in its head.

    Raises
    ------
    ValueError
        When the page has no single ``<head>`` (another Streamlit version):
        the server then refuses to start rather than serve pages that wait.
    """
    if index_html.count("<head>") != 1:
        raise ValueError("Streamlit's index.html has no single <head> to complete")
    return index_html.replace("<head>", "<head>" + BACKEND_SCRIPT, 1).encode("utf-8")


class PageShells:
    """ASGI middleware: a page's address (GET, HEAD) answers the page shell.

    Everything else (the WebSocket, files, downloads, uploads) goes on to
    Streamlit's server unchanged. Like Streamlit's own answer, the shell is
    never cached without asking again (``no-cache``): after an upgrade of
    Streamlit it names new files.
    """

    def __init__(self, app: ASGIApp, shell: bytes) -> None:
        self.app = app
        self.shell = shell

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a page's address; pass anything else on."""
        if not (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and PAGE_PATHS.fullmatch(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(self.shell)).encode("ascii")),
            (b"cache-control", b"no-cache"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = b"" if scope["method"] == "HEAD" else self.shell
        await send({"type": "http.response.body", "body": body})
