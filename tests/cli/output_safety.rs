//! Output safety (issue 20, part 1): `-o` never replaces an input, never writes through a
//! symbolic link, names a missing folder; every file is written aside and put in place only
//! when complete, so a failed, stopped or interrupted run leaves the previous file as it was;
//! a closed standard output ends quietly; each error message is printed once.

use super::*;
use std::io::Read;
use std::path::Path;
use std::process::{Command as Process, Stdio};

/// `n` sites at one place in Kazakhstan (the `ok` row of bad-rows.csv), all valid.
fn sites(n: usize) -> String {
    let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
    for k in 0..n {
        text.push_str(&format!("s{k},51.7236,75.3233,1000,30\n"));
    }
    text
}

/// hashmix run in `dir`: stderr and the exit code.
fn run_in(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = hashmix().current_dir(dir).args(args).output().unwrap();
    (String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap())
}

/// The names in `dir`, sorted (temporary files included: they start with a dot).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A folder holding `big.csv`, 3,000 valid sites, and its bytes.
fn folder_with_input() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let text = sites(3000);
    std::fs::write(dir.path().join("big.csv"), &text).unwrap();
    (dir, text.into_bytes())
}

const NEVER_OVER_INPUT: &str = "hashmix never writes over its input: write the output to another file";

// issue 20: `assess big.csv -o big.csv` kept 2,210 of 100,000 rows and overwrote the file.
#[test]
fn assess_refuses_to_write_over_its_input_in_every_format_and_leaves_it_byte_identical() {
    let (dir, bytes) = folder_with_input();
    for format in ["table", "csv", "json", "ndjson", "geojson", "xlsx"] {
        let (stderr, code) = run_in(dir.path(), &["assess", "big.csv", "--format", format, "-o", "big.csv"]);
        assert_eq!(code, 2, "{format}");
        assert_eq!(
            stderr,
            format!("hashmix: cannot write big.csv: it is the input big.csv; {NEVER_OVER_INPUT}\n"),
            "{format}"
        );
        assert_eq!(std::fs::read(dir.path().join("big.csv")).unwrap(), bytes, "{format}");
    }
    assert_eq!(names(dir.path()), ["big.csv"]);
}

#[test]
fn the_same_input_spelled_another_way_is_still_the_input() {
    let (dir, bytes) = folder_with_input();
    let (stderr, code) = run_in(dir.path(), &["assess", "./big.csv", "-o", "big.csv"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("hashmix: cannot write big.csv: it is the input ./big.csv; {NEVER_OVER_INPUT}\n")
    );
    assert_eq!(std::fs::read(dir.path().join("big.csv")).unwrap(), bytes);
}

// issue 20: a hard link is the same file under another name.
#[cfg(unix)]
#[test]
fn a_hard_link_to_the_input_is_refused() {
    let (dir, bytes) = folder_with_input();
    std::fs::hard_link(dir.path().join("big.csv"), dir.path().join("copy.csv")).unwrap();
    let (stderr, code) = run_in(dir.path(), &["assess", "big.csv", "--format", "csv", "-o", "copy.csv"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("hashmix: cannot write copy.csv: it is the input big.csv under another name; {NEVER_OVER_INPUT}\n")
    );
    assert_eq!(std::fs::read(dir.path().join("big.csv")).unwrap(), bytes);
}

// issue 20: a symbolic link to the input.
#[cfg(unix)]
#[test]
fn a_symbolic_link_to_the_input_is_refused() {
    let (dir, bytes) = folder_with_input();
    std::os::unix::fs::symlink("big.csv", dir.path().join("link.csv")).unwrap();
    let (stderr, code) = run_in(dir.path(), &["assess", "big.csv", "--format", "xlsx", "-o", "link.csv"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("hashmix: cannot write link.csv: it is a symbolic link to the input big.csv; {NEVER_OVER_INPUT}\n")
    );
    assert_eq!(std::fs::read(dir.path().join("big.csv")).unwrap(), bytes);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_to_another_file_is_not_written_through() {
    let (dir, _) = folder_with_input();
    std::fs::write(dir.path().join("other.csv"), "keep me\n").unwrap();
    std::os::unix::fs::symlink("other.csv", dir.path().join("link.csv")).unwrap();
    let (stderr, code) = run_in(dir.path(), &["assess", "big.csv", "-o", "link.csv"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "hashmix: cannot write link.csv: it is a symbolic link; hashmix does not write through links: \
         give the file's own path or another name\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.csv")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn the_file_standard_input_reads_is_refused_as_output() {
    let (dir, bytes) = folder_with_input();
    let input = std::fs::File::open(dir.path().join("big.csv")).unwrap();
    let out = Process::new(env!("CARGO_BIN_EXE_hashmix"))
        .current_dir(dir.path())
        .args(["assess", "-", "-o", "big.csv"])
        .stdin(Stdio::from(input))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("hashmix: cannot write big.csv: it is the file standard input reads; {NEVER_OVER_INPUT}\n")
    );
    assert_eq!(std::fs::read(dir.path().join("big.csv")).unwrap(), bytes);
}

#[test]
fn the_files_that_options_read_are_inputs_too() {
    let dir = tempfile::tempdir().unwrap();
    let factors = std::fs::read(data("factors-custom.csv")).unwrap();
    std::fs::write(dir.path().join("factors.csv"), &factors).unwrap();
    let (stderr, code) = run_in(
        dir.path(),
        &[
            "compare",
            "KZ",
            "--factors",
            "factors.csv",
            "--format",
            "csv",
            "-o",
            "factors.csv",
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("hashmix: cannot write factors.csv: it is the input factors.csv; {NEVER_OVER_INPUT}\n")
    );
    assert_eq!(std::fs::read(dir.path().join("factors.csv")).unwrap(), factors);
    let rules = std::fs::read(format!("{}/grid-data/risk-rules.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    std::fs::write(dir.path().join("rules.toml"), &rules).unwrap();
    let (stderr, code) = run_in(
        dir.path(),
        &[
            "backtest",
            "--as-of",
            "2020-01-01",
            "--risk-rules",
            "rules.toml",
            "-o",
            "rules.toml",
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("hashmix: cannot write rules.toml: it is the input rules.toml; {NEVER_OVER_INPUT}\n")
    );
    assert_eq!(std::fs::read(dir.path().join("rules.toml")).unwrap(), rules);
}

// issue 20: `--strict` stopped the run but left the rows before the bad one as the output.
#[test]
fn a_strict_stop_writes_no_file_and_keeps_the_previous_one_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let bad = data("bad-rows.csv");
    for (format, out) in [("csv", "out.csv"), ("json", "out.json"), ("xlsx", "out.xlsx")] {
        let (_, code) = run_in(dir.path(), &["assess", &bad, "--strict", "--format", format, "-o", out]);
        assert_eq!(code, 1, "{format}");
        assert_eq!(names(dir.path()), Vec::<String>::new(), "{format}");
    }
    std::fs::write(dir.path().join("out.csv"), "the previous output\n").unwrap();
    let (_, code) = run_in(
        dir.path(),
        &["assess", &bad, "--strict", "--format", "csv", "-o", "out.csv"],
    );
    assert_eq!(code, 1);
    assert_eq!(names(dir.path()), ["out.csv"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
        "the previous output\n"
    );
}

#[test]
fn a_run_that_fails_keeps_the_previous_output_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out.csv"), "the previous output\n").unwrap();
    std::fs::write(dir.path().join("binary.csv"), b"id,lat\n\x00\x01\x02").unwrap();
    let (_, code) = run_in(dir.path(), &["assess", "binary.csv", "-o", "out.csv"]);
    assert_eq!(code, 2);
    assert_eq!(names(dir.path()), ["binary.csv", "out.csv"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
        "the previous output\n"
    );
}

#[test]
fn a_complete_run_replaces_the_previous_output_and_leaves_nothing_else() {
    let (dir, _) = folder_with_input();
    std::fs::write(dir.path().join("out.csv"), "the previous output\n").unwrap();
    let (stderr, code) = run_in(
        dir.path(),
        &["assess", "big.csv", "--draws", "0", "--format", "csv", "-o", "out.csv"],
    );
    assert_eq!((stderr.as_str(), code), ("", 0));
    assert_eq!(names(dir.path()), ["big.csv", "out.csv"]);
    let text = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert_eq!(text.lines().count(), 3001);
}

// A new output gets the permissions any new file gets (not a temporary file's 0600).
#[cfg(unix)]
#[test]
fn a_new_output_has_the_permissions_of_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (_, code) = run_in(dir.path(), &["compare", "KZ", "-o", "out.txt"]);
    assert_eq!(code, 0);
    std::fs::File::create(dir.path().join("plain.txt")).unwrap();
    let mode = |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("out.txt"), mode("plain.txt"));
}

// issue 20: a missing folder said "No such file or directory", twice, without naming it.
#[test]
fn a_missing_folder_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let bad = data("bad-rows.csv");
    for format in ["csv", "xlsx"] {
        // bad-rows.csv prints its row errors as it is assessed: none are printed, the target
        // is checked first.
        let (stderr, code) = run_in(dir.path(), &["assess", &bad, "--format", format, "-o", "out/x.csv"]);
        assert_eq!(code, 2);
        assert_eq!(
            stderr,
            "hashmix: cannot write out/x.csv: the folder out does not exist\n"
        );
    }
    let (stderr, code) = run_in(dir.path(), &["compare", "KZ", "--format", "xlsx", "-o", "out/x.xlsx"]);
    assert_eq!(
        (stderr.as_str(), code),
        ("hashmix: cannot write out/x.xlsx: the folder out does not exist\n", 2)
    );
}

// issue 20: `report -o x.md` named its first chart, x-mix.svg.
#[test]
fn a_report_into_a_missing_folder_names_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (stderr, code) = run_in(dir.path(), &["report", &data("kz.csv"), "-o", "out/x.md"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "hashmix: cannot write out/x.md: the folder out does not exist\n"
    );
    let (stderr, _) = run_in(dir.path(), &["report", &data("kz.csv"), "-o", "out/x.html"]);
    assert_eq!(
        stderr,
        "hashmix: cannot write out/x.html: the folder out does not exist\n"
    );
}

#[test]
fn an_output_that_is_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("x.csv")).unwrap();
    let (stderr, code) = run_in(dir.path(), &["regions", "-o", "x.csv"]);
    assert_eq!(
        (stderr.as_str(), code),
        ("hashmix: cannot write x.csv: it is a folder; expected a file name\n", 2)
    );
}

// Writing into a read-only file failed before; replacing it would now succeed: refused.
#[test]
fn a_read_only_output_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    std::fs::write(&path, "protected\n").unwrap();
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let (stderr, code) = run_in(dir.path(), &["compare", "KZ", "-o", "out.txt"]);
    assert_eq!(
        (stderr.as_str(), code),
        (
            "hashmix: cannot write out.txt: it is read-only; make it writable or give another name\n",
            2
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "protected\n");
}

// issue 20: the report wrote its charts first, through symbolic links, truncating them in place.
#[cfg(unix)]
#[test]
fn a_report_refuses_a_chart_that_is_a_symbolic_link_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("elsewhere.txt"), "keep me\n").unwrap();
    std::fs::write(dir.path().join("r-mix.svg"), "old chart\n").unwrap();
    std::os::unix::fs::symlink("elsewhere.txt", dir.path().join("r-risk.svg")).unwrap();
    let seed = data("../../examples/seed-sites.csv");
    let (stderr, code) = run_in(dir.path(), &["report", &seed, "-o", "r.md"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "hashmix: cannot write r.md: its chart r-risk.svg: it is a symbolic link; hashmix does not write through \
         links: give the file's own path or another name\n"
    );
    assert_eq!(names(dir.path()), ["elsewhere.txt", "r-mix.svg", "r-risk.svg"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("elsewhere.txt")).unwrap(),
        "keep me\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r-mix.svg")).unwrap(),
        "old chart\n"
    );
}

#[cfg(unix)]
#[test]
fn a_report_refuses_a_chart_that_is_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read(data("../../examples/seed-sites.csv")).unwrap();
    std::fs::write(dir.path().join("sites.csv"), &seed).unwrap();
    std::fs::hard_link(dir.path().join("sites.csv"), dir.path().join("r-mix.svg")).unwrap();
    let (stderr, code) = run_in(dir.path(), &["report", "sites.csv", "-o", "r.md"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "hashmix: cannot write r.md: its chart r-mix.svg: it is the input sites.csv under another name; {NEVER_OVER_INPUT}\n"
        )
    );
    assert_eq!(names(dir.path()), ["r-mix.svg", "sites.csv"]);
    assert_eq!(std::fs::read(dir.path().join("sites.csv")).unwrap(), seed);
}

// An existing chart is replaced by a new file, not truncated and rewritten: a second name of
// the old chart (a hard link) keeps the old bytes.
#[cfg(unix)]
#[test]
fn a_report_replaces_an_existing_chart_instead_of_rewriting_it_in_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r-mix.svg"), "old chart\n").unwrap();
    std::fs::hard_link(dir.path().join("r-mix.svg"), dir.path().join("kept.svg")).unwrap();
    let seed = data("../../examples/seed-sites.csv");
    let (_, code) = run_in(dir.path(), &["report", &seed, "-o", "r.md"]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kept.svg")).unwrap(),
        "old chart\n"
    );
    assert!(
        std::fs::read_to_string(dir.path().join("r-mix.svg"))
            .unwrap()
            .starts_with("<svg")
    );
    assert_eq!(
        names(dir.path()),
        [
            "kept.svg",
            "r-intervals.svg",
            "r-map.svg",
            "r-mix.svg",
            "r-risk.svg",
            "r.md"
        ]
    );
}

// issue 20: writing to a closed pipe printed "Broken pipe" twice and exited 2.
#[test]
fn a_closed_standard_output_ends_quietly_with_code_0_in_every_format() {
    let (dir, _) = folder_with_input();
    let runs: Vec<Vec<&str>> = ["table", "csv", "json", "ndjson", "geojson"]
        .iter()
        .map(|f| vec!["assess", "big.csv", "--draws", "0", "--format", f])
        .chain([vec!["regions", "--format", "geojson"]])
        .collect();
    for args in runs {
        let mut child = Process::new(env!("CARGO_BIN_EXE_hashmix"))
            .current_dir(dir.path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // The pipe is closed here, with most of the output (over a megabyte) unread.
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        let status = child.wait().unwrap();
        assert_eq!((stderr.as_str(), status.code()), ("", Some(0)), "{args:?}");
    }
}

// A device is written directly (nothing to rename), and its errors name it.
#[cfg(target_os = "linux")]
#[test]
fn a_full_device_is_named_in_the_error() {
    let (dir, _) = folder_with_input();
    let (stderr, code) = run_in(dir.path(), &["assess", "big.csv", "--draws", "0", "-o", "/dev/full"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "hashmix: cannot write output: /dev/full: No space left on device (os error 28)\n"
    );
    let (stderr, code) = run_in(dir.path(), &["compare", "KZ", "--format", "xlsx", "-o", "/dev/full"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "hashmix: cannot write /dev/full: No space left on device (os error 28)\n"
    );
    let (_, code) = run_in(dir.path(), &["assess", "big.csv", "--draws", "0", "-o", "/dev/null"]);
    assert_eq!(code, 0);
}

// issue 20: "cannot read x: No such file...", then "caused by: No such file..." again.
#[test]
fn an_error_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let (stderr, code) = run_in(dir.path(), &["assess", "missing.csv"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "hashmix: cannot read missing.csv: No such file or directory (os error 2)\n"
    );
}
