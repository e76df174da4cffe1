"""Streamlit helpers shared by the pages: workspace access, caches, common chrome.

This is the only module of ess_geo that imports streamlit. It holds the
cached loaders every page uses (so that big tables and map layers are built
once per process), the demo banner and footer, the error display, query
parameter helpers and the session-state keys.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ess_geo import auth, geography, maps, store
from ess_geo.errors import EssGeoError

__all__ = [
    "DEMO_BANNER",
    "KEY_MAP_VIEW",
    "KEY_STAFF_USER",
    "actors",
    "demo_banner",
    "escape_markdown",
    "footer",
    "layer_features",
    "query_choice",
    "set_query_params",
    "show_error",
    "staff_login",
    "staff_logout",
    "workspace",
    "workspace_changed",
    "workspace_revision",
]

DEMO_BANNER = "Données de démonstration — acteurs fictifs"

# Session-state keys (one place, so pages never spell them twice).
KEY_MAP_VIEW = "map_view"
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
    store.open_workspace(path).close()
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


def footer() -> None:
    """Sources and attribution, at the bottom of every page."""
    st.divider()
    st.caption(
        f"{geography.ATTRIBUTION}. Pays, PNR et réseaux : tables de référence "
        "(data/reference/SOURCES.md). Document source : CNCRES, cahier « Des réseaux "
        "territoriaux d'acteurs de l'ESS moteurs du développement local » (2011)."
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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: object) -> str:
    """User text made inert in Markdown (``st.markdown``, ``st.error``…)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


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
        except auth.LoginError as exc:
            st.error(str(exc), icon="🔒")
            return None
        st.session_state[KEY_STAFF_USER] = user
        st.rerun()
    return None


def staff_logout() -> None:
    """Sign the staff member out of this session."""
    st.session_state.pop(KEY_STAFF_USER, None)
