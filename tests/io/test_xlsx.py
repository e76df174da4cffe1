import io

import openpyxl
import pandas as pd

from ess_geo.io import exports


def test_streamed_workbook_reads_back_with_types_and_neutralised_formulas():
    table = pd.DataFrame(
        {
            "n": [1, 2, 3],
            "x": [2.5, None, -1.0],
            "nom": ["=SOMME(A1)", " Amicale ", "<b>&</b>"],
            "ok": [True, False, None],
            "d": pd.to_datetime(["2024-01-02 03:04:05", None, "2025-01-01 00:00:00"]),
            "geometry": [None, None, None],
        }
    )
    data = exports.to_xlsx(
        {"Acteurs": table, "Un nom de feuille bien trop long": table}
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Acteurs", "Un nom de feuille bien trop lon"]
    rows = list(book["Acteurs"].iter_rows(values_only=True))
    assert rows == [
        ("n", "x", "nom", "ok", "d"),
        (1, 2.5, "'=SOMME(A1)", True, "2024-01-02 03:04:05"),
        (2, None, " Amicale ", False, None),
        (3, -1, "<b>&</b>", None, "2025-01-01 00:00:00"),
    ]


def test_progress_is_reported_then_complete():
    table = pd.DataFrame({"n": range(12_000)})
    seen = []
    exports.to_xlsx(table, progress=seen.append)
    assert seen == [5_000 / 12_000, 10_000 / 12_000, 1.0]
