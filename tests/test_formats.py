import numpy as np
import pandas as pd
import pytest

from ess_geo import formats


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (1234, 0, "1\u202f234"),
        (-1234.56, 1, "-1\u202f234,6"),
        (0.75, 2, "0,75"),
        (2.5, 2, "2,50"),
        (1234567, 0, "1\u202f234\u202f567"),
        (np.int64(66526267), 0, "66\u202f526\u202f267"),
        (None, 0, "—"),
        (None, 1, "—"),
        (np.nan, 1, "—"),
        (pd.NA, 0, "—"),
    ],
)
def test_number(value, decimals, expected):
    assert formats.number(value, decimals) == expected


def test_percent_and_rank():
    assert formats.percent(0.0005) == "0,1\xa0%"
    assert formats.percent(np.nan) == "—"
    assert formats.rank(pd.NA, 10) == "—"
    assert formats.rank(2, 1248) == "2e sur 1\u202f248"


@pytest.mark.parametrize(
    ("km", "text"),
    [
        (0.0, "0 m"),
        (0.004, "0 m"),
        (0.853, "850 m"),
        (0.996, "1,0 km"),
        (1.26, "1,3 km"),
        (9.94, "9,9 km"),
        (9.96, "10 km"),
        (12.4, "12 km"),
        (49.6, "50 km"),
    ],
)
def test_distance(km, text):
    assert formats.distance(km) == text
