"""Screen a fleet in Python: assess it, plot each site's grid mix, write its Scope 2 table.

Run from the repository's root after `pip install ./python matplotlib`:

    python examples/python/screen_fleet.py [OUTPUT_FOLDER]

It writes mix.png (each site's generation mix, coal to solar) and esrs.csv (the ESRS E1-6 /
E1-5 table of the Scope 1/2 example fleet, reporting year 2023) to OUTPUT_FOLDER (default: a
folder `screen-output` in the current directory), and prints the screen. Cells are marked
`# %%` so that an editor (VS Code, Spyder, Jupyter's jupytext) runs them one by one.
"""

# %% Assess the seed fleet: one row per site, every output field, typed.
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to files; remove in a notebook to see the figures inline
import matplotlib.pyplot as plt
import pandas as pd

import hashmix

root = Path(__file__).resolve().parents[2]
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screen-output")
out.mkdir(parents=True, exist_ok=True)

sites = pd.read_csv(root / "examples" / "seed-sites.csv")
frame = hashmix.assess(sites, year=2023)
print(f"hashmix {hashmix.__version__}, {frame.attrs['schema']}: {len(frame)} sites")

# %% The screen: where each site's power comes from, its intensity and its risk.
screen = frame[
    ["id", "region", "coal_share", "hydro_share", "intensity_g_per_kwh", "co2_t_per_year", "risk_level", "status"]
]
print(screen.to_string(index=False))
portfolio = frame.attrs["portfolio"]
print(f"fleet: {portfolio['co2_t_per_year']:,.0f} tCO2e per year at {portfolio['intensity_g_per_kwh']:.1f} gCO2e/kWh")

# %% Plot the mix: one bar per site, the shares of each source stacked (fractions 0-1).
sources = ["coal", "gas", "oil", "nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables"]
shares = frame.set_index("id")[[f"{s}_share" for s in sources]].fillna(0.0)
shares.columns = sources
# Okabe and Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design").
colours = ["#000000", "#E69F00", "#CC79A7", "#D55E00", "#0072B2", "#56B4E9", "#F0E442", "#009E73", "#999999"]
ax = shares.plot.barh(stacked=True, color=colours, figsize=(9, 0.5 * len(shares) + 1.5), width=0.8)
ax.set_xlabel("share of generation (fraction)")
ax.set_ylabel("")
ax.set_xlim(0, 1)
ax.invert_yaxis()
ax.legend(ncol=5, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15))
ax.set_title("Grid mix of each site (hashmix, data year of each region)")
plt.tight_layout()
plt.savefig(out / "mix.png", dpi=120)
print(f"wrote {out / 'mix.png'}")

# %% The Scope 1/2 table of a fleet with its own plant, a PPA and guarantees of origin.
scope = root / "examples" / "scope"
table = hashmix.esrs(scope / "sites.csv", year=2023, instruments=scope / "instruments.csv")
table.to_csv(out / "esrs.csv", index=False)
print(table[["label", "value", "unit"]].to_string(index=False))
print(f"wrote {out / 'esrs.csv'}")
