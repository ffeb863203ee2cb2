//! Portfolio totals: only running sums are kept, so memory does not grow with the sites.

use super::result::{SiteResult, Status};
use crate::grid::UsedDatasets;
use crate::source::{SOURCE_COUNT, Source};
use crate::uncertainty::ClassSums;

/// Running totals over the assessed sites.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Portfolio {
    /// Rows read.
    pub sites: u64,
    /// Rows assessed.
    pub sites_ok: u64,
    /// Rows with status error.
    pub sites_failed: u64,
    /// Rows with warnings, ok or failed.
    pub sites_with_warnings: u64,
    /// Sum of hashrate, TH/s (sites that give one).
    pub hashrate_ths: f64,
    /// Sum of facility power, MW.
    pub power_mw: f64,
    /// Sum of energy, MWh per year.
    pub energy_mwh_per_year: f64,
    /// Sum of emissions, t per year.
    pub co2_t_per_year: f64,
    /// Energy-weighted sums of each share, MWh.
    share_mwh: [f64; SOURCE_COUNT],
    /// Emissions of the sites with a hashrate, g per year.
    co2_g_hashed: f64,
    /// Terahashes computed per year by the sites with a hashrate.
    th_per_year: f64,
    /// Assessed sites at each risk level, ordered like `risk::LEVELS`.
    pub risk_sites: [u64; 4],
    /// Hashrate at each risk level, TH/s.
    pub risk_hashrate_ths: [f64; 4],
    /// Sums per class of the Monte Carlo draws (see `uncertainty`), indexed by class.
    pub by_class: Vec<ClassSums>,
    /// Scope 1, 2 and 3 (category 3) totals and the energy mix (issue 24).
    pub scope: crate::scope::ScopeTotals,
    /// The datasets the rows used, ok or failed: what the output's `sources` lists.
    pub datasets: UsedDatasets,
}

/// Seconds per year (8,760 h).
const SECONDS_PER_YEAR: f64 = 8760.0 * 3600.0;

/// What one site adds to the portfolio, without the rest of its result: what a run keeps of a
/// site once its bytes are written (the result itself is dropped where it was made).
#[derive(Debug, Clone, Copy)]
pub struct Contribution {
    /// None for a failed row.
    assessed: Option<Assessed>,
    /// Whether the row has warnings.
    warned: bool,
    /// The datasets the row used.
    datasets: UsedDatasets,
    /// Its Scope figures (none for a failed row or a run on the lifecycle basis).
    scope: Option<crate::scope::ScopeTotals>,
}

/// An assessed site's part of the totals.
#[derive(Debug, Clone, Copy)]
struct Assessed {
    hashrate_ths: Option<f64>,
    power_mw: f64,
    energy_mwh: f64,
    co2_t: f64,
    shares: [f64; SOURCE_COUNT],
    year_fraction: f64,
    risk_level: Option<usize>,
    draw_class: Option<usize>,
    onsite_mwh: f64,
    onsite_co2_t: f64,
    onsite_source: Option<Source>,
}

impl Contribution {
    /// A site's part of the totals (a failed row counts as failed).
    pub fn of(site: &SiteResult) -> Contribution {
        let assessed = match (site.status(), &site.figures, site.region) {
            (Status::Ok, Some(figures), Some(region)) => region.mix.shares.map(|shares| Assessed {
                hashrate_ths: site.size.as_ref().and_then(|s| s.hashrate_ths),
                power_mw: figures.power_mw,
                energy_mwh: figures.energy_mwh_per_year,
                co2_t: figures.co2_t_per_year,
                shares,
                year_fraction: figures.year_fraction,
                risk_level: Some(region.risk.risk.level.index()),
                draw_class: figures.draw_class,
                onsite_mwh: figures.onsite_mwh_per_year,
                onsite_co2_t: figures.onsite_co2_t_per_year,
                onsite_source: figures.onsite_source,
            }),
            _ => None,
        };
        Contribution {
            assessed,
            warned: !site.warnings.is_empty(),
            datasets: site.datasets,
            scope: match site.status() {
                Status::Ok => site.scope.as_ref().map(|s| crate::scope::ScopeTotals::of(&s.figures)),
                Status::Error => None,
            },
        }
    }
}

impl Portfolio {
    /// Add a site's result (a failed one counts as failed).
    pub fn add(&mut self, site: &SiteResult) {
        self.add_contribution(&Contribution::of(site));
    }

    /// Add what a site contributes (see [`Contribution`]).
    pub fn add_contribution(&mut self, c: &Contribution) {
        if c.warned {
            self.sites_with_warnings += 1;
        }
        self.datasets.merge(c.datasets);
        let Some(t) = &c.assessed else {
            self.add_failed();
            return;
        };
        self.add_assessed(
            t.hashrate_ths,
            t.power_mw,
            (t.energy_mwh, t.onsite_mwh),
            t.co2_t,
            (&t.shares, t.onsite_source),
            t.year_fraction,
        );
        if let Some(i) = t.risk_level {
            self.add_risk(i, t.hashrate_ths);
        }
        if let Some(scope) = &c.scope {
            self.scope.add(scope);
        }
        if let Some(class) = t.draw_class {
            self.add_class(class, t);
        }
    }

    /// Count an assessed site's risk level (an index into `risk::LEVELS`).
    fn add_risk(&mut self, level: usize, hashrate_ths: Option<f64>) {
        if level < 4 {
            self.risk_sites[level] += 1;
            self.risk_hashrate_ths[level] += hashrate_ths.unwrap_or(0.0);
        }
    }

    /// Add an assessed site's headline energy (and, with a hashrate, its terahashes) to its
    /// class of draws: the grid's part, and the part it generates itself with its emissions
    /// (the draws move both energies; the own factor is held).
    fn add_class(&mut self, class: usize, t: &Assessed) {
        if self.by_class.len() <= class {
            self.by_class.resize(class + 1, ClassSums::default());
        }
        let sums = &mut self.by_class[class];
        let grid_mwh = t.energy_mwh - t.onsite_mwh;
        sums.energy_mwh += grid_mwh;
        sums.own_energy_mwh += t.onsite_mwh;
        sums.own_co2_t += t.onsite_co2_t;
        if let Some(h) = t.hashrate_ths {
            sums.hashed_energy_mwh += grid_mwh;
            sums.own_hashed_g += t.onsite_co2_t * 1e6;
            sums.th_per_year += h * SECONDS_PER_YEAR * t.year_fraction;
        }
    }

    /// Count a failed row.
    fn add_failed(&mut self) {
        self.sites += 1;
        self.sites_failed += 1;
    }

    /// Add an assessed site's figures: its energy (all of it, and the part it generates
    /// itself) and the sources it comes from (its grid's shares for what it buys, its own
    /// plant's source for the rest).
    fn add_assessed(
        &mut self,
        hashrate_ths: Option<f64>,
        power_mw: f64,
        (energy_mwh, own_mwh): (f64, f64),
        co2_t: f64,
        (grid_shares, own_source): (&[f64; SOURCE_COUNT], Option<Source>),
        uptime: f64,
    ) {
        self.sites += 1;
        self.sites_ok += 1;
        self.power_mw += power_mw;
        self.energy_mwh_per_year += energy_mwh;
        self.co2_t_per_year += co2_t;
        let grid_mwh = energy_mwh - own_mwh;
        for (acc, s) in self.share_mwh.iter_mut().zip(grid_shares) {
            *acc += grid_mwh * s;
        }
        if let Some(source) = own_source {
            self.share_mwh[source.index()] += own_mwh;
        }
        if let Some(h) = hashrate_ths {
            self.hashrate_ths += h;
            self.co2_g_hashed += co2_t * 1e6;
            self.th_per_year += h * SECONDS_PER_YEAR * uptime;
        }
    }

    /// Energy-weighted shares; `None` without energy.
    pub fn shares(&self) -> Option<[f64; SOURCE_COUNT]> {
        (self.energy_mwh_per_year > 0.0).then(|| self.share_mwh.map(|m| m / self.energy_mwh_per_year))
    }

    /// Energy-weighted intensity, gCO2e/kWh: total t x 1000 / total MWh.
    pub fn intensity_g_per_kwh(&self) -> Option<f64> {
        (self.energy_mwh_per_year > 0.0).then(|| self.co2_t_per_year * 1000.0 / self.energy_mwh_per_year)
    }

    /// The fleet's emissions per terahash, g: emissions of the sites with a hashrate over the
    /// terahashes they compute in a year.
    pub fn co2_g_per_th(&self) -> Option<f64> {
        (self.th_per_year > 0.0).then(|| self.co2_g_hashed / self.th_per_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intensity_and_shares_are_energy_weighted() {
        let mut p = Portfolio::default();
        let coal = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let hydro = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        // 300 MWh at 820 g/kWh = 246 t; 100 MWh at 24 g/kWh = 2.4 t.
        p.add_assessed(Some(10.0), 1.0, (300.0, 0.0), 246.0, (&coal, None), 1.0);
        p.add_assessed(Some(10.0), 1.0, (100.0, 0.0), 2.4, (&hydro, None), 1.0);
        p.add_failed();
        assert_eq!((p.sites, p.sites_ok, p.sites_failed), (3, 2, 1));
        // (246 + 2.4) t x 1000 / 400 MWh = 621 g/kWh.
        assert!((p.intensity_g_per_kwh().unwrap() - 621.0).abs() < 1e-9);
        let s = p.shares().unwrap();
        assert_eq!((s[0], s[4]), (0.75, 0.25));
        // 248.4e6 g over 20 TH/s x 31,536,000 s.
        assert!((p.co2_g_per_th().unwrap() - 248.4e6 / (20.0 * 31_536_000.0)).abs() < 1e-15);
    }

    // Issue 24: the fleet's mix is of the electricity its sites use: a site's own plant counts
    // as its source, only the rest as its grid's shares.
    #[test]
    fn a_sites_own_generation_counts_as_its_source_in_the_fleets_mix() {
        let mut p = Portfolio::default();
        let hydro = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        // 100 MWh, 80 of them from its own gas plant, the rest from an all-hydro grid; and
        // 100 MWh from the same grid alone.
        p.add_assessed(None, 1.0, (100.0, 80.0), 40.0, (&hydro, Some(Source::Gas)), 1.0);
        p.add_assessed(None, 1.0, (100.0, 0.0), 0.0, (&hydro, None), 1.0);
        let s = p.shares().unwrap();
        // Gas 80 / 200 MWh, hydro (20 + 100) / 200.
        assert_eq!((s[Source::Gas.index()], s[Source::Hydro.index()]), (0.4, 0.6));
    }

    #[test]
    fn an_empty_portfolio_has_no_intensity() {
        assert_eq!(Portfolio::default().intensity_g_per_kwh(), None);
        assert_eq!(Portfolio::default().co2_g_per_th(), None);
    }
}
