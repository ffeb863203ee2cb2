//! Issue 22's Done-when: the default (`--factors published --basis direct`) reproduces eGRID2023
//! for every subregion and state, MEE 2023 for every Chinese province, NIR 2024 for every
//! Canadian province and territory in each year 2005-2021, and on the lifecycle basis Ember for
//! every country; sites land in their grid zones. The expected values are the raw files'
//! (tests/cli/published_values.rs), except Ember's, read from grid-data/published-factors.csv
//! (which tools/tests/test_published_factors.py checks against the raw file).

use super::*;
use crate::published_values::{EGRID2023_STATES, EGRID2023_SUBREGIONS, MEE_2023, NIR_2005_2021};

/// eGRID publishes lb/MWh; 1 lb/MWh = 0.45359237 g/kWh exactly (the avoirdupois pound).
const G_PER_KWH_PER_LB_PER_MWH: f64 = 0.45359237;

/// The regions of `hashmix compare CODES... ARGS --format json --draws 0`.
fn compare(codes: &[String], args: &[&str]) -> Vec<Value> {
    let out = hashmix()
        .arg("compare")
        .args(codes)
        .args(args)
        .args(["--format", "json", "--draws", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["regions"].as_array().unwrap().clone()
}

/// An intensity written to 3 decimals against the published value.
fn rounds_to(row: &Value, want: f64) {
    let got = row["intensity_g_per_kwh"].as_f64().unwrap();
    assert!(
        (got - want).abs() <= 0.0005 + 1e-9,
        "{}: got {got}, want {want}",
        row["region"]
    );
}

#[test]
fn every_egrid_subregion_in_2023_gets_egrid2023s_published_rate() {
    let codes: Vec<String> = EGRID2023_SUBREGIONS.iter().map(|(c, _)| format!("US-{c}")).collect();
    let rows = compare(&codes, &["--year", "2023"]);
    assert_eq!(rows.len(), 27);
    for (row, (code, lb)) in rows.iter().zip(EGRID2023_SUBREGIONS) {
        assert_eq!(row["intensity_source"], format!("eGRID2023 rev2 SRC2ERTA, {code}"));
        assert_eq!(row["basis"], "direct");
        rounds_to(row, lb * G_PER_KWH_PER_LB_PER_MWH);
    }
}

#[test]
fn every_state_in_2023_gets_egrid2023s_state_rate() {
    let codes: Vec<String> = EGRID2023_STATES.iter().map(|(c, _)| format!("US-{c}")).collect();
    let rows = compare(&codes, &["--year", "2023"]);
    assert_eq!(rows.len(), 51);
    for (row, (code, lb)) in rows.iter().zip(EGRID2023_STATES) {
        assert_eq!(row["intensity_source"], format!("eGRID2023 rev2 STC2ERTA, {code}"));
        rounds_to(row, lb * G_PER_KWH_PER_LB_PER_MWH);
    }
}

#[test]
fn every_chinese_province_in_2023_gets_mees_factor() {
    let codes: Vec<String> = MEE_2023.iter().map(|(c, _)| c.to_string()).collect();
    let rows = compare(&codes, &["--year", "2023"]);
    assert_eq!(rows.len(), 30);
    for (row, (_, g)) in rows.iter().zip(MEE_2023) {
        assert!(
            row["intensity_source"]
                .as_str()
                .unwrap()
                .starts_with("MEE/NBS Announcement 2025 No. 47")
        );
        rounds_to(row, g);
    }
}

#[test]
fn every_canadian_province_in_each_year_2005_to_2021_gets_nirs_intensity() {
    for year in 2005..=2021u16 {
        let expected: Vec<_> = NIR_2005_2021.iter().filter(|r| r.1 == year).collect();
        let codes: Vec<String> = expected.iter().map(|r| r.0.to_string()).collect();
        let rows = compare(&codes, &["--year", &year.to_string()]);
        assert_eq!(rows.len(), 13);
        for (row, (_, _, g, generation)) in rows.iter().zip(expected) {
            let source = row["intensity_source"].as_str().unwrap();
            let field = if *generation { "Generation" } else { "Consumption" };
            assert!(
                source.starts_with(&format!("NIR 2024 (1990-2022), Annex 13 {field} Intensity"))
                    && source.ends_with(&format!(", {year}")),
                "{source}"
            );
            rounds_to(row, *g);
        }
    }
}

/// Ember's headline lifecycle rates of one year in grid-data/published-factors.csv: country
/// codes (and WORLD) with their g/kWh.
fn ember(year: &str) -> Vec<(String, f64)> {
    let path = format!("{}/grid-data/published-factors.csv", env!("CARGO_MANIFEST_DIR"));
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| r.unwrap())
        .filter(|r| &r[6] == "ember-api" && &r[1] == year && &r[2] == "lifecycle" && !r[0].contains('-'))
        .map(|r| (r[0].to_string(), r[3].parse().unwrap()))
        .collect()
}

/// The countries Ember publishes that have no generation mix in grid-data (OWID has no series
/// for Singapore): hashmix refuses a site there rather than pair Ember's rate with the world's
/// shares.
const EMBER_WITHOUT_MIX: [&str; 1] = ["SG"];

#[test]
fn every_country_on_lifecycle_reproduces_embers_intensity_of_the_same_year() {
    for year in ["2015", "2023"] {
        let mut rates = ember(year);
        rates.retain(|(code, _)| !EMBER_WITHOUT_MIX.contains(&code.as_str()));
        assert_eq!(rates.len(), if year == "2015" { 205 } else { 170 });
        let codes: Vec<String> = rates.iter().map(|r| r.0.clone()).collect();
        let rows = compare(&codes, &["--year", year, "--basis", "lifecycle"]);
        for (row, (code, g)) in rows.iter().zip(&rates) {
            assert_eq!(&row["region"], code.as_str());
            let got = row["intensity_g_per_kwh"].as_f64().unwrap();
            assert!((got - g).abs() <= 0.01 * g, "{code} {year}: got {got}, Ember {g}");
        }
    }
}

// Coordinates: Rockdale, Massena, Jamestown and Williston (North Dakota), Bergen, Boden and
// Bintulu (Sarawak), as the issue names them; zones checked in tests/cli/zones.rs' way.
const SITES: &str = "id,lat,lon,hashrate_ths,efficiency_j_per_th,pue
rockdale-tx,30.6557,-97.0014,1000,20,1
massena-ny,44.93,-74.89,1000,20,1
jamestown-nd,46.91,-98.71,1000,20,1
williston-nd,48.147,-103.618,1000,20,1
bergen-no,60.3894,5.33,1000,20,1
boden-se,65.83,21.69,1000,20,1
bintulu-my,3.17,113.03,1000,20,1
";

/// The sites' (id, grid_zone, intensity, intensity_source) on a basis.
fn zoned(basis: &str) -> Vec<(String, String, f64, String)> {
    let out = hashmix()
        .args(["assess", "-", "--format", "json", "--draws", "0", "--basis", basis])
        .write_stdin(SITES)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |s: &Value, f: &str| s[f].as_str().unwrap_or_default().to_string();
    v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                text(s, "id"),
                text(s, "grid_zone"),
                s["intensity_g_per_kwh"].as_f64().unwrap(),
                text(s, "intensity_source"),
            )
        })
        .collect()
}

#[test]
fn sites_in_texas_new_york_north_dakota_norway_sweden_and_sarawak_land_in_their_grid_zones() {
    let lb = |zone: &str| EGRID2023_SUBREGIONS.iter().find(|z| z.0 == zone).unwrap().1;
    let direct = zoned("direct");
    let want = [
        ("rockdale-tx", "US-ERCT"),
        ("massena-ny", "US-NYUP"),
        ("jamestown-nd", "US-MROW"),
        ("williston-nd", "US-NWPP"),
        ("bergen-no", "NO-NO5"),
        ("boden-se", "SE-SE1"),
        ("bintulu-my", "MY-EM"),
    ];
    for ((id, zone, g, source), (want_id, want_zone)) in direct.iter().zip(want) {
        assert_eq!((id.as_str(), zone.as_str()), (want_id, want_zone));
        if let Some(code) = zone.strip_prefix("US-") {
            // The zone's eGRID2023 rate, not the state's.
            assert_eq!(source, &format!("eGRID2023 rev2 SRC2ERTA, {code}"));
            assert!((g - lb(code) * G_PER_KWH_PER_LB_PER_MWH).abs() <= 0.0005 + 1e-9, "{id}");
        } else {
            // No direct rate is published for Nordic zones or Malaysia's grids.
            assert_eq!(source, "mix x IPCC AR5 direct factors", "{id}");
        }
    }
    // On lifecycle, Khepri's 2025 zone intensities (NO5 24.46, SE1 20.63 gCO2eq/kWh).
    let lifecycle = zoned("lifecycle");
    assert_eq!(
        (lifecycle[4].2, lifecycle[4].3.as_str()),
        (24.46, "Khepri v1.3 annual CI, NO5, 2025")
    );
    assert_eq!(
        (lifecycle[5].2, lifecycle[5].3.as_str()),
        (20.63, "Khepri v1.3 annual CI, SE1, 2025")
    );
}
