//! The output's `sources` list the datasets a run used, not every dataset hashmix ships
//! (issue 22): assess in each format, the report, compare and backtest; and every dataset of
//! datasets.csv is listed by some run.

use super::*;

/// The ids of the `sources` of a JSON document.
fn ids(v: &Value) -> Vec<String> {
    v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

const SICHUAN: &str = "id,lat,lon,hashrate_ths,efficiency_j_per_th\nleshan,29.5521,103.7656,1000,30\n";

/// Leshan is placed by its coordinates in China (Natural Earth admin 0), then in Sichuan
/// (admin 1); CN-SC's 2023 row is NBS's, its thermal split by China's national mix from
/// OWID/Ember and GEM's coal and gas capacity (issue 23; the row's note); the IPCC factors, the
/// events and the rules score it; its intensity is MEE's 2023 provincial factor (the default
/// published rates); no model, no grid zone (China has none).
const SICHUAN_SOURCES: [&str; 10] = [
    "natural-earth-admin0",
    "natural-earth-admin1",
    "owid-ember",
    "china-nbs",
    "gem-plants",
    "ipcc-ar5",
    "policy-events",
    "mee-china-2023",
    "grid-data",
    "risk-rules",
];

// Issue 22: every run listed all 12 datasets, whatever it used.
#[test]
fn a_site_in_sichuan_lists_exactly_the_datasets_it_used_in_json_ndjson_and_xlsx() {
    let (dir, path) = sites_csv(SICHUAN);
    let (v, code) = json_of(&["assess", &path, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&v), SICHUAN_SOURCES);
    let out = hashmix()
        .args(["assess", &path, "--format", "ndjson"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(ids(&last), SICHUAN_SOURCES);
    let xlsx = dir.path().join("out.xlsx");
    let out = hashmix()
        .args(["assess", &path, "--format", "xlsx", "-o", xlsx.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sheet = super::xlsx::sheet(&xlsx, "Sources");
    let listed: Vec<String> = sheet[1..].iter().map(|r| r[0].to_string()).collect();
    assert_eq!(listed, SICHUAN_SOURCES);
}

#[test]
fn a_run_without_an_ok_row_lists_only_what_its_rows_used() {
    // A latitude that is not a number: nothing is placed or looked up; the copy of the grid
    // data is still named (its tables read the row).
    let (_d, path) = sites_csv("id,lat,lon,hashrate_ths,efficiency_j_per_th\nx,north,75.3,1000,30\n");
    let (v, code) = json_of(&["assess", &path, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(ids(&v), ["grid-data"]);
    // An unknown model at a declared KZ: the catalogue was asked, and the row, failed in its
    // size, still gets Kazakhstan's mix, intensity and risk (issue 20); the risk cites
    // Kyrgyzstan's ban next door, so the boundaries behind neighbours.csv are credited (issue 23).
    let (_d, path) = sites_csv("id,region,machines,model\nkz,KZ,10,Antminer Z99\n");
    let (v, code) = json_of(&["assess", &path, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        ids(&v),
        [
            "natural-earth-admin0",
            "natural-earth-admin1",
            "owid-ember",
            "ipcc-ar5",
            "miner-catalogue",
            "policy-events",
            "grid-data",
            "risk-rules"
        ]
    );
}

#[test]
fn the_report_lists_only_the_datasets_its_sites_used() {
    let text = report_md(SICHUAN);
    let start = text.find("## Sources").unwrap();
    let end = start + text[start..].find("## Data freshness").unwrap();
    let sources = &text[start..end];
    // A table row per dataset, by its title: the ten of SICHUAN_SOURCES.
    assert_eq!(
        sources.lines().filter(|l| l.starts_with("| ")).count(),
        1 + 10,
        "{sources}"
    );
    for title in [
        "Admin 0 - Countries",
        "Admin 1 - States",
        "Electricity production by source",
        "Power generation by province",
        "Global Coal Plant Tracker",
    ] {
        assert!(sources.contains(title), "{title} missing: {sources}");
    }
    for title in [
        "Net generation by state",
        "US state generation",
        "Canada Energy Regulator",
        "ASIC miner",
        "1:50m",
    ] {
        assert!(!sources.contains(title), "{title} listed: {sources}");
    }
}

#[test]
fn compare_lists_the_datasets_of_the_regions_compared() {
    let (v, code) = json_of(&["compare", "KZ", "CN-SC", "--format", "json"]);
    assert_eq!(code, 0);
    // No boundary places a region compared by its code, but Sichuan's risk cites Laos's
    // proposed ban (neighbour of CN-SC), found through neighbours.csv, which is drawn from the
    // country and province polygons.
    assert_eq!(
        ids(&v),
        [
            "natural-earth-admin0",
            "natural-earth-admin1",
            "owid-ember",
            "china-nbs",
            "gem-plants",
            "ipcc-ar5",
            "policy-events",
            "mee-china-2023",
            "grid-data",
            "risk-rules"
        ]
    );
    // Kazakhstan's risk cites Kyrgyzstan's ban next door (issue 23): the boundaries behind
    // neighbours.csv are credited.
    let (v, _) = json_of(&["compare", "KZ", "--format", "json"]);
    assert_eq!(
        ids(&v),
        [
            "natural-earth-admin0",
            "natural-earth-admin1",
            "owid-ember",
            "ipcc-ar5",
            "policy-events",
            "grid-data",
            "risk-rules"
        ]
    );
    // US-TX 2019: Ember's mix (its data API; issue 23, the EIA's before), eGRID2019's state rate
    // (from the eGRID Data Explorer).
    let (v, _) = json_of(&["compare", "US-TX", "--year", "2019", "--format", "json"]);
    assert_eq!(
        ids(&v),
        [
            "ember-us-api",
            "ipcc-ar5",
            "policy-events",
            "egrid-explorer",
            "grid-data",
            "risk-rules"
        ]
    );
}

// Issue 22: a dataset that no run can list is either unused (drop it) or used without credit.
#[test]
fn every_dataset_of_datasets_csv_is_listed_by_some_run() {
    // A model (the catalogue); Sichuan (MEE's rate); Minas Gerais, cut along the 1:50m
    // boundary; Houston, in eGRID's ERCT (its rate from the Power Profiler; in 2019 from the
    // eGRID Data Explorer); Texas declared (eGRID2023's state rate); Bergen, in bidding zone NO5
    // (Khepri's rate on the lifecycle basis); Quebec, CER's mix and NIR's rate; Kazakhstan on
    // the lifecycle basis, Ember's rate; the United Arab Emirates, OWID's shares; Bratsk, in
    // Irkutsk, whose mix is modelled from GEM's plant units (issue 23).
    let (_d, path) = sites_csv(
        "id,lat,lon,region,machines,model\n\
         leshan,29.5521,103.7656,,10,Antminer S19 Pro\n\
         belo-horizonte,-19.9167,-43.9345,,10,Antminer S19 Pro\n\
         houston,29.7604,-95.3698,,10,Antminer S19 Pro\n\
         bergen,60.3894,5.33,,10,Antminer S19 Pro\n\
         quebec,,,CA-QC,10,Antminer S19 Pro\n\
         texas,,,US-TX,10,Antminer S19 Pro\n\
         kazakhstan,,,KZ,10,Antminer S19 Pro\n\
         emirates,,,AE,10,Antminer S19 Pro\n\
         bratsk,56.15,101.63,,10,Antminer S19 Pro\n",
    );
    let (latest, _) = json_of(&["assess", &path, "--format", "json"]);
    // Texas in 2000 is the EIA's, in 2019 Ember's data API's; the latest is Ember's transcribed 2025.
    let (in_2000, _) = json_of(&["assess", &path, "--format", "json", "--year", "2000"]);
    let (in_2019, _) = json_of(&["assess", &path, "--format", "json", "--year", "2019"]);
    let (lifecycle, _) = json_of(&["assess", &path, "--format", "json", "--basis", "lifecycle"]);
    let (backtest, _) = json_of(&["backtest", "--as-of", "2021-03-31", "--format", "json"]);
    let listed: Vec<String> = [latest, in_2000, in_2019, lifecycle, backtest]
        .iter()
        .flat_map(ids)
        .collect();
    let datasets = std::fs::read_to_string(format!("{}/grid-data/datasets.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let all: Vec<&str> = datasets.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(all.len(), 24);
    for id in all {
        assert!(listed.iter().any(|l| l == id), "no run lists {id}");
    }
}

#[test]
fn backtest_lists_the_mining_map_and_the_datasets_of_the_regions_it_scored() {
    let (v, code) = json_of(&["backtest", "--as-of", "2021-03-31", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        ids(&v),
        [
            "owid-ember",
            "china-nbs",
            "gem-plants",
            "ember-us-api",
            "ipcc-ar5",
            "policy-events",
            "ccaf-mining-map",
            "grid-data",
            "risk-rules"
        ]
    );
}

// Issue 22: a mix row's dataset is what `sources` credits; an id datasets.csv does not define
// would leave its figures uncredited. Line 2997 is Kazakhstan's 2023 row (issue 23 added rows before it).
#[test]
fn a_mix_row_naming_a_dataset_not_in_datasets_csv_is_refused() {
    let (_d, copy) = grid_copy("mix-annual.csv", |t| {
        t.replacen("KZ,2023,1-12,owid-ember,", "KZ,2023,1-12,owid-embr,", 1)
    });
    let out = hashmix()
        .args(["assess", &data("kz.csv"), "-q", "--grid-data", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "hashmix: grid data {}: line 2997: column dataset: 'owid-embr': expected the id of a row of datasets.csv\n",
            copy.join("mix-annual.csv").display()
        )
    );
}

// Issue 22 (review): on the lifecycle basis Quebec's intensity is its CER mix with the fossil
// factors scaled so that Canada's mix (OWID/Ember) reproduces Ember's rate for Canada: the
// sources credit Canada's mix dataset as well as Quebec's and Ember's rate.
#[test]
fn a_rate_scaled_on_the_countrys_mix_credits_that_mix() {
    let (_d, path) = sites_csv("id,region,hashrate_ths,efficiency_j_per_th\nqc,CA-QC,1000,30\n");
    let (v, code) = json_of(&["assess", &path, "--format", "json", "--basis", "lifecycle"]);
    assert_eq!(code, 0);
    assert_eq!(
        ids(&v),
        [
            "owid-ember",
            "cer-canada",
            "ipcc-ar5",
            "policy-events",
            "ember-api",
            "grid-data",
            "risk-rules"
        ]
    );
}
