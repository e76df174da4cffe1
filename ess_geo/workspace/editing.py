"""Editing the workspace by hand: actors, networks and their members.

Each function is one change: it checks its input with the same rules as an
import (:mod:`ess_geo.io.validation` for actors), writes through the change
journal in one transaction, and records who did it in the audit log, so
that it can be undone from the Données page.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping

import pandas as pd

from ess_geo.actors import FAMILY_LABELS, text_key
from ess_geo.errors import EditError
from ess_geo.geo import geography
from ess_geo.io.validation import FIELDS, ValidationContext, validate
from ess_geo.workspace import dialect, history, networks, store

__all__ = [
    "ACTOR_FORM_FIELDS",
    "NETWORK_FIELD_LABELS",
    "NETWORK_FORM_FIELDS",
    "actor_record",
    "add_actor",
    "add_network",
    "check_actor",
    "check_network",
    "delete_actor",
    "delete_network",
    "find_actors",
    "found_table",
    "network_record",
    "overview",
    "set_members",
    "update_actor",
    "update_network",
]

ACTOR_FORM_FIELDS: tuple[str, ...] = (
    "nom",
    "siret",
    "famille",
    "categorie_juridique",
    "naf",
    "effectif",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "latitude",
    "longitude",
    "site_web",
    "telephone",
    "email",
)
"""Actor fields a person edits (``tranche_effectif`` comes from SIRENE)."""

NETWORK_FIELD_LABELS: dict[str, str] = {
    "nom": "Nom du réseau",
    "kind": "Type",
    "status": "Statut",
    "region": "Région",
    "structure_accompagnatrice": "Structure accompagnatrice",
    "annee_creation": "Année de création",
    "source": "Source",
    "site_web": "Site web",
    "email": "Courriel",
    "telephone": "Téléphone",
}
"""French label of each network field a person edits, in the form's order."""

NETWORK_FORM_FIELDS: tuple[str, ...] = tuple(NETWORK_FIELD_LABELS)
"""Network fields a person edits (the perimeter is set apart)."""

_SOURCE = "saisie"


def _text(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return pd.NA
    text = str(value).strip()
    return text if text else pd.NA


def check_actor(
    conn: sqlite3.Connection, fields: Mapping[str, object], actor_id: int | None
) -> dict[str, object]:
    """The values :func:`add_actor` or :func:`update_actor` would store.

    Also for writers that compose an actor's change with other writes in one
    journaled transaction (accepting a public proposal).

    Raises
    ------
    EditError
        With the import's reasons.
    """
    unknown = sorted(set(fields) - set(ACTOR_FORM_FIELDS))
    if unknown:
        raise ValueError(f"unknown actor field(s) {unknown}")
    row = {name: _text(fields.get(name)) for name in FIELDS if name != "reseaux"}
    row["line"] = 1
    result = validate(
        pd.DataFrame([row]).astype({"line": "int64"}), ValidationContext()
    )
    if len(result.rejected):
        raise EditError(f"Fiche refusée : {result.rejected['reason'].iloc[0]}.")
    clean = result.rows.iloc[0]
    siret = clean["siret"]
    if pd.notna(siret):
        other = conn.execute(
            "SELECT id, nom FROM actors WHERE siret = ? AND id IS NOT ?",
            (siret, actor_id),
        ).fetchone()
        if other is not None:
            raise EditError(
                f"Le SIRET {siret} est déjà celui de l'acteur n° {other['id']} "
                f"({other['nom']}) : modifiez cette fiche-là plutôt."
            )
    values = {}
    for name in (*ACTOR_FORM_FIELDS, "placement"):
        value = clean[name]
        if pd.isna(value):
            values[name] = None
        elif name == "effectif":
            values[name] = int(value)
        elif name in ("latitude", "longitude"):
            values[name] = float(value)
        else:
            values[name] = str(value)
    return values


def _same(value: object, stored: object) -> bool:
    """Whether a form value is the stored number (forms give text)."""
    if _text(value) is pd.NA or stored is None:
        return _text(value) is pd.NA and stored is None
    try:
        return float(str(value).replace(",", ".")) == float(stored)
    except ValueError:
        return False


def _set_networks(
    journal: history.Journal, actor_id: int, network_ids: Iterable[int]
) -> None:
    wanted = {int(n) for n in network_ids}
    current = {
        r[0]
        for r in journal.conn.execute(
            "SELECT network_id FROM network_members WHERE actor_id = ?", (actor_id,)
        )
    }
    if current - wanted:
        journal.delete(
            "network_members",
            "actor_id = ? AND network_id IN (SELECT value FROM json_each(?))",
            (actor_id, history.id_list(sorted(current - wanted))),
        )
    journal.insert(
        "network_members",
        [{"network_id": n, "actor_id": actor_id} for n in sorted(wanted - current)],
    )


def add_actor(
    conn: sqlite3.Connection,
    fields: Mapping[str, object],
    *,
    networks_ids: Iterable[int] = (),
    who: str | None = None,
) -> int:
    """Add one actor typed by a person.

    Parameters
    ----------
    conn : sqlite3.Connection
    fields : mapping
        Among :data:`ACTOR_FORM_FIELDS`; ``nom``, a famille (or catégorie
        juridique) and a way to place the actor are required.
    networks_ids : iterable of int
        Networks the actor is a member of.
    who : str, optional

    Returns
    -------
    int
        The new actor's id.

    Raises
    ------
    EditError
        With the reasons, as an import would give them.
    """
    values = check_actor(conn, fields, None)
    with store.transaction(conn):
        journal = history.Journal(conn)
        (actor_id,) = journal.insert_actors(pd.DataFrame([values]), source=_SOURCE)
        _set_networks(journal, actor_id, networks_ids)
        journal.commit("acteur.ajout", {"id": actor_id, "nom": values["nom"]}, who=who)
    return actor_id


def update_actor(
    conn: sqlite3.Connection,
    actor_id: int,
    fields: Mapping[str, object],
    *,
    networks_ids: Iterable[int] | None = None,
    who: str | None = None,
) -> int | None:
    """Change an actor's fields (and, if given, its networks).

    Parameters
    ----------
    conn : sqlite3.Connection
    actor_id : int
    fields : mapping
        The complete form (every field of :data:`ACTOR_FORM_FIELDS`; an
        empty value clears the field).
    networks_ids : iterable of int, optional
        The networks the actor is a member of; ``None`` leaves them.
    who : str, optional

    Returns
    -------
    int or None
        The audit id, or ``None`` when nothing changed.

    Raises
    ------
    EditError
        If the actor does not exist or the fields are refused.
    """
    current = actor_record(conn, actor_id)
    derived = current["placement"] in ("commune", "code_postal")
    same_point = _same(fields.get("latitude"), current["latitude"]) and _same(
        fields.get("longitude"), current["longitude"]
    )
    if derived and same_point:
        # The position was derived from the commune: derive it again, from
        # the commune the form now names.
        fields = {**fields, "latitude": None, "longitude": None}
    values = check_actor(conn, fields, actor_id)
    if derived and same_point and values["code_commune"] == current["code_commune"]:
        values["placement"] = current["placement"]
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    with store.transaction(conn):
        journal = history.Journal(conn)
        if changed:
            journal.update(
                "actors", (actor_id,), {**changed, "updated_at": store._now()}
            )
        if networks_ids is not None:
            _set_networks(journal, actor_id, networks_ids)
        if not journal.entries:
            return None
        return journal.commit(
            "acteur.modification",
            {"id": actor_id, "nom": values["nom"], "champs": sorted(changed)},
            who=who,
        )


def delete_actor(
    conn: sqlite3.Connection, actor_id: int, *, who: str | None = None
) -> int:
    """Remove an actor (its memberships and merge proposals go with it).

    Raises
    ------
    EditError
        If the actor does not exist.
    """
    record = actor_record(conn, actor_id)
    with store.transaction(conn):
        journal = history.Journal(conn)
        journal.delete_ids("actors", [actor_id])
        return journal.commit(
            "acteur.suppression", {"id": actor_id, "nom": record["nom"]}, who=who
        )


def actor_record(conn: sqlite3.Connection, actor_id: int) -> dict[str, object]:
    """Every stored field of one actor, and ``reseaux``: its network ids.

    Raises
    ------
    EditError
        If there is no such actor.
    """
    row = conn.execute("SELECT * FROM actors WHERE id = ?", (int(actor_id),)).fetchone()
    if row is None:
        raise EditError(
            f"Acteur n° {actor_id} introuvable : il a peut-être été supprimé."
        )
    # The stored fields, not PostgreSQL's derived point (geom).
    record = {name: row[name] for name in dialect.columns(conn, "actors")}
    record["reseaux"] = [
        r[0]
        for r in conn.execute(
            "SELECT network_id FROM network_members WHERE actor_id = ? "
            "ORDER BY network_id",
            (int(actor_id),),
        )
    ]
    return record


def find_actors(
    conn: sqlite3.Connection, query: str, *, limit: int = 200
) -> pd.DataFrame:
    """Actors whose name, SIRET or commune matches a search, for picking one.

    Parameters
    ----------
    conn : sqlite3.Connection
    query : str
        Words to find (accents and case ignored), or a SIRET, or a commune
        code; empty gives the most recently changed actors.
    limit : int, default 200

    Returns
    -------
    pandas.DataFrame
        ``id``, ``nom``, ``siret``, ``famille``, ``code_commune``,
        ``commune`` (official name), ``is_demo``; at most ``limit`` rows.
    """
    frame = dialect.read_sql(
        "SELECT id, nom, siret, famille, code_commune, is_demo, updated_at "
        "FROM actors ORDER BY updated_at DESC, id DESC",
        conn,
        dtype={"siret": "string", "code_commune": "string"},
    )
    words = text_key(query).split()
    if words:
        haystack = (
            frame["nom"].map(text_key)
            + " "
            + frame["siret"].fillna("")
            + " "
            + frame["code_commune"].fillna("")
        )
        keep = pd.Series(True, index=frame.index)
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
        frame = frame[keep]
    frame = frame.head(limit).reset_index(drop=True)
    frame["commune"] = frame["code_commune"].map(geography.communes()["nom"])
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame.drop(columns="updated_at")


def found_table(found: pd.DataFrame) -> pd.DataFrame:
    """Actors found by :func:`find_actors`, as a table for people.

    Returns
    -------
    pandas.DataFrame
        ``N°``, ``Nom``, ``Famille`` (label), ``Commune``, ``SIRET``,
        ``Fictif`` (« oui » for demo actors); same row order.
    """
    return pd.DataFrame(
        {
            "N°": found["id"],
            "Nom": found["nom"],
            "Famille": found["famille"].map(FAMILY_LABELS),
            "Commune": found["commune"],
            "SIRET": found["siret"].fillna(""),
            "Fictif": found["is_demo"].map({True: "oui", False: ""}),
        }
    )


# -- networks --------------------------------------------------------------------


def check_network(
    conn: sqlite3.Connection,
    fields: Mapping[str, object],
    level: str,
    codes: Iterable[str],
    network_id: int | None,
) -> tuple[dict[str, object], list[str]]:
    """The values and perimeter :func:`add_network` or :func:`update_network` store.

    Raises
    ------
    EditError
        With every reason the network is refused.
    """
    unknown = sorted(set(fields) - set(NETWORK_FORM_FIELDS))
    if unknown:
        raise ValueError(f"unknown network field(s) {unknown}")
    values = {name: _text(fields.get(name)) for name in NETWORK_FORM_FIELDS}
    values = {k: (None if v is pd.NA else v) for k, v in values.items()}
    problems = []
    if not values["nom"]:
        problems.append("nom du réseau vide")
    else:
        same = conn.execute(
            "SELECT id FROM networks WHERE lower(nom) = lower(?) AND id IS NOT ?",
            (values["nom"], network_id),
        ).fetchone()
        if same is not None:
            problems.append(f"un réseau s'appelle déjà « {values['nom']} »")
    if values["kind"] not in networks.KIND_LABELS:
        problems.append(
            f"type « {values['kind']} » inconnu "
            f"(attendu : {', '.join(networks.KIND_LABELS)})"
        )
    if values["status"] not in networks.STATUS_LABELS:
        problems.append(
            f"statut « {values['status']} » inconnu "
            f"(attendu : {', '.join(networks.STATUS_LABELS)})"
        )
    year = values["annee_creation"]
    if year is not None:
        if not str(year).isdigit() or not 1800 <= int(year) <= dt.date.today().year:
            problems.append(
                f"année de création « {year} » : une année entre 1800 et "
                f"{dt.date.today().year} est attendue"
            )
        else:
            values["annee_creation"] = int(year)
    codes = sorted({str(c).strip() for c in codes if str(c).strip()})
    if level not in networks.PERIMETER_LEVELS:
        problems.append(
            f"niveau du périmètre « {level} » inconnu "
            f"(attendu : {', '.join(networks.PERIMETER_LEVELS)})"
        )
    elif not codes:
        problems.append("périmètre vide : choisissez au moins un territoire")
    else:
        known = geography.territories(level).index
        missing = [c for c in codes if c not in known]
        if missing:
            problems.append(
                f"territoire(s) {', '.join(missing)} inconnu(s) au niveau {level}"
            )
    if problems:
        raise EditError("Réseau refusé : " + " ; ".join(problems) + ".")
    return values, codes


def network_record(conn: sqlite3.Connection, network_id: int) -> dict[str, object]:
    """A network's fields, its perimeter (``level``, ``codes``) and member ids.

    Raises
    ------
    EditError
        If there is no such network.
    """
    row = conn.execute(
        "SELECT * FROM networks WHERE id = ?", (int(network_id),)
    ).fetchone()
    if row is None:
        raise EditError(f"Réseau n° {network_id} introuvable.")
    record = dict(row)
    perimeter = conn.execute(
        "SELECT level, code FROM network_territories WHERE network_id = ? "
        "ORDER BY level, code",
        (int(network_id),),
    ).fetchall()
    record["level"] = perimeter[0]["level"] if perimeter else "epci"
    record["codes"] = [r["code"] for r in perimeter]
    record["membres"] = [
        r[0]
        for r in conn.execute(
            "SELECT actor_id FROM network_members WHERE network_id = ? "
            "ORDER BY actor_id",
            (int(network_id),),
        )
    ]
    return record


def add_network(
    conn: sqlite3.Connection,
    fields: Mapping[str, object],
    *,
    level: str,
    codes: Iterable[str],
    who: str | None = None,
) -> int:
    """Create a network with its perimeter.

    Parameters
    ----------
    conn : sqlite3.Connection
    fields : mapping
        Among :data:`NETWORK_FORM_FIELDS`; ``nom``, ``kind`` and ``status``
        required.
    level : str
        One of :data:`ess_geo.workspace.networks.PERIMETER_LEVELS`.
    codes : iterable of str
        The territories of the perimeter at that level.
    who : str, optional

    Returns
    -------
    int
        The network's id.

    Raises
    ------
    EditError
    """
    values, codes = check_network(conn, fields, level, codes, None)
    now = store._now()
    with store.transaction(conn):
        journal = history.Journal(conn)
        ((network_id,),) = journal.insert(
            "networks", [{**values, "created_at": now, "updated_at": now}]
        )
        journal.insert(
            "network_territories",
            [{"network_id": network_id, "level": level, "code": c} for c in codes],
        )
        journal.commit(
            "reseau.ajout", {"id": network_id, "nom": values["nom"]}, who=who
        )
    return network_id


def update_network(
    conn: sqlite3.Connection,
    network_id: int,
    fields: Mapping[str, object],
    *,
    level: str,
    codes: Iterable[str],
    who: str | None = None,
) -> int | None:
    """Change a network's fields and perimeter.

    Returns
    -------
    int or None
        The audit id, or ``None`` when nothing changed.

    Raises
    ------
    EditError
    """
    current = network_record(conn, network_id)
    values, codes = check_network(conn, fields, level, codes, network_id)
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    same_perimeter = level == current["level"] and codes == current["codes"]
    if not changed and same_perimeter:
        return None
    with store.transaction(conn):
        journal = history.Journal(conn)
        if changed:
            journal.update(
                "networks", (network_id,), {**changed, "updated_at": store._now()}
            )
        if not same_perimeter:
            journal.delete("network_territories", "network_id = ?", (network_id,))
            journal.insert(
                "network_territories",
                [{"network_id": network_id, "level": level, "code": c} for c in codes],
            )
        return journal.commit(
            "reseau.modification",
            {
                "id": network_id,
                "nom": values["nom"],
                "champs": sorted(changed) + ([] if same_perimeter else ["perimetre"]),
            },
            who=who,
        )


def delete_network(
    conn: sqlite3.Connection, network_id: int, *, who: str | None = None
) -> int:
    """Remove a network with its perimeter and memberships (its actors stay).

    Raises
    ------
    EditError
        If the network does not exist.
    """
    record = network_record(conn, network_id)
    with store.transaction(conn):
        journal = history.Journal(conn)
        journal.delete_ids("networks", [network_id])
        return journal.commit(
            "reseau.suppression", {"id": network_id, "nom": record["nom"]}, who=who
        )


def set_members(
    conn: sqlite3.Connection,
    network_id: int,
    *,
    add: Iterable[int] = (),
    remove: Iterable[int] = (),
    who: str | None = None,
) -> int | None:
    """Add and remove members of a network.

    Parameters
    ----------
    conn : sqlite3.Connection
    network_id : int
    add, remove : iterable of int
        Actor ids; adding a member twice or removing a non-member is a no-op.
    who : str, optional

    Returns
    -------
    int or None
        The audit id, or ``None`` when nothing changed.

    Raises
    ------
    EditError
        If the network or an actor to add does not exist.
    """
    record = network_record(conn, network_id)
    members = set(record["membres"])
    to_add = sorted({int(a) for a in add} - members)
    to_remove = sorted({int(a) for a in remove} & members)
    if to_add:
        found = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM actors WHERE id IN (SELECT value FROM json_each(?))",
                (history.id_list(to_add),),
            )
        }
        missing = [a for a in to_add if a not in found]
        if missing:
            raise EditError(
                f"Acteur(s) n° {', '.join(map(str, missing))} introuvable(s)."
            )
    if not to_add and not to_remove:
        return None
    with store.transaction(conn):
        journal = history.Journal(conn)
        if to_remove:
            journal.delete(
                "network_members",
                "network_id = ? AND actor_id IN (SELECT value FROM json_each(?))",
                (network_id, history.id_list(to_remove)),
            )
        journal.insert(
            "network_members",
            [{"network_id": network_id, "actor_id": a} for a in to_add],
        )
        return journal.commit(
            "reseau.membres",
            {
                "id": network_id,
                "nom": record["nom"],
                "ajoutes": to_add,
                "retires": to_remove,
            },
            who=who,
        )


def overview(conn: sqlite3.Connection) -> dict[str, object]:
    """What the workspace holds, for the Données page's summary.

    Returns
    -------
    dict
        ``acteurs``, ``fictifs``, ``reseaux``, ``adhesions``,
        ``doublons`` (pending merge proposals), and ``derniere_modification``
        (ISO date-time, or ``None``).
    """
    row = conn.execute(
        """SELECT (SELECT count(*) FROM actors),
                  (SELECT count(*) FROM actors WHERE is_demo = 1),
                  (SELECT count(*) FROM networks),
                  (SELECT count(*) FROM network_members),
                  (SELECT count(*) FROM merge_proposals WHERE status = 'en_attente'),
                  (SELECT max(at) FROM audit_log)"""
    ).fetchone()
    keys = ("acteurs", "fictifs", "reseaux", "adhesions", "doublons")
    summary: dict[str, object] = {k: int(v) for k, v in zip(keys, row[:5], strict=True)}
    summary["derniere_modification"] = row[5]
    return summary
