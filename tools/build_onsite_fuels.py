#!/usr/bin/env python3
"""Write grid-data/onsite-fuels.csv: the direct factors of the fuels a mining site burns on site.

Usage:
    python3 tools/build_onsite_fuels.py ../shared/data-raw grid-data

For each fuel hashmix accepts in `onsite_fuel`, one row:
- fuel_g_per_kwh_heat: CO2 + CH4 x GWP + N2O x GWP per kWh of fuel heat (higher heating value),
  from the EPA emission factors that eGRID uses (40 CFR 98 Subpart C, Tables C-1 and C-2, as
  shipped in USEPA/egrid data/static_tables/co2_ch4_n2o_ef.csv) and the GWPs of the same
  folder (IPCC AR5, 100-year: CH4 28, N2O 265);
- efficiency: the default electrical efficiency (HHV) of the generators, from the table
  EFFICIENCY below, each with its source; blank where none is cited (the site must give
  `onsite_efficiency`);
- direct_g_per_kwh: for plants that burn nothing (solar, wind, hydro: 0 at the plant, the
  GHG Protocol's Scope 1); blank for geothermal, whose reservoir CO2 ranges too widely to
  default (the site must give `onsite_g_per_kwh`);
- methane_avoided_g_per_kwh: see METHANE below.

Nothing here is estimated: each number is the source's, converted exactly.
"""

import csv
import sys
from decimal import Decimal
from pathlib import Path

# The EPA file gives CO2 in short tons per MMBtu and CH4 and N2O in pounds per MMBtu.
# 1 short ton = 2,000 lb; 1 lb = 0.45359237 kg exactly (1959 international pound).
KG_PER_LB = Decimal("0.45359237")
KG_PER_SHORT_TON = Decimal(2000) * KG_PER_LB
# 1 MMBtu = 10^6 Btu_IT x 1,055.05585262 J = 1,055.05585262 MJ = 293.071070172 kWh.
KWH_PER_MMBTU = Decimal("1055.05585262") / Decimal("3.6")

# Which row of co2_ch4_n2o_ef.csv stands for each fuel.
EPA_ROWS = {
    "gas": "Pipeline (Weighted U.S. Average)",
    # Associated gas burnt at the wellhead is not pipeline gas: it holds more ethane and heavier
    # hydrocarbons, so its CO2 per MMBtu is higher. EPA's pipeline factor is the one published
    # value here; SOURCES.md says so, and a site that knows its gas gives onsite_g_per_kwh.
    "flare_gas": "Pipeline (Weighted U.S. Average)",
    "diesel": "Distillate Fuel Oil (avg)",
    "coal": "Mixed (Electric Power sector)",
}

# Default electrical efficiencies (HHV) from EIA's average operating heat rates: Electric Power
# Annual, Table 8.1 "Average Operating Heat Rate for Selected Energy Sources, 2012 through 2022"
# (https://www.eia.gov/electricity/annual/html/epa_08_01.html), 2022: natural gas 7,740,
# petroleum 11,166, coal 10,689 Btu/kWh (utility and independent power plants; combined heat and
# power and industrial plants excluded). Efficiency = 3,412.14 Btu per kWh / heat rate. These are
# fleet averages (gas mostly combined cycle): a site's own reciprocating engines or simple-cycle
# turbines burn more per kWh, so hashmix warns on every row that takes the default.
BTU_PER_KWH = Decimal("3600") / Decimal("1.05505585262")  # 3,412.14 Btu_IT per kWh
EIA_2022_HEAT_RATE = {"gas": 7740, "flare_gas": 7740, "diesel": 11166, "coal": 10689}
EIA_NAME = {"gas": "natural gas", "flare_gas": "natural gas", "diesel": "petroleum", "coal": "coal"}
EFFICIENCY = {
    fuel: (
        f"{BTU_PER_KWH / Decimal(rate):.5f}",
        f"efficiency: EIA Electric Power Annual Table 8.1, 2022 average operating heat rate of {EIA_NAME[fuel]} "
        f"plants, {rate:,} Btu/kWh (utility and IPP fleet average)",
    )
    for fuel, rate in EIA_2022_HEAT_RATE.items()
}

# Direct emissions of plants that burn nothing, g/kWh: none at the plant (Scope 1 counts the
# site's own combustion and process emissions; solar, wind and hydro have neither).
NO_COMBUSTION = {"solar": 0, "wind": 0, "hydro": 0}

# Methane avoided by flare gas burnt in engines instead of a flare, g CO2e/kWh generated. It
# needs a flare's destruction efficiency (98% is the usual US reading of 40 CFR 60.18) and the
# methane the site's engines let through (EPA AP-42 section 3.2 for reciprocating engines): the
# engine factors could not be checked against AP-42 itself, so none is given and the figure is
# left empty, never guessed.
METHANE = {}

FUELS = ["gas", "flare_gas", "diesel", "coal", "solar", "wind", "hydro", "geothermal"]


def epa_factors(raw: Path) -> dict:
    path = raw / "gridmix/us-egrid/usepa-egrid-static/co2_ch4_n2o_ef.csv"
    with path.open(newline="", encoding="utf-8-sig") as f:
        return {row["fuel_type"]: row for row in csv.DictReader(f)}


def gwps(raw: Path) -> dict:
    path = raw / "gridmix/us-egrid/usepa-egrid-static/global_warming_potential.csv"
    with path.open(newline="", encoding="utf-8-sig") as f:
        return {row["Gas"]: Decimal(row["gwp"]) for row in csv.DictReader(f)}


def g_per_kwh_heat(row: dict, gwp: dict) -> Decimal:
    assert row["co2_units"] == "ton CO2/mmBtu", row
    assert row["ch4_units"] == "lbs CH4/mmBtu" and row["n2o_units"] == "lbs N2O/mmBtu", row
    kg_per_mmbtu = (
        Decimal(row["co2_ef"]) * KG_PER_SHORT_TON
        + Decimal(row["ch4_ef"]) * KG_PER_LB * gwp["CH4"]
        + Decimal(row["n2o_ef"]) * KG_PER_LB * gwp["N2O"]
    )
    return kg_per_mmbtu * 1000 / KWH_PER_MMBTU


def main(raw: Path, out: Path) -> None:
    epa = epa_factors(raw)
    gwp = gwps(raw)
    rows = []
    for fuel in FUELS:
        heat, source = "", ""
        if fuel in EPA_ROWS:
            name = EPA_ROWS[fuel]
            heat = f"{g_per_kwh_heat(epa[name], gwp):.3f}"
            source = (
                f"EPA 40 CFR 98 Subpart C Tables C-1/C-2 via eGRID static tables ({name}); "
                f"GWP AR5 CH4 {gwp['CH4']}, N2O {gwp['N2O']}"
            )
        efficiency, efficiency_source = EFFICIENCY.get(fuel, ("", ""))
        methane, methane_source = METHANE.get(fuel, ("", ""))
        direct = NO_COMBUSTION.get(fuel, "")
        if fuel in NO_COMBUSTION:
            source = "no combustion at the plant"
        if fuel == "geothermal":
            source = "no default: reservoir CO2 varies by field; give onsite_g_per_kwh"
        sources = "; ".join(s for s in [source, efficiency_source, methane_source] if s)
        rows.append([fuel, heat, efficiency, direct, methane, sources])
    with (out / "onsite-fuels.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["fuel", "fuel_g_per_kwh_heat", "efficiency", "direct_g_per_kwh", "methane_avoided_g_per_kwh", "source"]
        )
        w.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
