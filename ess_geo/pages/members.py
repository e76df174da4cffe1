"""Données › Réseaux: a member list reconciled with the workspace, for people.

What :mod:`ess_geo.ui.members_block` shows of a
:class:`ess_geo.workspace.members.MemberMatch`, without Streamlit.
"""

from __future__ import annotations

import pandas as pd

from ess_geo.workspace.members import MATCH_LABELS, SURE_STATUSES, MemberMatch

__all__ = [
    "ACTOR",
    "CONFIRM",
    "actor_options",
    "confirmed_choices",
    "match_summary",
    "match_table",
    "saved_message",
]

CONFIRM = "Confirmer"
"""The column a person ticks to accept a match."""

ACTOR = "Acteur retenu"
"""The column holding the actor a row is matched to (chosen for an ambiguity)."""

_PROPOSED = ("nom_commune", "nom_proche", "nom_perimetre")


def match_table(result: MemberMatch) -> pd.DataFrame:
    """One row per listed member: its match, ticked when there is one.

    Returns
    -------
    pandas.DataFrame
        ``Ligne`` (file line; the member's number for current members),
        ``Nom``, ``SIRET``, ``Rapprochement``, :data:`ACTOR` (the match;
        empty for an ambiguity, to choose among :func:`actor_options`),
        ``Candidats`` (an ambiguity's actors) and :data:`CONFIRM` (ticked
        for the same SIRET and for a single actor of the same name).
    """
    rows = result.rows
    return pd.DataFrame(
        {
            "Ligne": rows["line"].to_numpy(),
            "Nom": rows["nom"].to_numpy(),
            "SIRET": rows["siret"]
            .astype(object)
            .where(rows["siret"].notna(), "")
            .to_numpy(),
            "Rapprochement": rows["statut"].map(MATCH_LABELS).to_numpy(),
            ACTOR: rows["acteur"].to_numpy(),
            "Candidats": [
                " ; ".join(c[1] for c in cands) for cands in rows["candidats"]
            ],
            CONFIRM: rows["statut"].isin([*SURE_STATUSES, *_PROPOSED]).to_numpy(),
        }
    )


def _labels(result: MemberMatch) -> dict[str, int]:
    """Label -> actor id of every match and candidate."""
    out = {}
    for found, label, cands in zip(
        result.rows["actor_id"], result.rows["acteur"], result.rows["candidats"],
        strict=True,
    ):  # fmt: skip
        if pd.notna(found):
            out[label] = int(found)
        out.update({text: int(actor) for actor, text in cands})
    return out


def actor_options(result: MemberMatch) -> list[str]:
    """Every actor a row may be matched to (matches and candidates), as labels."""
    return list(_labels(result))


def confirmed_choices(edited: pd.DataFrame, result: MemberMatch) -> dict[int, int]:
    """Position -> actor id of the ticked rows that have an actor retained."""
    labels = _labels(result)
    ticked = edited[CONFIRM].fillna(False).astype(bool).to_numpy()
    chosen = edited[ACTOR].to_numpy()
    return {
        i: labels[chosen[i]]
        for i in range(len(edited))
        if ticked[i] and isinstance(chosen[i], str) and chosen[i] in labels
    }


def match_summary(result: MemberMatch) -> str:
    """One sentence: how many rows matched by SIRET, by name, not at all.

    Examples
    --------
    >>> rows = pd.DataFrame({"statut": ["siret", "nom_commune", "ambigu"]})
    >>> match_summary(MemberMatch("m.csv", 1, "R", rows))
    'm.csv → R : 3 ligne(s), 1 par le SIRET, 1 par le nom (à confirmer), 1 ambiguë(s), 0 introuvable(s).'
    """  # noqa: E501
    counts = result.rows["statut"].value_counts()
    names = sum(int(counts.get(s, 0)) for s in _PROPOSED)
    return (
        f"{result.file} → {result.network} : {len(result.rows)} ligne(s), "
        f"{int(counts.get('siret', 0))} par le SIRET, {names} par le nom (à "
        f"confirmer), {int(counts.get('ambigu', 0))} ambiguë(s), "
        f"{int(counts.get('introuvable', 0))} introuvable(s)."
    )


def saved_message(result: MemberMatch) -> str:
    """The confirmation after writing the memberships."""
    text = f"{len(result.added)} adhésion(s) ajoutée(s) à « {result.network} »"
    if result.removed:
        text += f", {len(result.removed)} remplacée(s)"
    if result.audit_id is not None:
        text += f" (modification n° {result.audit_id}, annulable dans le Journal)"
    return text + "."
