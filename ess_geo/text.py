"""Text normalisation for searching French names.

People type "sainte marie", "ST-MALO" or "Ile d'Yeu" and expect to find
Sainte-Marie, Saint-Malo and L'Île-d'Yeu. :func:`fold` reduces a name to a
comparable key: lower case, no accents, separators collapsed to one space.
"""

from __future__ import annotations

import html
import unicodedata

__all__ = ["escape_html", "escape_markdown", "fold"]

_SEPARATORS = "_-'’.,/()"
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&\"'=^")


def fold(text: str) -> str:
    """A search key for a French name: lower case, accents and separators removed.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text in lower case, accents removed (``œ`` and ``æ`` spelt out),
        hyphens, apostrophes, dots, commas, slashes, brackets and underscores
        turned into spaces, and runs of spaces collapsed to one.

    Examples
    --------
    >>> fold("Sainte-Marie-aux-Chênes")
    'sainte marie aux chenes'
    >>> fold("  L'Haÿ-les-Roses ")
    'l hay les roses'
    >>> fold("Œuvre")
    'oeuvre'
    """
    spelt = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", spelt.replace("Æ", "Ae"))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for sep in _SEPARATORS:
        ascii_text = ascii_text.replace(sep, " ")
    return " ".join(ascii_text.split())


def escape_markdown(text: str) -> str:
    r"""Text shown literally where Streamlit renders Markdown.

    What a person types or a link carries may hold Markdown (``[lien](…)``,
    ``**``), Streamlit's directives (``:red[…]``, ``:material/…:``) or LaTeX
    (``$…$``): every ASCII punctuation character that could start one is
    backslash-escaped, as CommonMark allows.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> print(escape_markdown("[ici](http://x.example) :red[a] $x$"))
    \[ici\]\(http\://x\.example\) \:red\[a\] \$x\$
    """
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)


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
