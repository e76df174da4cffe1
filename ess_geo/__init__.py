"""ess_geo: the library behind ESS Territoires.

The économie sociale et solidaire (ESS) by territory, in layers; a module
imports only from its own layer or the layers below it:

- shared helpers: :mod:`ess_geo.errors`, :mod:`ess_geo.text`,
  :mod:`ess_geo.formats`, :mod:`ess_geo.paths` (where the data lie);
- :mod:`ess_geo.geo`: French territories, commune membership, search;
- :mod:`ess_geo.actors`: the actor schema, the public's needs, the demo;
- :mod:`ess_geo.io`: actor files, SIRENE, validation, placement, exports;
- :mod:`ess_geo.workspace`: the store, journal and undo, imports, editing,
  dedup, backups, staff login, networks;
- :mod:`ess_geo.analysis`: weight, coverage, budget, directory, filters;
- :mod:`ess_geo.maps` and :mod:`ess_geo.report`: maps, panoramas, figures;
- :mod:`ess_geo.pages`: what each page shows, without Streamlit;
- :mod:`ess_geo.ui`: the only Streamlit code;
- :mod:`ess_geo.sources` (official downloads) and :mod:`ess_geo.cli`.

The Streamlit pages and the command line are thin front ends over it.
"""

__version__ = "0.1.0"
