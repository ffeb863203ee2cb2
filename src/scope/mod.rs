//! Scope 1 and 2 as filings report them (issue 24): the GHG Protocol's Scope 2 Guidance
//! (location-based and market-based), ESRS E1-5/E1-6 and IFRS S2 29(a).
//!
//! A site takes part of its power from the grid and part from its own generation
//! (`onsite_share`, `onsite_fuel`); it may hold contractual instruments (certificates, PPAs,
//! supplier rates: [`instruments`]) and the user may give residual mixes ([`residual`]).
//!
//! - Scope 1: on-site combustion, the fuel's direct factor ([`fuels`]);
//! - Scope 2 location-based: grid MWh x the site's published location-based factor (direct basis);
//! - Scope 2 market-based: the hierarchy of the Scope 2 Guidance (Table 6.3): valid
//!   instruments first, then supplier rates, then the residual mix, and where none is given
//!   the location-based factor, flagged ([`account`]);
//! - Scope 3 category 3 (upstream of purchased electricity): grid MWh x the mix's lifecycle
//!   minus direct factors, so nothing is counted twice.
//!
//! Which instruments count is decided by [`ledger`]: the quality criteria the data can show
//! (vintage, market, retired, tracking id claimed once, not above the site's consumption).

pub mod account;
pub mod fuels;
pub mod instruments;
pub mod ledger;
pub mod residual;
pub mod table;

pub use account::{
    EnergySplit, MarketPart, MarketParts, OnsiteFactor, ScopeBase, ScopeFigures, ScopeInputs, ScopeTotals, SiteScope,
    account,
};
pub use fuels::{FuelTable, OnsiteFuel};
pub use instruments::{InstrumentEntry, InstrumentKind, InstrumentRow, Vintage, YearMonth};
pub use ledger::{Ledger, Period, Verdict, VerdictStatus};
pub use residual::{ResidualMixes, ResidualRow};
