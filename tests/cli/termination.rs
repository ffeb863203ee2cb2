//! A run stopped by Ctrl-C (SIGINT), SIGTERM (`kill`, a service or job manager) or SIGHUP (its
//! terminal closed) leaves no output file that looks complete.

#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::{Command as Process, Stdio};

/// The names in `dir`, sorted (temporary files included: they start with a dot).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Start `assess` writing `-o out.csv` from sites on a pipe held open (so the run is still
/// going when the signal comes), wait for its temporary file, send `signal`, and return the
/// exit code and the names left in the folder.
fn stopped_by(signal: &str, previous: Option<&str>) -> (Option<i32>, Vec<String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = previous {
        std::fs::write(dir.path().join("out.csv"), text).unwrap();
    }
    let mut child = Process::new(env!("CARGO_BIN_EXE_hashmix"))
        .current_dir(dir.path())
        .args(["assess", "-", "--format", "csv", "-o", "out.csv"])
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
    for k in 0..10 {
        text.push_str(&format!("s{k},51.7236,75.3233,1000,30\n"));
    }
    stdin.write_all(text.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let before = usize::from(previous.is_some());
    let started = std::time::Instant::now();
    while names(dir.path()).len() <= before {
        assert!(
            started.elapsed().as_secs() < 60,
            "no temporary file: {:?}",
            names(dir.path())
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let temp = names(dir.path()).into_iter().find(|n| n != "out.csv").unwrap();
    assert!(temp.starts_with(".out.csv.") && temp.ends_with(".tmp"), "{temp}");
    let kill = Process::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    drop(stdin);
    (status.code(), names(dir.path()), dir)
}

// issue 20: an interrupted run must not leave a file that looks complete. The sites come from
// a pipe held open, so the run is still going when Ctrl-C comes.
#[test]
fn ctrl_c_removes_the_unfinished_output_and_exits_130() {
    let (code, names, dir) = stopped_by("-INT", Some("the previous output\n"));
    assert_eq!(code, Some(130));
    assert_eq!(names, ["out.csv"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
        "the previous output\n"
    );
}

// Issue 20: SIGTERM killed the run outright, leaving its hidden temporary file behind (and no
// exit code: the process died of the signal).
#[test]
fn sigterm_removes_the_unfinished_output_and_exits_130() {
    let (code, names, _dir) = stopped_by("-TERM", None);
    assert_eq!(code, Some(130));
    assert!(names.is_empty(), "{names:?}");
}

// Issue 20: as SIGTERM; the previous output is left as it was.
#[test]
fn sighup_leaves_the_previous_output_as_it_was_and_exits_130() {
    let (code, names, dir) = stopped_by("-HUP", Some("the previous output\n"));
    assert_eq!(code, Some(130));
    assert_eq!(names, ["out.csv"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
        "the previous output\n"
    );
}
