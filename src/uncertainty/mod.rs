//! Monte Carlo intervals: every headline number gets its 5th, 50th and 95th percentiles
//! over `--draws` samples of the uncertain inputs (emission factors, machine efficiency,
//! PUE, uptime and the grid mix), drawn from a seeded generator so that the same seed gives
//! the same bytes.
//!
//! Cost does not grow with sites times draws. A draw samples each factor, the efficiency,
//! PUE and uptime once for every site, and each region's mix once. A site's draws are then
//! its headline value times a per-draw multiplier that depends only on its mix and on which
//! inputs it gave, so sites that share both share one vector of multipliers (a "class"),
//! whose percentiles are computed once. The portfolio keeps a running sum per class and
//! adds the classes up draw by draw at the end: correlation between sites is kept exactly,
//! and memory stays flat in the number of sites. A class whose intensity is a published rate
//! takes its mix's draws rescaled to that rate (`published`).

mod cache;
mod config;
mod distributions;
mod factors;
mod info;
mod mix;
mod published;

use std::sync::{Arc, Mutex};

use rand::SeedableRng;
use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;
use statrs::statistics::{Data, OrderStatistics};

pub use config::{Config, UNCERTAINTY_SCHEMA, UNCERTAINTY_SCHEMA_V1};
pub use distributions::{Flat, SplitLogNormal, SplitUniform};
pub use factors::{FactorModel, HydroModel};
pub use info::{InputRange, UncertaintyInfo};
pub use mix::{Changes, changes, moved};
pub use published::PublishedRate;

use cache::{Cache, ClassKey};

use crate::assess;
use crate::defaults::{DEFAULT_PUE, DEFAULT_UPTIME};
use crate::grid::GridData;
use crate::months::Months;
use crate::source::{SOURCE_COUNT, Source};

/// Draws when `--draws` is not given.
pub const DEFAULT_DRAWS: usize = 1000;
/// Seed when `--seed` is not given: a fixed one, so output is deterministic.
pub const DEFAULT_SEED: u64 = 1;
/// Most draws accepted: each mix in a run keeps one f64 per draw.
pub const MAX_DRAWS: usize = 100_000;

/// How the percentiles are estimated, for the output's description.
pub const PERCENTILE_METHOD: &str =
    "5th, 50th and 95th percentiles of the draws (statrs quantile: Hyndman and Fan type 8, median-unbiased)";

/// The 5th, 50th and 95th percentiles of some draws: a 90% interval and its middle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Interval {
    /// The percentiles of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Interval> {
        if values.is_empty() {
            return None;
        }
        let mut data = Data::new(values.to_vec());
        Some(Interval {
            p05: data.quantile(0.05),
            p50: data.quantile(0.5),
            p95: data.quantile(0.95),
        })
    }

    /// Every percentile times `k` (k >= 0: scaling keeps the order of the draws).
    pub fn scaled(self, k: f64) -> Interval {
        Interval {
            p05: self.p05 * k,
            p50: self.p50 * k,
            p95: self.p95 * k,
        }
    }
}

/// A generator for one input: the seed, and a stream named after the input, so that each
/// input's draws do not depend on which other inputs are sampled.
fn stream(seed: u64, label: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(fnv1a(label));
    rng
}

/// FNV-1a, 64-bit: a stable hash of a label (std's hasher may change between releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Which of the uncertain inputs a site gave itself (those are not sampled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SiteInputs {
    /// The site gave its measured power: efficiency and PUE do not enter.
    pub power_measured: bool,
    /// The site gave its PUE.
    pub pue_given: bool,
    /// The site gave its uptime.
    pub uptime_given: bool,
}

/// The samples every site shares in each draw.
#[derive(Debug, Clone)]
pub struct Draws {
    /// Number of draws.
    pub n: usize,
    /// The seed.
    pub seed: u64,
    factors: Vec<[f64; SOURCE_COUNT]>,
    /// Hydro's factor in each draw for the mixes outside the tropics (empty without that range).
    hydro_extratropical: Vec<f64>,
    efficiency: Vec<f64>,
    pue: Vec<f64>,
    uptime: Vec<f64>,
}

impl SiteInputs {
    /// A number 0-7 naming the combination, for small per-class tables.
    pub fn index(self) -> usize {
        usize::from(self.power_measured) | usize::from(self.pue_given) << 1 | usize::from(self.uptime_given) << 2
    }
}

impl Draws {
    fn sample(n: usize, seed: u64, factors: &FactorModel, config: &Config) -> Draws {
        let mut per_draw = vec![factors.central; n];
        for s in Source::ALL {
            if let Some(d) = factors.ranges[s.index()] {
                let mut rng = stream(seed, &format!("factor:{}", s.name()));
                for f in per_draw.iter_mut() {
                    f[s.index()] = d.sample(&mut rng);
                }
            }
        }
        let take = |label: &str, d: &dyn Fn(&mut ChaCha8Rng) -> f64| {
            let mut rng = stream(seed, label);
            (0..n).map(|_| d(&mut rng)).collect::<Vec<f64>>()
        };
        // The same stream as hydro's IPCC draws, so both ranges take the same normal deviate
        // in a draw: hydro dirty in one draw is dirty inside and outside the tropics.
        let hydro_label = format!("factor:{}", Source::Hydro.name());
        let hydro_extratropical = match &factors.hydro_climate {
            Some(h) => take(&hydro_label, &|r| h.extratropical.sample(r)),
            None => Vec::new(),
        };
        let efficiency = Flat::new(config.efficiency.low, config.efficiency.high).expect("config checks the range");
        let pue = SplitUniform::new(config.pue.low, DEFAULT_PUE, config.pue.high).expect("config checks the range");
        let uptime = Flat::new(config.uptime.low, config.uptime.high).expect("config checks the range");
        Draws {
            n,
            seed,
            factors: per_draw,
            hydro_extratropical,
            efficiency: take("efficiency", &|r| efficiency.sample(r)),
            pue: take("pue", &|r| pue.sample(r)),
            uptime: take("uptime", &|r| uptime.sample(r)),
        }
    }

    /// Every source's factor in draw `d`, hydro's the mean of its draws inside and outside the
    /// tropics weighted by `tropical_share` (both draws share a deviate, so the mean's quantiles
    /// are the same mean of the two distributions' quantiles).
    fn factors_at(&self, d: usize, tropical_share: f64) -> [f64; SOURCE_COUNT] {
        let mut f = self.factors[d];
        if tropical_share < 1.0
            && let Some(outside) = self.hydro_extratropical.get(d)
        {
            let hydro = &mut f[Source::Hydro.index()];
            *hydro = tropical_share * *hydro + (1.0 - tropical_share) * outside;
        }
        f
    }

    /// Energy in draw `d` over the headline energy.
    fn energy_factor(&self, d: usize, s: SiteInputs) -> f64 {
        let hours = if s.uptime_given {
            1.0
        } else {
            self.uptime[d] / DEFAULT_UPTIME
        };
        self.per_th_factor(d, s) * hours
    }

    /// Energy per terahash in draw `d` over the headline (uptime does not enter).
    fn per_th_factor(&self, d: usize, s: SiteInputs) -> f64 {
        if s.power_measured {
            return 1.0;
        }
        let pue = if s.pue_given { 1.0 } else { self.pue[d] / DEFAULT_PUE };
        self.efficiency[d] * pue
    }

    /// Terahashes in draw `d` over the headline.
    fn th_factor(&self, d: usize, s: SiteInputs) -> f64 {
        if s.uptime_given {
            1.0
        } else {
            self.uptime[d] / DEFAULT_UPTIME
        }
    }
}

/// Which mix a site uses: the data region, the (latest) year and the months of monthly
/// data (none for annual data).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MixKey {
    /// The region whose data is used.
    pub region: String,
    /// The year of the data.
    pub year: u16,
    /// The months of monthly data used.
    pub months: Option<Months>,
}

/// How far a region's real intensity may be from its mix modelled from plant capacity, as a
/// multiplier on the modelled intensity: each draw of a modelled region's intensity is multiplied
/// by a factor drawn uniformly between [`MODELLED_LOW`] and [`MODELLED_HIGH`], on top of the mix's
/// own moves and the factors' ranges. Source: `tools/validate_gem_model.py` (issue 23) applies the
/// model to China's 31 provinces, whose generation NBS publishes (GEM's operating units x China's
/// generation per MW of GEM capacity by source), on the direct basis the default gives these
/// regions, with wind and solar counted as the model counts them (zero) and as NBS publishes
/// them: over 152 province-years (2019-2023) the modelled intensity was above the real one in
/// 138, error modelled / real - 1 from -2.9% (5th percentile) to +66.0% (95th), median +11.2%
/// (worst Yunnan 2019, +163%, where wind, solar and long-running hydro are left out). The errors
/// are one-sided, so is the widening: real / modelled from 1 / 1.660 = 0.602 to 1 / 0.971 =
/// 1.030. The modelled headline stays as computed; its interval reaches down to where the
/// published comparisons in METHOD.md lie (Irkutsk's ~75% hydro gives 190 g/kWh against the
/// modelled 253.4).
pub const MODELLED_LOW: f64 = 0.602;
/// The top of the modelled widening (see [`MODELLED_LOW`]): 1 / (1 - 0.029).
pub const MODELLED_HIGH: f64 = 1.030;

/// Whether the mix of `key` is a row modelled from plant capacity
/// ([`crate::grid::MODELLED_DATASET`]).
fn is_modelled(grid: &GridData, key: &MixKey) -> bool {
    key.months.is_none()
        && grid
            .years(&key.region)
            .iter()
            .any(|r| r.year == key.year && r.dataset == crate::grid::MODELLED_DATASET)
}

/// A mix's percentiles, and what it takes to draw its intensities again: the draws
/// themselves are kept only in the bounded cache (see [`KEPT_MIX_VALUES`]).
#[derive(Debug)]
struct MixDraws {
    key: MixKey,
    shares: [f64; SOURCE_COUNT],
    interval: Interval,
    note: Option<String>,
}

/// Most intensities (one f64 per draw per mix) the run keeps at once: 16 Mi values, 128 MiB.
/// Not a published figure but a memory budget (issue 20: 31 provinces x 144 sets of months
/// at 100,000 draws kept 3.6 GB). A mix beyond it is drawn again from the seed when needed,
/// which gives the same values, so the output does not depend on the budget.
const KEPT_MIX_VALUES: usize = 16 * 1024 * 1024;

/// Where a class's intensities sit: the mix model's own, or a published rate's.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Centre {
    /// The mix model's intensity in each draw.
    Mix,
    /// The mix model's intensity times this factor (published rate / the mix's median).
    Scaled(f64),
    /// This published rate in every draw (the mix model's median is 0: no relative spread).
    Fixed(f64),
}

impl Centre {
    /// The intensity in a draw where the mix model gives `mix`.
    fn at(self, mix: f64) -> f64 {
        match self {
            Centre::Mix => mix,
            Centre::Scaled(k) => mix * k,
            Centre::Fixed(v) => v,
        }
    }
}

/// Sites that share a mix, the same given inputs and the same centre.
#[derive(Debug)]
struct Class {
    mix: Arc<MixDraws>,
    inputs: SiteInputs,
    centre: Centre,
    /// Percentiles of the intensity, gCO2e/kWh.
    intensity: Interval,
    /// What the class's draws had to substitute (the mix's note, or the published rate's).
    note: Option<String>,
    /// Percentiles of (energy factor x intensity): CO2 per MWh of headline energy, g/kWh.
    co2_per_mwh: Interval,
    /// Percentiles of (per-TH factor x intensity), g/kWh.
    per_th: Interval,
}

/// A class of sites, to compute a member's intervals without looking the class up again.
#[derive(Debug, Clone)]
pub struct ClassRef(usize, Arc<Class>);

impl ClassRef {
    /// A member's intervals from its headline energy per year (MWh) and energy per terahash
    /// at the meter (J/TH).
    pub fn intervals(&self, energy_mwh: f64, j_per_th: Option<f64>) -> SiteIntervals {
        let class = &self.1;
        SiteIntervals {
            class: self.0,
            intensity_g_per_kwh: class.intensity,
            // MWh x g/kWh = kg; / 1000 = t.
            co2_t_per_year: class.co2_per_mwh.scaled(energy_mwh / 1000.0),
            co2_g_per_th: j_per_th.map(|j| class.per_th.scaled(j / assess::J_PER_KWH)),
            note: class.note.clone(),
        }
    }
}

/// Running sums of one class of sites, for the portfolio.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClassSums {
    /// Headline energy from the grid, MWh per year.
    pub energy_mwh: f64,
    /// Headline grid energy of the sites with a hashrate, MWh per year.
    pub hashed_energy_mwh: f64,
    /// Headline terahashes per year.
    pub th_per_year: f64,
    /// Headline energy the sites generate themselves (issue 24), MWh per year: the draws move
    /// it as they move the grid's (PUE, efficiency, uptime), at its own fixed factor.
    pub own_energy_mwh: f64,
    /// Its headline emissions, t CO2e per year.
    pub own_co2_t: f64,
    /// Its headline emissions at the sites with a hashrate, g CO2e per year.
    pub own_hashed_g: f64,
}

/// One site's intervals.
#[derive(Debug, Clone)]
pub struct SiteIntervals {
    /// The site's class, to add it to the portfolio.
    pub class: usize,
    /// Carbon intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: Interval,
    /// Emissions, t per year.
    pub co2_t_per_year: Interval,
    /// Emissions per terahash, g (sites with a hashrate).
    pub co2_g_per_th: Option<Interval>,
    /// What the mix's draws had to substitute.
    pub note: Option<String>,
}

/// The portfolio's intervals.
#[derive(Debug, Clone, Copy)]
pub struct PortfolioIntervals {
    /// Energy-weighted intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: Option<Interval>,
    /// Total emissions, t per year.
    pub co2_t_per_year: Interval,
    /// The fleet's emissions per terahash, g.
    pub co2_g_per_th: Option<Interval>,
}

/// The draws of one run, with the mixes and classes met so far.
pub struct MonteCarlo {
    /// The shared samples.
    pub draws: Draws,
    config: Config,
    factors: FactorModel,
    year_asked: u16,
    model: String,
    cache: Mutex<Cache>,
    /// Most mix draws kept at once ([`KEPT_MIX_VALUES`]; smaller in tests).
    kept_values: usize,
}

impl MonteCarlo {
    /// Sample `n` draws (1 or more) from `seed`.
    pub fn new(n: usize, seed: u64, config: Config, factors: FactorModel, year_asked: u16, model: &str) -> MonteCarlo {
        MonteCarlo {
            draws: Draws::sample(n, seed, &factors, &config),
            config,
            factors,
            year_asked,
            model: model.to_string(),
            cache: Mutex::new(Cache::default()),
            kept_values: KEPT_MIX_VALUES,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic elsewhere cannot leave the cache half-written: entries are inserted whole.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A mix's intensity in each draw, and what its changes had to substitute: the same
    /// values every time for the same key, shares and seed.
    fn draw_mix(&self, grid: &GridData, key: &MixKey, shares: &[f64; SOURCE_COUNT]) -> (Vec<f64>, Option<String>) {
        // A later year stands in for an earlier one as far as an earlier year would for a later.
        let gap = self.year_asked.abs_diff(key.year);
        let found = mix::changes(grid, &key.region, key.months, key.year, gap, &self.config.mix);
        // One stream per data region: its mixes (annual, or over some months) move together.
        let mut rng = stream(self.draws.seed, &format!("mix:{}", key.region));
        let unit = Flat::new(0.0, 1.0).expect("0 <= 1");
        let tropical_share = self.factors.tropical_hydro_share(&key.region);
        let mut intensity: Vec<f64> = (0..self.draws.n)
            .map(|d| {
                let f = &self.draws.factors_at(d, tropical_share);
                if found.deltas.is_empty() {
                    return assess::intensity_g_per_kwh(shares, f);
                }
                let pick = unit.sample(&mut rng) * found.deltas.len() as f64;
                let delta = &found.deltas[(pick as usize).min(found.deltas.len() - 1)];
                let sign = if unit.sample(&mut rng) < 0.5 { -1.0 } else { 1.0 };
                assess::intensity_g_per_kwh(&mix::moved(shares, delta, sign), f)
            })
            .collect();
        if is_modelled(grid, key) {
            // A stream of its own: the draws of every other mix stay as they were.
            let mut rng = stream(self.draws.seed, &format!("modelled:{}", key.region));
            let spread = Flat::new(MODELLED_LOW, MODELLED_HIGH).expect("0 < MODELLED_LOW < MODELLED_HIGH");
            for v in &mut intensity {
                *v *= spread.sample(&mut rng);
            }
        }
        (intensity, found.note)
    }

    /// The draws of a mix whose headline shares are `shares`, with its intensities.
    fn mix(&self, grid: &GridData, key: &MixKey, shares: &[f64; SOURCE_COUNT]) -> (Arc<MixDraws>, Arc<Vec<f64>>) {
        let known = self.lock().mixes.get(key).cloned();
        if let Some(m) = known {
            let intensity = self.intensity(grid, &m);
            return (m, intensity);
        }
        let (intensity, note) = self.draw_mix(grid, key, shares);
        let m = Arc::new(MixDraws {
            key: key.clone(),
            shares: *shares,
            interval: Interval::of(&intensity).expect("at least one draw"),
            note,
        });
        let intensity = Arc::new(intensity);
        let mut cache = self.lock();
        cache.mixes.insert(key.clone(), m.clone());
        cache.keep(key, intensity.clone(), self.kept_values);
        (m, intensity)
    }

    /// A mix's intensities: kept, or drawn again.
    fn intensity(&self, grid: &GridData, m: &MixDraws) -> Arc<Vec<f64>> {
        if let Some(v) = self.lock().kept(&m.key) {
            return v;
        }
        let v = Arc::new(self.draw_mix(grid, &m.key, &m.shares).0);
        self.lock().keep(&m.key, v.clone(), self.kept_values);
        v
    }

    /// A site's intervals. `energy_mwh` is its headline energy per year; `j_per_th` its
    /// headline energy per terahash at the meter (J/TH x PUE, or measured power over hashrate).
    pub fn site(
        &self,
        grid: &GridData,
        key: &MixKey,
        shares: &[f64; SOURCE_COUNT],
        inputs: SiteInputs,
        energy_mwh: f64,
        j_per_th: Option<f64>,
    ) -> SiteIntervals {
        self.class(grid, key, shares, inputs).intervals(energy_mwh, j_per_th)
    }

    /// The class of the sites with this mix and these given inputs, made on first use.
    pub fn class(&self, grid: &GridData, key: &MixKey, shares: &[f64; SOURCE_COUNT], inputs: SiteInputs) -> ClassRef {
        let class_key = (key.clone(), inputs, None);
        if let Some((id, class)) = self.lock().class(&class_key) {
            return ClassRef(id, class);
        }
        let (mix, intensity) = self.mix(grid, key, shares);
        let note = mix.note.clone();
        self.new_class(class_key, mix, &intensity, Centre::Mix, note)
    }

    /// Make a class from its mix's draws, centred as asked, and add it.
    fn new_class(
        &self,
        class_key: ClassKey,
        mix: Arc<MixDraws>,
        mix_intensity: &[f64],
        centre: Centre,
        note: Option<String>,
    ) -> ClassRef {
        let d = &self.draws;
        let inputs = class_key.1;
        let intensity: Vec<f64> = mix_intensity.iter().map(|m| centre.at(*m)).collect();
        let co2: Vec<f64> = (0..d.n).map(|i| d.energy_factor(i, inputs) * intensity[i]).collect();
        let per_th: Vec<f64> = (0..d.n).map(|i| d.per_th_factor(i, inputs) * intensity[i]).collect();
        let class = Arc::new(Class {
            intensity: Interval::of(&intensity).expect("at least one draw"),
            co2_per_mwh: Interval::of(&co2).expect("at least one draw"),
            per_th: Interval::of(&per_th).expect("at least one draw"),
            mix,
            inputs,
            centre,
            note,
        });
        let (id, class) = self.lock().add_class(class_key, class);
        ClassRef(id, class)
    }

    /// A class's intensity (gCO2e/kWh) and energy factor (energy over the headline) in each
    /// draw, for callers that combine classes draw by draw with their own weights (`hashmix
    /// mica`: a network's regions, and two geographies on the same draws). A mix's draws that
    /// are no longer kept are drawn again from `grid`, which gives the same values.
    pub fn class_draws(&self, grid: &GridData, class: &ClassRef) -> (Vec<f64>, Vec<f64>) {
        let class = &class.1;
        let mix = self.intensity(grid, &class.mix);
        let intensity = mix.iter().map(|m| class.centre.at(*m)).collect();
        let energy = (0..self.draws.n)
            .map(|d| self.draws.energy_factor(d, class.inputs))
            .collect();
        (intensity, energy)
    }

    /// A member's intervals when `own_share` of its energy is generated on site at
    /// `own_g_per_kwh` (issue 24): each draw moves the energy of both parts (PUE, efficiency,
    /// uptime) and the grid's intensity; the own factor is held. The intensity interval stays
    /// the grid's, as the `intensity_g_per_kwh` field is.
    pub fn intervals_with_own_part(
        &self,
        grid: &GridData,
        class: &ClassRef,
        energy_mwh: f64,
        j_per_th: Option<f64>,
        own_share: f64,
        own_g_per_kwh: f64,
    ) -> SiteIntervals {
        let (intensity, energy) = self.class_draws(grid, class);
        let inputs = class.1.inputs;
        // The site's own intensity in each draw: the grid's for what it buys, its own factor's
        // for what it generates.
        let site: Vec<f64> = intensity
            .iter()
            .map(|i| (1.0 - own_share) * i + own_share * own_g_per_kwh)
            .collect();
        let co2: Vec<f64> = (0..self.draws.n)
            .map(|d| energy_mwh * energy[d] * site[d] / 1000.0)
            .collect();
        let per_th = j_per_th.map(|j| {
            (0..self.draws.n)
                .map(|d| j / assess::J_PER_KWH * self.draws.per_th_factor(d, inputs) * site[d])
                .collect::<Vec<f64>>()
        });
        SiteIntervals {
            class: class.0,
            intensity_g_per_kwh: class.1.intensity,
            co2_t_per_year: Interval::of(&co2).expect("at least one draw"),
            co2_g_per_th: per_th.map(|v| Interval::of(&v).expect("at least one draw")),
            note: class.1.note.clone(),
        }
    }

    /// The portfolio's intervals from its per-class sums (indexed by class); `None` without
    /// any energy. A class's mix draws that are no longer kept are drawn again from `grid`.
    pub fn portfolio(&self, grid: &GridData, sums: &[ClassSums]) -> Option<PortfolioIntervals> {
        let classes = self.lock().classes.clone();
        let n = self.draws.n;
        let (mut energy, mut co2_t, mut hashed_g, mut th) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for (class, s) in classes.iter().zip(sums).filter(|(_, s)| **s != ClassSums::default()) {
            let intensity = self.intensity(grid, &class.mix);
            for d in 0..n {
                let e = self.draws.energy_factor(d, class.inputs);
                let i = class.centre.at(intensity[d]);
                energy[d] += (s.energy_mwh + s.own_energy_mwh) * e;
                co2_t[d] += (s.energy_mwh * i / 1000.0 + s.own_co2_t) * e;
                hashed_g[d] += (s.hashed_energy_mwh * i * 1000.0 + s.own_hashed_g) * e;
                th[d] += s.th_per_year * self.draws.th_factor(d, class.inputs);
            }
        }
        if energy.iter().all(|e| *e <= 0.0) {
            return None;
        }
        let intensity: Vec<f64> = co2_t.iter().zip(&energy).map(|(c, e)| c * 1000.0 / e).collect();
        let per_th: Vec<f64> = hashed_g.iter().zip(&th).map(|(g, t)| g / t).collect();
        Some(PortfolioIntervals {
            intensity_g_per_kwh: Interval::of(&intensity),
            co2_t_per_year: Interval::of(&co2_t)?,
            co2_g_per_th: th.iter().all(|t| *t > 0.0).then(|| Interval::of(&per_th)).flatten(),
        })
    }
}

#[cfg(test)]
mod tests;
