//! Reports people read: the results of an assessment as one self-contained HTML file (inline
//! CSS and SVG, nothing fetched) or as Markdown with the charts as SVG files beside it.
//!
//! A report holds its sites in memory, unlike `assess`, which streams: it is meant for a
//! fleet a person reads. The per-site table shows at most [`MAX_TABLE_ROWS`] rows, the
//! charts the [`MAX_CHART_ROWS`] largest emitters and the map the [`MAX_MAP_SITES`] sites
//! drawing the most power; the report says when it leaves any out.

pub mod caveats;
pub mod choropleth;
pub mod content;
pub mod first_page;
pub mod format;
pub mod html;
pub mod map;
pub mod map_layers;
pub mod markdown;
pub mod svg;

use std::collections::BTreeMap;

use crate::assess::Portfolio;
use crate::assess::{SiteResult, Status};
use crate::grid::Dataset;
use crate::output::PortfolioRecord;
use crate::pipeline::{ASSESS_SCHEMA, Assessor};
use crate::uncertainty::UncertaintyInfo;
use map_layers::MapLayers;

/// Most sites in the per-site table.
pub const MAX_TABLE_ROWS: usize = 500;
/// Most regions in the bar, scatter and interval charts (those whose sites emit the most).
pub const MAX_CHART_ROWS: usize = 40;
/// Most sites marked on the map (those drawing the most power): as many as the table shows,
/// some 75 KB of SVG, where a million markers made a 116 MB file.
pub const MAX_MAP_SITES: usize = MAX_TABLE_ROWS;

/// One region's data vintage, for the freshness table.
#[derive(Debug, Clone, PartialEq)]
pub struct Freshness {
    /// The region whose data was used.
    pub data_region: String,
    /// The year of the data.
    pub data_year: u16,
    /// The months of monthly data, if any.
    pub data_month: Option<String>,
    /// Sites that use it.
    pub sites: usize,
    /// The newest year of each source the data region has: `ember-api 2023; owid-ember 2000`.
    pub newest: String,
    /// The warning when the region's newest data are stale (see
    /// [`crate::grid::GridData::staleness`]), none when current.
    pub stale: Option<crate::grid::Staleness>,
}

/// The charts, as SVG.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    /// The mix of each site, stacked bars.
    pub mix: String,
    /// Intensity against risk score, a marker per region sized by its sites' power.
    pub risk: String,
    /// The scatter's points drawn without a label (no free place), listed under it.
    pub risk_unlabelled: Vec<String>,
    /// Regions in the charts (at most [`MAX_CHART_ROWS`]).
    pub regions_charted: usize,
    /// Regions the assessed sites are in.
    pub regions: usize,
    /// 90% intervals of the intensity (with draws).
    pub intervals: Option<String>,
    /// The map (sites with coordinates).
    pub map: Option<String>,
    /// Sites marked on the map.
    pub map_drawn: usize,
    /// Assessed sites with coordinates, marked or not.
    pub map_sites: usize,
}

/// Everything a report shows; its sites borrow from the [`Assessor`] that assessed them.
pub struct Report<'a> {
    /// The report's title (`--title`, else the input file's name).
    pub title: String,
    /// The input's name as messages give it (a path, or `standard input`).
    pub input: String,
    /// The input file's name without its folder, as the report shows it.
    pub input_file: String,
    /// Every row, in input order.
    pub sites: Vec<SiteResult<'a>>,
    /// Totals.
    pub portfolio: PortfolioRecord,
    /// Datasets behind the numbers.
    pub sources: Vec<Dataset>,
    /// The draws behind the intervals.
    pub uncertainty: Option<UncertaintyInfo>,
    /// Emission factors used.
    pub factors: String,
    /// Whether a site's intensity is a published rate where one exists (`--factors published`).
    pub published_rates: bool,
    /// The day risk is scored as of.
    pub risk_as_of: String,
    /// The risk rules used.
    pub risk_rules: String,
    /// `--year`, if given.
    pub year: Option<u16>,
    /// Which data year each data region contributed.
    pub freshness: Vec<Freshness>,
    /// The charts.
    pub charts: Charts,
    /// The Scope 1/2 table and the instruments' verdicts (issue 24).
    pub scope: crate::output::esrs::ScopeTail,
}

impl<'a> Report<'a> {
    /// Build the report from the results of an assessment, every row in input order (see
    /// [`crate::stream::Collected`]), and their portfolio; `input` names the sites' input.
    pub fn of(
        assessor: &'a Assessor,
        title: String,
        input: String,
        sites: Vec<SiteResult<'a>>,
        portfolio: &Portfolio,
    ) -> Report<'a> {
        let mut freshness: BTreeMap<(String, u16, Option<String>), usize> = BTreeMap::new();
        for s in sites.iter().filter(|s| s.status() == Status::Ok) {
            if let (Some(r), Some(y)) = (s.data_region(), s.data_year()) {
                *freshness
                    .entry((r.to_string(), y, s.data_month().map(str::to_string)))
                    .or_default() += 1;
            }
        }
        let charts = charts(assessor, &sites);
        Report {
            title,
            input_file: default_title(&input),
            input,
            portfolio: crate::output::PortfolioRecord::of(assessor, portfolio),
            sources: assessor.sources(portfolio.datasets),
            uncertainty: assessor.uncertainty(),
            factors: assessor.intensity_text(),
            published_rates: assessor.published_first(),
            risk_as_of: assessor.as_of.to_string(),
            risk_rules: assessor.risk.rules_label.clone(),
            year: assessor.year(),
            freshness: freshness
                .into_iter()
                .map(|((data_region, data_year, data_month), sites)| Freshness {
                    newest: crate::grid::freshness::newest_years(&assessor.grid, &assessor.published, &data_region),
                    stale: assessor.grid.staleness(&data_region, assessor.year()),
                    data_region,
                    data_year,
                    data_month,
                    sites,
                })
                .collect(),
            sites,
            charts,
            scope: crate::output::esrs::ScopeTail::of(
                &portfolio.scope,
                portfolio.sites_failed,
                assessor.year(),
                assessor.instrument_verdicts(),
            ),
        }
    }

    /// The schema of the numbers shown (those of `hashmix assess`).
    pub fn schema(&self) -> &'static str {
        ASSESS_SCHEMA
    }
}

/// A site's label: its name, else its id, else its position.
pub fn label(s: &SiteResult) -> String {
    s.name
        .as_deref()
        .or(s.id.as_deref())
        .map(str::to_string)
        .or_else(|| Some(s.position.to_string()))
        .unwrap_or_default()
}

/// The title a report gets without `--title`: the file's name without its folder, or
/// `standard input`.
pub fn default_title(sites: &str) -> String {
    if sites == "-" || sites == "standard input" {
        return "standard input".into();
    }
    std::path::Path::new(sites)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| sites.to_string())
}

/// A site's key in tables and the appendix: its id, else its name, else its position.
pub fn site_key(s: &SiteResult) -> String {
    s.id.as_deref()
        .or(s.name.as_deref())
        .map(str::to_string)
        .unwrap_or_else(|| s.position.to_string())
}

/// The assessed sites of one grid region in one data period, as the charts draw them: the
/// mix, intensity and risk are the region's, the size the sites' sum.
struct RegionGroup<'r, 'a> {
    /// The first site of the region in input order (its mix, intensity and risk).
    first: &'r SiteResult<'a>,
    /// `Name (CODE), n sites`.
    label: String,
    /// Power of the region's sites, MW.
    power_mw: f64,
    /// Emissions of the region's sites, t CO2e per year.
    co2_t: f64,
}

/// The assessed sites grouped by their grid region (and data year and months), the regions
/// whose sites emit the most first, at most [`MAX_CHART_ROWS`]; and how many regions there are.
fn region_groups<'r, 'a>(sites: &'r [SiteResult<'a>]) -> (Vec<RegionGroup<'r, 'a>>, usize) {
    let mut index: std::collections::HashMap<(&str, Option<u16>, Option<&str>), usize> =
        std::collections::HashMap::new();
    let mut groups: Vec<(RegionGroup, usize)> = Vec::new();
    for s in sites.iter().filter(|s| s.status() == Status::Ok) {
        let key = (s.region_code().unwrap_or(""), s.data_year(), s.data_month());
        let k = *index.entry(key).or_insert_with(|| {
            groups.push((
                RegionGroup {
                    first: s,
                    label: String::new(),
                    power_mw: 0.0,
                    co2_t: 0.0,
                },
                0,
            ));
            groups.len() - 1
        });
        let (g, n) = &mut groups[k];
        g.power_mw += s.power_mw().unwrap_or_default();
        g.co2_t += s.co2_t_per_year().unwrap_or_default();
        *n += 1;
    }
    let all = groups.len();
    for (g, n) in &mut groups {
        let s = g.first;
        let code = s.region_code().unwrap_or("-");
        let name = s.region_name().unwrap_or(code);
        let sites = if *n == 1 {
            "1 site".to_string()
        } else {
            format!("{n} sites")
        };
        g.label = format!("{name} ({code}), {sites}");
    }
    // Stable: regions that emit the same keep their input order.
    groups.sort_by(|a, b| b.0.co2_t.total_cmp(&a.0.co2_t));
    groups.truncate(MAX_CHART_ROWS);
    (groups.into_iter().map(|(g, _)| g).collect(), all)
}

fn charts(assessor: &Assessor, sites: &[SiteResult]) -> Charts {
    let (shown, regions) = region_groups(sites);
    let bars: Vec<svg::MixBar> = shown
        .iter()
        .filter_map(|g| {
            Some(svg::MixBar {
                label: &g.label,
                shares: g.first.mix()?.shares?,
            })
        })
        .collect();
    let points: Vec<svg::RiskPoint> = shown
        .iter()
        .filter_map(|g| {
            Some(svg::RiskPoint {
                label: &g.label,
                intensity_g_per_kwh: g.first.mix()?.intensity_g_per_kwh?,
                risk_score: f64::from(g.first.risk_score()?),
                level: g.first.risk_level()?.index(),
                power_mw: g.power_mw,
            })
        })
        .collect();
    let rows: Vec<svg::IntervalRow> = shown
        .iter()
        .filter_map(|g| {
            let i = g.first.intervals().intensity_g_per_kwh?;
            Some(svg::IntervalRow {
                label: &g.label,
                value: g.first.mix()?.intensity_g_per_kwh?,
                low: i.p05,
                high: i.p95,
            })
        })
        .collect();
    let risk = svg::scatter("Carbon intensity against crackdown risk", &points);
    let (markers, map_sites) = map_markers(sites);
    Charts {
        mix: svg::stacked_bars("Generation mix of each region's grid", &bars),
        risk_unlabelled: risk.unlabelled.iter().map(|&i| points[i].label.to_string()).collect(),
        risk: risk.svg,
        intervals: (!rows.is_empty())
            .then(|| svg::intervals("Carbon intensity with its 90% interval", "gCO2e/kWh", &rows)),
        regions_charted: shown.len(),
        regions,
        map: MapLayers::prepare(assessor, assessor.year(), &markers).map(|layers| map::map(&layers, &markers)),
        map_drawn: markers.len(),
        map_sites,
    }
}

/// The sites the map marks: of the assessed sites with coordinates on the globe, the
/// [`MAX_MAP_SITES`] drawing the most power (the first in input order among equals), back in
/// input order; and how many sites had coordinates.
fn map_markers<'r>(sites: &'r [SiteResult]) -> (Vec<map::Marker<'r>>, usize) {
    let mut placed: Vec<(usize, map::Marker, f64)> = sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status() == Status::Ok)
        .filter_map(|(i, s)| {
            let marker = map::Marker {
                label: s.name.as_deref().or(s.id.as_deref()).unwrap_or(""),
                lat: s.lat.filter(|v| (-90.0..=90.0).contains(v))?,
                lon: s.lon.filter(|v| (-180.0..=180.0).contains(v))?,
                level: s.risk_level().map_or(0, |l| l.index()),
            };
            Some((i, marker, s.power_mw().unwrap_or_default()))
        })
        .collect();
    let all = placed.len();
    if all > MAX_MAP_SITES {
        placed.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        placed.truncate(MAX_MAP_SITES);
        placed.sort_by_key(|(i, _, _)| *i);
    }
    (placed.into_iter().map(|(_, m, _)| m).collect(), all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::SiteReader;

    #[test]
    fn the_map_marks_the_sites_drawing_the_most_power_in_input_order() {
        // Issue 20: a million sites made a 116 MB map. 503 sites in Kazakhstan at 30 J/TH and
        // PUE 1.05: site k has 1,000 + k TH/s, but sites 7, 8 and 9 have 1 TH/s and site 10
        // 1,007 TH/s, as much as site 7 would; one more row has no coordinates and fails.
        let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
        for k in 0..503 {
            let hashrate = match k {
                7..=9 => 1,
                10 => 1007,
                _ => 1000 + k,
            };
            text.push_str(&format!("s{k},{},75.3,{hashrate},30\n", 48.0 + k as f64 / 1000.0));
        }
        text.push_str("nowhere,,,1000,30\n");
        let assessor = Assessor::embedded(Default::default()).unwrap();
        let mut reader = SiteReader::from_reader(Box::new(std::io::Cursor::new(text.into_bytes())), "t").unwrap();
        let mut sites = Vec::new();
        while let Some(row) = reader.next_row() {
            sites.push(assessor.assess(row.unwrap()));
        }
        assert_eq!(sites[503].status(), "error");
        let (markers, all) = map_markers(&sites);
        assert_eq!((markers.len(), all), (MAX_MAP_SITES, 503));
        let labels: Vec<&str> = markers.iter().map(|m| m.label).collect();
        assert_eq!(&labels[..8], ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s10"]);
        assert_eq!(labels.last(), Some(&"s502"));
        assert!(!labels.iter().any(|l| ["s7", "s8", "s9", "nowhere"].contains(l)));
        assert_eq!(markers[7].lat, 48.01);
        // As many sites as the cap: every one is marked.
        let (markers, all) = map_markers(&sites[..MAX_MAP_SITES]);
        assert_eq!((markers.len(), all), (MAX_MAP_SITES, MAX_MAP_SITES));
    }
}
