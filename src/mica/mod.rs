//! `hashmix mica`: the sustainability indicators that MiCA (Regulation (EU) 2023/1114, and
//! Commission Delegated Regulation (EU) 2025/422 for their content) asks of a proof-of-work
//! crypto-asset, estimated from the network's hashrate, where it is, the machines that hash and
//! each region's grid. Flow: inputs (geography, hashrate) -> efficiency model -> estimate with
//! draws -> indicators -> writers.

pub mod efficiency;
pub mod estimate;
pub mod indicators;
pub mod inputs;
pub mod write;

/// The schema name of `hashmix mica`'s JSON output.
pub const MICA_SCHEMA: &str = "hashmix.mica.v1";

/// Why `hashmix mica` cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MicaError {
    /// An option or its combination is wrong.
    #[error("{0}")]
    Usage(String),
    /// An input file has a bad row or header (its message names line, column and value).
    #[error("{0}")]
    Input(String),
    /// Embedded data is malformed.
    #[error("{0}")]
    Data(String),
}

/// A change between two geographies, draw by draw: (value, p05, p95) of `b - a`.
pub fn change(a: &indicators::Indicator, b: &indicators::Indicator) -> Option<(f64, Option<(f64, f64)>)> {
    let (va, vb) = (a.number()?, b.number()?);
    let diffs: Vec<f64> = a.draws.iter().zip(&b.draws).map(|(x, y)| y - x).collect();
    let interval = crate::uncertainty::Interval::of(&diffs).map(|i| (i.p05, i.p95));
    Some((vb - va, interval))
}
