"""Tests of tools/replay_network.py (python3 -m pytest tools/tests): how the mining map becomes sites."""

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import replay_network  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "grid-data" / "hashrate-map.csv"


def test_china_splits_over_its_provinces_and_other_world_flagged_and_unattributed_shares_take_the_world_mix():
    # Issue 23 (network replays). Hand-checked: China's 50% is 60/40 Sichuan/other provinces, so 30 and 20
    # MW; the named shares add up to 95, so 5 MW are unattributed; Ireland's 0% is left out.
    month = {
        "WORLD": [("CN", 50.0), ("US", 20.0), ("OTHER", 10.0), ("DE", 5.0), ("IE", 0.0), ("KZ", 10.0)],
        "CN": [("CN-SC", 60.0), ("OTHER", 40.0)],
    }
    rows, unattributed = replay_network.site_rows(month)
    assert rows == [
        ("CN:CN-SC", "CN-SC", 30.0),
        ("CN:OTHER", "CN", 20.0),
        ("US", "US", 20.0),
        ("OTHER", "WORLD", 10.0),
        ("DE*", "WORLD", 5.0),
        ("KZ", "KZ", 10.0),
        ("unattributed", "WORLD", 5.0),
    ]
    assert unattributed == 5.0


def test_china_stays_one_national_row_in_a_month_without_province_shares():
    rows, unattributed = replay_network.site_rows({"WORLD": [("US", 60.0), ("CN", 40.0)], "CN": []})
    assert rows == [("US", "US", 60.0), ("CN", "CN", 40.0)]
    assert unattributed == 0.0


def test_shares_that_miss_100_only_by_the_maps_rounding_add_no_unattributed_row():
    rows, unattributed = replay_network.site_rows({"WORLD": [("US", 59.99), ("RU", 39.99)], "CN": []})
    assert rows == [("US", "US", 59.99), ("RU", "RU", 39.99)]
    assert unattributed == 0.0


def test_the_sites_file_declares_each_row_by_region_with_its_share_as_power():
    text = replay_network.sites_csv([("CN:CN-SC", "CN-SC", 30.0), ("unattributed", "WORLD", 16.69)])
    assert text == "id,region,power_mw\nCN:CN-SC,CN-SC,30.000000\nunattributed,WORLD,16.690000\n"


def test_the_factor_file_holds_cambridge_s_nrel_medians_for_all_nine_sources():
    assert replay_network.factors_csv() == (
        "source,g_per_kwh\ncoal,1001.0\ngas,486.0\noil,840.0\nnuclear,13.0\nhydro,21.0\nwind,13.0\n"
        "solar,35.5\nbioenergy,32.3\nother_renewables,32.3\n"
    )


def test_days_weigh_february_of_a_leap_year_as_29():
    assert [replay_network.days_in_month(m) for m in ("2020-02", "2021-02", "2021-01", "2020-04")] == [29, 28, 31, 30]


def test_every_month_of_the_map_adds_up_to_100_except_january_2022_which_names_five_countries():
    totals = defaultdict(float)
    for month, shares in replay_network.read_map(MAP).items():
        for of in ("WORLD", "CN"):
            if shares[of]:
                totals[(month, of)] = sum(p for _, p in shares[of])
    for (month, of), total in totals.items():
        if (month, of) == ("2022-01", "WORLD"):
            assert abs(total - 83.31) < 1e-9
        else:
            assert abs(total - 100.0) <= replay_network.ROUNDING_PCT, (month, of, total)
    months = sorted({m for m, _ in totals})
    assert months[0] == "2019-09" and months[-2] == "2021-08" and months[-1] == "2022-01" and len(months) == 25


def test_every_row_of_the_map_names_its_source_and_address():
    import csv

    with open(MAP, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 443
    for row in rows:
        assert row["source"].startswith("CCAF"), row
        assert row["source_url"].startswith("https://"), row


def test_the_sensitivity_switches_keep_china_whole_and_put_the_flagged_countries_on_their_own_mix():
    month = {"WORLD": [("CN", 50.0), ("DE", 30.0), ("IE", 20.0)], "CN": [("CN-XJ", 100.0)]}
    rows, _ = replay_network.site_rows(month, by_province=False, flagged_on_world=False)
    assert rows == [("CN", "CN", 50.0), ("DE", "DE", 30.0), ("IE", "IE", 20.0)]
