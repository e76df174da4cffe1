"""French formatting of numbers, shares and ranks for people to read.

Thousands are separated by a narrow no-break space and decimals by a comma,
as the French typographic convention (and INSEE) writes them. Missing values
print as an em dash. Used by the pages and the panorama alike, so that a
figure reads the same on screen and on paper.
"""

from __future__ import annotations

import math

__all__ = ["MISSING", "distance", "number", "percent", "rank"]

MISSING = "—"
"""How a missing value prints."""

_THIN = "\u202f"


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # NaN, pd.NA raise or are NaN
    except (TypeError, ValueError):
        return True


def number(value: object, decimals: int = 0) -> str:
    r"""A number the French way: ``12 345,6``.

    Parameters
    ----------
    value : number or None
        Missing values (``None``, NaN, ``pd.NA``) print as :data:`MISSING`.
    decimals : int, default 0
        Digits after the comma.

    Returns
    -------
    str

    Examples
    --------
    >>> number(1234567.891, 1)
    '1\u202f234\u202f567,9'
    >>> number(float("nan"))
    '—'
    """
    if _missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", _THIN).replace(".", ",")


def percent(share: object, decimals: int = 1) -> str:
    r"""A share (0.123) as a French percentage: ``12,3 %``.

    Examples
    --------
    >>> percent(0.1234)
    '12,3\xa0%'
    """
    if _missing(share):
        return MISSING
    return f"{number(float(share) * 100, decimals)}\u00a0%"


def rank(position: object, total: object) -> str:
    r"""A rank out of a total: ``1er sur 21``, ``3e sur 21``.

    Examples
    --------
    >>> rank(1, 21), rank(3, 21)
    ('1er sur 21', '3e sur 21')
    >>> rank(4304, 34851)
    '4\u202f304e sur 34\u202f851'
    """
    if _missing(position) or _missing(total):
        return MISSING
    position = int(position)
    suffix = "er" if position == 1 else "e"
    return f"{number(position)}{suffix} sur {number(total)}"


def distance(km: float) -> str:
    """A distance as people read it in French.

    Parameters
    ----------
    km : float
        Distance in kilometres.

    Returns
    -------
    str
        Metres, rounded to 10 m, under 1 km; kilometres with one decimal
        under 10 km; whole kilometres beyond.

    Examples
    --------
    >>> distance(0.853)
    '850 m'
    >>> distance(1.26)
    '1,3 km'
    >>> distance(12.4)
    '12 km'
    """
    if km < 0.995:
        return f"{round(km * 100) * 10:.0f} m"
    if km < 9.95:
        return f"{km:.1f} km".replace(".", ",")
    return f"{km:.0f} km"
