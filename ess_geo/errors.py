"""Exceptions raised by ess_geo.

Every error the library raises on purpose is an :class:`EssGeoError`. Front
ends translate them at the edge: the CLI into ``click.ClickException``, the
pages into ``st.error``. Messages are in French because they reach users as
they are; each names the bad value, what was expected and what to do.
"""

from __future__ import annotations


class EssGeoError(Exception):
    """Base class of the errors ess_geo raises on purpose."""


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


class WorkspaceError(EssGeoError):
    """The SQLite workspace cannot be opened, migrated or written."""


class InputFileError(EssGeoError, ValueError):
    """A file given for analysis (employment table, actor file) cannot be used."""


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
