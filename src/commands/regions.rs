//! `hashmix regions`: every region with its place in the hierarchy and its data coverage, or
//! the boundaries themselves as GeoJSON. The grid zones (zones.geojson) follow the regions, as
//! rows of level `zone` whose parent is their country.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;

use serde::Serialize;

use crate::Error;
use crate::cli::{RegionsArgs, RegionsFormat};
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output};
use crate::grid::freshness::newest_years;
use crate::grid::published::PublishedFactors;
use crate::grid::{GridData, GridFiles, Level, MODELLED_DATASET, RegionInfo};
use crate::output::text::{Formulas, neutralise, visible};

/// The schema name of `hashmix regions --format json`.
pub const REGIONS_SCHEMA: &str = "hashmix.regions.v3";

/// One region's listing.
#[derive(Debug, Clone, Serialize)]
pub struct RegionRow {
    /// Current code.
    pub region: String,
    /// English name.
    pub name: String,
    /// world, national, subnational or zone (a grid zone: eGRID subregion, bidding zone...): the
    /// level of the region's boundary; whether its data are measured or modelled is `data`.
    pub level: &'static str,
    /// Parent region's code.
    pub parent: Option<String>,
    /// True when the region has a polygon (a site can be located in it).
    pub boundary: bool,
    /// Years with annual data, as ranges (`1990-2019,2023-2025`); empty = none (the parent's
    /// data is used).
    pub years: String,
    /// Years with monthly data, as ranges; empty = none.
    pub monthly_years: String,
    /// Datasets of the region's own data (see `sources` in assess's JSON output); for a grid
    /// zone, the dataset of its boundary.
    pub datasets: String,
    /// Former codes accepted as input.
    pub aliases: String,
    /// What to know about the region's code or boundary.
    pub note: Option<String>,
    /// The newest year of each source the region has, its mix datasets' and its published
    /// rates', by dataset id: `owid-ember 2023; ember-api 2023`; monthly data past the newest complete year by its last month: `china-nbs 2023, months to 2024-04` (v2, issue 23).
    pub newest_years: String,
    /// What the region's data are (v3, issue 23): `measured` (generation figures of its own),
    /// `modelled` (its newest annual mix is modelled from its power plants' capacity: assess's
    /// `region_level` `modelled`), `none` (no data of its own: a province uses its country's mix, a
    /// territory whose country has none is refused) or
    /// `rate` (a grid zone: a published rate, no mix).
    pub data: &'static str,
}

/// `data` of a region with generation figures of its own.
pub const DATA_MEASURED: &str = "measured";
/// `data` of a region whose newest annual mix is modelled from plant capacity.
pub const DATA_MODELLED: &str = "modelled";
/// `data` of a region without data of its own.
pub const DATA_NONE: &str = "none";
/// `data` of a grid zone.
pub const DATA_RATE: &str = "rate";

impl RegionRow {
    /// The row with each text cell neutralised as `formulas` says, for CSV: a name or code
    /// from `--grid-data` that begins with `=` is not run by a spreadsheet.
    pub fn neutralised(&self, formulas: Formulas) -> RegionRow {
        let text = |s: &str| neutralise(s, formulas).into_owned();
        RegionRow {
            region: text(&self.region),
            name: text(&self.name),
            level: self.level,
            parent: self.parent.as_deref().map(text),
            boundary: self.boundary,
            years: text(&self.years),
            monthly_years: text(&self.monthly_years),
            datasets: text(&self.datasets),
            aliases: text(&self.aliases),
            note: self.note.as_deref().map(text),
            newest_years: text(&self.newest_years),
            data: self.data,
        }
    }
}

/// `2015-2019,2021` from a sorted list of years.
fn ranges(years: &BTreeSet<u16>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(u16, u16)> = None;
    for &y in years {
        run = match run {
            Some((a, b)) if y == b + 1 => Some((a, y)),
            Some((a, b)) => {
                out.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
                Some((y, y))
            }
            None => Some((y, y)),
        };
    }
    if let Some((a, b)) = run {
        out.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
    }
    out.join(",")
}

/// The listing of one region.
pub fn row(
    grid: &GridData,
    published: &PublishedFactors,
    r: &RegionInfo,
    with_boundary: &HashSet<String>,
) -> RegionRow {
    let years: BTreeSet<u16> = grid.years(&r.code).iter().map(|m| m.year).collect();
    let monthly: BTreeSet<u16> = grid.months(&r.code).iter().map(|m| m.year).collect();
    let datasets: BTreeSet<&str> = grid
        .years(&r.code)
        .iter()
        .chain(grid.months(&r.code))
        .map(|m| m.dataset.as_str())
        .collect();
    RegionRow {
        region: r.code.clone(),
        name: r.name.clone(),
        level: r.level.name(),
        parent: r.parent.clone(),
        boundary: with_boundary.contains(&r.code),
        years: ranges(&years),
        monthly_years: ranges(&monthly),
        datasets: datasets.into_iter().collect::<Vec<_>>().join(" "),
        aliases: r.aliases.join(" "),
        note: r.note.clone(),
        newest_years: newest_years(grid, published, &r.code),
        data: match grid.years(&r.code).last() {
            Some(m) if m.dataset == MODELLED_DATASET => DATA_MODELLED,
            Some(_) => DATA_MEASURED,
            None if grid.months(&r.code).is_empty() => DATA_NONE,
            None => DATA_MEASURED,
        },
    }
}

/// The level of a grid zone's row.
pub const ZONE_LEVEL: &str = "zone";

/// What a grid zone's row says of its data.
pub const ZONE_NOTE: &str = "grid zone: a site is placed in it by its coordinates (output grid_zone); with --factors published it gets the zone's published rate where one exists on the basis, and its state's or country's mix for the shares";

/// The listing of every grid zone of zones.geojson (properties `region`, `name`, `parent`,
/// `dataset`), ordered by code.
pub fn zone_rows(text: &str) -> Result<Vec<RegionRow>, Error> {
    #[derive(serde::Deserialize)]
    struct Properties {
        region: String,
        name: String,
        parent: String,
        dataset: String,
    }
    #[derive(serde::Deserialize)]
    struct Feature {
        properties: Properties,
    }
    #[derive(serde::Deserialize)]
    struct Collection {
        features: Vec<Feature>,
    }
    let fc: Collection = serde_json::from_str(text).map_err(|e| Error::GridData {
        file: "zones.geojson".into(),
        message: e.to_string(),
    })?;
    let mut rows: Vec<RegionRow> = fc
        .features
        .into_iter()
        .map(|f| RegionRow {
            region: f.properties.region,
            name: f.properties.name,
            level: ZONE_LEVEL,
            parent: Some(f.properties.parent),
            boundary: true,
            years: String::new(),
            monthly_years: String::new(),
            datasets: f.properties.dataset,
            aliases: String::new(),
            note: Some(ZONE_NOTE.into()),
            newest_years: String::new(),
            data: DATA_RATE,
        })
        .collect();
    rows.sort_by(|a, b| a.region.cmp(&b.region));
    Ok(rows)
}

/// Codes of the features of a GeoJSON FeatureCollection with a `region` property.
fn feature_codes(text: &str, file: &str) -> Result<Vec<(String, serde_json::Value)>, Error> {
    let fc: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::GridData {
        file: file.into(),
        message: e.to_string(),
    })?;
    let features = fc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| Error::GridData {
            file: file.into(),
            message: "no features array".into(),
        })?;
    Ok(features
        .iter()
        .filter_map(|f| {
            let code = f.pointer("/properties/region")?.as_str()?.to_string();
            Some((code, f.get("geometry")?.clone()))
        })
        .collect())
}

/// Run `hashmix regions`.
pub fn run(args: &RegionsArgs) -> Result<Outcome, Error> {
    let mut out = Output::open(&args.output, &Inputs::default().folder(args.grid_data.as_deref()))?;
    let files = match &args.grid_data {
        Some(dir) => GridFiles::from_dir(dir)?,
        None => GridFiles::embedded(),
    };
    let grid = GridData::parse(&files).map_err(|e| e.in_grid_dir(args.grid_data.as_deref()))?;
    let published =
        PublishedFactors::parse(&files.published_factors).map_err(|e| e.in_grid_dir(args.grid_data.as_deref()))?;
    let country = args.country.as_deref().map(|c| c.trim().to_uppercase());
    if let Some(cc) = &country
        && grid.region(cc).is_none_or(|r| r.level != Level::National)
    {
        return Err(Error::Usage(format!(
            "--country {cc}: not a country code hashmix knows (ISO 3166-1 alpha-2, such as CN)"
        )));
    }
    let keep = |r: &RegionInfo| {
        let level_ok = match args.level {
            None => true,
            Some(0) => r.level == Level::National,
            Some(1) => r.level == Level::Subnational,
            Some(_) => false,
        };
        let country_ok = match &country {
            None => true,
            Some(cc) => &r.code == cc || r.parent.as_deref() == Some(cc.as_str()),
        };
        level_ok && country_ok
    };
    let mut geometries = feature_codes(&files.countries, "countries.geojson")?;
    geometries.extend(feature_codes(&files.subdivisions, "subdivisions.geojson")?);
    let with_boundary: HashSet<String> = geometries.iter().map(|(c, _)| c.clone()).collect();
    geometries.extend(feature_codes(&files.zones, "zones.geojson")?);
    let mut rows: Vec<RegionRow> = grid
        .regions()
        .filter(|r| keep(r))
        .map(|r| row(&grid, &published, r, &with_boundary))
        .collect();
    // The zones after the regions: `--level 2` or no level, within `--country` if given.
    if args.level.is_none_or(|l| l == 2) {
        let in_country = |z: &RegionRow| country.as_ref().is_none_or(|cc| z.parent.as_ref() == Some(cc));
        let zones = zone_rows(&files.zones)?.into_iter().filter(in_country);
        rows.extend(zones.map(|z| RegionRow {
            newest_years: newest_years(&grid, &published, &z.region),
            ..z
        }));
    }
    let csv = crate::settings::csv_options(&args.csv, args.format == RegionsFormat::Csv)?;
    match args.format {
        RegionsFormat::Table => write_table(&mut out, &rows)?,
        RegionsFormat::Csv => {
            csv.begin(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            for r in &rows {
                w.serialize(r.neutralised(csv.formulas))
                    .map_err(std::io::Error::other)?;
            }
            w.flush()?;
        }
        RegionsFormat::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                schema: &'static str,
                regions: &'a [RegionRow],
            }
            let doc = Doc {
                schema: REGIONS_SCHEMA,
                regions: &rows,
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        RegionsFormat::Geojson => write_geojson(&mut out, &rows, &geometries)?,
    }
    out.commit()?;
    Ok(Outcome::AllOk)
}

/// The regions as a fixed-width table.
fn write_table(out: &mut impl Write, rows: &[RegionRow]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<8} {:<34} {:<11} {:<8} {:<6} {:<8} {:<22} {:<10} {:<40} newest",
        "region", "name", "level", "data", "parent", "boundary", "years", "monthly", "datasets"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<8} {:<34} {:<11} {:<8} {:<6} {:<8} {:<22} {:<10} {:<40} {}",
            visible(&r.region),
            visible(&r.name).chars().take(34).collect::<String>(),
            r.level,
            r.data,
            visible(r.parent.as_deref().unwrap_or("-")),
            if r.boundary { "yes" } else { "no" },
            match (r.level, r.years.is_empty()) {
                (ZONE_LEVEL, _) => "-",
                (_, true) => "- (parent's)",
                _ => &r.years,
            },
            if r.monthly_years.is_empty() {
                "-"
            } else {
                &r.monthly_years
            },
            visible(&r.datasets),
            match r.newest_years.is_empty() {
                true => "-".into(),
                false => visible(&r.newest_years),
            }
        )?;
    }
    Ok(())
}

/// The regions' boundaries as a GeoJSON FeatureCollection, in code order.
fn write_geojson(
    out: &mut impl Write,
    rows: &[RegionRow],
    geometries: &[(String, serde_json::Value)],
) -> std::io::Result<()> {
    let by_code: std::collections::HashMap<&str, &RegionRow> = rows.iter().map(|r| (r.region.as_str(), r)).collect();
    writeln!(out, r#"{{"type":"FeatureCollection","features":["#)?;
    let mut first = true;
    let mut features: Vec<&(String, serde_json::Value)> = geometries
        .iter()
        .filter(|(c, _)| by_code.contains_key(c.as_str()))
        .collect();
    features.sort_by(|a, b| a.0.cmp(&b.0));
    for (code, geometry) in features {
        let r = by_code[code.as_str()];
        let feature = serde_json::json!({
            "type": "Feature",
            "properties": {"region": r.region, "name": r.name, "level": r.level, "parent": r.parent},
            "geometry": geometry,
        });
        if !first {
            writeln!(out, ",")?;
        }
        first = false;
        serde_json::to_writer(&mut *out, &feature).map_err(std::io::Error::other)?;
    }
    writeln!(out, "\n]}}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_text_cells_are_neutralised_for_csv_and_its_flag_is_kept() {
        // Issue 20: names and codes can come from --grid-data.
        let row = RegionRow {
            region: "XX-1".into(),
            name: "=HYPERLINK(\"http://x\")".into(),
            level: "subnational",
            parent: Some("-XX".into()),
            boundary: true,
            years: "1990-2019".into(),
            monthly_years: String::new(),
            datasets: "@data".into(),
            aliases: "+X".into(),
            note: Some("\tnote".into()),
            newest_years: "=x 2023".into(),
            data: DATA_MEASURED,
        };
        let n = row.neutralised(Formulas::Neutralise);
        assert_eq!(
            (
                n.name.as_str(),
                n.parent.as_deref(),
                n.datasets.as_str(),
                n.aliases.as_str(),
                n.note.as_deref()
            ),
            (
                "'=HYPERLINK(\"http://x\")",
                Some("'-XX"),
                "'@data",
                "'+X",
                Some("'\tnote")
            )
        );
        assert_eq!(
            (n.region.as_str(), n.years.as_str(), n.boundary),
            ("XX-1", "1990-2019", true)
        );
        let kept = row.neutralised(Formulas::Allow);
        assert_eq!((kept.name, kept.parent), (row.name.clone(), row.parent.clone()));
    }

    #[test]
    fn zones_are_listed_by_code_as_rows_of_level_zone_under_their_country() {
        // Issue 22.
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"region":"SE-SE3","name":"Stockholm","parent":"SE","dataset":"em"},"geometry":null},
            {"type":"Feature","properties":{"region":"SE-SE1","name":"Luleå","parent":"SE","dataset":"em"},"geometry":null}]}"#;
        let rows = zone_rows(text).unwrap();
        let got: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {:?} {} {}",
                    r.region, r.name, r.level, r.parent, r.boundary, r.datasets
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "SE-SE1 Luleå zone Some(\"SE\") true em",
                "SE-SE3 Stockholm zone Some(\"SE\") true em"
            ]
        );
        assert_eq!((rows[0].years.as_str(), rows[0].note.as_deref()), ("", Some(ZONE_NOTE)));
        let broken = zone_rows("{").unwrap_err().to_string();
        assert!(broken.starts_with("grid data zones.geojson: "), "{broken}");
    }

    #[test]
    fn year_lists_become_ranges() {
        let years: BTreeSet<u16> = [1990, 1991, 1992, 2019, 2023, 2024, 2025].into_iter().collect();
        assert_eq!(ranges(&years), "1990-1992,2019,2023-2025");
        assert_eq!(ranges(&BTreeSet::new()), "");
    }
}
