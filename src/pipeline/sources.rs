//! The output's `sources`: the datasets a run used, not every dataset hashmix ships (issue 22).
//!
//! What each part of a result draws on is resolved to the datasets' places in datasets.csv
//! once, at the start ([`RunDatasets`]); a row then marks its datasets in its result by `or`ing
//! fixed sets of bits, and the portfolio merges them. The sources list the datasets marked, in
//! the order of datasets.csv, then the copy of the grid data and the risk rules used.
//!
//! A row uses: the country polygons when its coordinates placed it, the province polygons
//! when they placed it in a province (and the 1:50m boundary for the two Brazilian states cut
//! along it), the zone polygons of the zone it got, the miner catalogue when it names a model,
//! and, once it has a region with a mix, that mix's generation datasets, the emission factors,
//! the policy events and the risk rules (with the boundaries behind neighbours.csv when the
//! risk cites a neighbour's measure).

use std::sync::OnceLock;

use super::Assessor;
use super::region_lookup::RegionMix;
use crate::grid::{Dataset, DatasetIndex, GridData, GridFiles, SiteMix, UsedDatasets};
use crate::regions::{RegionIndex, Zone};
use crate::risk::Risk;

/// The country polygons (datasets.csv id).
const COUNTRIES: &str = "natural-earth-admin0";
/// The province and state polygons.
const SUBDIVISIONS: &str = "natural-earth-admin1";
/// The 1:50m provinces, which give one boundary (grid-data/SOURCES.md, "Brazil").
const SUBDIVISIONS_50M: &str = "natural-earth-admin1-50m";
/// The provinces whose polygons were cut along the 1:50m boundary between Minas Gerais and
/// Mato Grosso do Sul (grid-data/SOURCES.md, "Brazil"; tools/subnational.py `_split_minas_gerais`).
const CUT_ALONG_50M: [&str; 2] = ["BR-MG", "BR-MS"];
/// The default emission factors (the lifecycle and the direct set alike).
const IPCC_FACTORS: &str = "ipcc-ar5";
/// The miner catalogue.
const MINER_CATALOGUE: &str = "miner-catalogue";
/// The policy events the risk is scored from.
const POLICY_EVENTS: &str = "policy-events";

/// What each part of a result draws on, as places in datasets.csv, resolved at the start. A
/// dataset a `--grid-data` copy does not list is simply not marked.
pub(super) struct RunDatasets {
    /// A site placed by its coordinates.
    by_coordinates: UsedDatasets,
    /// A site placed in each province of the subdivisions' index (by its place there).
    subdivisions: Vec<UsedDatasets>,
    /// A site whose row names a miner model.
    catalogue: UsedDatasets,
    /// A site with a region and a mix, besides the mix's own datasets: the factors, the
    /// policy events and the risk rules.
    with_mix: UsedDatasets,
    /// A risk that cites a measure in a neighbouring region: neighbours.csv is drawn from the
    /// country and the province polygons (grid-data/SOURCES.md).
    neighbours: UsedDatasets,
    /// The zone polygons' dataset of each zone code, sorted by code; read from zones.geojson's
    /// properties when a site first gets a zone.
    zones: OnceLock<Vec<(String, Option<DatasetIndex>)>>,
    /// zones.geojson, kept to read the zones' datasets from (borrowed when embedded).
    zones_geojson: std::borrow::Cow<'static, str>,
}

impl RunDatasets {
    /// Resolve the datasets of each part once.
    pub(super) fn new(grid: &GridData, files: &GridFiles, subdivisions: &RegionIndex) -> RunDatasets {
        let one = |id: &str| grid.used_dataset(id);
        let province = one(SUBDIVISIONS);
        let cut = province.with(one(SUBDIVISIONS_50M));
        RunDatasets {
            by_coordinates: one(COUNTRIES),
            subdivisions: subdivisions
                .regions()
                .iter()
                .map(|r| {
                    if CUT_ALONG_50M.contains(&r.code.as_str()) {
                        cut
                    } else {
                        province
                    }
                })
                .collect(),
            catalogue: one(MINER_CATALOGUE),
            neighbours: one(COUNTRIES).with(one(SUBDIVISIONS)),
            with_mix: UsedDatasets::of(DatasetIndex::EMISSION_FACTORS)
                .with(UsedDatasets::of(DatasetIndex::RISK_RULES))
                .with(one(POLICY_EVENTS)),
            zones: OnceLock::new(),
            zones_geojson: files.zones.clone(),
        }
    }

    /// A site placed by its coordinates, in the province at place `subdivision` of the
    /// subdivisions' index if it was placed in one.
    pub(super) fn placed(&self, subdivision: Option<usize>) -> UsedDatasets {
        let province = subdivision.and_then(|j| self.subdivisions.get(j).copied());
        self.by_coordinates.with(province.unwrap_or_default())
    }

    /// A site whose row names a miner model, which the catalogue was asked for.
    pub(super) fn catalogue(&self) -> UsedDatasets {
        self.catalogue
    }

    /// A site with a region and a mix: the mix's datasets, the factors, the events, the rules,
    /// and the boundaries when its risk cites a neighbour's measure.
    pub(super) fn with_mix(&self, mix: UsedDatasets, risk: &Risk) -> UsedDatasets {
        let neighbours = if risk.cites_neighbour {
            self.neighbours
        } else {
            UsedDatasets::NONE
        };
        self.with_mix.with(mix).with(neighbours)
    }

    /// A site in grid zone `code`: the dataset of the zone's polygon.
    pub(super) fn zone(&self, grid: &GridData, code: &str) -> UsedDatasets {
        let zones = self.zones.get_or_init(|| zone_datasets(grid, &self.zones_geojson));
        let mut used = UsedDatasets::NONE;
        if let Ok(i) = zones.binary_search_by(|(c, _)| c.as_str().cmp(code)) {
            used.mark_if(zones[i].1);
        }
        used
    }
}

/// Each zone's code and the place in datasets.csv of its polygon's dataset (zones.geojson's
/// properties `region` and `dataset`), sorted by code.
fn zone_datasets(grid: &GridData, geojson: &str) -> Vec<(String, Option<DatasetIndex>)> {
    #[derive(serde::Deserialize)]
    struct Properties {
        region: String,
        dataset: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Feature {
        properties: Properties,
    }
    #[derive(serde::Deserialize)]
    struct Collection {
        features: Vec<Feature>,
    }
    // The file was read into the zones' index at the start (or checked when hashmix was
    // built), so it parses; were it not to, no zone would name a dataset.
    let Ok(fc) = serde_json::from_str::<Collection>(geojson) else {
        return Vec::new();
    };
    let mut zones: Vec<(String, Option<DatasetIndex>)> = fc
        .features
        .into_iter()
        .map(|f| {
            let dataset = f.properties.dataset.and_then(|d| grid.dataset_index(&d));
            (f.properties.region, dataset)
        })
        .collect();
    zones.sort_by(|a, b| a.0.cmp(&b.0));
    zones
}

impl Assessor {
    /// Which copy of the grid data and which risk rules the run used, as two rows of the
    /// output's `sources` (ids `grid-data` and `risk-rules`).
    fn data_used(&self) -> [Dataset; 2] {
        let (title, vintage) = match &self.grid_data {
            Some(dir) => (
                format!("grid data from {}", dir.display()),
                "as found in that directory".to_string(),
            ),
            None => (
                "grid data embedded in hashmix".to_string(),
                format!("hashmix {}", env!("CARGO_PKG_VERSION")),
            ),
        };
        let row = |id: &str, title: String, vintage: String, used_for: &str| Dataset {
            id: id.into(),
            title,
            publisher: "hashmix".into(),
            vintage,
            licence: String::new(),
            url: String::new(),
            used_for: used_for.into(),
        };
        [
            row(
                "grid-data",
                title,
                vintage,
                "every table behind the results: regions, mixes, factors, miners, policy events",
            ),
            row(
                "risk-rules",
                format!("risk rules: {}", self.risk.rules_label),
                String::new(),
                "crackdown-risk rules and weights",
            ),
        ]
    }

    /// The datasets behind what a located site gets: the boundaries that `placed` it, its
    /// region's mix, factors, events and rules, and its grid zone's polygon.
    pub(super) fn located_datasets(&self, placed: UsedDatasets, m: &RegionMix, zone: Option<&Zone>) -> UsedDatasets {
        let mut used = placed
            .with(self.datasets.with_mix(m.mix.datasets, &m.result.risk.risk))
            .with(m.rate_datasets);
        if let Some(zone) = zone {
            used.merge(self.datasets.zone(&self.grid, zone.code));
        }
        used
    }

    /// The datasets a region's row of `compare` (or the backtest's score of a region) draws
    /// on: the mix's generation datasets, the emission factors, the policy events, the risk
    /// rules, and the boundaries behind neighbours.csv when `risk` cites a neighbour's measure.
    pub fn mix_datasets(&self, mix: &SiteMix, risk: &Risk) -> UsedDatasets {
        self.datasets.with_mix(mix.datasets, risk)
    }

    /// The datasets behind the results, for the output's `sources`: those in `used` (a
    /// portfolio's [`datasets`](crate::assess::Portfolio::datasets)), in the order of
    /// datasets.csv, then the copy of the grid data (always: every row was read against its
    /// tables) and the risk rules (when a risk was scored); the user's factors last.
    pub fn sources(&self, used: UsedDatasets) -> Vec<Dataset> {
        let factors = used.contains(DatasetIndex::EMISSION_FACTORS);
        let mut out: Vec<Dataset> = Vec::new();
        for (i, d) in self.grid.datasets.iter().enumerate() {
            let marked = DatasetIndex::of_row(i).is_some_and(|x| used.contains(x));
            if marked || (d.id == IPCC_FACTORS && factors && !self.user_factors) {
                out.push(d.clone());
            }
        }
        let [grid_data, risk_rules] = self.data_used();
        out.push(grid_data);
        if used.contains(DatasetIndex::RISK_RULES) {
            out.push(risk_rules);
        }
        for d in out.iter_mut().filter(|d| d.id == IPCC_FACTORS) {
            d.used_for = format!("emission factors: {}", self.intensity_text());
        }
        if self.user_factors && factors {
            out.push(Dataset {
                id: "user-factors".into(),
                title: self.factors.label.clone(),
                publisher: "the user".into(),
                vintage: String::new(),
                licence: String::new(),
                url: String::new(),
                used_for: format!(
                    "emission factors per source, on the {} basis that --basis declares",
                    self.basis.name()
                ),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Portfolio;
    use crate::pipeline::Options;
    use crate::sites::SiteReader;

    /// The ids of the sources of a run over `csv`.
    fn source_ids(assessor: &Assessor, csv: &str) -> Vec<String> {
        let mut reader = SiteReader::from_bytes(csv.as_bytes().to_vec(), "test").unwrap();
        let mut portfolio = Portfolio::default();
        while let Some(row) = reader.next_row() {
            assessor.assess_into(row.unwrap(), &mut portfolio);
        }
        assessor.sources(portfolio.datasets).into_iter().map(|d| d.id).collect()
    }

    /// What a site in a Chinese province uses: the country and province polygons (for a declared
    /// province, those behind neighbours.csv), NBS's mix with China's OWID/Ember thermal split and
    /// GEM's coal and gas capacity (issue 23), the IPCC factors (read by the risk), the events,
    /// MEE's factor, the grid data and rules.
    const CHINESE_PROVINCE: [&str; 10] = [
        "natural-earth-admin0",
        "natural-earth-admin1",
        "owid-ember",
        "china-nbs",
        "gem-plants",
        "ipcc-ar5",
        "policy-events",
        "mee-china-2023",
        "grid-data",
        "risk-rules",
    ];

    fn embedded() -> Assessor {
        Assessor::embedded(Options::default()).unwrap()
    }

    // Issue 22: every dataset was listed whatever a run used. Leshan is placed by its
    // coordinates in China (admin 0), then in Sichuan (admin 1); CN-SC's 2023 row is NBS's,
    // its thermal split China's national mix from OWID/Ember and GEM's coal and gas capacity
    // (issue 23; the row's note); its intensity
    // MEE's 2023 provincial factor (the default published rates); the IPCC factors are still
    // read by the risk; no model, no zone (China has none).
    #[test]
    fn a_site_in_sichuan_lists_exactly_the_datasets_it_used() {
        let csv = "id,lat,lon,hashrate_ths,efficiency_j_per_th\nleshan,29.5521,103.7656,1000,30\n";
        assert_eq!(source_ids(&embedded(), csv), CHINESE_PROVINCE);
    }

    #[test]
    fn a_run_without_an_ok_row_lists_only_what_its_rows_used() {
        let assessor = embedded();
        // A latitude that is not a number: nothing placed, nothing looked up; the copy of
        // the grid data is named still (its tables read the row).
        let unplaced = "id,lat,lon,hashrate_ths,efficiency_j_per_th\nx,north,75.3,1000,30\n";
        assert_eq!(source_ids(&assessor, unplaced), ["grid-data"]);
        // An unknown model in Kazakhstan, declared: the catalogue was asked, and the row,
        // failed in its size, still gets its region's mix, intensity and risk (issue 20). The
        // risk cites Kyrgyzstan's 2025-11-12 ban next door, found through neighbours.csv, so the
        // boundaries are credited (issue 23).
        let unknown_model = "id,region,machines,model\nkz,KZ,10,Antminer Z99\n";
        assert_eq!(
            source_ids(&assessor, unknown_model),
            [
                "natural-earth-admin0",
                "natural-earth-admin1",
                "owid-ember",
                "ipcc-ar5",
                "miner-catalogue",
                "policy-events",
                "grid-data",
                "risk-rules"
            ]
        );
        assert_eq!(source_ids(&assessor, "id,region,hashrate_ths\n"), ["grid-data"]);
    }

    #[test]
    fn a_users_factor_file_replaces_the_ipcc_row_only_when_a_mix_was_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(
            &path,
            "source,g_per_kwh\ncoal,900\ngas,400\noil,700\nnuclear,5\nhydro,10\nwind,10\nsolar,30\nbioenergy,200\nother_renewables,20\n",
        )
        .unwrap();
        let assessor = Assessor::embedded(Options {
            factors: Some(crate::grid::factors::FactorChoice::File(path.display().to_string())),
            ..Options::default()
        })
        .unwrap();
        // Kazakhstan's risk cites Kyrgyzstan's ban next door: the boundaries are credited.
        let kz = "id,region,hashrate_ths,efficiency_j_per_th\nkz,KZ,1000,30\n";
        assert_eq!(
            source_ids(&assessor, kz),
            [
                "natural-earth-admin0",
                "natural-earth-admin1",
                "owid-ember",
                "policy-events",
                "grid-data",
                "risk-rules",
                "user-factors"
            ]
        );
        assert_eq!(source_ids(&assessor, "id,region\n"), ["grid-data"]);
    }

    // Issue 22: a risk that cites a measure next door found it through neighbours.csv, which
    // is drawn from the polygons. Xinjiang, declared (no coordinates), has Laos's proposed
    // ban among its reasons (neighbour of CN-XJ); Iran's risk cites no measure next door (since
    // issue 23 Kazakhstan's does: Kyrgyzstan's 2025-11-12 ban).
    #[test]
    fn a_risk_citing_a_neighbours_measure_credits_the_boundaries_behind_neighbours_csv() {
        let assessor = embedded();
        let xj = "id,region,hashrate_ths,efficiency_j_per_th\nxj,CN-XJ,1000,30\n";
        assert_eq!(source_ids(&assessor, xj), CHINESE_PROVINCE);
        let ir = "id,region,hashrate_ths,efficiency_j_per_th\nir,IR,1000,30\n";
        assert_eq!(
            source_ids(&assessor, ir),
            ["owid-ember", "ipcc-ar5", "policy-events", "grid-data", "risk-rules"]
        );
    }
}
