"""Deterministic demo dataset: fictitious ESS actors in real communes.

The demo makes every page meaningful on a fresh clone with no data of one's
own. It is generated from a seed (same seed, same data) and says it is
fictitious everywhere: each name ends with "(fictif)", each row is flagged
``is_demo``, and pages show a banner while demo actors are present.

How the demo is shaped (constants below, each with its source):

- **calibrated** (:mod:`ess_geo.actors.calibration`,
  ``data/reference/demo_calibration.csv``): the number of employer
  establishments and their salaried jobs, nationally (212,718 and 2.6 M) and
  per région (published figures for Bretagne, Île-de-France and
  Hauts-de-France, the national remainder spread by population elsewhere);
- **invented**: every actor and every figure below the région. Employers are
  spread over the communes of their région in proportion to population, at
  a random point inside the commune polygon;
- employer establishments follow the national ESS mix of 2022: 120,749
  associations, 23,880 coopératives, 7,329 mutuelles and 721 fondations
  (Observatoire national de l'ESS, ESS France, panorama 2022), in
  proportion, plus a small share of sociétés commerciales de l'ESS (a demo
  assumption: the 2022 figures do not count them);
- size bands are drawn per famille so that associations hold about 79 % of
  ESS jobs, as in 2022, tilted per région towards its jobs per
  establishment; the employers with an exact job count absorb the rest, so
  that each région's estimated jobs meet its target within half a job;
- non-employer associations are added on top, over all communes by
  population (:data:`NON_EMPLOYERS_PER_EMPLOYER`, a demo assumption);
- NAF codes are real NAF rév. 2 codes typical of each famille, each with a
  matching INSEE catégorie juridique (associations of Alsace-Moselle are
  "de droit local", 9260); SIRETs are Luhn-valid but fictitious;
  phone numbers are in the ranges ARCEP reserves for fiction; web sites
  and e-mails use the reserved ``.example`` domain;
- the networks of ``data/reference/networks_seed.csv`` (real or described
  networks, not fictitious) get 10 to 30 fictitious members each, drawn from
  their own perimeter: the figure the CNCRES 2011 cahier gives
  (:data:`MEMBERS_PER_NETWORK`; drawn when a workspace is seeded, see
  :mod:`ess_geo.workspace.seeding`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ess_geo.actors import calibration
from ess_geo.actors.schema import TRANCHES_EFFECTIF, tranche_midpoint
from ess_geo.geo import geography

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "EMPLOYER_ESTABLISHMENTS_2022",
    "MEMBERS_PER_NETWORK",
    "NON_EMPLOYERS_PER_EMPLOYER",
    "generate_actors",
]

DEFAULT_SIZE = 299_932
"""Actors of the calibrated demo: the 212,718 employer establishments of the
calibration table plus :data:`NON_EMPLOYERS_PER_EMPLOYER` non-employer
associations per employer (87,214)."""
DEFAULT_SEED = 2011

EMPLOYER_ESTABLISHMENTS_2022: dict[str, int] = {
    "association": 120_749,
    "cooperative": 23_880,
    "mutuelle": 7_329,
    "fondation": 721,
}
"""Employer establishments of the ESS in 2022 by famille (ESS France)."""

SOCIETE_COMMERCIALE_SHARE = 0.01
"""Share of sociétés commerciales de l'ESS among demo employers (assumption)."""

NON_EMPLOYERS_PER_EMPLOYER = 0.41
"""Non-employer associations added per employer establishment (a demo
assumption: the ESS France list of November 2023 counts 1,130,252 legal units,
most of them non-employer associations; the demo keeps a sample of them so
that the default workspace holds about 300,000 actors)."""

_DRAWS = 20
"""Draws of a région's size bands at most, to meet its jobs (see _employer_sizes)."""

UNKNOWN_JOBS_SHARE = 0.02
"""Share of employer actors whose size band is unknown (jobs not guessed)."""

EXACT_JOBS_SHARE = 0.10
"""Share of employer actors with an exact job count instead of a band."""

MEMBERS_PER_NETWORK = (10, 30)
"""Members of each demo network, as in the CNCRES 2011 cahier (10 to 30)."""

_BANDS = ("01", "02", "03", "11", "12", "21", "22", "31", "32", "41")
_MIDS = np.array([tranche_midpoint(b) for b in _BANDS])
_BAND_LOW = np.array([TRANCHES_EFFECTIF[b][1] for b in _BANDS])
_BAND_HIGH = np.array([TRANCHES_EFFECTIF[b][2] for b in _BANDS])
# Probabilities (percent) of each size band per famille, tuned so that with
# the 2022 counts associations hold ~79 % of jobs (mean jobs per employer
# establishment: association 15.5, coopérative 13.1, mutuelle 14.9,
# fondation 74.8, société commerciale 8.3).
_BAND_WEIGHTS: dict[str, tuple[float, ...]] = {
    "association": (36, 22, 14, 13, 9, 3.5, 1.7, 0.3, 0.4, 0.1),
    "cooperative": (34, 24, 16, 13, 8.5, 2.8, 1.2, 0.2, 0.25, 0.05),
    "mutuelle": (30, 24, 17, 14, 9.5, 3.3, 1.6, 0.25, 0.3, 0.05),
    "fondation": (6, 7, 8, 14, 24, 20, 13, 3, 4, 1),
    "societe_commerciale": (40, 26, 15, 11, 6, 1.5, 0.5, 0, 0, 0),
}

# Activities per famille: (NAF rév. 2 code, weight, word used in the name,
# INSEE catégorie juridique niveau III of such a structure).
_ACTIVITIES: dict[str, tuple[tuple[str, float, str, str], ...]] = {
    "association": (
        ("94.99Z", 14, "Amicale", "9220"),
        ("88.91A", 6, "Crèche associative", "9220"),
        ("88.10A", 8, "Aide à domicile", "9220"),
        ("88.10B", 3, "Accueil de jour", "9220"),
        ("88.99B", 10, "Solidarités", "9220"),
        ("87.30A", 3, "Résidence", "9220"),
        ("87.90B", 2, "Foyer d'hébergement", "9220"),
        ("85.59A", 5, "Formation", "9220"),
        ("85.59B", 4, "Ateliers", "9220"),
        ("93.12Z", 12, "Club sportif", "9220"),
        ("90.01Z", 5, "Compagnie", "9220"),
        ("93.29Z", 6, "Loisirs", "9220"),
        ("88.99A", 4, "Maison des jeunes", "9220"),
        ("81.30Z", 2, "Chantier d'insertion", "9220"),
        ("38.32Z", 2, "Ressourcerie", "9220"),
        ("68.20A", 1, "Habitat solidaire", "9220"),
        ("86.10Z", 1, "Centre de soins", "9230"),
        ("49.39B", 1, "Transport solidaire", "9220"),
        ("45.20A", 1, "Garage solidaire", "9220"),
        ("85.53Z", 1, "Auto-école sociale", "9220"),
        ("01.13Z", 1, "Jardins de cocagne", "9220"),
        ("85.20Z", 2, "École", "9220"),
    ),
    "cooperative": (
        ("01.61Z", 10, "CUMA", "6316"),
        ("46.21Z", 8, "Coopérative agricole", "6317"),
        ("10.51A", 4, "Laiterie coopérative", "6317"),
        ("11.02B", 5, "Cave coopérative", "6317"),
        ("64.19Z", 12, "Caisse locale", "6596"),
        ("47.11D", 4, "Coopérative de consommateurs", "5651"),
        ("43.21A", 5, "SCOP Bâtiment", "5458"),
        ("62.01Z", 5, "SCOP Numérique", "5458"),
        ("70.22Z", 6, "Coopérative d'activités", "5460"),
        ("71.12B", 4, "SCOP Ingénierie", "5558"),
        ("68.20A", 4, "Coopérative d'habitants", "5560"),
        ("35.11Z", 3, "Énergie citoyenne", "5560"),
        ("77.11A", 2, "Autopartage coopératif", "5460"),
        ("56.10A", 4, "Restaurant coopératif", "5458"),
        ("47.21Z", 3, "Épicerie coopérative", "5451"),
        ("58.14Z", 2, "Presse coopérative", "5458"),
    ),
    "mutuelle": (
        ("65.12Z", 45, "Mutuelle", "8210"),
        ("65.11Z", 10, "Mutuelle prévoyance", "8210"),
        ("47.78A", 10, "Centre optique mutualiste", "8210"),
        ("86.23Z", 10, "Centre dentaire mutualiste", "8210"),
        ("86.21Z", 8, "Centre de santé mutualiste", "8210"),
        ("87.10A", 7, "EHPAD mutualiste", "8210"),
        ("65.12Z", 10, "Assurance mutuelle agricole", "8250"),
    ),
    "fondation": (
        ("86.10Z", 20, "Fondation hospitalière", "9300"),
        ("87.10A", 20, "Fondation", "9300"),
        ("72.19Z", 12, "Fondation de recherche", "9300"),
        ("88.99B", 18, "Fondation solidaire", "9300"),
        ("91.02Z", 10, "Fondation culturelle", "9300"),
        ("94.99Z", 20, "Fondation", "9300"),
    ),
    # Sociétés commerciales de l'ESS have ordinary commercial legal forms.
    "societe_commerciale": (
        ("38.32Z", 20, "Réemploi", "5710"),
        ("81.21Z", 20, "Entreprise d'insertion", "5499"),
        ("56.10A", 15, "Table solidaire", "5710"),
        ("62.01Z", 10, "Numérique solidaire", "5710"),
        ("47.79Z", 15, "Boutique solidaire", "5499"),
        ("70.22Z", 10, "Conseil ESUS", "5710"),
        ("35.11Z", 10, "Énergies partagées", "5710"),
    ),
}

# Non-employer associations run on volunteers: activities that need no staff.
_VOLUNTEER_ACTIVITIES: tuple[tuple[str, float, str, str], ...] = (
    ("94.99Z", 40, "Amicale", "9220"),
    ("93.12Z", 20, "Club sportif", "9220"),
    ("93.29Z", 12, "Comité des fêtes", "9220"),
    ("90.01Z", 8, "Troupe", "9220"),
    ("88.99B", 10, "Entraide", "9220"),
    ("85.59B", 5, "Ateliers", "9220"),
    ("01.13Z", 5, "Jardins partagés", "9220"),
)

# Associations in Bas-Rhin, Haut-Rhin and Moselle are "de droit local" (9260).
_LOCAL_LAW_DEPARTEMENTS = ("57", "67", "68")

_MOTIFS = (
    "L'Écluse",
    "Le Sémaphore",
    "Les Tilleuls",
    "La Boussole",
    "Le Trait d'union",
    "Les Sarments",
    "La Mosaïque",
    "Le Colombier",
    "Les Fougères",
    "L'Estran",
    "La Canopée",
    "Le Moulin à vent",
    "Les Arpents",
    "La Lanterne",
    "Le Gué",
    "Les Hirondelles",
    "La Passerelle",
    "Le Rucher",
    "Les Communs",
    "L'Orée",
)
_STREETS = (
    "rue des Tilleuls",
    "place de la Mairie",
    "rue du Lavoir",
    "chemin des Écoliers",
    "avenue de la Gare",
    "rue de l'Église",
    "impasse des Vergers",
    "route du Moulin",
)
# ARCEP reserves these ranges for fiction (décision n° 2013-0025 and updates).
_FICTION_PHONE_PREFIXES = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")


def _exact_counts(shares: dict[str, float], total: int) -> dict[str, int]:
    """Split ``total`` by shares with the largest-remainder method."""
    weights = np.array(list(shares.values()), dtype=float)
    raw = weights / weights.sum() * total
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[i] += 1
    return dict(zip(shares, counts.tolist(), strict=True))


def _luhn_key(bodies: np.ndarray, width: int) -> np.ndarray:
    """Luhn check digit of integers written on ``width`` digits."""
    digits = (
        bodies[:, None] // 10 ** np.arange(width)[None, :]
    ) % 10  # least significant first
    doubled = digits.copy()
    doubled[:, 0::2] *= 2  # the key is appended to the right: these positions double
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    return (10 - doubled.sum(axis=1) % 10) % 10


def _fictitious_sirets(rng: np.random.Generator, size: int) -> np.ndarray:
    """Distinct Luhn-valid SIRETs (SIREN 9xxxxxxxK, NIC 0001K)."""
    bodies = 90_000_000 + rng.choice(10_000_000, size=size, replace=False)
    siren = bodies * 10 + _luhn_key(bodies, 8)
    nic_body = siren * 10_000 + 1  # NIC 0001 then its key
    siret = nic_body * 10 + _luhn_key(nic_body, 13)
    return np.char.zfill(siret.astype(str), 14)


def _points_in(
    geoms: np.ndarray, fallback: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """One random point inside each polygon (rejection sampling in its bbox).

    Where a polygon is missing, or after 30 unlucky draws, the fallback
    point (the commune's town hall) is used.
    """
    n = len(geoms)
    xy = np.array(fallback, dtype=float)
    has = ~shapely.is_missing(geoms)
    bounds = np.full((n, 4), np.nan)
    bounds[has] = shapely.bounds(geoms[has])
    todo = np.flatnonzero(has)
    shapely.prepare(geoms[has])
    for _ in range(30):
        if todo.size == 0:
            break
        x = rng.uniform(bounds[todo, 0], bounds[todo, 2])
        y = rng.uniform(bounds[todo, 1], bounds[todo, 3])
        inside = shapely.contains_xy(geoms[todo], x, y)
        xy[todo[inside]] = np.column_stack([x[inside], y[inside]])
        todo = todo[~inside]
    return xy


def _draw(
    rng: np.random.Generator, options: tuple, weights: tuple[float, ...], size: int
) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(options), size=size, p=p / p.sum())


def _tilted(weights: tuple[float, ...], tilt: float) -> np.ndarray:
    """Size-band probabilities tilted towards larger (tilt > 0) or smaller bands."""
    p = np.asarray(weights, dtype=float) * _MIDS**tilt
    return p / p.sum()


def _tilt_for(mix: dict[str, int], mean: float) -> float:
    """The tilt whose expected jobs per employer, for this famille mix, is ``mean``."""
    total = sum(mix.values())
    if total == 0:
        return 0.0

    def expected(tilt: float) -> float:
        return (
            sum(
                n * float(_tilted(_BAND_WEIGHTS[f], tilt) @ _MIDS)
                for f, n in mix.items()
            )
            / total
        )

    low, high = -4.0, 4.0
    for _ in range(60):  # bisection: expected() grows with the tilt
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < mean else (low, middle)
    return (low + high) / 2


def _rescale(values: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers >= 1 in proportion to ``values``, summing to ``total``.

    When ``total`` is smaller than the number of values, every value is 1.
    """
    n = len(values)
    if n == 0:
        return values
    extra = calibration.largest_remainder(pd.Series(values, dtype=float), total - n)
    return extra.to_numpy() + 1


def _employer_sizes(
    rng: np.random.Generator,
    region: np.ndarray,
    famille: np.ndarray,
    targets: pd.DataFrame,
) -> tuple[np.ndarray, pd.arrays.IntegerArray]:
    """Size band or exact jobs of every employer, calibrated on its région's jobs.

    Bands are drawn per famille (:data:`_BAND_WEIGHTS`), tilted per région so
    that the expected jobs meet the région's target; the few employers with an
    exact count then absorb the difference, so that each région's estimated
    jobs (band midpoints and exact counts) are its target within half a job.
    """
    size = len(region)
    tranche = np.empty(size, dtype=object)
    exact = rng.random(size) < EXACT_JOBS_SHARE
    unknown = ~exact & (rng.random(size) < UNKNOWN_JOBS_SHARE)
    bands = np.array(_BANDS, dtype=object)
    values = np.zeros(size, dtype=np.int64)
    for code, target in targets["emplois"].items():
        here = region == code
        if not here.any():
            continue
        local = famille[here]
        mix = {f: int((local == f).sum()) for f in _BAND_WEIGHTS}
        tilt = _tilt_for(mix, target / (here.sum() * (1 - UNKNOWN_JOBS_SHARE)))
        chosen = exact[here]
        banded = (~exact & ~unknown)[here]
        best = None
        # A few large bands drawn in a small région can overshoot its target:
        # draw again (deterministically) until the exact counts can absorb it.
        for _ in range(_DRAWS):
            drawn_bands = np.empty(here.sum(), dtype=object)
            for fam, n in mix.items():
                group = local == fam
                pick = rng.choice(
                    len(_BANDS), size=n, p=_tilted(_BAND_WEIGHTS[fam], tilt)
                )
                drawn_bands[group] = bands[pick]
            rest = round(target - float(_MIDS[_band_index(drawn_bands[banded])].sum()))
            if best is None or rest > best[1]:
                best = (drawn_bands, rest)
            if rest >= chosen.sum():
                break
        drawn_bands, rest = best
        tranche[here] = drawn_bands
        index = _band_index(drawn_bands)
        drawn = rng.integers(_BAND_LOW[index], _BAND_HIGH[index] + 1)
        values[np.flatnonzero(here)[chosen]] = _rescale(drawn[chosen], rest)
    effectif = pd.array([pd.NA] * size, dtype="Int64")
    effectif[exact] = values[exact]
    tranche[exact | unknown] = None
    return tranche, effectif


def _band_index(codes: np.ndarray) -> np.ndarray:
    """Position of each band code in :data:`_BANDS` (which is sorted)."""
    return np.searchsorted(np.array(_BANDS), codes.astype(str))


def generate_actors(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Fictitious ESS actors in real communes, calibrated, deterministic from ``seed``.

    Parameters
    ----------
    size : int, default 299,932
        Number of actors. The default is the calibrated demo (212,718
        employer establishments, 2.6 M jobs, plus non-employer associations);
        a smaller size gives the same demo scaled down: establishments and
        jobs of every région in the same proportions.
    seed : int, default 2011
        Random seed: the same seed gives the same actors.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`ess_geo.actors.ACTOR_COLUMNS` except ``reseaux``.

    Raises
    ------
    ValueError
        If ``size`` is not positive.
    """
    if size < 1:
        raise ValueError(
            f"`size` was {size} but is expected to be a positive number of actors"
        )
    rng = np.random.default_rng(seed)
    targets = calibration.regional_targets(size / DEFAULT_SIZE)
    n_employers = int(targets["etablissements"].sum())
    communes = geography.communes()
    populated = communes[communes["population"] > 0]
    position = np.arange(len(populated))

    def draw_communes(rows: np.ndarray, n: int) -> np.ndarray:
        weights = populated["population"].to_numpy(dtype=float)[rows]
        return rows[rng.choice(len(rows), size=n, p=weights / weights.sum())]

    region = np.repeat(targets.index.to_numpy(), targets["etablissements"].to_numpy())
    commune_idx = np.empty(size, dtype=np.int64)
    for code, n in targets["etablissements"].items():
        if n:
            rows = position[populated["region"].to_numpy() == code]
            commune_idx[np.flatnonzero(region == code)] = draw_communes(rows, n)
    commune_idx[n_employers:] = draw_communes(position, size - n_employers)

    employer_shares = {k: float(v) for k, v in EMPLOYER_ESTABLISHMENTS_2022.items()}
    employer_shares["societe_commerciale"] = (
        sum(employer_shares.values()) * SOCIETE_COMMERCIALE_SHARE
    )
    counts = _exact_counts(employer_shares, n_employers)
    famille = rng.permutation(np.repeat(list(counts), list(counts.values())))
    tranche, effectif = _employer_sizes(rng, region, famille, targets)
    famille = np.concatenate([famille, np.repeat("association", size - n_employers)])
    tranche = np.concatenate([tranche, np.repeat("NN", size - n_employers)])
    effectif = pd.array(
        np.concatenate([effectif, pd.array([pd.NA] * (size - n_employers))]),
        dtype="Int64",
    )
    employer = np.arange(size) < n_employers
    order = rng.permutation(size)
    famille, employer, tranche = famille[order], employer[order], tranche[order]
    effectif = effectif[order]
    commune = populated.iloc[commune_idx[order]]

    naf = np.empty(size, dtype=object)
    theme = np.empty(size, dtype=object)
    legal_form = np.empty(size, dtype=object)
    for fam in counts:
        mask = famille == fam
        for group, activities in (
            (mask & employer, _ACTIVITIES[fam]),
            (mask & ~employer, _VOLUNTEER_ACTIVITIES),
        ):
            pick = _draw(
                rng, activities, tuple(a[1] for a in activities), int(group.sum())
            )
            table = np.array(activities, dtype=object)
            naf[group] = table[pick, 0]
            theme[group] = table[pick, 2]
            legal_form[group] = table[pick, 3]
    local_law = (famille == "association") & np.isin(
        commune["departement"].to_numpy(), _LOCAL_LAW_DEPARTEMENTS
    )
    legal_form[local_law] = "9260"

    xy = _points_in(
        geography.load_layer("commune", "full")
        .set_index("code")
        .geometry.reindex(commune.index)
        .to_numpy(),
        commune[["lon", "lat"]].to_numpy(),
        rng,
    )
    sirets = _fictitious_sirets(rng, size)
    postal = (
        geography.postal_codes()
        .drop_duplicates("commune")
        .set_index("commune")["code_postal"]
    )
    motif = np.array(_MOTIFS, dtype=object)[rng.integers(0, len(_MOTIFS), size)]
    commune_names = commune["nom"].to_numpy()
    names = [
        f"{t} {m} – {c} (fictif)"
        for t, m, c in zip(theme, motif, commune_names, strict=True)
    ]
    street = np.array(_STREETS, dtype=object)[rng.integers(0, len(_STREETS), size)]
    number = rng.integers(1, 120, size)
    has_contact = rng.random(size) < 0.6
    slug = np.char.add("demo-", sirets.astype(str))
    phone_prefix = np.array(_FICTION_PHONE_PREFIXES, dtype=object)[
        rng.integers(0, 5, size)
    ]
    phone_suffix = rng.integers(0, 10_000, size)

    return pd.DataFrame(
        {
            "siret": sirets,
            "nom": names,
            "categorie_juridique": legal_form,
            "famille": famille,
            "naf": naf,
            "effectif": effectif,
            "tranche_effectif": tranche,
            "adresse": [f"{n} {s}" for n, s in zip(number, street, strict=True)],
            "code_postal": postal.reindex(commune.index).to_numpy(),
            "commune": commune_names,
            "code_commune": commune.index.to_numpy(),
            "latitude": xy[:, 1].round(6),
            "longitude": xy[:, 0].round(6),
            "site_web": np.where(
                has_contact,
                np.char.add(np.char.add("https://", slug), ".example"),
                None,
            ),
            "telephone": np.where(
                has_contact,
                [
                    f"{p} {s // 100:02d} {s % 100:02d}"
                    for p, s in zip(phone_prefix, phone_suffix, strict=True)
                ],
                None,
            ),
            "email": np.where(
                has_contact,
                np.char.add(np.char.add("contact@", slug), ".example"),
                None,
            ),
        }
    )
