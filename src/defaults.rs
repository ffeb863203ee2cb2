//! The assumptions hashmix makes when a site or an option leaves a value out, each with its
//! source, in one place. Reading (`sites`), the intervals (`uncertainty`), `compare` and the
//! command line all take them from here, so no layer reaches into another for a default
//! (issue 21: layers one way).

/// PUE assumed when a site gives none: 1.05. Marc Bevand (2017), whose bottom-up model the
/// Cambridge Bitcoin Electricity Consumption Index builds on, observes that "the majority of
/// mining farms operate at very low overheads - PUE 1.05 or less" (bitcointalk.org topic
/// 1831515, and blog.zorinaq.com "Serious faults in Digiconomist's BECI").
pub const DEFAULT_PUE: f64 = 1.05;

/// Uptime assumed when a site gives none: running all year.
pub const DEFAULT_UPTIME: f64 = 1.0;

/// Reference efficiency when `--efficiency` is not given, J/TH: the Antminer S19j Pro's in the
/// miner catalogue, a machine generation that made up much of the 2021-2024 fleet.
pub const DEFAULT_EFFICIENCY_J_PER_TH: f64 = 29.5;
