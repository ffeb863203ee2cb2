#!/usr/bin/env python3
"""Rebuild hashmix's risk data: grid-data/policy-events.csv, neighbours.csv and mining-regions.csv.

Usage:
    python3 tools/build_risk_data.py ../shared/data-raw grid-data

policy-events.csv is ../shared/data-raw/mining/policy_events.csv checked row by row and
normalised, merged with the project's own compilation, tools/policy_events_added.csv (same
columns as the raw file; one row per measure the project sourced itself, each with a URL).
Every change to a raw row is written in REVIEW below, with the reason, and every dropped row
in DROPPED; every added row has its normalised form in ADDED_REVIEW and is checked against it
(check_added). SOURCES.md repeats all three. Nothing is added that a row does not say, except
where REVIEW says which source a correction comes from.

neighbours.csv lists, for every region with a polygon, the regions of the same level whose
polygons touch it (countries with countries, provinces and states with provinces and
states), from the polygons already in grid-data (run build_grid_data.py first).

mining-regions.csv is the documented list of regions that have hosted significant Bitcoin
mining, used by `hashmix backtest`. Each row names its evidence and source.
"""

import csv
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import shape

# Polygons are simplified (grid-data keeps boundaries within about 1 km of the source), so two
# regions that share a border in the source may be a hair apart here. Regions within this
# distance, in degrees (about 2 km), count as touching.
TOUCH_TOLERANCE_DEG = 0.02

TYPES = ["ban", "ban_proposed", "moratorium", "seasonal_ban", "rationing", "tariff_or_tax", "disclosure", "incentive"]
SCOPES = ["all", "fossil_powered", "new_facilities"]
STATUSES = ["enacted", "proposed", "announced", "halted", "repealed"]
PRECISIONS = ["day", "month", "year"]
CONFIDENCE = ["high", "medium", "low"]

# The 27 EU member states (ISO 3166-1), for the EU-wide MiCA disclosure rule.
EU_MEMBERS = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()

# The normalised form of each kept raw row, keyed by event_id. Fields: date (YYYY, YYYY-MM or
# YYYY-MM-DD, matching precision), precision, effective (when the measure takes effect, if
# later than the date), end (when it lapses, ends or was repealed), jurisdictions (";"),
# coverage (whole: the whole jurisdiction; part: part of it), type, scope, status, confidence,
# note (what was checked or changed, and why).
REVIEW = {
    "CN-NM-2021-02": dict(date="2021-02-25", precision="day", jurisdictions="CN-NM", coverage="whole",
                          type="ban_proposed", scope="all", status="proposed", confidence="high",
                          note="draft notice, comments until 2021-03-03; enacted as CN-NM-2021-03"),
    "CN-NM-2021-03": dict(date="2021-03-09", precision="day", jurisdictions="CN-NM", coverage="whole",
                          type="ban", scope="all", status="enacted", confidence="high",
                          note="existing mining to close by April 2021, no new approvals; scope all mining "
                               "(the raw row's 'partly' refers to the energy-control motive, not to the measure)"),
    "CN-2021-05-21": dict(date="2021-05-21", precision="day", jurisdictions="CN", coverage="whole",
                          type="ban_proposed", scope="all", status="announced", confidence="high",
                          note="typed ban_proposed (raw: ban enacted): the State Council committee called for a "
                               "crackdown, carried out by the provincial orders of June and the NDRC notice "
                               "CN-2021-09-24; it was not itself a ban instrument"),
    "CN-XJ-2021-06-09": dict(date="2021-06-09", precision="day", jurisdictions="CN-XJ", coverage="part",
                             type="ban", scope="all", status="enacted", confidence="high",
                             note="order for the Zhundong park in Changji prefecture only, hence coverage part"),
    "CN-QH-2021-06-09": dict(date="2021-06-09", precision="day", jurisdictions="CN-QH", coverage="whole",
                             type="ban", scope="all", status="enacted", confidence="high", note=""),
    "CN-YN-2021-06": dict(date="2021-06-18", precision="day", jurisdictions="CN-YN", coverage="whole",
                          type="ban", scope="all", status="enacted", confidence="medium",
                          note="dated by its first report (CoinDesk 2021-06-18), the day it became public "
                               "knowledge; the order itself came earlier in June and is not verified"),
    "CN-SC-2021-06-18": dict(date="2021-06-18", precision="day", jurisdictions="CN-SC", coverage="whole",
                             type="ban", scope="all", status="enacted", confidence="high",
                             note="typed ban (raw: power cut / shutdown order): mining projects shut, power cut, "
                                  "no new approvals"),
    "CN-2021-09-24": dict(date="2021-09-24", precision="day", jurisdictions="CN", coverage="whole",
                          type="ban", scope="all", status="enacted", confidence="high",
                          note="NDRC notice FGYX [2021] No.1283"),
    "CN-2021-10-08": dict(date="2021-10-08", precision="day", jurisdictions="CN", coverage="whole",
                          type="ban_proposed", scope="all", status="proposed", confidence="medium",
                          note="draft negative list; the ban of CN-2021-09-24 was already in force"),
    "IR-2021-01": dict(date="2021-01", precision="month", end="2021-01-31", jurisdictions="IR", coverage="whole",
                       type="rationing", scope="all", status="enacted", confidence="medium",
                       note="two-week halt of licensed farms; exact days not given, so it ends with its dated "
                            "month: an enacted rationing with no end date would stand for ever"),
    "IR-2021-05-26": dict(date="2021-05-26", precision="day", end="2021-09-22", jurisdictions="IR",
                          coverage="whole", type="ban", scope="all", status="enacted", confidence="high",
                          note="temporary ban until 2021-09-22, as announced"),
    "IR-2021-12": dict(date="2021-12", precision="month", end="2022-03-06", jurisdictions="IR", coverage="whole",
                       type="rationing", scope="all", status="enacted", confidence="medium",
                       note="winter halt of licensed miners; the end date is as reported (approximate)"),
    "IR-2022-06": dict(date="2022-06", precision="month", effective="2022-06-22", end="2022-09-22",
                       jurisdictions="IR", coverage="whole", type="rationing", scope="all", status="enacted",
                       confidence="medium",
                       note="checked (issue 23; dropped before for want of a dated source): Tavanir's spokesman "
                            "Mostafa Rajabi Mashhadi told miners to stop for the three months of summer "
                            "(supercryptonews ?p=43630, which dates the 2021 halts to the year before), and the "
                            "118 licensed mining companies were to be disconnected from the Iranian month that "
                            "begins on 22 June (Tehran Times via Forklog, "
                            "https://forklog.com/en/news/iran-tightens-restrictions-on-cryptocurrency-mining); "
                            "effective 2022-06-22, end 2022-09-22 (the end of the Iranian summer, three months "
                            "as announced: approximate); medium, not low: two reports agree",
                       source_url="https://supercryptonews.com/?p=43630"),
    "KZ-2021-06-24": dict(date="2021-06-24", precision="day", effective="2022-01-01", jurisdictions="KZ",
                          coverage="whole", type="tariff_or_tax", scope="all", status="enacted", confidence="high",
                          note="KZT 1 per kWh mining fee from 2022-01-01"),
    "KZ-2021-10": dict(date="2021-10", precision="month", end="2021-10-31", jurisdictions="KZ", coverage="whole",
                       type="rationing", scope="all", status="enacted", confidence="high",
                       note="supply to registered miners limited from early-to-mid October 2021; how long the "
                            "limits lasted is not given, so the episode ends with its dated month (an enacted "
                            "rationing with no end date would stand for ever); later cuts are KZ-2022-01-24 "
                            "and KZ-2023-02-06"),
    "KZ-2022-01-24": dict(date="2022-01-24", precision="day", end="2022-01-31", jurisdictions="KZ",
                          coverage="whole", type="rationing", scope="all", status="enacted", confidence="high",
                          note="supply to miners cancelled 24-31 January 2022"),
    "KZ-2022-07-11": dict(date="2022-07-11", precision="day", effective="2023-01-01", jurisdictions="KZ",
                          coverage="whole", type="tariff_or_tax", scope="all", status="enacted", confidence="high",
                          note="fee scaled by electricity price from 2023-01-01; lower rate for own renewables"),
    "KZ-2023-02-06": dict(date="2023-02-06", precision="day", effective="2023-04-01", jurisdictions="KZ",
                          coverage="whole", type="rationing", scope="all", status="enacted", confidence="high",
                          note="typed rationing (raw: licensing / grid-access restriction): grid power for "
                               "miners only from surplus, by auction, from 2023-04-01; renewables, imports and "
                               "off-grid generation exempt; standing: the law has no end date, so it counts "
                               "while in force (issue 23)"),
    "XK-2022-01-04": dict(date="2022-01-04", precision="day", end="2022-03-06", jurisdictions="XK",
                          coverage="whole", type="ban", scope="all", status="enacted", confidence="high",
                          note="emergency ban, reported in force until 2022-03-06; its reinstatement later in "
                               "2022 has no verified date and is not included"),
    "GE-AB-2018-12": dict(date="2018-12", precision="month", end="2020-09-21", jurisdictions="GE-AB",
                          coverage="whole", type="ban", scope="all", status="repealed", confidence="medium",
                          note="repealed by the resolution of 2020-09-21"),
    "GE-AB-2020-12": dict(date="2020-12-10", precision="day", jurisdictions="GE-AB", coverage="whole",
                          type="ban", scope="all", status="enacted", confidence="medium",
                          note="date approximate, as reported"),
    "US-NY-2022-11-22": dict(date="2022-11-22", precision="day", end="2024-11-22", jurisdictions="US-NY",
                             coverage="whole", type="moratorium", scope="fossil_powered", status="enacted",
                             confidence="high",
                             note="two-year moratorium on new or renewed air permits for fossil-fuel plants "
                                  "powering proof-of-work mining behind the meter; the end date is two years "
                                  "from signing as the law states, and any extension is not verified"),
    "US-2024-01-26": dict(date="2024-01-26", precision="day", end="2024-02-23", jurisdictions="US",
                          coverage="whole", type="disclosure", scope="all", status="halted", confidence="high",
                          note="emergency survey halted by a court order on 2024-02-23"),
    "SE-2023-07": dict(date="2022-11", precision="month", effective="2023-07-01", jurisdictions="SE",
                       coverage="whole", type="tariff_or_tax", scope="all", status="enacted", confidence="medium",
                       note="dated by the November 2022 budget that set it (raw date 2023-07 is when it took "
                            "effect)"),
    "NO-2022-10": dict(date="2022-10-06", precision="day", jurisdictions="NO", coverage="whole",
                       type="tariff_or_tax", scope="all", status="proposed", confidence="medium",
                       note="checked: proposed with the 2023 national budget on 2022-10-06 (cryptonews.net, "
                            "bitcompare.net, both 2022-10-06); whether parliament adopted it is not verified, "
                            "so it stays a proposal",
                       source_url="https://cryptonews.net/news/mining/13921545"),
    "NO-2025-06-20": dict(date="2025-06-20", precision="day", jurisdictions="NO", coverage="whole",
                          type="moratorium", scope="new_facilities", status="proposed", confidence="high",
                          note="intent announced; possible from autumn 2025"),
    "RU-2024-12-24": dict(date="2024-12-24", precision="day", effective="2025-01-01", end="2031-03-15",
                          jurisdictions="RU-DA;RU-IN;RU-KB;RU-KC;RU-SE;RU-CE", coverage="whole", type="ban",
                          scope="all", status="enacted", confidence="high", note=""),
    "RU-UA-2024-12-24": dict(date="2024-12-24", precision="day", effective="2025-01-01", end="2031-03-15",
                             jurisdictions="UA-14;UA-09;UA-23;UA-65", coverage="whole", type="ban", scope="all",
                             status="enacted", confidence="high",
                             note="imposed by the Russian authorities on occupied Ukrainian territory"),
    "RU-SIB-2024-12-24": dict(date="2024-12-24", precision="day", effective="2025-01-01", end="2031-03-15",
                              jurisdictions="RU-IRK;RU-BU;RU-ZAB", coverage="part", type="seasonal_ban",
                              scope="all", status="enacted", confidence="high", season="11-15..03-15",
                              note="parts of the three regions; 2025-01-01 to 03-15, then every 15 November to "
                                   "15 March until 2031"),
    "RU-IRK-2025-04-07": dict(date="2025-04-07", precision="day", jurisdictions="RU-IRK", coverage="part",
                              type="ban", scope="all", status="enacted", confidence="medium",
                              note="southern part of the oblast, year-round until 2031 (end day not given)"),
    "RU-2025-05": dict(date="2025-05", precision="month", jurisdictions="RU-KR;RU-PNZ;RU-KK", coverage="part",
                       type="ban_proposed", scope="all", status="proposed", confidence="medium",
                       note="bans requested by the regions, to be reviewed by a government commission; northern "
                            "Karelia and some Khakassia districts only"),
    "RU-2025-10-31": dict(date="2025-10-31", precision="day", jurisdictions="RU-BU;RU-ZAB", coverage="part",
                          type="ban_proposed", scope="all", status="proposed", confidence="medium",
                          note="year-round bans under consideration where seasonal ones apply"),
    "PY-2024-04-03": dict(date="2024-04-03", precision="day", jurisdictions="PY", coverage="whole",
                          type="ban_proposed", scope="all", status="proposed", confidence="high",
                          note="jurisdiction PY (raw: PY-10): a national Senate bill; Alto Parana is where the "
                               "clandestine farms were found"),
    "ET-2025-08-07": dict(date="2025-08-07", precision="day", jurisdictions="ET", coverage="whole",
                          type="moratorium", scope="all", status="announced", confidence="high",
                          note="the state utility stops new contracts and phases out existing ones"),
    "LA-2025-10-16": dict(date="2025-10-16", precision="day", jurisdictions="LA", coverage="whole",
                          type="ban_proposed", scope="all", status="announced", confidence="high",
                          note="typed ban_proposed (raw: power cut): supply to miners to be halted by the end "
                               "of Q1 2026"),
    "VE-2024-05-17": dict(date="2024-05-17", precision="day", jurisdictions="VE", coverage="whole",
                          type="ban", scope="all", status="enacted", confidence="high",
                          note="jurisdiction VE (raw: VE-G and national): the disconnection order was national; "
                               "the raids were in Carabobo; date approximate, as reported"),
    "EU-2024-12-30": dict(date="2024-12-30", precision="day", jurisdictions=";".join(EU_MEMBERS),
                          coverage="whole", type="disclosure", scope="all", status="enacted", confidence="high",
                          note="MiCA sustainability disclosures, applied to each EU member state"),
}

# Raw rows left out, with the reason.
DROPPED = {
    "CN-NM-2021-05": "date and content not verified (low confidence); it reinforces CN-NM-2021-03, which is kept",
    "KZ-2023-07": "a company's response to regulation, not a government measure",
    "MY-2020-2025": "enforcement against electricity theft, which applies to any user; not a measure on mining",
    "CN-FUTURE-2026-02-06": "year not verified (low confidence)",
}

# The project's own events (tools/policy_events_added.csv), normalised like REVIEW. Every row of
# that file must have an entry here and every entry a row; the row's own event_type, status,
# confidence and date must agree with its entry (check_added), so the file and the review
# cannot drift apart. A measure that could not be sourced is not in the file at all.
ADDED_REVIEW = {
    "AO-2024-02-28": dict(date="2024-02-28", precision="day", effective="2024-04-10", jurisdictions="AO",
                          coverage="whole", type="ban", scope="all", status="enacted", confidence="high",
                          note="dated by the National Assembly's approval; in force 2024-04-10 as the Chinese "
                               "Embassy's notice reported"),
    "CA-BC-2022-12-21": dict(date="2022-12-21", precision="day", jurisdictions="CA-BC",
                             coverage="whole", type="moratorium", scope="new_facilities", status="enacted",
                             confidence="high",
                             note="no end date: ordered for 18 months (to 2024-06-28), extended in 2024 (reported "
                                  "in place until December 2025) and announced as permanent (CA-BC-2025-10-20); "
                                  "the instrument that extended it was searched for and not found (only secondary "
                                  "reports of a 36-month hold), and no report says the pause ever lapsed, so no "
                                  "end is given rather than an unsourced one (issue 23: the former end "
                                  "2025-12-21, 36 months from the order, made the pause lapse although the "
                                  "province announced a permanent ban)"),
    "CA-BC-2025-10-20": dict(date="2025-10-20", precision="day", jurisdictions="CA-BC", coverage="whole",
                             type="moratorium", scope="new_facilities", status="announced", confidence="high",
                             note="announced with the bill; the regulation that makes the ban permanent was due in "
                                  "fall 2025 and its adoption is not verified, so it stays announced"),
    "CA-MB-2022-11-28": dict(date="2022-11-28", precision="day", end="2024-04-30", jurisdictions="CA-MB",
                             coverage="whole", type="moratorium", scope="new_facilities", status="enacted",
                             confidence="high",
                             note="dated by its announcement; the directive of 2022-11-16 was not public before; "
                                  "end 2024-04-30 as the directive states, continued by CA-MB-2024-04-15 (the "
                                  "pause was November 2022, not September)"),
    "CA-MB-2024-04-15": dict(date="2024-04-15", precision="day", end="2026-04-30", jurisdictions="CA-MB",
                             coverage="whole", type="moratorium", scope="new_facilities", status="enacted",
                             confidence="high",
                             note="Manitoba Hydro's own notice; it continues CA-MB-2022-11-28 without a gap, so "
                                  "hashmix counts the pause once (the 2022 row does not count as lapsed while "
                                  "this one continues it); the pause expires 2026-04-30, and what follows it "
                                  "is not verified"),
    "CA-MB-2026-04-22-B20": dict(date="2026-04-22", precision="day", jurisdictions="CA-MB", coverage="whole",
                                 type="rationing", scope="all", status="proposed", confidence="high",
                                 note="typed rationing: curtailment of miners' supply; dated by the committee "
                                      "hearing (first reading earlier in 2026, day not verified); passage not "
                                      "verified"),
    "CA-MB-2026-04-22-B39": dict(date="2026-04-22", precision="day", jurisdictions="CA-MB", coverage="whole",
                                 type="tariff_or_tax", scope="all", status="proposed", confidence="medium",
                                 note="from a bill summary, not the bill's text, hence medium; dated by the "
                                      "committee hearing; passage not verified"),
    "CA-NB-2023-05-01": dict(date="2023-05-01", precision="day", jurisdictions="CA-NB", coverage="whole",
                             type="moratorium", scope="new_facilities", status="enacted", confidence="medium",
                             note="dated by its first report: the cabinet order of March 2022 was not public, so "
                                  "the measure is known from 2023-05-01; medium: the CBC and Canadian Press reports "
                                  "of 2023-05-01 were read in copies only (their own addresses not found); CTV's "
                                  "report of the October 2023 bill confirms the temporary ban"),
    "CA-NB-2023-10-31": dict(date="2023-10-31", precision="day", jurisdictions="CA-NB", coverage="whole",
                             type="moratorium", scope="new_facilities", status="proposed", confidence="high",
                             note="bill introduced on Tuesday 2023-10-31 (Blockworks, 2023-11-01); passage not "
                                  "verified"),
    "CA-QC-2022-11-03": dict(date="2022-11-03", precision="day", jurisdictions="CA-QC", coverage="whole",
                             type="moratorium", scope="new_facilities", status="proposed", confidence="high",
                             note="a request to the regulator to withdraw the unallocated block; the Régie's "
                                  "decision is not verified, so it stays a proposal. Québec's 2018 moratorium is "
                                  "not added: its end date was not found"),
    "KG-2025-11-12": dict(date="2025-11-12", precision="day", end="2026-03-31", jurisdictions="KG",
                          coverage="whole", type="ban", scope="all", status="enacted", confidence="high",
                          note="typed ban, as Kosovo's winter ban (XK-2022-01-04): every mining farm in the country "
                               "disconnected and sealed, switching one on a criminal offence; dated by the Energy "
                               "Minister's interview (24.kg, published Wednesday 2025-11-12, as reported); end "
                               "2026-03-31, 'until the end of March' (Deputy Chairman Tashiev, 24.kg 2025-11-13); "
                               "a reopening in spring is announced, not verified"),
    "KW-2025-04": dict(date="2025-04", precision="month", jurisdictions="KW", coverage="whole", type="ban",
                       scope="all", status="enacted", confidence="medium",
                       note="typed ban: the interior ministry treats mining as illegal and raids mining homes, "
                            "though no law names mining; dated to the month (began the last week of April "
                            "2025); a reported 2023 ban on mining is not verified; medium: the Reuters report "
                            "was read in syndicated copies only (its own address not found)"),
    "LA-2023-08-23": dict(date="2023-08-23", precision="day", jurisdictions="LA", coverage="whole",
                          type="rationing", scope="all", status="enacted", confidence="medium",
                          note="dated by the notice (Wednesday before 2023-08-25); typed rationing, not ban: miners "
                               "still drew about 150 MW in 2025 (LA-2025-10-16), so supply did not end; standing: "
                               "no end date given and none reported, and the 2025 plan to halt supply entirely "
                               "(LA-2025-10-16) builds on it"),
    "NO-2024-04": dict(date="2024-04", precision="month", jurisdictions="NO", coverage="whole",
                       type="disclosure", scope="all", status="enacted", confidence="medium",
                       note="registration duty for data centres; dated to the month of the law's passage as "
                            "reported (days before the April 2024 halving); reported in force 2025-01-01 with "
                            "registration by 2025-07-01 for existing centres (not verified in the statute); "
                            "medium: trade press (DatacenterDynamics, quoting the ministers to VG), the law's "
                            "text not read"),
    "PY-2024-06-26": dict(date="2024-06-26", precision="day", jurisdictions="PY", coverage="whole",
                          type="tariff_or_tax", scope="all", status="enacted", confidence="high",
                          note="ANDE's resolution; the group it applies to is the crypto-mining tariff group "
                               "created by decree in 2022"),
    "RU-2025-05-29": dict(date="2025-05-29", precision="day", jurisdictions="RU-BU;RU-ZAB", coverage="part",
                          type="ban_proposed", scope="all", status="announced", confidence="high",
                          note="the minister's statement; the areas are those under the seasonal ban "
                               "(RU-SIB-2024-12-24), hence part"),
    "RU-2025-12-16": dict(date="2025-12-16", precision="day", jurisdictions="RU-BU;RU-ZAB", coverage="part",
                          type="ban_proposed", scope="all", status="proposed", confidence="medium",
                          note="a draft protocol of the government's electricity commission (2025-12-10) to make "
                               "the seasonal ban in southern Buryatia and Zabaykalsky year-round from 2026, as "
                               "Kommersant reported on 2025-12-16, and Buryatia's government supporting it (TASS); "
                               "dated by the report; medium: read through secondary reports; adoption not "
                               "verified; part: the southern districts, as in RU-SIB-2024-12-24"),
    "US-AR-2023-04-13": dict(date="2023-04-13", precision="day", jurisdictions="US-AR", coverage="whole",
                             type="incentive", scope="all", status="enacted", confidence="high",
                             note="a 'right to mine' law protects miners from targeted local rules and rates; "
                                  "Act 851 of 2023 (HB 1799), enacted 2023-04-13 per the General Assembly's record"),
    "US-OK-2024-05": dict(date="2024-05", precision="month", effective="2024-11-01", jurisdictions="US-OK",
                          coverage="whole", type="incentive", scope="all", status="enacted", confidence="medium",
                          note="a 'right to mine' law, as Arkansas's and Montana's; dated to the month of the signing "
                               "as reported on 2024-05-16, in force 2024-11-01 as reported; medium: one reputable "
                               "report, the bill's number and text not read"),
    "US-TX-2023-06": dict(date="2023-06", precision="month", jurisdictions="US-TX", coverage="part",
                          type="disclosure", scope="all", status="enacted", confidence="high",
                          note="typed disclosure: registration of location and expected demand, no limit on "
                               "mining; part: the ERCOT region only, not all of Texas; dated to the month of the "
                               "enrolled bill analysis (2023-06-14), the day it was signed and its effective date "
                               "not read, so it counts from the end of June 2023; the PUC's implementing rule "
                               "not verified"),
    "US-MT-2023-05-02": dict(date="2023-05-02", precision="day", jurisdictions="US-MT", coverage="whole",
                             type="incentive", scope="all", status="enacted", confidence="high",
                             note="a 'right to mine' law protects miners from targeted local rules and rates"),
}

# Regions that have hosted significant Bitcoin mining, with the evidence. Shares are of global
# hashrate unless said otherwise, as published by the Cambridge Centre for Alternative Finance
# (CCAF) Bitcoin Mining Map and reported at the addresses given.
CCAF_2020 = ("CCAF Bitcoin Mining Map, Sep 2019-Apr 2020 average, as reported by Decrypt 2020-05",
             "https://decrypt.co/27879/you-can-now-watch-bitcoin-being-mined-around-the-world/")
CCAF_2020_CN = ("CCAF Bitcoin Mining Map, China provinces, Sep 2019-Apr 2020, as reported via Cointelegraph "
                "2020-05", "https://btcethereum.com/blog/?p=103915")
CCAF_2022 = ("CCAF Bitcoin Mining Map update, Sep 2021-Jan 2022 (Cambridge Judge Business School, 2022)",
             "https://jbs.cam.ac.uk/insight/2022/bitcoin-mining-electricity-update-new-data")
CCAF_2022_US = ("CCAF US state map, Sep 2021-Jan 2022, as reported by U.Today 2022",
                "https://u.today/us-solidifies-its-status-as-biggest-bitcoin-mining-hub")
CCAF_BOTH = (CCAF_2020[0] + "; " + CCAF_2022[0], CCAF_2020[1] + " ; " + CCAF_2022[1])
# Cambridge Digital Mining Industry Report (CCAF, April 2025): a survey of 49 mining firms holding
# 48% of the network hashrate. Its country figures are shares of the hashrate the surveyed firms
# reported, not of the network: a survey share, not a mining map. Only the US and Canada are given
# in the reports found.
CCAF_2025 = ("Cambridge Digital Mining Industry Report (CCAF, 2025-04), share of the hashrate reported by 49 "
             "surveyed firms (48% of the network), as reported by Fox Business 2025-04-28",
             "https://www.jbs.cam.ac.uk/faculty-research/centres/alternative-finance/publications/"
             "cambridge-digital-mining-industry-report/")
CCAF_ALL = (CCAF_BOTH[0] + "; " + CCAF_2025[0], CCAF_BOTH[1] + " ; " + CCAF_2025[1])
CCAF_2022_2025 = (CCAF_2022[0] + "; " + CCAF_2025[0], CCAF_2022[1] + " ; " + CCAF_2025[1])
CBECI_NO = ("CBECI country share as reported at Norway's 2023 budget, 2022-10-06",
            "https://cryptonews.net/news/mining/13921545")
MINING_REGIONS = [
    ("CN", "65.08% (2019-20); 21.11% (Jan 2022)", CCAF_BOTH),
    ("CN-XJ", "35.76% of global (2019-20)", CCAF_2020_CN),
    ("CN-SC", "9.66% of global (2019-20)", CCAF_2020_CN),
    ("CN-NM", "8.07% of global (2019-20)", CCAF_2020_CN),
    ("CN-YN", "5.42% of global (2019-20)", CCAF_2020_CN),
    ("CN-BJ", "1.73% of global (2019-20); likely pool or company addresses rather than machines", CCAF_2020_CN),
    ("US", "7.24% (2019-20); 37.84% (Jan 2022); 75.4% of surveyed miners' reported hashrate (2025 survey)",
     CCAF_ALL),
    ("US-GA", "over 30% of the US share (Jan 2022)", CCAF_2022_US),
    ("US-TX", "11.22% of the US share (Jan 2022)", CCAF_2022_US),
    ("US-KY", "10.93% of the US share (Jan 2022)", CCAF_2022_US),
    ("US-NY", "9.77% of the US share (Jan 2022)", CCAF_2022_US),
    ("US-CA", "7.9% of the US share (Jan 2022)", CCAF_2022_US),
    ("RU", "6.90% (2019-20); 4.66% (Jan 2022)", CCAF_BOTH),
    ("KZ", "6.17% (2019-20); 13.22% (Jan 2022)", CCAF_BOTH),
    ("MY", "4.33% (2019-20)", CCAF_2020),
    ("IR", "3.82% (2019-20)", CCAF_2020),
    ("CA", "6.48% (Jan 2022); 7.1% of surveyed miners' reported hashrate (2025 survey)", CCAF_2022_2025),
    ("NO", "0.74% (2022)", CBECI_NO),
]


def first_url(text):
    for token in text.replace(";", " ").split():
        if token.startswith("http://") or token.startswith("https://"):
            return token.rstrip(",)")
    return ""


def stands_unstated(ev):
    """An adopted rationing with no end date is standing: hashmix counts it for as long as it
    is in force, past rationing_history's lookback (issue 23). Such a review must say so
    ("standing" in its note); an episode whose length is not known gets the end of its dated
    period instead, so that it does not stand for ever by omission."""
    return (ev["type"] == "rationing" and ev["status"] == "enacted" and not ev.get("end")
            and "standing" not in ev["note"])


def check(ev):
    assert not stands_unstated(ev), ev
    assert ev["type"] in TYPES, ev
    assert ev["scope"] in SCOPES, ev
    assert ev["status"] in STATUSES, ev
    assert ev["precision"] in PRECISIONS, ev
    assert ev["confidence"] in CONFIDENCE, ev
    assert ev["coverage"] in ("whole", "part"), ev
    n = {"day": 3, "month": 2, "year": 1}[ev["precision"]]
    assert len(ev["date"].split("-")) == n, ev


ADDED_FILE = Path(__file__).resolve().parent / "policy_events_added.csv"


def check_added(path: Path, raw_fields, raw_ids, known_regions, review=None):
    """Read the project's own events file and check every row against its review.

    The file must have the raw file's columns, in order; each row an id that is not a raw row's,
    used once, with an entry in `review` (ADDED_REVIEW), its event_type, status, confidence,
    date and date_precision as the entry says, a description, and a source with a URL; its
    iso3166_1 must be the country of every jurisdiction and its iso3166_2, when given, one of
    them. Every entry must have a row. Returns the rows; raises ValueError naming the line, the
    column, the value and what was expected.
    """
    review = ADDED_REVIEW if review is None else review
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != list(raw_fields):
            raise ValueError(f"{path.name}: line 1: the columns are {header}; expected the raw file's: "
                             f"{list(raw_fields)}")
        rows, seen = [], set()
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(header):
                raise ValueError(f"{path.name}: line {line}: {len(cells)} fields; expected {len(header)}")
            r = dict(zip(header, cells))

            def bad(column, expected):
                return ValueError(f"{path.name}: line {line}, column {column}: '{r[column]}': expected {expected}")

            rid = r["event_id"]
            if rid in raw_ids:
                raise bad("event_id", "an id not used by the raw file (this measure is already there)")
            if rid in seen:
                raise bad("event_id", "an id used once")
            seen.add(rid)
            ev = review.get(rid)
            if ev is None:
                raise bad("event_id", "an id with its review in ADDED_REVIEW")
            if stands_unstated(ev):
                raise bad("event_type", "an end date in ADDED_REVIEW, or 'standing' in its note: an enacted "
                                        "rationing with no end date counts for as long as it stands")
            check(ev)
            for column, key in (("event_type", "type"), ("status", "status"), ("confidence", "confidence"),
                                ("date", "date"), ("date_precision", "precision")):
                if r[column] != ev[key]:
                    raise bad(column, f"'{ev[key]}', as ADDED_REVIEW says")
            if not r["description"].strip():
                raise bad("description", "what the measure does")
            if not first_url(r["source"]):
                raise bad("source", "the publisher, title, date and an http(s) URL")
            jurisdictions = ev["jurisdictions"].split(";")
            for j in jurisdictions:
                cc = j.split("-")[0]
                if cc not in known_regions:
                    raise bad("iso3166_1", f"a hashmix region; jurisdiction {j} is not")
                if cc != r["iso3166_1"]:
                    raise bad("iso3166_1", f"the country of every jurisdiction ({ev['jurisdictions']})")
            if r["iso3166_2"] and r["iso3166_2"] not in jurisdictions:
                raise bad("iso3166_2", f"one of the jurisdictions ({ev['jurisdictions']})")
            rows.append(r)
    missing = sorted(set(review) - seen)
    if missing:
        raise ValueError(f"{path.name}: ADDED_REVIEW has no row for {', '.join(missing)}")
    return rows


def normalised(r, ev):
    return {
        "id": r["event_id"],
        "date": ev["date"],
        "date_precision": ev["precision"],
        "effective_date": ev.get("effective", ""),
        "end_date": ev.get("end", ""),
        "jurisdictions": ev["jurisdictions"],
        "coverage": ev["coverage"],
        "type": ev["type"],
        "scope": ev["scope"],
        "status": ev["status"],
        "confidence": ev["confidence"],
        "season": ev.get("season", ""),
        "description": r["description"],
        "source": r["source"],
        "source_url": ev.get("source_url") or first_url(r["source"]),
        "note": ev["note"],
    }


def write_events(raw: Path, out: Path, known_regions, added: Path = ADDED_FILE):
    with open(raw / "mining" / "policy_events.csv", newline="") as fh:
        reader = csv.DictReader(fh)
        raw_fields = reader.fieldnames
        rows = list(reader)
    ids = [r["event_id"] for r in rows]
    assert sorted(ids) == sorted(set(REVIEW) | set(DROPPED)), "every raw row is reviewed or dropped"
    fields = ["id", "date", "date_precision", "effective_date", "end_date", "jurisdictions", "coverage", "type",
              "scope", "status", "confidence", "season", "description", "source", "source_url", "note"]
    kept = []
    for r in rows:
        rid = r["event_id"]
        if rid in DROPPED:
            continue
        ev = REVIEW[rid]
        check(ev)
        for j in ev["jurisdictions"].split(";"):
            cc = j.split("-")[0]
            if cc not in known_regions:
                raise SystemExit(f"{rid}: jurisdiction {j}: country {cc} is not a hashmix region")
        kept.append(normalised(r, ev))
    try:
        own = check_added(added, raw_fields, set(ids), known_regions)
    except ValueError as e:
        raise SystemExit(str(e))
    kept.extend(normalised(r, ADDED_REVIEW[r["event_id"]]) for r in own)
    kept.sort(key=lambda e: (e["date"], e["id"]))
    with open(out / "policy-events.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    return len(kept), len(own)


def write_neighbours(out: Path):
    lines = []
    for name in ("countries.geojson", "subdivisions.geojson"):
        feats = json.load(open(out / name))["features"]
        codes = [f["properties"]["region"] for f in feats]
        geoms = [shape(f["geometry"]) for f in feats]
        tree = shapely.STRtree(geoms)
        for i, g in enumerate(geoms):
            near = tree.query(g, predicate="dwithin", distance=TOUCH_TOLERANCE_DEG)
            others = sorted({codes[j] for j in near if codes[j] != codes[i]})
            if others:
                lines.append((codes[i], ";".join(others)))
    lines.sort()
    with open(out / "neighbours.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["region", "neighbours"])
        w.writerows(lines)
    return len(lines)


def write_mining_regions(out: Path, names):
    with open(out / "mining-regions.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["region", "name", "evidence", "source", "source_url"])
        for code, evidence, (source, url) in MINING_REGIONS:
            w.writerow([code, names[code], evidence, source, url])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw, out = Path(sys.argv[1]), Path(sys.argv[2])
    names = {r["region"]: r["name"] for r in csv.DictReader(open(out / "regions.csv", newline=""))}
    kept, own = write_events(raw, out, set(names))
    n = write_neighbours(out)
    write_mining_regions(out, names)
    print(f"policy events written: {kept} ({kept - own} raw rows kept, {own} added); dropped: {len(DROPPED)}")
    for rid, why in DROPPED.items():
        print(f"  dropped {rid}: {why}")
    print(f"regions with neighbours: {n}")


if __name__ == "__main__":
    main()
