//! The mix a site uses: one year's, one month's, or the day-weighted mean over the months a
//! site operates, from the grid data's annual and monthly tables.

use super::{GridData, Level, MODELLED_DATASET, MixChoice, RegionInfo, UsedDatasets};
use crate::months::Months;
use crate::source::SOURCE_COUNT;

/// The mix used for one site.
#[derive(Debug, Clone)]
pub struct SiteMix {
    /// Share of each source, fractions summing to 1.
    pub shares: [f64; SOURCE_COUNT],
    /// The region whose data was used.
    pub data_region: RegionInfo,
    /// The (latest) year of the data used.
    pub data_year: u16,
    /// The months of monthly data used, if any.
    pub data_month: Option<String>,
    /// What was substituted and why.
    pub notes: Vec<String>,
    /// The datasets of the generation figures used (one, or several for a mix over months).
    pub datasets: UsedDatasets,
    /// The datasets the figures used name in their `dataset` column, without those their
    /// derivation draws on: what the output's `data_edition` gives.
    pub own_datasets: UsedDatasets,
}

impl SiteMix {
    pub(crate) fn from_choice(c: &MixChoice<'_>) -> SiteMix {
        SiteMix {
            shares: c.mix.shares(),
            data_region: c.data_region_info(),
            data_year: c.mix.year,
            data_month: c.monthly.then(|| c.mix.months.to_string()),
            notes: c.notes.clone(),
            datasets: c.datasets(),
            own_datasets: c.mix.own_dataset,
        }
    }
}

impl MixChoice<'_> {
    /// The datasets of the figure chosen.
    fn datasets(&self) -> UsedDatasets {
        self.mix.datasets
    }

    /// The region whose data was used, at the level of that data: `modelled` where the figure
    /// is modelled from plant capacity (issue 23), the region's own level otherwise.
    fn data_region_info(&self) -> RegionInfo {
        let mut region = self.data_region.clone();
        if self.mix.dataset == MODELLED_DATASET {
            region.level = Level::Modelled;
        }
        region
    }
}

/// Whose mix a region's is, in words, for a site that uses it: `Kazakhstan's national mix
/// (KZ)`, `the world's mix (WORLD)`.
pub fn mix_owner(region: &RegionInfo) -> String {
    match region.level {
        Level::World => format!("the world's mix ({})", region.code),
        Level::National => format!("{}'s national mix ({})", region.name, region.code),
        Level::Subnational | Level::Zone => format!("{}'s mix ({})", region.name, region.code),
        Level::Modelled => format!("{}'s modelled mix ({})", region.name, region.code),
    }
}

impl GridData {
    /// The mix for a site in region `code`: `year`'s (each region's latest when `None`, or
    /// the nearest year as [`GridData::choose`] picks it), of one `month` (`--month`) where
    /// monthly data exists, or the day-weighted mean over the site's operating `months`.
    pub fn site_mix(
        &self,
        code: &str,
        year: Option<u16>,
        month: Option<u8>,
        months: Option<Months>,
    ) -> Option<SiteMix> {
        let months = months.filter(|m| *m != Months::ALL);
        if let Some(m) = month {
            let c = self.choose(code, year, Some(m))?;
            let mut mix = SiteMix::from_choice(&c);
            if let Some(ms) = months {
                mix.notes.push(format!(
                    "--month {m} sets the mix; the operating months {ms} set the energy"
                ));
            }
            return Some(mix);
        }
        let Some(ms) = months else {
            return Some(SiteMix::from_choice(&self.choose(code, year, None)?));
        };
        let mut acc = [0.0; SOURCE_COUNT];
        let mut notes = Vec::new();
        let mut years = Vec::new();
        let mut any_monthly = false;
        let mut data_region = None;
        let mut datasets = UsedDatasets::NONE;
        let mut own_datasets = UsedDatasets::NONE;
        for m in ms.iter() {
            let c = self.choose(code, year, Some(m))?;
            let w = f64::from(crate::months::DAYS[m as usize - 1]);
            for (a, s) in acc.iter_mut().zip(c.mix.shares()) {
                *a += w * s;
            }
            notes.extend(c.notes.iter().cloned());
            years.push(c.mix.year);
            any_monthly |= c.monthly;
            datasets.merge(c.datasets());
            own_datasets.merge(c.mix.own_dataset);
            data_region = Some(c.data_region_info());
        }
        let days = f64::from(ms.days());
        years.sort_unstable();
        years.dedup();
        let data_region = data_region?;
        if any_monthly {
            notes.push(format!(
                "mix weighted by days over the operating months {ms} of {}'s monthly data",
                data_region.code
            ));
        }
        Some(SiteMix {
            shares: acc.map(|a| a / days),
            data_region: data_region.clone(),
            data_year: *years.last()?,
            data_month: any_monthly.then(|| ms.to_string()),
            notes,
            datasets,
            own_datasets,
        })
    }
}
