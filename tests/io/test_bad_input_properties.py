"""Issue 15: generated files never crash a reader, never lose a row (property-based)."""

import datetime as dt
import io
import zipfile

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ess_geo.errors import ImportFileError, InputFileError, NetworkFileError
from ess_geo.io import employment, textfile
from ess_geo.io.imports import open_source

BOUNDED = settings(
    max_examples=60,
    deadline=dt.timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow],
)

HEADER = "nom;siret;code_commune;famille;effectif;adresse\n"
CELL = st.one_of(
    st.sampled_from(
        [
            '"',
            '""',
            '"x',
            'x"',
            ";",
            ",",
            "\t",
            "|",
            "\n",
            "\r\n",
            "\x00",
            "é",
            "29019",
            "2A004",
            "9223372036854775808",
            "1e18",
            "-1",
            "00000000000000",
            "=1+1",
            "association",
            "\ufeff",
            "\ud800",
            "sep=|",
        ]
    ),
    st.text(max_size=12),
)
ROW = st.lists(CELL, min_size=0, max_size=8).map(";".join)
CSV_TEXT = st.lists(ROW, max_size=12).map(lambda rows: HEADER + "\n".join(rows))
ENCODED = st.tuples(
    CSV_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])
).map(
    lambda pair: pair[0].encode(
        pair[1],
        errors="surrogatepass"
        if "16" in pair[1] or pair[1].startswith("utf-8")
        else "replace",
    )
)


def zipped(data: bytes, name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


FILES = st.one_of(
    ENCODED,
    st.binary(max_size=400),
    st.tuples(ENCODED, st.sampled_from(["a.csv", "a.txt", "b.bin"])).map(
        lambda pair: zipped(*pair)
    ),
    st.tuples(ENCODED, st.binary(max_size=20), st.integers(0, 400)).map(
        lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
    ),
    st.tuples(ENCODED, st.integers(0, 600)).map(
        lambda t: zipped(t[0], "a.csv")[: t[1]]
    ),
)


@BOUNDED
@given(data=FILES)
def test_issue15_any_file_is_read_or_refused_in_french_and_no_row_vanishes(data):
    try:
        source = open_source(data, "fichier.csv")
        chunks = list(source.chunks())
    except ImportFileError as exc:
        assert str(exc)
        assert "Traceback" not in str(exc)
        return
    read = sum(c.read for c in chunks)
    kept = sum(len(c.frame) for c in chunks)
    rejected = sum(len(c.rejected) for c in chunks)
    # every data row read is either kept or rejected with its line: none vanishes
    assert kept + rejected == read
    lines = pd.concat([c.frame["line"] for c in chunks]) if chunks else pd.Series()
    assert lines.is_unique


@BOUNDED
@given(data=FILES)
def test_issue15_any_employment_file_is_read_or_refused_in_french(data):
    try:
        employment.read_employment(data, name="emploi.csv")
    except InputFileError as exc:
        assert str(exc)


@BOUNDED
@given(data=FILES)
def test_issue15_any_network_table_is_read_or_refused_in_french(data):
    try:
        header, rows = textfile.read_table(
            data, "reseaux.csv", "Fichier de réseaux", NetworkFileError
        )
    except NetworkFileError as exc:
        assert str(exc).startswith("Fichier de réseaux reseaux.csv")
        return
    assert all(len(r) == len(header) for _, r in rows)


def _workbook(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Feuille")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_CELL = st.one_of(
    st.none(),
    st.integers(-(2**70), 2**70).map(lambda n: n if abs(n) < 2**63 else float(n)),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    st.sampled_from(["=1+1", "29019", "association", "nom", "code_commune"]),
)
WORKBOOKS = st.lists(st.lists(XLSX_CELL, max_size=6), max_size=8).map(
    lambda rows: _workbook([["nom", "code_commune", "effectif"], *rows])
)


@settings(BOUNDED, max_examples=30)
@given(data=WORKBOOKS, cut=st.one_of(st.none(), st.integers(0, 3000)))
def test_issue15_any_workbook_is_read_or_refused_in_french(data, cut):
    data = data if cut is None else data[:cut]
    try:
        source = open_source(data, "classeur.xlsx")
        chunks = list(source.chunks())
    except ImportFileError as exc:
        assert str(exc)
        return
    assert sum(len(c.frame) for c in chunks) == sum(c.read for c in chunks)
    try:
        employment.read_employment(data, name="emploi.xlsx")
    except InputFileError:
        pass
