"""Reference pipeline for the speed benchmark (tools/bench_e2e.sh), in the stack a GIS analyst would reach for
(pandas + geopandas/shapely STRtree): read the sites CSV (columns id,name,lat,lon,hashrate_ths,efficiency_j_th)
-> locate each site in the admin-1 polygons, else admin-0 -> join a per-region intensity table -> compute power,
energy, CO2 per TH and tonnes per year -> write a CSV.

Usage: reference_pipeline.py SITES ADMIN1.geojson ADMIN0.geojson OUT.csv
The region key is the first of the properties region, code, iso_3166_2, iso_a2, id that the GeoJSON has.
Set-up: python3 -m venv /tmp/peer && /tmp/peer/bin/pip install geopandas pyogrio

This measures the work, not the numbers: its intensity table is drawn at random (seed 1) so that the join and the
arithmetic cost what they would with real data. Its output is never a result and must not be read as one.
Kept as the benchmark's comparison since the first version (it was ../shared/bench/peer_geopandas.py).
"""
import sys, time
import pandas as pd, geopandas as gpd, numpy as np
t0 = time.time()
sites, a1, a0, out = sys.argv[1:5]
df = pd.read_csv(sites)
pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")
def load(path):
    g = gpd.read_file(path)
    key = next(k for k in ("region", "code", "iso_3166_2", "iso_a2", "id") if k in g.columns)
    return g[[key, "geometry"]].rename(columns={key: "region"})
r1, r0 = load(a1), load(a0)
j1 = gpd.sjoin(pts, r1, how="left", predicate="within")
j1 = j1[~j1.index.duplicated(keep="first")]
miss = j1.region.isna()
j0 = gpd.sjoin(pts[miss], r0, how="left", predicate="within")
j0 = j0[~j0.index.duplicated(keep="first")]
j1.loc[miss, "region"] = j0.region
codes = pd.Series(pd.concat([r1.region, r0.region]).unique())
rng = np.random.default_rng(1)
mix = pd.DataFrame({"region": codes, "intensity_g_kwh": rng.uniform(20, 900, len(codes)), "coal_share": rng.uniform(0, 1, len(codes))})
res = j1.drop(columns=["geometry", "index_right"]).merge(mix, on="region", how="left")
res["power_kw"] = res.hashrate_ths * res.efficiency_j_th / 1000
res["energy_mwh_year"] = res.power_kw * 8.76
res["co2_t_year"] = res.energy_mwh_year * res.intensity_g_kwh / 1000
res["co2_g_per_th"] = res.efficiency_j_th / 3.6e6 * res.intensity_g_kwh
res.to_csv(out, index=False)
print(f"rows={len(res)} unmatched={res.region.isna().sum()} seconds={time.time()-t0:.2f}", file=sys.stderr)
