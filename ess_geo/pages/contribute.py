"""The public's proposals and their moderation: texts, commune, diffs (no Streamlit).

The public forms (« Proposer un acteur », « Signaler une erreur »,
« Proposer le contact de ce réseau ») and the Données page's « Propositions »
rubric draw widgets; what they say, how a typed commune becomes an INSEE
code, what a form starts with and what moderators compare are here.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ess_geo import formats
from ess_geo.actors.schema import FAMILY_LABELS, naf_label
from ess_geo.analysis import directory
from ess_geo.errors import ProposalError
from ess_geo.geo import geography
from ess_geo.workspace.editing import NETWORK_FIELD_LABELS
from ess_geo.workspace.proposals import (
    PROPOSAL_KINDS,
    PROPOSAL_LABELS,
    PROPOSAL_MAX_LENGTHS,
)

__all__ = [
    "HONEYPOT_LABEL",
    "NOTHING_CHANGED",
    "PROPOSE_ACTOR",
    "PROPOSE_CONTACT",
    "REPORT_ERROR",
    "RGPD_NOTICE",
    "SEND",
    "THANKS",
    "actor_diff",
    "commune_text",
    "correction_start",
    "field_help",
    "moderation_message",
    "network_diff",
    "pending_line",
    "queue_label",
    "resolve_commune",
    "unchanged",
]

PROPOSE_ACTOR = "Proposer un acteur"
REPORT_ERROR = "Signaler une erreur"
PROPOSE_CONTACT = "Proposer le contact de ce réseau"
SEND = "Envoyer la proposition"
THANKS = "Merci : votre proposition sera examinée par l'équipe"
RGPD_NOTICE = (
    "Rien de ce que vous proposez n'est publié avant d'avoir été vérifié par "
    "l'équipe. Votre courriel est facultatif : il sert seulement à vous "
    "répondre au sujet de cette proposition, n'est jamais publié ni transmis, "
    "et il est effacé dès que l'équipe a pris sa décision (RGPD : vous pouvez "
    "aussi nous demander de l'effacer avant)."
)
NOTHING_CHANGED = (
    "Rien n'a été modifié : corrigez ce qui est faux, ou dites-le dans « Message »."
)
HONEYPOT_LABEL = "Ne remplissez pas ce champ"
"""The hidden field's label: only a robot fills it."""


def field_help(name: str) -> str:
    """The size limit of a field, as the form's help text.

    Examples
    --------
    >>> field_help("message")
    '2\u202f000 caractères au plus.'
    """
    limit = f"{formats.number(PROPOSAL_MAX_LENGTHS[name])} caractères au plus."
    if name == "commune":
        return (
            "Le nom de la commune, avec le numéro du département s'il en existe "
            f"plusieurs (« sainte marie 35 »), ou son code postal. {limit}"
        )
    return limit


def commune_text(code: str) -> str:
    """A commune as a person would type it, unambiguous (name and département).

    Examples
    --------
    >>> commune_text("29019")
    'Brest 29'
    """
    commune = geography.communes().loc[code]
    return f"{commune['nom']} {commune['departement']}"


def resolve_commune(text: str | None) -> str:
    """The INSEE code of the commune a person typed.

    Parameters
    ----------
    text : str
        A name (accents and case optional), a name and a département number
        (« sainte marie 35 »), a postal code or an INSEE code.

    Returns
    -------
    str

    Raises
    ------
    ProposalError
        When nothing matches, or several communes do: the message says how
        to be precise.

    Examples
    --------
    >>> resolve_commune("29200")
    '29019'
    """
    query = (text or "").strip()[: PROPOSAL_MAX_LENGTHS["commune"]]
    if not query:
        raise ProposalError("Proposition refusée : indiquez la commune.")
    matches = directory.search_communes(query)
    exact = matches[matches["correspondance"] == "exact"]
    chosen = exact if len(exact) else matches
    if len(chosen) == 1:
        return str(chosen.index[0])
    if chosen.empty:
        raise ProposalError(
            f"Aucune commune ne correspond à « {query} » : vérifiez "
            "l'orthographe, ou indiquez le code postal."
        )
    examples = " ; ".join(chosen["label"].head(3))
    raise ProposalError(
        f"Plusieurs communes correspondent à « {query} » ({examples}…) : "
        "ajoutez le numéro du département (« sainte marie 35 ») ou indiquez "
        "le code postal."
    )


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value) and bool(str(value).strip())


def _activity(naf: object) -> str:
    """The activity's official label (the code when unknown), empty without one."""
    if not _present(naf):
        return ""
    label = naf_label(pd.Series([naf])).iloc[0]
    return str(label) if _present(label) else str(naf)


def correction_start(actor: Mapping[str, object]) -> dict[str, str]:
    """What « Signaler une erreur » starts with: the actor as the public sees it.

    Parameters
    ----------
    actor : mapping
        An actor's stored fields (``nom``, ``code_commune``, ``naf``,
        ``site_web``).

    Returns
    -------
    dict
        ``nom``, ``commune``, ``activite``, ``site_web``: text.
    """
    return {
        "nom": str(actor.get("nom") or ""),
        "commune": commune_text(str(actor["code_commune"])),
        "activite": _activity(actor.get("naf")),
        "site_web": str(actor["site_web"]) if _present(actor.get("site_web")) else "",
    }


def _text(value: object) -> str:
    return str(value) if _present(value) else "—"


def actor_diff(
    proposed: Mapping[str, object], current: Mapping[str, object] | None
) -> pd.DataFrame:
    """What a proposal says next to what the workspace holds, field by field.

    Parameters
    ----------
    proposed : mapping
        The proposal's ``fields``.
    current : mapping or None
        The actor's stored fields (a correction), ``None`` for a new actor.

    Returns
    -------
    pandas.DataFrame
        ``Champ``, ``Actuellement`` (absent for a new actor), ``Proposé``,
        ``Change`` (« oui » where the proposal differs).
    """
    communes = geography.communes()["nom"]
    rows = []
    for name in ("nom", "code_commune", "activite", "site_web", "famille"):
        if name not in proposed:
            continue
        new = proposed.get(name)
        old = None if current is None else current.get(name)
        if name == "code_commune":
            new = f"{communes.get(new, '?')} ({new})" if new else None
            old = f"{communes.get(old, '?')} ({old})" if old else None
            label = PROPOSAL_LABELS["commune"]
        elif name == "activite":
            old = _activity(None if current is None else current.get("naf"))
            label = PROPOSAL_LABELS[name]
        else:
            if name == "famille":
                new = FAMILY_LABELS.get(new, new)
                old = FAMILY_LABELS.get(old, old)
            label = PROPOSAL_LABELS[name]
        row = {"Champ": label}
        if current is not None:
            row["Actuellement"] = _text(old)
        row["Proposé"] = _text(new)
        row["Change"] = "oui" if current is None or _text(old) != _text(new) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def network_diff(
    proposed: Mapping[str, object], current: Mapping[str, object]
) -> pd.DataFrame:
    """A network contact proposal next to the network's stored contact.

    Returns
    -------
    pandas.DataFrame
        ``Champ``, ``Actuellement``, ``Proposé``, ``Change``.
    """
    rows = []
    for name in ("site_web", "email", "telephone"):
        old, new = _text(current.get(name)), _text(proposed.get(name))
        rows.append(
            {
                "Champ": NETWORK_FIELD_LABELS[name],
                "Actuellement": old,
                "Proposé": new,
                "Change": "oui" if new != "—" and new != old else "",
            }
        )
    return pd.DataFrame(rows)


def queue_label(record: Mapping[str, object], target_name: str | None) -> str:
    """One line naming a pending proposal in the moderation queue.

    Examples
    --------
    >>> queue_label({"id": 3, "kind": "acteur", "fields": {"nom": "Café"},
    ...              "received": 2, "created_at": "2026-03-01T08:05:00+00:00"}, None)
    'n° 3 · Nouvel acteur · « Café » · 01/03/2026 · reçue 2 fois'
    """
    fields = record["fields"]
    name = target_name if target_name is not None else fields.get("nom")
    parts = [
        f"n° {record['id']}",
        PROPOSAL_KINDS[str(record["kind"])],
        f"« {name} »",
        f"{pd.Timestamp(str(record['created_at'])):%d/%m/%Y}",
    ]
    if int(record.get("received") or 1) > 1:
        parts.append(f"reçue {formats.number(int(record['received']))} fois")
    return " · ".join(parts)


def pending_line(count: int) -> str:
    """The public summary's count of proposals awaiting a decision.

    Examples
    --------
    >>> pending_line(0), pending_line(1), pending_line(1234)
    ('0 proposition en attente', '1 proposition en attente', \
'1\u202f234 propositions en attente')
    """
    plural = "s" if count > 1 else ""
    return f"{formats.number(count)} proposition{plural} en attente"


def moderation_message(
    record: Mapping[str, object], message: str, audit_id: int
) -> str:
    """The confirmation of a moderation decision, naming the record it wrote.

    Examples
    --------
    >>> moderation_message({"kind": "acteur", "status": "acceptee", "result_id": 12},
    ...                  "Proposition n° 3 acceptée", 40)
    'Proposition n° 3 acceptée : fiche n° 12 (modification n° 40, annulable dans le \
Journal).'
    """
    where = ""
    if record["status"] == "acceptee" and record.get("result_id") is not None:
        what = "réseau" if record["kind"] == "contact_reseau" else "fiche"
        where = f" : {what} n° {record['result_id']}"
    return f"{message}{where} (modification n° {audit_id}, annulable dans le Journal)."


def unchanged(start: Mapping[str, str], typed: Mapping[str, object]) -> bool:
    """Whether a correction form was sent as it started, with no message.

    Examples
    --------
    >>> start = {"nom": "Café", "commune": "Brest 29"}
    >>> unchanged(start, {"nom": "Café ", "commune": "Brest 29", "message": ""})
    True
    >>> unchanged(start, {"nom": "Café", "commune": "Brest 29", "message": "Fermé"})
    False
    """
    if str(typed.get("message") or "").strip():
        return False
    return all(
        str(typed.get(name) or "").strip() == str(value).strip()
        for name, value in start.items()
    )
