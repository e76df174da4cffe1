"""An opened actor file, read in chunks: what every reader returns.

:mod:`ess_geo.io.imports` (CSV, XLSX) and :mod:`ess_geo.io.sirene` (SIRENE
stock files) open files into a :class:`Source`, which yields :class:`Chunk`
objects of at most :data:`CHUNK_ROWS` rows; :mod:`ess_geo.workspace.loading`
writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from ess_geo.errors import ImportFileError
from ess_geo.io.validation import FIELDS

__all__ = ["CHUNK_ROWS", "Chunk", "Source"]

CHUNK_ROWS = 100_000
"""Rows per chunk: memory stays bounded whatever the file's size."""


@dataclass
class Chunk:
    """Some rows of a file.

    Attributes
    ----------
    frame : pandas.DataFrame
        Text cells (missing when empty) under field names, and ``line``.
    read : int
        Data rows read from the file for this chunk (kept or not).
    rejected : list of dict
        Rows the reader itself could not split (``line``, ``reason``).
    ignored : int
        Rows read but left out on purpose (SIRENE: not ESS, or closed).
    """

    frame: pd.DataFrame
    read: int
    rejected: list[dict] = field(default_factory=list)
    ignored: int = 0


@dataclass(frozen=True)
class Source:
    """An opened actor file, read on demand in chunks.

    Attributes
    ----------
    name : str
        The file's name, as reports and the audit log show it.
    kind : {"csv", "xlsx", "sirene"}
    columns : tuple of str
        The header as read (for the manual mapping step).
    mapping : dict
        Field -> column used.
    notes : tuple of str
        What was detected, in French (encoding, delimiter, sheet, ignored
        columns), for the report.
    sheets : tuple of str
        Sheet names of a workbook (empty otherwise).
    """

    name: str
    kind: str
    columns: tuple[str, ...]
    mapping: dict[str, str]
    notes: tuple[str, ...]
    _reader: Callable[[Mapping[str, str]], Iterator[Chunk]]
    sheets: tuple[str, ...] = ()

    def chunks(self) -> Iterator[Chunk]:
        """The rows, chunk by chunk, under their field names.

        Raises
        ------
        ImportFileError
            If the mapping lacks a name or a way to place the actors.
        """
        self.check()
        return self._reader(self.mapping)

    def named_chunks(self) -> Iterator[Chunk]:
        """The rows, chunk by chunk, when only a name is required.

        Member lists (:mod:`ess_geo.workspace.members`) name structures that
        are already in the workspace: no way to place them is needed.

        Raises
        ------
        ImportFileError
            If no column holds the name.
        """
        if "nom" not in self.mapping:
            raise ImportFileError(
                "Colonne du nom non reconnue (« nom », « raison sociale »…). "
                f"Colonnes lues : {', '.join(self.columns) or '(aucune)'}."
            )
        return self._reader(self.mapping)

    def check(self) -> None:
        """Refuse a mapping without a name or a way to place the actors.

        Raises
        ------
        ImportFileError
            Saying what is missing and which columns the file has.
        """
        _check_required(self.mapping, self.columns)

    def with_mapping(self, mapping: Mapping[str, str]) -> Source:
        """The same file read with another header mapping (the manual step).

        Parameters
        ----------
        mapping : mapping of str to str
            Field -> column; fields left out are not read.

        Returns
        -------
        Source

        Raises
        ------
        ImportFileError
            If a field or column is unknown, a column is used twice, or the
            mapping lacks a name or a way to place the actors.
        """
        if self.kind == "sirene":
            raise ImportFileError(
                "Les colonnes d'un fichier SIRENE sont fixées par l'INSEE : "
                "leur correspondance ne se modifie pas."
            )
        mapping = {f: c for f, c in mapping.items() if c}
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise ImportFileError(
                f"Champ(s) inconnu(s) {', '.join(unknown)} : "
                f"attendu parmi {', '.join(FIELDS)}."
            )
        missing = sorted(set(mapping.values()) - set(self.columns))
        if missing:
            raise ImportFileError(
                f"Colonne(s) {', '.join(missing)} absente(s) du fichier "
                f"(colonnes lues : {', '.join(self.columns)})."
            )
        used = pd.Series(list(mapping.values()))
        twice = sorted(used[used.duplicated()].unique())
        if twice:
            raise ImportFileError(
                f"La colonne « {twice[0]} » est associée à plusieurs champs : "
                "une colonne ne peut remplir qu'un champ."
            )
        _check_required(mapping, self.columns)
        return replace(self, mapping=dict(mapping))


def _check_required(mapping: Mapping[str, str], columns: tuple[str, ...]) -> None:
    placed = (
        "code_commune" in mapping
        or {"latitude", "longitude"} <= set(mapping)
        or "code_postal" in mapping
    )
    if "nom" in mapping and placed:
        return
    lacking = []
    if "nom" not in mapping:
        lacking.append("le nom (colonne « nom », « raison sociale »…)")
    if not placed:
        lacking.append(
            "de quoi placer les acteurs (« code_commune » ou « code INSEE », ou "
            "« latitude » et « longitude », ou « code_postal » et « commune »)"
        )
    raise ImportFileError(
        f"Colonnes non reconnues : il manque {' et '.join(lacking)}. "
        f"Colonnes lues : {', '.join(columns) or '(aucune)'}. Renommez les "
        "colonnes ou faites la correspondance à la main (page Données)."
    )
