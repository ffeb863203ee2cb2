//! Model names (issue 20): `+`, `++` and the other characters that distinguish machines are
//! significant end to end, an exact name wins, and an unknown name is a row error that suggests
//! catalogue names instead of silently using a different machine's efficiency.

use super::*;

/// Assess `rows` (id,model) as 10 machines each in Kazakhstan, as JSON.
pub(super) fn assess_models(rows: &[(&str, &str)]) -> (Value, i32) {
    let mut csv = String::from("id,region,machines,model\n");
    for (id, model) in rows {
        csv.push_str(&format!("{id},KZ,10,{model}\n"));
    }
    let out = hashmix()
        .args(["assess", "-", "--format", "json"])
        .write_stdin(csv)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (v, out.status.code().unwrap())
}

// Issue 20: "M30S+" and "Whatsminer M30S++" lost their `+` and were sized as the M30S
// (88 TH/s, 38 J/TH). Each row below is 10 machines x the cited hashrate, at the cited J/TH.
#[test]
fn each_distinct_model_name_sizes_its_own_machine() {
    let (v, code) = assess_models(&[
        ("plus", "M30S+"),
        ("plusplus", "M30S++"),
        ("vendor", "Whatsminer M30S++"),
        ("jpro-plus", "S19j Pro+"),
        ("s21pro", "Antminer S21 Pro"),
        ("spaced", "antminer  s21  pro"),
        ("plain", "M30S"),
    ]);
    assert_eq!(code, 0);
    let want = [
        ("plus", 1_000.0, 34.0, "WhatsMiner M30S+ (100 TH)"),
        ("plusplus", 1_060.0, 31.0, "WhatsMiner M30S++ (106 TH)"),
        ("vendor", 1_060.0, 31.0, "WhatsMiner M30S++ (106 TH)"),
        ("jpro-plus", 1_200.0, 27.5, "Antminer S19j Pro+ (120 TH)"),
        ("s21pro", 2_340.0, 15.0, "Antminer S21 Pro (234 TH)"),
        ("spaced", 2_340.0, 15.0, "Antminer S21 Pro (234 TH)"),
        ("plain", 880.0, 38.0, "WhatsMiner M30S (88 TH)"),
    ];
    for (site, (id, ths, eff, model)) in v["sites"].as_array().unwrap().iter().zip(want) {
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

// Issue 20: a model that is not in the catalogue is never replaced by its nearest name.
#[test]
fn an_unknown_model_is_a_row_error_that_suggests_names_and_is_never_substituted() {
    let (v, code) = assess_models(&[("pp", "S21++"), ("m56s", "M56S"), ("ok", "S21")]);
    assert_eq!(code, 1, "some rows failed");
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites[0]["status"], "error");
    assert_eq!(sites[0]["hashrate_ths"], Value::Null);
    let error = sites[0]["error"].as_str().unwrap();
    assert!(
        error
            .starts_with("line 2, column 'model', value 'S21++': unknown miner model; closest: Antminer S21+ (216 TH)"),
        "{error}"
    );
    assert!(
        sites[1]["error"]
            .as_str()
            .unwrap()
            .contains("closest: WhatsMiner M56S++ (immersion)"),
        "{}",
        sites[1]["error"]
    );
    assert_eq!(sites[2]["status"], "ok");
    close(&sites[2]["hashrate_ths"], 2_000.0);
}

#[test]
fn miners_lists_the_new_models_with_their_distinguishing_characters() {
    let out = hashmix().args(["miners", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for model in [
        "Antminer S19j Pro+ (120 TH)",
        "Antminer S21 Hyd (335 TH)",
        "Antminer T21 (190 TH)",
        "WhatsMiner M30S+ (100 TH)",
        "WhatsMiner M30S++ (106 TH)",
        "WhatsMiner M31S (74 TH)",
        "Avalon A1466 (150 TH)",
        "Antminer S19k Pro (120 TH)",
        "Antminer S19 XP Hyd (257 TH)",
        "Antminer S21+ (216 TH)",
        "WhatsMiner M50S (126 TH)",
        "WhatsMiner M60S (186 TH)",
        "Avalon A1566 (185 TH)",
    ] {
        assert!(text.contains(&format!(",{model},")), "{model}");
    }
}

// Issue 20: the S21+, S19k Pro, S19 XP Hyd, M60S and A1566 were not in the catalogue, and the
// M50S had no hashrate, so a site naming one with `machines` was a row error. Each row below is
// 10 machines x the cited hashrate, at the cited J/TH (grid-data/miners.csv).
#[test]
fn the_newly_cited_models_size_their_machines_from_the_catalogue() {
    let (v, code) = assess_models(&[
        ("s21plus", "Antminer S21+"),
        ("s19k", "S19k Pro"),
        ("xphyd", "S19 XP Hyd"),
        ("m50s", "M50S"),
        ("m60s", "Whatsminer M60S"),
        ("a1566", "Avalon A1566"),
    ]);
    assert_eq!(code, 0);
    let want = [
        ("s21plus", 2_160.0, 16.5, "Antminer S21+ (216 TH)"),
        ("s19k", 1_200.0, 23.0, "Antminer S19k Pro (120 TH)"),
        ("xphyd", 2_570.0, 20.8, "Antminer S19 XP Hyd (257 TH)"),
        ("m50s", 1_260.0, 26.0, "WhatsMiner M50S (126 TH)"),
        ("m60s", 1_860.0, 18.5, "WhatsMiner M60S (186 TH)"),
        ("a1566", 1_850.0, 18.38, "Avalon A1566 (185 TH)"),
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
