"""tools/gem_model.py: GEM plant units -> China's coal/gas split by province (issue 23).

The pure helpers are checked on hand-made values; the tests marked `raw` read the GEM workbooks
again and compare grid-data/mix-annual.csv's Chinese rows with the formula on the raw numbers.
Run from the repository root:

    HASHMIX_DATA_RAW=../shared/data-raw python3 -m pytest tools/tests/test_gem_model.py
"""

import csv
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import gem_model  # noqa: E402
import subnational  # noqa: E402

RAW = Path(os.environ.get("HASHMIX_DATA_RAW", REPO.parent / "shared" / "data-raw"))


def test_gogpt_fuel_codes_are_read_by_their_first_fuel():
    assert gem_model.oilgas_fuel("NG") == "gas"
    assert gem_model.oilgas_fuel("LNG/FO") == "gas"
    assert gem_model.oilgas_fuel("FO/NG") == "oil"
    assert gem_model.oilgas_fuel("BFG/COG") == "coal"
    assert gem_model.oilgas_fuel("WOOD") == "bioenergy"
    assert gem_model.oilgas_fuel("S") is None
    assert gem_model.oilgas_fuel(None) is None


def test_a_unit_counts_from_its_start_year_until_the_year_before_it_retired():
    assert not gem_model.unit_generates_in("operating", 2019, None, 2018)
    assert gem_model.unit_generates_in("operating", 2019, None, 2019)
    assert gem_model.unit_generates_in("retired", 1999, 2015, 2014)
    assert not gem_model.unit_generates_in("retired", 1999, 2015, 2015)
    # a retired unit without a retirement year is never counted; an operating one without a
    # start year always is
    assert not gem_model.unit_generates_in("retired", 1999, None, 2000)
    assert gem_model.unit_generates_in("operating", None, None, 1990)


def test_mothballed_and_planned_units_never_count():
    # Huaneng Beijing's units are 'mothballed' in GEM July 2023: shut in March 2017
    assert not gem_model.unit_generates_in("mothballed", 1999, None, 2016)
    assert not gem_model.unit_generates_in("construction", 2020, None, 2023)


def test_the_coal_share_weights_capacity_by_the_national_hours_of_each_fuel():
    # 1000 MW coal x 5000 h = 5 TWh; 500 MW gas x 2000 h = 1 TWh -> 5/6 coal
    assert gem_model.coal_share_of_coal_gas(1000, 500, 5000, 2000) == pytest.approx(5 / 6, abs=1e-15)
    assert gem_model.coal_share_of_coal_gas(0, 0, 5000, 2000) is None
    assert gem_model.utilisation_hours(5.0, 1000) == 5000


def test_a_province_keeps_the_national_oil_and_bioenergy_and_splits_the_rest():
    national = {"coal": 0.90, "gas": 0.05, "oil": 0.02, "bioenergy": 0.03}
    mix = subnational.province_thermal_mix(national, 0.2)
    assert mix["coal"] == pytest.approx(0.19, abs=1e-15)
    assert mix["gas"] == pytest.approx(0.76, abs=1e-15)
    assert (mix["oil"], mix["bioenergy"]) == (0.02, 0.03)


def test_gem_province_spellings_map_to_nbs_names():
    assert gem_model.cn_province_name("Beijing City") == "Beijing"
    assert gem_model.cn_province_name("Guangxi Zhuang Autonomous Region") == "Guangxi"
    assert gem_model.cn_province_name("Xinjiang Uygur Autonomous Region") == "Xinjiang"
    assert gem_model.cn_province_name("Jangsu") == "Jiangsu"
    assert gem_model.cn_province_name("Sichuan - Yunnan border") not in subnational.CN_PROVINCES


def _annual_row(region, year):
    with open(REPO / "grid-data" / "mix-annual.csv", newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["region"] == region and r["year"] == str(year))


@pytest.fixture(scope="module")
def china_units():
    return gem_model.read_units(RAW, {"China"})


@pytest.mark.raw
def test_beijing_2023_has_no_coal_because_gem_lists_no_operating_coal_unit_there(china_units):
    # issue 23: Beijing was 88% coal (China's national thermal split). Beijing closed its last
    # coal plant (Huaneng Beijing) in March 2017 (Xinhua).
    by_region, _ = gem_model.capacity(china_units, 2023)
    assert by_region.get(("China", "Beijing", "coal"), 0) == 0
    assert by_region[("China", "Beijing", "gas")] == 10127
    row = _annual_row("CN-BJ", 2023)
    assert float(row["coal"]) == 0
    # NBS's Beijing thermal Jan-Nov 2023 minus the national oil and bioenergy fractions
    thermal = sum(float(row[s]) for s in ("coal", "gas", "oil", "bioenergy"))
    assert thermal == pytest.approx(39.05, abs=0.005)
    assert float(row["gas"]) == pytest.approx(37.437357441265, abs=1e-9)
    assert "assumption:" in row["note"] and "coal 0 MW, gas 10127 MW" in row["note"]


@pytest.mark.raw
def test_shanghai_2023_coal_share_is_the_capacity_formula_on_the_raw_numbers(china_units):
    by_region, by_country = gem_model.capacity(china_units, 2023)
    coal_mw = by_region[("China", "Shanghai", "coal")]
    gas_mw = by_region[("China", "Shanghai", "gas")]
    assert (coal_mw, gas_mw) == (15660, 8539.4)
    # China 2023 (Ember via OWID): coal 5741.51 TWh, gas 307.6 TWh
    coal_h = 5741.51e6 / by_country[("China", "coal")]
    gas_h = 307.6e6 / by_country[("China", "gas")]
    share = 15660 * coal_h / (15660 * coal_h + 8539.4 * gas_h)
    assert share == pytest.approx(0.7747, abs=5e-5)
    row = _annual_row("CN-SH", 2023)
    coal, gas = float(row["coal"]), float(row["gas"])
    assert coal / (coal + gas) == pytest.approx(share, abs=1e-9)


@pytest.mark.raw
def test_every_chinese_row_states_its_thermal_split():
    with open(REPO / "grid-data" / "mix-annual.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["region"].startswith("CN-")]
    assert rows
    for r in rows:
        assert "thermal power unsplit" in r["note"], r["region"] + " " + r["year"]


def test_a_modelled_region_is_its_capacity_times_the_country_s_hours_per_source():
    # 3000 MW coal in a country of 10000 MW making 50 TWh -> 5000 h -> 15 TWh; hydro 2000 of
    # 4000 MW making 16 TWh -> 4000 h -> 8 TWh; no wind unit, so no wind
    values, hours = gem_model.modelled_mix({"coal": 3000, "hydro": 2000}, {"coal": 10000, "hydro": 4000},
                                           {"coal": 50.0, "hydro": 16.0, "wind": 3.0})
    assert hours["coal"] == 5000 and hours["hydro"] == 4000
    assert values["coal"] == 15.0 and values["hydro"] == 8.0
    assert "wind" not in values


@pytest.mark.raw
def test_irkutsk_2023_is_modelled_from_its_coal_and_hydro_units():
    # Issue 23: Irkutsk (BitRiver's Bratsk) had Russia's national mix. Hydro share = hydro MW x
    # Russia's hydro hours / (that + coal MW x Russia's coal hours); Russia 2023 (Ember via
    # OWID): coal 196.22 TWh, hydro 200.6 TWh, read from the country's row.
    units = gem_model.read_units(RAW, {"Russia"})
    ru = _annual_row("RU", 2023)
    row = _annual_row("RU-IRK", 2023)
    assert row["dataset"] == "gem-model"
    _, by_country = gem_model.capacity(units, 2023)
    coal_h = float(ru["coal"]) * 1e6 / by_country[("Russia", "coal")]
    hydro_h = float(ru["hydro"]) * 1e6 / by_country[("Russia", "hydro")]
    # GEM's operating units inside Irkutsk oblast's polygon (the row's note): coal 3682 MW,
    # hydro 9088 MW
    assert "coal 3682 MW, hydro 9088 MW" in row["note"]
    hydro = float(row["hydro"]) / sum(float(row[s]) for s in subnational.SOURCES)
    assert float(row["coal"]) == pytest.approx(3682 * coal_h / 1e6, rel=1e-3)
    assert hydro == pytest.approx(9088 * hydro_h / (9088 * hydro_h + 3682 * coal_h), abs=5e-4)
    assert hydro == pytest.approx(0.666557, abs=5e-7)
    assert row["note"].startswith("modelled from plant capacity")


def test_gem_s_khakassia_units_are_not_counted_in_krasnoyarsk_whatever_the_polygon_says():
    # Sayano-Shushenskaya, 6,400 MW, at (52.8267, 91.3725): GEM says Khakassia; a square
    # polygon standing in for Krasnoyarsk Krai holds the point
    from shapely.geometry import box
    unit = ("Russia", "Republic of Khakassia", "hydro", 6400.0, "operating", 1978, None, 52.8267, 91.3725)
    krasnoyarsk = [{"code": "RU-KYA", "geom": box(80, 50, 100, 60)}]
    [(_, code)] = gem_model.regions_of_units([unit], krasnoyarsk)
    assert code == "RU-KK"
    other = ("Russia", "Krasnoyarsk Krai", "hydro", 6000.0, "operating", 1972, None, 55.9367, 92.2956)
    [(_, code)] = gem_model.regions_of_units([other], krasnoyarsk)
    assert code == "RU-KYA"


@pytest.mark.raw
def test_bakun_counts_as_operating_since_2011_though_gem_lists_it_under_construction():
    # Issue 23: GEM's May 2023 hydropower tracker lists Bakun (2,400 MW, Sarawak) as under
    # construction for 2027; it has generated since 2011 (UNIT_CORRECTIONS). Without the
    # correction Sarawak's modelled hydro share was 0.478; Sarawak's government says about 0.75.
    units = gem_model.read_units(RAW, {"Malaysia"})
    bakun = [u for u in units if u[3] == 2400.0 and u[2] == "hydro"]
    assert [(u[1], u[4], u[5]) for u in bakun] == [("Sarawak", "operating", 2011)]
    assert gem_model.unit_generates_in(bakun[0][4], bakun[0][5], bakun[0][6], 2023)
    assert not gem_model.unit_generates_in(bakun[0][4], bakun[0][5], bakun[0][6], 2010)
    row = _annual_row("MY-13", 2023)
    hydro = float(row["hydro"]) / sum(float(row[s]) for s in subnational.SOURCES)
    # Bakun 2,400 + Murum 944 + 108 MW of smaller plants; coal 810 MW plus Mukah's 270 MW (placed
    # by GEM's state name: its point is off the simplified coast); Malaysia's hours in the note
    assert "(coal 1080 MW, gas 1263 MW, hydro 3452 MW)" in row["note"]
    assert "coal 6129 h, gas 3969 h, hydro 5223 h" in row["note"]
    by_hand = 3452 * 5223 / (3452 * 5223 + 1080 * 6129 + 1263 * 3969)  # 0.6078
    assert hydro == pytest.approx(by_hand, abs=5e-4)
    assert hydro > 0.60


def test_a_region_is_modelled_only_with_two_percent_of_its_country_s_generation_and_some_fossil():
    # Issue 23: Turkistan (KZ-61), one 126 MW dam: 0.430 TWh of Kazakhstan's 113.88 TWh (0.38%)
    # came out 100% hydro, 0 g/kWh with a zero-wide interval.
    assert not gem_model.is_modelled_enough({"hydro": 0.430}, 113.88)
    assert gem_model.is_modelled_enough({"coal": 2.28}, 113.88)  # 2.002%
    assert not gem_model.is_modelled_enough({"coal": 2.27}, 113.88)  # 1.993%
    # enough generation, but none of it fossil: its direct intensity would be exactly 0
    assert not gem_model.is_modelled_enough({"hydro": 50.0}, 113.88)
    assert gem_model.is_modelled_enough({"hydro": 50.0, "gas": 0.1}, 113.88)


def test_a_unit_off_every_polygon_takes_the_region_gem_names_and_a_listed_plant_its_listed_region():
    from shapely.geometry import box
    sarawak = [{"code": "MY-13", "name": "Sarawak", "geom": box(110, 1, 115, 2.9)}]
    mukah = ("Malaysia", "Sarawak", "coal", 135.0, "operating", 2009, None, 2.968499, 112.323865, "Mukah")
    [(_, code)] = gem_model.regions_of_units([mukah], sarawak)
    assert code == "MY-13"
    nowhere = ("Malaysia", "Johor", "gas", 720.0, "operating", 2000, None, 1.4471, 103.8831, "x")
    [(_, code)] = gem_model.regions_of_units([nowhere], sarawak)
    assert code is None
    region = [{"code": "KZ-19", "name": "Almaty Region", "geom": box(70, 40, 80, 46)}]
    almaty2 = ("Kazakhstan", "Almaty", "coal", 80.0, "operating", 1980, None, 43.29292, 76.798519,
               "Almaty-2 power station")
    [(_, code)] = gem_model.regions_of_units([almaty2], region)
    assert code == "KZ-75"


@pytest.mark.raw
def test_kazakhstan_models_ten_oblasts_and_almaty_city_has_almaty_2_s_coal():
    # Issue 23: Almaty city (KZ-75) was 100% gas although Almaty-2 (510 MW of coal) is in it;
    # Akmola, Aktobe, Kostanay, Turkistan and Shymkent make under 2% of Kazakhstan's generation.
    with open(REPO / "grid-data" / "mix-annual.csv", newline="", encoding="utf-8") as fh:
        codes = sorted({r["region"] for r in csv.DictReader(fh)
                        if r["region"].startswith("KZ-") and r["dataset"] == "gem-model"})
    assert codes == ["KZ-19", "KZ-23", "KZ-31", "KZ-35", "KZ-47", "KZ-55", "KZ-59", "KZ-63", "KZ-71", "KZ-75"]
    row = _annual_row("KZ-75", 2023)
    assert "(coal 510 MW, gas 120 MW)" in row["note"]
    # 510 MW x Kazakhstan's 5,820 h (75.91 TWh of coal / GEM's coal MW) = 2.968 TWh
    assert float(row["coal"]) == pytest.approx(510 * 5820 / 1e6, rel=2e-4)
    assert "(coal 173 MW, hydro 734 MW)" in _annual_row("KZ-19", 2023)["note"]  # Almaty-3 only


@pytest.mark.raw
def test_huaneng_beijing_counts_through_2016_and_not_from_2017(china_units):
    # Issue 23: GEM lists Huaneng Beijing's units 2-5 (770 MW) as mothballed with no stop year,
    # so Beijing had no coal in 2015-2016; the plant shut on 2017-03-18 (UNIT_CORRECTIONS).
    for year, coal_mw in ((2015, 770), (2016, 770), (2017, 0)):
        by_region, _ = gem_model.capacity(china_units, year)
        assert by_region.get(("China", "Beijing", "coal"), 0) == coal_mw, year
    assert float(_annual_row("CN-BJ", 2015)["coal"]) > 0
    assert float(_annual_row("CN-BJ", 2017)["coal"]) == 0
