//! Issue 26 item 4: compare's table shows every source.

use super::*;

#[test]
fn compare_shows_every_source_so_iceland_and_kuwait_read_right() {
    // Issue 26 item 4: Iceland's geothermal (OWID/Ember 2022: 29.8% of 19.9 TWh) and Kuwait's oil
    // (43.8% in 2023) were missing from compare's table.
    let out = hashmix()
        .args(["compare", "IS", "KW", "--draws", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    let row = |code: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.starts_with(code)).unwrap();
        // The name may hold spaces: read the columns from the right of the level.
        let after = line.split_once(" national ").unwrap().1;
        after.split_whitespace().map(String::from).collect()
    };
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap() - 5;
    assert_eq!(row("IS")[at("geo+%")], "29.8");
    assert_eq!(row("IS")[at("hydro%")], "70.2");
    assert_eq!(row("KW")[at("oil%")], "43.8");
    assert_eq!(row("KW")[at("gas%")], "56.0");
}
