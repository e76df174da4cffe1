"""The public's proposal forms: propose an actor, report an error, give a contact.

No account: anyone may send a proposal, which waits for the team's decision
(:mod:`ess_geo.workspace.proposals`) and is shown nowhere before. The texts
come from :mod:`ess_geo.pages.contribute`. Each form has a hidden honeypot
field, and sending is rate-limited per session, per client address
(``st.context.ip_address``) and in all, counted in the workspace for every
server (:class:`ess_geo.workspace.ratelimit.RateLimiter`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from ess_geo.actors.schema import FAMILY_LABELS
from ess_geo.analysis.contacts import LocalContacts
from ess_geo.errors import EssGeoError
from ess_geo.pages import contribute as texts
from ess_geo.text import escape_markdown
from ess_geo.ui.caches import workspace
from ess_geo.ui.keys import ContributeKeys as K
from ess_geo.ui.messages import show_problem
from ess_geo.workspace import proposals, ratelimit
from ess_geo.workspace.proposals import PROPOSAL_LABELS, PROPOSAL_MAX_LENGTHS

__all__ = [
    "network_contact_forms",
    "propose_actor_form",
    "propose_contact_form",
    "report_error_form",
    "report_error_picker",
]

# Moves the honeypot out of sight (not display:none, which robots skip).
_HONEYPOT_CSS = (
    '<style>[class*="st-key-contribute-honeypot-"]{position:absolute!important;'
    "left:-10000px!important;width:1px!important;height:1px!important;"
    "overflow:hidden!important}</style>"
)


@st.cache_resource
def _limiter() -> ratelimit.RateLimiter:
    """The limits (their counts live in the workspace, shared by the servers)."""
    return ratelimit.RateLimiter()


def _session() -> str:
    return st.session_state.setdefault(K.SESSION, secrets.token_hex(8))


def _text_input(name: str, value: str = "", *, label: str | None = None) -> str:
    return st.text_input(
        label or PROPOSAL_LABELS[name],
        value,
        max_chars=PROPOSAL_MAX_LENGTHS[name],
        help=texts.field_help(name),
    )


def _form(
    name: str,
    kind: str,
    start: Mapping[str, str],
    *,
    actor_id: int | None = None,
    network_id: int | None = None,
) -> None:
    """One proposal form; on sending, thanks (next run) or what to fix."""
    round_ = st.session_state.get(K.round(name), 0)
    st.html(_HONEYPOT_CSS)
    with st.form(K.form(f"{name}.{round_}")):
        st.markdown(texts.RGPD_NOTICE)
        values: dict[str, object] = {}
        commune = ""
        if kind in ("acteur", "correction"):
            values["nom"] = _text_input("nom", start.get("nom", ""))
            commune = _text_input("commune", start.get("commune", ""))
            values["activite"] = _text_input("activite", start.get("activite", ""))
            values["site_web"] = _text_input("site_web", start.get("site_web", ""))
            if kind == "acteur":
                values["famille"] = st.selectbox(
                    "Famille (si vous la connaissez)",
                    ["", *FAMILY_LABELS],
                    format_func=lambda f: FAMILY_LABELS.get(f, "Je ne sais pas"),
                )
        else:
            values["site_web"] = _text_input("site_web")
            values["email"] = _text_input("email")
            values["telephone"] = _text_input("telephone")
        values["contact_email"] = _text_input("contact_email")
        values["message"] = st.text_area(
            PROPOSAL_LABELS["message"],
            max_chars=PROPOSAL_MAX_LENGTHS["message"],
            help=texts.field_help("message"),
        )
        with st.container(key=K.honeypot(name)):
            trap = st.text_input(texts.HONEYPOT_LABEL, autocomplete="off")
        sent = st.form_submit_button(texts.SEND, type="primary")
    if not sent:
        return
    typed = {**values, "commune": commune}
    if kind == "correction" and texts.unchanged(start, typed):
        show_problem(texts.NOTHING_CHANGED)
        return
    address = st.context.ip_address
    try:
        with workspace() as conn:
            _limiter().check(conn, _session(), address)
            if kind in ("acteur", "correction"):
                values["commune"] = commune
                values["code_commune"] = texts.resolve_commune(commune)
            proposal_id = proposals.submit(
                conn,
                kind,
                {k: (v or None) for k, v in values.items()},
                actor_id=actor_id,
                network_id=network_id,
                honeypot=trap,
            )
            if proposal_id is not None:
                _limiter().record(conn, _session(), address)
    except EssGeoError as exc:
        show_problem(exc)
        return
    st.session_state[K.THANKS] = kind if network_id is None else f"{kind}-{network_id}"
    st.session_state[K.round(name)] = round_ + 1
    st.rerun()


def _thanks(kind: str) -> None:
    """The thank-you message, once, above the form that sent a proposal."""
    if st.session_state.get(K.THANKS) == kind:
        st.session_state.pop(K.THANKS)
        st.success(texts.THANKS, icon="✅")


def propose_actor_form(commune: str | None = None) -> None:
    """« Proposer un acteur », starting from the page's commune (INSEE code)."""
    _thanks("acteur")
    with st.expander(texts.PROPOSE_ACTOR):
        st.markdown(
            "Vous connaissez une association, une coopérative, une mutuelle ou "
            "une fondation qui manque ici ? Proposez-la : l'équipe la vérifie "
            "avant de l'ajouter."
        )
        start = {"commune": texts.commune_text(commune)} if commune else {}
        _form("acteur", "acteur", start)


def report_error_form(actor_id: int, actor: Mapping[str, object]) -> None:
    """« Signaler une erreur » on one actor's card (its fields to correct)."""
    _thanks("correction")
    with st.expander(texts.REPORT_ERROR):
        st.markdown(
            "Corrigez ce qui est faux ci-dessous et dites-nous ce qui a changé "
            "dans « Message »."
        )
        _form(
            f"correction-{actor_id}",
            "correction",
            texts.correction_start(actor),
            actor_id=actor_id,
        )


def report_error_picker(shown: pd.DataFrame, start: int) -> None:
    """« Signaler une erreur » for the actors of a page of results.

    Parameters
    ----------
    shown : pandas.DataFrame
        The page's actors, indexed by id, in the list's order.
    start : int
        The list number of the first one.
    """
    _thanks("correction")
    with st.expander(texts.REPORT_ERROR):
        numbers = {a: n for n, a in enumerate(shown.index, start=start)}
        actor_id = st.selectbox(
            "Fiche concernée",
            list(shown.index),
            format_func=lambda a: f"{numbers[a]}. {shown.at[a, 'nom']}",
            key=K.REPORT_TARGET,
        )
        if actor_id is None:
            return
        st.markdown(
            "Corrigez ce qui est faux ci-dessous et dites-nous ce qui a changé "
            "dans « Message »."
        )
        _form(
            f"correction-{actor_id}",
            "correction",
            texts.correction_start(shown.loc[actor_id]),
            actor_id=int(actor_id),
        )


def propose_contact_form(network_id: int, network_name: str) -> None:
    """« Proposer le contact de ce réseau », for a network without a known contact."""
    _thanks(f"contact_reseau-{network_id}")
    with st.expander(texts.PROPOSE_CONTACT):
        st.markdown(
            f"Le site, le courriel ou le téléphone de « "
            f"{escape_markdown(network_name)} » : l'équipe les vérifie avant de "
            "les publier."
        )
        _form(f"contact-{network_id}", "contact_reseau", {}, network_id=network_id)


def network_contact_forms(local: LocalContacts) -> None:
    """A contact form for each network shown whose contact is unknown.

    Below « Le réseau ESS de mon territoire »: the networks covering the
    commune (or the nearest one) with no site, e-mail nor telephone.
    """
    shown = local.covering if len(local.covering) else local.nearest.iloc[:1]
    for network_id, network in shown.iterrows():
        if any(_known(network.get(f)) for f in ("site_web", "email", "telephone")):
            continue
        st.markdown(
            f"Nous ne connaissons pas le contact de « "
            f"{escape_markdown(str(network['nom']))} » : la CRESS ci-dessus peut "
            "vous orienter vers lui. Si vous le connaissez, aidez-nous :"
        )
        propose_contact_form(int(network_id), str(network["nom"]))


def _known(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
