//! Published factors and the two bases (issue 22): `--basis`, `--factors published|ipcc|FILE`,
//! and the rate each site gets.

use super::*;

#[test]
fn factors_lifecycle_with_basis_direct_is_a_usage_error_naming_both_flags() {
    // Issue 22: `--factors lifecycle` means `--factors ipcc --basis lifecycle`.
    hashmix()
        .args(["assess", &data("kz.csv"), "--factors", "lifecycle", "--basis", "direct"])
        .assert()
        .code(2)
        .stderr(
            "hashmix: --factors lifecycle and --basis direct: --factors lifecycle means --factors ipcc --basis lifecycle; give --factors ipcc --basis direct, or drop one of them\n",
        );
}

#[test]
fn an_unknown_basis_is_a_usage_error() {
    hashmix()
        .args(["compare", "KZ", "--basis", "upstream"])
        .assert()
        .code(2)
        .stderr("hashmix: --basis upstream: expected direct or lifecycle\n");
}

// Kazakhstan 2023, direct IPCC factors: (75.91x760 + 23.37x370 + 0.07x406) / 113.88 = 582.779.
#[test]
fn factors_ipcc_with_basis_direct_is_what_factors_direct_was() {
    for args in [
        ["--factors", "ipcc", "--basis", "direct"],
        ["--factors", "direct", "--basis", "direct"],
    ] {
        let mut all = vec!["assess", &data("kz.csv"), "--format", "json", "--year", "2023"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        all.extend(args.map(String::from));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let (v, code) = json_of(&all);
        assert_eq!(code, 0);
        close(&v["sites"][0]["intensity_g_per_kwh"], 582.779);
    }
}

#[test]
fn a_factor_file_is_read_on_the_basis_that_basis_declares() {
    let (v, code) = json_of(&[
        "assess",
        &data("kz.csv"),
        "--format",
        "json",
        "--factors",
        &data("factors-custom.csv"),
        "--basis",
        "direct",
    ]);
    assert_eq!(code, 0);
    let user = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "user-factors")
        .unwrap();
    assert_eq!(
        user["used_for"],
        "emission factors per source, on the direct basis that --basis declares"
    );
}
