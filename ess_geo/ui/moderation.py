"""The Données page's « Propositions » rubric: staff moderate the public's proposals.

Staff only (the page calls it behind the sign-in). For each pending
proposal: what is proposed next to what exists, the message and the
contributor's e-mail (erased at the decision), then accept, edit then
accept, or reject with a reason. The public summary's count of pending
proposals is :func:`pending_summary`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ess_geo import formats
from ess_geo.errors import EssGeoError
from ess_geo.pages import contribute as texts
from ess_geo.text import escape_markdown
from ess_geo.ui.caches import workspace
from ess_geo.ui.chrome import safe_table
from ess_geo.ui.donnees_forms import actor_form
from ess_geo.ui.keys import ContributeKeys as K
from ess_geo.ui.messages import show_problem
from ess_geo.workspace import editing, proposals, store
from ess_geo.workspace.proposals import MAX_REASON_LENGTH, PROPOSAL_LABELS

__all__ = ["pending_summary", "proposals_tab"]


def pending_summary() -> None:
    """« n propositions en attente », for everyone (the page's public summary)."""
    with workspace() as conn:
        count = proposals.pending_count(conn)
    st.caption(texts.pending_line(count))


def _target_name(conn, record: Mapping[str, object]) -> str | None:
    try:
        if record["kind"] == "correction":
            return str(editing.actor_record(conn, int(record["actor_id"]))["nom"])
        if record["kind"] == "contact_reseau":
            return str(editing.network_record(conn, int(record["network_id"]))["nom"])
    except EssGeoError:
        return "fiche supprimée"
    return None


def _decide(
    proposal_id: int, action: Callable, message: str, done: Callable[[str], None]
) -> None:
    try:
        with workspace() as conn:
            audit_id = action(conn)
            record = proposals.proposal(conn, proposal_id)
    except EssGeoError as exc:
        show_problem(exc)
    else:
        done(texts.moderation_message(record, message, audit_id))


def proposals_tab(user: str, done: Callable[[str], None]) -> None:
    """The moderation queue.

    Parameters
    ----------
    user : str
        The signed-in staff member (the decisions' ``who``).
    done : callable
        Called with a confirmation after a decision (the page keeps it and
        reruns).
    """
    st.subheader("Propositions du public")
    st.caption(
        "Propositions d'acteurs, signalements d'erreurs et contacts de réseaux "
        "envoyés depuis l'Annuaire et la Carte. Rien n'est public avant d'être "
        "accepté ; accepter écrit la fiche (annulable dans le Journal). Le "
        "courriel de la personne est effacé dès la décision."
    )
    with workspace() as conn:
        queue = proposals.pending(conn)
        names = {r["id"]: _target_name(conn, r) for r in queue}
        network_options = store.read_networks(conn)["nom"]
    if not queue:
        st.info("Aucune proposition en attente.", icon="✅")
        return
    by_id = {r["id"]: r for r in queue}
    chosen = st.selectbox(
        f"Proposition ({formats.number(len(queue))} en attente, la plus ancienne "
        "d'abord)",
        list(by_id),
        format_func=lambda i: texts.queue_label(by_id[i], names[i]),
        key=K.QUEUE_CHOICE,
    )
    record = by_id[chosen]
    proposal_id = int(record["id"])
    _show(record)
    current = None
    if record["kind"] == "correction":
        with workspace() as conn:
            try:
                current = editing.actor_record(conn, int(record["actor_id"]))
            except EssGeoError as exc:
                show_problem(exc)
    if record["kind"] == "contact_reseau":
        with workspace() as conn:
            network = editing.network_record(conn, int(record["network_id"]))
        safe_table(texts.network_diff(record["fields"], network))
    else:
        safe_table(texts.actor_diff(record["fields"], current))

    if st.button("Accepter", type="primary", key=f"{K.QUEUE_CHOICE}.accept"):
        _decide(
            proposal_id,
            lambda c: proposals.accept(c, proposal_id, who=user),
            f"Proposition n° {proposal_id} acceptée",
            done,
        )
    with st.expander("Modifier puis accepter"):
        edits = _edit_form(record, current, network_options)
        if edits is not None:
            _decide(
                proposal_id,
                lambda c: proposals.accept(c, proposal_id, edits=edits, who=user),
                f"Proposition n° {proposal_id} modifiée et acceptée",
                done,
            )
    reason = st.text_input(
        "Raison du refus",
        max_chars=MAX_REASON_LENGTH,
        key=K.reason(proposal_id),
        help="Gardée pour l'équipe, jamais publiée.",
    )
    if st.button("Refuser", key=f"{K.QUEUE_CHOICE}.reject"):
        _decide(
            proposal_id,
            lambda c: proposals.reject(c, proposal_id, reason, who=user),
            f"Proposition n° {proposal_id} refusée",
            done,
        )


def _show(record: Mapping[str, object]) -> None:
    """The proposal's message and the contributor's e-mail, escaped."""
    lines = []
    if record.get("message"):
        lines.append(
            f"**{PROPOSAL_LABELS['message']}** : "
            + escape_markdown(str(record["message"])).replace("\n", "  \n")
        )
    if record["kind"] != "contact_reseau" and record["fields"].get("commune"):
        lines.append(
            f"**Commune saisie** : {escape_markdown(str(record['fields']['commune']))}"
        )
    email = record.get("contact_email")
    lines.append(
        "**Courriel de la personne** : "
        + (
            f"{escape_markdown(str(email))} (effacé dès la décision)"
            if email
            else "non donné"
        )
    )
    st.markdown("  \n".join(lines))


def _edit_form(
    record: Mapping[str, object],
    current: Mapping[str, object] | None,
    network_options,
) -> dict[str, object] | None:
    """The proposal's result as a form; the values to accept, once submitted."""
    if record["kind"] == "contact_reseau":
        fields = record["fields"]
        with st.form(K.edit_form(int(record["id"]))):
            values = {
                name: st.text_input(
                    PROPOSAL_LABELS[name], fields.get(name) or "", max_chars=300
                )
                for name in ("site_web", "email", "telephone")
            }
            saved = st.form_submit_button("Accepter avec ces valeurs", type="primary")
        return values if saved else None
    start = proposals.proposed_actor(record, current)
    start["reseaux"] = [] if current is None else current.get("reseaux", [])
    values, _, saved = actor_form(start, network_options, -int(record["id"]))
    return values if saved else None
