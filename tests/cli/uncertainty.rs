//! Monte Carlo intervals end to end: reproducibility, the distributions' quantiles, the
//! headline inside its interval, and the correlation that keeps a portfolio's interval honest.
//! Quantiles are worked out by hand from grid-data/uncertainty.toml and the IPCC ranges.

use super::*;

fn run_bytes(args: &[&str]) -> Vec<u8> {
    let out = hashmix().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn assess_json(input: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.csv");
    std::fs::write(&path, input).unwrap();
    let mut args = vec!["assess", path.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let (v, code) = json_of(&args);
    assert_eq!(code, 0, "{v}");
    v
}

fn within(got: f64, want: f64, relative: f64) {
    assert!(
        (got / want - 1.0).abs() < relative,
        "got {got}, want {want} within {relative}"
    );
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_draws() {
    let seed = data("../../examples/seed-sites.csv");
    for format in ["json", "csv", "table", "ndjson", "geojson"] {
        let run = |s: &str| run_bytes(&["assess", &seed, "--format", format, "--seed", s]);
        assert_eq!(run("7"), run("7"), "{format}");
        assert_ne!(run("7"), run("8"), "{format}");
    }
    let compare = |s: &str| run_bytes(&["compare", "KZ", "CN-SC", "--format", "json", "--seed", s]);
    assert_eq!(compare("3"), compare("3"));
    assert_ne!(compare("3"), compare("4"));
}

// Paraguay 2023 is all hydro (OWID: 56.83 TWh, nothing else), and with --year 2023 there is no
// gap to vary the mix over: the intensity's percentiles are those of the hydro factor. Its
// dams lie south of the Tropic of Capricorn, so (issue 22) its hydro is drawn on UNECE's range
// outside the tropics: a split log-normal with min 6 and max 147 at the 0.5th and 99.5th
// percentiles (z = 2.575829) around IPCC's median 24: sigma below = ln(24/6) / z = 0.538193,
// above = ln(147/24) / z = 0.703610. With z(0.95) = 1.644854: p05 = 24 exp(-1.644854 x
// 0.538193) = 9.9027, p50 = 24, p95 = 24 exp(1.644854 x 0.703610) = 76.355 (IPCC's 1-2,200
// gave 3.1539 and 429.76).
// Qatar 2011 is all gas: sigma below ln(490/410)/z = 0.069205, above ln(650/490)/z =
// 0.109701; p05 = 437.28, p95 = 586.89.
#[test]
fn a_single_source_region_has_the_percentiles_of_that_source_s_factor() {
    for (region, year, p05, p50, p95) in [
        ("PY", "2023", 9.9027, 24.0, 76.355),
        ("QA", "2011", 437.28, 490.0, 586.89),
    ] {
        let v = assess_json(
            &format!("id,region,hashrate_ths,power_mw,uptime\nx,{region},1000,0.03,1\n"),
            &[
                "--year",
                year,
                "--draws",
                "20000",
                "--seed",
                "11",
                "--factors",
                "lifecycle",
            ],
        );
        let s = &v["sites"][0];
        assert_eq!(s["data_year"].as_u64(), Some(year.parse().unwrap()));
        assert_eq!(num(s, "intensity_g_per_kwh"), p50);
        // Sampling error of a percentile from 20,000 draws: about 2.6% at hydro's p95, less
        // elsewhere; the bounds are three times that.
        within(num(s, "intensity_g_per_kwh_p05"), p05, 0.08);
        within(num(s, "intensity_g_per_kwh_p50"), p50, 0.05);
        within(num(s, "intensity_g_per_kwh_p95"), p95, 0.08);
    }
}

#[test]
fn every_headline_of_the_seed_example_lies_inside_its_interval() {
    let (v, code) = json_of(&[
        "assess",
        "--factors",
        "lifecycle",
        &data("../../examples/seed-sites.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["uncertainty"]["draws"], 1000);
    assert_eq!(v["uncertainty"]["seed"], 1);
    let mut records: Vec<&Value> = v["sites"].as_array().unwrap().iter().collect();
    records.push(&v["portfolio"]);
    assert_eq!(records.len(), 7);
    for r in records {
        for field in ["intensity_g_per_kwh", "co2_t_per_year", "co2_g_per_th"] {
            let (lo, mid, hi) = (
                num(r, &format!("{field}_p05")),
                num(r, field),
                num(r, &format!("{field}_p95")),
            );
            assert!(lo < mid && mid < hi, "{} {field}: {lo} < {mid} < {hi}", r["id"]);
        }
    }
}

// Two identical Kazakh sites with measured power and uptime, assessed for 2023, the year of
// the data: the emission factors are the only uncertain input. Every draw gives both sites
// the same factors, so the portfolio's emissions are twice one site's in every draw, and its
// percentiles are twice the site's. Independent draws would have given a narrower interval.
#[test]
fn two_identical_sites_double_the_interval_because_draws_are_shared() {
    let v = assess_json(
        "id,region,hashrate_ths,power_mw,uptime\na,KZ,100000,3.3,1\nb,KZ,100000,3.3,1\n",
        &["--year", "2023", "--factors", "lifecycle"],
    );
    let site = &v["sites"][0];
    let p = &v["portfolio"];
    for q in ["p05", "p50", "p95"] {
        let one = num(site, &format!("co2_t_per_year_{q}"));
        let both = num(p, &format!("co2_t_per_year_{q}"));
        assert!((both - 2.0 * one).abs() <= 0.002, "{q}: {both} vs 2 x {one}");
        assert_eq!(
            p[format!("intensity_g_per_kwh_{q}")],
            site[format!("intensity_g_per_kwh_{q}")]
        );
        assert_eq!(p[format!("co2_g_per_th_{q}")], site[format!("co2_g_per_th_{q}")]);
    }
    // 3.3 MW x 8,760 h = 28,908 MWh at 74,084.55 / 113.88 = 650.54926 g/kWh = 18,806.078 t per site.
    assert_eq!(num(site, "co2_t_per_year"), 18806.078);
    assert!(num(site, "co2_t_per_year_p05") < 18806.078 && 18806.078 < num(site, "co2_t_per_year_p95"));
}

#[test]
fn a_site_without_uptime_loses_hours_but_not_grams_per_terahash() {
    let row =
        |uptime: &str| format!("id,region,hashrate_ths,efficiency_j_per_th,pue,uptime\nx,KZ,1000,30,1.05,{uptime}\n");
    let given = assess_json(&row("1"), &[]);
    let missing = assess_json(&row(""), &[]);
    let (g, m) = (&given["sites"][0], &missing["sites"][0]);
    // The headline assumes all-year running either way.
    assert_eq!(g["co2_t_per_year"], m["co2_t_per_year"]);
    // Uptime is drawn between 0.82 and 1 when not given: fewer hours, less CO2 per year...
    assert!(num(m, "co2_t_per_year_p50") < num(g, "co2_t_per_year_p50"));
    assert!(num(m, "co2_t_per_year_p95") < num(g, "co2_t_per_year_p95"));
    // ...while the grams per terahash computed do not depend on how many hours run.
    for q in ["p05", "p50", "p95"] {
        assert_eq!(g[format!("co2_g_per_th_{q}")], m[format!("co2_g_per_th_{q}")]);
    }
}

#[test]
fn compare_draws_the_pue_only_when_it_is_not_given() {
    let run = |extra: &[&str]| {
        let mut args = vec!["compare", "KZ", "--year", "2023", "--format", "json"];
        args.extend_from_slice(extra);
        let (v, code) = json_of(&args);
        assert_eq!(code, 0);
        v["regions"][0].clone()
    };
    let drawn = run(&[]);
    let given = run(&["--pue", "1.05"]);
    assert_eq!(drawn["co2_g_per_th"], given["co2_g_per_th"]);
    assert_eq!(drawn["intensity_g_per_kwh_p95"], given["intensity_g_per_kwh_p95"]);
    let width = |r: &Value| num(r, "co2_g_per_th_p95") - num(r, "co2_g_per_th_p05");
    assert!(width(&drawn) > width(&given));
}

#[test]
fn zero_draws_leave_the_interval_fields_empty_and_too_many_are_refused() {
    let (v, code) = json_of(&[
        "assess",
        "--factors",
        "lifecycle",
        &data("kz.csv"),
        "--format",
        "json",
        "--draws",
        "0",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["uncertainty"], Value::Null);
    assert_eq!(v["sites"][0]["intensity_g_per_kwh_p05"], Value::Null);
    assert_eq!(v["portfolio"]["co2_t_per_year_p95"], Value::Null);
    close(&v["sites"][0]["intensity_g_per_kwh"], 650.549);
    let out = hashmix()
        .args(["assess", "--factors", "lifecycle", &data("kz.csv"), "--draws", "100001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--draws 100001: at most 100000"));
}

#[test]
fn the_draws_and_their_sources_are_described_in_the_output() {
    let (v, _) = json_of(&[
        "assess",
        "--factors",
        "lifecycle",
        &data("kz.csv"),
        "--format",
        "json",
        "--draws",
        "10",
        "--seed",
        "5",
    ]);
    let u = &v["uncertainty"];
    assert_eq!((u["draws"].as_u64(), u["seed"].as_u64()), (Some(10), Some(5)));
    // The default as-of date, 2026-04-30 since issue 23.
    assert_eq!(u["year_asked"], 2026);
    let inputs = u["inputs"].as_array().unwrap();
    let names: Vec<&str> = inputs.iter().map(|i| i["input"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "factor:coal",
            "factor:gas",
            "factor:oil",
            "factor:nuclear",
            "factor:hydro",
            "factor:hydro:extratropical",
            "factor:wind",
            "factor:solar",
            "factor:bioenergy",
            "factor:other_renewables",
            "efficiency",
            "pue",
            "uptime",
            "mix"
        ]
    );
    let hydro = &inputs[4];
    assert_eq!(
        (hydro["low"].as_f64(), hydro["central"].as_f64(), hydro["high"].as_f64()),
        (Some(1.0), Some(24.0), Some(2200.0))
    );
    assert_eq!(inputs[2]["distribution"], "fixed: no published range");
    assert!(
        inputs
            .iter()
            .filter(|i| i["input"] != "factor:oil")
            .all(|i| !i["source"].as_str().unwrap().is_empty())
    );
}

// A user who knows their grid's hydro better than the global IPCC range can say so: the
// factor file's min and max replace the range for the draws. Quebec is 92.1% hydro, so its
// interval follows the hydro range given (5-40 around 18) instead of the IPCC's 1-2,200.
#[test]
fn a_factor_file_with_ranges_sets_the_draws() {
    let seed = data("../../examples/seed-sites.csv");
    let factors = data("factors-ranges.csv");
    let (v, code) = json_of(&["assess", &seed, "--factors", &factors, "--format", "json"]);
    assert_eq!(code, 0);
    let quebec = &v["sites"][5];
    assert_eq!(quebec["id"], "baie-comeau");
    // p95 32.988 as of the default 2026-04-30 (issue 23; 44.9 or less as of 2025-11-30 when
    // Quebec's mix moves were Canada's), against 74.807 with the embedded range below.
    assert_eq!(num(quebec, "intensity_g_per_kwh_p95"), 32.988);
    // The embedded factors draw Quebec's hydro on UNECE's 6-147 outside the tropics (issue 22;
    // IPCC's 1-2,200 before, which gave p95 395.653): p95 74.807 with seed 1 as of 2026-04-30
    // (85.24 as of 2025-11-30 when Quebec's mix moves were Canada's; 74.606 with its own NIR series).
    let (ipcc, _) = json_of(&["assess", "--factors", "lifecycle", &seed, "--format", "json"]);
    assert_eq!(num(&ipcc["sites"][5], "intensity_g_per_kwh_p95"), 74.807);
    let hydro = &v["uncertainty"]["inputs"][4];
    assert_eq!(
        (hydro["low"].as_f64(), hydro["central"].as_f64(), hydro["high"].as_f64()),
        (Some(5.0), Some(18.0), Some(40.0))
    );
    assert_eq!(hydro["source"], format!("user factors from {factors}"));
    assert_eq!(
        v["uncertainty"]["inputs"][2]["distribution"],
        "fixed: no published range"
    );
}
