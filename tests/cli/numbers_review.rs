//! Issue 20 review: numbers that came out silently wrong after parts 3 and 7.

use super::*;

/// Assess CSV text given on standard input, as JSON for 2023 without draws.
fn json_of_text(text: &str) -> (Value, String, i32) {
    let args = ["assess", "-", "--year", "2023", "--draws", "0", "--format", "json"];
    let out = hashmix().args(args).write_stdin(text.to_string()).output().unwrap();
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (v, String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap())
}

// Issue 20 review: 50 MW over 1,000 TH/s is 50,000 J/TH, beyond any ASIC: an error, not a warning.
#[test]
fn power_and_hashrate_implying_an_impossible_efficiency_are_a_row_error() {
    let (v, _, code) = json_of_text(
        "id,lat,lon,hashrate_ths,power_mw\nimpossible,51.7236,75.3233,1000,50\nwarned,51.7236,75.3233,1000,0.5\n",
    );
    assert_eq!(code, 1);
    let s = &v["sites"][0];
    assert_eq!(s["status"], "error");
    assert_eq!(
        s["error"],
        "line 2, column 'power_mw', value '50': over a hashrate of hashrate_ths '1000' this is 50000 J/TH at the meter; expected between 1 and 10000 J/TH (no Bitcoin ASIC lies outside); check both units"
    );
    let s = &v["sites"][1];
    assert_eq!(s["status"], "ok");
    assert_eq!(
        s["warnings"],
        "power_mw 0.5 MW over a hashrate of 1 PH/s is 500 J/TH at the meter, outside the plausible 10-150 J/TH (check both units)"
    );
}

// Issue 20 review: coordinates written with points no longer make `60.000` machines read as 60.
#[test]
fn coordinates_with_points_do_not_settle_an_ambiguous_machine_count() {
    let out = hashmix()
        .args(["assess", "-", "--year", "2023", "--draws", "0", "--format", "json"])
        .write_stdin("id;lat;lon;machines;model\na;49.2167;-68.15;60.000;S19j Pro\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["sites"][0];
    assert_eq!(s["status"], "error");
    let e = s["error"].as_str().unwrap();
    assert!(e.starts_with("line 2, column 'machines', value '60.000': ambiguous number: 60 if '.' is the decimal mark, 60000 if it separates thousands"), "{e}");
}
