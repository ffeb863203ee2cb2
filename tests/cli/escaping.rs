//! Hostile text end to end (issue 20): ids and names that a spreadsheet would run as formulas,
//! that drive a terminal or forge a table row, that are HTML, or that no Excel cell holds.
//! tests/data/injection.csv holds them: `=HYPERLINK(...)`, `-5` and `@SUM(A1)` as ids, names
//! with an OSC 8 hyperlink and an ANSI colour, a newline, and `<script>`; a site in Sydney
//! (negative latitude); and a failed row named `=1+1` whose latitude is `north`.

use super::xlsx::sheet;
use super::*;
use calamine::{Data, Reader, open_workbook_auto};

fn run(args: &[&str]) -> std::process::Output {
    hashmix().args(args).output().unwrap()
}

/// A CSV document's records, the header first.
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The cells of `field` in a CSV document with a header.
fn column(bytes: &[u8], field: &str) -> Vec<String> {
    let rows = records(bytes);
    let at = rows[0].iter().position(|h| h == field).unwrap();
    rows[1..].iter().map(|r| r[at].clone()).collect()
}

#[test]
fn formula_like_text_cells_get_a_quote_in_csv_and_numbers_and_the_raw_flag_are_left_alone() {
    let injection = data("injection.csv");
    let out = run(&["assess", &injection, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        column(&out.stdout, "id"),
        [
            "'=HYPERLINK(\"http://evil.example\",\"click\")",
            "'-5",
            "'@SUM(A1)",
            "osc",
            "forged",
            "script",
            "sydney",
            "bad"
        ]
    );
    assert_eq!(column(&out.stdout, "name")[1..3], ["'-minus", "'+plus"]);
    assert_eq!(column(&out.stdout, "name")[7], "'=1+1");
    // Numbers are numbers, negative ones included.
    assert_eq!(column(&out.stdout, "lat")[6], "-33.8688");
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(text.contains("\nsydney,Sydney,-33.8688,151.2093,AU-NSW,"), "{text}");
    // --allow-formulas writes the cells as they are.
    let raw = run(&["assess", &injection, "--format", "csv", "--allow-formulas"]);
    assert_eq!(raw.status.code(), Some(1));
    let ids = column(&raw.stdout, "id");
    assert_eq!(
        ids[..3],
        ["=HYPERLINK(\"http://evil.example\",\"click\")", "-5", "@SUM(A1)"]
    );
    assert_eq!(column(&raw.stdout, "name")[7], "=1+1");
    // Neutralising changes only the cells that begin like a formula.
    let (a, b) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(raw.stdout).unwrap(),
    );
    assert_eq!(a.replace(",'", ",").replace("\n'", "\n").replace("\"'", "\""), b);
}

#[test]
fn the_csv_flags_are_refused_with_formats_they_do_nothing_for() {
    let refused: [(&[&str], &str); 5] = [
        (&["assess", "KZ", "--format", "json", "--bom"], "--bom"),
        (&["assess", "KZ", "--allow-formulas"], "--allow-formulas"),
        (&["compare", "KZ", "--format", "json", "--excel"], "--bom"),
        (&["regions", "--country", "KZ", "--bom"], "--bom"),
        (&["miners", "--format", "json", "--allow-formulas"], "--allow-formulas"),
    ];
    for (args, flag) in refused {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!(
                "hashmix: {flag} shapes CSV output: use it with --format csv\n"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn excel_csv_begins_with_a_byte_order_mark_and_reads_back_as_utf8() {
    // Montréal (45.5017, -73.5673) lies in Québec.
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("qc.csv");
    std::fs::write(
        &sites,
        "id,lat,lon,hashrate_ths,efficiency_j_per_th\nmtl,45.5017,-73.5673,1000,30\n",
    )
    .unwrap();
    let sites = sites.to_str().unwrap();
    let runs: [&[&str]; 5] = [
        &["assess", sites, "--format", "csv", "--excel"],
        &["assess", sites, "--format", "csv", "--bom"],
        &["compare", "CA-QC", "--format", "csv", "--excel"],
        &["regions", "--country", "CA", "--format", "csv", "--bom"],
        &["miners", "--format", "csv", "--bom"],
    ];
    for args in runs {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let rest = out
            .stdout
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or_else(|| panic!("{args:?}: no BOM"));
        let text = std::str::from_utf8(rest).unwrap();
        assert!(!text.starts_with('\u{feff}'), "one mark only");
        if args[0] != "miners" {
            assert!(text.contains(",Québec,"), "{args:?}: {text:.300}");
        }
    }
    let out = run(&["assess", sites, "--format", "csv", "--bom"]);
    let rest = &out.stdout[3..];
    assert_eq!(column(rest, "region_name"), ["Québec"]);
    assert_eq!(column(rest, "id"), ["mtl"]);
    // Without the flag there is no mark.
    let plain = run(&["assess", sites, "--format", "csv"]);
    assert_eq!(plain.stdout, rest);
}

#[test]
fn control_characters_in_names_and_values_reach_the_table_and_standard_error_as_escapes() {
    let out = run(&["assess", &data("injection.csv")]);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(!table.contains('\u{1b}') && !table.contains('\u{7}'), "{table}");
    // The OSC 8 name, cut to the column; the name with a newline forges no row.
    assert!(table.contains("\na\\u{1b}]8;;http://ev~ KZ-55  inside"), "{table}");
    assert!(table.contains("\ntwo\\nforged         ~ KZ-55  inside"), "{table}");
    assert!(!table.contains("\nforged"), "{table}");
    assert_eq!(table.lines().filter(|l| l.contains("error:")).count(), 1, "{table}");
    // A value in a row's message on standard error: an ANSI colour in the latitude.
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("colour.csv");
    std::fs::write(
        &sites,
        "id,lat,lon,hashrate_ths,efficiency_j_per_th\nred,\"5\u{1b}[31m\nx\",75.3,1000,30\n",
    )
    .unwrap();
    let sites = sites.to_str().unwrap();
    let out = run(&["assess", sites, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("{sites}:2: line 2, column 'lat', value '5\\u{{1b}}[31m\\nx'")),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The CSV keeps the message as it is: a quoted cell may hold any character.
    assert!(column(&out.stdout, "error")[0].contains("'5\u{1b}[31m\nx'"));
    let strict = run(&["assess", sites, "--format", "csv", "--strict"]);
    assert!(!String::from_utf8(strict.stderr).unwrap().contains('\u{1b}'));
}

#[test]
fn the_markdown_and_html_reports_show_hostile_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let injection = data("injection.csv");
    for name in ["r.md", "r.html"] {
        let out = run(&[
            "report",
            &injection,
            "-o",
            dir.path().join(name).to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(!md.contains("<script>") && !md.contains('\u{1b}'), "{md}");
    assert!(
        md.contains("\n| script (&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[x\\](javascript:y)) | KZ-55 |"),
        "{md}"
    );
    assert!(
        md.contains("\n| forged (two forged                error: row) | KZ-55 |"),
        "{md}"
    );
    assert!(
        md.contains("\n| osc (a\\u{1b}\\]8;;http://evil.example\\u{7}link"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains('\u{1b}'), "{html:.2000}");
    assert!(html.contains("<td>script (&lt;script&gt;alert(1)&lt;/script&gt; | [x](javascript:y))</td>"));
    // Every chart beside the Markdown is valid XML: no control character, the name escaped.
    for chart in ["mix", "risk", "intervals", "map"] {
        let svg = std::fs::read_to_string(dir.path().join(format!("r-{chart}.svg"))).unwrap();
        assert!(!svg.chars().any(|c| c.is_control() && !"\t\n\r".contains(c)), "{chart}");
        assert!(!svg.contains("<script"), "{chart}");
    }
    let map = std::fs::read_to_string(dir.path().join("r-map.svg")).unwrap();
    assert!(map.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; | [x](javascript:y)</title>"));
}

#[test]
fn the_report_map_marks_at_most_500_sites_and_says_so() {
    // 501 sites along a meridian in Kazakhstan, site k at 1,000 + k TH/s: the smallest, s0, is
    // left off the map; the table and the charts say their own limits.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
    for k in 0..501 {
        text.push_str(&format!("s{k},{},75.3,{},30\n", 48.0 + k as f64 / 1000.0, 1000 + k));
    }
    let sites = dir.path().join("many.csv");
    std::fs::write(&sites, text).unwrap();
    let html = dir.path().join("many.html");
    let out = run(&["report", sites.to_str().unwrap(), "-o", html.to_str().unwrap(), "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains(
        "<p>The map marks the 500 sites drawing the most power of the 501 assessed sites with coordinates.</p>"
    ));
    let map = &html[html.find("<figure id=\"chart-map\">").unwrap()..];
    let map = &map[..map.find("</figure>").unwrap()];
    // 500 markers and the legend's four (each a shape in a group with its tooltip).
    assert_eq!(map.matches("<g><title>").count(), 504);
    assert!(!map.contains("<title>s0</title>") && map.contains("<title>s1</title>"));
}

#[test]
fn xlsx_keeps_formula_like_text_as_strings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("injection.xlsx");
    let out = run(&[
        "assess",
        &data("injection.csv"),
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let sites = sheet(&path, "Sites");
    let ids: Vec<&Data> = sites[1..].iter().map(|r| &r[0]).collect();
    assert_eq!(
        ids[0],
        &Data::String("=HYPERLINK(\"http://evil.example\",\"click\")".into())
    );
    assert_eq!(ids[1], &Data::String("-5".into()));
    assert_eq!(ids[2], &Data::String("@SUM(A1)".into()));
    assert_eq!(sites[8][1], Data::String("=1+1".into()));
    // The latitude of Sydney is a number.
    assert_eq!(sites[7][2], Data::Float(-33.8688));
    // No cell of the sheet is a formula.
    let mut wb = open_workbook_auto(&path).unwrap();
    let formulas = wb.worksheet_formula("Sites").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn a_name_longer_than_an_excel_cell_is_cut_with_a_note_not_an_aborted_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("long.csv");
    let name = "n".repeat(40_000);
    std::fs::write(
        &sites,
        format!("id,name,lat,lon,hashrate_ths,efficiency_j_per_th\nlong,{name},51.7236,75.3233,1000,30\n"),
    )
    .unwrap();
    let path = dir.path().join("long.xlsx");
    let out = run(&[
        "assess",
        sites.to_str().unwrap(),
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = sheet(&path, "Sites");
    let Data::String(cell) = &rows[1][1] else {
        panic!("{:?}", rows[1][1])
    };
    let note = "… [cut to fit an Excel cell: 40000 characters in all; the CSV and JSON outputs hold the whole text]";
    assert_eq!(cell.chars().count(), 32_767);
    assert_eq!(
        cell.strip_suffix(note),
        Some("n".repeat(32_767 - note.chars().count()).as_str())
    );
    assert_eq!(rows[1][2], Data::Float(51.7236));
}

#[test]
fn the_same_input_gives_the_same_workbook_bytes() {
    // The workbook's creation time was the clock's: two runs a second apart differed.
    let dir = tempfile::tempdir().unwrap();
    let seed = data("../../examples/seed-sites.csv");
    let write = |command: &[&str], name: &str| {
        let path = dir.path().join(name);
        let mut args = command.to_vec();
        args.extend(["--format", "xlsx", "-o", path.to_str().unwrap()]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read(path).unwrap()
    };
    let first = write(&["assess", &seed], "a1.xlsx");
    let compare = write(&["compare", "KZ", "CN-SC"], "c1.xlsx");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == write(&["assess", &seed], "a2.xlsx"), "assess");
    assert!(compare == write(&["compare", "KZ", "CN-SC"], "c2.xlsx"), "compare");
}
