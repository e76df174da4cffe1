"""ess_geo: the library behind ESS Territoires.

The économie sociale et solidaire (ESS) by territory: French geography
(:mod:`ess_geo.geography`), actors (:mod:`ess_geo.actors`), the workspace
(:mod:`ess_geo.store`), territorial networks (:mod:`ess_geo.networks`), the
demo dataset (:mod:`ess_geo.demo`) and map builders (:mod:`ess_geo.maps`).
Data comes in through :mod:`ess_geo.imports` (readers, header mapping),
:mod:`ess_geo.sirene` (SIRENE stock files), :mod:`ess_geo.validation` (row
rules), :mod:`ess_geo.placement` (communes) and :mod:`ess_geo.loading` (the
import transaction and its report); :mod:`ess_geo.dedup`,
:mod:`ess_geo.editing`, :mod:`ess_geo.history` (journal and undo),
:mod:`ess_geo.auth` (staff login) and :mod:`ess_geo.backup` (exports,
backups) keep it right.
The Streamlit pages and the command line are thin front ends over it.
"""

__version__ = "0.1.0"
