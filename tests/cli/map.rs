//! `hashmix map` (issue 26): every region drawn once with its figure on hover, shaded in the
//! class of that figure, regions without data of their own hatched, the same bytes every run.

use super::*;

/// The map written to standard output (SVG) with `args` after `map`.
fn map_svg(args: &[&str]) -> String {
    let out = hashmix().arg("map").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Each region path: (fill, the title's text), in drawing order; the document must parse as XML.
fn region_paths(svg: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("the map is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|n| {
            let title = n.children().find(|c| c.has_tag_name("title"))?.text()?.to_string();
            Some((n.attribute("fill")?.to_string(), title))
        })
        .collect()
}

/// The region code in a title "Name (CODE): ...".
fn code_of(title: &str) -> &str {
    let open = title.find(" (").unwrap() + 2;
    let close = open + title[open..].find(')').unwrap();
    &title[open..close]
}

/// Viridis at nine steps, light to dark, as the map's classes (src/report/choropleth.rs).
const CLASSES: [&str; 9] = [
    "#fde725", "#addc30", "#5ec962", "#28ae80", "#21918c", "#2c728e", "#3b528b", "#472d7b", "#440154",
];

#[test]
fn the_us_map_draws_the_50_states_and_dc_once_each_with_their_figures() {
    let svg = map_svg(&["--country", "US", "--year", "2023"]);
    let paths = region_paths(&svg);
    let codes: Vec<&str> = paths.iter().map(|(_, t)| code_of(t)).collect();
    let unique: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!(codes.len(), 51, "{codes:?}");
    assert_eq!(unique.len(), 51);
    assert!(unique.contains("US-DC") && unique.contains("US-HI") && unique.contains("US-AK"));
    // Texas 2023 on the direct basis is eGRID2023's state rate: 369.9 g/kWh (compare says so
    // too), drawn in the 300-400 class.
    let v = json_of(&["compare", "US-TX", "--year", "2023", "--format", "json"]).0;
    let tx = v["regions"][0]["intensity_g_per_kwh"].as_f64().unwrap();
    let (fill, title) = paths.iter().find(|(_, t)| t.contains("(US-TX)")).unwrap();
    assert_eq!(title, &format!("Texas (US-TX): {tx:.0} gCO2e/kWh, data 2023"));
    assert_eq!(fill, CLASSES[(tx / 100.0).floor() as usize]);
}

#[test]
fn every_region_is_in_the_class_of_its_figure_and_the_legend_covers_them() {
    let svg = map_svg(&["--by", "coal"]);
    let paths = region_paths(&svg);
    assert!(paths.len() > 400, "{}", paths.len());
    let mut shaded = 0;
    for (fill, title) in &paths {
        let Some(pct) = title
            .split(": ")
            .nth(1)
            .and_then(|rest| rest.split('%').next())
            .and_then(|n| n.parse::<f64>().ok())
        else {
            // No data: white, hatched.
            assert_eq!(fill, "#ffffff", "{title}");
            continue;
        };
        // Classes of 10 points from 0, the last from 80% up: every share 0-100% has one.
        assert!((0.0..=100.0).contains(&pct), "{title}");
        let class = ((pct / 10.0).floor() as usize).min(8);
        // The title rounds to whole percent; a share just under a break may round up to it.
        let below = ((pct - 0.5).max(0.0) / 10.0).floor() as usize;
        assert!(
            fill == CLASSES[class] || fill == CLASSES[below.min(8)],
            "{title}: {fill}"
        );
        shaded += 1;
    }
    assert!(shaded > 400, "{shaded}");
    for text in [
        "0-10",
        "70-80",
        "80+",
        "not its own data",
        "no data",
        "coal share of generation, %",
    ] {
        assert!(svg.contains(&format!(">{text}</text>")), "legend lacks {text}");
    }
}

#[test]
fn a_region_on_its_countrys_mix_is_hatched_and_says_whose_data() {
    let svg = map_svg(&["--country", "RU"]);
    // Moscow has no data of its own: Russia's mix, hatched over the fill.
    let title_at = svg.find("<title>Moskva (RU-MOS):").unwrap();
    let title_end = svg[title_at..].find("</title>").unwrap() + title_at;
    assert!(
        svg[title_at..title_end].ends_with("(not its own data: mix of RU)"),
        "{}",
        &svg[title_at..title_end]
    );
    let after = &svg[title_end..];
    assert!(after.starts_with(r#"</title></path><path d=""#), "{:.80}", after);
    let hatch = after.find("fill=\"url(#hatch)\"").unwrap();
    assert!(hatch < after.find("<title>").unwrap_or(after.len()));
    // Krasnoyarsk's mix is modelled from its own plants: not hatched.
    let k = svg
        .find("<title>Krasnoyarskiy kray (RU-KYA):")
        .or_else(|| svg.find("(RU-KYA):"))
        .unwrap();
    let k_end = svg[k..].find("</path>").unwrap() + k;
    assert!(!svg[k..k_end].contains("not its own data"));
    assert!(!svg[k_end..k_end + 40].contains("url(#hatch)"));
}

#[test]
fn the_same_options_give_the_same_bytes() {
    let a = map_svg(&["--by", "risk", "--as-of", "2022-06-30"]);
    let b = map_svg(&["--by", "risk", "--as-of", "2022-06-30"]);
    assert_eq!(a, b);
    assert!(a.contains("risk as of 2022-06-30"));
}

#[test]
fn the_html_page_holds_the_map_and_a_table_of_every_region() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cn.html");
    let out = hashmix()
        .args([
            "map",
            "--country",
            "CN",
            "--by",
            "low-carbon",
            "-o",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg "));
    // 31 provinces, 2 special administrative regions and Taiwan's code as China's subdivisions,
    // each a row of the table and a path of the map.
    let rows = page.matches("<tr><td>CN-").count();
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap() + 6];
    assert_eq!(rows, region_paths(svg).len());
    assert!(rows >= 31, "{rows}");
}

#[test]
fn an_unknown_country_or_format_is_refused() {
    let out = hashmix().args(["map", "--country", "XX"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--country XX"));
    let out = hashmix()
        .args(["map", "-o", "/tmp/hashmix-map-test.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a file ending in .html or .svg"));
}
