"""Exceptions raised by ess_geo.

Every error the library raises on purpose is an :class:`EssGeoError`. Front
ends translate them at the edge: the CLI into ``click.ClickException``, the
pages into ``st.error``. Messages are in French because they reach users as
they are; each names the bad value, what was expected and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable


class EssGeoError(Exception):
    """Base class of the errors ess_geo raises on purpose."""


# -- territories (ess_geo.geo) -------------------------------------------------


class UnknownLevelError(EssGeoError, ValueError):
    """A territory level that is not one of :data:`ess_geo.geo.geography.LEVELS`."""

    def __init__(self, level: str, allowed: tuple[str, ...]) -> None:
        self.level = level
        super().__init__(
            f"Niveau territorial « {level} » inconnu : "
            f"attendu l'un de {', '.join(allowed)}."
        )


class UnknownTerritoryError(EssGeoError, KeyError):
    """A territory code that does not exist at the given level."""

    def __init__(self, level: str, code: str) -> None:
        self.level = level
        self.code = code
        super().__init__(
            f"Territoire « {code} » introuvable au niveau {level} : "
            "vérifiez le code (INSEE pour les communes, départements et régions, "
            "SIREN pour les EPCI, code du pays ou code MNHN du PNR)."
        )

    def __str__(self) -> str:
        """The message as it is (``KeyError`` would quote it)."""
        return self.args[0]


class BoundariesMissingError(EssGeoError, FileNotFoundError):
    """The embedded geography files are absent or unreadable."""


# -- actors and the public's needs (ess_geo.actors) ----------------------------


class NeedsTableError(EssGeoError, ValueError):
    """The need -> NAF table is malformed; the message lists every bad line."""


class UnknownNeedError(EssGeoError, KeyError):
    """A need key that is not one of :data:`ess_geo.actors.needs.NEEDS`."""

    def __init__(self, need: str, allowed: Iterable[str]) -> None:
        self.need = need
        super().__init__(
            f"Besoin « {need} » inconnu : attendu l'un de {', '.join(allowed)}."
        )

    def __str__(self) -> str:
        """The message as it is (``KeyError`` would quote it)."""
        return self.args[0]


# -- files read (ess_geo.io, networks, CRESS table) ----------------------------


class InputFileError(EssGeoError, ValueError):
    """A file given for analysis (employment table, actor file) cannot be used."""


class ImportFileError(EssGeoError, ValueError):
    """A file that cannot be imported at all; nothing is written."""


class NetworkFileError(EssGeoError, ValueError):
    """A network file that cannot be read; the message lists every bad line."""


class CressTableError(EssGeoError, ValueError):
    """The CRESS reference table is malformed; the message lists every problem."""


# -- the workspace (ess_geo.workspace) -----------------------------------------


class WorkspaceError(EssGeoError):
    """The SQLite workspace cannot be opened, migrated or written."""


class UndoError(EssGeoError, ValueError):
    """A change that cannot be undone (unknown, already undone, or overtaken)."""


class EditError(EssGeoError, ValueError):
    """An edit refused: the message says every problem, in French."""


class RestoreError(EssGeoError, ValueError):
    """A file that cannot replace the workspace; nothing was changed."""


class ProposalError(EssGeoError, ValueError):
    """A public proposal refused, or a moderation decision that cannot be made.

    The message says every problem, in French (the import's reasons for an
    actor's fields).
    """


class RateLimitError(EssGeoError):
    """Too many proposals from one session, one address, or in all: wait."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(message)


# -- staff accounts (ess_geo.workspace.auth) -----------------------------------


class StaffConfigError(EssGeoError, ValueError):
    """Staff accounts that are misconfigured (a malformed hash or name)."""


class LoginError(EssGeoError, PermissionError):
    """A refused login: wrong name or password, or too many attempts."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(message)


# -- analyses (ess_geo.analysis) -----------------------------------------------


class CoverageError(EssGeoError, ValueError):
    """A coverage, score or budget parameter out of its range."""


class BudgetError(EssGeoError, ValueError):
    """A budget parameter out of its range."""


class PlaceError(EssGeoError, ValueError):
    """A place that cannot be searched from (no position, outside France…)."""


# -- official downloads (ess_geo.sources) --------------------------------------


class SourceUnavailableError(EssGeoError):
    """An official download failed: offline, refused, or not what was expected.

    Nothing already stored is changed when it is raised: the embedded data
    stay in use.
    """

    def __init__(self, source: str, url: str, what: str, hint: str = "") -> None:
        self.source = source
        self.url = url
        super().__init__(
            f"Source « {source} » indisponible ({url}) : {what}. "
            f"{hint + ' ' if hint else ''}"
            "Aucun fichier n'a été modifié : les données embarquées restent utilisées."
        )
