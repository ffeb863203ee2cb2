//! Grid zones (issue 22): sites land in their eGRID subregion, bidding zone or grid, within
//! their own country; `regions` lists the zones; `compare` refuses a zone without a published
//! rate on the run's basis (tests/cli/published.rs compares one that has one); assess writes the
//! zone as `grid_zone`.
//!
//! Each expected zone was checked against grid-data/zones.geojson with shapely (the polygon that
//! holds the point, else the nearest within 10 km). Coordinates are Wikipedia's, El Paso's the US
//! Census Gazetteer's.

use super::*;
use hashmix::pipeline::Assessor;
use hashmix::settings::Options;
use hashmix::sites::SiteReader;

/// A site's id, its region and its zone with the distance outside the zone's polygon.
type Placed = (String, String, Option<(String, Option<f64>)>);

/// Real places, the region (Vestland NO-46, Sarawak MY-13, Pavlodar KZ-55) and the zone each lands in, and its distance outside the zone's polygon (km, to
/// 0.001; none: inside).
const PLACES: &str = "id,lat,lon,hashrate_ths,efficiency_j_per_th
abilene-tx,32.4489,-99.7333,1000,20
massena-ny,44.9283,-74.8919,1000,20
bismarck-nd,46.8133,-100.7872,1000,20
bergen-no,60.3894,5.33,1000,20
lulea-se,65.58444,22.15389,1000,20
boden-se,65.825,21.689,1000,20
bintulu-my,3.1667,113.0333,1000,20
el-paso-tx,31.790208,-106.423242,1000,20
columbus-oh,39.9622,-82.9886,1000,20
ekibastuz-kz,51.7167,75.3167,1000,20
cornwall-on,45.0167,-74.7333,1000,20
";

#[test]
fn real_sites_land_in_their_grid_zones_within_their_own_country() {
    let assessor = Assessor::embedded(Options::default()).unwrap();
    let mut reader = SiteReader::from_bytes(PLACES.as_bytes().to_vec(), "places").unwrap();
    let mut found = Vec::new();
    while let Some(row) = reader.next_row() {
        let record = assessor.assess(row.unwrap());
        assert_eq!(record.status(), "ok", "{:?}", record.error);
        let zone = record.zone.map(|z| {
            (
                z.code.to_string(),
                z.km_outside.map(|km| (km * 1000.0).round() / 1000.0),
            )
        });
        found.push((
            record.id.clone().unwrap().to_string(),
            record.region_code().unwrap().to_string(),
            zone,
        ));
    }
    let zone = |code: &str, km: Option<f64>| Some((code.to_string(), km));
    let want = [
        ("abilene-tx", "US-TX", zone("US-ERCT", None)),
        ("massena-ny", "US-NY", zone("US-NYUP", None)),
        ("bismarck-nd", "US-ND", zone("US-MROW", None)),
        ("bergen-no", "NO-46", zone("NO-NO5", None)),
        // Luleå lies off the coarse coast of both Sweden's and SE1's polygons: both by the
        // nearest rule, SE1 1.785 km away.
        ("lulea-se", "SE", zone("SE-SE1", Some(1.785))),
        ("boden-se", "SE", zone("SE-SE1", None)),
        ("bintulu-my", "MY-13", zone("MY-EM", None)),
        ("el-paso-tx", "US-TX", zone("US-AZNM", None)),
        ("columbus-oh", "US-OH", zone("US-RFCW", None)),
        // Kazakhstan has no zones; Cornwall, Ontario is 0.252 km from NYUP but in Canada.
        ("ekibastuz-kz", "KZ-55", None),
        ("cornwall-on", "CA-ON", None),
    ];
    let want: Vec<Placed> = want
        .into_iter()
        .map(|(id, region, z)| (id.into(), region.into(), z))
        .collect();
    assert_eq!(found, want);
}

#[test]
fn a_zone_carries_its_name_and_a_declared_site_has_none() {
    let assessor = Assessor::embedded(Options::default()).unwrap();
    let input = "id,lat,lon,region,hashrate_ths,efficiency_j_per_th\nb,60.3894,5.33,,1000,20\nd,,,US-TX,1000,20\n";
    let mut reader = SiteReader::from_bytes(input.as_bytes().to_vec(), "t").unwrap();
    let bergen = assessor.assess(reader.next_row().unwrap().unwrap());
    let z = bergen.zone.unwrap();
    assert_eq!(
        (z.code, z.name, z.country),
        ("NO-NO5", "Norway bidding zone NO5 (Bergen)", "NO")
    );
    // Without coordinates there is nothing to place in a zone.
    let declared = assessor.assess(reader.next_row().unwrap().unwrap());
    assert_eq!((declared.status().name(), declared.zone), ("ok", None));
}

#[test]
fn assess_output_names_the_sites_grid_zone() {
    // Issue 22: `grid_zone` (schema v6) is the zone located for the site, with its country prefix.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abilene.csv");
    std::fs::write(
        &path,
        "id,lat,lon,hashrate_ths,efficiency_j_per_th\nabilene,32.4489,-99.7333,1000,20\n",
    )
    .unwrap();
    let out = hashmix()
        .args(["assess", path.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().find(|l| l.starts_with("id,")).unwrap();
    assert_eq!(header, hashmix::output::fields::site_field_names().join(","));
    // Issue 23 (v7) added data_edition after grid_zone; issue 24 (v8) the Scope fields.
    assert!(
        header.contains(",basis,intensity_source,grid_zone,data_edition,onsite_share,"),
        "{header}"
    );
    let row = text.lines().find(|l| l.starts_with("abilene,")).unwrap();
    assert!(row.contains(",US-ERCT,"), "{row}");
}

#[test]
fn regions_lists_the_41_grid_zones_as_rows_of_level_zone() {
    let out = hashmix()
        .args(["regions", "--level", "2", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "region,name,level,parent,boundary,years,monthly_years,datasets,aliases,note,newest_years,data"
    );
    assert_eq!(lines.len(), 1 + 41);
    let note = "grid zone: a site is placed in it by its coordinates (output grid_zone); with --factors published it gets the zone's published rate where one exists on the basis, and its state's or country's mix for the shares";
    assert_eq!(
        lines[1],
        format!(
            "MY-EM,\"East Malaysia grids (Sabah, Sarawak)\",zone,MY,true,,,electricitymaps-zones,,\"{note}\",,rate"
        )
    );
    let ercot = lines.iter().find(|l| l.starts_with("US-ERCT,")).unwrap();
    assert_eq!(
        *ercot,
        format!(
            "US-ERCT,ERCOT All,zone,US,true,,,egrid-power-profiler,,\"{note}\",egrid-explorer 2019; egrid-power-profiler 2023,rate"
        )
    );
    let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(
        (count("US-"), count("NO-"), count("SE-"), count("MY-"), count("RU-")),
        (27, 5, 4, 2, 3)
    );
}

#[test]
fn regions_of_one_country_end_with_its_zones_and_other_levels_have_none() {
    let (v, code) = json_of(&["regions", "--country", "NO", "--format", "json"]);
    assert_eq!(code, 0);
    let rows: Vec<(&str, &str)> = v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["region"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    let zones: Vec<&str> = rows.iter().filter(|r| r.1 == "zone").map(|r| r.0).collect();
    assert_eq!(zones, ["NO-NO1", "NO-NO2", "NO-NO3", "NO-NO4", "NO-NO5"]);
    assert_eq!(rows.first(), Some(&("NO", "national")));
    assert_eq!(rows.last(), Some(&("NO-NO5", "zone")));
    for level in ["0", "1"] {
        let (v, _) = json_of(&["regions", "--level", level, "--format", "json"]);
        assert!(v["regions"].as_array().unwrap().iter().all(|r| r["level"] != "zone"));
    }
    let (v, _) = json_of(&["regions", "--country", "KZ", "--format", "json"]);
    assert!(v["regions"].as_array().unwrap().iter().all(|r| r["level"] != "zone"));
}

#[test]
fn compare_refuses_a_zone_without_a_published_rate_on_the_basis() {
    // Issue 22: a zone's intensity is a published rate, never its country's mix under its code.
    for (code, name, country, args) in [
        ("US-ERCT", "ERCOT All", "US", ["--factors", "ipcc", "--basis", "direct"]),
        (
            "us-erct",
            "ERCOT All",
            "US",
            ["--factors", "published", "--basis", "lifecycle"],
        ),
        (
            "se-se1",
            "Sweden bidding zone SE1 (Luleå)",
            "SE",
            ["--factors", "published", "--basis", "direct"],
        ),
    ] {
        let out = hashmix().args(["compare", "US-TX", code]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let why = match args[1] {
            "ipcc" => "give --factors published".to_string(),
            _ => format!("none is published on the {} basis", args[3]),
        };
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!(
                "hashmix: {} ({name}) is a grid zone of {country}: hashmix knows its intensity only as a published rate ({why}); compare its country {country} instead (`hashmix regions --country {country}` lists its regions and zones)\n",
                code.to_uppercase()
            )
        );
    }
}
