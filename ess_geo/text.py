"""Text helpers for French names: folding for search, escaping for HTML and Markdown.

Territory and actor names are matched the way people type them: without
accents, in any case, with or without hyphens and apostrophes. The same
folding serves every search of the app, so that "Saint-Étienne",
"saint etienne" and "ST ETIENNE" meet.
"""

from __future__ import annotations

import html
import unicodedata

__all__ = ["escape_html", "escape_markdown", "fold"]

_SEPARATORS = "_-'’."


def fold(text: str) -> str:
    """Lower-case, accents removed, separators turned into single spaces.

    Parameters
    ----------
    text : str
        A name as written (``"L'Haÿ-les-Roses"``).

    Returns
    -------
    str
        The folded form: apostrophes, hyphens, underscores and dots become
        spaces, and runs of spaces collapse into one.

    Examples
    --------
    >>> fold("  L'Haÿ-les-Roses ")
    'l hay les roses'
    >>> fold("Société_Commerciale")
    'societe commerciale'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for sep in _SEPARATORS:
        ascii_text = ascii_text.replace(sep, " ")
    return " ".join(ascii_text.split())


_MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$"


def escape_markdown(text: str) -> str:
    r"""Backslash-escape the characters Markdown would interpret.

    Use it for any text that comes from data (a name, an address, a source)
    before putting it in ``st.markdown``: a name like ``[clic](http://…)``
    then shows as typed instead of becoming a link.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> escape_markdown("[clic](javascript:x) *gras*")
    '\\[clic\\]\\(javascript:x\\) \\*gras\\*'
    """
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in text)


def escape_html(text: str) -> str:
    """HTML-escape a text that came from data, braces included.

    Besides ``& < > " '``, the braces become ``&#123;`` and ``&#125;``:
    folium (through branca) parses what an element writes as a Jinja
    template when the map is rendered, so a name containing ``{{ … }}``
    would otherwise be evaluated on the server. Browsers show the
    entities as braces.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> escape_html("<b>{{ 7*7 }}</b> & Cie")
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt; &amp; Cie'
    """
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")
