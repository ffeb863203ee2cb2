//! A site's figures: its power, energy and emissions from its size and its region's
//! intensity, and their intervals when the run has draws.

use std::borrow::Cow;

use super::Assessor;
use super::region_lookup::RegionMix;
use crate::assess;
use crate::assess::result::{IntervalFields, SiteFigures, SiteSize};
use crate::months::Months;
use crate::scope::OnsiteFactor;
use crate::sites::Site;
use crate::uncertainty::{PublishedRate, SiteInputs};

impl Assessor {
    /// The size as used, and the figures it gives at this grid intensity, with the share of
    /// energy the site generates itself at its own factor (`onsite`, issue 24). A figure too
    /// large to hold (not finite) is an error naming what made it so: validation bounds the
    /// size, so only the emission factors can.
    pub(super) fn compute(
        &self,
        site: &Site,
        grid_intensity: f64,
        onsite: Option<&OnsiteFactor>,
        notes: &mut Vec<Cow<str>>,
    ) -> (SiteSize, Result<SiteFigures, String>) {
        let share = onsite.map_or(0.0, |_| site.supply.onsite_share);
        let onsite_g = onsite.map_or(0.0, |o| o.g_per_kwh);
        // The site's own intensity: its grid's for the energy it buys, its own factor's for the
        // energy it generates.
        let intensity = (1.0 - share) * grid_intensity + share * onsite_g;
        let mut size = SiteSize {
            hashrate_ths: site.hashrate_ths,
            efficiency_j_per_th: site.efficiency_j_per_th,
            uptime: site.uptime,
            pue: None,
            months: site.months.map(|m| m.to_string()),
        };
        let (power, j_per_th_at_meter) = match (site.power_mw, site.hashrate_ths, site.efficiency_j_per_th) {
            (Some(p), h, _) => {
                notes.push("power_mw given: energy and per-TH values use the measured draw".into());
                (p, h.map(|h| p * 1e6 / h))
            }
            (None, Some(h), Some(e)) => {
                size.pue = Some(site.pue);
                (assess::power_mw(h, e, site.pue), Some(e * site.pue))
            }
            _ => unreachable!("validate guarantees power_mw, or hashrate and efficiency"),
        };
        if let Some(own) = onsite.filter(|_| share > 0.0) {
            notes.push(Cow::Owned(format!(
                "{}% of the energy from its own {} generation at {} gCO2e/kWh: the co2 fields count it, the mix \
                 fields and intensity_g_per_kwh are the grid's",
                crate::round::to(share * 100.0, 1),
                own.fuel.name().replace('_', " "),
                crate::round::to(own.g_per_kwh, 1)
            )));
        }
        let operating = site.months.unwrap_or(Months::ALL);
        let days = f64::from(operating.days());
        let energy = assess::energy_mwh_in_days(power, days, site.uptime);
        let co2_g_per_th = j_per_th_at_meter.map(|j| assess::co2_g_per_th(j, intensity));
        let figures = SiteFigures {
            power_mw: power,
            energy_mwh_per_year: energy,
            co2_t_per_year: assess::co2_t_per_year(energy, intensity),
            co2_g_per_th,
            co2_kg_per_ths_day: co2_g_per_th.map(assess::co2_kg_per_ths_day),
            j_per_th_at_meter,
            year_fraction: site.uptime * days / f64::from(Months::ALL.days()),
            intervals: IntervalFields::default(),
            draw_class: None,
            onsite_mwh_per_year: energy * share,
            onsite_co2_t_per_year: assess::co2_t_per_year(energy * share, onsite_g),
            onsite_source: onsite.filter(|_| share > 0.0).map(|o| o.fuel.source()),
        };
        let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
        let show = crate::sites::plausibility::show;
        if !(power.is_finite() && energy.is_finite()) {
            let message = format!(
                "the power ({} MW) or the energy ({} MWh/yr) is too large to compute; check the size columns",
                show(power),
                show(energy)
            );
            return (size, Err(message));
        }
        if !(intensity.is_finite()
            && figures.co2_t_per_year.is_finite()
            && finite(figures.co2_g_per_th)
            && finite(figures.co2_kg_per_ths_day))
        {
            let message = format!(
                "the emissions are too large to compute: {} MWh/yr at {} gCO2e/kWh from the emission factors ({}); check the factors",
                show(energy),
                show(intensity),
                self.factors.label
            );
            return (size, Err(message));
        }
        (size, Ok(figures))
    }

    /// The figures with their intervals and class of draws, when there are draws.
    pub(super) fn with_intervals(
        &self,
        site: &Site,
        m: &RegionMix,
        mut figures: SiteFigures,
        notes: &mut Vec<Cow<str>>,
    ) -> SiteFigures {
        let Some(mc) = &self.monte_carlo else {
            return figures;
        };
        let inputs = SiteInputs {
            power_measured: site.power_mw.is_some(),
            pue_given: site.pue_given,
            uptime_given: site.uptime_given,
        };
        // A published rate's draws are centred on it (issue 22); the class is kept per region
        // lookup, whose rate is fixed.
        let class = m.classes[inputs.index()].get_or_init(|| {
            let rate = m.published.as_deref().map(|dataset| PublishedRate {
                dataset,
                g_per_kwh: m.result.mix.intensity_g_per_kwh.unwrap_or_default(),
            });
            mc.class_at(&self.grid, &m.key, &m.mix.shares, inputs, rate)
        });
        // A site that generates part of its energy itself (issue 24): the draws move the
        // energy of both parts and the grid's intensity, its own factor is held.
        let own_share = figures.onsite_mwh_per_year / figures.energy_mwh_per_year;
        let i = match own_share.is_finite() && own_share > 0.0 {
            true => mc.intervals_with_own_part(
                &self.grid,
                class,
                figures.energy_mwh_per_year,
                figures.j_per_th_at_meter,
                own_share,
                figures.onsite_co2_t_per_year * 1000.0 / figures.onsite_mwh_per_year,
            ),
            false => class.intervals(figures.energy_mwh_per_year, figures.j_per_th_at_meter),
        };
        figures.intervals = IntervalFields {
            intensity_g_per_kwh: Some(i.intensity_g_per_kwh),
            co2_t_per_year: Some(i.co2_t_per_year),
            co2_g_per_th: i.co2_g_per_th,
        };
        figures.draw_class = Some(i.class);
        notes.extend(i.note.map(Cow::Owned));
        figures
    }
}
