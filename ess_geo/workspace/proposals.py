"""The public's proposals and their moderation.

Anyone may propose a new actor, report an error on an actor's card, or give
the contact of a territorial network; nothing of it is public before a staff
member accepts it. A proposal is checked with the import's rules and
messages (:mod:`ess_geo.io.validation`) and placed like an import row (it
names its commune by code); it then waits in the table ``proposals``, which
no public query reads.

Accepting writes the actor (or the network's contact) through the same
checks as the Données page's forms (:mod:`ess_geo.workspace.editing`) and
the change journal, in one transaction with the proposal's new status: the
acceptance is in the audit log and can be undone (the proposal then waits
again). A rejection needs a reason. Either decision erases the
contributor's e-mail address, used only to answer; it is erased before the
journal copies the row, so no trace of it is kept.

Abuse: every field has a size limit (:data:`PROPOSAL_MAX_LENGTHS`), HTML tags and
control characters are removed (and pages escape what they show), a filled
honeypot field makes :func:`submit` store nothing, and a pending proposal
that repeats another is merged into it (:func:`dedup_key`). Rate limits are
in :mod:`ess_geo.workspace.ratelimit`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping

import pandas as pd

from ess_geo import formats
from ess_geo.actors import FAMILY_LABELS, text_key
from ess_geo.errors import EditError, ProposalError
from ess_geo.io.validation import (
    EMAIL_PATTERN,
    MAX_NAME_LENGTH,
    ValidationContext,
    validate,
)
from ess_geo.workspace import editing, history, store

__all__ = [
    "MAX_REASON_LENGTH",
    "PROPOSAL_FIELDS",
    "PROPOSAL_KINDS",
    "PROPOSAL_LABELS",
    "PROPOSAL_MAX_LENGTHS",
    "PROPOSAL_STATUSES",
    "PUBLIC_WHO",
    "accept",
    "clean_text",
    "dedup_key",
    "pending",
    "pending_count",
    "proposal",
    "proposed_actor",
    "reject",
    "submit",
]

PROPOSAL_KINDS: dict[str, str] = {
    "acteur": "Nouvel acteur",
    "correction": "Correction d'un acteur",
    "contact_reseau": "Contact d'un réseau",
}
"""Kinds of proposal: value -> French label."""

PROPOSAL_STATUSES: dict[str, str] = {
    "en_attente": "En attente",
    "acceptee": "Acceptée",
    "refusee": "Refusée",
}
"""A proposal's status: value -> French label."""

PROPOSAL_FIELDS: dict[str, tuple[str, ...]] = {
    "acteur": ("nom", "code_commune", "commune", "activite", "site_web", "famille"),
    "correction": ("nom", "code_commune", "commune", "activite", "site_web"),
    "contact_reseau": ("site_web", "email", "telephone"),
}
"""The proposed fields of each kind (stored as JSON in ``proposals.fields``)."""

PROPOSAL_LABELS: dict[str, str] = {
    "nom": "Nom",
    "commune": "Commune",
    "code_commune": "Code commune",
    "activite": "Activité",
    "site_web": "Site web",
    "famille": "Famille",
    "email": "Courriel du réseau",
    "telephone": "Téléphone du réseau",
    "contact_email": "Courriel de contact (facultatif)",
    "message": "Message",
}
"""French label of each field a person fills in (the public form's labels)."""

PROPOSAL_MAX_LENGTHS: dict[str, int] = {
    "nom": MAX_NAME_LENGTH,
    "commune": 100,
    "code_commune": 5,
    "activite": 200,
    "site_web": 300,
    "famille": 40,
    "email": 254,
    "telephone": 30,
    "contact_email": 254,
    "message": 2_000,
}
"""Longest accepted value of each field, in characters (254: RFC 5321's
longest address)."""

MAX_REASON_LENGTH = 500
"""Longest rejection reason, in characters."""

PUBLIC_WHO = "public"
"""The audit log's ``who`` of a proposal sent by a visitor."""

_TAG = re.compile(r"<[^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANKS = re.compile(r"[ \t]+")


def clean_text(value: object) -> str | None:
    """A typed value as stored: tags and control characters removed, trimmed.

    Returns
    -------
    str or None
        ``None`` when nothing is left.

    Examples
    --------
    >>> clean_text("  <b>Épicerie</b>  <script>x</script>{{7*7}} ")
    'Épicerie x{{7*7}}'
    >>> clean_text("<>") is None
    True
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = _CONTROL.sub("", _TAG.sub("", str(value)))
    text = "\n".join(_BLANKS.sub(" ", line).strip() for line in text.splitlines())
    text = text.strip()
    return text or None


def _checked(kind: str, given: Mapping[str, object]) -> dict[str, str | None]:
    """Clean the fields of a proposal and check their sizes."""
    if kind not in PROPOSAL_KINDS:
        raise ValueError(
            f"`kind` was {kind!r} but is expected in {list(PROPOSAL_KINDS)}"
        )
    allowed = {*PROPOSAL_FIELDS[kind], "contact_email", "message"}
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ValueError(f"unknown proposal field(s) {unknown}")
    values = {name: clean_text(given.get(name)) for name in sorted(allowed)}
    problems = [
        f"« {PROPOSAL_LABELS[name]} » dépasse "
        f"{formats.number(PROPOSAL_MAX_LENGTHS[name])} caractères "
        f"({formats.number(len(value))})"
        for name, value in values.items()
        if value is not None and len(value) > PROPOSAL_MAX_LENGTHS[name]
    ]
    if problems:
        raise ProposalError(
            "Proposition refusée : " + " ; ".join(problems) + " : raccourcissez-le."
        )
    return values


def _import_reasons(row: Mapping[str, object]) -> str | None:
    """The import's reason for refusing one row, or None if it passes."""
    frame = pd.DataFrame([{**row, "line": 1}]).astype({"line": "int64"})
    result = validate(frame, ValidationContext())
    return result.rejected["reason"].iloc[0] if len(result.rejected) else None


def _validate(kind: str, values: Mapping[str, str | None]) -> None:
    """Check a proposal with the import's rules; ProposalError with its reasons."""
    reasons = []
    if kind in ("acteur", "correction"):
        famille = values.get("famille")
        if famille is not None and famille not in FAMILY_LABELS:
            reasons.append(f"famille « {famille} » inconnue")
        row = {
            "nom": values["nom"],
            # The famille is often unknown to the public: staff set it when
            # accepting; the other rules apply as to an import row.
            "famille": famille if famille in FAMILY_LABELS else "association",
            "code_commune": values["code_commune"],
            "site_web": values["site_web"],
        }
        if reason := _import_reasons(row):
            reasons.append(reason)
    else:
        if not any(values[f] for f in PROPOSAL_FIELDS[kind]):
            reasons.append("aucun contact donné (site web, courriel ou téléphone)")
        email = values["email"]
        if email is not None and not re.match(EMAIL_PATTERN, email):
            reasons.append(f"courriel « {email} » invalide")
    contact = values["contact_email"]
    if contact is not None and not re.match(EMAIL_PATTERN, contact):
        reasons.append(f"courriel de contact « {contact} » invalide")
    if reasons:
        raise ProposalError("Proposition refusée : " + " ; ".join(reasons) + ".")


def dedup_key(
    kind: str,
    fields: Mapping[str, object],
    *,
    actor_id: int | None = None,
    network_id: int | None = None,
) -> str:
    """What makes two pending proposals the same one (they are merged).

    A new actor: the same name (accents, case and punctuation ignored) in
    the same commune. A correction: the same actor, name and commune. A
    network's contact: the same network.

    Examples
    --------
    >>> dedup_key("acteur", {"nom": "L'Épicerie", "code_commune": "29019"})
    'acteur|l epicerie|29019'
    >>> dedup_key("contact_reseau", {}, network_id=4)
    'contact_reseau|4'
    """
    if kind == "contact_reseau":
        return f"{kind}|{network_id}"
    name = text_key(fields.get("nom") or "")
    target = [str(actor_id)] if kind == "correction" else []
    return "|".join([kind, *target, name, str(fields.get("code_commune") or "")])


def _target(
    conn: sqlite3.Connection, kind: str, actor_id: int | None, network_id: int | None
) -> None:
    if kind == "correction":
        if actor_id is None:
            raise ValueError("a correction needs `actor_id`")
        editing.actor_record(conn, actor_id)
    elif kind == "contact_reseau":
        if network_id is None:
            raise ValueError("a network contact needs `network_id`")
        editing.network_record(conn, network_id)


def submit(
    conn: sqlite3.Connection,
    kind: str,
    fields: Mapping[str, object],
    *,
    actor_id: int | None = None,
    network_id: int | None = None,
    honeypot: object = None,
) -> int | None:
    """Record a proposal from the public; it waits for a staff decision.

    Parameters
    ----------
    conn : sqlite3.Connection
    kind : str
        A key of :data:`PROPOSAL_KINDS`.
    fields : mapping
        Among :data:`PROPOSAL_FIELDS` of the kind, ``contact_email`` and
        ``message``: text as typed. An actor names its commune by INSEE code
        (``code_commune``; ``commune`` is the name as typed).
    actor_id : int, optional
        The actor a correction is about.
    network_id : int, optional
        The network whose contact is given.
    honeypot : object, optional
        The hidden field a person never fills: when it holds anything,
        nothing is stored and ``None`` is returned (a robot is not told).

    Returns
    -------
    int or None
        The proposal's id (an earlier pending one when this one repeats it:
        they are merged), or ``None`` for a robot.

    Raises
    ------
    ProposalError
        With every reason, in French (the import's for an actor's fields).
    EditError
        If the actor or network does not exist.
    """
    if clean_text(honeypot) is not None:
        return None
    values = _checked(kind, fields)
    _validate(kind, values)
    _target(conn, kind, actor_id, network_id)
    proposed = {name: values[name] for name in PROPOSAL_FIELDS[kind]}
    key = dedup_key(kind, proposed, actor_id=actor_id, network_id=network_id)
    now = store._now()
    with store.transaction(conn):
        journal = history.Journal(conn)
        same = conn.execute(
            "SELECT * FROM proposals WHERE status = 'en_attente' AND dedup_key = ? "
            "ORDER BY id LIMIT 1",
            (key,),
        ).fetchone()
        if same is None:
            ((proposal_id,),) = journal.insert(
                "proposals",
                [
                    {
                        "kind": kind,
                        "actor_id": actor_id,
                        "network_id": network_id,
                        "fields": json.dumps(proposed, ensure_ascii=False),
                        "message": values["message"],
                        "contact_email": values["contact_email"],
                        "dedup_key": key,
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            action = {"id": proposal_id, "type": kind}
        else:
            proposal_id = same["id"]
            # Not through the journal, which would copy the row, e-mail
            # included, where erasing it at the decision could not reach.
            merged = _merged(same, proposed, values)
            conn.execute(
                "UPDATE proposals SET fields = ?, message = ?, contact_email = ?, "
                "received = ?, updated_at = ? WHERE id = ?",
                (
                    merged["fields"],
                    merged["message"],
                    merged["contact_email"],
                    merged["received"],
                    merged["updated_at"],
                    proposal_id,
                ),
            )
            action = {"id": proposal_id, "type": kind, "fusion": True}
        journal.commit("proposition.depot", action, who=PUBLIC_WHO)
    return int(proposal_id)


def _merged(
    same: sqlite3.Row, proposed: Mapping[str, object], values: Mapping[str, object]
) -> dict[str, object]:
    """A pending proposal completed by a repeat: empty fields filled, messages kept."""
    fields = json.loads(same["fields"])
    for name, value in proposed.items():
        if fields.get(name) is None and value is not None:
            fields[name] = value
    messages = [m for m in (same["message"], values["message"]) if m]
    message = "\n---\n".join(dict.fromkeys(messages)) or None
    if message is not None and len(message) > PROPOSAL_MAX_LENGTHS["message"]:
        message = same["message"]
    return {
        "fields": json.dumps(fields, ensure_ascii=False),
        "message": message,
        "contact_email": same["contact_email"] or values["contact_email"],
        "received": same["received"] + 1,
        "updated_at": store._now(),
    }


def proposal(conn: sqlite3.Connection, proposal_id: int) -> dict[str, object]:
    """One proposal: its columns, ``fields`` decoded.

    Raises
    ------
    ProposalError
        If there is no such proposal.
    """
    row = conn.execute(
        "SELECT * FROM proposals WHERE id = ?", (int(proposal_id),)
    ).fetchone()
    if row is None:
        raise ProposalError(f"Proposition n° {proposal_id} introuvable.")
    record = dict(row)
    record["fields"] = json.loads(record["fields"])
    return record


def pending(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """The proposals awaiting a decision, oldest first (as :func:`proposal`)."""
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM proposals WHERE status = 'en_attente' ORDER BY id"
        )
    ]
    return [proposal(conn, i) for i in ids]


def pending_count(conn: sqlite3.Connection) -> int:
    """How many proposals await a decision (the public summary shows it)."""
    (count,) = conn.execute(
        "SELECT count(*) FROM proposals WHERE status = 'en_attente'"
    ).fetchone()
    return int(count)


def _pending_record(conn: sqlite3.Connection, proposal_id: int) -> dict[str, object]:
    record = proposal(conn, proposal_id)
    if record["status"] != "en_attente":
        raise ProposalError(
            f"La proposition n° {proposal_id} est déjà "
            f"{PROPOSAL_STATUSES[record['status']].lower()} : rien n'a été changé."
        )
    return record


def _decide(
    journal: history.Journal,
    proposal_id: int,
    status: str,
    who: str | None,
    *,
    reason: str | None = None,
    result_id: int | None = None,
) -> None:
    """Set the decision; erase the contributor's e-mail before the journal copies it."""
    journal.conn.execute(
        "UPDATE proposals SET contact_email = NULL WHERE id = ?", (proposal_id,)
    )
    journal.update(
        "proposals",
        (proposal_id,),
        {
            "status": status,
            "reason": reason,
            "decided_by": who,
            "decided_at": store._now(),
            "result_id": result_id,
            "updated_at": store._now(),
        },
    )


def proposed_actor(
    record: Mapping[str, object], current: Mapping[str, object] | None
) -> dict[str, object]:
    """The actor form a proposal gives: the actor's fields with the proposed ones.

    Parameters
    ----------
    record : mapping
        A proposal (:func:`proposal`) of an actor kind.
    current : mapping or None
        The actor's stored fields for a correction, ``None`` for a new actor.

    Returns
    -------
    dict
        Every field of :data:`~ess_geo.workspace.editing.ACTOR_FORM_FIELDS`;
        a new commune clears the old position, postal code and commune name.
    """
    proposed = record["fields"]
    if current is None:
        fields: dict[str, object] = {name: None for name in editing.ACTOR_FORM_FIELDS}
        fields["famille"] = proposed.get("famille")
    else:
        fields = {name: current.get(name) for name in editing.ACTOR_FORM_FIELDS}
    for name in ("nom", "site_web"):
        if proposed.get(name) is not None:
            fields[name] = proposed[name]
    code = proposed.get("code_commune")
    if code is not None and code != fields.get("code_commune"):
        # Another commune: the old position, postal code and name go.
        fields.update(
            code_commune=code,
            latitude=None,
            longitude=None,
            code_postal=None,
            commune=None,
        )
    return fields


def accept(
    conn: sqlite3.Connection,
    proposal_id: int,
    *,
    edits: Mapping[str, object] | None = None,
    who: str | None = None,
) -> int:
    """Accept a proposal: the actor is created or updated, or the network's contact.

    Parameters
    ----------
    conn : sqlite3.Connection
    proposal_id : int
    edits : mapping, optional
        Staff's changes before accepting ("edit then accept"): actor fields
        (:data:`~ess_geo.workspace.editing.ACTOR_FORM_FIELDS`) or network
        fields (:data:`~ess_geo.workspace.editing.NETWORK_FORM_FIELDS`); they
        win over the proposed values.
    who : str, optional
        The staff member.

    Returns
    -------
    int
        The audit id of the acceptance (undo it from the Journal).

    Raises
    ------
    ProposalError
        If the proposal is unknown or already decided.
    EditError
        If the result is refused by the form's checks (say a missing
        famille): edit, then accept again. Nothing is written then.
    """
    record = _pending_record(conn, proposal_id)
    kind = record["kind"]
    edits = dict(edits or {})
    if kind == "contact_reseau":
        return _accept_contact(conn, record, edits, who)
    current = None
    if kind == "correction":
        current = editing.actor_record(conn, int(record["actor_id"]))
    fields = {**proposed_actor(record, current), **edits}
    if not fields.get("famille"):
        raise EditError(
            "Fiche refusée : famille inconnue : choisissez-la (Modifier puis accepter)."
        )
    actor_id = None if current is None else int(current["id"])
    values = editing.check_actor(conn, fields, actor_id)
    with store.transaction(conn):
        journal = history.Journal(conn)
        if current is None:
            (actor_id,) = journal.insert_actors(
                pd.DataFrame([values]), source="proposition"
            )
        else:
            changed = {k: v for k, v in values.items() if current.get(k) != v}
            if changed:
                journal.update(
                    "actors", (actor_id,), {**changed, "updated_at": store._now()}
                )
        _decide(journal, proposal_id, "acceptee", who, result_id=actor_id)
        return journal.commit(
            "proposition.acceptation",
            {"id": proposal_id, "type": kind, "acteur": actor_id, "nom": values["nom"]},
            who=who,
        )


def _accept_contact(
    conn: sqlite3.Connection,
    record: Mapping[str, object],
    edits: Mapping[str, object],
    who: str | None,
) -> int:
    network_id = int(record["network_id"])
    current = editing.network_record(conn, network_id)
    fields = {name: current.get(name) for name in editing.NETWORK_FORM_FIELDS}
    fields.update({k: v for k, v in record["fields"].items() if v is not None})
    fields.update(edits)
    values, _ = editing.check_network(
        conn, fields, current["level"], current["codes"], network_id
    )
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    with store.transaction(conn):
        journal = history.Journal(conn)
        if changed:
            journal.update(
                "networks", (network_id,), {**changed, "updated_at": store._now()}
            )
        _decide(journal, int(record["id"]), "acceptee", who, result_id=network_id)
        return journal.commit(
            "proposition.acceptation",
            {
                "id": record["id"],
                "type": record["kind"],
                "reseau": network_id,
                "nom": values["nom"],
                "champs": sorted(changed),
            },
            who=who,
        )


def reject(
    conn: sqlite3.Connection, proposal_id: int, reason: str, *, who: str | None = None
) -> int:
    """Reject a proposal with a reason (kept for the team, not shown publicly).

    Returns
    -------
    int
        The audit id of the rejection.

    Raises
    ------
    ProposalError
        If the proposal is unknown or already decided, or the reason is
        empty or longer than :data:`MAX_REASON_LENGTH`.
    """
    text = clean_text(reason)
    if text is None:
        raise ProposalError("Indiquez la raison du refus.")
    if len(text) > MAX_REASON_LENGTH:
        raise ProposalError(
            f"La raison dépasse {formats.number(MAX_REASON_LENGTH)} caractères "
            f"({formats.number(len(text))}) : raccourcissez-la."
        )
    record = _pending_record(conn, proposal_id)
    with store.transaction(conn):
        journal = history.Journal(conn)
        _decide(journal, proposal_id, "refusee", who, reason=text)
        return journal.commit(
            "proposition.refus",
            {"id": proposal_id, "type": record["kind"], "raison": text},
            who=who,
        )
