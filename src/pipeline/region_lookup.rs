//! The per-region lookup cache: what a site's region and operating months determine (its
//! mix, the region's part of the result, the risk, the classes of draws) is looked up once per
//! run and shared by every site alike, on every core without a lock.

use super::Assessor;
use super::rates::Intensity;
use crate::assess;
use crate::assess::result::{MixFields, RegionResult, SharedRisk};
use crate::grid::{RegionInfo, SiteMix, mix_owner};
use crate::months::Months;
use crate::risk::{Risk, RiskInput, SeasonalSwing};
use crate::uncertainty::{self, MixKey};

/// The region lookups of a run, one slot per region code of the grid data, made at the
/// start: reading a slot takes no lock, so the cores do not queue on a shared one. The slots
/// are found by code (short codes from the data, hashed with rustc-hash's fast hash) or by
/// their place.
pub(super) struct RegionLookups {
    pub(super) slots: Vec<RegionSlot>,
    pub(super) by_code: rustc_hash::FxHashMap<String, usize>,
}

impl RegionLookups {
    /// The place of the slot of a region code.
    pub(super) fn place(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The slot of a region code.
    pub(super) fn get(&self, code: &str) -> Option<&RegionSlot> {
        self.place(code).map(|i| &self.slots[i])
    }
}

/// A region's lookups: all year, and for each set of operating months that sites give.
/// Both only grow while the run lasts, so records can borrow from them.
#[derive(Default)]
pub(super) struct RegionSlot {
    all_year: std::sync::OnceLock<RegionLookup>,
    by_months: MonthsLink,
}

/// A list of the lookups for sets of operating months, in the order sites first gave them,
/// that any core can add to without a lock around the whole list: each link is set once.
pub(super) type MonthsLink = std::sync::OnceLock<Box<MonthsEntry>>;

/// The lookup for one set of operating months, and the link to the next.
pub(super) struct MonthsEntry {
    months: Months,
    lookup: RegionLookup,
    next: MonthsLink,
}

/// Everything a site's region and operating months determine, shared by the sites alike.
pub(super) struct RegionLookup {
    pub(super) region: String,
    pub(super) region_name: String,
    /// `CODE: note` about the region's boundary or code.
    pub(super) region_note: Option<String>,
    /// The mix, or none when no region up the chain has data for the year.
    pub(super) mix: Option<RegionMix>,
}

/// The mix part of [`RegionLookup`].
pub(super) struct RegionMix {
    pub(super) mix: SiteMix,
    /// What every site of the region and months gets.
    pub(super) result: RegionResult,
    /// The mix's notes and the intensity's, for each site's notes.
    pub(super) notes: Vec<String>,
    /// The published rate the intensity comes from, by its dataset (the draws are then
    /// centred on the intensity); none for the mix x the factors.
    pub(super) published: Option<String>,
    /// The published-rate dataset behind the intensity, for the output's `sources`.
    pub(super) rate_datasets: crate::grid::UsedDatasets,
    pub(super) key: MixKey,
    /// The class of draws for each combination of given inputs (`SiteInputs::index`).
    pub(super) classes: [std::sync::OnceLock<uncertainty::ClassRef>; 8],
    /// The same region and months for a site in a grid zone with a published rate of its own,
    /// one entry per zone sites gave, in the order they came.
    zoned: ZoneLink,
}

/// A list of the lookups of a region and months in each grid zone with a published rate,
/// that any core can add to without a lock (each link is set once).
type ZoneLink = std::sync::OnceLock<Box<ZoneEntry>>;

/// The lookup for one grid zone, and the link to the next.
struct ZoneEntry {
    zone: String,
    mix: RegionMix,
    next: ZoneLink,
}

impl RegionMix {
    /// The mix, its result and notes, under an intensity whose published-rate dataset is
    /// `rate_datasets`.
    fn new(
        mix: SiteMix,
        result: RegionResult,
        intensity: Intensity,
        rate_datasets: crate::grid::UsedDatasets,
    ) -> RegionMix {
        let mut notes = mix.notes.clone();
        notes.extend(intensity.notes);
        RegionMix {
            key: rate_key(&mix, intensity.published_year),
            mix,
            result,
            notes,
            published: intensity.published,
            rate_datasets,
            classes: Default::default(),
            zoned: ZoneLink::new(),
        }
    }
}

/// The key of the draws of a mix under an intensity: the mix's, with the published rate's year
/// where the intensity is a published rate (the mix's moves are drawn from the rate's year).
pub fn rate_key(mix: &SiteMix, published_year: Option<u16>) -> MixKey {
    let mut key = mix_key(mix);
    if let Some(year) = published_year {
        key.year = year;
    }
    key
}

/// The key of a mix's draws: its data region, year and months.
pub fn mix_key(mix: &SiteMix) -> MixKey {
    MixKey {
        region: mix.data_region.code.clone(),
        year: mix.data_year,
        months: mix.data_month.as_deref().and_then(|m| Months::parse(m).ok()),
    }
}

impl Assessor {
    /// What a region (its code and its slot in the run's lookups) and a site's operating
    /// months determine, from the run's cache or worked out now and kept.
    pub(super) fn region_lookup<'s>(
        &'s self,
        slot: &'s RegionSlot,
        code: &str,
        months: Option<Months>,
    ) -> &'s RegionLookup {
        let Some(ms) = months else {
            return slot.all_year.get_or_init(|| self.look_up_region(code, None));
        };
        // Walk the list: the first empty link gets these months (another core adding at the
        // same link waits for it, then walks on if its months differ).
        let mut link = &slot.by_months;
        loop {
            let node = link.get_or_init(|| {
                Box::new(MonthsEntry {
                    months: ms,
                    lookup: self.look_up_region(code, months),
                    next: MonthsLink::new(),
                })
            });
            if node.months == ms {
                return &node.lookup;
            }
            link = &node.next;
        }
    }

    /// The lookup of a site in grid zone `zone` of a region and months: the zone's, when the
    /// zone has a published rate on the run's basis; else the region's.
    pub(super) fn zone_lookup<'s>(&'s self, m: &'s RegionMix, zone: &str) -> &'s RegionMix {
        if self.published_rate(zone).is_none() {
            return m;
        }
        let mut link = &m.zoned;
        loop {
            let node = link.get_or_init(|| {
                let intensity = self
                    .zone_intensity(zone, &m.mix)
                    .expect("the zone has a published rate");
                let mut result = m.result.clone();
                result.mix.intensity_g_per_kwh = Some(intensity.g_per_kwh);
                result.intensity_source = intensity.source.clone();
                let used = self.intensity_datasets(&intensity);
                Box::new(ZoneEntry {
                    zone: zone.to_string(),
                    mix: RegionMix::new(m.mix.clone(), result, intensity, used),
                    next: ZoneLink::new(),
                })
            });
            if node.zone == zone {
                return &node.mix;
            }
            link = &node.next;
        }
    }

    /// What a region and the mix a site there gets determine, shared by every site there
    /// (and by compare's row for the region): its data, mix fields, intensity and risk.
    pub fn region_result(&self, region: &RegionInfo, mix: &SiteMix, intensity: &Intensity) -> RegionResult {
        let mut fields = MixFields::of(mix.shares, &self.factors.g_per_kwh);
        fields.intensity_g_per_kwh = Some(intensity.g_per_kwh);
        RegionResult {
            region: region.code.clone(),
            region_name: region.name.clone(),
            level: mix.data_region.level,
            data_region: mix.data_region.code.clone(),
            data_year: mix.data_year,
            data_month: mix.data_month.clone(),
            mix: fields,
            basis: self.basis,
            intensity_source: intensity.source.clone(),
            risk: self.risk_of(&region.code, mix),
            risk_as_of: self.as_of_text.clone(),
            data_edition: self.grid.editions(mix.own_datasets),
            stale_warning: self
                .grid
                .staleness(&mix.data_region.code, self.year)
                .map(|s| s.warning(&mix.data_region.code, &mix.data_region.name)),
            encoded: Default::default(),
        }
    }

    /// Look up what a region and a site's operating months determine.
    fn look_up_region(&self, code: &str, months: Option<Months>) -> RegionLookup {
        let region = self.grid.region(code).expect("placement returns known codes");
        let mix = self.site_mix(code, months).map(|mix| {
            let intensity = self.region_intensity(code, &mix);
            let result = self.region_result(region, &mix, &intensity);
            let used = self.intensity_datasets(&intensity);
            RegionMix::new(mix, result, intensity, used)
        });
        RegionLookup {
            region: region.code.as_str().into(),
            region_name: region.name.as_str().into(),
            region_note: region.note.as_ref().map(|n| format!("{}: {n}", region.code)),
            mix,
        }
    }

    /// The crackdown risk of a site in region `code` whose grid mix is `mix`, with its CSV
    /// summary. `assess` scores it once per region and set of operating months (`region_lookup`).
    pub fn risk_of(&self, code: &str, mix: &SiteMix) -> SharedRisk {
        SharedRisk::new(self.score_risk(code, mix))
    }

    fn score_risk(&self, code: &str, mix: &SiteMix) -> Risk {
        let groups = assess::groups(&mix.shares);
        let input = RiskInput {
            region: code.to_string(),
            coal_share: mix.shares[crate::source::Source::Coal.index()],
            fossil_share: groups.fossil,
            hydro_share: mix.shares[crate::source::Source::Hydro.index()],
            intensity_g_per_kwh: assess::intensity_g_per_kwh(&mix.shares, &self.risk_factors),
            seasonal: self.seasonal_swing(&mix.data_region.code),
            mix_of: (mix.data_region.code != code).then(|| mix_owner(&mix.data_region)),
        };
        self.risk.assess(&input, self.as_of)
    }

    /// The months with the most and the least fossil power in the latest year (not after
    /// `--year` or the as-of year) in which a region's monthly data covers at least ten months.
    pub fn seasonal_swing(&self, code: &str) -> Option<SeasonalSwing> {
        let rows = self.grid.months(code);
        let cap = self.year.unwrap_or(u16::MAX);
        let mut years: Vec<u16> = rows.iter().map(|r| r.year).filter(|y| *y <= cap).collect();
        years.dedup();
        let year = years.into_iter().rev().find(|y| {
            rows.iter()
                .filter(|r| r.year == *y)
                .map(|r| r.months.days())
                .sum::<u32>()
                >= 300
        })?;
        let fossil = |r: &crate::grid::PeriodMix| assess::groups(&r.shares()).fossil;
        let in_year = || rows.iter().filter(|r| r.year == year);
        let high = in_year().max_by(|a, b| fossil(a).total_cmp(&fossil(b)))?;
        let low = in_year().min_by(|a, b| fossil(a).total_cmp(&fossil(b)))?;
        Some(SeasonalSwing {
            region: code.to_string(),
            year,
            high: (high.months.to_string(), fossil(high)),
            low: (low.months.to_string(), fossil(low)),
        })
    }

    /// The mix for a site in region `code` under the run's year and month (see
    /// [`crate::grid::GridData::site_mix`]).
    pub fn site_mix(&self, code: &str, months: Option<Months>) -> Option<SiteMix> {
        self.grid.site_mix(code, self.year, self.month, months)
    }
}
