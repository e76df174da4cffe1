"""ess_geo: the library behind ESS Territoires.

The économie sociale et solidaire (ESS) by territory: French geography
(:mod:`ess_geo.geography`), actors (:mod:`ess_geo.actors`), the workspace
(:mod:`ess_geo.store`), territorial networks (:mod:`ess_geo.networks`), the
demo dataset (:mod:`ess_geo.demo`) and map builders (:mod:`ess_geo.maps`).
The Streamlit pages and the command line are thin front ends over it.
"""

__version__ = "0.1.0"
