//! Where grid-data comes from at run time: the copy embedded in the binary, or a directory
//! given with `--grid-data DIR`.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;

/// The text of every grid-data file.
#[derive(Debug, Clone)]
pub struct GridFiles {
    /// regions.csv
    pub regions: String,
    /// mix-annual.csv
    pub mix_annual: String,
    /// mix-monthly.csv
    pub mix_monthly: String,
    /// emission-factors.csv
    pub emission_factors: String,
    /// miners.csv
    pub miners: String,
    /// countries.geojson
    pub countries: String,
    /// subdivisions.geojson
    pub subdivisions: String,
    /// datasets.csv
    pub datasets: String,
    /// policy-events.csv
    pub policy_events: String,
    /// risk-rules.toml
    pub risk_rules: String,
    /// neighbours.csv
    pub neighbours: String,
    /// mining-regions.csv
    pub mining_regions: String,
    /// uncertainty.toml
    pub uncertainty: String,
}

impl GridFiles {
    /// The copy built into the binary.
    pub fn embedded() -> GridFiles {
        GridFiles {
            regions: include_str!("../../grid-data/regions.csv").into(),
            mix_annual: include_str!("../../grid-data/mix-annual.csv").into(),
            mix_monthly: include_str!("../../grid-data/mix-monthly.csv").into(),
            emission_factors: include_str!("../../grid-data/emission-factors.csv").into(),
            miners: include_str!("../../grid-data/miners.csv").into(),
            countries: include_str!("../../grid-data/countries.geojson").into(),
            subdivisions: include_str!("../../grid-data/subdivisions.geojson").into(),
            datasets: include_str!("../../grid-data/datasets.csv").into(),
            policy_events: include_str!("../../grid-data/policy-events.csv").into(),
            risk_rules: include_str!("../../grid-data/risk-rules.toml").into(),
            neighbours: include_str!("../../grid-data/neighbours.csv").into(),
            mining_regions: include_str!("../../grid-data/mining-regions.csv").into(),
            uncertainty: include_str!("../../grid-data/uncertainty.toml").into(),
        }
    }

    /// Another copy, from a directory holding the same files.
    pub fn from_dir(dir: &Path) -> Result<GridFiles, Error> {
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path).map_err(|source| Error::Read { path, source })
        };
        Ok(GridFiles {
            regions: read("regions.csv")?,
            mix_annual: read("mix-annual.csv")?,
            mix_monthly: read("mix-monthly.csv")?,
            emission_factors: read("emission-factors.csv")?,
            miners: read("miners.csv")?,
            countries: read("countries.geojson")?,
            subdivisions: read("subdivisions.geojson")?,
            datasets: read("datasets.csv")?,
            policy_events: read("policy-events.csv")?,
            risk_rules: read("risk-rules.toml")?,
            neighbours: read("neighbours.csv")?,
            mining_regions: read("mining-regions.csv")?,
            uncertainty: read("uncertainty.toml")?,
        })
    }
}

/// A dataset that grid-data is built from, as listed in the JSON output's `sources`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Dataset {
    /// Short id, referenced from the data tables.
    pub id: String,
    /// Title of the dataset.
    pub title: String,
    /// Who publishes it.
    pub publisher: String,
    /// Release or vintage used.
    pub vintage: String,
    /// Licence.
    pub licence: String,
    /// Where to find it.
    pub url: String,
    /// What hashmix uses it for.
    pub used_for: String,
}

pub(super) fn parse_datasets(text: &str) -> Result<Vec<Dataset>, Error> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.deserialize()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| Error::GridData {
                file: "datasets.csv".into(),
                message: format!("line {}: {e}", i + 2),
            })
        })
        .collect()
}
