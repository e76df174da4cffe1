"""SIRENE stock files: the ESS establishments of the INSEE register.

INSEE publishes the register as two stock files, StockUniteLegale (one row
per legal unit, SIREN) and StockEtablissement (one row per establishment,
SIRET), in UTF-8 CSV (zipped on data.gouv.fr) and in Parquet. This module
streams them in chunks, never loading a file whole:

1. the legal units flagged ESS (``economieSocialeSolidaireUniteLegale ==
   'O'``) are collected: SIREN, name, catégorie juridique;
2. the establishments are read chunk by chunk; those that are open
   (``etatAdministratifEtablissement == 'A'``) and belong to an ESS unit are
   kept, the others counted as ignored;
3. each kept row is shaped as a canonical actor row: name, catégorie
   juridique (the famille follows from it, a legal form with no famille of
   its own making a société commerciale de l'ESS), activity
   (``activitePrincipaleEtablissement``), size band
   (``trancheEffectifsEtablissement``), address, commune, and coordinates
   converted with pyproj from Lambert-93 (EPSG:2154), or from the legal
   projection of each DROM (UTM, as IGN defines them), to WGS 84.

A single file holding both establishment and unit columns (an extract
joined beforehand) is read the same way. Row checks are then those of every
actor file (:mod:`ess_geo.io.validation`).
"""

from __future__ import annotations

import functools
import io
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyproj import Transformer

from ess_geo import _arrow
from ess_geo.errors import ImportFileError
from ess_geo.io import limits
from ess_geo.io.source import CHUNK_ROWS, Chunk, Source

__all__ = [
    "DROM_CRS",
    "ETABLISSEMENT_COLUMNS",
    "UNITE_LEGALE_COLUMNS",
    "is_units_file",
    "looks_like_sirene",
    "open_stock",
    "read_ess_units",
    "to_wgs84",
]

UNITE_LEGALE_COLUMNS: tuple[str, ...] = (
    "siren",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "economieSocialeSolidaireUniteLegale",
)
"""StockUniteLegale columns read (the others are skipped)."""

ETABLISSEMENT_COLUMNS: tuple[str, ...] = (
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "codeCommuneEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "activitePrincipaleEtablissement",
    "trancheEffectifsEtablissement",
)
"""StockEtablissement columns read; the coordinates, address and activity
ones may be absent (older extracts)."""

_ETAB_REQUIRED = (
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "codeCommuneEtablissement",
)
_UL_REQUIRED = (
    "siren",
    "economieSocialeSolidaireUniteLegale",
    "categorieJuridiqueUniteLegale",
)
_OPTIONAL_ETAB = ("nomenclatureActivitePrincipaleEtablissement",)

LAMBERT_93 = "EPSG:2154"
DROM_CRS: dict[str, str] = {
    "971": "EPSG:5490",  # Guadeloupe: RGAF09 / UTM zone 20N
    "972": "EPSG:5490",  # Martinique: RGAF09 / UTM zone 20N
    "973": "EPSG:2972",  # Guyane: RGFG95 / UTM zone 22N
    "974": "EPSG:2975",  # La Réunion: RGR92 / UTM zone 40S
    "976": "EPSG:4471",  # Mayotte: RGM04 / UTM zone 38S
}
"""Legal projection of each DROM (by département code), in which SIRENE
gives the coordinates of establishments there; Lambert-93 elsewhere."""

_STREET_TYPES = {
    "AV": "avenue",
    "BD": "boulevard",
    "CHE": "chemin",
    "CRS": "cours",
    "IMP": "impasse",
    "ALL": "allée",
    "PL": "place",
    "QU": "quai",
    "RTE": "route",
    "SQ": "square",
    "LD": "lieu-dit",
    "FG": "faubourg",
    "HAM": "hameau",
    "PROM": "promenade",
    "RPT": "rond-point",
    "CAR": "carrefour",
    "VOI": "voie",
    "R": "rue",
}

_STREET_TYPES_SERIES = pd.Series(_STREET_TYPES, dtype="string")

_NOT_DIFFUSED = "[ND]"


def looks_like_sirene(head: bytes) -> bool:
    """Whether the start of a file has SIRENE stock column names in its header.

    Parameters
    ----------
    head : bytes
        The first bytes of the file (a CSV).

    Returns
    -------
    bool
    """
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    names = {c.strip().strip('"') for c in first.split(",")}
    return set(_ETAB_REQUIRED) <= names or set(_UL_REQUIRED) <= names


def is_units_file(data: Path | bytes) -> bool:
    """Whether a file is a StockUniteLegale (unit columns, no establishment).

    Parameters
    ----------
    data : path-like or bytes
        CSV, zipped CSV or Parquet.

    Returns
    -------
    bool
        ``False`` as well for a file that cannot be read as one of those.
    """
    try:
        present = set(_columns(data))
    except (
        OSError,
        ValueError,
        zipfile.BadZipFile,
        pa.ArrowException,
        ImportFileError,
    ):
        return False
    return set(_UL_REQUIRED) <= present and "siret" not in present


@functools.cache
def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def to_wgs84(
    x: np.ndarray, y: np.ndarray, communes: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """SIRENE coordinates to WGS 84, each in its territory's legal projection.

    Parameters
    ----------
    x, y : array-like of float
        ``coordonneeLambertAbscisseEtablissement`` and ``…Ordonnee…``
        (``NaN`` when absent).
    communes : pandas.Series of str
        ``codeCommuneEtablissement``, which tells metropole from DROM.

    Returns
    -------
    lat, lon : numpy.ndarray of float

    Examples
    --------
    20 avenue de Ségur, Paris (IGN's reference for Lambert-93):

    >>> lat, lon = to_wgs84([649242.57], [6861355.85], pd.Series(["75107"]))
    >>> round(float(lat[0]), 6), round(float(lon[0]), 6)
    (48.850244, 2.30831)
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    lat = np.full(len(x), np.nan)
    lon = np.full(len(x), np.nan)
    department = communes.astype("string").str[:3]
    drom = _arrow.lookup(department, pd.Series(DROM_CRS, dtype="string"))
    located = ~(np.isnan(x) | np.isnan(y))
    in_drom = drom.notna().to_numpy()
    for crs, rows in [(LAMBERT_93, located & ~in_drom)] + [
        (crs, located & (drom == crs).fillna(False).to_numpy())
        for crs in sorted(set(DROM_CRS.values()))
    ]:
        if rows.any():
            lon[rows], lat[rows] = _transformer(crs).transform(x[rows], y[rows])
    return lat, lon


# -- reading ---------------------------------------------------------------------

_Input = Path | bytes


def _kind(data: _Input) -> str:
    if isinstance(data, bytes):
        head = data[:4]
    else:
        with open(data, "rb") as handle:
            head = handle.read(4)
    if head == b"PAR1":
        return "parquet"
    if head.startswith(b"PK"):
        return "zip"
    return "csv"


_UNREADABLE = (
    pa.ArrowException,
    zipfile.BadZipFile,
    OSError,
    RuntimeError,  # an encrypted zip member
    NotImplementedError,  # a compression method zipfile lacks
    EOFError,
    zlib.error,
)

_HEADER_BYTES = 1 << 20


def _open_member(data: _Input) -> tuple[zipfile.ZipFile, limits.CountingReader]:
    """The archive and its CSV member, checked and counted while read."""
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    archive = zipfile.ZipFile(handle)
    try:
        name = data.name if isinstance(data, Path) else "SIRENE"
        limits.check_zip(archive, name, limits.MAX_SIRENE_BYTES)
        member = _zip_member(archive)
        stream = limits.CountingReader(
            archive.open(member), limits.MAX_SIRENE_BYTES, member
        )
    except BaseException:
        archive.close()
        raise
    return archive, stream


def _head(data: _Input) -> bytes:
    """The first bytes of the (decompressed) CSV."""
    if _kind(data) == "zip":
        archive, stream = _open_member(data)
        with archive, stream:
            return stream.read(_HEADER_BYTES)
    if isinstance(data, bytes):
        return data[:_HEADER_BYTES]
    with open(data, "rb") as handle:
        return handle.read(_HEADER_BYTES)


def _encoding(data: _Input) -> str:
    """``utf-8`` as INSEE publishes, or ``cp1252`` for a file saved by a spreadsheet."""
    if _kind(data) == "parquet":
        return "utf-8"
    try:
        head = _head(data)
    except _UNREADABLE:
        return "utf-8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end
            return "cp1252"
    return "utf-8"


def _columns(data: _Input) -> tuple[str, ...]:
    """The header of a SIRENE file; :class:`ImportFileError` when unreadable."""
    try:
        return _read_columns(data)
    except _UNREADABLE as exc:
        raise ImportFileError(
            f"Fichier SIRENE illisible ({exc}) : vérifiez qu'il est complet "
            "(téléchargement interrompu ?) et au format CSV, ZIP ou Parquet."
        ) from exc


def _read_columns(data: _Input) -> tuple[str, ...]:
    kind = _kind(data)
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    if kind == "parquet":
        return tuple(pq.read_schema(handle).names)
    if kind == "zip":
        archive, stream = _open_member(data)
        with archive, stream:
            first = stream.readline(_HEADER_BYTES)
    elif isinstance(data, bytes):
        first = data[:_HEADER_BYTES].split(b"\n", 1)[0]
    else:
        with open(data, "rb") as stream:
            first = stream.readline(_HEADER_BYTES)
    header = first.decode("utf-8-sig", errors="replace").strip()
    return tuple(c.strip().strip('"') for c in header.split(","))


def _zip_member(archive: zipfile.ZipFile) -> str:
    names = archive.namelist()
    tables = [m for m in names if m.lower().endswith(".csv")]
    if len(tables) != 1:
        shown = ", ".join(names[:5]) or "rien"
        more = f" et {len(names) - 5} autre(s)" if len(names) > 5 else ""
        raise ImportFileError(
            "L'archive SIRENE doit contenir un seul fichier CSV "
            f"(trouvé : {shown}{more})."
        )
    return tables[0]


def _batches(data: _Input, columns: list[str]) -> Iterator[pd.DataFrame]:
    """The file's rows in chunks, as text columns (missing when empty)."""
    kind = _kind(data)
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    if kind == "parquet":
        try:
            parquet = pq.ParquetFile(handle)
            for batch in parquet.iter_batches(batch_size=CHUNK_ROWS, columns=columns):
                yield _batch_frame(batch)
        except (pa.ArrowException, OSError) as exc:
            raise ImportFileError(
                f"Fichier Parquet SIRENE illisible en cours de lecture ({exc}) : "
                "rien n'a été écrit."
            ) from exc
        return
    encoding = _encoding(data)
    if kind == "zip":
        try:
            archive, stream = _open_member(data)
        except _UNREADABLE as exc:
            raise ImportFileError(f"Archive SIRENE illisible ({exc}).") from exc
    else:
        archive = None
        stream = handle
    try:
        reader = pd.read_csv(
            stream,
            usecols=columns,
            dtype="string",
            keep_default_na=False,
            na_values=[""],
            chunksize=CHUNK_ROWS,
            encoding=encoding,
            encoding_errors="replace",
        )
        for frame in reader:
            yield frame.reset_index(drop=True)
    except (pd.errors.ParserError, ValueError, *_UNREADABLE) as exc:
        raise ImportFileError(
            f"Fichier SIRENE illisible en cours de lecture ({exc}) : rien n'a été "
            "écrit."
        ) from exc
    finally:
        if archive is not None:
            stream.close()
            archive.close()


_WIDTHS = {
    "siren": 9,
    "siret": 14,
    "codePostalEtablissement": 5,
    "codeCommuneEtablissement": 5,
}


def _batch_frame(batch: pa.RecordBatch) -> pd.DataFrame:
    columns = {}
    for name, array in zip(batch.schema.names, batch.columns, strict=True):
        if pa.types.is_floating(array.type) or pa.types.is_integer(array.type):
            series = array.to_pandas()
            if name.startswith("coordonnee"):
                columns[name] = series.astype("float64")
                continue
            text = series.astype("Int64").astype("string")
            if name in _WIDTHS:
                text = text.str.zfill(_WIDTHS[name])
            columns[name] = text
        else:
            columns[name] = array.cast(pa.string()).to_pandas().astype("string")
    return pd.DataFrame(columns)


def read_ess_units(data: Path | str | bytes) -> pd.DataFrame:
    """The legal units SIRENE flags as ESS, from a StockUniteLegale file.

    Parameters
    ----------
    data : path-like or bytes
        StockUniteLegale, CSV, zipped CSV or Parquet.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``siren``: ``denominationUniteLegale`` and
        ``categorieJuridiqueUniteLegale``, one row per ESS unit.

    Raises
    ------
    ImportFileError
        If the file lacks the columns of StockUniteLegale.
    """
    data = data if isinstance(data, bytes) else Path(data)
    present = _columns(data)
    missing = [c for c in _UL_REQUIRED if c not in present]
    if missing:
        raise ImportFileError(
            f"Le fichier des unités légales n'a pas les colonnes {', '.join(missing)} "
            "de StockUniteLegale (INSEE)."
        )
    wanted = [c for c in UNITE_LEGALE_COLUMNS if c in present]
    kept = []
    for frame in _batches(data, wanted):
        kept.append(frame[frame["economieSocialeSolidaireUniteLegale"] == "O"])
    units = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=wanted)
    if "denominationUniteLegale" not in units:
        units["denominationUniteLegale"] = pd.NA
    units = units.drop_duplicates("siren").set_index("siren")
    return units[["denominationUniteLegale", "categorieJuridiqueUniteLegale"]]


def _siren_numbers(values: pd.Series | pd.Index) -> np.ndarray:
    """SIRENs as integers (-1 where not 9 digits)."""
    text = pd.Series(values).astype("string")
    digits = _arrow.matches(text, r"^\d{9}$")
    numbers = np.full(len(text), -1, dtype="int64")
    if digits.any():
        numbers[digits.to_numpy()] = pc.cast(
            _arrow.arrow(text[digits]), pa.int64()
        ).to_numpy(zero_copy_only=False)
    return numbers


def _not_diffused(values: pd.Series) -> pd.Series:
    return values.where(values != _NOT_DIFFUSED)


def _coordinate(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_float_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = _not_diffused(values.astype("string"))
    try:
        numbers = pc.cast(_arrow.arrow(text), pa.float64())
        return numbers.to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return pd.to_numeric(text, errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )


def _address(frame: pd.DataFrame) -> pd.Series:
    """Number, street type (spelt out) and street name, joined."""
    parts = []
    if "numeroVoieEtablissement" in frame:
        parts.append(_arrow.arrow(frame["numeroVoieEtablissement"]))
    if "typeVoieEtablissement" in frame:
        kind = frame["typeVoieEtablissement"].astype("string").str.upper()
        spelt = _arrow.lookup(kind, _STREET_TYPES_SERIES).astype("string")
        parts.append(_arrow.arrow(spelt.fillna(kind.str.lower())))
    if "libelleVoieEtablissement" in frame:
        parts.append(_arrow.arrow(frame["libelleVoieEtablissement"]))
    if not parts:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    joined = pc.binary_join_element_wise(
        *parts, " ", null_handling="replace", null_replacement=""
    )
    text = _arrow.replace(_arrow.to_series(joined, frame.index), r"\s+", " ")
    text = text.str.strip()
    return text.where(text != "")


def _canonical(rows: pd.DataFrame) -> pd.DataFrame:
    """Kept SIRENE rows as canonical actor rows (text cells and floats)."""
    unit_name = _not_diffused(rows["denominationUniteLegale"])
    own = rows.get("denominationUsuelleEtablissement")
    if own is None:
        own = pd.Series(pd.NA, index=rows.index, dtype="string")
    if "enseigne1Etablissement" in rows:
        own = own.fillna(rows["enseigne1Etablissement"])
    own = _not_diffused(own)
    same = own.str.casefold() == unit_name.str.casefold()
    name = unit_name.where(own.isna() | same.fillna(False), unit_name + " – " + own)
    name = name.fillna(own)
    naf = rows.get("activitePrincipaleEtablissement")
    if naf is not None and "nomenclatureActivitePrincipaleEtablissement" in rows:
        nomenclature = rows["nomenclatureActivitePrincipaleEtablissement"]
        naf = naf.where(nomenclature.isna() | (nomenclature == "NAFRev2"))
    commune = rows["codeCommuneEtablissement"]
    x = rows.get("coordonneeLambertAbscisseEtablissement")
    y = rows.get("coordonneeLambertOrdonneeEtablissement")
    if x is not None and y is not None:
        lat, lon = to_wgs84(_coordinate(x), _coordinate(y), commune)
    else:
        lat = lon = np.full(len(rows), np.nan)
    tranche = rows.get("trancheEffectifsEtablissement")
    return pd.DataFrame(
        {
            "siret": rows["siret"],
            "nom": name,
            "categorie_juridique": rows["categorieJuridiqueUniteLegale"],
            "naf": naf,
            "tranche_effectif": tranche,
            "adresse": _address(rows),
            "code_postal": rows.get("codePostalEtablissement"),
            "commune": rows.get("libelleCommuneEtablissement"),
            "code_commune": commune,
            "latitude": lat,
            "longitude": lon,
            "line": rows["line"],
        }
    )


def _find_units(path: Path) -> Path | None:
    folder = path if path.is_dir() else path.parent
    found = sorted(
        p
        for p in folder.iterdir()
        if p.name.lower().startswith("stockunitelegale")
        and p.suffix.lower() in (".csv", ".zip", ".parquet")
    )
    return found[0] if found else None


def _find_establishments(folder: Path) -> Path:
    found = sorted(
        p
        for p in folder.iterdir()
        if p.name.lower().startswith("stocketablissement")
        and p.suffix.lower() in (".csv", ".zip", ".parquet")
    )
    if not found:
        raise ImportFileError(
            f"Le dossier {folder} ne contient pas de fichier StockEtablissement "
            "(.csv, .zip ou .parquet)."
        )
    return found[0]


def open_stock(
    data: Path | str | bytes,
    name: str | None = None,
    *,
    unites_legales: Path | str | bytes | None = None,
) -> Source:
    """Prepare to read the ESS establishments of SIRENE stock files.

    Parameters
    ----------
    data : path-like or bytes
        StockEtablissement (CSV, zipped CSV or Parquet), a file joining
        establishment and unit columns, or a folder holding both stock
        files.
    name : str, optional
        Name to report (default: the file's).
    unites_legales : path-like or bytes, optional
        The StockUniteLegale file; default: a ``StockUniteLegale*`` file in
        the same folder.

    Returns
    -------
    Source
        Of kind ``"sirene"``; its chunks hold canonical actor rows.

    Raises
    ------
    ImportFileError
        If the columns are not SIRENE's, or the units file is needed and
        cannot be found.
    """
    if not isinstance(data, bytes):
        data = Path(data)
        if data.is_dir():
            data = _find_establishments(data)
        name = name or data.name
    present = _columns(data)
    joined = set(_UL_REQUIRED) <= set(present)
    if not set(_ETAB_REQUIRED) <= set(present):
        if joined:
            raise ImportFileError(
                f"{name} est un fichier StockUniteLegale (unités légales) : importez "
                "le fichier StockEtablissement, qui sera joint à celui-ci."
            )
        missing = [c for c in _ETAB_REQUIRED if c not in present]
        raise ImportFileError(
            f"{name} n'a pas les colonnes SIRENE attendues ({', '.join(missing)} "
            "manquent) : attendu un fichier StockEtablissement de l'INSEE."
        )
    units_name = None
    if joined:
        units = None
    else:
        if unites_legales is None and isinstance(data, Path):
            unites_legales = _find_units(data)
        if unites_legales is None:
            raise ImportFileError(
                f"{name} est un fichier StockEtablissement : il lui faut le fichier "
                "StockUniteLegale pour savoir quelles unités sont de l'ESS. Placez "
                "StockUniteLegale (.csv, .zip ou .parquet) dans le même dossier, ou "
                "désignez-le (option --unites-legales, ou second fichier déposé)."
            )
        units_name = (
            Path(unites_legales).name
            if not isinstance(unites_legales, bytes)
            else "unités légales"
        )
        units = read_ess_units(unites_legales)
    wanted = [c for c in (*ETABLISSEMENT_COLUMNS, *_OPTIONAL_ETAB) if c in present]
    if joined:
        wanted += [c for c in UNITE_LEGALE_COLUMNS if c in present and c not in wanted]
    notes = [
        "Fichier SIRENE (StockEtablissement) : établissements ouverts des unités "
        "légales de l'ESS."
    ]
    if units is not None:
        notes.append(
            f"Unités légales de l'ESS lues dans {units_name} : {len(units):,}.".replace(
                ",", "\u202f"
            )
        )
    for label, file in ((name, data), (units_name, unites_legales)):
        if (
            file is not None
            and _encoding(file if isinstance(file, bytes) else Path(file)) == "cp1252"
        ):
            notes.append(
                f"{label} n'est pas en UTF-8 comme les fichiers de l'INSEE : lu en "
                "Windows-1252 (enregistré par un tableur ?). Vérifiez les accents."
            )
    stock = data
    # SIRENs as integers: the hash table is built once, not per chunk.
    unit_index = pd.Index(_siren_numbers(units.index)) if units is not None else None

    def read(_mapping: Mapping[str, str]) -> Iterator[Chunk]:
        offset = 2
        for frame in _batches(stock, wanted):
            count = len(frame)
            frame["line"] = np.arange(offset, offset + count)
            offset += count
            keep = (frame["etatAdministratifEtablissement"] == "A").fillna(False)
            keep = keep.to_numpy()
            if units is None:
                keep &= (
                    (frame["economieSocialeSolidaireUniteLegale"] == "O")
                    .fillna(False)
                    .to_numpy()
                )
                rows = frame[keep].reset_index(drop=True)
            else:
                where = unit_index.get_indexer(_siren_numbers(frame["siren"]))
                keep &= where >= 0
                rows = frame[keep].reset_index(drop=True)
                picked = units.iloc[where[keep]].reset_index(drop=True)
                for column in picked.columns:
                    rows[column] = picked[column]
            yield Chunk(_canonical(rows), read=count, ignored=count - len(rows))

    mapping = {
        "siret": "siret",
        "nom": "denominationUniteLegale",
        "categorie_juridique": "categorieJuridiqueUniteLegale",
        "code_commune": "codeCommuneEtablissement",
    }
    return Source(name, "sirene", tuple(present), mapping, tuple(notes), read)
