"""Current generation mixes for US states, Canada's provinces and territories, and the countries
whose OWID series stop early (issue 23), for build_grid_data.py.

- US states: Ember's data API table `api_generation_usa_yearly.csv` (May 2025 release) for
  2001-2024; the EIA file for 1990-2000 only; the transcribed Ember June 2026 release only for a
  year the API lacks (2025), and only for a state whose transcribed 2023 and 2024 agree with the
  API (see `transcription_is_consistent`).
- Canada: ECCC's National Inventory Report (2024 edition) Annex 13, generation by fuel, for 1990,
  2000 and 2005-2022; CER's 2023 shares (subnational.read_canada) stay for 2023.
- Countries: OWID's share file for the years after a country's last complete stacked year, where
  the shares it does publish add up to 100 %.

Every value is the source's number, converted to TWh where the source gives GWh; nothing is filled.
grid-data/SOURCES.md states each rule.
"""

import csv
import math
import re
from collections import defaultdict

import openpyxl

import subnational
from subnational import SOURCES, _fmt, _row

# ---------------------------------------------------------------- US states (Ember data API)

EMBER_API_GENERATION = "gridmix/ember-data-api/api_generation_usa_yearly.csv"
# Ember's fuel variables -> hashmix's nine sources. "Other Fossil" (oil, petroleum coke, other
# gases, waste heat and other fossil fuels in EIA-923) is hashmix's `oil`, as for the EIA file.
EMBER_API_FUELS = {
    "Bioenergy": "bioenergy", "Coal": "coal", "Gas": "gas", "Hydro": "hydro", "Nuclear": "nuclear",
    "Other Fossil": "oil", "Other Renewables": "other_renewables", "Solar": "solar", "Wind": "wind",
}
# Ember's aggregate variables, each a sum of the fuels above: checked, not stored.
EMBER_API_AGGREGATES = {"Clean", "Fossil", "Renewables", "Wind and solar"}
# Entities of the state table that are not US states: Puerto Rico is a country-level region in
# hashmix (OWID's series), the US total is the country.
EMBER_API_SKIPPED = {"Puerto Rico", "US Total"}
# Ember prints GWh to 0.01: the nine fuels (9 x 0.005) and the two aggregates Fossil and Clean
# (2 x 0.005) can differ by rounding alone by at most 0.055 GWh.
EMBER_API_ROUNDING_GWH = 0.055
# The EIA file (1990-2019) is kept for the years before Ember's state series begins.
EIA_LAST_YEAR = 2000
# A transcribed Ember row (June 2026 release) for a year the API has is dropped; a later year is
# kept if, for the same state, every source's share in the transcribed 2024 lies within this many
# points of the API's 2024 share. Ember revises the latest year between releases: the transcribed
# 2024 shares of the 17 states in both files differ from the API's by at most 0.0105 (Tennessee
# and Indiana), and the 2023 values are identical. 0.02 allows that revision and no more; a state
# that moved further is a different series and its 2025 row would not follow on from 2024.
TRANSCRIPTION_MAX_SHARE_DIFF = 0.02

US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA",
    "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM",
    "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK",
    "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
    "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
    "Virginia": "VA", "Washington": "WA", "Washington, D.C.": "DC", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY",
}


def read_ember_api_states(raw):
    """{(region, year): {source: GWh}} from Ember's US state table, every state-year checked
    against Ember's own Fossil + Clean aggregates."""
    fuels = defaultdict(lambda: dict.fromkeys(SOURCES, 0.0))
    aggregates = defaultdict(dict)
    with open(raw / EMBER_API_GENERATION, newline="") as fh:
        for r in csv.DictReader(fh):
            if r["state"] in EMBER_API_SKIPPED:
                continue
            key = (f"US-{US_STATES[r['state']]}", int(r["year"]))
            variable, gwh = r["variable"], float(r["generation_gwh"])
            if variable in EMBER_API_FUELS:
                fuels[key][EMBER_API_FUELS[variable]] += gwh
            else:
                assert variable in EMBER_API_AGGREGATES, variable
                aggregates[key][variable] = gwh
    for key, v in fuels.items():
        # A state-year without clean (or fossil) generation has no such row.
        total = aggregates[key].get("Fossil", 0.0) + aggregates[key].get("Clean", 0.0)
        assert abs(sum(v.values()) - total) <= EMBER_API_ROUNDING_GWH, (key, sum(v.values()), total)
    assert len({code for code, _ in fuels}) == len(US_STATES), "a state is missing from Ember's table"
    return dict(fuels)


def pumped_storage_states(raw):
    """States with pumped storage in the EIA file, 2001-2019 ({"US-VA", ...}). Ember's state
    "Hydro" is conventional hydro plus pumped storage's net generation, which is negative
    (Virginia 2001: -1,225.85 GWh = EIA's conventional 1,014,224 MWh - pumped storage 2,240,077 MWh)."""
    out = set()
    with open(raw / "gridmix/us-eia/annual_generation_state.csv", newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if (r["Energy Source"] == "Pumped Storage" and r["Producer Type"] == "Total Electric Power Industry"
                    and int(r["Year"]) > EIA_LAST_YEAR and len(r["State"]) == 2
                    and float(r["Generation (Megawatthours)"].replace(",", "") or 0) != 0):
                out.add(f"US-{r['State']}")
    return out


PUMPED_STORAGE_NOTE = ("Ember's hydro is net of pumped storage, which this state has (EIA): pumping's net "
                       "consumption lowers it, below zero in some years")


def _shares(values):
    total = sum(values.values())
    return {s: x / total for s, x in values.items()}


def transcription_is_consistent(transcribed, api, code, year):
    """True if the transcribed row of `code` for `year` agrees with the API's within
    TRANSCRIPTION_MAX_SHARE_DIFF for every source (both in TWh or both in GWh: shares only)."""
    if (code, year) not in transcribed or (code, year) not in api:
        return False
    a, t = _shares(api[(code, year)]), _shares(transcribed[(code, year)])
    return all(abs(a[s] - t[s]) <= TRANSCRIPTION_MAX_SHARE_DIFF for s in SOURCES)


def us_states(raw):
    """Every state's annual rows: EIA 1990-2000, Ember's API 2001-2024, and a transcribed
    later year where consistent. Returns (rows, log)."""
    api = read_ember_api_states(raw)
    last_api_year = max(y for _, y in api)
    rows = [r for r in subnational.read_eia(raw) if r["year"] <= EIA_LAST_YEAR]
    pumped = pumped_storage_states(raw)
    for (code, year), v in sorted(api.items()):
        note = PUMPED_STORAGE_NOTE if code in pumped else ""
        rows.append(_row(code, year, "1-12", "ember-us-api", "TWh", {s: _fmt(x / 1000) for s, x in v.items()}, note))
    transcribed_rows = subnational.read_ember_states(raw)
    transcribed = {(r["region"], r["year"]): {s: float(x) for s, x in r["values"].items()}
                   for r in transcribed_rows}
    log = []
    for r in transcribed_rows:
        code, year = r["region"], r["year"]
        if year <= last_api_year:
            continue
        if not transcription_is_consistent(transcribed, api, code, last_api_year):
            log.append(f"{code} {year}: transcribed row left out (its {last_api_year} differs from the API's)")
            continue
        r = dict(r)
        r["note"] = (f"Ember June 2026 release (transcribed), later than the May 2025 release of {last_api_year} "
                     f"and earlier years; its {last_api_year} shares agree with that release's within "
                     f"{TRANSCRIPTION_MAX_SHARE_DIFF:g}")
        rows.append(r)
    return rows, log


# ---------------------------------------------------------------- Canada (ECCC NIR Annex 13)

NIR_WORKBOOK = "gridmix/canada-nir/eccc-nir-annex13/EN_Annex13_Electricity_Intensity_NIR2024.xlsx"
# The provincial and territorial tables (A13-1 is Canada, whose mix comes from OWID/Ember).
NIR_PROVINCE_TABLES = {
    "Table A13-2": "CA-NL", "Table A13-3": "CA-PE", "Table A13-4": "CA-NS", "Table A13-5": "CA-NB",
    "Table A13-6": "CA-QC", "Table A13-7": "CA-ON", "Table A13-8": "CA-MB", "Table A13-9": "CA-SK",
    "Table A13-10": "CA-AB", "Table A13-11": "CA-BC", "Table A13-12": "CA-YT", "Table A13-13": "CA-NT",
    "Table A13-14": "CA-NU",
}
# The rows of the "Electricity Generation, GWh" block -> hashmix's sources. "Combustion" is the
# sum of Coal, Natural Gas and Other Fuels and is not stored.
NIR_FUELS = {
    "Coal": "coal",
    "Natural Gas": "gas",
    # Table note c: refined petroleum products, petroleum coke, still gas "and other fuels not
    # easily categorized". The provincial tables do not split it; Canada's table A13-1 does
    # (2022: petroleum 2,700, biomass 1,960, other 2,720 GWh of 7,390), so part of it is biomass.
    "Other Fuels": "oil",
    "Nuclear": "nuclear",
    "Hydro": "hydro",
    # Table note k: "wind, tidal and solar", not split. Wind is most of it: Canada 2022 in the
    # OWID/Ember series has wind 37.53 TWh and solar 6.01; direct factors are 0 for all three.
    "Other Renewables": "wind",
    # Table notes l, m: NAICS 221119, before 2014 mostly steam from waste heat, which from 2014 is
    # reported under its original fuel. EIA's and Ember's "other" (waste heat included) is `oil`.
    "Other Generation": "oil",
}
NIR_SUBTOTAL, NIR_TOTAL = "Combustion", "Overall Total"
NIR_NOTE = "ECCC NIR 2024 Annex 13, main-activity producers (NAICS 22111) only"
# What the row note says when a category that cannot be split is not zero.
NIR_UNSPLIT_NOTES = {
    "Other Fuels": ("NIR's 'other fuels' (petroleum products, petroleum coke, still gas and other fuels, "
                    "some biomass among them; not split by province) counted as oil"),
    "Other Generation": "NIR's 'other generation' (mostly steam from waste heat) counted as oil",
    "Other Renewables": "NIR's 'other renewables' (wind, tidal and solar, not split) counted as wind",
}
# NIR rounds its figures (table note n; note f: "totals may not add up to overall total due to
# rounding"), some to two significant digits: Prince Edward Island 2008 is 5.8 + 140 = 145.8 GWh
# against an Overall Total of 150, 2009 is 7.3 + 350 = 357.3 against 350. The sum of the fuels
# must match the Overall Total within the rounding of each figure to two significant digits.
ROUNDING_SIGNIFICANT_DIGITS = 2


def rounding_half_unit(x):
    """Half a unit of the last of ROUNDING_SIGNIFICANT_DIGITS digits of x (0 for 0)."""
    if x == 0:
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(x))) - ROUNDING_SIGNIFICANT_DIGITS + 1)


def _label(cell):
    """A row label without its footnote letters: 'Other Renewablesk' -> 'Other Renewables'."""
    text = str(cell or "").strip()
    for name in list(NIR_FUELS) + [NIR_SUBTOTAL, NIR_TOTAL]:
        if re.fullmatch(re.escape(name) + r"[a-z,]*", text):
            return name
    return None


def _nir_year(cell):
    text = str(cell).strip() if cell is not None else ""
    if len(text) in (4, 5) and text[:4].isdigit() and text[4:] in ("", "a"):
        return int(text[:4]), text[4:] == "a"
    return None


def read_nir_canada(raw):
    """Annual rows for the 13 provinces and territories from NIR's generation by fuel, GWh -> TWh.
    Returns (rows, log)."""
    wb = openpyxl.load_workbook(raw / NIR_WORKBOOK, read_only=True, data_only=True)
    rows, log = [], []
    for sheet, code in NIR_PROVINCE_TABLES.items():
        cells = [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
        header = next(r for r in cells if _nir_year(r[2]) == (1990, False))
        years = {i: _nir_year(c) for i, c in enumerate(header) if _nir_year(c)}
        start = next(i for i, r in enumerate(cells) if str(r[2] or "").startswith("Electricity Generation"))
        block = {}
        for r in cells[start + 2:]:
            name = _label(r[1])
            if name is None:
                break
            block[name] = r
        assert set(block) == set(NIR_FUELS) | {NIR_SUBTOTAL, NIR_TOTAL}, (sheet, block.keys())
        for i, (year, preliminary) in sorted(years.items(), key=lambda kv: kv[1]):
            cell = {name: r[i] for name, r in block.items()}
            if not all(isinstance(c, (int, float)) for c in cell.values()):
                log.append(f"{code} {year}: no row (NIR shows {sorted({str(c) for c in cell.values()})})")
                continue
            v = dict.fromkeys(SOURCES, 0.0)
            for name, src in NIR_FUELS.items():
                v[src] += float(cell[name])
            total = float(cell[NIR_TOTAL])
            margin = rounding_half_unit(total) + sum(rounding_half_unit(float(cell[n])) for n in NIR_FUELS)
            assert abs(sum(v.values()) - total) <= margin, (code, year, sum(v.values()), total)
            notes = [NIR_NOTE] + [note for name, note in NIR_UNSPLIT_NOTES.items() if float(cell[name]) != 0]
            if preliminary:
                notes.append("2022 is preliminary (NIR's 2022a)")
            if code == "CA-NT" and year < 2005:
                notes.append("includes Nunavut (NIR aggregates the two before 2005)")
            rows.append(_row(code, year, "1-12", "nir-canada", "TWh", {s: _fmt(x / 1000) for s, x in v.items()},
                             "; ".join(notes)))
    return rows, log


# ---------------------------------------------------------------- countries whose series stop early

OWID_SHARES = "gridmix/owid/share-elec-by-source.csv"
OWID_SHARE_COLUMNS = {
    "CoalPc": "coal", "GasPc": "gas", "OilPc": "oil", "NuclearPc": "nuclear", "HydroPc": "hydro",
    "WindPc": "wind", "SolarPc": "solar", "BioenergyPc": "bioenergy", "OtherRenewPc": "other_renewables",
}
# Issue 23: a region whose newest year is more than this many years older than the newest in
# the dataset is out of date (the freshness rule of the "Done when").
STALE_AFTER_YEARS = 3
# The shares OWID prints are rounded to about 8 significant digits: a year whose published
# shares sum to 100 within this margin has nothing in its blank cells (UAE 2022: 100.0005).
SHARES_COMPLETE_MARGIN_PCT = 0.01


def early_country_rows(raw, a3_to_a2, owid_rows):
    """For each country whose stacked series ends more than STALE_AFTER_YEARS before the newest
    year, the later years of OWID's share file whose published shares add up to 100 % (a blank
    source is then 0 and the note says so). Returns (rows, log): the log lists every such
    country and what was done."""
    last = {}
    for region, year, _ in owid_rows:
        last[region] = max(last.get(region, 0), year)
    newest = max(last.values())
    early = {r: y for r, y in last.items() if y < newest - STALE_AFTER_YEARS}
    rows, log = [], []
    added = defaultdict(list)
    with open(raw / OWID_SHARES, newline="") as fh:
        for r in csv.DictReader(fh):
            region = a3_to_a2.get(r["Code"])
            year = int(r["Year"])
            if region not in early or year <= early[region]:
                continue
            given = {OWID_SHARE_COLUMNS[c]: r[c] for c in OWID_SHARE_COLUMNS if r[c] != ""}
            blank = [s for s in SOURCES if s not in given]
            total = sum(float(x) for x in given.values())
            if abs(total - 100.0) > SHARES_COMPLETE_MARGIN_PCT:
                log.append(f"{region} {year}: shares sum to {total:.4f} %; left out")
                continue
            note = (f"OWID's stacked series for this country ends in {early[region]}; shares from OWID's "
                    f"share-elec-by-source.csv")
            if blank:
                note += (f", where {', '.join(blank)} are blank and the published shares sum to {total:.4f} %, "
                         f"so they are counted as zero")
            rows.append(_row(region, year, "1-12", "owid-ember-shares", "%",
                             {s: given.get(s, "0") for s in SOURCES}, note))
            added[region].append(year)
    for region in sorted(early):
        years = added.get(region)
        if years:
            log.append(f"{region}: stacked series ends {early[region]}; added {min(years)}-{max(years)} from the share file")
        else:
            log.append(f"{region}: stacked series ends {early[region]}; no later complete year in data-raw, left as is")
    return rows, log


DATASETS = [
    ("ember-us-api", "Ember data API: US state generation by fuel, yearly (api_generation_usa_yearly.csv)",
     "Ember (US electricity data, built from EIA-923 and EIA Electric Power Monthly)",
     "May 2025 release (ember-data-api commit 02ce82d), 2001-2024", "CC BY 4.0",
     "https://github.com/ember-climate/ember-data-api",
     "US states and Washington, D.C., annual generation by fuel 2001-2024, GWh"),
    ("owid-ember-shares", "Share of electricity production by source (share-elec-by-source.csv)",
     "Our World in Data, based on Ember Yearly Electricity Data (2025) and Energy Institute Statistical Review (2024)",
     "OWID download, series to 2023", "CC BY 4.0", "https://ourworldindata.org/grapher/share-elec-by-source",
     "generation shares, %, for countries whose production series stops early (the United Arab Emirates)"),
]
