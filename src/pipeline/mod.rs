//! One row through the whole chain: validate -> place -> look up -> compute, giving a typed
//! [`SiteResult`]. [`Assessor`] holds everything built once per run (index, tables, factors).
//!
//! - `start_up`: reading the data once and checking the options against it;
//! - `placement`: finding a site's region by its coordinates or its declared code;
//! - `region_lookup`: the per-region cache of what a region and a site's months determine;
//! - `figures`: a site's power, energy, emissions and intervals;
//! - `nearby`: the nearby-first order in which the engine assesses a chunk of rows.

use std::borrow::Cow;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::assess::Portfolio;
use crate::assess::result::{Match, SiteResult};
use crate::grid::factors::Factors;
use crate::grid::published::{Basis, PublishedFactors};
use crate::grid::{GridData, Level};
use crate::miners::Catalogue;
use crate::regions::{RegionIndex, Zone};
use crate::risk::RiskModel;
use crate::sites::{Field, RawRow, RowError, Site, validate};
use crate::uncertainty::{self, MonteCarlo};
use compact_str::CompactString;

mod accounting;
mod figures;
mod nearby;
mod options;
mod placement;
mod rates;
mod region_lookup;
mod sources;
mod start_up;

pub use nearby::{nearby_first, nearby_key, nearby_order};
pub use options::{AccountingOptions, DEFAULT_BASIS, DEFAULT_FACTORS, Options};
pub use placement::ANTARCTIC_LATITUDE;
pub use rates::Intensity;
pub use region_lookup::{mix_key, rate_key};

use placement::Placement;
use region_lookup::{RegionLookup, RegionLookups, RegionMix};
use sources::RunDatasets;

/// The schema name written in JSON, NDJSON and GeoJSON output.
pub const ASSESS_SCHEMA: &str = "hashmix.assess.v8";

/// Everything needed to assess rows, built once (see `start_up`).
pub struct Assessor {
    /// Country polygons.
    pub index: RegionIndex,
    /// Province and state polygons (property `parent` names the country).
    pub subdivisions: RegionIndex,
    /// Grid-zone polygons: eGRID subregions, bidding and price zones (`parent`: the country).
    pub zones: RegionIndex,
    /// Mix tables.
    pub grid: GridData,
    /// Emission factors in use.
    pub factors: Factors,
    /// The published regional rates (headline rows of published-factors.csv).
    pub published: PublishedFactors,
    /// Miner catalogue.
    pub catalogue: Catalogue,
    /// Policy events and risk rules.
    pub risk: RiskModel,
    /// The day risk is scored as of.
    pub as_of: NaiveDate,
    /// `as_of` as written in the output.
    as_of_text: String,
    /// What a region and a set of operating months determine, worked out once per run: the
    /// mix, its fields, the risk, the notes and the classes of draws.
    lookups: RegionLookups,
    /// The slot of each region of `index` and of `subdivisions`, by the region's index there
    /// (none for a region without an entry in regions.csv): a site placed by its coordinates
    /// finds its slot without hashing its region's code.
    country_slots: Vec<Option<usize>>,
    subdivision_slots: Vec<Option<usize>>,
    /// Whether each country of `index` has provinces or states in `subdivisions`.
    subdivided: Vec<bool>,
    /// The draws behind the intervals, when asked for.
    pub monte_carlo: Option<MonteCarlo>,
    year: Option<u16>,
    month: Option<u8>,
    user_factors: bool,
    /// Whether a published rate, where one exists, gives a site's intensity (`--factors published`).
    published_first: bool,
    /// `intensity_source` of an intensity worked out from the mix: "mix x IPCC AR5 direct factors".
    mix_source: String,
    /// What the run's intensities count (`--basis`).
    pub basis: Basis,
    /// The per-source factors the risk's intensity reads: the IPCC lifecycle medians under
    /// published rates (the rules' thresholds are written on that basis), else `factors`'.
    risk_factors: [f64; crate::source::SOURCE_COUNT],
    /// `--grid-data DIR`, if given (the output names the copy of the data used).
    grid_data: Option<PathBuf>,
    /// What each part of a result draws on in datasets.csv, for the output's `sources`.
    datasets: RunDatasets,
    /// Scope 1 and 2 accounting: fuels, upstream factors, residual mixes, instruments.
    accounting: accounting::Accounting,
}

/// A coordinate as given, for the record of a row: read as validation reads it, in any file
/// (a coordinate's separator is always its decimal mark; see [`crate::sites::numbers::read`]).
fn coordinate(row: &RawRow, field: Field) -> Option<f64> {
    if let Some(v) = row.plain_coordinate(field) {
        return Some(v);
    }
    crate::sites::numbers::coordinate(row.get(field)?)
}

/// Drop repeated notes, keeping the first of each.
fn dedup_in_order(notes: &mut Vec<Cow<'_, str>>) {
    // A site has a handful of notes: comparing with the earlier ones costs less than hashing.
    let mut i = 0;
    while i < notes.len() {
        if notes[..i].contains(&notes[i]) {
            notes.remove(i);
        } else {
            i += 1;
        }
    }
}

impl Assessor {
    /// The year asked for with `--year` (or implied by `--as-of`); `None` = each region's latest.
    pub fn year(&self) -> Option<u16> {
        self.year
    }

    /// Assess one row and add it to the portfolio. Never fails: a bad row becomes a result
    /// with status `error`.
    pub fn assess_into(&self, row: RawRow, portfolio: &mut Portfolio) -> SiteResult<'_> {
        let result = self.assess(row);
        portfolio.add(&result);
        result
    }

    /// Assess one row.
    pub fn assess(&self, row: RawRow) -> SiteResult<'_> {
        self.assess_row(&row)
    }

    /// Assess one row, leaving it to the caller to reuse (see [`SiteReader::read_into`]).
    ///
    /// [`SiteReader::read_into`]: crate::sites::SiteReader::read_into
    pub fn assess_row(&self, row: &RawRow) -> SiteResult<'_> {
        // A row wrong only in its size is still placed and screened by place: it reports its
        // region, mix, intensity and risk, with status error and the size's message (issue 20).
        let (mut site, size_error) = match validate(row, &self.catalogue) {
            Ok(site) => (Some(site), None),
            Err(e) => (crate::sites::location(row).ok(), Some(e)),
        };
        // A located site's coordinates were parsed from the same text, in the same way.
        let (lat, lon) = match &site {
            Some(site) => (site.lat, site.lon),
            _ => (coordinate(row, Field::Lat), coordinate(row, Field::Lon)),
        };
        // A located site's id and name are the row's, copied already: the result takes them.
        let (id, name) = match &mut site {
            Some(site) => (site.id.take(), site.name.take()),
            None => (
                row.get(Field::Id).map(CompactString::from),
                row.get(Field::Name).map(CompactString::from),
            ),
        };
        let mut result = SiteResult {
            id,
            name,
            lat,
            lon,
            ..SiteResult::new(row.position)
        };
        if row.get(Field::Model).is_some() {
            result.datasets = self.datasets.catalogue();
        }
        let Some(mut site) = site else {
            result.error = size_error.map(|e| self.unlocated_error(e, lat, lon));
            return result;
        };
        let (placement, lookup, m, zone) = match self.place_and_look_up(&site, row) {
            Ok(found) => found,
            Err((matched, message)) => {
                result.matched = matched;
                result.error = Some(message);
                return result;
            }
        };
        result.region = Some(&m.result);
        result.matched = Some(placement.how);
        result.zone = zone;
        let located = self.located_datasets(placement.datasets, m, result.zone.as_ref());
        result.datasets.merge(located);
        // The region's and the mix's notes are borrowed from the run's cache, not copied.
        // In order: the placement's, the region's, the site's and the mix's. The site's vector
        // of notes is reused.
        let mut notes: Vec<Cow<str>> = std::mem::take(&mut site.notes);
        let first = placement.notes.into_iter().map(Cow::Owned);
        notes.splice(0..0, first.chain(lookup.region_note.as_deref().map(Cow::Borrowed)));
        notes.extend(m.notes.iter().map(|n| Cow::Borrowed(n.as_str())));
        // The placement's warnings, then the size's (none on most rows: nothing is allocated).
        let mut warnings = placement.warnings;
        warnings.append(&mut site.warnings);
        // Then the data's: stale data (issue 23), none on most rows.
        warnings.extend(m.result.stale_warning.clone());
        result.warnings = warnings.join("; ");
        if let Some(e) = size_error {
            result.error = Some(e.to_string());
        } else {
            self.compute_into(&site, m, &mut result, &mut notes);
        }
        dedup_in_order(&mut notes);
        result.notes = notes.join("; ");
        // A run with instruments adds the accounting's messages once they are settled.
        if !self.has_instruments() {
            self.add_scope_messages(&mut result);
        }
        result
    }

    /// A placed site's size, figures, intervals and accounting, or the row's error.
    fn compute_into<'s>(
        &'s self,
        site: &Site,
        m: &RegionMix,
        result: &mut SiteResult<'s>,
        notes: &mut Vec<Cow<'s, str>>,
    ) {
        let row_error = |message: String| Some(RowError::row(result.position, message).to_string());
        let onsite = match self.onsite_factor(site) {
            Ok(onsite) => onsite,
            Err(message) => {
                result.error = row_error(message);
                return;
            }
        };
        self.onsite_messages(site, &mut result.warnings, notes);
        let intensity = m.result.mix.intensity_g_per_kwh.unwrap_or_default();
        let (size, figures) = self.compute(site, intensity, onsite.as_ref(), notes);
        result.size = Some(size);
        match figures {
            Ok(figures) => {
                let figures = self.with_intervals(site, m, figures, notes);
                result.scope = self.scope_of(site, result, &figures, onsite, notes);
                result.figures = Some(figures);
            }
            Err(message) => result.error = row_error(message),
        }
    }

    /// The message of a row that could not be located. A latitude that fits a longitude names
    /// the country the swapped point is in (issue 20), as for a point in the sea or in
    /// Antarctica.
    fn unlocated_error(&self, mut e: RowError, lat: Option<f64>, lon: Option<f64>) -> String {
        if let Some(rest) = e.expected.strip_suffix(crate::sites::SWAPPED_HINT) {
            let hint = self.swap_hint(lat, lon);
            if !hint.is_empty() {
                e.expected = format!("{rest}{hint}");
            }
        }
        e.to_string()
    }

    /// Place a site and look up its region's mix, intensity and risk, and its grid zone (the
    /// mix's lookup is the zone's when the zone has a published rate); else whether it was
    /// matched and the row's error.
    #[allow(clippy::type_complexity)]
    fn place_and_look_up(
        &self,
        site: &Site,
        row: &RawRow,
    ) -> Result<(Placement<'_>, &RegionLookup, &RegionMix, Option<Zone<'_>>), (Option<Match>, String)> {
        let placement = self.place(site, row).map_err(|(how, e)| (how, e.to_string()))?;
        let row_error = |message: String| RowError::row(row.position, message).to_string();
        let Some(lookup) = placement
            .slot
            .map(|slot| self.region_lookup(slot, &placement.code, site.months))
        else {
            let message = format!("region {} has no entry in regions.csv", placement.code);
            return Err((None, row_error(message)));
        };
        let Some(m) = &lookup.mix else {
            let year = self.year.map(|y| y.to_string()).unwrap_or_default();
            let message = format!("no generation data for {} in or before {year}", lookup.region);
            return Err((Some(placement.how), row_error(message)));
        };
        if m.mix.data_region.level == Level::World && lookup.region != "WORLD" {
            // Nothing of the region's own, nor of its country's: no electricity data to use.
            let place = match (site.lat, site.lon) {
                (Some(lat), Some(lon)) => format!("({lat}, {lon}) is in {}", lookup.region_name),
                _ => format!("region {}", lookup.region_name),
            };
            return Err((
                Some(Match::None),
                row_error(format!(
                    "{place} ({}), which has no electricity data {}; check the location, or give region WORLD (without coordinates) for the world's mix{}",
                    lookup.region,
                    self.grid.lacking(&lookup.region),
                    self.swap_hint(site.lat, site.lon)
                )),
            ));
        }
        let zone = placement.zone.or_else(|| {
            let (lat, lon) = site.lat.zip(site.lon)?;
            self.zones
                .zone_of(lat, lon, crate::regions::country_of(&placement.code))
        });
        let m = zone.map_or(m, |z| self.zone_lookup(m, z.code));
        Ok((placement, lookup, m, zone))
    }

    /// What the output says about the draws, when there are any.
    pub fn uncertainty(&self) -> Option<uncertainty::UncertaintyInfo> {
        self.monte_carlo.as_ref().map(MonteCarlo::info)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_and_names_short_and_long_come_through_whole_on_valid_and_failed_rows() {
        use crate::sites::{Field, Position, RawRow};
        let assessor = super::Assessor::embedded(Default::default()).unwrap();
        // Held inline up to 24 bytes, on the heap beyond: both read back whole.
        let long_id = "an-identifier-longer-than-24-bytes";
        let long_name = "\u{d6}skemen hydro site \u{2116}7 (Ust-Kamenogorsk, East Kazakhstan)";
        for (id, name) in [("kz-1", "Ekibastuz"), (long_id, long_name)] {
            for lat in ["51.7236", "north"] {
                let mut row = RawRow::new(
                    Position::Line(2),
                    std::sync::Arc::new(Default::default()),
                    crate::sites::Decimals::Point,
                    0,
                );
                for (field, text) in [
                    (Field::Id, id),
                    (Field::Name, name),
                    (Field::Lat, lat),
                    (Field::Lon, "75.3233"),
                    (Field::HashrateThs, "1000"),
                    (Field::Efficiency, "30"),
                ] {
                    row.set(field, Some(text));
                }
                let record = assessor.assess_row(&row);
                assert_eq!(record.status(), if lat == "north" { "error" } else { "ok" });
                assert_eq!(record.id.as_deref(), Some(id));
                assert_eq!(record.name.as_deref(), Some(name));
            }
        }
    }
}
