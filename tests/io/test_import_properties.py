"""Property-based tests of the importer.

No input crashes it; a failed import changes nothing; an import undone
leaves the workspace exactly as it was.
"""

import contextlib
import csv
import io

import pytest
from conftest import workspace_dump
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ess_geo.errors import ImportFileError
from ess_geo.io import imports
from ess_geo.workspace import history, loading, seeding, store

COLUMNS = [
    "nom",
    "Raison sociale",
    "siret",
    "N° SIRET",
    "code_commune",
    "Code INSEE",
    "famille",
    "categorie_juridique",
    "latitude",
    "longitude",
    "code_postal",
    "commune",
    "effectif",
    "naf",
    "reseaux",
    "email",
    "autre",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "29019",
            "75101",
            "2A004",
            "99999",
            "1053",
            "73282932000074",
            "73282932000075",
            "association",
            "Coopérative",
            "syndicat",
            "9220",
            "5710",
            "48.39",
            "-4.49",
            "48,39",
            "200",
            "29200",
            "Brest",
            "12",
            "-1",
            "1e400",
            "nan",
            "88.91A",
            "ADESS Pays de Brest|1",
            "=SUM(A1)",
            "<script>alert(1)</script>",
            "a@b.example",
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def csv_files(draw) -> bytes:
    """Files shaped like actor files, with hostile cells and encodings."""
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8))
    rows = draw(
        st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 2), max_size=12)
    )
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    conn = store.connect(tmp_path_factory.mktemp("ws") / "workspace.sqlite")
    seeding.seed_workspace(conn, size=100, seed=9)
    yield conn
    conn.close()


def import_or_refuse(conn, data: bytes, **options):
    """The importer's answer: a report, or a refusal of the whole file."""
    try:
        source = imports.open_source(data, "fichier.csv")
    except ImportFileError:
        return None
    return loading.import_actors(conn, source, who="hypothesis", **options)


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.binary(max_size=3000))
@example(data=b"PAR1")  # found by Hypothesis: a truncated Parquet file
@example(data=b"PAR1" + b"\x00" * 64 + b"PAR1")
@example(data=b"PK\x03\x04")
@example(data=b"\xef\xbb\xbf")
@example(data=b"\xff\xfe")
def test_no_bytes_crash_the_importer(workspace, data):
    before = workspace_dump(workspace)
    report = import_or_refuse(workspace, data, dry_run=True)
    assert report is None or report.exit_code in (0, 1, 2)
    assert workspace_dump(workspace) == before


@SETTINGS
@given(data=csv_files(), fix=st.booleans())
def test_no_actor_file_crashes_the_importer(workspace, data, fix):
    before = workspace_dump(workspace)
    report = import_or_refuse(workspace, data, dry_run=True, fix_swapped=fix)
    if report is not None:
        assert report.exit_code in (0, 1, 2)
        assert report.read >= report.imported + report.updated
        lines = [r["line"] for r in report.rejected]
        assert all(line >= 2 for line in lines)
        assert len(lines) == len(set(lines))
        assert all(r["reason"] for r in report.rejected)
    assert workspace_dump(workspace) == before


@SETTINGS
@given(data=csv_files(), crash_after=st.integers(min_value=0, max_value=3))
def test_a_failed_import_changes_nothing(
    workspace, data, crash_after, monkeypatch_module
):
    before = workspace_dump(workspace)
    revision = store.revision(workspace)
    calls = []
    real = history.Journal.insert_actors

    def crashing(self, actors, **options):
        calls.append(len(actors))
        if len(calls) > crash_after:
            raise RuntimeError("panne simulée")
        return real(self, actors, **options)

    monkeypatch_module.setattr(imports, "CHUNK_ROWS", 3)
    monkeypatch_module.setattr(history.Journal, "insert_actors", crashing)
    try:
        with contextlib.suppress(RuntimeError):
            report = import_or_refuse(workspace, data)
            if report is not None and report.exit_code < 2:
                # It went through without reaching the crash: undo it.
                history.undo(workspace, report.audit_id)
                assert workspace_dump(workspace) == before
                return
    finally:
        monkeypatch_module.undo()
    assert workspace_dump(workspace) == before
    assert store.revision(workspace) == revision


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@settings(max_examples=300, deadline=None)
@given(
    digits=st.text(alphabet="0123456789", min_size=14, max_size=14),
    poste=st.booleans(),
)
def test_vectorised_siret_check_agrees_with_the_scalar_one(digits, poste):
    import pandas as pd

    from ess_geo import actors

    siret = "356000000" + digits[9:] if poste else digits
    assert actors.sirets_valid(pd.Series([siret])).tolist() == [
        actors.siret_valid(siret)
    ]
