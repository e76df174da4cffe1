"""Database errors in French: busy, disk full, I/O error, damaged file.

The workspace's writes (:func:`ess_geo.workspace.store.transaction`) turn
the database's own errors into a :class:`~ess_geo.errors.WorkspaceError`
whose message says what happened and what to do, so that the command line
(exit 2) and the pages (a French message) report them like any other
unusable input. The transaction is rolled back: nothing was written.
"""

from __future__ import annotations

from ess_geo.errors import WorkspaceError

__all__ = ["describe_database_error", "workspace_error"]


def describe_database_error(exc: Exception) -> str:
    """A database error in French, with what to do; nothing was written.

    Examples
    --------
    >>> describe_database_error(Exception("database or disk is full"))
    "Espace de travail : le disque est plein : libérez de la place, puis \
recommencez. Rien n'a été écrit."
    """
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        what = (
            "l'espace de travail est occupé par une autre écriture (un autre import ?) "
            "depuis plus de 30 secondes : réessayez quand elle sera finie"
        )
    elif "full" in text:
        what = "le disque est plein : libérez de la place, puis recommencez"
    elif "disk i/o" in text or "readonly" in text or "read-only" in text:
        what = (
            "erreur d'écriture sur le disque (droits, disque retiré ou défaillant) : "
            "vérifiez le dossier de l'espace de travail"
        )
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        what = (
            "l'espace de travail est endommagé : restaurez une sauvegarde "
            "(page Données) ou désignez un autre fichier (variable ESS_GEO_DB)"
        )
    else:
        what = f"erreur de la base de données ({exc})"
    return f"Espace de travail : {what}. Rien n'a été écrit."


def workspace_error(exc: Exception) -> WorkspaceError:
    """The :class:`WorkspaceError` for a database error (returned, to be raised)."""
    error = WorkspaceError(describe_database_error(exc))
    error.__cause__ = exc
    return error
