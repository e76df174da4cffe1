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
  lie within :data:`~ess_geo.io.placement.MAX_COMMUNE_DISTANCE_KM` of it;
- the row can be placed: commune code, else coordinates, else postal code
  and commune name (:mod:`ess_geo.io.placement`);
- ``reseaux`` names or ids of known networks, ``|``-separated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ess_geo import _arrow, actors, formats
from ess_geo.actors import ACTOR_COLUMNS, TRANCHES_EFFECTIF, text_key
from ess_geo.geo import geography
from ess_geo.io import placement

__all__ = [
    "EMAIL_PATTERN",
    "FIELDS",
    "MAX_EFFECTIF",
    "MAX_NAME_LENGTH",
    "FileState",
    "Validated",
    "ValidationContext",
    "validate",
]

FIELDS: tuple[str, ...] = ACTOR_COLUMNS
"""Fields a row may carry: the canonical actor file's columns plus
``tranche_effectif`` (SIRENE's size band)."""

MAX_EFFECTIF = 1_000_000
"""Salaried jobs one establishment may declare; beyond, the row is refused (a
typo: France's largest employer site counts a few tens of thousands)."""

MAX_NAME_LENGTH = 300
"""Longest accepted name, in characters."""

_FAMILY_CHOICES = (
    "association",
    "coopérative",
    "mutuelle",
    "fondation",
    "société commerciale de l'ESS",
)
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_PATTERN = _EMAIL
"""What an e-mail address must look like (a regular expression)."""
_SPACES = r"[\x00-\x1f\x7f\s]+"
_MESSY = r"[\x00-\x1f\x7f]|\s\s"


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
    stored_sirets : pandas.Index of str, default empty
        SIRETs of actors already in the workspace. A row with one of them
        updates that actor: it needs no famille nor commune of its own.
    """

    networks: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"id": [], "nom": []})
    )
    fix_swapped: bool = False
    ess_unit: bool = False
    stored_sirets: pd.Index = field(
        default_factory=lambda: pd.Index([], dtype="string")
    )

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
    """What earlier chunks of the same file left: SIRETs seen, and on which line.

    SIRETs are kept as sorted integers (8 bytes each), so that a file of
    millions of rows stays cheap to check.
    """

    sirets: np.ndarray = field(default_factory=lambda: np.empty(0, dtype="int64"))
    lines: np.ndarray = field(default_factory=lambda: np.empty(0, dtype="int64"))

    def remember(self, sirets: pd.Series, lines: pd.Series) -> None:
        """Add first occurrences of valid SIRETs (14-digit texts) and their lines."""
        numbers = _siret_numbers(sirets)
        merged = np.concatenate([self.sirets, numbers])
        order = np.argsort(merged, kind="stable")
        self.sirets = merged[order]
        self.lines = np.concatenate([self.lines, lines.to_numpy(dtype="int64")])[order]

    def first_lines(self, sirets: pd.Series) -> pd.Series:
        """Line where each SIRET was seen before (missing when never)."""
        found = np.full(len(sirets), -1, dtype="int64")
        given = sirets.notna().to_numpy()
        if len(self.sirets) and given.any():
            numbers = _siret_numbers(sirets[given])
            where = np.searchsorted(self.sirets, numbers).clip(max=len(self.sirets) - 1)
            hit = self.sirets[where] == numbers
            found[given] = np.where(hit, self.lines[where], -1)
        return pd.Series(found, index=sirets.index, dtype="Int64").where(found >= 0)


def _siret_numbers(sirets: pd.Series) -> np.ndarray:
    """14-digit texts as integers."""
    return (
        pc.cast(_arrow.arrow(sirets), pa.int64()).to_numpy(zero_copy_only=False)
        if len(sirets)
        else np.empty(0, dtype="int64")
    )


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


class _Quoted:
    """A column whose values a message quotes (« … », shortened)."""

    def __init__(self, values: pd.Series, width: int = 60) -> None:
        self.values = values
        self.width = width

    def __call__(self, mask: pd.Series) -> pd.Series:
        text = self.values[mask].astype("string")
        long = text.str.len() > self.width
        text = text.where(~long, text.str[: self.width - 1] + "…")
        return "« " + text + " »"


_Part = str | pd.Series | _Quoted


class _Problems:
    """Reasons accumulated per row."""

    def __init__(self, index: pd.Index) -> None:
        self.reasons = pd.Series("", index=index, dtype="string")

    def add(self, mask: pd.Series | np.ndarray, *parts: _Part) -> None:
        """Add a message to the rows of ``mask``.

        The message is the concatenation of ``parts``: texts, columns
        (aligned on the rows) and quoted columns. It is only built for the
        rows that fail, and only when some do.
        """
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.reasons.index)
        if not mask.any():
            return
        text = pd.Series("", index=self.reasons.index[mask], dtype="string")
        for part in parts:
            if isinstance(part, _Quoted):
                text = text + part(mask)
            elif isinstance(part, pd.Series):
                text = text + part[mask].astype("string")
            else:
                text = text + part
        current = self.reasons[mask]
        self.reasons[mask] = current.where(current == "", current + " ; ") + text

    @property
    def failed(self) -> pd.Series:
        return self.reasons != ""


def _clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text, control characters removed, whitespace collapsed; NA if empty."""
    text = values.astype("string")
    array = _arrow.arrow(text)
    messy = pc.fill_null(pc.match_substring_regex(array, _MESSY), False)
    if pc.any(messy).as_py():
        cleaned = pc.replace_substring_regex(array, _SPACES, " ")
        text = _arrow.to_series(pc.if_else(messy, cleaned, array), values.index)
    text = text.str.strip()
    return text.where(text != "")


def _parse_float(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers written with ``.`` or ``,``; and the mask of unreadable cells."""
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.astype("float64")
        return numbers, pd.Series(~np.isfinite(numbers.fillna(0)), index=values.index)
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    text = text.where(text != "")
    try:
        numbers = _arrow.to_series(
            pc.cast(_arrow.arrow(text), pa.float64()), values.index
        ).astype("float64")
    except pa.ArrowInvalid:
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = text.notna() & (numbers.isna() | ~np.isfinite(numbers.fillna(0)))
    return numbers, bad


def _famille(
    frame: pd.DataFrame, problems: _Problems, ess_unit: bool, update: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """The famille code and the catégorie juridique of each row."""
    raw_famille = _clean_text(frame["famille"])
    cj = _clean_text(frame["categorie_juridique"])
    # A 4-digit "famille" (a column "forme juridique" holding codes) is a
    # catégorie juridique.
    digits_in_famille = _arrow.matches(raw_famille, r"^\d{4}$")
    cj = cj.where(~(cj.isna() & digits_in_famille), raw_famille)
    raw_famille = raw_famille.where(~digits_in_famille)

    uniques = raw_famille.dropna().unique()
    known = pd.Series({v: actors.normalise_famille(v) for v in uniques}, dtype=object)
    famille = raw_famille.map(known).astype("string") if len(known) else raw_famille
    problems.add(
        raw_famille.notna() & famille.isna(),
        "famille ",
        _Quoted(raw_famille),
        f" inconnue (attendu : {', '.join(_FAMILY_CHOICES)})",
    )

    table = actors.categories_juridiques()
    cj_shaped = _arrow.matches(cj, r"^\d{4}$")
    problems.add(
        cj.notna() & ~cj_shaped,
        "catégorie juridique ",
        _Quoted(cj),
        " : code INSEE à 4 chiffres attendu",
    )
    implied = _arrow.lookup(cj, table["famille_ess"]).astype("string")
    cj_known = implied.notna()
    implied = implied.where(implied != "")
    problems.add(
        cj_shaped & ~cj_known,
        "catégorie juridique ",
        _Quoted(cj),
        " inconnue de la nomenclature INSEE (niveau III)",
    )
    if ess_unit:
        implied = implied.where(~(cj_known & implied.isna()), "societe_commerciale")
    needs = raw_famille.isna()
    famille = famille.where(~needs, implied)
    problems.add(
        needs & cj_known & implied.isna(),
        "famille absente, et la catégorie juridique ",
        cj,
        " (",
        _arrow.lookup(cj, table["libelle"]),
        ") ne la détermine pas : indiquez la famille "
        "(par exemple « société commerciale de l'ESS »)",
    )
    problems.add(
        needs & cj.isna() & ~update,
        "famille absente : renseignez la famille ou la catégorie juridique",
    )
    return famille, cj.where(cj_known)


def _point_text(lat: pd.Series, lon: pd.Series) -> pd.Series:
    return (
        "(" + lat.round(5).astype("string") + ", " + lon.round(5).astype("string") + ")"
    )


def _coordinates(
    frame: pd.DataFrame, problems: _Problems, fix_swapped: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked coordinates, and which rows had them swapped."""
    lat, bad_lat = _parse_float(frame["latitude"])
    lon, bad_lon = _parse_float(frame["longitude"])
    problems.add(bad_lat, "latitude ", _Quoted(frame["latitude"]), " : nombre attendu")
    problems.add(
        bad_lon, "longitude ", _Quoted(frame["longitude"]), " : nombre attendu"
    )
    lat = lat.where(~bad_lat)
    lon = lon.where(~bad_lon)
    problems.add(
        (lat.isna() ^ lon.isna()) & ~(bad_lat | bad_lon),
        "latitude et longitude vont ensemble : une seule est renseignée",
    )
    lat_a, lon_a = lat.to_numpy(), lon.to_numpy()
    both = ~(np.isnan(lat_a) | np.isnan(lon_a))
    inside = placement.in_france(lat_a, lon_a)
    swapped = both & ~inside & placement.in_france(lon_a, lat_a)
    outside = both & ~inside & ~swapped
    if outside.any():
        problems.add(
            outside,
            "coordonnées ",
            _point_text(lat, lon),
            " hors de France (métropole et DROM)",
        )
    if fix_swapped:
        lat_a, lon_a = np.where(swapped, lon_a, lat_a), np.where(swapped, lat_a, lon_a)
    elif swapped.any():
        problems.add(
            swapped,
            "latitude et longitude inversées ",
            _point_text(lat, lon),
            " : corrigez le fichier, ou demandez la correction automatique "
            "(case à cocher de la page Données, option --fix-swapped)",
        )
    keep = both & (inside | (swapped & fix_swapped))
    lat_a = np.where(keep, lat_a, np.nan)
    lon_a = np.where(keep, lon_a, np.nan)
    return lat_a, lon_a, swapped


def _place(
    frame: pd.DataFrame,
    problems: _Problems,
    lat: np.ndarray,
    lon: np.ndarray,
    code_postal: pd.Series,
    commune_name: pd.Series,
    update: pd.Series,
) -> tuple[pd.Series, np.ndarray, np.ndarray, pd.Series]:
    """Commune code, position and placement method of each row."""
    index = frame.index
    written = placement.normalise_commune_code(frame["code_commune"])
    code = placement.resolve_commune_code(written)
    problems.add(
        written.notna() & code.isna(),
        "code commune ",
        _Quoted(frame["code_commune"]),
        " inconnu (code INSEE à 5 caractères attendu, par exemple 29019)",
    )
    has_point = pd.Series(~(np.isnan(lat) | np.isnan(lon)), index=index)
    by_code = code.notna()
    by_point = ~by_code & has_point

    # Code and coordinates both given: they must agree within a few km.
    check = (by_code & has_point).to_numpy()
    if check.any():
        distance = placement.distance_to_commune_km(
            lat[check], lon[check], code[check].reset_index(drop=True)
        )
        km = pd.Series(np.nan, index=index)
        km[check] = distance
        far = (km > placement.MAX_COMMUNE_DISTANCE_KM).to_numpy()
        problems.add(
            far,
            "la commune ",
            code,
            " (",
            _arrow.lookup(code, geography.communes()["nom"]),
            ") est à ",
            km.round(1).astype("string").str.replace(".", ",", regex=False),
            " km des coordonnées : l'un des deux est faux",
        )

    at_point = pd.Series(pd.NA, index=index, dtype="string")
    if by_point.any():
        found = placement.commune_at(lat[by_point], lon[by_point])
        at_point[by_point] = found.to_numpy()
    problems.add(
        by_point & at_point.isna(),
        "coordonnées hors de toute commune (en mer, ou à l'étranger près de la "
        "frontière ?)",
    )
    coordinates_given = frame["latitude"].notna() | frame["longitude"].notna()
    postal_needed = ~by_code & ~by_point & written.isna()
    from_postal = pd.Series(pd.NA, index=index, dtype="string")
    subset = postal_needed & code_postal.notna()
    if subset.any():
        found, reasons = placement.commune_from_postal_code(
            code_postal[subset], commune_name[subset]
        )
        from_postal[subset] = found
        problems.add(subset & from_postal.isna(), reasons.reindex(index))
    problems.add(
        postal_needed & code_postal.isna() & ~coordinates_given & ~update,
        "impossible de placer l'acteur : renseignez code_commune, ou latitude et "
        "longitude, ou code_postal et commune",
    )

    commune = code.fillna(at_point).fillna(from_postal)
    method = pd.Series(pd.NA, index=index, dtype="string")
    method[by_code] = "commune"
    method[from_postal.notna()] = "code_postal"
    method[has_point] = "coordonnees"
    # Keep the actor's own coordinates; else a fixed point of its commune.
    point_lat, point_lon = placement.commune_points(commune)
    out_lat = np.where(has_point, lat, point_lat)
    out_lon = np.where(has_point, lon, point_lon)
    return commune, out_lat, out_lon, method


def _networks(
    values: pd.Series, problems: _Problems, lookup: dict[str, int]
) -> pd.Series:
    """Network ids of each row's ``reseaux`` cell (missing when none)."""
    out = pd.Series(None, index=values.index, dtype=object)
    given = values.dropna()
    given = given[given.str.strip() != ""]
    unknown: dict[object, str] = {}
    for row, cell in given.items():
        ids, missing = [], []
        for part in str(cell).split("|"):
            name = part.strip()
            if not name:
                continue
            found = lookup.get(text_key(name))
            if found is None:
                missing.append(f"« {name[:60]} »")
            elif found not in ids:
                ids.append(found)
        out[row] = ids
        if missing:
            unknown[row] = ", ".join(missing)
    if unknown:
        names = pd.Series(unknown, dtype="string").reindex(values.index)
        problems.add(
            names.notna(),
            "réseau(x) inconnu(s) : ",
            names,
            " (créez le réseau d'abord, ou corrigez le nom ou l'identifiant)",
        )
    return out


def _siret(
    frame: pd.DataFrame, lines: pd.Series, problems: _Problems, state: FileState
) -> tuple[pd.Series, pd.Series]:
    """Cleaned SIRETs, and which rows carry a valid one."""
    siret = frame["siret"].astype("string")
    spaced = _arrow.matches(siret, r"[\s.\-]")
    if spaced.any():
        siret = siret.where(~spaced, _arrow.replace(siret, r"[\s.\-]", ""))
    siret = siret.where(siret != "")
    shaped = _arrow.matches(siret, r"^\d{14}$")
    problems.add(
        siret.notna() & ~shaped,
        "SIRET ",
        _Quoted(frame["siret"]),
        " : 14 chiffres attendus (",
        siret.str.len(),
        " caractères lus)",
    )
    null_siren = shaped & siret.str.startswith("000000000").fillna(False)
    problems.add(
        null_siren,
        "SIRET ",
        _Quoted(siret),
        " : numéro SIREN nul (000 000 000), SIRET fictif",
    )
    bad_key = shaped & ~null_siren & ~actors.sirets_valid(siret.where(shaped))
    problems.add(
        bad_key, "SIRET ", _Quoted(siret), " : clé de contrôle invalide (Luhn)"
    )
    valid = shaped & ~bad_key & ~null_siren
    candidates = siret.where(valid)
    repeated = candidates.duplicated(keep="first") & valid
    dup_line = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    if repeated.any():
        first_line = pd.Series(lines.to_numpy(), index=candidates.to_numpy())
        first_line = first_line[~first_line.index.duplicated()]
        dup_line = candidates.map(first_line).where(repeated).astype("Int64")
    seen = state.first_lines(candidates)
    dup_line = seen.where(seen.notna(), dup_line)
    problems.add(dup_line.notna(), "SIRET déjà présent ligne ", dup_line)
    state.remember(candidates[valid & dup_line.isna()], lines[valid & dup_line.isna()])
    return siret, valid


def _naf(frame: pd.DataFrame, problems: _Problems) -> pd.Series:
    text = frame["naf"].astype("string").str.strip().str.upper()
    text = text.where(text != "")
    dotted = _arrow.matches(text, r"^\d{2}\.\d{2}[A-Z]$")
    compact = _arrow.matches(text, r"^\d{4}[A-Z]$")
    naf = text.where(dotted, text.str[:2] + "." + text.str[2:]).where(dotted | compact)
    problems.add(
        text.notna() & naf.isna(),
        "code NAF ",
        _Quoted(frame["naf"]),
        " invalide (forme 88.91A attendue)",
    )
    return naf


def _effectif(frame: pd.DataFrame, problems: _Problems) -> pd.Series:
    text = frame["effectif"].astype("string")
    if text.isna().all():
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    text = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(
        ",", ".", regex=False
    )
    text = text.where(text != "")
    # float64: a number beyond 2**63 stays a (huge) number instead of wrapping
    number = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = text.notna() & (number.isna() | (number < 0) | (number % 1 != 0)).fillna(True)
    problems.add(
        bad,
        "effectif ",
        _Quoted(frame["effectif"]),
        " : nombre entier de salariés attendu (0 si aucun)",
    )
    huge = ~bad & (number > MAX_EFFECTIF).fillna(False)
    problems.add(
        huge,
        "effectif ",
        _Quoted(frame["effectif"]),
        f" : plus de {formats.number(MAX_EFFECTIF)} salariés dans un établissement, "
        "invraisemblable (coquille ?)",
    )
    return number.where(~bad & ~huge).round().astype("Int64")


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
        (absent columns count as empty; coordinates may also be floats), and
        ``line``: the row's line in the file (header = 1).
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
    siret, valid_siret = _siret(frame, lines, problems, state)
    update = (
        pd.Series(
            ~np.isnan(_arrow.positions(siret, context.stored_sirets)), index=frame.index
        )
        & valid_siret
    )
    famille, cj = _famille(frame, problems, context.ess_unit, update)
    naf = _naf(frame, problems)
    effectif = _effectif(frame, problems)

    tranche = frame["tranche_effectif"].astype("string").str.strip().str.upper()
    tranche = tranche.where(tranche != "")
    problems.add(
        tranche.notna() & ~tranche.isin(list(TRANCHES_EFFECTIF)),
        "tranche d'effectif ",
        _Quoted(frame["tranche_effectif"]),
        " inconnue (codes SIRENE NN, 00, 01 … 53)",
    )

    code_postal = frame["code_postal"].astype("string").str.strip()
    code_postal = code_postal.where(
        code_postal.str.len() != 4, code_postal.str.zfill(5)
    )
    code_postal = code_postal.where(code_postal != "")
    postal_ok = _arrow.matches(code_postal, r"^\d{5}$")
    problems.add(
        code_postal.notna() & ~postal_ok,
        "code postal ",
        _Quoted(frame["code_postal"]),
        " : 5 chiffres attendus",
    )
    code_postal = code_postal.where(postal_ok)

    email = _clean_text(frame["email"])
    problems.add(
        email.notna() & ~_arrow.matches(email, _EMAIL),
        "courriel ",
        _Quoted(frame["email"]),
        " invalide",
    )

    commune_name = _clean_text(frame["commune"])
    lat, lon, swapped = _coordinates(frame, problems, context.fix_swapped)
    code_commune, lat, lon, method = _place(
        frame, problems, lat, lon, code_postal, commune_name, update
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
    rejected = pd.DataFrame(
        {
            "line": lines[failed].to_numpy(),
            "reason": problems.reasons[failed].to_numpy(dtype=object),
        }
    )
    return Validated(accepted, rejected, int(swapped.sum()))
