//! The WhatsMiner M63S and M63S++ hydro models (issue 20): a site that names one is sized from
//! the catalogue's cited row (MicroBT's shop figures, grid-data/miners.csv), and the M53S and
//! M56S, which have no citable nameplate figures, stay row errors.

use super::miners::assess_models as assess;
use super::*;

// Issue 20: "M63S" was an unknown model. 10 x 408 TH/s = 4,080 TH/s at 18 J/TH; 10 x 464 TH/s =
// 4,640 TH/s at 15.5 J/TH.
#[test]
fn a_site_of_m63s_or_m63s_plus_plus_is_sized_from_its_cited_row() {
    let (v, code) = assess(&[("m63s", "M63S"), ("m63spp", "Whatsminer M63S++")]);
    assert_eq!(code, 0);
    let want = [
        ("m63s", 4_080.0, 18.0, "WhatsMiner M63S (408 TH)"),
        ("m63spp", 4_640.0, 15.5, "WhatsMiner M63S++ (464 TH)"),
    ];
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites.len(), want.len());
    for (site, (id, ths, eff, model)) in sites.iter().zip(want) {
        assert_eq!(site["id"], id);
        assert_eq!(site["status"], "ok", "{id}: {}", site["error"]);
        close(&site["hashrate_ths"], ths);
        close(&site["efficiency_j_per_th"], eff);
        assert!(
            site["notes"].as_str().unwrap().contains(model),
            "{id}: {}",
            site["notes"]
        );
    }
}

// Issue 20: the M53S and M56S have no cited row; they are row errors, never another machine.
#[test]
fn the_m53s_and_m56s_stay_row_errors_that_name_the_closest_models() {
    let (v, code) = assess(&[("m53s", "M53S"), ("m56s", "M56S")]);
    assert_eq!(code, 1);
    for site in v["sites"].as_array().unwrap() {
        assert_eq!(site["status"], "error");
        assert_eq!(site["hashrate_ths"], Value::Null);
        let error = site["error"].as_str().unwrap();
        assert!(error.contains("unknown miner model; closest: "), "{error}");
    }
}

#[test]
fn miners_lists_the_m63s_rows_with_their_sources() {
    let (v, code) = json_of(&["miners", "--format", "json"]);
    assert_eq!(code, 0);
    let rows = v.as_array().unwrap();
    for (model, ths, watts, derived, eff) in [
        ("WhatsMiner M63S (408 TH)", 408.0, 7344.0, "yes", 18.0),
        ("WhatsMiner M63S++ (464 TH)", 464.0, 7192.0, "", 15.5),
    ] {
        let row = rows
            .iter()
            .find(|r| r["model"] == model)
            .unwrap_or_else(|| panic!("{model} not listed"));
        close(&row["hashrate_ths"], ths);
        close(&row["power_w"], watts);
        assert_eq!(row["power_derived"], derived);
        close(&row["efficiency_j_per_th"], eff);
        assert_eq!(row["value_status"], "manufacturer_claim_via_secondary");
        let source = row["source"].as_str().unwrap();
        assert!(source.contains("shop.whatsminer.com/products/details/"), "{source}");
    }
}
