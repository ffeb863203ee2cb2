//! A site's Scope 1, 2 and 3 (category 3) figures and energy mix (issue 24), from its size,
//! its supply and its grid: the inputs of `scope::account`, gathered here. The instruments are
//! settled afterwards, in input order, by [`Assessor::settle_instruments`]: a tracking id or
//! a site id claimed twice must be decided the same way on any number of cores.

use std::borrow::Cow;
use std::sync::Mutex;

use super::Assessor;
use super::options::AccountingOptions;
use crate::Error;
use crate::assess::result::{SiteFigures, SiteResult};
use crate::error::OptionsError;
use crate::grid::GridFiles;
use crate::grid::factors::factor_rows;
use crate::grid::published::Basis;
use crate::scope::{
    FuelTable, Ledger, OnsiteFactor, Period, ResidualMixes, ScopeBase, SiteScope, Verdict, VerdictStatus,
};
use crate::sites::Site;
use crate::source::{SOURCE_COUNT, Source};

/// What the accounting of a run draws on besides each site's grid.
pub(super) struct Accounting {
    fuels: FuelTable,
    /// IPCC AR5 lifecycle median minus direct value of each source, gCO2e/kWh: the upstream
    /// (Scope 3 category 3) factor of the grid's mix.
    upstream: [f64; SOURCE_COUNT],
    residual: Option<ResidualMixes>,
    /// The instruments, settled in input order; none without `--instruments`.
    ledger: Option<Mutex<Ledger>>,
    /// The instruments file's name, as a row's warnings name it.
    instruments_name: String,
    /// The reporting year (`--year`), which instruments and residual mixes are of.
    reporting_year: Option<u16>,
    /// The verdicts once the run is over.
    verdicts: std::sync::OnceLock<Vec<Verdict>>,
}

impl Accounting {
    /// Read the fuels and the upstream factors; check the instruments and residual mixes
    /// against the reporting year.
    pub(super) fn new(options: AccountingOptions, year: Option<u16>, files: &GridFiles) -> Result<Accounting, Error> {
        let fuels = FuelTable::parse(&files.onsite_fuels)?;
        let mut upstream = [0.0; SOURCE_COUNT];
        for row in factor_rows(&files.emission_factors)? {
            if let Some(s) = Source::from_name(&row.source) {
                upstream[s.index()] = row.lifecycle_median - row.direct;
            }
        }
        let needs_year = |what| match year {
            Some(y) => Ok(y),
            None => Err(Error::from(OptionsError::ReportingYearMissing { what })),
        };
        let ledger = match options.instruments {
            Some(entries) => {
                let y = needs_year("--instruments")?;
                let period = Period::year(y, options.vintage_window_months);
                Some(Mutex::new(Ledger::new(entries, period)))
            }
            None => None,
        };
        if options.residual.is_some() {
            needs_year("--residual-mix")?;
        }
        Ok(Accounting {
            instruments_name: options.instruments_name,
            fuels,
            upstream,
            residual: options.residual,
            ledger,
            reporting_year: year,
            verdicts: std::sync::OnceLock::new(),
        })
    }
}

/// Percent of a fraction, as notes write it: `75%`, `62.5%`.
fn percent(x: f64) -> String {
    format!("{}%", crate::round::to(x * 100.0, 1))
}

impl Assessor {
    /// Whether the run holds instruments to settle in input order.
    pub fn has_instruments(&self) -> bool {
        self.accounting.ledger.is_some()
    }

    /// The own generation's factor of a site: its measured rate, else its fuel's factor at
    /// its generators' efficiency (the row's, else the fuel's default); an error message
    /// when neither can be had.
    pub(super) fn onsite_factor(&self, site: &Site) -> Result<Option<OnsiteFactor>, String> {
        let supply = &site.supply;
        let Some(fuel) = supply.onsite_fuel else {
            return Ok(None);
        };
        let row = self.accounting.fuels.row(fuel);
        let efficiency = supply.onsite_efficiency.or(row.efficiency);
        let fuel_kwh_per_kwh = match (
            supply.onsite_g_per_kwh,
            supply.onsite_efficiency,
            row.fuel_g_per_kwh_heat,
        ) {
            // A measured rate without an efficiency: the fuel burnt is what that rate takes at
            // the fuel's factor, so that the fuel consumption (E1-5) and Scope 1 agree.
            (Some(g), None, Some(heat)) if fuel.is_combustion() && heat > 0.0 => Some(g / heat),
            _ => efficiency.filter(|_| fuel.is_combustion()).map(|e| 1.0 / e),
        };
        let g_per_kwh = match (
            supply.onsite_g_per_kwh,
            row.fuel_g_per_kwh_heat,
            fuel_kwh_per_kwh,
            row.direct_g_per_kwh,
        ) {
            (Some(g), ..) => g,
            (None, Some(heat), Some(per), _) => heat * per,
            (None, Some(_), None, _) => {
                return Err(format!(
                    "no default efficiency for {} generators: give onsite_efficiency (electricity out / fuel heat in, such as 0.38) or onsite_g_per_kwh",
                    fuel.name()
                ));
            }
            (None, None, _, Some(g)) => g,
            (None, None, _, None) => {
                return Err(format!(
                    "no default factor for on-site {}: give onsite_g_per_kwh (the plant's measured direct emissions, gCO2e/kWh)",
                    fuel.name()
                ));
            }
        };
        Ok(Some(OnsiteFactor {
            fuel,
            g_per_kwh,
            fuel_kwh_per_kwh,
            methane_avoided_g_per_kwh: row
                .methane_avoided_g_per_kwh
                .map(|g| g * fuel_kwh_per_kwh.unwrap_or(1.0)),
        }))
    }

    /// What a site's own generation says on its row: a warning when its efficiency is the
    /// fuel's fleet-average default (a site's own engines burn more per kWh, so its Scope 1 may
    /// be understated), and for flare gas a note that the methane it avoids is not estimated.
    pub(super) fn onsite_messages(&self, site: &Site, warnings: &mut String, notes: &mut Vec<Cow<str>>) {
        let supply = &site.supply;
        let Some(fuel) = supply.onsite_fuel.filter(|f| f.is_combustion()) else {
            return;
        };
        let row = self.accounting.fuels.row(fuel);
        if let (None, None, Some(e)) = (supply.onsite_g_per_kwh, supply.onsite_efficiency, row.efficiency) {
            if !warnings.is_empty() {
                warnings.push_str("; ");
            }
            warnings.push_str(&format!(
                "onsite_efficiency not given: the {} generators are taken at {}%, the fleet average of EIA's 2022 heat rates (mostly large plants); a site's own engines or turbines burn more fuel per kWh, so its Scope 1 may be understated: give onsite_efficiency or onsite_g_per_kwh",
                fuel.name(),
                crate::round::to(e * 100.0, 1)
            ));
        }
        if fuel == crate::source::OnsiteFuel::FlareGas && row.methane_avoided_g_per_kwh.is_none() {
            notes.push(FLARE_METHANE_NOTE.into());
        }
    }

    /// The codes of the market a site is in, most specific first: its grid zone (with and
    /// without its country prefix: `US-ERCT`, `ERCT`), its region, its country.
    fn market_codes<'r>(result: &'r SiteResult) -> Vec<&'r str> {
        let mut codes: Vec<&str> = Vec::with_capacity(4);
        if let Some(zone) = result.zone {
            codes.push(zone.code);
            // The bare code (`ERCT`, `NO1`) only where it cannot be another place's: `RU-AS`
            // without its prefix is American Samoa's code, `RU-1` a number.
            let bare = zone.code.split_once('-').map(|(_, bare)| bare);
            codes.extend(bare.filter(|b| b.len() >= 3 && !b.bytes().all(|c| c.is_ascii_digit())));
        }
        if let Some(region) = result.region_code() {
            codes.push(region);
            let country = crate::regions::country_of(region);
            if country != region {
                codes.push(country);
            }
        }
        codes
    }

    /// A site's accounting before its instruments are settled, with its notes and warnings;
    /// none on the lifecycle basis (Scope 2 is reported on the direct basis).
    pub(super) fn scope_of(
        &self,
        site: &Site,
        result: &SiteResult,
        figures: &SiteFigures,
        onsite: Option<OnsiteFactor>,
        notes: &mut Vec<Cow<str>>,
    ) -> Option<Box<SiteScope>> {
        // Scope 2 is reported on the direct basis: a lifecycle run leaves the fields empty,
        // as its documentation says (and `--format esrs` refuses the lifecycle basis).
        if self.basis != Basis::Direct {
            return None;
        }
        let region = result.region?;
        let shares = region.mix.shares?;
        let location = region.mix.intensity_g_per_kwh?;
        let upstream = crate::assess::intensity_g_per_kwh(&shares, &self.accounting.upstream);
        let residual = match (&self.accounting.residual, self.accounting.reporting_year) {
            (Some(mixes), Some(year)) => {
                let codes = Self::market_codes(result);
                mixes.find(&codes, year).map(|(row, note)| {
                    notes.extend(note.map(Cow::Owned));
                    (row.g_per_kwh, format!("{} {} ({})", row.region, row.year, row.source))
                })
            }
            _ => None,
        };
        let base = ScopeBase {
            energy_mwh: figures.energy_mwh_per_year,
            onsite_share: site.supply.onsite_share,
            onsite,
            location_g_per_kwh: location,
            upstream_g_per_kwh: Some(upstream),
            grid_shares: shares,
            supplier_g_per_kwh: site.supply.supplier_g_per_kwh,
            residual,
            claimed_renewable_share: site.supply.claimed_renewable_share,
        };
        Some(Box::new(SiteScope::of(base)))
    }

    /// What the accounting says on a site's row: the market-based figure's fallback (a note),
    /// a renewable claim its instruments and own generation do not support (a warning).
    fn scope_messages(&self, scope: &SiteScope, notes: &mut Vec<String>, warnings: &mut Vec<String>) {
        let f = &scope.figures;
        // A fallback to the location-based factor shows in `scope2_market_basis` and the
        // fallback MWh of every row, and in the run's table: no note repeats it on each row.
        if let Some((g, source)) = &scope.base.residual
            && f.market.residual.mwh > 0.0
        {
            notes.push(format!("residual mix {g} gCO2e/kWh: {source}"));
        }
        if let Some(claimed) = f.claimed_renewable_share
            && claimed > f.supported_renewable_share + CLAIM_TOLERANCE
        {
            warnings.push(format!(
                "claims {} renewable power, but accepted instruments and on-site renewables support {} (the grid's renewable share, {}, is not a claim a site can make without instruments)",
                percent(claimed),
                percent(f.supported_renewable_share),
                percent(f.grid_renewable_share)
            ));
        }
        for v in scope.verdicts.iter().filter(|v| v.status != VerdictStatus::Used) {
            // A row's warnings are joined with "; ": a reason's own are written as commas.
            warnings.push(format!(
                "instrument on line {} of {} ({}{}) {}: {}",
                v.line,
                self.accounting.instruments_name,
                v.kind.map_or("?", |k| k.name()),
                v.tracking_id.as_deref().map(|t| format!(" {t}")).unwrap_or_default(),
                v.status.name(),
                v.reason.replace("; ", ", ")
            ));
        }
    }

    /// Add the accounting's notes and warnings to a result's (a run with instruments adds
    /// them once they are settled).
    pub(super) fn add_scope_messages(&self, result: &mut SiteResult) {
        let Some(scope) = &result.scope else { return };
        let (mut notes, mut warnings) = (Vec::new(), Vec::new());
        self.scope_messages(scope, &mut notes, &mut warnings);
        for (text, added) in [(&mut result.notes, notes), (&mut result.warnings, warnings)] {
            for message in added {
                if !text.is_empty() {
                    text.push_str("; ");
                }
                text.push_str(&message);
            }
        }
    }

    /// Settle a result's instruments, in input order (the engine calls this for each row
    /// when the run has instruments; see [`Assessor::has_instruments`]): its figures are then
    /// worked out with them, and the accounting's notes and warnings, which name each
    /// instrument rejected or partly used, are added to the row's.
    pub fn settle_instruments(&self, result: &mut SiteResult) {
        let Some(ledger) = &self.accounting.ledger else { return };
        if let Some(id) = result.id.as_deref() {
            let line = match result.position {
                crate::sites::Position::Line(n) | crate::sites::Position::Feature(n) => n,
            };
            let grid_mwh = result.scope.as_ref().map(|s| s.figures.grid_mwh);
            // A poisoned lock means another row's settling panicked: the verdicts so far stand.
            let mut ledger = ledger.lock().unwrap_or_else(|e| e.into_inner());
            if ledger.has_site(id) {
                let verdicts = ledger.settle(id, line, grid_mwh, &Self::market_codes(result));
                drop(ledger);
                if let Some(scope) = result.scope.as_mut() {
                    scope.with_verdicts(verdicts);
                }
            }
        }
        self.add_scope_messages(result);
    }

    /// Every instrument's verdict, in file order, once the run is over (no instrument is
    /// settled after the first call); empty without `--instruments`.
    pub fn instrument_verdicts(&self) -> &[Verdict] {
        let Some(ledger) = &self.accounting.ledger else {
            return &[];
        };
        self.accounting.verdicts.get_or_init(|| {
            let mut ledger = ledger.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut *ledger).finish()
        })
    }
}

/// The note of a flare-gas site: the methane it avoids is left empty, not guessed.
const FLARE_METHANE_NOTE: &str = "flare_methane_avoided_t_per_year not estimated: the methane the site's engines let through, against a flare's, has no checked factor (EPA AP-42 section 3.2 could not be verified); reported empty rather than guessed";

/// A claimed renewable share may exceed the supported one by this much before it is flagged:
/// half a percentage point, the rounding of a share written to one decimal of a percent.
const CLAIM_TOLERANCE: f64 = 0.005;
