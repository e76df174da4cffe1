"""The staff sign-in that guards import and editing.

Accounts come from the variable ``ESS_GEO_STAFF`` or Streamlit secrets
(:func:`ess_geo.workspace.auth.load_accounts`); the signed-in name stays in
the session (:attr:`ess_geo.ui.keys.StaffKeys.USER`). Failed attempts are
throttled per account name and per client address, across sessions: the
address is the connection's, or, behind a reverse proxy named in
``ESS_GEO_TRUSTED_PROXIES``, the one its ``X-Forwarded-For`` reports
(:func:`ess_geo.workspace.auth.client_address`).
"""

from __future__ import annotations

import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ess_geo.errors import EssGeoError, LoginError
from ess_geo.ui.keys import StaffKeys
from ess_geo.ui.messages import show_error, show_problem
from ess_geo.workspace import auth

__all__ = ["staff_login", "staff_logout"]


@st.cache_resource
def _login_throttle() -> auth.LoginThrottle:
    """One throttle for the whole process: attempts add up across sessions."""
    return auth.LoginThrottle()


def _staff_accounts() -> dict[str, str]:
    """The configured accounts; a misconfiguration shows its error and stops."""
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secrets = None
    try:
        return auth.load_accounts(os.environ, secrets)
    except EssGeoError as exc:
        show_error(exc)


def staff_login() -> str | None:
    """The signed-in staff member, or a sign-in form (and ``None``).

    Import and editing are reserved to staff accounts (variable
    ``ESS_GEO_STAFF`` or Streamlit secrets, see the README). Failed attempts
    are throttled per account name and per client address.
    """
    user = st.session_state.get(StaffKeys.USER)
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
    with st.form(StaffKeys.LOGIN_FORM):
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
                client=auth.client_address(
                    st.context.ip_address,
                    st.context.headers.get("X-Forwarded-For"),
                    auth.trusted_proxies(),
                ),
            )
        except LoginError as exc:
            show_problem(exc, icon="🔒")
            return None
        st.session_state[StaffKeys.USER] = user
        st.rerun()
    return None


def staff_logout() -> None:
    """Sign the staff member out of this session."""
    st.session_state.pop(StaffKeys.USER, None)
