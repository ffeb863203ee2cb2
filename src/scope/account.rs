//! The accounting of one site (issue 24): pure arithmetic on values, tested by hand.
//!
//! A site's energy (MWh a year) splits into what it takes from the grid and what it generates
//! itself (`onsite_share`). Then:
//! - Scope 1 = on-site MWh x the on-site factor (direct);
//! - Scope 2 location-based = grid MWh x the location-based factor;
//! - Scope 2 market-based = the grid MWh in the Scope 2 Guidance's order: the instruments the
//!   ledger accepted (certificates and PPAs at their rates), supplier rates (instruments of
//!   type supplier, then the site's `supplier_g_per_kwh` for the rest), the residual mix for
//!   what is left, and where no residual mix is given the location-based factor (flagged);
//!   the parts always add up to the grid MWh, so both Scope 2 figures cover the same MWh;
//! - Scope 3 category 3 (upstream of purchased electricity) = grid MWh x (lifecycle - direct)
//!   of the grid's mix.

use crate::source::{SOURCE_COUNT, Source};

use super::fuels::OnsiteFuel;
use super::instruments::InstrumentKind;
use super::ledger::{Verdict, VerdictStatus};

/// Tonnes from MWh at gCO2e/kWh: 1 MWh x 1 g/kWh = 1,000 g = 0.001 t.
pub fn tonnes(mwh: f64, g_per_kwh: f64) -> f64 {
    mwh * g_per_kwh / 1000.0
}

/// A site's own generation, as the accounting needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnsiteFactor {
    /// What it runs on.
    pub fuel: OnsiteFuel,
    /// Direct emissions per kWh generated, gCO2e/kWh.
    pub g_per_kwh: f64,
    /// Fuel energy burnt per kWh generated, kWh of fuel (heat) per kWh: 1 / electrical
    /// efficiency. None for a plant that burns nothing.
    pub fuel_kwh_per_kwh: Option<f64>,
    /// Methane a flare would have let through that the engine burns, gCO2e per kWh generated:
    /// reported on its own, never netted. None except for flare gas with a stated baseline.
    pub methane_avoided_g_per_kwh: Option<f64>,
}

/// What the accounting of one site needs.
#[derive(Debug, Clone, Copy)]
pub struct ScopeInputs<'a> {
    /// The site's energy, MWh a year.
    pub energy_mwh: f64,
    /// Fraction of it the site generates itself, 0-1.
    pub onsite_share: f64,
    /// The site's own generation (required when `onsite_share` > 0).
    pub onsite: Option<OnsiteFactor>,
    /// The location-based factor of the site's grid, gCO2e/kWh (direct basis).
    pub location_g_per_kwh: f64,
    /// The grid mix's upstream factor (lifecycle minus direct), gCO2e/kWh; none if unknown.
    pub upstream_g_per_kwh: Option<f64>,
    /// The grid's generation shares, ordered like `Source::ALL`.
    pub grid_shares: &'a [f64; SOURCE_COUNT],
    /// The site's instruments as the ledger settled them (rejected ones are ignored).
    pub instruments: &'a [Verdict],
    /// The site's supplier rate for grid power no instrument covers, gCO2e/kWh.
    pub supplier_g_per_kwh: Option<f64>,
    /// The residual mix of the site's market, gCO2e/kWh.
    pub residual_g_per_kwh: Option<f64>,
    /// The renewable share the site claims, 0-1.
    pub claimed_renewable_share: Option<f64>,
}

/// Grid MWh at one step of the market-based hierarchy, and their emissions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MarketPart {
    /// MWh a year.
    pub mwh: f64,
    /// t CO2e a year.
    pub t: f64,
}

impl MarketPart {
    fn add(&mut self, mwh: f64, g_per_kwh: f64) {
        self.mwh += mwh;
        self.t += tonnes(mwh, g_per_kwh);
    }
}

/// The market-based Scope 2 by step of the hierarchy; the MWh add up to the grid MWh.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MarketParts {
    /// Certificates (REC, GO, I-REC) and PPAs the ledger accepted.
    pub instruments: MarketPart,
    /// Supplier rates: instruments of type supplier, then the site's `supplier_g_per_kwh`.
    pub supplier: MarketPart,
    /// The residual mix.
    pub residual: MarketPart,
    /// The location-based factor, where nothing above covers the MWh (flagged).
    pub location: MarketPart,
}

impl MarketParts {
    /// The parts in hierarchy order with their names as output writes them.
    pub fn named(&self) -> [(&'static str, MarketPart); 4] {
        [
            ("instruments", self.instruments),
            ("supplier", self.supplier),
            ("residual mix", self.residual),
            ("location-based fallback", self.location),
        ]
    }

    /// The market-based Scope 2, t CO2e a year.
    pub fn total_t(&self) -> f64 {
        self.named().iter().map(|(_, p)| p.t).sum()
    }

    /// The MWh they cover.
    pub fn total_mwh(&self) -> f64 {
        self.named().iter().map(|(_, p)| p.mwh).sum()
    }

    /// What the market-based figure rests on, for output: each step with its share of the
    /// grid MWh ("instruments 60%; residual mix 40%"); empty without grid MWh. One step alone
    /// (most sites) is a fixed text, written without formatting a number.
    pub fn basis_text(&self) -> std::borrow::Cow<'static, str> {
        let total = self.total_mwh();
        if total <= 0.0 {
            return "".into();
        }
        let steps = self.named();
        let mut used = steps.iter().filter(|(_, p)| p.mwh > 0.0);
        if let (Some((name, _)), None) = (used.next(), used.next()) {
            return match *name {
                "instruments" => "instruments 100%",
                "supplier" => "supplier 100%",
                "residual mix" => "residual mix 100%",
                _ => "location-based fallback 100%",
            }
            .into();
        }
        steps
            .iter()
            .filter(|(_, p)| p.mwh > 0.0)
            .map(|(name, p)| format!("{name} {}%", crate::round::to(p.mwh / total * 100.0, 1)))
            .collect::<Vec<_>>()
            .join("; ")
            .into()
    }
}

/// The energy consumption and mix as ESRS E1-5 (paragraph 37) asks, MWh a year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EnergySplit {
    /// Fuel burnt on site, by source (coal, oil, gas; heat content, MWh), ordered like
    /// `Source::ALL` (only the fossil entries are ever non-zero).
    pub fuel_mwh: [f64; SOURCE_COUNT],
    /// Purchased electricity from fossil sources.
    pub purchased_fossil_mwh: f64,
    /// Purchased electricity from nuclear.
    pub purchased_nuclear_mwh: f64,
    /// Purchased electricity from renewable sources.
    pub purchased_renewable_mwh: f64,
    /// Renewable electricity generated on site and used there (no fuel burnt).
    pub self_generated_renewable_mwh: f64,
}

impl EnergySplit {
    /// Fossil: fuels burnt and purchased fossil electricity.
    pub fn fossil_mwh(&self) -> f64 {
        self.fuel_mwh.iter().sum::<f64>() + self.purchased_fossil_mwh
    }

    /// Renewable: purchased and self-generated.
    pub fn renewable_mwh(&self) -> f64 {
        self.purchased_renewable_mwh + self.self_generated_renewable_mwh
    }

    /// Total energy consumption: fossil + nuclear + renewable.
    pub fn total_mwh(&self) -> f64 {
        self.fossil_mwh() + self.purchased_nuclear_mwh + self.renewable_mwh()
    }

    /// Add another site's.
    pub fn add(&mut self, other: &EnergySplit) {
        for (a, b) in self.fuel_mwh.iter_mut().zip(other.fuel_mwh) {
            *a += b;
        }
        self.purchased_fossil_mwh += other.purchased_fossil_mwh;
        self.purchased_nuclear_mwh += other.purchased_nuclear_mwh;
        self.purchased_renewable_mwh += other.purchased_renewable_mwh;
        self.self_generated_renewable_mwh += other.self_generated_renewable_mwh;
    }
}

/// A site's Scope 1, 2 and 3 (category 3) figures. Exact here; output rounds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScopeFigures {
    /// Electricity from the grid, MWh a year.
    pub grid_mwh: f64,
    /// Electricity generated on site, MWh a year.
    pub onsite_mwh: f64,
    /// What the site's own generation runs on.
    pub onsite_fuel: Option<OnsiteFuel>,
    /// Scope 1: on-site combustion (and a geothermal plant's own emissions), t CO2e a year.
    pub scope1_t: f64,
    /// Scope 2 location-based, t CO2e a year.
    pub scope2_location_t: f64,
    /// The location-based factor used, gCO2e/kWh.
    pub location_g_per_kwh: f64,
    /// Scope 2 market-based by step of the hierarchy.
    pub market: MarketParts,
    /// What the market-based figure rests on, as output writes it (see
    /// [`MarketParts::basis_text`]).
    pub market_basis: std::borrow::Cow<'static, str>,
    /// Scope 3 category 3, upstream of purchased electricity, t CO2e a year (none when the
    /// upstream factor is unknown).
    pub scope3_upstream_t: Option<f64>,
    /// For flare gas: the methane the site's engines burn that a flare would have let through,
    /// t CO2e a year. Reported apart, never netted from Scope 1.
    pub methane_avoided_t: Option<f64>,
    /// The renewable share the site claims.
    pub claimed_renewable_share: Option<f64>,
    /// The renewable share of the grid's generation (location-based; not a claim).
    pub grid_renewable_share: f64,
    /// The share of the site's energy that accepted renewable instruments and its own
    /// renewable generation support.
    pub supported_renewable_share: f64,
    /// Energy consumption and mix (ESRS E1-5).
    pub energy: EnergySplit,
}

impl ScopeFigures {
    /// Scope 2 market-based, t CO2e a year.
    pub fn scope2_market_t(&self) -> f64 {
        self.market.total_t()
    }

    /// Whether part of the market-based figure fell back to the location-based factor.
    pub fn market_falls_back(&self) -> bool {
        self.market.location.mwh > 0.0
    }
}

/// What a site's accounting rests on, held with its result so that the instruments can be
/// settled later, in input order (see `Ledger::settle`): the [`ScopeInputs`] without them.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeBase {
    /// The site's energy, MWh a year.
    pub energy_mwh: f64,
    /// Fraction generated on site.
    pub onsite_share: f64,
    /// The site's own generation.
    pub onsite: Option<OnsiteFactor>,
    /// The location-based factor, gCO2e/kWh.
    pub location_g_per_kwh: f64,
    /// The grid mix's upstream factor, gCO2e/kWh.
    pub upstream_g_per_kwh: Option<f64>,
    /// The grid's shares.
    pub grid_shares: [f64; SOURCE_COUNT],
    /// The site's supplier rate, gCO2e/kWh.
    pub supplier_g_per_kwh: Option<f64>,
    /// The residual mix used, gCO2e/kWh, and where it comes from.
    pub residual: Option<(f64, String)>,
    /// The renewable share claimed.
    pub claimed_renewable_share: Option<f64>,
}

impl ScopeBase {
    /// The accounting's inputs with these instruments.
    pub fn inputs<'a>(&'a self, instruments: &'a [Verdict]) -> ScopeInputs<'a> {
        ScopeInputs {
            energy_mwh: self.energy_mwh,
            onsite_share: self.onsite_share,
            onsite: self.onsite,
            location_g_per_kwh: self.location_g_per_kwh,
            upstream_g_per_kwh: self.upstream_g_per_kwh,
            grid_shares: &self.grid_shares,
            instruments,
            supplier_g_per_kwh: self.supplier_g_per_kwh,
            residual_g_per_kwh: self.residual.as_ref().map(|r| r.0),
            claimed_renewable_share: self.claimed_renewable_share,
        }
    }
}

/// A site's accounting: its inputs, its figures, and its instruments' verdicts.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteScope {
    /// What it rests on.
    pub base: ScopeBase,
    /// The figures.
    pub figures: ScopeFigures,
    /// The site's instruments as the ledger settled them (empty without `--instruments`).
    pub verdicts: Vec<Verdict>,
}

impl SiteScope {
    /// The accounting of a site without instruments.
    pub fn of(base: ScopeBase) -> SiteScope {
        let figures = account(&base.inputs(&[]));
        SiteScope {
            base,
            figures,
            verdicts: Vec::new(),
        }
    }

    /// The accounting again with the site's instruments as settled.
    pub fn with_verdicts(&mut self, verdicts: Vec<Verdict>) {
        self.figures = account(&self.base.inputs(&verdicts));
        self.verdicts = verdicts;
    }
}

/// Scope figures added over sites: the portfolio's (and the ESRS E1-6 table's) totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScopeTotals {
    /// Sites counted.
    pub sites: u64,
    /// Sites whose market-based figure falls back in part to the location-based factor.
    pub sites_falling_back: u64,
    /// Grid electricity, MWh a year.
    pub grid_mwh: f64,
    /// Electricity generated on site, MWh a year.
    pub onsite_mwh: f64,
    /// Scope 1, t CO2e a year.
    pub scope1_t: f64,
    /// Scope 2 location-based, t CO2e a year.
    pub scope2_location_t: f64,
    /// Scope 2 market-based by step of the hierarchy.
    pub market: MarketParts,
    /// Scope 3 category 3, t CO2e a year (over the sites that have one).
    pub scope3_upstream_t: f64,
    /// Methane avoided by flare gas, t CO2e a year (apart, never netted), over the flare-gas
    /// sites that have a figure.
    pub methane_avoided_t: f64,
    /// Sites on flare gas.
    pub flare_sites: u64,
    /// Flare-gas sites without a methane figure (no factor is cited).
    pub flare_sites_without_methane: u64,
    /// Energy consumption and mix (ESRS E1-5).
    pub energy: EnergySplit,
}

impl ScopeTotals {
    /// One site's.
    pub fn of(f: &ScopeFigures) -> ScopeTotals {
        ScopeTotals {
            sites: 1,
            sites_falling_back: u64::from(f.market_falls_back()),
            grid_mwh: f.grid_mwh,
            onsite_mwh: f.onsite_mwh,
            scope1_t: f.scope1_t,
            scope2_location_t: f.scope2_location_t,
            market: f.market,
            scope3_upstream_t: f.scope3_upstream_t.unwrap_or(0.0),
            methane_avoided_t: f.methane_avoided_t.unwrap_or(0.0),
            flare_sites: u64::from(f.onsite_fuel == Some(OnsiteFuel::FlareGas)),
            flare_sites_without_methane: u64::from(
                f.onsite_fuel == Some(OnsiteFuel::FlareGas) && f.methane_avoided_t.is_none(),
            ),
            energy: f.energy,
        }
    }

    /// Add another total.
    pub fn add(&mut self, other: &ScopeTotals) {
        self.sites += other.sites;
        self.sites_falling_back += other.sites_falling_back;
        self.grid_mwh += other.grid_mwh;
        self.onsite_mwh += other.onsite_mwh;
        self.scope1_t += other.scope1_t;
        self.scope2_location_t += other.scope2_location_t;
        for (total, part) in [
            (&mut self.market.instruments, other.market.instruments),
            (&mut self.market.supplier, other.market.supplier),
            (&mut self.market.residual, other.market.residual),
            (&mut self.market.location, other.market.location),
        ] {
            total.mwh += part.mwh;
            total.t += part.t;
        }
        self.scope3_upstream_t += other.scope3_upstream_t;
        self.methane_avoided_t += other.methane_avoided_t;
        self.flare_sites += other.flare_sites;
        self.flare_sites_without_methane += other.flare_sites_without_methane;
        self.energy.add(&other.energy);
    }

    /// Scope 2 market-based, t CO2e a year.
    pub fn scope2_market_t(&self) -> f64 {
        self.market.total_t()
    }
}

/// The grid's renewable share.
fn renewable_share(shares: &[f64; SOURCE_COUNT]) -> f64 {
    Source::ALL
        .iter()
        .filter(|s| s.is_renewable())
        .map(|s| shares[s.index()])
        .sum()
}

/// Split `mwh` of purchased electricity by generation shares into (fossil, nuclear,
/// renewable) and add it to `split`.
fn add_purchased(split: &mut EnergySplit, mwh: f64, shares: &[f64; SOURCE_COUNT]) {
    let total: f64 = shares.iter().sum();
    if mwh <= 0.0 || total <= 0.0 {
        return;
    }
    for s in Source::ALL {
        let part = mwh * shares[s.index()] / total;
        if s.is_fossil() {
            split.purchased_fossil_mwh += part;
        } else if s == Source::Nuclear {
            split.purchased_nuclear_mwh += part;
        } else {
            split.purchased_renewable_mwh += part;
        }
    }
}

/// The accounting of one site.
pub fn account(inputs: &ScopeInputs) -> ScopeFigures {
    let onsite_share = inputs.onsite_share.clamp(0.0, 1.0);
    let onsite_mwh = match inputs.onsite {
        Some(_) => inputs.energy_mwh * onsite_share,
        None => 0.0,
    };
    let grid_mwh = inputs.energy_mwh - onsite_mwh;
    let mut energy = EnergySplit::default();
    let mut figures = ScopeFigures {
        grid_mwh,
        onsite_mwh,
        onsite_fuel: inputs.onsite.map(|o| o.fuel),
        location_g_per_kwh: inputs.location_g_per_kwh,
        scope2_location_t: tonnes(grid_mwh, inputs.location_g_per_kwh),
        scope3_upstream_t: inputs.upstream_g_per_kwh.map(|g| tonnes(grid_mwh, g)),
        claimed_renewable_share: inputs.claimed_renewable_share,
        grid_renewable_share: renewable_share(inputs.grid_shares),
        ..ScopeFigures::default()
    };
    let mut renewable_mwh = 0.0;
    if let Some(onsite) = inputs.onsite {
        figures.scope1_t = tonnes(onsite_mwh, onsite.g_per_kwh);
        figures.methane_avoided_t = onsite.methane_avoided_g_per_kwh.map(|g| tonnes(onsite_mwh, g));
        let source = onsite.fuel.source();
        match onsite.fuel_kwh_per_kwh {
            Some(heat) if onsite.fuel.is_combustion() => energy.fuel_mwh[source.index()] += onsite_mwh * heat,
            _ => {
                energy.self_generated_renewable_mwh += onsite_mwh;
                renewable_mwh += onsite_mwh;
            }
        }
    }
    // The hierarchy: certificates and PPAs, then supplier rates, then the residual mix,
    // then the location-based factor. The ledger keeps instruments within the grid MWh; the
    // `min` guards the arithmetic against a ledger settled on a different consumption.
    let mut left = grid_mwh;
    let mut market = MarketParts::default();
    let used = |v: &&Verdict| v.status != VerdictStatus::Rejected && v.used_mwh > 0.0;
    let (supplier_rows, certificates): (Vec<&Verdict>, Vec<&Verdict>) = inputs
        .instruments
        .iter()
        .filter(used)
        .partition(|v| v.kind == Some(InstrumentKind::Supplier));
    for v in certificates {
        let mwh = v.used_mwh.min(left);
        market.instruments.add(mwh, v.g_per_kwh);
        left -= mwh;
        match v.source {
            Some(s) if s.is_renewable() => {
                energy.purchased_renewable_mwh += mwh;
                renewable_mwh += mwh;
            }
            Some(Source::Nuclear) => energy.purchased_nuclear_mwh += mwh,
            Some(_) => energy.purchased_fossil_mwh += mwh,
            None => add_purchased(&mut energy, mwh, inputs.grid_shares),
        }
    }
    for v in supplier_rows {
        let mwh = v.used_mwh.min(left);
        market.supplier.add(mwh, v.g_per_kwh);
        add_purchased(&mut energy, mwh, inputs.grid_shares);
        left -= mwh;
    }
    // What no instrument covers is bought from the grid: its mix splits it (E1-5).
    add_purchased(&mut energy, left, inputs.grid_shares);
    match (inputs.supplier_g_per_kwh, inputs.residual_g_per_kwh) {
        (Some(g), _) => market.supplier.add(left, g),
        (None, Some(g)) => market.residual.add(left, g),
        (None, None) => market.location.add(left, inputs.location_g_per_kwh),
    }
    figures.market_basis = market.basis_text();
    figures.market = market;
    figures.energy = energy;
    figures.supported_renewable_share = match inputs.energy_mwh > 0.0 {
        true => renewable_mwh / inputs.energy_mwh,
        false => 0.0,
    };
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::instruments::InstrumentKind;

    /// A grid of 50% coal, 30% hydro, 20% nuclear.
    fn grid() -> [f64; SOURCE_COUNT] {
        let mut shares = [0.0; SOURCE_COUNT];
        shares[Source::Coal.index()] = 0.5;
        shares[Source::Hydro.index()] = 0.3;
        shares[Source::Nuclear.index()] = 0.2;
        shares
    }

    fn verdict(kind: InstrumentKind, source: Option<Source>, used_mwh: f64, g_per_kwh: f64) -> Verdict {
        Verdict {
            line: 2,
            site_id: Some("s".into()),
            kind: Some(kind),
            source,
            tracking_id: None,
            mwh: used_mwh,
            used_mwh,
            g_per_kwh,
            status: VerdictStatus::Used,
            reason: String::new(),
            on_site_row: true,
        }
    }

    fn inputs<'a>(shares: &'a [f64; SOURCE_COUNT], instruments: &'a [Verdict]) -> ScopeInputs<'a> {
        ScopeInputs {
            energy_mwh: 10_000.0,
            onsite_share: 0.0,
            onsite: None,
            location_g_per_kwh: 500.0,
            upstream_g_per_kwh: Some(40.0),
            grid_shares: shares,
            instruments,
            supplier_g_per_kwh: None,
            residual_g_per_kwh: None,
            claimed_renewable_share: None,
        }
    }

    #[test]
    fn a_grid_site_without_instruments_falls_back_to_the_location_based_factor_flagged() {
        let shares = grid();
        let f = account(&inputs(&shares, &[]));
        // 10,000 MWh x 500 g/kWh / 1,000 = 5,000 t, both ways; upstream 10,000 x 40 / 1,000 = 400 t.
        assert_eq!(f.scope2_location_t, 5000.0);
        assert_eq!(f.scope2_market_t(), 5000.0);
        assert!(f.market_falls_back());
        assert_eq!(f.scope3_upstream_t, Some(400.0));
        assert_eq!(f.scope1_t, 0.0);
        assert_eq!(f.market.basis_text(), "location-based fallback 100%");
        // E1-5: 5,000 MWh fossil, 2,000 nuclear, 3,000 renewable (the grid's shares).
        assert_eq!(f.energy.purchased_fossil_mwh, 5000.0);
        assert_eq!(f.energy.purchased_nuclear_mwh, 2000.0);
        assert_eq!(f.energy.purchased_renewable_mwh, 3000.0);
        assert_eq!(f.grid_renewable_share, 0.3);
        assert_eq!(f.supported_renewable_share, 0.0);
    }

    #[test]
    fn instruments_then_supplier_then_residual_cover_the_grid_mwh_in_order() {
        let shares = grid();
        let instruments = [
            verdict(InstrumentKind::Supplier, None, 1000.0, 300.0),
            verdict(InstrumentKind::Go, Some(Source::Hydro), 4000.0, 0.0),
        ];
        let mut i = inputs(&shares, &instruments);
        i.residual_g_per_kwh = Some(700.0);
        let f = account(&i);
        // GO 4,000 MWh at 0; supplier 1,000 MWh at 300 g = 300 t; residual 5,000 MWh at 700 g
        // = 3,500 t: market-based 3,800 t over 10,000 MWh.
        assert_eq!(f.market.instruments, MarketPart { mwh: 4000.0, t: 0.0 });
        assert_eq!(f.market.supplier, MarketPart { mwh: 1000.0, t: 300.0 });
        assert_eq!(f.market.residual, MarketPart { mwh: 5000.0, t: 3500.0 });
        assert_eq!(f.scope2_market_t(), 3800.0);
        assert_eq!(f.market.total_mwh(), f.grid_mwh);
        assert!(!f.market_falls_back());
        assert_eq!(f.market.basis_text(), "instruments 40%; supplier 10%; residual mix 50%");
        // 4,000 MWh renewable by GO, the other 6,000 split by the grid: 3,000 fossil, 1,200
        // nuclear, 1,800 renewable; supported share 4,000 / 10,000.
        assert_eq!(f.energy.purchased_renewable_mwh, 5800.0);
        assert_eq!(f.energy.purchased_fossil_mwh, 3000.0);
        assert_eq!(f.energy.purchased_nuclear_mwh, 1200.0);
        assert_eq!(f.supported_renewable_share, 0.4);
    }

    #[test]
    fn on_site_gas_is_scope_1_and_its_fuel_counts_in_the_energy_mix() {
        let shares = grid();
        let mut i = inputs(&shares, &[]);
        i.onsite_share = 0.75;
        i.onsite = Some(OnsiteFactor {
            fuel: OnsiteFuel::Gas,
            g_per_kwh: 600.0,
            fuel_kwh_per_kwh: Some(2.5),
            methane_avoided_g_per_kwh: None,
        });
        i.supplier_g_per_kwh = Some(400.0);
        let f = account(&i);
        // 7,500 MWh on site x 600 g = 4,500 t Scope 1; 2,500 MWh grid x 500 = 1,250 t
        // location, x 400 = 1,000 t market (supplier); upstream 2,500 x 40 = 100 t.
        assert_eq!((f.onsite_mwh, f.grid_mwh), (7500.0, 2500.0));
        assert_eq!(f.scope1_t, 4500.0);
        assert_eq!(f.scope2_location_t, 1250.0);
        assert_eq!(f.scope2_market_t(), 1000.0);
        assert_eq!(f.scope3_upstream_t, Some(100.0));
        // Gas burnt: 7,500 MWh x 2.5 = 18,750 MWh of fuel.
        assert_eq!(f.energy.fuel_mwh[Source::Gas.index()], 18_750.0);
        assert_eq!(f.energy.total_mwh(), 18_750.0 + 2500.0);
    }

    #[test]
    fn on_site_solar_is_self_generated_renewable_with_no_scope_1() {
        let shares = grid();
        let mut i = inputs(&shares, &[]);
        i.onsite_share = 0.2;
        i.onsite = Some(OnsiteFactor {
            fuel: OnsiteFuel::Solar,
            g_per_kwh: 0.0,
            fuel_kwh_per_kwh: None,
            methane_avoided_g_per_kwh: None,
        });
        i.claimed_renewable_share = Some(0.9);
        let f = account(&i);
        assert_eq!(f.scope1_t, 0.0);
        assert_eq!(f.energy.self_generated_renewable_mwh, 2000.0);
        assert_eq!(f.supported_renewable_share, 0.2);
        assert_eq!(f.claimed_renewable_share, Some(0.9));
    }
}
