"""Optional downloaders of official data (online only).

The application runs on embedded data and never needs the network. When
online, these downloaders refresh or extend the reference tables from their
official publishers:

- :mod:`~ess_geo.sources.pnr`: PNR member communes from the INPN perimeters;
- :mod:`~ess_geo.sources.banatic`: PETR and their member EPCIs from BANATIC;
- :mod:`~ess_geo.sources.emploi`: jobs by commune from the INSEE census;
- :mod:`~ess_geo.sources.sirene`: the SIRENE stock files from data.gouv.fr.

Each one downloads to a temporary file, checks that it is what the publisher
is known to serve, and only then replaces its output in one rename. Every
failure raises :class:`~ess_geo.errors.SourceUnavailableError` with a French
message and leaves existing files untouched. ``python -m ess_geo sources``
is the command line.

``COLUMNS``, ``MAX_BYTES`` and ``SOURCE`` exist in several downloaders: use
the module (``pnr.MAX_BYTES``). The command line, :mod:`ess_geo.sources.cli`,
is not re-exported.
"""

from ess_geo.sources.banatic import (
    BANATIC_URL,
    PetrRefresh,
    petr_members,
    read_groupements,
    refresh_petr,
)
from ess_geo.sources.catalogue import SOURCES, SourceInfo
from ess_geo.sources.emploi import (
    INSEE_URL,
    EmploymentRefresh,
    extract_employment,
    refresh_employment,
)
from ess_geo.sources.pnr import (
    AREA_CRS,
    INPN_URL,
    MIN_SHARE,
    WHOLE_SHARE,
    PnrRefresh,
    member_communes,
    read_perimeters,
    refresh_pnr_communes,
)
from ess_geo.sources.sirene import BASE_URL, FORMATS, STOCKS, fetch_stock, file_name

__all__ = [
    "AREA_CRS",
    "BANATIC_URL",
    "BASE_URL",
    "FORMATS",
    "INPN_URL",
    "INSEE_URL",
    "MIN_SHARE",
    "SOURCES",
    "STOCKS",
    "WHOLE_SHARE",
    "EmploymentRefresh",
    "PetrRefresh",
    "PnrRefresh",
    "SourceInfo",
    "extract_employment",
    "fetch_stock",
    "file_name",
    "member_communes",
    "petr_members",
    "read_groupements",
    "read_perimeters",
    "refresh_employment",
    "refresh_petr",
    "refresh_pnr_communes",
]
