"""Global Energy Monitor (GEM) plant units: operating capacity by region, fuel and year.

GEM's trackers (CC BY 4.0; see data-raw/plants-gem/SOURCE.txt) give each generating unit's
capacity, status, start and retirement year and province/state, but no generation. hashmix uses
them for two stated assumptions:

1. China's thermal split by province (`china_coal_gas_weights`): NBS reports each province's
   thermal generation unsplit; its coal+gas part is divided between coal and gas in proportion
   to the province's operating coal and gas capacity, each weighted by China's national
   utilisation of that fuel in the same year (Ember/OWID generation divided by GEM's operating
   capacity across China). The weights are therefore calibrated so that applying them to
   China's own capacity returns China's national coal and gas generation.
2. (see MODELLED_REGIONS) regions with no generation data of their own.

A unit counts as operating in year Y when GEM lists it as operating or retired, its
start year is Y or earlier (an operating unit without a start year counts in every year) and it
was not retired before or in Y (a unit retired in Y counts zero in Y); mothballed units are left out
unless UNIT_CORRECTIONS gives, from a cited report, the year they stopped. GEM's 2023 snapshot omits units retired before GEM tracked them,
so early years can undercount retired capacity; the note of every derived row names the year of
capacity used.
"""

from collections import defaultdict
from pathlib import Path

import openpyxl

GEM_DIR = "plants-gem"
# The countries whose units are read: China (thermal split) and the countries of MODELLED_REGIONS.
MODEL_COUNTRIES = {"China", "Russia", "Malaysia", "Kazakhstan"}

# (file, sheet, columns): the columns name country, subnational unit, capacity, status, start
# year, retired year and fuel (None: the tracker's own fuel) in each GEM workbook.
TRACKERS = {
    "coal": ("Global-Coal-Plant-Tracker-July-2023.xlsx", "Units",
             ("Country", "Subnational unit (province, state)", "Capacity (MW)", "Status",
              "Start year", "Retired year", None)),
    "oilgas": ("Global-Oil-and-Gas-Plant-Tracker-GOGPT-August-2023.xlsx", "Oil & Gas Units",
               ("Country", "Subnational unit (province, state)", "Capacity (MW)", "Status",
                "Start year", "Retired year", "Fuel")),
    "hydro": ("Global-Hydropower-Tracker-May-2023.xlsx", "Data",
              ("Country 1", "State/Province 1", "Country 1 Capacity (MW)", "Status",
               "Start Year", "Retired Year", None)),
    "nuclear": ("Global-Nuclear-Power-Tracker-October-2023.xlsx", "Data",
                ("Country", "State/Province", "Capacity (MW)", "Status", "Start Year",
                 "Retirement Year", None)),
    "bioenergy": ("Global-Bioenergy-Power-Tracker-GBPT-V1.xlsx", "Data",
                  ("Country", "State/Province", "Capacity (MW)", "Operating status",
                   "Unit start year", "Retired year", None)),
    "other_renewables": ("Global-Geothermal-Power-Tracker-July-2023.xlsx", "Data",
                         ("Country", "State/Province", "Unit Capacity (MW)", "Status",
                          "Start year", "Retired year", None)),
}
# Statuses of units that generated at some time; "retired" units count until the year before their
# retired year. "mothballed" units are left out in every year: GEM gives no year they stopped, and
# counting them would put coal in Beijing's 2023 mix; where a report gives the year (Huaneng
# Beijing, March 2017), UNIT_CORRECTIONS makes them retired in it.
GENERATING_STATUSES = {"operating", "retired"}


# GOGPT's fuel codes (its 'Abbreviations' sheet) by hashmix source. Blast-furnace, coke-oven
# gas and coal are gases made from coal in steelworks: counted as coal. Codes not listed here
# (S solar thermal, OTH other, H hydrogen) are left out of every total.
GOGPT_FUELS = {
    "gas": {"NG", "LNG", "CM", "OG", "LPG", "PG", "WSTH-NG"},
    "coal": {"BFG", "COG", "C"},
    "oil": {"CR", "D", "FO", "HFO", "LFO", "COKE", "J", "N", "G", "WO", "KER"},
    "bioenergy": {"BU", "MSW", "PMW", "LFG", "BG", "WOOD"},
}


def oilgas_fuel(text):
    """GOGPT's Fuel column ('NG', 'NG/FO', 'BFG/COG', ...): the first fuel named decides the
    source; None for a fuel hashmix does not count."""
    first = (text or "").split("/")[0].strip().upper()
    return next((s for s, codes in GOGPT_FUELS.items() if first in codes), None)


def _year(v):
    if v is None or v == "":
        return None
    try:
        return int(float(str(v).strip()))
    except ValueError:
        return None


def _number(v):
    try:
        return float(str(v).replace(",", "").strip())
    except (TypeError, ValueError):
        return None


def unit_generates_in(status, start, retired, year):
    """Whether a unit counts as operating capacity in `year` (see the module doc)."""
    status = (status or "").strip().lower()
    if status not in GENERATING_STATUSES:
        return False
    if start is None:
        if status == "retired":
            return False
        return True
    if start > year:
        return False
    if status == "retired" and (retired is None or retired <= year):
        return False
    if retired is not None and retired <= year:
        return False
    return True


# Units whose status in GEM's snapshot is contradicted by dated public reports, by tracker and
# project (plant) name: (status, start year or None to keep GEM's, retired year or None to keep
# GEM's, evidence). Bakun (2,400 MW) is listed by the May 2023 hydropower tracker as under
# construction for 2027; it has generated since 2011. Huaneng Beijing's units 2-5 (770 MW of its
# 845 MW) are 'mothballed' with no stop year, which left Beijing with no coal in 2015-2016 although
# the plant ran until 18 March 2017: they count as retired in 2017 (so through 2016, by the rule
# that a unit retired in year Y counts zero in Y).
UNIT_CORRECTIONS = {
    ("coal", "Huaneng Beijing power station"): (
        "retired", None, 2017,
        "Beijing's last large coal-fired plant, in Chaoyang district, shut its coal units on 2017-03-18 "
        "(Xinhua, as reported by AFP: phys.org/news/2017-03-beijing-coal-power-natural-gas.html, "
        "2017-03-19; 845 MW in five units)"),
    ("hydro", "Bakun hydroelectric plant"): (
        "operating", 2011, None,
        "completed in 2011, eight 300 MW turbines (DayakDaily, 2024-08-26, "
        "https://dayakdaily.com/green-revolution-supercharging-sarawaks-energy-prowess); "
        "operational since 2011, in full operation from 2014-07-12 (United Daily, 2025-12-09, "
        "https://uniteddaily.my/index.php/en/f34b5aba-1368-4582-8600-b3c464fa956a)"),
}


def read_units(raw: Path, countries):
    """Every unit of the given countries (GEM's English names) in every tracker:
    [(country, subnational, source, capacity_mw, status, start, retired, lat, lon, plant name)]."""
    units = []
    for tracker, (file, sheet, cols) in TRACKERS.items():
        wb = openpyxl.load_workbook(raw / GEM_DIR / file, read_only=True)
        rows = wb[sheet].iter_rows(values_only=True)
        header = list(next(rows))
        idx = [header.index(c) if c else None for c in cols]
        lat, lon = header.index("Latitude"), header.index("Longitude")
        name = next((header.index(c) for c in ("Project Name", "Plant name") if c in header), None)
        for r in rows:
            country = r[idx[0]]
            if country not in countries:
                continue
            cap = _number(r[idx[2]])
            if cap is None or cap <= 0:
                continue
            if tracker == "hydro" and r[header.index("Technology Type")] == "pumped storage":
                continue  # pumped storage stores electricity made elsewhere: a net consumer
            source = tracker if tracker != "oilgas" else oilgas_fuel(r[idx[6]])
            if source is None:
                continue
            status, start, retired = r[idx[3]], _year(r[idx[4]]), _year(r[idx[5]])
            plant = r[name] if name is not None else None
            fix = UNIT_CORRECTIONS.get((tracker, plant))
            if fix and (fix[0] != "retired" or (status or "").strip().lower() == "mothballed"):
                status = fix[0]
                start = fix[1] if fix[1] is not None else start
                retired = fix[2] if fix[2] is not None else retired
            units.append((country, (r[idx[1]] or "").strip(), source, cap, status,
                          start, retired, _number(r[lat]), _number(r[lon]), plant))
        wb.close()
    return units


def capacity(units, year):
    """{(country, subnational, source): MW operating in `year`} and {(country, source): MW}."""
    by_region, by_country = defaultdict(float), defaultdict(float)
    for country, sub, source, cap, status, start, retired, *_ in units:
        if unit_generates_in(status, start, retired, year):
            by_region[(country, sub, source)] += cap
            by_country[(country, source)] += cap
    return by_region, by_country


def utilisation_hours(generation_twh, capacity_mw):
    """Full-load hours a fuel ran nationally: generation (TWh) / operating capacity (MW)."""
    if capacity_mw <= 0:
        return None
    return generation_twh * 1e6 / capacity_mw


def coal_share_of_coal_gas(coal_mw, gas_mw, coal_hours, gas_hours):
    """A province's coal fraction of its coal+gas generation: capacity x national hours."""
    coal, gas = coal_mw * coal_hours, gas_mw * gas_hours
    if coal + gas <= 0:
        return None
    return coal / (coal + gas)


# ---------------------------------------------------------------- China's thermal split

# The newest year GEM's trackers describe (coal July 2023, oil and gas August 2023): later years
# use the capacity operating in this year.
GEM_SNAPSHOT_YEAR = 2023
# GEM's spellings of China's provinces that differ from NBS's (CN_PROVINCES in subnational.py);
# units on a border between two provinces ('Sichuan - Yunnan border') are left out.
CN_GEM_NAMES = {"Fujiang": "Fujian", "Jangsu": "Jiangsu", "shanxi": "Shanxi"}
CN_GEM_SUFFIXES = (" Uygur Autonomous Region", " Zhuang Autonomous Region", " Hui Autonomous Region",
                   " Autonomous Region", " Province", " City")


def cn_province_name(gem_name):
    """NBS's English name of the province GEM's subnational unit names, or None."""
    name = CN_GEM_NAMES.get(gem_name, gem_name)
    for suffix in CN_GEM_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name or None


def china_coal_gas_weights(units, national, provinces, years):
    """{(code, year): (coal fraction of coal+gas, note)} for the provinces (NBS name -> code)
    and years whose national coal and gas generation is known.

    national: {year: {"coal": TWh, "gas": TWh}} (China's Ember/OWID series)."""
    out = {}
    for year in years:
        if year not in national:
            continue
        cap_year = min(year, GEM_SNAPSHOT_YEAR)
        by_region, by_country = capacity(units, cap_year)
        coal_h = utilisation_hours(national[year]["coal"], by_country[("China", "coal")])
        gas_h = utilisation_hours(national[year]["gas"], by_country[("China", "gas")])
        if coal_h is None or gas_h is None:
            continue
        mw = defaultdict(float)
        for (country, sub, source), cap in by_region.items():
            name = cn_province_name(sub)
            if country == "China" and name in provinces and source in ("coal", "gas"):
                mw[(provinces[name], source)] += cap
        for code in provinces.values():
            coal_mw, gas_mw = mw[(code, "coal")], mw[(code, "gas")]
            share = coal_share_of_coal_gas(coal_mw, gas_mw, coal_h, gas_h)
            if share is None:
                continue
            note = (
                f"coal and gas split by GEM's operating capacity in {cap_year} (coal {coal_mw:.0f} MW, "
                f"gas {gas_mw:.0f} MW; Global Coal Plant Tracker July 2023, Oil and Gas Plant Tracker "
                f"August 2023) x China's {year} full-load hours per fuel (Ember generation / GEM "
                f"capacity: coal {coal_h:.0f} h, gas {gas_h:.0f} h): coal {share:.4f} of coal+gas"
            )
            out[(code, year)] = (share, note)
    return out


# ---------------------------------------------------------------- modelled regions

# Regions where mining is known (BitRiver's Bratsk site in Irkutsk; Krasnoyarsk; Sarawak;
# Kazakhstan's oblasts) but no generation figure of their own is in the raw data: their mix is
# modelled from GEM's operating units. {ISO country: (GEM's country name, region codes or the
# prefix every region of the country starts with)}.
MODELLED_REGIONS = {
    "RU": ("Russia", ("RU-IRK", "RU-KYA")),
    "MY": ("Malaysia", ("MY-13",)),
    "KZ": ("Kazakhstan", ("KZ-",)),
}
# The sources GEM tracks (coal, oil and gas, hydro, nuclear, bioenergy, geothermal). It has no
# wind or solar tracker in the raw snapshot: a modelled region's wind and solar count as zero.
MODELLED_SOURCES = ("coal", "gas", "oil", "nuclear", "hydro", "bioenergy", "other_renewables")
# What is known to be wrong in GEM's units for a modelled region, said in each of its rows' notes.
MODELLED_CAVEATS = {
    "MY-13": "Bakun (2,400 MW), listed by GEM's May 2023 hydropower tracker as under construction for 2027, "
             "counts as operating since 2011 (UNIT_CORRECTIONS in tools/gem_model.py); Sarawak's government "
             "puts hydropower at about 75% (hydropower.org, 'Hydropower and Sarawak's journey in renewable "
             "energy development')",
}
# The first year modelled; later years up to the country's latest generation figure.
MODELLED_FIRST_YEAR = 2015
# The least a region's modelled generation must be, as a share of its country's generation in
# the same year, for its plants to stand for its supply. Below it the region imports most of what
# it uses and keeps its country's mix (noted like any region without data). Chosen on the data
# (issue 23; grid-data/SOURCES.md lists every Kazakh oblast's modelled TWh): 2% is about a third
# of what Kazakhstan generates per region (1/17 = 5.9%), and it falls in the gap between the
# largest oblast below it (Aktobe KZ-15, at most 1.77%, 2023) and the smallest above it (North
# Kazakhstan KZ-59, at least 2.42%, 2015), so the same regions are modelled in every year
# 2015-2023. It drops Akmola, Aktobe, Kostanay, Turkistan and Shymkent; Turkistan (KZ-61), one
# 126 MW dam and 0.38% of Kazakhstan's generation, came out 100% hydro at 0 g/kWh. Irkutsk (4.2%
# of Russia's generation or more), Krasnoyarsk (5.9% or more) and Sarawak (9.7% or more) pass.
MODELLED_MIN_SHARE_OF_COUNTRY = 0.02
# Fossil sources: a modelled mix must have some, or its direct intensity would be exactly 0 and
# its interval zero-wide (the modelled widening multiplies the intensity); such a region keeps
# its country's mix. No region that passes MODELLED_MIN_SHARE_OF_COUNTRY is affected (2015-2023).
FOSSIL_SOURCES = ("coal", "gas", "oil")
# The dataset id of modelled rows (grid-data/datasets.csv); hashmix reports their level as
# `modelled`.
MODELLED_DATASET = "gem-model"


# GEM's province names that override the polygon a unit's coordinates fall in: Sayano-Shushenskaya
# (6,400 MW) and Mainskaya (321 MW) hydro plants sit on the Yenisei where Khakassia meets
# Krasnoyarsk; GEM names Khakassia, where the plants are, but Natural Earth's simplified boundary
# puts their points inside Krasnoyarsk Krai (RU-KYA), which would have added 6.7 GW of hydro to it.
GEM_NAME_OVERRIDES = {("Russia", "Republic of Khakassia"): "RU-KK"}
# Plants whose point the simplified boundary puts in the wrong region of a modelled country, by
# (GEM's country, plant name): the region they are in. Every modelled region's units were checked
# against GEM's own subnational field (issue 23); where the two disagree and GEM's field or the
# plant's documented address is right, the plant is listed here. Almaty-2 (510 MW of coal, at
# 43.293, 76.799) is in Almaty city (KZ-75), in its Auezov district ("Almaty CHP-2", AlES; GEM's
# wiki page gem.wiki/Almaty-2_power_station: "Almaty, Kazakhstan"); Natural Earth's simplified
# city polygon leaves its point in Almaty Region (KZ-19). GEM's coal tracker names "Almaty" for
# plants in both the city and the region (Balkhash Ulken, on Lake Balkhash), so its field alone
# cannot decide, and the override is by plant. Almaty-3 (173 MW, at 43.424, 77.007, in Otegen
# Batyr, Ili district) is in Almaty Region and stays there.
GEM_PLANT_OVERRIDES = {("Kazakhstan", "Almaty-2 power station"): "KZ-75"}


def regions_of_units(units, features):
    """Each unit's region code: [(unit, code or None)]. GEM_NAME_OVERRIDES and
    GEM_PLANT_OVERRIDES first, then the polygon holding the unit's point; a point in no polygon
    (on a coast the simplified boundary cuts off: Mukah's 270 MW of coal in Sarawak, 238 MW of gas
    on Atyrau's Caspian shore) takes the region whose name is GEM's subnational field, if one has
    that exact name. features: [{code, name, geom}] of the unit's country (repaired admin-1
    polygons)."""
    from shapely import STRtree
    from shapely.geometry import Point

    tree = STRtree([f["geom"] for f in features])
    by_name = {f.get("name", "").casefold(): f["code"] for f in features if f.get("name")}
    out = []
    for u in units:
        lat, lon = u[7], u[8]
        code = GEM_NAME_OVERRIDES.get((u[0], u[1]))
        if code is None and len(u) > 9:
            code = GEM_PLANT_OVERRIDES.get((u[0], u[9]))
        if code is None and lat is not None and lon is not None:
            hits = tree.query(Point(lon, lat), predicate="intersects")
            if len(hits):
                code = features[int(min(hits))]["code"]
            else:
                code = by_name.get(u[1].casefold())
        out.append((u, code))
    return out


def modelled_mix(region_mw, country_mw, country_twh):
    """A region's modelled generation by source (TWh): its operating capacity (MW) x the
    country's generation per MW of GEM capacity of that source, and the hours used."""
    values, hours = {}, {}
    for s in MODELLED_SOURCES:
        h = utilisation_hours(country_twh.get(s, 0.0), country_mw.get(s, 0.0))
        hours[s] = h
        values[s] = region_mw.get(s, 0.0) * h / 1e6 if h is not None else 0.0
    return values, hours


def is_modelled_enough(values, country_twh):
    """Whether a region's modelled generation (values: {source: TWh}) may stand for its mix:
    at least MODELLED_MIN_SHARE_OF_COUNTRY of its country's generation (country_twh), and some
    of it fossil (FOSSIL_SOURCES)."""
    total = sum(values.values())
    if total <= 0 or country_twh <= 0 or total < MODELLED_MIN_SHARE_OF_COUNTRY * country_twh:
        return False
    return sum(values.get(s, 0.0) for s in FOSSIL_SOURCES) > 0


def modelled_rows(units, owid_rows, admin1, sources):
    """Annual rows (subnational._row dicts, without the row builder) for the modelled regions:
    [(code, year, values {source: TWh}, note)]. admin1: {ISO country: [{code, name, geom}]};
    sources: every source column of the mix tables."""
    national = {(r, y): {s: float(v[s]) for s in sources} for r, y, v in owid_rows}
    out = []
    for cc, (gem_name, wanted) in MODELLED_REGIONS.items():
        features = [f for f in admin1.get(cc, []) if f["code"].startswith(wanted)]
        mine = [u for u in units if u[0] == gem_name]
        placed = regions_of_units(mine, features)
        years = sorted(y for r, y in national if r == cc and y >= MODELLED_FIRST_YEAR)
        for year in years:
            cap_year = min(year, GEM_SNAPSHOT_YEAR)
            country_mw, region_mw = defaultdict(float), defaultdict(lambda: defaultdict(float))
            for u, code in placed:
                if not unit_generates_in(u[4], u[5], u[6], cap_year):
                    continue
                country_mw[u[2]] += u[3]
                if code is not None:
                    region_mw[code][u[2]] += u[3]
            twh = national[(cc, year)]
            total = sum(twh.values())
            wind_solar = (twh.get("wind", 0.0) + twh.get("solar", 0.0)) / total if total else 0.0
            for f in sorted(features, key=lambda f: f["code"]):
                mw = region_mw.get(f["code"])
                if not mw:
                    continue
                values, hours = modelled_mix(mw, country_mw, twh)
                if not is_modelled_enough(values, total):
                    continue
                caps = ", ".join(f"{s} {mw[s]:.0f} MW" for s in MODELLED_SOURCES if mw.get(s))
                hrs = ", ".join(f"{s} {hours[s]:.0f} h" for s in MODELLED_SOURCES
                                if mw.get(s) and hours[s] is not None)
                note = (
                    f"modelled from plant capacity, not measured generation: GEM's operating units here in "
                    f"{cap_year} ({caps}) x {gem_name}'s {year} generation per MW of GEM capacity by source "
                    f"(Ember via OWID / GEM: {hrs}); GEM tracks no wind or solar units, so they count as "
                    f"zero here ({gem_name}'s wind and solar were {wind_solar:.4f} of its generation)"
                )
                if f["code"] in MODELLED_CAVEATS:
                    note += f"; caveat: {MODELLED_CAVEATS[f['code']]}"
                out.append((f["code"], year, {s: values.get(s, 0.0) for s in sources}, note))
    return out
