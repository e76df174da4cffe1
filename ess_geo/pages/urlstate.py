"""Page state in the URL: one reader of query parameters, one writer.

Every page keeps its state (level, territory, filters, parameters) in the URL,
so that a link can be shared. Each page has one frozen dataclass, a
:class:`PageState`, whose field defaults are the page's defaults, written
once. Its ``from_query`` reads the parameters through a :class:`QueryReader`,
which drops any value it cannot use and remembers it (:attr:`QueryReader.ignored`,
told to the person in French by :func:`ignored_notice`); :meth:`PageState.to_query`
writes back only what differs from the defaults, so that a page left at its
defaults has a clean URL.

Parsing is strict: a number is ASCII digits (``"²".isdigit()`` is true in
Python, and would crash ``int``), finite, and within its bounds; a choice is one
of its allowed values. Nothing here imports Streamlit: ``st.query_params`` is
a mapping like any other, and pytest reads and writes states directly.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar, Self

__all__ = [
    "PageState",
    "Params",
    "QueryReader",
    "format_param",
    "ignored_notice",
    "option_index",
]

Params = Mapping[str, str | list[str]]
"""Query parameters as Streamlit gives them (a value, or a list when repeated)."""

_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


class QueryReader:
    """Read a page's query parameters, dropping (and remembering) unusable values.

    Parameters
    ----------
    params : mapping
        ``st.query_params`` or any mapping of parameter names to a value (or a
        list of values: the first one counts).

    Examples
    --------
    >>> q = QueryReader({"niveau": "epci", "seuil": "2", "page": "²"})
    >>> q.choice("niveau", ("epci", "pays"), "pays"), q.number("seuil", 0.9, 0, 1)
    ('epci', 0.9)
    >>> q.integer("page", 1, 1, 100), q.ignored
    (1, ['seuil=2', 'page=²'])
    """

    def __init__(self, params: Params) -> None:
        self._params = params
        self.ignored: list[str] = []
        """``"name=value"`` for every value that was dropped, in reading order."""

    def _ignore(self, name: str, value: str) -> None:
        self.ignored.append(f"{name}={value}")

    def text(self, name: str) -> str | None:
        """The parameter's value, stripped, or ``None`` when absent or empty."""
        value = self._params.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None:
            return None
        return str(value).strip() or None

    def choice(self, name: str, allowed: Iterable[str], default: str) -> str:
        """One of ``allowed``, else ``default`` (an unknown value is ignored)."""
        value = self.text(name)
        if value is None:
            return default
        if value in tuple(allowed):
            return value
        self._ignore(name, value)
        return default

    def choices(self, name: str, allowed: Iterable[str]) -> tuple[str, ...]:
        """Comma-separated values among ``allowed``, in ``allowed``'s order, no repeat.

        Unknown values are ignored one by one; the known ones are kept.
        """
        value = self.text(name)
        if value is None:
            return ()
        allowed = tuple(allowed)
        given = [v.strip() for v in value.split(",") if v.strip()]
        for v in given:
            if v not in allowed:
                self._ignore(name, v)
        return tuple(a for a in allowed if a in given)

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        """A whole number in ASCII digits within [low, high], else ``default``."""
        value = self.text(name)
        if value is None:
            return default
        if _INTEGER.fullmatch(value) and low <= int(value) <= high:
            return int(value)
        self._ignore(name, value)
        return default

    def number(self, name: str, default: float, low: float, high: float) -> float:
        """A finite number within [low, high] (``,`` or ``.``), else ``default``."""
        value = self.text(name)
        if value is None:
            return default
        if _NUMBER.fullmatch(value):
            number = float(value.replace(",", "."))
            if math.isfinite(number) and low <= number <= high:
                return number
        self._ignore(name, value)
        return default


def ignored_notice(ignored: Iterable[str]) -> str | None:
    """The French notice for ignored parameters, or ``None`` when there are none.

    Examples
    --------
    >>> ignored_notice(["niveau=canton", "page=²"]).endswith(": niveau=canton, page=².")
    True
    >>> ignored_notice([]) is None
    True
    """
    ignored = list(ignored)
    if not ignored:
        return None
    return (
        "Paramètres de l'adresse ignorés (valeur inconnue ou hors limites) : "
        f"{', '.join(ignored)}."
    )


def option_index(
    options: Sequence[object], value: object, default: object = None
) -> int:
    """Where a select box showing a state's value starts.

    At ``value``; else at ``default`` when given; else at the first option.

    Examples
    --------
    >>> option_index(["a", "b", "c"], "c", "b"), option_index(["a", "b"], None, "b")
    (2, 1)
    >>> option_index(["", "29"], "56")
    0
    """
    if value in options:
        return options.index(value)
    return options.index(default) if default is not None else 0


def format_param(value: object) -> str:
    """A state value as written in the URL.

    Tuples become comma-separated lists, booleans ``oui``/``non``, floats
    lose a useless ``.0``.

    Examples
    --------
    >>> format_param(("association", "fondation")), format_param(0.9)
    ('association,fondation', '0.9')
    >>> format_param(2.0), format_param(True), format_param(17)
    ('2', 'oui', '17')
    """
    if isinstance(value, tuple):
        return ",".join(format_param(v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:g}" if value == round(value, 6) else repr(value)
    return str(value)


@dataclasses.dataclass(frozen=True)
class PageState:
    """Base of the page states: a frozen dataclass whose defaults are the page's.

    A subclass declares its fields with their defaults, maps each field that
    lives in the URL to its parameter name in :attr:`PARAMS`, and reads the
    URL in a ``from_query`` class method with a :class:`QueryReader`.
    :meth:`to_query` is shared: it writes what differs from the defaults and
    removes (``None``) what equals them.
    """

    PARAMS: ClassVar[Mapping[str, str]] = {}
    """Field name -> URL parameter name, for the fields kept in the URL."""

    @classmethod
    def defaults(cls) -> Self:
        """The state of a page opened with no parameter."""
        return cls()

    def to_query(self) -> dict[str, str | None]:
        """URL parameters of this state; ``None`` removes a parameter.

        Returns
        -------
        dict
            Every parameter of :attr:`PARAMS`: its value when it differs from
            the default, else ``None``.
        """
        default = self.defaults()
        query: dict[str, str | None] = {}
        for field, param in self.PARAMS.items():
            value = getattr(self, field)
            empty = value is None or value == () or value == ""
            same = value == getattr(default, field)
            query[param] = None if empty or same else format_param(value)
        return query

    def replace(self, **changes: object) -> Self:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)
