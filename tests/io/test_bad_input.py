"""Issue 15: bad files never crash, never burn the server, never lose a row."""

import io
import os
import zipfile

import openpyxl
import pandas as pd
import pytest

from ess_geo.errors import ImportFileError, InputFileError
from ess_geo.io import employment, limits, sirene
from ess_geo.io.imports import open_source
from ess_geo.io.validation import validate

HEADER = "nom,siret,code_commune,famille,effectif\n"


def read_all(source):
    chunks = list(source.chunks())
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    rejected = [r for c in chunks for r in c.rejected]
    return frame, rejected, sum(c.read for c in chunks)


def zipped(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def workbook(rows, sheet="Feuille") -> bytes:
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- defect 1: public CPU exhaustion by a small workbook of many cells ----------


def test_issue15_employment_workbook_beyond_the_cell_budget_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_CELLS", 1_000)
    data = workbook([["CODGEO", "P21_EMPLT"]] + [[f"{i:05d}", i] for i in range(600)])
    with pytest.raises(InputFileError, match="plus de 1\u202f000 cellules"):
        employment.read_employment(data, name="emploi.xlsx")


def test_issue15_employment_workbook_is_read_in_streaming_mode(monkeypatch):
    import openpyxl as real

    modes = []
    original = real.load_workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("read_only"))
        return original(*args, **kwargs)

    monkeypatch.setattr(real, "load_workbook", spy)
    data = workbook([["CODGEO", "P21_EMPLT"], ["29019", 12], ["29232", 3.5]])
    result = employment.read_employment(data, name="emploi.xlsx")
    assert modes == [True]
    assert result.to_dict() == {"29019": 12.0, "29232": 3.5}


def test_issue15_actor_workbook_beyond_the_cell_budget_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_CELLS", 1_000)
    rows = [["nom", "code_commune"]] + [[f"A{i}", "29019"] for i in range(600)]
    source = open_source(workbook(rows), "a.xlsx")
    with pytest.raises(ImportFileError, match="cellules"):
        read_all(source)


def test_issue15_garbage_employment_workbook_is_an_input_error():
    data = b"PK\x03\x04" + os.urandom(2000)
    with pytest.raises(InputFileError, match="illisible"):
        employment.read_employment(data, name="emploi.xlsx")


# -- defect 2: decompressed size -------------------------------------------------


def test_issue15_zip_declaring_more_than_the_limit_is_refused_before_reading(
    monkeypatch,
):
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 10_000)
    data = zipped(
        {"acteurs.csv": (HEADER + "A,,29019,association,\n" * 2_000).encode()}
    )
    with pytest.raises(ImportFileError, match="dépasse la taille admise"):
        open_source(data, "bombe.zip")


def test_issue15_read_member_never_returns_more_than_a_lying_header_declares():
    data = zipped({"a.csv": b"x" * 5_000})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("a.csv")
        info.file_size = 100  # a lying header
        try:
            read = limits.read_member(archive, info, 1_000)
        except zipfile.BadZipFile:  # CRC mismatch: callers call it damaged
            read = b""
    assert len(read) <= 100


def test_issue15_counting_reader_refuses_beyond_its_limit():
    reader = limits.CountingReader(io.BytesIO(b"y" * 5_000), 1_000, "s.csv")
    with pytest.raises(ImportFileError, match=r"s\.csv dépasse"):
        reader.read()


def test_issue15_text_file_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 1_000)
    path = tmp_path / "gros.csv"
    path.write_text(HEADER + "A,,29019,association,\n" * 100)
    with pytest.raises(ImportFileError, match=r"gros\.csv dépasse la taille admise"):
        open_source(path)


def test_issue15_rows_beyond_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    data = (HEADER + "A,,29019,association,\n" * 11).encode()
    with pytest.raises(ImportFileError, match="plus de 10 lignes"):
        read_all(open_source(data, "a.csv"))


def test_issue15_columns_beyond_the_limit_are_refused():
    data = (",".join(f"c{i}" for i in range(501)) + "\n").encode()
    with pytest.raises(ImportFileError, match="501 colonnes"):
        open_source(data, "large.csv")


# -- defect 3: crashes that were reported as exit 1 with a traceback --------------


def test_issue15_effectif_beyond_2_63_is_a_refused_row_not_a_crash():
    data = (HEADER + "A,,29019,association,9223372036854775808\n").encode()
    frame, _, _ = read_all(open_source(data, "a.csv"))
    checked = validate(frame)
    assert checked.rows.empty
    assert checked.rejected["reason"].tolist() == [
        "effectif « 9223372036854775808 » : plus de 1\u202f000\u202f000 salariés dans "
        "un établissement, invraisemblable (coquille ?)"
    ]


def test_issue15_sep_line_with_any_delimiter_is_read():
    source = open_source(b"sep=|\nnom|code_commune\nA|29019\n", "a.csv")
    frame, rejected, _ = read_all(source)
    assert "Séparateur : barre verticale." in source.notes
    assert frame[["nom", "code_commune", "line"]].values.tolist() == [["A", "29019", 3]]
    assert rejected == []


def test_issue15_sep_line_with_an_unusable_delimiter_is_refused():
    with pytest.raises(ImportFileError, match="séparateur inutilisable"):
        open_source(b'sep="\nnom,code_commune\nA,29019\n', "a.csv")


def test_issue15_encrypted_zip_is_refused_in_french():
    data = bytearray(zipped({"a.csv": b"nom,code_commune\nA,29019\n"}))
    # set the "encrypted" flag in the local and central headers
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    with pytest.raises(ImportFileError, match="chiffrée"):
        open_source(bytes(data), "secret.zip")


def test_issue15_deflate64_zip_is_refused_in_french():
    data = bytearray(zipped({"a.csv": b"nom,code_commune\nA,29019\n"}))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.index(signature) + offset
        data[at : at + 2] = (9).to_bytes(2, "little")
    with pytest.raises(ImportFileError, match="compression non prise en charge"):
        open_source(bytes(data), "d64.zip")


def test_issue15_utf16_with_a_lone_surrogate_is_refused_in_french():
    data = b"\xff\xfe" + "nom,code_commune\n".encode("utf-16-le") + b"\x00\xd8"
    with pytest.raises(ImportFileError, match="UTF-16 invalide"):
        open_source(data, "a.csv")


# -- defect 4: an unclosed quote must not swallow the good rows after it ------------


def test_issue15_unclosed_quote_costs_its_own_line_only():
    good = "".join(f"B{i},,29019,association,\n" for i in range(50))
    data = HEADER + 'A "x,,29019,"association,\n' + '"Z,,29019,association,\n' + good
    frame, rejected, read = read_all(open_source(data.encode(), "a.csv"))
    assert frame["nom"].tolist()[-50:] == [f"B{i}" for i in range(50)]
    assert [r["line"] for r in rejected] == [2, 3]
    assert rejected[0]["reason"].startswith("guillemet ouvert et jamais fermé")
    assert read == 52


def test_issue15_quoted_line_breaks_are_still_one_record():
    data = HEADER + '"Atelier\nde la Paix",,29019,association,\nB,,29019,association,\n'
    frame, rejected, _ = read_all(open_source(data.encode(), "a.csv"))
    assert frame[["nom", "line"]].values.tolist() == [
        ["Atelier\nde la Paix", 2],
        ["B", 4],
    ]
    assert rejected == []


def test_issue15_a_cell_beyond_the_field_limit_is_a_french_rejection():
    data = (
        HEADER + '"' + "x" * 140_000 + '",,29019,association,\nB,,29019,association,\n'
    )
    frame, rejected, _ = read_all(open_source(data.encode(), "a.csv"))
    assert frame["nom"].tolist() == ["B"]
    assert rejected[0]["line"] == 2
    assert rejected[0]["reason"].startswith(
        "cellule de plus de 131\u202f072 caractères"
    )


# -- defect 12: messages ------------------------------------------------------------


def test_issue15_a_zip_of_many_files_gets_a_short_message():
    data = zipped({f"f{i}.txt": b"x" for i in range(900)})
    with pytest.raises(ImportFileError) as caught:
        open_source(data, "beaucoup.zip")
    message = str(caught.value)
    assert len(message) < 300
    assert message.endswith("f0.txt, f1.txt, f2.txt, f3.txt, f4.txt et 895 autre(s)).")


def test_issue15_a_zip_of_too_many_members_is_refused_by_count():
    data = zipped({f"f{i}": b"" for i in range(1_001)})
    with pytest.raises(ImportFileError, match="1\u202f001 fichiers"):
        open_source(data, "beaucoup.zip")


def test_issue15_an_empty_zip_is_called_empty():
    with pytest.raises(ImportFileError, match=r"L'archive vide\.zip est vide"):
        open_source(zipped({}), "vide.zip")


def test_issue15_fifo_and_devices_are_named_not_called_missing(tmp_path):
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError, match="pas un fichier ordinaire mais un tube"):
        open_source(fifo)
    with pytest.raises(ImportFileError, match="mais un périphérique"):
        open_source("/dev/zero")


def test_issue15_dangling_and_looping_links_are_named(tmp_path):
    dangling = tmp_path / "lien"
    dangling.symlink_to(tmp_path / "absent.csv")
    loop = tmp_path / "boucle"
    loop.symlink_to(loop)
    with pytest.raises(ImportFileError, match="lien symbolique vers un fichier absent"):
        open_source(dangling)
    with pytest.raises(ImportFileError, match="boucle sur lui-même"):
        open_source(loop)


def test_issue15_formula_cells_without_a_value_are_noted():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nom", "code_commune", "effectif"])
    sheet.append(["A", "29019", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = open_source(buffer.getvalue(), "formules.xlsx")
    assert any(
        n.startswith("1 cellule(s) contiennent une formule sans valeur calculée")
        for n in source.notes
    )


def test_issue15_cp1252_unites_legales_is_decoded_and_noted(tmp_path):
    units = (
        "siren,statutDiffusionUniteLegale,denominationUniteLegale,"
        "categorieJuridiqueUniteLegale,economieSocialeSolidaireUniteLegale\n"
        "123456789,O,Crèche des Lilas,9220,O\n"
    ).encode("cp1252")
    path = tmp_path / "StockUniteLegale.csv"
    path.write_bytes(units)
    table = sirene.read_ess_units(path)
    assert table["denominationUniteLegale"].tolist() == ["Crèche des Lilas"]
    assert sirene._encoding(path) == "cp1252"


def test_issue15_null_siret_and_huge_effectif_are_refused():
    data = (
        HEADER
        + "A,00000000000000,29019,association,\n"
        + "B,,29019,association,1e18\n"
        + "C,,29019,association,12\n"
    ).encode()
    frame, _, _ = read_all(open_source(data, "a.csv"))
    checked = validate(frame)
    assert checked.rows["nom"].tolist() == ["C"]
    reasons = checked.rejected.sort_values("line")["reason"].tolist()
    assert reasons[0] == (
        "SIRET « 00000000000000 » : numéro SIREN nul (000 000 000), SIRET fictif"
    )
    assert "plus de 1\u202f000\u202f000 salariés" in reasons[1]
