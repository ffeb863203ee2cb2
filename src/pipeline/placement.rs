//! Placing a site: finding its region by its coordinates (the country, then its province or
//! state) or by the code it declares, with the notes and warnings the placement gives.

use std::borrow::Cow;

use super::Assessor;
use super::region_lookup::RegionSlot;
use crate::assess::result::Match;
use crate::grid::{Level, UsedDatasets};
use crate::regions::{Located, NEAREST_MAX_KM, Zone};
use crate::sites::{Clip, Field, RawRow, RowError, Site, VALUE_CHARS};

/// The latitude south of which a site is in Antarctica or its ocean, where no grid runs: 60°S,
/// the limit of the Antarctic Treaty area (Antarctic Treaty, 1959, Article VI).
pub const ANTARCTIC_LATITUDE: f64 = -60.0;

/// The ISO 3166-1 code of Antarctica: a site there is an error, whatever its latitude.
const ANTARCTICA: &str = "AQ";

/// How a site's region was found.
pub(super) struct Placement<'a> {
    /// Borrowed from the boundaries or the grid data, but for a subdivision code that only
    /// its country is known for.
    pub(super) code: Cow<'a, str>,
    pub(super) how: Match,
    pub(super) notes: Vec<String>,
    /// What looks wrong in the placement: a declared region the coordinates disagree with.
    pub(super) warnings: Vec<String>,
    /// The code's slot in the run's lookups; none for a code regions.csv has no entry for.
    pub(super) slot: Option<&'a RegionSlot>,
    /// The boundaries that placed the site (none for a declared code).
    pub(super) datasets: UsedDatasets,
    /// The grid zone a site declares (`US-ERCT`), placed in the zone's country; none otherwise
    /// (a site with coordinates is placed in its zone after).
    pub(super) zone: Option<Zone<'a>>,
}

/// The part of an ISO 3166-2 code before the dash (`CN` of `CN-SC`), if it looks like one.
fn country_of_subdivision(code: &str) -> Option<&str> {
    let (cc, sub) = code.split_once('-')?;
    let ok = cc.len() == 2
        && cc.chars().all(|c| c.is_ascii_uppercase())
        && (1..=3).contains(&sub.len())
        && sub.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(cc)
}

impl Assessor {
    /// Find the site's region: by coordinates (the country, then its province or state),
    /// else by its declared code.
    pub(super) fn place(&self, site: &Site, row: &RawRow) -> Result<Placement<'_>, (Option<Match>, RowError)> {
        match (site.lat, site.lon) {
            (Some(lat), Some(lon)) => self.place_by_coordinates(lat, lon, site, row),
            _ => self.place_by_declared_code(site, row),
        }
    }

    /// Place a site by its coordinates: the country they are in (or nearest to), then its
    /// province or state; a declared region that disagrees is a warning.
    fn place_by_coordinates(
        &self,
        lat: f64,
        lon: f64,
        site: &Site,
        row: &RawRow,
    ) -> Result<Placement<'_>, (Option<Match>, RowError)> {
        let error = |message: String| Err((Some(Match::None), RowError::row(row.position, message)));
        if lat == 0.0 && lon == 0.0 {
            return error(
                "(0, 0) is in the sea off West Africa, where a missing coordinate often lands as zeros; give the site's coordinates".into(),
            );
        }
        let located = self.index.locate(lat, lon);
        let in_antarctica = match located {
            Located::Inside(i) | Located::Nearest(i, _) => self.index.region(i).code == ANTARCTICA,
            Located::Outside => false,
        };
        if lat < ANTARCTIC_LATITUDE || in_antarctica {
            return error(format!(
                "({lat}, {lon}) is in Antarctica or its ocean (south of 60°S), where no grid runs; check the coordinates{}",
                self.swap_hint(Some(lat), Some(lon))
            ));
        }
        let (idx, mut how, mut notes) = match located {
            Located::Inside(i) => (i, Match::Inside, vec![]),
            Located::Nearest(i, km) => (
                i,
                Match::Nearest,
                vec![format!(
                    "outside every region polygon; nearest region {} is {km:.1} km away",
                    self.index.region(i).code
                )],
            ),
            Located::Outside => {
                return error(format!(
                    "({lat}, {lon}) is outside every region and more than {NEAREST_MAX_KM} km from land; check the coordinates{}",
                    self.swap_hint(Some(lat), Some(lon))
                ));
            }
        };
        let (mut code, mut slot) = (self.index.region(idx).code.as_str(), self.country_slots[idx]);
        let mut province = None;
        if self.subdivided[idx]
            && let Some(j) = self.province_of(lat, lon, code, &mut how, &mut notes)
        {
            code = &self.subdivisions.region(j).code;
            slot = self.subdivision_slots[j];
            province = Some(j);
        }
        let warnings = self.declared_disagreement(site, code).into_iter().collect();
        let Some(slot) = slot.map(|i| &self.lookups.slots[i]) else {
            return Err((
                Some(how),
                RowError::row(
                    row.position,
                    format!("region {code} has a polygon but no entry in regions.csv"),
                ),
            ));
        };
        Ok(Placement {
            code: Cow::Borrowed(code),
            how,
            notes,
            warnings,
            slot: Some(slot),
            datasets: self.datasets.placed(province),
            zone: None,
        })
    }

    /// The province or state of `country` a point is in, or nearest to within reach (the
    /// match is then `Nearest`, and a note says so); none when none is within reach.
    fn province_of(
        &self,
        lat: f64,
        lon: f64,
        country: &str,
        how: &mut Match,
        notes: &mut Vec<String>,
    ) -> Option<usize> {
        match self.subdivisions.locate_within(lat, lon, country) {
            Located::Inside(j) => Some(j),
            Located::Nearest(j, km) => {
                *how = Match::Nearest;
                notes.push(format!(
                    "outside every province or state polygon of {country}; nearest is {}, {km:.1} km away",
                    self.subdivisions.region(j).code
                ));
                Some(j)
            }
            Located::Outside => {
                notes.push(format!(
                    "not within {NEAREST_MAX_KM} km of any province or state polygon of {country}; national data used"
                ));
                None
            }
        }
    }

    /// The warning for a declared region that neither contains nor lies within the located
    /// region `code`.
    fn declared_disagreement(&self, site: &Site, code: &str) -> Option<String> {
        let declared = site.region.as_deref()?;
        let declared_code = self.grid.resolve(declared).map(|(r, _)| r.code.as_str());
        let agrees = declared == "WORLD"
            || declared_code.is_some_and(|d| self.grid.is_within(code, d) || self.grid.is_within(d, code));
        (!agrees).then(|| {
            format!(
                "declared region {} differs from the located region {code} (the coordinates are used)",
                Clip(declared, VALUE_CHARS)
            )
        })
    }

    /// Place a site without coordinates by the region code it declares (a former code, or a
    /// subdivision hashmix does not know, is placed in the region it stands for).
    fn place_by_declared_code(&self, site: &Site, row: &RawRow) -> Result<Placement<'_>, (Option<Match>, RowError)> {
        let declared = site
            .region
            .as_deref()
            .expect("validate requires coordinates or a region");
        let region_error = |expected: &str| RowError {
            position: row.position,
            column: Some(row.column(Field::Region)),
            value: row.get(Field::Region).map(str::to_string),
            expected: expected.into(),
        };
        if let Some((region, former)) = self.grid.resolve(declared) {
            if region.code == ANTARCTICA {
                return Err((
                    Some(Match::None),
                    region_error(
                        "Antarctica has no electricity grid; expected the region the site draws its power from",
                    ),
                ));
            }
            let mut notes = vec![];
            if former {
                notes.push(format!(
                    "{declared} is a former code of {} ({}); the current code is used",
                    region.code, region.name
                ));
            }
            return Ok(Placement {
                code: Cow::Borrowed(&region.code),
                how: Match::Declared,
                notes,
                warnings: Vec::new(),
                slot: self.lookups.get(&region.code),
                datasets: UsedDatasets::NONE,
                zone: None,
            });
        }
        if let Some(zone) = self.declared_zone(declared) {
            // Without its own rate a zone would take its whole country's figures (the US
            // average for ERCOT): a row error naming what to give instead (issue 22).
            if self.published_rate(zone.code).is_none() {
                let expected = format!(
                    "a grid zone with a published {} rate under --factors published; {} has none: give the site's coordinates or its state or province (see `hashmix regions --country {}`)",
                    self.basis.name(),
                    zone.code,
                    zone.country
                );
                return Err((Some(Match::None), region_error(&expected)));
            }
            return Ok(Placement {
                code: Cow::Borrowed(zone.country),
                how: Match::Declared,
                notes: vec![format!(
                    "{} is a grid zone of {}: the site is placed in {}",
                    zone.code, zone.country, zone.country
                )],
                warnings: Vec::new(),
                slot: self.lookups.get(zone.country),
                datasets: UsedDatasets::NONE,
                zone: Some(zone),
            });
        }
        if let Some(cc) = country_of_subdivision(declared).filter(|cc| self.grid.region(cc).is_some()) {
            return Ok(Placement {
                code: Cow::Owned(cc.to_string()),
                how: Match::Declared,
                notes: vec![format!(
                    "{declared} is not a subdivision hashmix knows; using {cc} (national); see `hashmix regions --country {cc}`"
                )],
                warnings: Vec::new(),
                slot: self.lookups.get(cc),
                datasets: UsedDatasets::NONE,
                zone: None,
            });
        }
        Err((
            Some(Match::None),
            region_error(
                "unknown region code; expected an ISO 3166-1 alpha-2 code such as KZ, an ISO 3166-2 code such as CN-SC, a grid zone such as US-ERCT, or WORLD (see `hashmix regions`)",
            ),
        ))
    }

    /// The grid zone a declared code names (`US-ERCT`, `no-no5`), when its country has data
    /// (issue 22).
    fn declared_zone(&self, declared: &str) -> Option<Zone<'_>> {
        let region = self.zones.find(declared)?;
        let country = region.parent.as_deref().filter(|cc| self.grid.region(cc).is_some())?;
        Some(Zone {
            code: &region.code,
            name: &region.name,
            country,
            km_outside: None,
        })
    }

    /// "; did you swap lat and lon? (lon, lat) would be in Kazakhstan" when the swapped point
    /// lies in (or near) a country with electricity data of its own, else nothing.
    pub(super) fn swap_hint(&self, lat: Option<f64>, lon: Option<f64>) -> String {
        let (Some(lat), Some(lon)) = (lat, lon) else {
            return String::new();
        };
        if !(-90.0..=90.0).contains(&lon) || lat == lon || lon < ANTARCTIC_LATITUDE {
            return String::new();
        }
        let idx = match self.index.locate(lon, lat) {
            Located::Inside(i) | Located::Nearest(i, _) => i,
            Located::Outside => return String::new(),
        };
        let region = self.index.region(idx);
        let has_data = self
            .grid
            .choose(&region.code, self.year, None)
            .is_some_and(|c| c.data_region.level != Level::World);
        if region.code == ANTARCTICA || !has_data {
            return String::new();
        }
        format!("; did you swap lat and lon? ({lon}, {lat}) would be in {}", region.name)
    }
}
