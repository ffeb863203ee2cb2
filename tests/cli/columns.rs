//! `assess --columns`: the named fields only, in contract order, with status and error always
//! there; each kept cell is the full output's cell; bad lists are usage errors (exit 2).

use super::*;

fn run(args: &[&str]) -> (String, String, i32) {
    let out = hashmix().args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

// The Kazakh site of a_declared_kazakh_site_gets_hand_checked_values: 650.549 g/kWh, 170.964 t/yr.
#[test]
fn csv_keeps_the_named_fields_in_contract_order_with_status_and_error() {
    let (out, _, code) = run(&[
        "assess",
        "--factors",
        "lifecycle",
        &data("kz.csv"),
        "--year",
        "2023",
        "--format",
        "csv",
        "--columns",
        "co2_t_per_year, id,intensity_g_per_kwh",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "id,intensity_g_per_kwh,co2_t_per_year,status,error\nkz-1,650.549,170.964,ok,\n"
    );
}

#[test]
fn each_kept_cell_is_the_full_outputs_cell_and_failed_rows_still_say_why() {
    let seed = data("../../examples/seed-sites.csv");
    for (file, want_code) in [(seed.as_str(), 0), (&data("bad-rows.csv"), 1)] {
        let (full, _, code) = run(&["assess", file, "--format", "csv"]);
        assert_eq!(code, want_code);
        let (some, _, code) = run(&[
            "assess",
            file,
            "--format",
            "csv",
            "--columns",
            "notes,region,lat,co2_g_per_th_p95,risk_reasons",
        ]);
        assert_eq!(code, want_code);
        let (full, some) = (csv_rows(&full), csv_rows(&some));
        assert_eq!(
            some[0],
            [
                "lat",
                "region",
                "status",
                "error",
                "notes",
                "risk_reasons",
                "co2_g_per_th_p95"
            ]
        );
        assert_eq!(full.len(), some.len());
        for (f, s) in full.iter().zip(&some) {
            let cells: Vec<&String> = some[0]
                .iter()
                .map(|name| &f[full[0].iter().position(|h| h == name).unwrap()])
                .collect();
            assert_eq!(cells, s.iter().collect::<Vec<_>>());
        }
        if want_code == 1 {
            let failed: Vec<&Vec<String>> = some[1..].iter().filter(|r| r[2] == "error").collect();
            assert!(!failed.is_empty());
            assert!(failed.iter().all(|r| r[3].starts_with("line ")), "{failed:?}");
        }
    }
}

#[test]
fn json_formats_keep_the_same_fields() {
    let kz = data("kz.csv");
    let base = [
        "assess",
        "--factors",
        "lifecycle",
        kz.as_str(),
        "--year",
        "2023",
        "--columns",
        "co2_t_per_year,region",
    ];
    let (out, _, code) = run(&[&base[..], &["--format", "ndjson"]].concat());
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().next().unwrap(),
        r#"{"region":"KZ","co2_t_per_year":170.964,"status":"ok","error":null}"#
    );
    let (v, _) = json_of(&[&base[..], &["--format", "json"]].concat());
    assert_eq!(
        v["sites"][0],
        serde_json::json!({"region": "KZ", "co2_t_per_year": 170.964, "status": "ok", "error": null})
    );
    // The portfolio is not a site: it keeps every field.
    assert_eq!(v["portfolio"]["sites"], 1);
    let (v, _) = json_of(&[&base[..], &["--format", "geojson"]].concat());
    let keys: Vec<&String> = v["features"][0]["properties"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(v["features"][0]["properties"]["co2_t_per_year"], 170.964);
}

#[test]
fn a_bad_list_or_the_table_format_is_a_usage_error() {
    let kz = data("kz.csv");
    let (_, err, code) = run(&["assess", &kz, "--format", "csv", "--columns", "region,co2"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--columns: unknown field 'co2'; expected names from: id,name,lat,lon,"),
        "{err}"
    );
    let (_, err, code) = run(&["assess", &kz, "--format", "csv", "--columns", "region,region"]);
    assert_eq!(code, 2);
    assert!(err.contains("'region' is named twice"), "{err}");
    let (out, err, code) = run(&["assess", &kz, "--columns", "region"]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.contains("the table has its own"), "{err}");
}

#[test]
fn a_workbook_keeps_the_same_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("few.xlsx");
    let (_, err, code) = run(&[
        "assess",
        "--factors",
        "lifecycle",
        &data("kz.csv"),
        "--year",
        "2023",
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
        "--columns",
        "co2_t_per_year,region",
    ]);
    assert_eq!(code, 0, "{err}");
    use calamine::Data;
    assert_eq!(
        super::xlsx::sheet(&path, "Sites"),
        [
            vec![
                Data::String("region".into()),
                Data::String("co2_t_per_year (t CO2e/yr)".into()),
                Data::String("status".into()),
                Data::String("error".into()),
            ],
            vec![
                Data::String("KZ".into()),
                Data::Float(170.964),
                Data::String("ok".into()),
                Data::Empty,
            ],
        ]
    );
}
