//! Where grid-data comes from at run time: the copy embedded in the binary, or a directory
//! given with `--grid-data DIR`.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;

/// The text of a grid-data file: borrowed from the binary when embedded (no copy at start-up),
/// owned when read from `--grid-data DIR`.
pub type Text = std::borrow::Cow<'static, str>;

/// The text of every grid-data file.
#[derive(Debug, Clone)]
pub struct GridFiles {
    /// regions.csv
    pub regions: Text,
    /// mix-annual.csv
    pub mix_annual: Text,
    /// mix-monthly.csv
    pub mix_monthly: Text,
    /// emission-factors.csv
    pub emission_factors: Text,
    /// miners.csv
    pub miners: Text,
    /// countries.geojson
    pub countries: Text,
    /// subdivisions.geojson
    pub subdivisions: Text,
    /// zones.geojson: the grid zones (eGRID subregions, bidding zones), property `parent` the
    /// country.
    pub zones: Text,
    /// datasets.csv
    pub datasets: Text,
    /// policy-events.csv
    pub policy_events: Text,
    /// risk-rules.toml
    pub risk_rules: Text,
    /// neighbours.csv
    pub neighbours: Text,
    /// mining-regions.csv
    pub mining_regions: Text,
    /// uncertainty.toml
    pub uncertainty: Text,
    /// published-factors.csv: the published regional rates (see `grid::published`).
    pub published_factors: Text,
    /// onsite-fuels.csv: the direct factors of fuels burnt on site (see `scope::fuels`).
    pub onsite_fuels: Text,
    /// countries.geojson as build.rs prepared it (embedded data only).
    pub countries_bin: Option<&'static [u8]>,
    /// subdivisions.geojson as build.rs prepared it (embedded data only).
    pub subdivisions_bin: Option<&'static [u8]>,
    /// zones.geojson as build.rs prepared it (embedded data only).
    pub zones_bin: Option<&'static [u8]>,
}

impl GridFiles {
    /// The copy built into the binary.
    pub fn embedded() -> GridFiles {
        GridFiles {
            regions: Text::Borrowed(include_str!("../../grid-data/regions.csv")),
            mix_annual: Text::Borrowed(include_str!("../../grid-data/mix-annual.csv")),
            mix_monthly: Text::Borrowed(include_str!("../../grid-data/mix-monthly.csv")),
            emission_factors: Text::Borrowed(include_str!("../../grid-data/emission-factors.csv")),
            miners: Text::Borrowed(include_str!("../../grid-data/miners.csv")),
            countries: Text::Borrowed(include_str!("../../grid-data/countries.geojson")),
            subdivisions: Text::Borrowed(include_str!("../../grid-data/subdivisions.geojson")),
            zones: Text::Borrowed(include_str!("../../grid-data/zones.geojson")),
            datasets: Text::Borrowed(include_str!("../../grid-data/datasets.csv")),
            policy_events: Text::Borrowed(include_str!("../../grid-data/policy-events.csv")),
            risk_rules: Text::Borrowed(include_str!("../../grid-data/risk-rules.toml")),
            neighbours: Text::Borrowed(include_str!("../../grid-data/neighbours.csv")),
            mining_regions: Text::Borrowed(include_str!("../../grid-data/mining-regions.csv")),
            uncertainty: Text::Borrowed(include_str!("../../grid-data/uncertainty.toml")),
            published_factors: Text::Borrowed(include_str!("../../grid-data/published-factors.csv")),
            onsite_fuels: Text::Borrowed(include_str!("../../grid-data/onsite-fuels.csv")),
            countries_bin: Some(include_bytes!(concat!(env!("OUT_DIR"), "/countries.bin"))),
            subdivisions_bin: Some(include_bytes!(concat!(env!("OUT_DIR"), "/subdivisions.bin"))),
            zones_bin: Some(include_bytes!(concat!(env!("OUT_DIR"), "/zones.bin"))),
        }
    }

    /// Another copy, from a directory holding the same files.
    pub fn from_dir(dir: &Path) -> Result<GridFiles, Error> {
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path)
                .map(Text::Owned)
                .map_err(|source| Error::Read { path, source })
        };
        Ok(GridFiles {
            regions: read("regions.csv")?,
            mix_annual: read("mix-annual.csv")?,
            mix_monthly: read("mix-monthly.csv")?,
            emission_factors: read("emission-factors.csv")?,
            miners: read("miners.csv")?,
            countries: read("countries.geojson")?,
            subdivisions: read("subdivisions.geojson")?,
            zones: read("zones.geojson")?,
            datasets: read("datasets.csv")?,
            policy_events: read("policy-events.csv")?,
            risk_rules: read("risk-rules.toml")?,
            neighbours: read("neighbours.csv")?,
            mining_regions: read("mining-regions.csv")?,
            uncertainty: read("uncertainty.toml")?,
            published_factors: read("published-factors.csv")?,
            onsite_fuels: read("onsite-fuels.csv")?,
            countries_bin: None,
            subdivisions_bin: None,
            zones_bin: None,
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

/// Parse datasets.csv: at most [`MAX_DATASETS`](super::MAX_DATASETS) rows, each id once.
pub(super) fn parse_datasets(text: &str) -> Result<Vec<Dataset>, Error> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let datasets: Vec<Dataset> = rdr
        .deserialize()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| Error::GridData {
                file: "datasets.csv".into(),
                message: format!("line {}: {e}", i + 2),
            })
        })
        .collect::<Result<_, _>>()?;
    super::used::check_ids(&datasets.iter().map(|d| d.id.as_str()).collect::<Vec<_>>())?;
    Ok(datasets)
}
