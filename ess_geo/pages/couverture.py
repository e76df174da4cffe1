"""Couverture: the page's URL state and what it shows, without Streamlit.

The URL keeps ``niveau`` (epci, pays, pnr), ``region`` (INSEE code),
``seuil`` (percent), ``approx`` (1 = count them), ``compter`` (which network
statuses count: ``actifs``, ``actifs_inconnus``, ``tous``; the older
``projets=1`` means ``tous``), ``taille`` (ESS employers a territory needs to
be ranked), ``poids``
(weights that differ from the defaults, ``key:value,…``), ``sel`` (codes of
the prospects retained for the budget, comma-separated, ``aucun`` for none)
and the budget parameters of :data:`BUDGET_PARAMS` (``mob``, ``duree``,
``anim``, ``cotis`` in percent, ``horizon``, ``rythme``, ``etude`` (1 = a
feasibility study), ``cetude``, ``appui`` and the funders' shares in percent
``fin_reg``, ``fin_dep``, ``fin_epci``, ``fin_etat``, ``fin_autre``), and
``ouvert``: the blocks open below the map (:data:`BLOCKS`, comma-separated,
``aucun`` for none), written only when they differ from what the other
parameters imply: a link that carries retained prospects or budget parameters
opens the budget.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import ClassVar, Self

import pandas as pd

from ess_geo import formats
from ess_geo.analysis import budget, coverage
from ess_geo.analysis.budget import BudgetAssumptions
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.maps.coverage_map import coverage_bounds
from ess_geo.pages.urlstate import PageState, Params, QueryReader
from ess_geo.workspace.inventories import CAHIER_2011

__all__ = [
    "BLOCKS",
    "BUDGET_PARAMS",
    "COVERAGE_LEVELS",
    "DEFAULT_SELECTION",
    "MAIN_BUDGET_FIELDS",
    "SHARE_FIELDS",
    "STUDY_FIELDS",
    "THRESHOLD_BOUNDS",
    "WEIGHT_BOUNDS",
    "BudgetParam",
    "CouvertureState",
    "budget_assumptions",
    "budget_chart_colours",
    "budget_chart_frame",
    "budget_from_form",
    "budget_label",
    "budget_metrics",
    "budget_regions",
    "component_help",
    "correlation_caption",
    "export_stem",
    "gap_split",
    "inventory_notice",
    "map_view",
    "nothing_ranked",
    "prospects_intro",
    "range_warning",
    "region_names",
    "region_options",
    "scope_label",
    "score_explained",
    "summary_caption",
    "summary_metrics",
    "weight_help",
]

COVERAGE_LEVELS: tuple[str, ...] = ("epci", "pays", "pnr")
"""Levels whose coverage the page measures."""

DEFAULT_SELECTION = 5
"""Prospects retained for the budget by default: the best ranked ones."""

THRESHOLD_BOUNDS: tuple[int, int] = (50, 100)
"""Smallest and largest coverage threshold, in percent."""

WEIGHT_BOUNDS: tuple[float, float] = (0.0, 5.0)
"""Smallest and largest weight of a score component."""


@dataclasses.dataclass(frozen=True)
class BudgetParam:
    """A launch budget parameter as the URL and the form hold it.

    Attributes
    ----------
    param : str
        Its URL parameter.
    low, high : int
        Bounds of the form's whole number (and of the URL's value).
    step : int
        The form's step.
    percent : bool
        The form and the URL give a percentage of a share (0 to 100).
    """

    param: str
    low: int
    high: int
    step: int = 1
    percent: bool = False

    def form_value(self, value: float) -> int:
        """The form's whole number for a ``BudgetAssumptions`` value.

        Examples
        --------
        >>> BUDGET_PARAMS["member_share"].form_value(0.1)
        10
        """
        return round(100 * value) if self.percent else int(value)

    def value(self, form_value: float) -> float:
        """The ``BudgetAssumptions`` value of the form's number."""
        return form_value / 100 if self.percent else form_value


BUDGET_PARAMS: dict[str, BudgetParam] = {
    "mobilisation_cost": BudgetParam("mob", 0, 1_000_000, step=1_000),
    "mobilisation_years": BudgetParam("duree", 0, 10),
    "animation_cost": BudgetParam("anim", 0, 1_000_000, step=1_000),
    "member_share": BudgetParam("cotis", 0, 100, percent=True),
    "horizon_years": BudgetParam("horizon", 1, 30),
    "launches_per_year": BudgetParam("rythme", 0, 100),
    "feasibility_study": BudgetParam("etude", 0, 1),
    "feasibility_cost": BudgetParam("cetude", 0, 1_000_000, step=1_000),
    "support_cost": BudgetParam("appui", 0, 1_000_000, step=1_000),
    "share_region": BudgetParam("fin_reg", 0, 100, percent=True),
    "share_departement": BudgetParam("fin_dep", 0, 100, percent=True),
    "share_epci": BudgetParam("fin_epci", 0, 100, percent=True),
    "share_etat": BudgetParam("fin_etat", 0, 100, percent=True),
    "share_autre": BudgetParam("fin_autre", 0, 100, percent=True),
}
"""Field of :class:`ess_geo.analysis.budget.BudgetAssumptions` -> its URL and form."""

MAIN_BUDGET_FIELDS: tuple[str, ...] = tuple(BUDGET_PARAMS)[:6]
"""The budget form's first block: phases, members' share, horizon, pace."""

STUDY_FIELDS: tuple[str, ...] = (
    "feasibility_study",
    "feasibility_cost",
    "support_cost",
)
"""The feasibility study and the regional support mission."""

SHARE_FIELDS: tuple[str, ...] = tuple(f"share_{f}" for f in budget.FUNDERS)
"""The split of the public part between the funders (percent, sum 100)."""

_FLAGS: dict[str, str] = {"count_inexact": "approx"}

BLOCKS: dict[str, str] = {
    "prospects": "Territoires à prospecter",
    "budget": "Budget de lancement",
}
"""The blocks below the map, drawn on demand: ``ouvert`` value -> expander label.

Closed on a plain visit: their data grids and chart (and the JavaScript that
draws them) would compete with the map for the browser on load."""

_NO_BLOCK = "aucun"


@dataclasses.dataclass(frozen=True)
class CouvertureState(PageState):
    """The Couverture page's state: what is counted, how it is scored, the budget.

    Attributes
    ----------
    level : str
        One of :data:`COVERAGE_LEVELS`.
    region : str
        INSEE code of the région whose territories are ranked, ``""`` for
        France.
    threshold : int
        Coverage threshold, in percent of the population.
    count_inexact : bool
        Count the networks of approximate perimeter.
    counting : str
        Which network statuses count (:data:`ess_geo.analysis.coverage.COUNTING`).
    min_employers : int
        ESS employers a territory needs to be ranked.
    weights : mapping
        Weight of every score component (:data:`ess_geo.analysis.coverage.COMPONENTS`).
    selection : tuple of str or None
        Codes of the prospects retained for the budget; ``None`` for the
        :data:`DEFAULT_SELECTION` best ranked.
    budget : BudgetAssumptions
        The launch budget's parameters.
    blocks : tuple of str
        The blocks of :data:`BLOCKS` open below the map, in that order.
    """

    PARAMS: ClassVar = {"level": "niveau", "region": "region", "threshold": "seuil"}
    level: str = "epci"
    region: str = ""
    threshold: int = 90
    count_inexact: bool = False
    counting: str = coverage.DEFAULT_COUNTING
    min_employers: int = coverage.DEFAULT_MIN_EMPLOYERS
    weights: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: dict(coverage.DEFAULT_WEIGHTS)
    )
    selection: tuple[str, ...] | None = None
    budget: BudgetAssumptions = dataclasses.field(default_factory=BudgetAssumptions)
    blocks: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, params: Params) -> tuple[Self, list[str]]:
        """Read the state from the URL's query parameters.

        Parameters
        ----------
        params : mapping
            ``st.query_params`` or any mapping of parameter names to values.

        Returns
        -------
        tuple
            The state, and the ``name=value`` of every parameter ignored
            (unknown, out of its bounds, or weights that do not make a score).
        """
        q = QueryReader(params)
        default = cls.defaults()
        level = q.choice("niveau", COVERAGE_LEVELS, default.level)
        region = q.choice(
            "region", geography.territories("region").index, default.region
        )
        threshold = int(q.number("seuil", default.threshold, *THRESHOLD_BOUNDS))
        flags = {
            field: q.choice(param, ("0", "1"), "1" if getattr(default, field) else "0")
            == "1"
            for field, param in _FLAGS.items()
        }
        legacy = "tous" if q.text("projets") == "1" else default.counting
        counting = q.choice("compter", coverage.COUNTING, legacy)
        min_employers = q.integer(
            "taille", default.min_employers, *coverage.MIN_EMPLOYERS_BOUNDS
        )
        weights = _weights(q, default.weights)
        sel = q.text("sel")
        form = default.form_values()
        for field, p in BUDGET_PARAMS.items():
            form[field] = int(q.number(p.param, form[field], p.low, p.high))
        try:
            budget_assumptions(form)
        except EssGeoError:  # the funders' shares do not make 100 %
            defaults = default.form_values()
            for field in SHARE_FIELDS:
                if form[field] != defaults[field]:
                    q.ignored.append(f"{BUDGET_PARAMS[field].param}={form[field]}")
                form[field] = defaults[field]
        state = cls(
            level=level,
            region=region,
            threshold=threshold,
            **flags,
            counting=counting,
            min_employers=min_employers,
            weights=weights,
            selection=None if sel is None else _selection(sel),
            budget=budget_assumptions(form),
        )
        opened = q.text("ouvert")
        blocks = () if opened == _NO_BLOCK else q.choices("ouvert", BLOCKS)
        if not blocks and opened != _NO_BLOCK:
            blocks = state.implied_blocks()
        return state.replace(blocks=blocks), q.ignored

    def to_query(self) -> dict[str, str | None]:
        """URL parameters of this state; ``None`` removes a parameter.

        Returns
        -------
        dict
            Every parameter of the page, in the order of the page.
        """
        default = self.defaults()
        query = super().to_query()
        for field, param in _FLAGS.items():
            value = getattr(self, field)
            same = value == getattr(default, field)
            query[param] = None if same else ("1" if value else "0")
        query["projets"] = None  # older links: replaced by ``compter``
        query["compter"] = None if self.counting == default.counting else self.counting
        query["taille"] = (
            None
            if self.min_employers == default.min_employers
            else str(self.min_employers)
        )
        query["poids"] = coverage.weights_to_text(self.weights) or None
        query["sel"] = (
            None if self.selection is None else ",".join(self.selection) or "aucun"
        )
        for field, p in BUDGET_PARAMS.items():
            value = getattr(self.budget, field)
            same = value == getattr(default.budget, field)
            query[p.param] = None if same else str(p.form_value(value))
        blocks = tuple(b for b in BLOCKS if b in self.blocks)
        implied = blocks == self.implied_blocks()
        query["ouvert"] = None if implied else ",".join(blocks) or _NO_BLOCK
        return query

    def implied_blocks(self) -> tuple[str, ...]:
        """The blocks a link opens without ``ouvert``.

        The budget, when the link carries retained prospects or budget
        parameters.

        Examples
        --------
        >>> CouvertureState().implied_blocks()
        ()
        >>> CouvertureState(selection=()).implied_blocks()
        ('budget',)
        """
        custom = self.selection is not None or self.budget != BudgetAssumptions()
        return ("budget",) if custom else ()

    def selected(self, ranked_codes: Sequence[str]) -> list[str]:
        """The retained prospects among those ranked, in rank order.

        Parameters
        ----------
        ranked_codes : sequence of str
            Codes of the ranked territories, best first.
        """
        if self.selection is None:
            return list(ranked_codes[:DEFAULT_SELECTION])
        return [code for code in ranked_codes if code in self.selection]

    def with_selection(
        self, chosen: Sequence[str], ranked_codes: Sequence[str]
    ) -> Self:
        """A copy retaining ``chosen`` (``None`` when it is the default choice)."""
        default = list(ranked_codes[:DEFAULT_SELECTION])
        return self.replace(
            selection=None if list(chosen) == default else tuple(chosen)
        )

    def form_values(self) -> dict[str, int]:
        """The budget form's numbers (member share in percent)."""
        return {
            field: p.form_value(getattr(self.budget, field))
            for field, p in BUDGET_PARAMS.items()
        }


def _in(bounds: tuple[float, float], value: float) -> bool:
    return bounds[0] <= value <= bounds[1]


def _weights(q: QueryReader, default: Mapping[str, float]) -> Mapping[str, float]:
    """The ``poids`` parameter's weights, ``default`` when they make no score."""
    text = q.text("poids")
    if text is None:
        return default
    try:
        weights = coverage.weights_from_text(text)
    except EssGeoError:
        weights = {}
    if weights and all(_in(WEIGHT_BOUNDS, w) for w in weights.values()):
        return weights
    q.ignored.append(f"poids={text}")
    return default


def _selection(text: str) -> tuple[str, ...]:
    """Codes of a ``sel`` parameter (``aucun``: none)."""
    if text == "aucun":
        return ()
    return tuple(code for code in text.split(",") if code)


def budget_assumptions(form_values: Mapping[str, float]) -> BudgetAssumptions:
    """The budget's parameters from the form's numbers.

    Raises
    ------
    ess_geo.errors.BudgetError
        If a parameter is out of its range.

    Examples
    --------
    >>> budget_assumptions({"member_share": 25}).member_share
    0.25
    """
    return BudgetAssumptions(
        **{field: BUDGET_PARAMS[field].value(v) for field, v in form_values.items()}
    )


def budget_label(field: str) -> str:
    """The budget form's label of a parameter (a share is asked in percent)."""
    label = budget.BUDGET_LABELS[field]
    return f"{label} (%)" if BUDGET_PARAMS[field].percent else label


def region_options() -> list[str]:
    """Options of the région selector: ``""`` (France), then codes by name."""
    return ["", *geography.territories("region").sort_values("nom").index]


def scope_label(region: str) -> str:
    """The région's name, ``"France"`` for none.

    Examples
    --------
    >>> scope_label("53"), scope_label("")
    ('Bretagne', 'France')
    """
    return geography.territories("region").at[region, "nom"] if region else "France"


def summary_metrics(figures: Mapping[str, float]) -> list[tuple[str, str]]:
    """The four coverage figures: territories covered, partly, not, population.

    Parameters
    ----------
    figures : mapping
        :func:`ess_geo.analysis.coverage.summary` output.

    Returns
    -------
    list of (label, value)
    """
    share = (
        "—"
        if figures["population"] == 0
        else f"{formats.number(100 * figures['part_population_couverte'])} %"
    )
    return [
        ("Couverts", formats.number(figures["couverte"])),
        ("Partiellement couverts", formats.number(figures["partielle"])),
        ("Non couverts", formats.number(figures["non_couverte"])),
        ("Population couverte", share),
    ]


def summary_caption(
    level: str, region: str, count: int, figures: Mapping[str, float]
) -> str:
    """The caption under the coverage figures: level, where, how many territories.

    Examples
    --------
    >>> summary_caption("pnr", "", 58, {"inconnue": 2})
    'Parc naturel régional — France : 58 territoires, dont 2 au périmètre inconnu (PNR listés sans leurs communes).'
    """  # noqa: E501
    unknown = (
        f", dont {figures['inconnue']} au périmètre inconnu (PNR listés sans leurs "
        "communes)"
        if figures["inconnue"]
        else ""
    )
    return (
        f"{geography.LEVEL_LABELS[level]} — {scope_label(region)} : "
        f"{count} territoires{unknown}."
    )


def inventory_notice(networks: pd.DataFrame, inventories: pd.DataFrame) -> str:
    """What the coverage rests on: networks known, inventories complete (Markdown).

    Parameters
    ----------
    networks : pandas.DataFrame
        The networks (``region``: the name of their région).
    inventories : pandas.DataFrame
        :func:`ess_geo.workspace.inventories.read_inventories` output.

    Returns
    -------
    str
        How many networks are known and in how many régions, the 2011 count,
        and the régions whose inventory is declared complete.
    """
    regions = networks["region"].dropna().loc[lambda r: r.str.strip() != ""]
    complete = inventories[inventories["complet"]]
    names = [
        f"{name}" + (f" (au niveau des {level})" if level else "")
        for name, level in zip(
            complete["nom"], complete["niveau"].fillna(""), strict=True
        )
    ]
    where = (
        f"L'inventaire des réseaux n'est déclaré complet que pour : {', '.join(names)}."
        if names
        else "Aucune région n'a déclaré son inventaire des réseaux complet."
    )
    return (
        f"L'espace de travail connaît **{formats.number(len(networks))} réseaux** "
        f"territoriaux de l'ESS, dans {formats.number(regions.nunique())} "
        f"régions. {CAHIER_2011} {where} Ailleurs, un territoire « non "
        "couvert » peut avoir un réseau que l'inventaire ne connaît pas : sa "
        "couleur est pâlie sur la carte et la colonne « Inventaire des réseaux » "
        "le dit."
    )


def gap_split(table: pd.DataFrame) -> str | None:
    """How many uncovered territories are real gaps (complete inventory), in French.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output (``couverture``,
        ``inventaire``).

    Returns
    -------
    str or None
        None when no territory is uncovered.

    Examples
    --------
    >>> frame = pd.DataFrame({"couverture": ["non_couverte", "partielle", "couverte"],
    ...                       "inventaire": ["complet", "incomplet", "complet"]})
    >>> gap_split(frame)[:59]
    'Sur 2 territoires non ou partiellement couverts, 1 est dans'
    """
    uncovered = table["couverture"].isin(["partielle", "non_couverte"])
    if not uncovered.any():
        return None
    known = int((uncovered & (table["inventaire"] == "complet")).sum())
    total = int(uncovered.sum())
    verb = "est" if known <= 1 else "sont"
    return (
        f"Sur {formats.number(total)} territoires non ou partiellement couverts, "
        f"{formats.number(known)} {verb} dans une région à l'inventaire complet "
        f"(des lacunes avérées) ; {formats.number(total - known)} dans une région "
        "à l'inventaire incomplet, où l'absence de réseau connu ne prouve rien."
    )


def map_view(
    level: str, region: str, codes: Sequence[str]
) -> tuple[str, tuple[float, ...] | None]:
    """What the coverage map frames, once per token: région, territories, France.

    EPCI cover France: without a région the map keeps its French frame.
    Returns the token (it changes with the level and the région) and the
    longitude/latitude box of the région or of ``codes`` (None: France).

    Examples
    --------
    >>> map_view("epci", "", ["242900314"])
    ('couverture:epci:', None)
    """
    token = f"couverture:{level}:{region}"
    if region:
        return token, coverage_bounds("region", [region])
    return token, coverage_bounds(level, codes) if level != "epci" else None


def prospects_intro(count: int, min_employers: int = 0, too_small: int = 0) -> str:
    """The sentence above the table of prospects.

    Examples
    --------
    >>> prospects_intro(3, 30, 2)[:80]
    '3 territoires partiellement ou non couverts et comptant au moins 30 employeurs d'
    """
    small = (
        f" ; {formats.number(too_small)} autres, trop petits, ne sont pas classés"
        if too_small
        else ""
    )
    return (
        f"{formats.number(count)} territoires partiellement ou non couverts et "
        f"comptant au moins {formats.number(min_employers)} employeurs de l'ESS "
        f"(de quoi réunir un réseau de 10 à 30 membres actifs){small}, du "
        "meilleur prospect au moins bon. La taille est une condition, pas une "
        "composante : chaque composante est un ratio par habitant ou une part, "
        "entre 0 et 1, sans effet de taille ; le détail de leur calcul est dans "
        "« Pondération du score » et dans l'export (feuille Méthode)."
    )


def nothing_ranked(too_small: int, min_employers: int) -> str:
    """Why no territory is ranked (French).

    Examples
    --------
    >>> nothing_ranked(0, 30)[:40]
    'Aucun territoire à classer : tous ceux d'
    """
    if too_small:
        return (
            f"Aucun territoire à classer : les {formats.number(too_small)} "
            "territoires non couverts comptent chacun moins de "
            f"{formats.number(min_employers)} employeurs de l'ESS. Abaissez ce "
            "seuil dans la barre latérale pour les classer."
        )
    return (
        "Aucun territoire à classer : tous ceux dont la couverture est connue "
        "sont couverts à ce seuil."
    )


def score_explained() -> str:
    """How the score is made, component by component (Markdown, French).

    Examples
    --------
    >>> score_explained().splitlines()[0][:40]
    'Le score (0 à 100) est la moyenne pondér'
    """
    lines = [
        "Le score (0 à 100) est la moyenne pondérée des composantes ci-dessous, "
        "chacune entre 0 et 1 (un poids à 0 ignore une composante). Aucune ne "
        "mesure la taille : un territoire n'est classé que s'il compte assez "
        "d'employeurs de l'ESS pour réunir un réseau (réglage « Employeurs de "
        "l'ESS nécessaires pour être classé »).",
        "",
    ]
    lines += [
        f"- **{c.label}** : {c.measure} ; {c.normalised}."
        for c in coverage.COMPONENTS.values()
    ]
    return "\n".join(lines)


def correlation_caption(correlation: float) -> str:
    """How far the ranking follows population (Spearman), in French.

    Examples
    --------
    >>> correlation_caption(0.3115)
    'Corrélation de rang (Spearman) entre le score et la population des territoires classés : 0,31 (1 : un simple classement par population).'
    """  # noqa: E501
    value = formats.number(correlation, 2)
    return (
        "Corrélation de rang (Spearman) entre le score et la population des "
        f"territoires classés : {value} (1 : un simple classement par population)."
    )


def weight_help(component: coverage.Component) -> str:
    """Help of a weight slider: what the component measures, how it is normalised.

    Examples
    --------
    >>> weight_help(coverage.COMPONENTS["voisins"])[:40]
    'Part moyenne de population couverte des '
    """
    measure = component.measure
    return (
        f"{measure[0].upper()}{measure[1:]} ; normalisation : {component.normalised}."
    )


def component_help(component: coverage.Component) -> str:
    """Help of a component's column in the table of prospects."""
    return f"{component.measure} ; {component.normalised}"


def export_stem(level: str, region: str) -> str:
    """File name, without extension, of the prospects' downloads.

    Examples
    --------
    >>> export_stem("epci", "53"), export_stem("pays", "")
    ('prospects-epci-53', 'prospects-pays')
    """
    return f"prospects-{level}" + (f"-{region}" if region else "")


def budget_metrics(totals: Mapping[str, float], horizon: int) -> list[tuple[str, str]]:
    """The three totals of the launch budget.

    Parameters
    ----------
    totals : mapping
        :func:`ess_geo.analysis.budget.budget_summary` output.
    horizon : int
        Years simulated.

    Returns
    -------
    list of (label, value)
    """
    return [
        (f"Coût total sur {horizon} ans", f"{formats.number(totals['cout_total'])} €"),
        (
            f"Financement public sur {horizon} ans",
            f"{formats.number(totals['financement_public'])} €",
        ),
        (
            "Financement public moyen par an",
            f"{formats.number(totals['financement_public_moyen'])} €",
        ),
    ]


_FUNDER_BLUES = ("#08306b", "#2171b5", "#6baed6", "#9ecae1", "#c6dbef")
_MEMBERS_ORANGE = "#e6550d"


def budget_chart_colours(frame: pd.DataFrame) -> list[str]:
    """One colour per column of :func:`budget_chart_frame`: blues, members orange.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["Cotisations des membres", "Région"])
    >>> budget_chart_colours(frame)
    ['#e6550d', '#08306b']
    """
    blues = iter(_FUNDER_BLUES)
    return [
        _MEMBERS_ORANGE if c == "Cotisations des membres" else next(blues)
        for c in frame.columns
    ]


def budget_chart_frame(years: pd.DataFrame) -> pd.DataFrame:
    """What each funder and the members pay by year, French headers, for a bar chart.

    Funders who pay nothing over the horizon are left out; columns in
    alphabetical order, as the chart's legend lists them.

    Parameters
    ----------
    years : pandas.DataFrame
        :func:`ess_geo.analysis.budget.simulate_budget` output.
    """
    columns = {
        f"financement_{f}": budget.FUNDER_LABELS[f]
        for f in budget.FUNDERS
        if years[f"financement_{f}"].sum() > 0
    }
    columns["cotisations"] = "Cotisations des membres"
    frame = years.set_index("annee")[list(columns)].rename(columns=columns)
    return frame[sorted(frame.columns)]  # the order of Streamlit's legend


def budget_from_form(
    form_values: Mapping[str, float],
) -> tuple[BudgetAssumptions, str | None]:
    """The budget's parameters from the form, and the problem if there is one.

    When the funders' shares do not make 100 %, the default split is used
    and the message says why.

    Raises
    ------
    ess_geo.errors.BudgetError
        If another parameter is out of its range.
    """
    try:
        return budget_assumptions(form_values), None
    except EssGeoError as exc:
        defaults = CouvertureState.defaults().form_values()
        fixed = {**form_values, **{f: defaults[f] for f in SHARE_FIELDS}}
        assumptions = budget_assumptions(fixed)  # raises for another parameter
        return assumptions, f"{exc} La répartition par défaut est utilisée."


def budget_regions(level: str, codes: Sequence[str]) -> dict[str, str]:
    """Territory code -> code of the région where most of its population lives."""
    parents = geography.parents(level, "region")
    return {code: str(parents.get(code, "")) for code in codes}


def region_names() -> dict[str, str]:
    """Région code -> name."""
    return geography.territories("region")["nom"].to_dict()


def range_warning(sheets: Mapping[str, pd.DataFrame]) -> str | None:
    """The sentence naming the territories whose yearly budget leaves 30–300 k€.

    Parameters
    ----------
    sheets : mapping
        :func:`ess_geo.analysis.budget.budget_sheets` output.
    """
    retained = sheets["Territoires retenus"]
    out = retained.loc[retained["Hors fourchette 30–300 k€"] == "oui", "Territoire"]
    if out.empty:
        return None
    low, high = (formats.number(v / 1000) for v in budget.NETWORK_BUDGET_RANGE)
    return (
        f"Budget annuel hors de la fourchette du cahier ({low} à {high} k€ par "
        f"réseau et par an) pour : {', '.join(out)}."
    )
