"""Subnational boundaries and generation mix for build_grid_data.py.

Boundaries: Natural Earth 10m admin-1 (TopoJSON, shared arcs) for the countries in
SUBNATIONAL_COUNTRIES, repaired as grid-data/SOURCES.md describes, then simplified once per
country as a coverage so that neighbours keep identical edges.

Mix: China's provinces (NBS, monthly and annual), US states (EIA 1990-2019, Ember 2023-2025)
and Canada's provinces and territories (CER, 2023). Values are kept in the source's unit; shares
are computed by hashmix at run time.
"""

import csv
import gzip
import json
import re
from collections import defaultdict

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union

SOURCES = ["coal", "gas", "oil", "nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables"]

SUBNATIONAL_COUNTRIES = ["AU", "BR", "CA", "CN", "IN", "KZ", "MY", "NO", "RU", "US"]

# Kazakhstan: the file's codes (pre-2020 letter codes, with ALA and ALM swapped: the feature
# coded KZ-ALA is Almaty oblast and KZ-ALM is Almaty city) -> current ISO 3166-2:KZ codes.
# Baikonur has no ISO 3166-2 code; it lies in Kyzylorda oblast and is merged into it.
KZ_CROSSWALK = {
    "KZ-AKM": ("KZ-11", "Akmola"),
    "KZ-AKT": ("KZ-15", "Aktobe"),
    "KZ-ALA": ("KZ-19", "Almaty Region"),
    "KZ-ATY": ("KZ-23", "Atyrau"),
    "KZ-ZAP": ("KZ-27", "West Kazakhstan"),
    "KZ-ZHA": ("KZ-31", "Zhambyl"),
    "KZ-KAR": ("KZ-35", "Karaganda"),
    "KZ-KUS": ("KZ-39", "Kostanay"),
    "KZ-KZY": ("KZ-43", "Kyzylorda"),
    "KZ-BAY": ("KZ-43", "Kyzylorda"),
    "KZ-MAN": ("KZ-47", "Mangystau"),
    "KZ-PAV": ("KZ-55", "Pavlodar"),
    "KZ-SEV": ("KZ-59", "North Kazakhstan"),
    "KZ-YUZ": ("KZ-61", "Turkistan"),
    "KZ-VOS": ("KZ-63", "East Kazakhstan"),
    "KZ-AST": ("KZ-71", "Astana"),
    "KZ-ALM": ("KZ-75", "Almaty"),
    "KZ-SHY": ("KZ-79", "Shymkent"),
}
# The ISO 3166-2 letter codes users may still hold (ISO's own old codes, not the file's swap).
KZ_OLD_ISO = {
    "KZ-11": "KZ-AKM", "KZ-15": "KZ-AKT", "KZ-19": "KZ-ALM", "KZ-23": "KZ-ATY", "KZ-27": "KZ-ZAP",
    "KZ-31": "KZ-ZHA", "KZ-35": "KZ-KAR", "KZ-39": "KZ-KUS", "KZ-43": "KZ-KZY", "KZ-47": "KZ-MAN",
    "KZ-55": "KZ-PAV", "KZ-59": "KZ-SEV", "KZ-61": "KZ-YUZ", "KZ-63": "KZ-VOS", "KZ-71": "KZ-AST",
    "KZ-75": "KZ-ALA", "KZ-79": "KZ-SHY",
}
# Regions created in 2022 that the boundary file predates: no polygon of their own.
KZ_NEW_2022 = {
    "KZ-10": ("Abay", "KZ-63"),
    "KZ-33": ("Zhetisu", "KZ-19"),
    "KZ-62": ("Ulytau", "KZ-35"),
}

# Norway: the file's pre-2020 counties -> the counties in force since 1 January 2024.
NO_2024 = {
    "NO-01": ("NO-31", "Østfold"), "NO-02": ("NO-32", "Akershus"), "NO-03": ("NO-03", "Oslo"),
    "NO-04": ("NO-34", "Innlandet"), "NO-05": ("NO-34", "Innlandet"), "NO-06": ("NO-33", "Buskerud"),
    "NO-07": ("NO-39", "Vestfold"), "NO-08": ("NO-40", "Telemark"), "NO-09": ("NO-42", "Agder"),
    "NO-10": ("NO-42", "Agder"), "NO-11": ("NO-11", "Rogaland"), "NO-12": ("NO-46", "Vestland"),
    "NO-14": ("NO-46", "Vestland"), "NO-15": ("NO-15", "Møre og Romsdal"), "NO-18": ("NO-18", "Nordland"),
    "NO-19": ("NO-55", "Troms"), "NO-20": ("NO-56", "Finnmark"), "NO-21": ("NO-21", "Svalbard"),
    "NO-22": ("NO-22", "Jan Mayen"), "NO-50": ("NO-50", "Trøndelag"),
}

# India: Dadra and Nagar Haveli (IN-DN) and Daman and Diu (IN-DD) merged into one union
# territory in 2020, ISO 3166-2 code IN-DH.
IN_2020 = {
    "IN-DN": ("IN-DH", "Dadra and Nagar Haveli and Daman and Diu"),
    "IN-DD": ("IN-DH", "Dadra and Nagar Haveli and Daman and Diu"),
}
# Codes ISO 3166-2:IN introduced in 2023 for states the boundary file codes the older way;
# accepted as input, output keeps the file's code.
IN_NEWER_CODES = {"IN-CG": "IN-CT", "IN-OD": "IN-OR", "IN-UK": "IN-UT", "IN-TS": "IN-TG"}

# Features dropped, with the reason (SOURCES.md lists them).
DROPPED = {
    "AU-X02~": "Jervis Bay Territory has no ISO 3166-2 code",
    "AU-X04~": "Ashmore and Cartier Islands is a separate admin-0 unit",
    "NO-X01~": "Bouvet Island has no ISO 3166-2:NO code",
    "RU-X01~": "an unnamed fragment without a code",
    "CN-HK": "Hong Kong is a country-level region (HK) in hashmix",
    "CN-MO": "Macau is a country-level region (MO) in hashmix",
}
# Placeholder features that belong to a coded subdivision.
MERGED_PLACEHOLDERS = {"AU-X03~": ("AU-TAS", "Tasmania")}  # Macquarie Island is part of Tasmania

CN_PROVINCES = {
    "Beijing": "CN-BJ", "Tianjin": "CN-TJ", "Hebei": "CN-HE", "Shanxi": "CN-SX", "Inner Mongolia": "CN-NM",
    "Liaoning": "CN-LN", "Jilin": "CN-JL", "Heilongjiang": "CN-HL", "Shanghai": "CN-SH", "Jiangsu": "CN-JS",
    "Zhejiang": "CN-ZJ", "Anhui": "CN-AH", "Fujian": "CN-FJ", "Jiangxi": "CN-JX", "Shandong": "CN-SD",
    "Henan": "CN-HA", "Hubei": "CN-HB", "Hunan": "CN-HN", "Guangdong": "CN-GD", "Guangxi": "CN-GX",
    "Hainan": "CN-HI", "Chongqing": "CN-CQ", "Sichuan": "CN-SC", "Guizhou": "CN-GZ", "Yunnan": "CN-YN",
    "Tibet": "CN-XZ", "Shaanxi": "CN-SN", "Gansu": "CN-GS", "Qinghai": "CN-QH", "Ningxia": "CN-NX",
    "Xinjiang": "CN-XJ",
}
NBS_KINDS = {"Thermal": "thermal", "Hydro": "hydro", "Wind": "wind", "Solar": "solar", "Nuclear": "nuclear"}
# The export's unit is 10 MWh (10^4 kWh): Sichuan's 2023 hydro is 35,833,000, i.e. 358 TWh, and
# the 31 provinces sum to 6,312 TWh in 2017 against 6,605 TWh for all China in Ember's data
# (NBS counts plants above designated size only).
NBS_TO_TWH = 1e-5
CN_FIRST_YEAR, CN_LAST_YEAR = 2015, 2024
# An annual row needs every source for at least January-November.
CN_MIN_ANNUAL_MONTHS = 11

EIA_SOURCES = {
    "Coal": "coal", "Natural Gas": "gas", "Petroleum": "oil", "Other Gases": "oil", "Other": "oil",
    "Nuclear": "nuclear", "Hydroelectric Conventional": "hydro", "Wind": "wind",
    "Solar Thermal and Photovoltaic": "solar", "Wood and Wood Derived Fuels": "bioenergy",
    "Other Biomass": "bioenergy", "Geothermal": "other_renewables",
}
EIA_EXCLUDED = {"Pumped Storage", "Total"}

EMBER_KEYS = {
    "Bio": "bioenergy", "Coal": "coal", "Gas": "gas", "Hydro": "hydro", "Nuclear": "nuclear",
    "OtherFossil": "oil", "OF": "oil", "OtherRen": "other_renewables", "OR": "other_renewables",
    "Solar": "solar", "Wind": "wind",
}

CANADA_KEYS = {
    "coal": "coal", "naturalGas": "gas", "petroleum": "oil", "nuclear": "nuclear", "hydro": "hydro",
    "wind": "wind", "solar": "solar", "biomass": "bioenergy", "tidal": "other_renewables",
    "other": "other_renewables",
}
CANADA_NAMES = {
    "alberta": "CA-AB", "british columbia": "CA-BC", "manitoba": "CA-MB", "new brunswick": "CA-NB",
    "newfoundland and labrador": "CA-NL", "nova scotia": "CA-NS", "northwest territories": "CA-NT",
    "nunavut": "CA-NU", "ontario": "CA-ON", "prince edward island": "CA-PE", "quebec": "CA-QC",
    "saskatchewan": "CA-SK", "yukon": "CA-YT",
}


# ---------------------------------------------------------------- boundaries

def _decode_arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _ring(arcs, ids):
    pts = []
    for i in ids:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def _polygon(arcs, rings):
    rs = [_ring(arcs, r) for r in rings]
    return Polygon(rs[0], rs[1:])


def read_admin1(raw):
    """Features of SUBNATIONAL_COUNTRIES as {country: [{code, name, geom}]}, unrepaired."""
    with gzip.open(raw / "boundaries/ne_10m_admin_1_states_provinces.topo.json.gz") as fh:
        topo = json.load(fh)
    arcs = _decode_arcs(topo)
    out = defaultdict(list)
    for g in next(iter(topo["objects"].values()))["geometries"]:
        p = g.get("properties") or {}
        cc = p.get("iso_a2")
        if cc not in SUBNATIONAL_COUNTRIES:
            continue
        if g["type"] == "Polygon":
            geom = _polygon(arcs, g["arcs"])
        else:
            geom = MultiPolygon([_polygon(arcs, p_) for p_ in g["arcs"]])
        out[cc].append({"code": p["iso_3166_2"], "name": p["name"], "geom": shapely.make_valid(geom)})
    return out


def _merge(features, mapping):
    """Rename and dissolve features by mapping {old: (new, name)}; unmapped codes are kept."""
    groups = {}
    for f in features:
        new, name = mapping.get(f["code"], (f["code"], f["name"]))
        groups.setdefault(new, {"code": new, "name": name, "parts": [], "old": []})
        groups[new]["parts"].append(f["geom"])
        if f["code"] != new:
            groups[new]["old"].append(f["code"])
    return [{"code": g["code"], "name": g["name"], "geom": unary_union(g["parts"]), "old": g["old"]}
            for g in groups.values()]


def _split_minas_gerais(features, raw):
    """The 10m feature coded BR-MS holds Minas Gerais and Mato Grosso do Sul together: cut it
    along the 50m boundary between them. Slivers covered by neither 50m polygon go to the state
    whose 50m polygon is nearer."""
    with open(raw / "boundaries/ne_50m_admin_1_states_provinces.json") as fh:
        fc = json.load(fh)
    ref = {}
    for f in fc["features"]:
        code = f["properties"].get("iso_3166_2")
        if code in ("BR-MG", "BR-MS"):
            ref[code] = shapely.make_valid(shape(f["geometry"]))
    merged = next(f for f in features if f["code"] == "BR-MS")
    mg = merged["geom"].intersection(ref["BR-MG"])
    ms = merged["geom"].intersection(ref["BR-MS"])
    rest = merged["geom"].difference(unary_union([mg, ms]))
    mg_parts, ms_parts = [mg], [ms]
    for piece in getattr(rest, "geoms", [rest]):
        if piece.is_empty or piece.area == 0:
            continue
        (mg_parts if piece.distance(ref["BR-MG"]) <= piece.distance(ref["BR-MS"]) else ms_parts).append(piece)
    features = [f for f in features if f["code"] != "BR-MS"]
    features.append({"code": "BR-MG", "name": "Minas Gerais", "geom": _polygonal(unary_union(mg_parts))})
    features.append({"code": "BR-MS", "name": "Mato Grosso do Sul", "geom": _polygonal(unary_union(ms_parts))})
    return features


def _polygonal(geom):
    polys = []
    for g in getattr(geom, "geoms", [geom]):
        if g.geom_type == "Polygon" and g.area > 0:
            polys.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            polys.extend(_polygonal(g).geoms)
    return MultiPolygon(polys)


def repair(admin1, raw):
    """Apply the fixes listed in ../shared/data-raw/README.md; returns the features and a log."""
    log = []
    out = {}
    for cc, feats in admin1.items():
        kept = []
        for f in feats:
            if f["code"] in DROPPED:
                log.append(f"dropped {f['code']} {f['name'] or '(unnamed)'}: {DROPPED[f['code']]}")
                continue
            kept.append(f)
        if cc == "BR":
            kept = _split_minas_gerais(kept, raw)
            log.append("split BR-MG (Minas Gerais) out of the feature coded BR-MS along the 50m boundary")
        mapping = dict(MERGED_PLACEHOLDERS)
        if cc == "KZ":
            mapping.update(KZ_CROSSWALK)
        if cc == "NO":
            mapping.update(NO_2024)
        if cc == "IN":
            mapping.update(IN_2020)
        merged = _merge(kept, mapping)
        for f in merged:
            f["geom"] = _polygonal(f["geom"])
            if f["old"]:
                log.append(f"{f['code']} {f['name']} <- {', '.join(sorted(f['old']))}")
        out[cc] = sorted(merged, key=lambda f: f["code"])
    return out, log


def simplify(features_by_country, tolerance):
    """Coverage-simplify each country's subdivisions once; returns the largest Hausdorff
    distance between a source polygon and its simplified form, in degrees."""
    worst = (0.0, "")
    for cc, feats in features_by_country.items():
        geoms = [f["geom"] for f in feats]
        simplified = shapely.coverage_simplify(geoms, tolerance)
        for f, g in zip(feats, simplified):
            g = _polygonal(shapely.make_valid(g))
            d = shapely.hausdorff_distance(f["geom"], g)
            if d > worst[0]:
                worst = (d, f["code"])
            f["geom"] = g
    return worst


# ---------------------------------------------------------------- mix

def _row(region, year, months, dataset, unit, values, note=""):
    return {"region": region, "year": year, "months": months, "dataset": dataset, "unit": unit,
            "values": values, "note": note}


def _fmt(x):
    """A float in the shortest form that reads back exactly."""
    if x == 0:
        return "0"
    return repr(round(x, 12))


def china_thermal_split(owid_rows):
    """China's national coal, gas, oil and bioenergy shares of thermal generation by year,
    from the OWID/Ember series: {year: {source: fraction}}."""
    out = {}
    for region, year, values in owid_rows:
        if region != "CN":
            continue
        parts = {s: float(values[s]) for s in ("coal", "gas", "oil", "bioenergy")}
        total = sum(parts.values())
        out[year] = {s: v / total for s, v in parts.items()}
    return out


def province_thermal_mix(national, coal_of_coal_gas):
    """A province's thermal mix: oil and bioenergy as the national fractions, the coal+gas rest
    divided by the province's own coal fraction of coal+gas (gem_model)."""
    coal_gas = national["coal"] + national["gas"]
    return {"coal": coal_gas * coal_of_coal_gas, "gas": coal_gas * (1 - coal_of_coal_gas),
            "oil": national["oil"], "bioenergy": national["bioenergy"]}


def read_china(raw, owid_rows, coal_gas=None):
    """Annual and monthly rows for every province, 2015-2024, and a log of what was left out.

    coal_gas: {(code, year): (coal fraction of coal+gas, note)} from gem_model; a province-year
    without one splits its thermal power by China's national thermal mix alone."""
    coal_gas = coal_gas or {}
    path = raw / "gridmix/china-nbs/power_generation_by_province_and_source.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    names = rows[1]
    columns = {}  # (code, kind) -> column
    for i, n in enumerate(names):
        parts = [p.strip() for p in n.split(":")]
        if len(parts) != 4 or parts[3] != "YTD" or parts[0].startswith("Power Consumption"):
            continue
        kind = next((v for k, v in NBS_KINDS.items() if parts[1].startswith(k)), None)
        if kind is None:
            continue
        columns[(CN_PROVINCES[parts[2]], kind)] = i
    data = {r[0]: r for r in rows[8:] if re.match(r"^\d{4}-\d{2}$", r[0])}
    split = china_thermal_split(owid_rows)
    latest_split = max(split)
    kinds = list(NBS_KINDS.values())
    annual, monthly, log = [], [], []

    def ytd(code, kind, year):
        """Valid year-to-date values by month (2..12); January is a placeholder in this export
        (NBS publishes January and February together)."""
        col = columns.get((code, kind))
        out = {}
        if col is None:
            return None
        best = 0.0
        for m in range(2, 13):
            r = data.get(f"{year}-{m:02d}")
            text = r[col].strip().replace(",", "") if r else ""
            if not text:
                continue
            v = float(text)
            # A cumulative value cannot fall: a lower value (often a 0 placeholder) is missing.
            if v < best:
                continue
            best = v
            out[m] = v
        return out

    for code in sorted(set(c for c, _ in columns)):
        absent = [k for k in kinds if (code, k) not in columns and k != "nuclear"]
        if code == "CN-SD":
            absent.append("nuclear")
        absent_note = (
            f"the NBS export has no {', '.join(absent)} series for this province; counted as zero"
            if absent else ""
        )
        for year in range(CN_FIRST_YEAR, CN_LAST_YEAR + 1):
            series = {k: ytd(code, k, year) for k in kinds}
            split_year = year if year in split else latest_split
            fr = split[split_year]
            gem = coal_gas.get((code, year))
            if gem is None:
                split_note = (
                    f"NBS reports thermal power unsplit; divided by China's {split_year} national thermal mix "
                    f"(Ember via OWID): coal {fr['coal']:.4f}, gas {fr['gas']:.4f}, oil {fr['oil']:.4f}, "
                    f"bioenergy {fr['bioenergy']:.4f}"
                )
            else:
                fr = province_thermal_mix(fr, gem[0])
                split_note = (
                    f"assumption: NBS reports thermal power unsplit; oil {fr['oil']:.4f} and bioenergy "
                    f"{fr['bioenergy']:.4f} of it as in China's {split_year} national thermal mix (Ember via "
                    f"OWID), the rest {gem[1]}"
                )
            note = "; ".join(n for n in (split_note, absent_note) if n)

            def values_for(amounts):
                v = dict.fromkeys(SOURCES, 0.0)
                for s in ("coal", "gas", "oil", "bioenergy"):
                    v[s] = amounts["thermal"] * fr[s]
                for k in ("hydro", "wind", "solar", "nuclear"):
                    v[k] = amounts[k]
                return {s: _fmt(x * NBS_TO_TWH) for s, x in v.items()}

            def at(m):
                """YTD of every source at month m, or None if one is missing."""
                out = {}
                for k in kinds:
                    s = series[k]
                    if s is None:
                        out[k] = 0.0
                    elif m in s:
                        out[k] = s[m]
                    else:
                        return None
                return out

            # Annual: the longest January-M period every source reports.
            last = next((m for m in range(12, 1, -1) if at(m) is not None), None)
            if last is not None and last >= CN_MIN_ANNUAL_MONTHS:
                amounts = at(last)
                n = note
                if last < 12:
                    missing = [k for k in kinds if series[k] is not None and 12 not in series[k]]
                    n = (f"January-{_month_name(last)} only: NBS has no December {', '.join(missing)} value; "
                         + note)
                annual.append(_row(code, year, f"1-{last}", "china-nbs", "TWh", values_for(amounts), n))
            else:
                log.append(f"{code} {year}: no annual row (every source reported only to month {last})")
            # Monthly: January-February together, then each month as a difference.
            jf = at(2)
            if jf is not None:
                monthly.append(_row(code, year, "1-2", "china-nbs", "TWh", values_for(jf), note))
            for m in range(3, 13):
                a, b = at(m), at(m - 1)
                if a is None or b is None:
                    continue
                diff = {k: a[k] - b[k] for k in kinds}
                if sum(diff.values()) <= 0:
                    continue
                monthly.append(_row(code, year, str(m), "china-nbs", "TWh", values_for(diff), note))
    return annual, monthly, log


def _month_name(m):
    return ["January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"][m - 1]


def read_eia(raw):
    path = raw / "gridmix/us-eia/annual_generation_state.csv"
    acc = defaultdict(lambda: dict.fromkeys(SOURCES, 0.0))
    unknown = set()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if r["Producer Type"] != "Total Electric Power Industry":
                continue
            state = r["State"].strip()
            if len(state) != 2 or not state.isalpha():
                continue
            src = r["Energy Source"]
            if src in EIA_EXCLUDED:
                continue
            if src not in EIA_SOURCES:
                unknown.add(src)
                continue
            mwh = float(r["Generation (Megawatthours)"].replace(",", "") or 0)
            acc[(f"US-{state}", int(r["Year"]))][EIA_SOURCES[src]] += mwh
    assert not unknown, unknown
    rows = []
    for (code, year), v in sorted(acc.items()):
        rows.append(_row(code, year, "1-12", "us-eia", "TWh", {s: _fmt(x / 1e6) for s, x in v.items()}))
    return rows


def read_ember_states(raw):
    path = raw / "gridmix/ember-extract/ember_2023-2025_transcribed.txt"
    rows = []
    current = None
    entry = re.compile(r"^\s*(\d{4}):\s*(.*)$")
    inline = re.compile(r"^(US-[A-Z]{2}) [A-Za-z ]+? (\d{4}): (.*)$")
    header = re.compile(r"^(US-[A-Z]{2}) [A-Za-z ]+\(TWh\):\s*$")

    def parse(code, year, text):
        values = dict.fromkeys(SOURCES, 0.0)
        for item in text.split(","):
            key, num = item.split()
            values[EMBER_KEYS[key]] += float(num)
        rows.append(_row(code, int(year), "1-12", "ember-us", "TWh", {s: _fmt(x) for s, x in values.items()}))

    with open(path) as fh:
        for line in fh:
            line = line.rstrip("\n")
            m = header.match(line)
            if m:
                current = m.group(1)
                continue
            m = inline.match(line)
            if m:
                parse(m.group(1), m.group(2), m.group(3))
                current = None
                continue
            m = entry.match(line)
            if m and current:
                parse(current, m.group(1), m.group(2))
                continue
            if not line.startswith(" "):
                current = None
    return rows


def read_canada(raw):
    with open(raw / "gridmix/canada/canada_energy_mix_2023.json") as fh:
        d = json.load(fh)
    rows = []
    for name, shares in sorted(d.items(), key=lambda kv: CANADA_NAMES[kv[0]]):
        v = dict.fromkeys(SOURCES, 0.0)
        for k, src in CANADA_KEYS.items():
            v[src] += float(shares[k])
        total = sum(v.values())
        assert abs(total - float(shares["total"])) < 0.011, (name, total, shares["total"])
        note = ""
        if abs(total - 100.0) > 1e-9:
            note = f"CER's percentages, rounded to 0.1, sum to {shares['total']}%; shares are scaled to 100%"
        rows.append(_row(CANADA_NAMES[name], 2023, "1-12", "cer-canada", "%", {s: _fmt(x) for s, x in v.items()},
                         note))
    return rows
