"""The Données page's state and view model: rubrics, reports, forms, messages.

The page keeps one thing in the URL, the staff rubric (``?onglet=journal``).
Everything else it shows is computed here without Streamlit: the summary
figures, the import preview and its report, the header mapping's defaults,
the form fields and their starting values, the confirmations in French, the
exports offered. The page only draws widgets and writes the workspace.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import ClassVar, NamedTuple, Self

import pandas as pd

from ess_geo import formats
from ess_geo.actors.schema import FAMILY_LABELS
from ess_geo.errors import EssGeoError
from ess_geo.io import imports
from ess_geo.io.source import Source
from ess_geo.io.validation import FIELDS
from ess_geo.pages.urlstate import PageState, Params, QueryReader, option_index
from ess_geo.workspace import backup, loading
from ess_geo.workspace.networks import KIND_LABELS, PERIMETER_LEVELS, STATUS_LABELS

__all__ = [
    "EXPORTS",
    "FAMILIES",
    "NETWORK_CHOICES",
    "TABS",
    "DonneesState",
    "ExportFormat",
    "ImportRequest",
    "MappingStep",
    "ReportNotices",
    "actor_saved",
    "commune_codes",
    "decision_message",
    "export_bytes",
    "form_text",
    "import_message",
    "kept",
    "last_change",
    "mapping_changes",
    "mapping_defaults",
    "network_saved",
    "network_start",
    "perimeter_codes",
    "report_metrics",
    "report_notices",
    "run_import",
    "undo_choices",
    "workspace_metrics",
]

TABS: dict[str, str] = {
    "import": "Importer",
    "doublons": "Doublons",
    "acteurs": "Acteurs",
    "reseaux": "Réseaux",
    "propositions": "Propositions",
    "journal": "Journal",
    "export": "Export et sauvegarde",
}
"""The staff rubrics: URL value -> label, in the order the page shows them."""


@dataclasses.dataclass(frozen=True)
class DonneesState(PageState):
    """The Données page's state in the URL: the staff rubric.

    Attributes
    ----------
    tab : str
        A key of :data:`TABS` (``onglet``); default ``import``.
    """

    PARAMS: ClassVar[Mapping[str, str]] = {"tab": "onglet"}

    tab: str = "import"

    @classmethod
    def from_query(cls, params: Params) -> tuple[Self, list[str]]:
        """Read the state from the URL.

        Parameters
        ----------
        params : mapping
            ``st.query_params`` or any mapping of parameter names to values.

        Returns
        -------
        state : DonneesState
        ignored : list of str
            ``"name=value"`` for every value that could not be used.

        Examples
        --------
        >>> DonneesState.from_query({"onglet": "journal"})
        (DonneesState(tab='journal'), [])
        >>> DonneesState.from_query({"onglet": "corbeille"})
        (DonneesState(tab='import'), ['onglet=corbeille'])
        """
        reader = QueryReader(params)
        state = cls(tab=reader.choice("onglet", TABS, cls.tab))
        return state, reader.ignored


def workspace_metrics(summary: Mapping[str, object]) -> list[tuple[str, str]]:
    r"""The public summary's figures: (label, value) in the page's order.

    Parameters
    ----------
    summary : mapping
        As :func:`ess_geo.workspace.editing.overview` returns.

    Examples
    --------
    >>> workspace_metrics({"acteurs": 1234, "fictifs": 0, "reseaux": 3, "doublons": 1})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Acteurs', '1\u202f234'), ('dont fictifs', '0'), ('Réseaux', '3'),
     ('Doublons à examiner', '1')]
    """
    labels = {
        "acteurs": "Acteurs",
        "fictifs": "dont fictifs",
        "reseaux": "Réseaux",
        "doublons": "Doublons à examiner",
    }
    return [(label, formats.number(summary[key])) for key, label in labels.items()]


def last_change(summary: Mapping[str, object]) -> str | None:
    """The date of the last change, as a caption; ``None`` before any change.

    Examples
    --------
    >>> last_change({"derniere_modification": "2026-03-01T08:05:00+00:00"})
    'Dernière modification : 01/03/2026 à 08:05 (UTC).'
    """
    when = summary.get("derniere_modification")
    if not when:
        return None
    return f"Dernière modification : {pd.Timestamp(when):%d/%m/%Y à %H:%M} (UTC)."


# --- Importer ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ImportRequest:
    """An import as the person set it up: files, sheet, mapping and options.

    Attributes
    ----------
    files : tuple of (name, bytes)
        The uploaded files.
    sheet : str or None
        The workbook's sheet, when it has several.
    mapping : tuple of (field, column), or None
        The manual header mapping, sorted (``None``: the one recognised).
    keep_demo, fix_swapped : bool
        The import's options (see :func:`ess_geo.workspace.loading.import_actors`).
    """

    files: tuple[tuple[str, bytes], ...]
    sheet: str | None = None
    mapping: tuple[tuple[str, str], ...] | None = None
    keep_demo: bool = False
    fix_swapped: bool = False

    def replace(self, **changes: object) -> Self:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def source(self) -> Source:
        """The files opened with the sheet and mapping chosen."""
        return imports.open_uploads(
            list(self.files),
            sheet=self.sheet,
            mapping=dict(self.mapping) if self.mapping else None,
        )


def run_import(
    conn: sqlite3.Connection,
    request: ImportRequest,
    *,
    dry_run: bool,
    who: str | None = None,
) -> loading.ImportReport:
    """Check (``dry_run``) or do an import as the person set it up.

    Raises
    ------
    EssGeoError
        If the files cannot be read at all.
    """
    return loading.import_actors(
        conn,
        request.source(),
        dry_run=dry_run,
        keep_demo=request.keep_demo,
        fix_swapped=request.fix_swapped,
        who=who,
    )


class MappingStep(NamedTuple):
    """The header mapping step as it opens."""

    missing: bool
    """The recognised headers lack a name or a way to place the actors: the
    step opens itself."""
    options: list[str]
    """``""`` (no column) then the file's columns."""
    defaults: dict[str, str]
    """Field -> column recognised (``""``: none), for every field."""


def mapping_defaults(source: Source) -> MappingStep:
    """The mapping step of an opened file: whether it must open, and its choices."""
    missing = True
    with contextlib.suppress(EssGeoError):
        source.check()
        missing = False
    defaults = {name: source.mapping.get(name, "") for name in FIELDS}
    return MappingStep(missing, ["", *source.columns], defaults)


def mapping_changes(
    chosen: Mapping[str, str], source: Source, missing: bool
) -> dict[str, str] | None:
    """The manual mapping to apply, or ``None`` to keep the recognised one.

    Parameters
    ----------
    chosen : mapping
        Field -> column picked (``""``: none).
    source : Source
        The file as opened.
    missing : bool
        As :func:`mapping_defaults` says.
    """
    mapping = {field: column for field, column in chosen.items() if column}
    if mapping == source.mapping and not missing:
        return None
    return mapping


def report_metrics(report: loading.ImportReport) -> list[tuple[str, int]]:
    """The check report's figures: (label, count) in the page's order."""
    return [
        ("Lignes lues", report.read),
        ("À ajouter", report.imported),
        ("À mettre à jour", report.updated),
        ("Refusées", len(report.rejected)),
        ("Doublons probables", len(report.duplicates)),
    ]


class ReportNotices(NamedTuple):
    """What the check report says beside its figures (``None``: nothing)."""

    ignored: str | None
    """SIRENE establishments left out (a caption)."""
    demo_removed: str | None
    """Demo actors the import will replace (an information)."""
    swapped: str | None
    """Rows with swapped coordinates left out (a warning)."""


def report_notices(report: loading.ImportReport, fix_swapped: bool) -> ReportNotices:
    r"""The notices of a check report, in French.

    Examples
    --------
    >>> r = loading.ImportReport(file="a.csv", kind="csv", swapped=2, demo_removed=1500)
    >>> n = report_notices(r, fix_swapped=False)
    >>> n.ignored is None, n.demo_removed
    (True, 'Les 1\u202f500 acteurs de démonstration seront retirés par cet import.')
    >>> report_notices(r, fix_swapped=True).swapped is None
    True
    """
    ignored = demo = swapped = None
    if report.ignored:
        ignored = (
            f"{report.ignored} établissement(s) SIRENE ignoré(s) : fermés, ou d'une "
            "unité légale hors ESS."
        )
    if report.demo_removed:
        demo = (
            f"Les {formats.number(report.demo_removed)} acteurs de démonstration "
            "seront retirés par cet import."
        )
    if report.swapped and not fix_swapped:
        swapped = (
            f"{report.swapped} ligne(s) ont la latitude et la longitude inversées : "
            "cochez « Corriger les latitudes et longitudes inversées » pour les "
            "importer quand même."
        )
    return ReportNotices(ignored, demo, swapped)


def import_message(done: loading.ImportReport) -> str:
    """The confirmation of an import written to the workspace."""
    return (
        f"Import n° {done.audit_id} enregistré : {done.imported} acteur(s) "
        f"ajouté(s), {done.updated} mis à jour, {len(done.rejected)} ligne(s) "
        f"refusée(s), {len(done.duplicates)} doublon(s) probable(s) à examiner. "
        "Il peut être annulé dans la rubrique Journal."
    )


# --- Doublons, Acteurs, Réseaux, Journal -------------------------------------


def decision_message(count: int, merged: bool, audit_id: int) -> str:
    """The confirmation of merge proposals accepted or refused.

    Examples
    --------
    >>> decision_message(2, True, 41)
    '2 proposition(s) fusionnée(s) (modification n° 41).'
    """
    done = "fusionnée(s)" if merged else "écartée(s)"
    return f"{count} proposition(s) {done} (modification n° {audit_id})."


FAMILIES: list[str] = list(FAMILY_LABELS)
"""The actor form's famille options."""

NETWORK_CHOICES: dict[str, tuple[list[str], str]] = {
    "level": (list(PERIMETER_LEVELS), "epci"),
    "kind": (list(KIND_LABELS), "pole"),
    "status": (list(STATUS_LABELS), "actif"),
}
"""The network form's choices: field -> (options, default for a new network)."""


def network_start(record: Mapping[str, object], field: str) -> int:
    """Where one of the network form's :data:`NETWORK_CHOICES` starts."""
    options, default = NETWORK_CHOICES[field]
    return option_index(options, record.get(field, default), default)


def perimeter_codes(record: Mapping[str, object], level: str) -> list[str]:
    """The network's territories, or none once its level has been changed.

    Examples
    --------
    >>> record = {"level": "pays", "codes": ["29001"]}
    >>> perimeter_codes(record, "pays"), perimeter_codes(record, "epci")
    (['29001'], [])
    >>> perimeter_codes({}, "epci")
    []
    """
    if level != record.get("level", NETWORK_CHOICES["level"][1]):
        return []
    return list(record.get("codes", []))


def kept(values: Iterable[object], allowed: Iterable[object]) -> list:
    """``values`` still among ``allowed``, in order (a multiselect's defaults).

    Examples
    --------
    >>> kept(["29019", "xx", "29075"], {"29019", "29075"})
    ['29019', '29075']
    """
    allowed = set(allowed)
    return [v for v in values if v in allowed]


def form_text(record: Mapping[str, object], name: str) -> str:
    """A record's field as a form shows it: ``""`` when missing.

    Examples
    --------
    >>> form_text({"effectif": 12, "naf": None}, "effectif"), form_text({}, "naf")
    ('12', '')
    """
    value = record.get(name)
    return "" if value is None else str(value)


def actor_saved(actor_id: int, audit_id: int | None) -> str:
    """The confirmation of an actor's form saved (``None``: nothing changed)."""
    if audit_id is None:
        return "Aucun changement."
    return f"Fiche n° {actor_id} enregistrée (modification n° {audit_id})."


def network_saved(audit_id: int | None) -> str:
    """The confirmation of a network's form saved (``None``: nothing changed)."""
    if audit_id is None:
        return "Aucun changement."
    return f"Réseau enregistré (modification n° {audit_id})."


def commune_codes(typed: str) -> list[str]:
    r"""Commune codes typed in a text area, separated by commas or spaces.

    Examples
    --------
    >>> commune_codes("29019, 29075 ,,29232\n")
    ['29019', '29075', '29232']
    """
    return typed.replace(",", " ").split()


def undo_choices(log: pd.DataFrame, table: pd.DataFrame) -> dict[int, str]:
    """The changes that can be undone, each with its label, newest first.

    Parameters
    ----------
    log : pandas.DataFrame
        As :func:`ess_geo.workspace.history.log` returns.
    table : pandas.DataFrame
        Its table for people (:func:`ess_geo.workspace.history.log_table`).

    Returns
    -------
    dict
        Audit id -> ``"n° 12 : Action — Détail"``.
    """
    labels = dict(
        zip(table["N°"], table["Action"] + " — " + table["Détail"], strict=True)
    )
    return {int(n): f"n° {n} : {labels[n]}" for n in log.loc[log["undoable"], "id"]}


# --- Export et sauvegarde ----------------------------------------------------


class ExportFormat(NamedTuple):
    """A download offered: button label, file name, MIME type, maker."""

    label: str
    file_name: str
    mime: str
    make: Callable[[sqlite3.Connection], bytes]


EXPORTS: dict[str, ExportFormat] = {
    "csv": ExportFormat(
        "CSV (zip)",
        "ess_territoires_csv.zip",
        "application/zip",
        backup.export_csv_zip,
    ),
    "xlsx": ExportFormat(
        "Excel (XLSX)",
        "ess_territoires.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        backup.export_xlsx,
    ),
    "gpkg": ExportFormat(
        "GeoPackage (QGIS)",
        "ess_territoires.gpkg",
        "application/geopackage+sqlite3",
        backup.export_geopackage,
    ),
    "sqlite": ExportFormat(
        "Télécharger une sauvegarde de l'espace de travail (SQLite)",
        "ess_territoires_sauvegarde.sqlite",
        "application/vnd.sqlite3",
        backup.backup_bytes,
    ),
}
"""The exports (``csv``, ``xlsx``, ``gpkg``) and the backup (``sqlite``)."""


def export_bytes(conn: sqlite3.Connection, kind: str) -> bytes:
    """The file of one of :data:`EXPORTS`, made from the workspace."""
    return EXPORTS[kind].make(conn)
