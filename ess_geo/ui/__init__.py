"""Streamlit helpers shared by the pages: workspace access, caches, common chrome.

This is the only module of ess_geo that imports streamlit. It holds the
cached loaders every page uses (so that big tables and map layers are built
once per process), the demo banner and footer, the error display, query
parameter helpers and the session-state keys.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import warnings
from collections.abc import Iterator, Sequence
from typing import NamedTuple
from urllib.parse import quote

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ess_geo import maps, text
from ess_geo.analysis import contacts, coverage, directory, filters, weight
from ess_geo.errors import EssGeoError, LoginError
from ess_geo.geo import geography
from ess_geo.io.employment import read_employment
from ess_geo.maps import perimeters
from ess_geo.report import panorama
from ess_geo.text import escape_markdown
from ess_geo.workspace import auth, networks, seeding, store

__all__ = [
    "CARTE_PAGE_CSS",
    "DEMO_BANNER",
    "KEY_ANNUAIRE_NEED",
    "KEY_ANNUAIRE_PAGE",
    "KEY_ANNUAIRE_PLACE",
    "KEY_ANNUAIRE_QUERY",
    "KEY_ANNUAIRE_RADIUS",
    "KEY_ANNUAIRE_SEARCH",
    "KEY_EMPLOYMENT",
    "KEY_MAP_VIEW",
    "KEY_STAFF_USER",
    "CarteKeys",
    "CarteNetworks",
    "actor_index",
    "actors",
    "carte_actors",
    "carte_networks",
    "commune_totals",
    "definition_list",
    "demo_banner",
    "employment",
    "ess_inputs",
    "footer",
    "french_document",
    "geolocation_button",
    "layer_features",
    "load_employment",
    "network_contacts",
    "network_tables",
    "query_choice",
    "query_number",
    "safe_table",
    "set_query_params",
    "show_error",
    "staff_login",
    "staff_logout",
    "territory_panorama",
    "weight_table",
    "workspace",
    "workspace_changed",
    "workspace_revision",
]

DEMO_BANNER = "Données de démonstration — acteurs fictifs"

# Session-state keys (one place, so pages never spell them twice).
KEY_MAP_VIEW = "map_view"
KEY_ANNUAIRE_QUERY = "annuaire_query"
KEY_ANNUAIRE_NEED = "annuaire_need"
KEY_ANNUAIRE_RADIUS = "annuaire_radius"
KEY_ANNUAIRE_PAGE = "annuaire_page"
KEY_ANNUAIRE_PLACE = "annuaire_located_place"
KEY_ANNUAIRE_SEARCH = "annuaire_search"
KEY_EMPLOYMENT = "employment"  # (pd.Series, file name) of an uploaded INSEE table


class CarteKeys:
    """Session-state keys of the Carte page (widgets and page state)."""

    READY = "carte_pret"
    SELECTION = "carte_selection"
    ACTOR = "carte_acteur"
    NETWORK = "carte_reseau_fiche"
    SEARCH = "carte_recherche"
    RESULTS = "carte_resultats"
    RESULT = "carte_resultat"
    MAILLE = "carte_maille"
    INDICATOR = "carte_indicateur"
    METHOD = "carte_classes"
    BASEMAP = "carte_fond"
    FAMILLES = "carte_familles"
    SECTEURS = "carte_secteurs"
    RESEAU = "carte_reseau"
    EMPLOYEUR = "carte_employeur"
    TAILLES = "carte_tailles"
    CHILD = "carte_descendre"
    IGNORED = "carte_ignores"
    MAP = "carte"
    TERRITORY_TABLE = "carte_tableau_territoires"
    ACTOR_TABLE = "carte_tableau_acteurs"


KEY_STAFF_USER = "staff_user"


def show_error(exc: EssGeoError) -> None:
    """Show a library error to the user in French and stop the page."""
    st.error(str(exc), icon="⚠️")
    st.stop()


@st.cache_resource(
    show_spinner="Préparation de l'espace de travail (première ouverture)…"
)
def _prepared(path: str) -> str:
    """Create, migrate and seed the workspace once per process."""
    seeding.open_workspace(path).close()
    return path


@contextlib.contextmanager
def workspace() -> Iterator[sqlite3.Connection]:
    """A connection to the workspace for the length of a ``with`` block."""
    try:
        path = _prepared(str(store.workspace_path()))
        conn = store.connect(path)
    except EssGeoError as exc:
        show_error(exc)
    try:
        yield conn
    finally:
        conn.close()


def workspace_revision() -> int:
    """The workspace's current revision (changes with every write)."""
    with workspace() as conn:
        return store.revision(conn)


@st.cache_resource(show_spinner="Chargement des acteurs…", max_entries=2)
def _actors(path: str, revision: int) -> pd.DataFrame:
    with contextlib.closing(store.connect(path)) as conn:
        table = store.read_actors(conn)
    names = geography.communes()["nom"]
    table["nom_commune"] = table["code_commune"].map(names).fillna(table["commune"])
    return table


def actors() -> pd.DataFrame:
    """Every actor of the workspace (shared object: never mutate it).

    Adds ``nom_commune``: the official name of the actor's commune.
    """
    return _actors(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner=False)
def layer_features(level: str, properties: tuple[str, ...] = ("nom",)) -> dict:
    """GeoJSON of a level's display geometry, built once per process."""
    return maps.territory_features(geography.load_layer(level), list(properties))


def demo_banner() -> None:
    """Say so, on every page, while fictitious demo actors are shown."""
    with workspace() as conn:
        if store.has_demo_actors(conn):
            st.info(
                f"**{DEMO_BANNER}.** Les noms, adresses et numéros des acteurs "
                "sont inventés ; les territoires, les réseaux de référence et les "
                "ordres de grandeur nationaux sont réels.",
                icon="ℹ️",
            )


def french_document() -> None:
    """Declare the page's language as French (``<html lang="fr">``).

    Streamlit serves every app with ``lang="en"``; screen readers would then
    read the French text with an English voice (RGAA criterion 8.3). The
    script is a constant; it runs in the page, not in an iframe.
    """
    with st.sidebar:
        st.html(
            "<script>document.documentElement.lang = 'fr';</script>",
            unsafe_allow_javascript=True,
        )


def footer() -> None:
    """Sources and attribution, at the bottom of every page."""
    st.divider()
    # Not st.caption: its grey (#828180 on white, 3.9:1) fails the WCAG AA
    # contrast that axe-core checks; small text in the normal colour passes.
    st.markdown(
        f"<small>{geography.ATTRIBUTION}. Pays, PNR et réseaux : tables de "
        "référence (data/reference/SOURCES.md). Document source : CNCRES, cahier "
        "« Des réseaux territoriaux d'acteurs de l'ESS moteurs du développement "
        "local » (2011).</small>",
        unsafe_allow_html=True,
    )


def query_choice(name: str, allowed: Sequence[str], default: str) -> str:
    """A query parameter's value if it is one of ``allowed``, else ``default``."""
    value = st.query_params.get(name, default)
    return value if value in allowed else default


def set_query_params(**values: str | None) -> None:
    """Write page state to the URL; empty values remove their parameter."""
    for name, value in values.items():
        if value:
            if st.query_params.get(name) != value:
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


@st.cache_resource(show_spinner="Chargement des réseaux…", max_entries=2)
def _network_rows(
    path: str, revision: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The stored networks, perimeters and members, read once per revision."""
    with contextlib.closing(store.connect(path)) as conn:
        return (
            store.read_networks(conn),
            store.read_network_territories(conn),
            store.read_network_members(conn),
        )


@st.cache_resource(show_spinner=False, max_entries=2)
def _network_tables(
    path: str, revision: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    stored, territories, members = _network_rows(path, revision)
    table, perimeters = networks.with_names(stored, territories)
    return table, perimeters, members


def network_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The workspace's networks, perimeters and memberships (shared: never mutate).

    Returns ``(networks, perimeters, members)`` as
    :func:`ess_geo.workspace.networks.from_workspace` and
    :func:`ess_geo.workspace.store.read_network_members` give them.
    """
    return _network_tables(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner="Calcul du poids de l'ESS…", max_entries=4)
def _commune_totals(path: str, revision: int) -> pd.DataFrame:
    return weight.by_commune(_actors(path, revision))


def commune_totals() -> pd.DataFrame:
    """ESS totals per commune (:func:`ess_geo.analysis.weight.by_commune`), shared."""
    return _commune_totals(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner="Calcul des indicateurs…", max_entries=8)
def _ess_inputs(path: str, revision: int, level: str) -> pd.DataFrame:
    return coverage.ess_inputs(_actors(path, revision), level)


def ess_inputs(level: str) -> pd.DataFrame:
    """The workspace's actors as :func:`ess_geo.analysis.coverage.ess_inputs`."""
    return _ess_inputs(
        _prepared(str(store.workspace_path())), workspace_revision(), level
    )


def query_number(name: str, default: float, low: float, high: float) -> float:
    """A numeric query parameter within ``[low, high]``, else ``default``."""
    try:
        value = float(st.query_params.get(name, default))
    except ValueError:
        return default
    return value if low <= value <= high else default


def safe_table(frame: pd.DataFrame) -> None:
    """``st.table`` with every text cell shown literally (st.table renders Markdown)."""
    st.table(frame.map(lambda v: text.escape_markdown(v) if isinstance(v, str) else v))


@st.cache_resource(show_spinner="Préparation de l'annuaire…", max_entries=2)
def _actor_index(path: str, revision: int) -> directory.ActorIndex:
    return directory.ActorIndex.build(_actors(path, revision))


def actor_index() -> directory.ActorIndex:
    """Every actor, indexed for searches around a place (shared: never mutate)."""
    path = _prepared(str(store.workspace_path()))
    return _actor_index(path, workspace_revision())


@st.cache_resource(show_spinner=False, max_entries=2)
def _network_contacts(path: str, revision: int) -> contacts.NetworkTables:
    return contacts.from_tables(*_network_rows(path, revision))


def network_contacts() -> contacts.NetworkTables:
    """Networks ready for lookups by commune (:mod:`ess_geo.analysis.contacts`)."""
    path = _prepared(str(store.workspace_path()))
    return _network_contacts(path, workspace_revision())


_GEOLOCATION_HTML = """<div class="ess-geo">
<button type="button"><svg aria-hidden="true" focusable="false" width="16"
height="16" viewBox="0 0 24 24"><path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0
5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0
5z"/></svg> Me localiser</button>
<p role="status" aria-live="polite"></p>
</div>"""

_GEOLOCATION_CSS = """
.ess-geo{font-family:var(--st-font, inherit)}
.ess-geo button{font:inherit;font-size:1rem;min-height:2.5rem;display:inline-flex;
align-items:center;gap:.4rem;
padding:.4rem .9rem;border-radius:.5rem;cursor:pointer;
border:1px solid var(--st-text-color, #31333f);
background:var(--st-background-color, #ffffff);
color:var(--st-text-color, #31333f)}
.ess-geo button:hover{background:var(--st-secondary-background-color, #f0f2f6)}
.ess-geo button:focus-visible{outline:3px solid var(--st-text-color, #31333f);
outline-offset:2px}
.ess-geo button:disabled{cursor:wait}
.ess-geo p{margin:.25rem 0 0;font-size:.875rem;color:var(--st-text-color, #31333f)}
.ess-geo p:empty{display:none}
"""

# The browser asks the person first; nothing is sent unless they accept.
_GEOLOCATION_JS = """
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const button = parentElement.querySelector("button");
  const status = parentElement.querySelector("[role=status]");
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    status.textContent =
      "Ce navigateur ne sait pas vous localiser : indiquez votre commune.";
    return;
  }
  const failed = (error) => {
    button.disabled = false;
    const message =
      error.code === 1
        ? "Localisation refusée : indiquez votre commune ou votre code postal."
        : error.code === 3
          ? "Localisation trop longue : réessayez ou indiquez votre commune."
          : "Votre position n'a pas pu être déterminée : indiquez votre commune.";
    status.textContent = message;
    setTriggerValue("error", message);
  };
  const located = (position) => {
    button.disabled = false;
    status.textContent = "Position trouvée.";
    setTriggerValue("position", {
      lat: position.coords.latitude,
      lon: position.coords.longitude,
      accuracy: position.coords.accuracy,
    });
  };
  const onClick = () => {
    button.disabled = true;
    status.textContent = "Localisation en cours…";
    navigator.geolocation.getCurrentPosition(located, failed, {
      enableHighAccuracy: false,
      timeout: 15000,
      maximumAge: 300000,
    });
  };
  button.addEventListener("click", onClick);
  return () => button.removeEventListener("click", onClick);
}
"""

_geolocation = st.components.v2.component(
    "ess_geo.geolocation",
    html=_GEOLOCATION_HTML,
    css=_GEOLOCATION_CSS,
    js=_GEOLOCATION_JS,
)


def geolocation_button(key: str) -> tuple[dict | None, str | None]:
    """A "Me localiser" button using the browser's geolocation, with consent.

    Built with Streamlit's own component API (no iframe, no external
    script): the browser asks the person before sharing anything, and the
    page stays usable without it.

    Parameters
    ----------
    key : str
        Widget key.

    Returns
    -------
    (position, error)
        On the run that follows a click: ``{"lat", "lon", "accuracy"}`` if
        the person allowed it, else None and a French message saying why.
        (None, None) on every other run.
    """
    result = _geolocation(
        key=key, on_position_change=lambda: None, on_error_change=lambda: None
    )
    return getattr(result, "position", None), getattr(result, "error", None)


def employment() -> tuple[pd.Series | None, str | None]:
    """The employment table loaded in this session, and its file name."""
    return st.session_state.get(KEY_EMPLOYMENT, (None, None))


@st.cache_data(show_spinner="Lecture du fichier d'emploi…", max_entries=4)
def _read_employment(content: bytes, name: str) -> tuple[pd.Series, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        table = read_employment(content, name=name)
    return table, [str(w.message) for w in caught]


def load_employment(content: bytes | None, name: str | None) -> None:
    """Read an uploaded INSEE employment file into the session, or forget it.

    A file that cannot be used shows its French error and leaves the
    session without an employment table; the page goes on.
    """
    if content is None or name is None:
        st.session_state.pop(KEY_EMPLOYMENT, None)
        return
    try:
        table, notes = _read_employment(content, name)
    except EssGeoError as exc:
        st.session_state.pop(KEY_EMPLOYMENT, None)
        st.error(str(exc), icon="⚠️")
        return
    for note in notes:
        st.warning(note, icon="ℹ️")
    st.session_state[KEY_EMPLOYMENT] = (table, name)


@st.cache_data(show_spinner="Calcul des indicateurs…", max_entries=24)
def _weight_table(
    path: str, revision: int, level: str, employment_table: pd.Series | None
) -> pd.DataFrame:
    return weight.indicators(
        _commune_totals(path, revision), level, employment=employment_table
    )


def weight_table(level: str) -> pd.DataFrame:
    """ESS indicators of every territory of a level (with the session's employment)."""
    return _weight_table(
        _prepared(str(store.workspace_path())),
        workspace_revision(),
        level,
        employment()[0],
    )


@st.cache_data(show_spinner="Préparation du panorama…", max_entries=8, ttl=3600)
def _panorama(
    path: str,
    revision: int,
    level: str,
    code: str,
    employment_table: pd.Series | None,
    employment_source: str | None,
) -> panorama.Panorama:
    everyone = _actors(path, revision)
    return panorama.build(
        everyone,
        level,
        code,
        employment=employment_table,
        employment_source=employment_source,
        is_demo=bool(everyone["is_demo"].any()),
    )


def territory_panorama(level: str, code: str) -> panorama.Panorama:
    """The panorama of one territory from the workspace's actors (cached)."""
    table, source = employment()
    try:
        return _panorama(
            _prepared(str(store.workspace_path())),
            workspace_revision(),
            level,
            code,
            table,
            source,
        )
    except EssGeoError as exc:
        show_error(exc)


class CarteNetworks(NamedTuple):
    """The workspace's networks, as the Carte needs them (shared: read-only)."""

    table: pd.DataFrame
    """Indexed by id: ``nom``, ``kind``, ``status``, ``perimetre_exact``…"""
    territories: pd.DataFrame
    """Declared perimeters: ``network_id``, ``level``, ``code``."""
    members: pd.DataFrame
    """Memberships: ``network_id``, ``actor_id``."""
    perimeters: object
    """:func:`ess_geo.maps.perimeters.network_perimeters`, a GeoDataFrame."""


@st.cache_resource(show_spinner="Chargement des réseaux…", max_entries=2)
def _carte_networks(path: str, revision: int) -> CarteNetworks:
    table, territories, members = _network_rows(path, revision)
    drawn = perimeters.network_perimeters(table, territories)
    return CarteNetworks(table, territories, members, drawn)


def carte_networks() -> CarteNetworks:
    """The workspace's networks, their drawn perimeters and members (cached)."""
    return _carte_networks(_prepared(str(store.workspace_path())), workspace_revision())


@st.cache_resource(show_spinner="Préparation des filtres…", max_entries=2)
def _carte_actors(path: str, revision: int) -> pd.DataFrame:
    return filters.prepare(
        _actors(path, revision), _carte_networks(path, revision).members
    )


def carte_actors() -> pd.DataFrame:
    """Every actor with the columns the filters read (shared: never mutate it)."""
    return _carte_actors(_prepared(str(store.workspace_path())), workspace_revision())


CARTE_PAGE_CSS = """<style>
[data-testid="stColumn"] h2 {font-size: 1.4rem; line-height: 1.3;}
@media (max-width: 640px) {
  iframe[title="streamlit_folium.st_folium"] {height: 440px !important;}
}
</style>"""
"""Carte page CSS: side-panel headings sized for the column, and a shorter
map frame on phones (the map fills its frame, see
``ess_geo.maps.cartemap.carte_base``)."""


def definition_list(pairs: Sequence[tuple[str, str]]) -> None:
    """Show label/value pairs, values escaped (they come from data).

    A value that is an http(s) address becomes a link.
    """
    lines = []
    for label, value in pairs:
        shown = escape_markdown(value)
        if value.startswith(("http://", "https://")):
            shown = f"[{shown}](<{quote(value, safe=':/?&=#%.-_~+,;@')}>)"
        lines.append(f"- **{escape_markdown(label)}** : {shown}")
    st.markdown("\n".join(lines))


def workspace_changed() -> None:
    """Forget cached workspace tables after a write that may not move the revision.

    A restore can bring back a workspace whose revision number was already
    seen; every other write moves the revision, which the caches key on.
    """
    _actors.clear()


@st.cache_resource
def _login_throttle() -> auth.LoginThrottle:
    """One throttle for the whole process: attempts add up across sessions."""
    return auth.LoginThrottle()


def _staff_accounts() -> dict[str, str]:
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secrets = None
    try:
        return auth.load_accounts(os.environ, secrets)
    except EssGeoError as exc:
        show_error(exc)
        raise


def staff_login() -> str | None:
    """The signed-in staff member, or a sign-in form (and ``None``).

    Import and editing are reserved to staff accounts (variable
    ``ESS_GEO_STAFF`` or Streamlit secrets, see the README). Failed attempts
    are throttled per account name and per client address.
    """
    user = st.session_state.get(KEY_STAFF_USER)
    if user:
        return user
    accounts = _staff_accounts()
    if not accounts:
        st.info(
            "L'import et la modification des données sont réservés à l'équipe, et "
            "aucun compte n'est configuré sur ce serveur. Créez-en un avec "
            "`python -m ess_geo staff-hash`, puis renseignez la variable "
            f"d'environnement `{auth.ENV_VAR}` (voir le README).",
            icon="🔒",
        )
        return None
    with st.form("staff_login"):
        st.markdown("**Connexion de l'équipe** (import et modification des données)")
        name = st.text_input("Identifiant", autocomplete="username")
        password = st.text_input(
            "Mot de passe", type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        try:
            user = auth.authenticate(
                accounts,
                name,
                password,
                _login_throttle(),
                client=st.context.ip_address or "",
            )
        except LoginError as exc:
            st.error(str(exc), icon="🔒")
            return None
        st.session_state[KEY_STAFF_USER] = user
        st.rerun()
    return None


def staff_logout() -> None:
    """Sign the staff member out of this session."""
    st.session_state.pop(KEY_STAFF_USER, None)
