//! Current data for US states and Canada's provinces, and a country whose series stopped early
//! (issue 23). Every value is hand-checked against the raw file it comes from:
//! Ember's data API `api_generation_usa_yearly.csv` (GWh), ECCC's NIR 2024 Annex 13 (GWh) and
//! OWID's `share-elec-by-source.csv` (%).

use super::*;

fn sites(csv: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.csv");
    std::fs::write(&path, csv).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

// Issue 23: 45 of 51 states stopped at 2019 (EIA). Every state and Washington, D.C. now has
// Ember's 2001-2024, after EIA's 1990-2000.
#[test]
fn every_us_state_has_data_for_2024() {
    let (v, code) = json_of(&["regions", "--country", "US", "--format", "json"]);
    assert_eq!(code, 0);
    let states: Vec<&Value> = v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "subnational")
        .collect();
    assert_eq!(states.len(), 51);
    for s in states {
        let years = s["years"].as_str().unwrap();
        assert!(years == "1990-2024" || years == "1990-2025", "{}: {years}", s["region"]);
        assert!(
            s["datasets"].as_str().unwrap().contains("ember-us-api"),
            "{}",
            s["region"]
        );
    }
}

// Ember's data API, North Dakota 2024, GWh: coal 23,171.34, gas 2,869.02, other fossil 108.13,
// hydro 2,073.66, wind 15,029.88, solar 2.98, of 43,255.01: coal 0.535691 (Ember prints
// 53.57 %), wind 0.347471. Lifecycle: (23,171.34 x 820 + 2,869.02 x 490 + 108.13 x 650 +
// 2,073.66 x 24 + 15,029.88 x 11 + 2.98 x 48) / 43,255.01 = 478.369 g/kWh.
#[test]
fn north_dakota_2024_is_embers_mix() {
    let (v, code) = json_of(&[
        "compare",
        "US-ND",
        "--year",
        "2024",
        "--factors",
        "lifecycle",
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let nd = &v["regions"][0];
    assert_eq!(
        (nd["data_region"].as_str(), nd["data_year"].as_u64()),
        (Some("US-ND"), Some(2024))
    );
    close(&nd["coal_share"], 0.535691);
    close(&nd["wind_share"], 0.347471);
    close(&nd["intensity_g_per_kwh"], 478.369);
    let ids: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ember-us-api"), "{ids:?}");
}

// NIR 2024 Annex 13, Table A13-8 (Manitoba), 2012, GWh: coal 52, natural gas 27, other fuels
// 15, hydro 32,200, other renewables 880 (wind, tidal, solar: counted as wind), of 33,174:
// hydro 0.970640, wind 0.026527, coal 0.001567. Its published rate on the direct basis is NIR's
// 2012 generation intensity, 3.4 g CO2 eq/kWh.
#[test]
fn a_site_in_manitoba_in_2012_uses_manitobas_2012_not_canadas() {
    let (_d, path) = sites("id,lat,lon,hashrate_ths,efficiency_j_per_th\nwinnipeg,49.8951,-97.1384,1000,30\n");
    let (v, code) = json_of(&["assess", &path, "--year", "2012", "--draws", "0", "--format", "json"]);
    assert_eq!(code, 0);
    let s = &v["sites"][0];
    assert_eq!(
        (s["region"].as_str(), s["data_region"].as_str(), s["data_year"].as_u64()),
        (Some("CA-MB"), Some("CA-MB"), Some(2012))
    );
    close(&s["hydro_share"], 0.97064);
    close(&s["wind_share"], 0.026527);
    close(&s["coal_share"], 0.001567);
    close(&s["intensity_g_per_kwh"], 3.4);
    assert_eq!(
        s["intensity_source"],
        "NIR 2024 (1990-2022), Annex 13 Generation Intensity (g CO2 eq / kWh), Manitoba (Table A13-8), 2012"
    );
    assert!(
        s["notes"]
            .as_str()
            .unwrap()
            .contains("NIR's 'other renewables' (wind, tidal and solar, not split) counted as wind"),
        "{}",
        s["notes"]
    );
}

// Issue 23: no province falls back to Canada's national mix for 2005-2023: NIR 1990, 2000,
// 2005-2022 and CER 2023 (Nunavut from 2005: NIR aggregates it with the Northwest Territories
// before).
#[test]
fn regions_shows_every_canadian_province_from_2005_to_2023() {
    let (v, code) = json_of(&["regions", "--country", "CA", "--format", "json"]);
    assert_eq!(code, 0);
    let provinces: Vec<&Value> = v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "subnational")
        .collect();
    assert_eq!(provinces.len(), 13);
    for p in provinces {
        let want = if p["region"] == "CA-NU" {
            "2005-2023"
        } else {
            "1990,2000,2005-2023"
        };
        assert_eq!(p["years"], want, "{}", p["region"]);
        assert_eq!(p["datasets"], "cer-canada nir-canada", "{}", p["region"]);
    }
    for year in 2005..=2023 {
        let y = year.to_string();
        let (c, _) = json_of(&[
            "compare", "CA-AB", "CA-NU", "--year", &y, "--draws", "0", "--format", "json",
        ]);
        for r in c["regions"].as_array().unwrap() {
            assert_eq!(r["data_region"], r["region"], "{year}");
            assert_eq!(r["data_year"], year, "{year}");
        }
    }
}

// Issue 23: the United Arab Emirates' last complete year in OWID's stacked series was 2000.
// OWID's share file, 2022, %: gas 82.506134, nuclear 12.989531, solar 4.497867, bioenergy
// 0.006462453 (hydro and other renewables blank; the rest sum to 100.0005): gas 0.825061,
// nuclear 0.129895.
#[test]
fn the_emirates_use_owids_2022_shares() {
    let (v, code) = json_of(&["compare", "AE", "--draws", "0", "--format", "json"]);
    assert_eq!(code, 0);
    let ae = &v["regions"][0];
    assert_eq!(ae["data_year"], 2022);
    close(&ae["gas_share"], 0.825061);
    close(&ae["nuclear_share"], 0.129895);
    close(&ae["hydro_share"], 0.0);
    assert!(
        ae["notes"]
            .as_str()
            .unwrap()
            .contains("OWID's stacked series for this country ends in 2000"),
        "{}",
        ae["notes"]
    );
}
