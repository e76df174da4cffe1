import warnings

import mapclassify
import numpy as np
import pandas as pd
import pytest

from ess_geo.analysis import classify
from ess_geo.analysis.classify import NO_DATA_COLOUR, PALETTES


def test_quantiles_put_as_many_values_in_each_class():
    values = pd.Series([float(v) for v in range(1, 11)])
    c = classify.classify(values, "quantiles", k=5)
    assert c.bounds == pytest.approx((1.0, 2.8, 4.6, 6.4, 8.2, 10.0))
    assert c.counts == (2, 2, 2, 2, 2)
    assert c.colours == PALETTES[5]
    assert c.missing == 0


def test_jenks_finds_the_natural_gaps():
    values = pd.Series([1.0, 2, 3, 10, 11, 12, 30, 31, 50])
    c = classify.classify(values, "jenks", k=4)
    assert c.bounds == (1.0, 3.0, 12.0, 31.0, 50.0)
    assert c.counts == (3, 3, 2, 1)
    assert c.classes_of(values).tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 3]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jenks_matches_mapclassify_fisher_jenks(seed):
    values = np.random.default_rng(seed).lognormal(size=120)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify: "Numba not installed"
        expected = mapclassify.FisherJenks(values, k=5).bins
    np.testing.assert_allclose(classify.fisher_jenks_breaks(values, 5), expected)


def test_jenks_on_many_values_stays_exact_at_the_extremes():
    values = np.random.default_rng(3).normal(size=5000)
    breaks = classify.fisher_jenks_breaks(values, 5)
    assert len(breaks) == 5
    assert breaks[-1] == values.max()
    assert np.all(np.diff(breaks) > 0)


def test_missing_values_get_the_no_data_colour():
    values = pd.Series([1.0, None, 3.0, float("nan")])
    c = classify.classify(values, "quantiles", k=2)
    assert c.missing == 2
    assert c.classes_of(values).tolist() == [0, -1, 1, -1]
    assert c.colours_of(values) == [
        PALETTES[2][0],
        NO_DATA_COLOUR,
        PALETTES[2][1],
        NO_DATA_COLOUR,
    ]


def test_fewer_distinct_values_than_classes_gives_one_class_per_value():
    c = classify.classify(pd.Series([0.0, 0.0, 5.0, 5.0, 7.0]), "jenks", k=5)
    assert c.bounds == (0.0, 0.0, 5.0, 7.0)
    assert c.counts == (2, 2, 1)
    assert c.labels(0) == ["0", "0 à 5", "5 à 7"]


def test_tied_quantiles_merge_classes_without_warning():
    values = pd.Series([0.0] * 20 + [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = classify.classify(values, "quantiles", k=5)
    assert c.bounds == (0.0, 0.0, 1.0, 6.0)  # 5 classes asked, 3 distinct
    assert c.counts == (20, 1, 5)


def test_no_data_at_all_gives_no_class():
    c = classify.classify(pd.Series([None, None], dtype="float64"), "quantiles")
    assert c.k == 0
    assert c.missing == 2
    assert c.colours_of(pd.Series([None])) == [NO_DATA_COLOUR]


def test_labels_are_written_the_french_way():
    c = classify.classify(pd.Series([1234.5, 2000.25, 3500.75]), "jenks", k=2)
    assert c.labels(1) == ["1\u202f234,5 à 2\u202f000,2", "2\u202f000,2 à 3\u202f500,8"]


@pytest.mark.parametrize(
    ("method", "k", "message"),
    [
        ("natural", 5, "`method` was"),
        ("quantiles", 0, "`k` was"),
        ("jenks", 9, "`k` was"),
    ],
)
def test_bad_method_or_class_count_is_refused(method, k, message):
    with pytest.raises(ValueError, match=message):
        classify.classify(pd.Series([1.0, 2.0]), method, k=k)


def test_every_indicator_is_a_weight_column():
    from ess_geo.analysis.weight import COLUMNS

    assert set(classify.MAP_INDICATORS) <= set(COLUMNS)
