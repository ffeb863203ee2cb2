//! regions.csv: the region hierarchy (province -> country -> world) with former codes, read
//! and checked once so that every walk up the hierarchy ends.

use std::collections::{BTreeMap, HashMap};

use super::{Level, RegionInfo, grid_err};
use crate::Error;

/// The first columns of regions.csv, in order.
const REGION_COLUMNS: [&str; 4] = ["region", "name", "level", "parent"];

/// Regions by code, and former codes -> current code.
pub(super) type RegionTable = (BTreeMap<String, RegionInfo>, HashMap<String, String>);

/// Parse regions.csv: check its header, read each row, then check that every parent exists
/// and that no chain of parents loops.
pub(super) fn parse_regions(text: &str) -> Result<RegionTable, Error> {
    let mut regions = BTreeMap::new();
    let mut aliases = HashMap::new();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().map_err(|e| grid_err("regions.csv", 1, e))?.clone();
    check_region_header(&header)?;
    for (i, row) in rdr.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| grid_err("regions.csv", line, e))?;
        let info = parse_region_row(&row, line)?;
        for a in &info.aliases {
            aliases.insert(a.clone(), info.code.clone());
        }
        regions.insert(info.code.clone(), info);
    }
    check_parents_known(&regions)?;
    check_no_cycle(&regions)?;
    Ok((regions, aliases))
}

/// Refuse a regions.csv whose first columns are not [`REGION_COLUMNS`], in order.
fn check_region_header(header: &csv::StringRecord) -> Result<(), Error> {
    for (j, name) in REGION_COLUMNS.iter().enumerate() {
        if header.get(j) != Some(name) {
            return Err(grid_err(
                "regions.csv",
                1,
                format!("column {} is '{}': expected {name}", j + 1, header.get(j).unwrap_or("")),
            ));
        }
    }
    Ok(())
}

/// One row of regions.csv: region, name, level, parent, (alpha-3), aliases, note.
fn parse_region_row(row: &csv::StringRecord, line: usize) -> Result<RegionInfo, Error> {
    let cell = |j: usize| row.get(j).unwrap_or("");
    let level = match cell(2) {
        "world" => Level::World,
        "national" => Level::National,
        "subnational" => Level::Subnational,
        other => {
            return Err(grid_err(
                "regions.csv",
                line,
                format!("column level: '{other}': expected world, national or subnational"),
            ));
        }
    };
    if cell(0).is_empty() {
        return Err(grid_err(
            "regions.csv",
            line,
            "column region: '': expected a region code",
        ));
    }
    let parent = (!cell(3).is_empty()).then(|| cell(3).to_string());
    Ok(RegionInfo {
        code: cell(0).to_string(),
        name: cell(1).to_string(),
        level,
        parent,
        aliases: cell(5).split_whitespace().map(str::to_string).collect(),
        note: row.get(6).filter(|n| !n.is_empty()).map(str::to_string),
    })
}

/// Refuse a parent that is not itself a region. The line reported is the region's place in
/// code order.
fn check_parents_known(regions: &BTreeMap<String, RegionInfo>) -> Result<(), Error> {
    for (i, r) in regions.values().enumerate() {
        if let Some(p) = &r.parent
            && !regions.contains_key(p)
        {
            return Err(grid_err(
                "regions.csv",
                i + 2,
                format!("parent {p} of {} is unknown", r.code),
            ));
        }
    }
    Ok(())
}

/// Refuse parents that lead back to a region: every walk up the hierarchy (the fallback from a
/// province to its country, the risk's relations) would never end.
fn check_no_cycle(regions: &BTreeMap<String, RegionInfo>) -> Result<(), Error> {
    for start in regions.values() {
        let mut chain = vec![start.code.as_str()];
        let mut current = start;
        while let Some(p) = current.parent.as_deref().and_then(|p| regions.get(p)) {
            if chain.contains(&p.code.as_str()) {
                chain.push(&p.code);
                return Err(Error::GridData {
                    file: "regions.csv".into(),
                    message: format!(
                        "column parent: the parents of {} form a cycle ({}): expected each chain of parents to end at a region without one",
                        start.code,
                        chain.join(" -> ")
                    ),
                });
            }
            chain.push(&p.code);
            current = p;
        }
    }
    Ok(())
}
