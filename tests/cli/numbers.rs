//! Numbers and text as the user's spreadsheet wrote them (issue 20): a file's decimal mark is
//! decided from its first rows, thousands separators and space groups are read, a value that
//! reads two ways in a file that does not tell is a row error; Windows-1252, Latin-1 and UTF-16
//! files are read; an endless record on standard input is refused; long values are cut in
//! messages.

use super::*;

/// Run in a folder holding `input` as the file `name`; (stdout, stderr, exit code).
fn run_on(name: &str, input: &[u8], args: &[&str]) -> (String, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, input).unwrap();
    let mut all = vec!["assess", name];
    all.extend_from_slice(args);
    let out = hashmix().current_dir(dir.path()).args(&all).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

/// The JSON sites of `input`, its standard error and exit code.
fn sites_of(input: &[u8]) -> (Vec<Value>, String, i32) {
    let (out, err, code) = run_on("sites.csv", input, &["--format", "json", "--year", "2023"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (v["sites"].as_array().unwrap().clone(), err, code)
}

// The AvalonMiner 1246 makes 90 TH/s (grid-data/miners.csv): 60,000 of them, 5,400,000 TH/s.
#[test]
fn sixty_point_zero_zero_zero_machines_are_sixty_thousand_in_a_file_of_decimal_commas() {
    // Issue 20: the efficiency's decimal comma tells the file's convention.
    let (sites, err, code) = sites_of(
        "id;region;machines;model;efficiency_j_per_th\n\
         a;KZ;60.000;AvalonMiner 1246;38,5\n"
            .as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(sites[0]["hashrate_ths"], 5_400_000.0);
    assert_eq!(sites[0]["efficiency_j_per_th"], 38.5);
    let notes = sites[0]["notes"].as_str().unwrap();
    assert!(
        notes.contains("machines '60.000' read as 60000: this file writes decimal commas, so '.' separates thousands"),
        "{notes}"
    );
    assert!(
        err.contains(
            "sites.csv: note: numbers are read with a decimal comma, as the first rows write them (line 2, \
             efficiency_j_per_th '38,5'): '.' separates thousands, so 60.000 is 60000"
        ),
        "{err}"
    );
}

#[test]
fn one_thousand_two_hundred_thirty_four_comma_five_is_read_in_a_file_of_decimal_commas() {
    // Issue 20: `1.234,5` is 1234.5 (PH/s here: 1,234,500 TH/s).
    let (sites, err, code) = sites_of(
        "id;region;hashrate_phs;efficiency_j_per_th\n\
         a;KZ;1.234,5;21,5\n"
            .as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(sites[0]["hashrate_ths"], 1_234_500.0);
    assert_eq!(sites[0]["efficiency_j_per_th"], 21.5);
}

#[test]
fn thousands_commas_are_read_in_a_file_of_decimal_points() {
    // Issue 20: `1,234.5` is 1234.5, and `1,234` is 1234 where the file's `21.5` shows points.
    let (sites, err, code) = sites_of(
        "id,region,hashrate_ths,efficiency_j_per_th\n\
         a,KZ,\"1,234.5\",21.5\n\
         b,KZ,\"1,234\",21.5\n"
            .as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(sites[0]["hashrate_ths"], 1234.5);
    assert_eq!(sites[1]["hashrate_ths"], 1234.0);
    let notes = sites[1]["notes"].as_str().unwrap();
    assert!(
        notes
            .contains("hashrate_ths '1,234' read as 1234: this file writes decimal points, so ',' separates thousands"),
        "{notes}"
    );
    // Nothing to say about the convention of a file of decimal points.
    assert!(!err.contains("note:"), "{err}");
}

#[test]
fn space_grouped_numbers_are_read() {
    // Issue 20: `12 000` is 12000, with a space, a no-break space or a narrow no-break space.
    let (sites, err, code) = sites_of(
        "id;region;hashrate_ths;efficiency_j_per_th\n\
         a;KZ;12 000;20\n\
         b;KZ;12\u{a0}000;20\n\
         c;KZ;12\u{202f}000,5;20\n"
            .as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(sites[0]["hashrate_ths"], 12000.0);
    assert_eq!(sites[1]["hashrate_ths"], 12000.0);
    assert_eq!(sites[2]["hashrate_ths"], 12000.5);
}

#[test]
fn a_value_the_file_leaves_ambiguous_is_a_row_error_naming_line_column_value_and_both_readings() {
    // Issue 20: nothing in this file tells a decimal comma from a decimal point.
    let (sites, err, code) = sites_of(
        "id;region;machines;model\n\
         a;KZ;10;AvalonMiner 1246\n\
         b;KZ;60.000;AvalonMiner 1246\n"
            .as_bytes(),
    );
    assert_eq!(code, 1);
    assert_eq!(sites[0]["status"], "ok");
    assert_eq!(sites[1]["status"], "error");
    let want = "line 3, column 'machines', value '60.000': ambiguous number: 60 if '.' is the decimal mark, \
                60000 if it separates thousands, and the file's first rows do not settle which; write it as \
                60000, or with a fourth decimal digit (a trailing 0) if it means 60";
    assert_eq!(sites[1]["error"], want);
    assert!(err.contains(&format!("sites.csv:3: {want}")), "{err}");
}

#[test]
fn a_later_row_against_the_files_convention_is_read_and_noted() {
    // The first 64 KiB decide: decimal commas. A row past them with a decimal point reads one
    // way only, so it is read, with a note.
    let mut text = String::from("id;region;hashrate_ths;efficiency_j_per_th\n");
    let mut rows = 0;
    while text.len() < 70 * 1024 {
        text.push_str(&format!("s{rows};KZ;100;20,5\n"));
        rows += 1;
    }
    text.push_str("late;KZ;100;20.5\n");
    let (sites, err, code) = sites_of(text.as_bytes());
    assert_eq!(code, 0, "{err}");
    let late = &sites[rows];
    assert_eq!(late["id"], "late");
    assert_eq!(late["efficiency_j_per_th"], 20.5);
    let notes = late["notes"].as_str().unwrap();
    assert!(
        notes.contains(
            "efficiency_j_per_th '20.5' read as 20.5, with a decimal point, though this file writes decimal commas"
        ),
        "{notes}"
    );
    assert!(!sites[0]["notes"].as_str().unwrap().contains("read as"));
}

#[test]
fn a_windows_1252_file_is_read_with_a_note() {
    // Issue 20: Excel's "CSV" on Windows; é is E9 and á is E1 in Windows-1252.
    let (sites, err, code) = sites_of(
        b"id,name,region,hashrate_ths,efficiency_j_per_th\n\
          q,Qu\xe9bec,KZ,100,20\n\
          s,S\xe1nchez \x80,KZ,100,20\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(sites[0]["name"], "Québec");
    // 0x80 is the euro sign in Windows-1252.
    assert_eq!(sites[1]["name"], "Sánchez €");
    assert_eq!(
        err,
        "sites.csv: note: the file is not UTF-8 text: it was read as Windows-1252 (Excel's \"CSV\" on Windows; \
         Latin-1 reads the same); if names look wrong, save it as \"CSV UTF-8\"\n"
    );
}

#[test]
fn a_latin_1_file_with_decimal_commas_is_not_refused_as_binary() {
    // Issue 20: ü is FC in Latin-1; the semicolons and decimal commas of a German Excel.
    let (sites, err, code) = sites_of(b"id;name;region;hashrate_ths;efficiency_j_per_th\nz;Z\xfcrich;CH;1.000;21,5\n");
    assert_eq!(code, 0, "{err}");
    assert_eq!(sites[0]["name"], "Zürich");
    assert_eq!(sites[0]["hashrate_ths"], 1000.0);
    assert!(err.contains("read as Windows-1252"), "{err}");
}

/// The text in UTF-16 with its byte-order mark, little- or big-endian.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for unit in text.encode_utf16() {
        out.extend(if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    out
}

#[test]
fn a_utf_16_file_with_its_byte_order_mark_is_read() {
    // Issue 20: Excel's "Unicode text" is UTF-16 with tabs.
    let text = "id\tname\tregion\thashrate_ths\tefficiency_j_per_th\nq\tQuébec\tKZ\t100\t20\n";
    for little in [true, false] {
        let (sites, err, code) = sites_of(&utf16(text, little));
        assert_eq!(code, 0, "{err}");
        assert_eq!(sites[0]["name"], "Québec");
        assert_eq!(sites[0]["hashrate_ths"], 100.0);
        assert_eq!(err, "");
    }
}

#[test]
fn a_utf_16_file_without_its_byte_order_mark_is_refused_saying_so() {
    let text = utf16("id,region,hashrate_ths,efficiency_j_per_th\na,KZ,100,20\n", true);
    let (out, err, code) = run_on("sites.csv", &text[2..], &[]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("this looks like UTF-16 text without its byte-order mark"),
        "{err}"
    );
}

#[test]
fn a_value_of_a_megabyte_is_cut_in_the_error_message() {
    // Issue 20: the message shows the value's first 200 characters, then "…".
    let long = "9".repeat(1_000_000);
    let input = format!("id,region,hashrate_ths,efficiency_j_per_th\na,KZ,{long}x,20\n");
    let (out, err, code) = run_on("sites.csv", input.as_bytes(), &["--format", "csv"]);
    assert_eq!(code, 1);
    let want = format!(
        "sites.csv:2: line 2, column 'hashrate_ths', value '{}…': expected a number\n",
        "9".repeat(200)
    );
    assert_eq!(err, want);
    assert!(out.len() < 3000, "{} bytes of output", out.len());
}

#[test]
fn an_unterminated_quote_on_standard_input_is_refused_at_the_record_cap() {
    // Issue 20: 50 MB after an opening quote that never closes; the row starts on line 3.
    let mut input = b"id,name,region,hashrate_ths,efficiency_j_per_th\na,x,KZ,100,20\nb,\"".to_vec();
    input.resize(input.len() + 50_000_000, b'x');
    let out = hashmix()
        .args(["assess", "-", "--format", "csv"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "hashmix: standard input: line 3: the row starting here runs past 1 MiB without ending (a quoted field \
         without its closing quote?); a row may hold at most 1048576 bytes\n"
    );
    // The row before it was written.
    assert!(String::from_utf8(out.stdout).unwrap().contains("\na,x,"));
}

#[test]
fn a_spreadsheets_real_numbers_are_never_read_as_thousands() {
    // Issue 20: the sheet's text cells write decimal commas; its number cells (1.234 and 51.7236)
    // are numbers, whatever the text cells show.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "id",
        "region",
        "hashrate_phs",
        "efficiency_j_per_th",
        "machines",
        "model",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "a").unwrap();
    ws.write_string(1, 1, "KZ").unwrap();
    ws.write_number(1, 2, 1.234).unwrap();
    ws.write_string(1, 3, "21,5").unwrap();
    ws.write_string(2, 0, "b").unwrap();
    ws.write_string(2, 1, "KZ").unwrap();
    ws.write_string(2, 4, "60.000").unwrap();
    ws.write_string(2, 5, "AvalonMiner 1246").unwrap();
    ws.write_number(2, 3, 51.7236).unwrap();
    wb.save(&path).unwrap();
    let (v, code) = json_of(&["assess", path.to_str().unwrap(), "--format", "json", "--year", "2023"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["sites"][0]["hashrate_ths"], 1234.0);
    assert_eq!(v["sites"][0]["efficiency_j_per_th"], 21.5);
    assert_eq!(v["sites"][1]["hashrate_ths"], 5_400_000.0);
    assert_eq!(v["sites"][1]["efficiency_j_per_th"], 51.7236);
}

#[test]
fn report_gives_the_inputs_notes_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sites.csv"),
        b"id;name;region;hashrate_ths;efficiency_j_per_th\nq;Qu\xe9bec;KZ;100;20,5\n",
    )
    .unwrap();
    let out = hashmix()
        .current_dir(dir.path())
        .args(["report", "sites.csv", "-o", "report.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("sites.csv: note: the file is not UTF-8 text: it was read as Windows-1252"),
        "{err}"
    );
    assert!(
        err.contains("sites.csv: note: numbers are read with a decimal comma"),
        "{err}"
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("Québec"));
}

// Issue 20: Excel writes CRLF line ends, and every row of such a file was reported one line
// early, sending the user to the wrong row. The bad row here is line 3 of the file; the
// decimal-comma note names line 2, where the first row is.
#[test]
fn a_crlf_files_messages_name_the_lines_the_rows_are_on() {
    let input =
        b"id;lat;lon;hashrate_ths;efficiency_j_per_th\r\na;51,7236;75,3233;100;30\r\nb;north;75,3233;100;30\r\n";
    let (_, err, code) = run_on("sites.csv", input, &["--format", "csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("(line 2, lat '51,7236')"), "{err}");
    assert!(
        err.contains("sites.csv:3: line 3, column 'lat', value 'north'"),
        "{err}"
    );
}

// Issue 20: blank lines were not counted, so the rows after them were reported lines early.
#[test]
fn rows_after_blank_lines_are_reported_on_their_own_lines() {
    let input = b"id,lat,lon,hashrate_ths,efficiency_j_per_th\n\nq,north,75,100,30\n\n\nr,south,75,100,30\n";
    let (_, err, code) = run_on("sites.csv", input, &["--format", "csv"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "sites.csv:3: line 3, column 'lat', value 'north': expected a number\n\
         sites.csv:6: line 6, column 'lat', value 'south': expected a number\n"
    );
}
