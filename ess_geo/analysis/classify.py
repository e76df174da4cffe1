"""Classes for choropleth maps: indicators, class breaks, colours, labels.

A choropleth colours each territory by the class its value falls in; the
indicators it offers (:data:`MAP_INDICATORS`) are records of the registry
:data:`ess_geo.analysis.indicators.INDICATORS`, which names them and sets
their decimals. The classes come from mapclassify (quantiles) or from an
exact Fisher-Jenks optimisation (natural breaks); the method is always named
in the legend.
Colours are ColorBrewer's YlGnBu sequential scheme, which stays readable
with the common colour-vision deficiencies and in greyscale. Territories
without a value (no population, no known perimeter) get a neutral grey
class of their own.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ess_geo import formats
from ess_geo.analysis.indicators import INDICATORS, Indicator

__all__ = [
    "DEFAULT_CLASSES",
    "MAP_INDICATORS",
    "METHODS",
    "NO_DATA_COLOUR",
    "PALETTES",
    "Classification",
    "classify",
    "fisher_jenks_breaks",
]


MAP_INDICATORS: dict[str, Indicator] = {
    key: INDICATORS[key]
    for key in (
        "structures_10k_hab",
        "emplois_1000_hab",
        "indice_specificite",
        "structures",
        "employeurs",
        "emplois",
    )
}
"""Indicators a choropleth offers, by column of the weight table.

Rates first, as choropleths are meant for rates; then counts."""

METHODS: dict[str, str] = {
    "quantiles": "quantiles",
    "jenks": "seuils naturels (Fisher-Jenks)",
}
"""Classification methods (URL value -> how the legend names it)."""

DEFAULT_CLASSES = 5

# ColorBrewer YlGnBu (Cynthia Brewer, colorbrewer2.org), flagged colour-blind
# safe; one list per number of classes.
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
NO_DATA_COLOUR = "#d9d9d9"

_JENKS_MAX_VALUES = 1500


def fisher_jenks_breaks(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` Fisher-Jenks classes of some values.

    The classes minimise the total squared deviation from the class means
    (Fisher 1958; Jenks 1977), computed exactly by dynamic programming over
    the sorted values. Over 1,500 values, the optimisation runs on 1,500
    evenly spaced order statistics (the minimum and maximum included).

    Parameters
    ----------
    values : numpy.ndarray
        Finite numbers.
    k : int
        Number of classes, at least 1.

    Returns
    -------
    numpy.ndarray
        ``min(k, distinct values)`` increasing upper bounds; the last is the
        maximum.

    Raises
    ------
    ValueError
        If ``values`` is empty or ``k < 1``.

    Examples
    --------
    >>> fisher_jenks_breaks(np.array([1, 2, 3, 10, 11, 12, 30, 31, 50.0]), 4)
    array([ 3., 12., 31., 50.])
    """
    x = np.sort(np.asarray(values, dtype="float64"))
    if x.size == 0 or k < 1:
        raise ValueError(
            f"Fisher-Jenks needs at least one value and k ≥ 1 (got {x.size} "
            f"values, k={k})"
        )
    if x.size > _JENKS_MAX_VALUES:
        x = x[np.linspace(0, x.size - 1, _JENKS_MAX_VALUES).round().astype(int)]
    distinct = np.unique(x)
    if distinct.size <= k:
        return distinct
    n = x.size
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    ends = np.arange(n)
    starts = ends[:, None]
    size = ends[None, :] - starts + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        total = s1[ends + 1][None, :] - s1[starts]
        deviation = (s2[ends + 1][None, :] - s2[starts]) - total * total / size
    deviation[size <= 0] = np.inf
    cost = deviation[0].copy()  # one class over x[0..i]
    back = np.zeros((k, n), dtype=np.int64)
    for j in range(1, k):
        previous = np.concatenate([[np.inf], cost[:-1]])  # best cost up to m - 1
        candidates = previous[:, None] + deviation
        candidates[:j, :] = np.inf
        back[j] = np.argmin(candidates, axis=0)
        cost = candidates[back[j], ends]
    uppers = []
    end = n - 1
    for j in range(k - 1, -1, -1):
        uppers.append(x[end])
        end = back[j, end] - 1
    return np.array(uppers[::-1])


@dataclass(frozen=True)
class Classification:
    """Classes of an indicator: bounds, colours and how many fall in each.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    bounds : tuple of float
        ``k + 1`` bounds: the minimum, then the upper bound of each class
        (inclusive).
    colours : tuple of str
        One colour per class, lightest first.
    counts : tuple of int
        Values in each class.
    missing : int
        Values without data.
    """

    method: str
    bounds: tuple[float, ...]
    colours: tuple[str, ...]
    counts: tuple[int, ...]
    missing: int

    @property
    def k(self) -> int:
        """Number of classes (0 when no value has data)."""
        return len(self.colours)

    def classes_of(self, values: pd.Series) -> np.ndarray:
        """The class (0..k-1) of each value, -1 where it is missing."""
        data = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        if self.k == 0:
            return np.full(data.shape, -1)
        found = np.searchsorted(np.array(self.bounds[1:]), data, side="left")
        found = np.minimum(found, self.k - 1)
        return np.where(np.isnan(data), -1, found)

    def colours_of(self, values: pd.Series) -> list[str]:
        """The colour of each value (:data:`NO_DATA_COLOUR` where missing)."""
        palette = [*self.colours, NO_DATA_COLOUR]  # index -1 -> no data
        return [palette[c] for c in self.classes_of(values)]

    def labels(self, decimals: int) -> list[str]:
        """One French label per class: ``"3,4 à 4,2"``, or one value.

        Parameters
        ----------
        decimals : int
            Decimals shown (bounds are rounded for display only).

        Returns
        -------
        list of str
        """
        labels = []
        for low, high in zip(self.bounds[:-1], self.bounds[1:], strict=True):
            low_text = formats.number(low, decimals)
            high_text = formats.number(high, decimals)
            labels.append(
                low_text if low_text == high_text else f"{low_text} à {high_text}"
            )
        return labels


def classify(
    values: pd.Series, method: str = "quantiles", k: int = DEFAULT_CLASSES
) -> Classification:
    """Class breaks and colours for the values of a choropleth.

    Parameters
    ----------
    values : pandas.Series
        One value per territory; ``NaN`` marks "no data".
    method : {"quantiles", "jenks"}, default "quantiles"
        ``"quantiles"``: mapclassify's quantiles, about as many territories
        in each class; ``"jenks"``: Fisher-Jenks natural breaks
        (:func:`fisher_jenks_breaks`), classes as homogeneous as possible.
    k : int, default 5
        Number of classes wanted, 1 to 7. Fewer are made when there are
        fewer distinct values, or when quantiles coincide.

    Returns
    -------
    Classification

    Raises
    ------
    ValueError
        If ``method`` or ``k`` is not one of the allowed values.

    Examples
    --------
    >>> c = classify(pd.Series([1.0, 2, 3, 4, None]), "quantiles", k=2)
    >>> c.bounds, c.counts, c.missing
    ((1.0, 2.5, 4.0), (2, 2), 1)
    """
    if method not in METHODS:
        raise ValueError(
            f'`method` was "{method}" but is expected to be one of {list(METHODS)}'
        )
    if k not in PALETTES:
        raise ValueError(f"`k` was {k!r} but is expected to be between 1 and 7")
    data = pd.to_numeric(values, errors="coerce").astype("float64")
    present = data.dropna().to_numpy()
    missing = int(data.isna().sum())
    if present.size == 0:
        return Classification(method, (), (), (), missing)
    if np.unique(present).size <= k:
        uppers = np.unique(present)
    elif method == "quantiles":
        # Imported here: mapclassify loads scipy and scikit-learn (1.5 s), which
        # every importer of ess_geo.analysis (the CLI) would otherwise pay.
        import mapclassify

        with warnings.catch_warnings():
            # mapclassify warns when tied quantiles merge classes; the
            # legend shows the classes that remain, so nothing is hidden.
            warnings.filterwarnings("ignore", "Not enough unique values")
            uppers = np.unique(mapclassify.Quantiles(present, k=k).bins)
    else:
        uppers = fisher_jenks_breaks(present, k)
    uppers[-1] = present.max()
    bounds = (float(present.min()), *(float(b) for b in uppers))
    colours = PALETTES[len(uppers)]
    provisional = Classification(method, bounds, colours, (), missing)
    classes = provisional.classes_of(pd.Series(present))
    counts = tuple(int(c) for c in np.bincount(classes, minlength=len(uppers)))
    return Classification(method, bounds, colours, counts, missing)
