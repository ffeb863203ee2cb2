//! Row messages name the row's real line (the header is line 1) whatever the file's line ends:
//! bare CR (old Mac, some exports), CRLF, LF, or a mix of them.

use super::*;

/// Four sites: the third has a hashrate that is not a number (an error), the fourth an
/// efficiency of 300 J/TH (a warning); the rows end in `ends` by turns.
fn sites(ends: &[&str]) -> String {
    let lines = [
        "id,lat,lon,hashrate_ths,efficiency_j_per_th",
        "a,51.7236,75.3233,1000,30",
        "b,51.7236,75.3233,1000,30",
        "c,51.7236,75.3233,abc,30",
        "d,51.7236,75.3233,1000,300",
    ];
    lines
        .iter()
        .enumerate()
        .map(|(k, line)| format!("{line}{}", ends[k % ends.len()]))
        .collect()
}

/// `assess sites.csv` on `text`: its standard error and exit code.
fn stderr_of(text: &str) -> (String, i32) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sites.csv"), text).unwrap();
    let out = hashmix()
        .current_dir(dir.path())
        .args(["assess", "sites.csv", "--format", "csv", "--draws", "0"])
        .output()
        .unwrap();
    (String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap())
}

const WANT: &str = "sites.csv:4: line 4, column 'hashrate_ths', value 'abc': expected a number\n\
                    sites.csv:5: warning: efficiency_j_per_th 300 J/TH is outside the plausible 10-150 J/TH of \
                    Bitcoin ASICs (check the unit)\n";

// Issue 20: with bare CR line ends every error and warning said "line 1" (the csv crate's line
// count counts only `\n`); the bad value is on the 3rd data row, line 4.
#[test]
fn a_bare_cr_file_names_the_real_line_of_each_error_and_warning() {
    assert_eq!(stderr_of(&sites(&["\r"])), (WANT.to_string(), 1));
}

// Issue 20: the same rows with LF, CRLF, and CRLF, LF and CR by turns name the same lines.
#[test]
fn lf_crlf_and_mixed_line_ends_name_the_same_lines() {
    for ends in [&["\n"][..], &["\r\n"], &["\r\n", "\n", "\r"], &["\n", "\r\n"]] {
        assert_eq!(stderr_of(&sites(ends)), (WANT.to_string(), 1), "{ends:?}");
    }
}
