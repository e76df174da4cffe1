"""Row rules of an actor file: each row is kept clean or rejected with its reasons.

:func:`validate` takes a chunk of rows as read (text cells, canonical column
names, the file's line number of each row) and returns the rows that pass,
cleaned and typed and placed in a commune, and a French reason for each row
that does not. A rejected row is never partly kept. The same rules check an
actor typed in the Données page's form.

Rules, in the order they are reported:

- ``nom`` is required;
- ``siret``, when given, has 14 digits and a valid key (Luhn; La Poste's
  rule for SIREN 356 000 000), and appears once in the file;
- ``famille`` is one of the five familles (labels accepted); when empty it
  comes from ``categorie_juridique``, which must be a known INSEE code;
- ``naf`` has the NAF form (``88.91A``); ``effectif`` is a whole number
  ≥ 0; ``tranche_effectif`` a SIRENE band code; ``code_postal`` 5 digits;
  ``email`` looks like an address;
- coordinates are numbers, both given, in France (metropole and DROM);
  swapped latitude and longitude are detected and, if asked, put back;
- ``code_commune`` is a known commune (or an arrondissement, commune
  déléguée or associée, translated); when coordinates are given too, they
  lie within :data:`~ess_geo.placement.MAX_COMMUNE_DISTANCE_KM` of it;
- the row can be placed: commune code, else coordinates, else postal code
  and commune name (:mod:`ess_geo.placement`);
- ``reseaux`` names or ids of known networks, ``|``-separated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ess_geo import actors, geography, placement
from ess_geo.actors import TRANCHES_EFFECTIF, text_key

__all__ = [
    "FIELDS",
    "MAX_NAME_LENGTH",
    "FileState",
    "Validated",
    "ValidationContext",
    "validate",
]

FIELDS: tuple[str, ...] = (
    "siret",
    "nom",
    "categorie_juridique",
    "famille",
    "naf",
    "effectif",
    "tranche_effectif",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "latitude",
    "longitude",
    "reseaux",
    "site_web",
    "telephone",
    "email",
)
"""Fields a row may carry: the canonical actor file's columns plus
``tranche_effectif`` (SIRENE's size band)."""

MAX_NAME_LENGTH = 300
"""Longest accepted name, in characters."""

_FAMILY_CHOICES = (
    "association",
    "coopérative",
    "mutuelle",
    "fondation",
    "société commerciale de l'ESS",
)
_NAF = re.compile(r"^(\d{2})\.?(\d{2}[A-Z])$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"[\x00-\x1f\x7f\s]+")


@dataclass(frozen=True)
class ValidationContext:
    """What rows are checked against, besides the geography.

    Parameters
    ----------
    networks : pandas.DataFrame
        The workspace's networks: ``id`` and ``nom`` columns. A ``reseaux``
        entry names one by id or by name (case, accents and punctuation
        ignored).
    fix_swapped : bool, default False
        Put back latitude and longitude found swapped, instead of rejecting.
    ess_unit : bool, default False
        Rows come from units SIRENE flags as ESS: a legal form that implies
        no famille (a SAS) makes a société commerciale de l'ESS.
    """

    networks: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"id": [], "nom": []})
    )
    fix_swapped: bool = False
    ess_unit: bool = False

    def network_lookup(self) -> dict[str, int]:
        """Network name key or id (as text) -> network id."""
        lookup = {
            text_key(n): int(i)
            for i, n in zip(self.networks["id"], self.networks["nom"], strict=True)
        }
        lookup.update({str(int(i)): int(i) for i in self.networks["id"]})
        return lookup


@dataclass
class FileState:
    """What earlier chunks of the same file left: SIRETs seen, and on which line."""

    sirets: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))

    def remember(self, sirets: pd.Series, lines: pd.Series) -> None:
        """Add the SIRETs of accepted rows (index: SIRET, value: line)."""
        new = pd.Series(lines.to_numpy(), index=sirets.to_numpy())
        self.sirets = pd.concat([self.sirets, new]) if len(self.sirets) else new


@dataclass
class Validated:
    """The outcome for one chunk.

    Attributes
    ----------
    rows : pandas.DataFrame
        Accepted rows, cleaned: :data:`FIELDS` (``reseaux`` as a list of
        network ids), ``placement`` and ``line``.
    rejected : pandas.DataFrame
        ``line`` and ``reason`` (French, every problem of the row).
    swapped : int
        Rows whose latitude and longitude were swapped (fixed or rejected).
    """

    rows: pd.DataFrame
    rejected: pd.DataFrame
    swapped: int = 0


def _quote(values: pd.Series, width: int = 60) -> pd.Series:
    text = values.astype("string")
    long = text.str.len() > width
    text = text.where(~long, text.str[: width - 1] + "…")
    return "« " + text + " »"


class _Problems:
    """Reasons accumulated per row."""

    def __init__(self, index: pd.Index) -> None:
        self.reasons = pd.Series("", index=index, dtype="string")

    def add(
        self,
        mask: pd.Series | np.ndarray,
        message: str | pd.Series | Callable[[pd.Series], pd.Series],
    ) -> None:
        """Add ``message`` to the rows of ``mask``.

        ``message`` is a text, a Series aligned on the rows, or a function
        of the mask returning the messages of the masked rows (so that they
        are only built when some row fails).
        """
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.reasons.index)
        if not mask.any():
            return
        if callable(message):
            text = message(mask)
        elif isinstance(message, pd.Series):
            text = message[mask]
        else:
            text = message
        current = self.reasons[mask]
        self.reasons[mask] = current.where(current == "", current + " ; ") + text

    @property
    def failed(self) -> pd.Series:
        return self.reasons != ""


def _clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text, control characters removed, whitespace collapsed; NA if empty."""
    text = values.astype("string").str.replace(_SPACES, " ", regex=True).str.strip()
    return text.where(text != "")


def _parse_float(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers written with ``.`` or ``,``; and the mask of unreadable cells."""
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    text = text.where(text != "")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & (numbers.isna() | ~np.isfinite(numbers.fillna(0)))
    return numbers.astype("float64"), bad


def _famille(
    frame: pd.DataFrame, problems: _Problems, ess_unit: bool
) -> tuple[pd.Series, pd.Series]:
    """The famille code and the catégorie juridique of each row."""
    raw_famille = _clean_text(frame["famille"])
    cj = _clean_text(frame["categorie_juridique"])
    # A 4-digit "famille" (a column "forme juridique" holding codes) is a
    # catégorie juridique.
    digits_in_famille = raw_famille.str.fullmatch(r"\d{4}").fillna(False).astype(bool)
    cj = cj.where(~(cj.isna() & digits_in_famille), raw_famille)
    raw_famille = raw_famille.where(~digits_in_famille)

    uniques = raw_famille.dropna().unique()
    known = pd.Series({v: actors.normalise_famille(v) for v in uniques}, dtype=object)
    famille = raw_famille.map(known).astype("string") if len(known) else raw_famille
    unknown_famille = raw_famille.notna() & famille.isna()
    problems.add(
        unknown_famille,
        "famille "
        + _quote(raw_famille)
        + " inconnue (attendu : "
        + ", ".join(_FAMILY_CHOICES)
        + ")",
    )

    table = actors.categories_juridiques()
    cj_shaped = cj.str.fullmatch(r"\d{4}").fillna(False).astype(bool)
    problems.add(
        cj.notna() & ~cj_shaped,
        "catégorie juridique " + _quote(cj) + " : code INSEE à 4 chiffres attendu",
    )
    cj_known = cj.isin(table.index)
    problems.add(
        cj_shaped & ~cj_known,
        "catégorie juridique "
        + _quote(cj)
        + " inconnue de la nomenclature INSEE (niveau III)",
    )
    implied = cj.map(table["famille_ess"]).replace("", pd.NA).astype("string")
    if ess_unit:
        implied = implied.where(~(cj_known & implied.isna()), "societe_commerciale")
    needs = raw_famille.isna()
    famille = famille.where(~needs, implied)
    label = cj.map(table["libelle"]).astype("string")
    problems.add(
        needs & cj_known & implied.isna(),
        "famille absente, et la catégorie juridique "
        + cj
        + " ("
        + label
        + ") ne la détermine pas : indiquez la famille "
        "(par exemple « société commerciale de l'ESS »)",
    )
    problems.add(
        needs & cj.isna(),
        "famille absente : renseignez la famille ou la catégorie juridique",
    )
    return famille, cj.where(cj_known)


def _coordinates(
    frame: pd.DataFrame, problems: _Problems, fix_swapped: bool
) -> tuple[np.ndarray, np.ndarray, int]:
    lat, bad_lat = _parse_float(frame["latitude"])
    lon, bad_lon = _parse_float(frame["longitude"])
    problems.add(bad_lat, "latitude " + _quote(frame["latitude"]) + " : nombre attendu")
    problems.add(
        bad_lon, "longitude " + _quote(frame["longitude"]) + " : nombre attendu"
    )
    lat = lat.where(~bad_lat)
    lon = lon.where(~bad_lon)
    only_one = lat.isna() ^ lon.isna()
    problems.add(
        only_one & ~(bad_lat | bad_lon),
        "latitude et longitude vont ensemble : une seule est renseignée",
    )
    lat_a, lon_a = lat.to_numpy(), lon.to_numpy()
    both = ~(np.isnan(lat_a) | np.isnan(lon_a))
    inside = placement.in_france(lat_a, lon_a)
    swapped = both & ~inside & placement.in_france(lon_a, lat_a)
    text = (
        "(" + lat.round(5).astype("string") + ", " + lon.round(5).astype("string") + ")"
    )
    if fix_swapped:
        lat_a, lon_a = np.where(swapped, lon_a, lat_a), np.where(swapped, lat_a, lon_a)
    else:
        problems.add(
            swapped,
            "latitude et longitude inversées "
            + text
            + " : corrigez le fichier, ou demandez la correction automatique "
            "(case à cocher de la page Données, option --fix-swapped)",
        )
    problems.add(
        both & ~inside & ~swapped,
        "coordonnées " + text + " hors de France (métropole et DROM)",
    )
    keep = both & (inside | (swapped & fix_swapped))
    lat_a = np.where(keep, lat_a, np.nan)
    lon_a = np.where(keep, lon_a, np.nan)
    return lat_a, lon_a, int(swapped.sum())


def _place(
    frame: pd.DataFrame,
    problems: _Problems,
    lat: np.ndarray,
    lon: np.ndarray,
    code_postal: pd.Series,
    commune_name: pd.Series,
) -> tuple[pd.Series, np.ndarray, np.ndarray, pd.Series]:
    """Commune code, position and placement method of each row."""
    written = placement.normalise_commune_code(frame["code_commune"])
    code = placement.resolve_commune_code(written)
    problems.add(
        written.notna() & code.isna(),
        "code commune "
        + _quote(frame["code_commune"])
        + " inconnu (code INSEE à 5 caractères attendu, par exemple 29019)",
    )
    has_point = ~(np.isnan(lat) | np.isnan(lon))
    at_point = placement.commune_at(lat, lon)
    at_point.index = frame.index

    # Code and coordinates both given: they must agree within a few km.
    check = (
        code.notna().to_numpy() & has_point & (at_point != code).fillna(True).to_numpy()
    )
    if check.any():
        distance = placement.distance_to_commune_km(
            lat[check], lon[check], code[check].reset_index(drop=True)
        )
        far = np.zeros(len(frame), dtype=bool)
        far[np.flatnonzero(check)] = distance > placement.MAX_COMMUNE_DISTANCE_KM
        if far.any():
            names = geography.communes()["nom"]
            km = pd.Series(np.nan, index=frame.index)
            km[check] = distance
            problems.add(
                far,
                "la commune "
                + code.astype("string")
                + " ("
                + code.map(names).astype("string")
                + ") est à "
                + km.round(1).astype("string").str.replace(".", ",", regex=False)
                + " km des coordonnées : l'un des deux est faux",
            )

    by_code = code.notna()
    by_point = ~by_code & pd.Series(has_point, index=frame.index)
    problems.add(
        by_point & at_point.isna(),
        "coordonnées hors de toute commune (en mer, ou à l'étranger près de la "
        "frontière ?)",
    )
    coordinates_given = frame["latitude"].notna() | frame["longitude"].notna()
    postal_needed = ~by_code & ~by_point & written.isna()
    from_postal = pd.Series(pd.NA, index=frame.index, dtype="string")
    if (postal_needed & code_postal.notna()).any():
        subset = postal_needed & code_postal.notna()
        found, reasons = placement.commune_from_postal_code(
            code_postal[subset], commune_name[subset]
        )
        from_postal[subset] = found
        problems.add(
            subset & from_postal.isna(),
            reasons.reindex(frame.index).fillna(""),
        )
    problems.add(
        postal_needed & code_postal.isna() & ~coordinates_given,
        "impossible de placer l'acteur : renseignez code_commune, ou latitude et "
        "longitude, ou code_postal et commune",
    )

    commune = code.fillna(at_point.where(by_point)).fillna(from_postal)
    method = pd.Series(pd.NA, index=frame.index, dtype="string")
    method[by_code] = "commune"
    method[by_point] = "coordonnees"
    method[from_postal.notna()] = "code_postal"
    # Keep the actor's own coordinates; else a fixed point of its commune.
    point_lat, point_lon = placement.commune_points(commune)
    out_lat = np.where(has_point, lat, point_lat)
    out_lon = np.where(has_point, lon, point_lon)
    method[has_point] = "coordonnees"
    return commune, out_lat, out_lon, method


def _networks(
    values: pd.Series, problems: _Problems, lookup: dict[str, int]
) -> pd.Series:
    """Network ids of each row's ``reseaux`` cell (empty list when none)."""
    out = pd.Series([[] for _ in range(len(values))], index=values.index, dtype=object)
    given = values.dropna()
    given = given[given.str.strip() != ""]
    unknown_rows: dict[object, list[str]] = {}
    for row, cell in given.items():
        ids = []
        for part in str(cell).split("|"):
            name = part.strip()
            if not name:
                continue
            found = lookup.get(text_key(name))
            if found is None:
                unknown_rows.setdefault(row, []).append(name)
            elif found not in ids:
                ids.append(found)
        out[row] = ids
    if unknown_rows:
        messages = pd.Series(
            {
                row: "réseau(x) inconnu(s) : "
                + ", ".join(f"« {n[:60]} »" for n in names)
                + " (créez le réseau d'abord, ou corrigez le nom ou l'identifiant)"
                for row, names in unknown_rows.items()
            },
            dtype="string",
        )
        problems.add(values.index.isin(messages.index), messages.reindex(values.index))
    return out


def validate(
    chunk: pd.DataFrame,
    context: ValidationContext | None = None,
    state: FileState | None = None,
) -> Validated:
    """Check and clean a chunk of rows.

    Parameters
    ----------
    chunk : pandas.DataFrame
        Text cells (missing when empty) in columns among :data:`FIELDS`
        (absent columns count as empty), and ``line``: the row's line in the
        file (header = 1).
    context : ValidationContext, optional
        Networks, options; default: no network, no fix.
    state : FileState, optional
        SIRETs seen in earlier chunks of the same file; updated in place.

    Returns
    -------
    Validated
    """
    context = context or ValidationContext()
    state = state if state is not None else FileState()
    frame = chunk.reset_index(drop=True)
    for name in FIELDS:
        if name not in frame:
            frame[name] = pd.Series(pd.NA, index=frame.index, dtype="string")
    lines = frame["line"].astype("int64")
    problems = _Problems(frame.index)

    nom = _clean_text(frame["nom"])
    problems.add(nom.isna(), "nom vide")
    problems.add(
        nom.str.len().fillna(0) > MAX_NAME_LENGTH,
        f"nom trop long (plus de {MAX_NAME_LENGTH} caractères)",
    )

    siret = frame["siret"].astype("string").str.replace(r"[\s.\-]", "", regex=True)
    siret = siret.where(siret != "")
    shaped = (siret.str.len() == 14) & siret.str.isdigit()
    shaped = shaped.fillna(False).astype(bool)
    problems.add(
        siret.notna() & ~shaped,
        "SIRET "
        + _quote(frame["siret"])
        + " : 14 chiffres attendus ("
        + siret.str.len().astype("string")
        + " caractères lus)",
    )
    bad_key = shaped & ~actors.sirets_valid(siret.where(shaped))
    problems.add(
        bad_key, "SIRET " + _quote(siret) + " : clé de contrôle invalide (Luhn)"
    )
    valid_siret = shaped & ~bad_key
    earlier_in_chunk = siret.where(valid_siret).duplicated(keep="first") & valid_siret
    first_line = pd.Series(lines.to_numpy(), index=siret.where(valid_siret).to_numpy())
    first_line = first_line[~first_line.index.duplicated()]
    seen_before = siret.map(state.sirets) if len(state.sirets) else None
    dup_line = siret.map(first_line).where(earlier_in_chunk)
    if seen_before is not None:
        dup_line = seen_before.where(valid_siret & seen_before.notna(), dup_line)
    problems.add(
        dup_line.notna(),
        "SIRET déjà présent ligne " + dup_line.astype("Int64").astype("string"),
    )

    famille, cj = _famille(frame, problems, context.ess_unit)

    naf_text = frame["naf"].astype("string").str.strip().str.upper()
    naf_text = naf_text.where(naf_text != "")
    naf_parts = naf_text.str.extract(_NAF)
    naf = (naf_parts[0] + "." + naf_parts[1]).astype("string")
    problems.add(
        naf_text.notna() & naf.isna(),
        "code NAF " + _quote(frame["naf"]) + " invalide (forme 88.91A attendue)",
    )

    effectif_text = (
        frame["effectif"]
        .astype("string")
        .str.replace(r"[\s\u00a0\u202f]", "", regex=True)
        .str.replace(",", ".", regex=False)
    )
    effectif_text = effectif_text.where(effectif_text != "")
    effectif_num = pd.to_numeric(effectif_text, errors="coerce")
    bad_effectif = effectif_text.notna() & (
        effectif_num.isna() | (effectif_num < 0) | (effectif_num % 1 != 0)
    ).fillna(True)
    problems.add(
        bad_effectif,
        "effectif "
        + _quote(frame["effectif"])
        + " : nombre entier de salariés attendu (0 si aucun)",
    )
    effectif = effectif_num.where(~bad_effectif).round().astype("Int64")

    tranche = frame["tranche_effectif"].astype("string").str.strip().str.upper()
    tranche = tranche.where(tranche != "")
    problems.add(
        tranche.notna() & ~tranche.isin(list(TRANCHES_EFFECTIF)),
        "tranche d'effectif "
        + _quote(frame["tranche_effectif"])
        + " inconnue (codes SIRENE NN, 00, 01 … 53)",
    )

    code_postal = frame["code_postal"].astype("string").str.strip()
    code_postal = code_postal.where(
        code_postal.str.len() != 4, code_postal.str.zfill(5)
    )
    code_postal = code_postal.where(code_postal != "")
    problems.add(
        code_postal.notna() & ~code_postal.str.fullmatch(r"\d{5}").fillna(False),
        "code postal " + _quote(frame["code_postal"]) + " : 5 chiffres attendus",
    )
    code_postal = code_postal.where(code_postal.str.fullmatch(r"\d{5}").fillna(False))

    email = _clean_text(frame["email"])
    problems.add(
        email.notna() & ~email.str.fullmatch(_EMAIL).fillna(False),
        "courriel " + _quote(frame["email"]) + " invalide",
    )

    commune_name = _clean_text(frame["commune"])
    lat, lon, swapped = _coordinates(frame, problems, context.fix_swapped)
    code_commune, lat, lon, method = _place(
        frame, problems, lat, lon, code_postal, commune_name
    )
    reseaux = _networks(frame["reseaux"], problems, context.network_lookup())

    clean = pd.DataFrame(
        {
            "siret": siret.where(valid_siret),
            "nom": nom,
            "categorie_juridique": cj,
            "famille": famille,
            "naf": naf,
            "effectif": effectif,
            "tranche_effectif": tranche,
            "adresse": _clean_text(frame["adresse"]),
            "code_postal": code_postal,
            "commune": commune_name,
            "code_commune": code_commune,
            "latitude": lat,
            "longitude": lon,
            "reseaux": reseaux,
            "site_web": _clean_text(frame["site_web"]),
            "telephone": _clean_text(frame["telephone"]),
            "email": email,
            "placement": method,
            "line": lines,
        }
    )
    failed = problems.failed.to_numpy()
    accepted = clean[~failed].reset_index(drop=True)
    first = valid_siret & dup_line.isna()
    state.remember(siret[first], lines[first])
    rejected = pd.DataFrame(
        {
            "line": lines[failed].to_numpy(),
            "reason": problems.reasons[failed].to_numpy(dtype=object),
        }
    )
    return Validated(accepted, rejected, swapped)
