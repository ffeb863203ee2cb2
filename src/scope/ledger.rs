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

use rustc_hash::FxHashMap;

use super::instruments::{InstrumentEntry, InstrumentKind, InstrumentRow, YearMonth};

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
    /// Whether it was settled with a site's row (its verdict is among that row's warnings);
    /// false for one no row of the sites file took (an unknown site id, a row that failed).
    pub on_site_row: bool,
}

impl Verdict {
    /// Whether the file's row could not be read (a bad cell): the row failed.
    pub fn is_unreadable(&self) -> bool {
        self.kind.is_none()
    }
}

/// The instruments of a run and what has become of them.
#[derive(Debug, Default)]
pub struct Ledger {
    entries: Vec<InstrumentEntry>,
    /// Why the file alone rules a row out (vintage, retirement, tracking id, rate), by row.
    ruled_out: Vec<Option<String>>,
    /// The rows of each site id, in file order.
    by_site: FxHashMap<String, Vec<usize>>,
    /// Each site id settled, and the line of the sites file it was settled on.
    settled: FxHashMap<String, u64>,
    /// Site ids that appeared again after they were settled, with the lines.
    repeated: FxHashMap<String, Vec<u64>>,
    verdicts: Vec<Option<Verdict>>,
}

/// `1234.5` as `1,234.5` for reasons.
fn mwh(x: f64) -> String {
    let rounded = crate::round::to(x, 3);
    let whole = rounded.trunc() as u64;
    let mut digits = whole.to_string();
    let mut i = digits.len() as isize - 3;
    while i > 0 {
        digits.insert(i as usize, ',');
        i -= 3;
    }
    let frac = rounded - rounded.trunc();
    if frac.abs() > 1e-9 {
        let text = format!("{:.3}", frac);
        digits.push_str(text.trim_start_matches('0').trim_end_matches('0'));
    }
    digits
}

impl Ledger {
    /// The file's rows, checked for what the file alone can show (see the module's header).
    pub fn new(entries: Vec<InstrumentEntry>, period: Period) -> Ledger {
        let mut by_site: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        // The first row (in file order) naming a tracking id keeps it, even if that row is
        // itself rejected: a certificate counts once, and which row is right is the file's to
        // settle; the reason says so.
        let mut first_claim: FxHashMap<String, (u64, String, Option<String>)> = FxHashMap::default();
        let mut ruled_out = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            if let Some(id) = entry.site_id() {
                by_site.entry(id.to_string()).or_default().push(i);
            }
            let row = match entry {
                InstrumentEntry::Row(row) => row,
                InstrumentEntry::Unreadable { message, .. } => {
                    ruled_out.push(Some(format!("unreadable: {message}")));
                    continue;
                }
            };
            let own = Self::file_check(row, period);
            let claimed = row.tracking_id.as_ref().and_then(|t| {
                let key = t.trim().to_ascii_uppercase();
                match first_claim.get(&key) {
                    Some((line, site, None)) => Some(format!("tracking id {t} is claimed on line {line} (site {site})")),
                    Some((line, site, Some(why))) => Some(format!(
                        "tracking id {t} is claimed on line {line} (site {site}), itself rejected ({why}): a certificate counts once, so the file must say which row holds it"
                    )),
                    None => {
                        first_claim.insert(key, (row.line, row.site_id.clone(), own.clone()));
                        None
                    }
                }
            });
            ruled_out.push(claimed.or(own));
        }
        let verdicts = vec![None; entries.len()];
        Ledger {
            entries,
            ruled_out,
            by_site,
            settled: FxHashMap::default(),
            repeated: FxHashMap::default(),
            verdicts,
        }
    }

    /// Why a readable row cannot count whatever its site: its vintage, retirement, tracking
    /// id or rate; none if the file shows nothing against it.
    fn file_check(row: &InstrumentRow, period: Period) -> Option<String> {
        if row.vintage.from < period.from || row.vintage.to > period.to {
            return Some(format!(
                "vintage {} is outside the reporting period {period}",
                row.vintage
            ));
        }
        if row.kind != InstrumentKind::Supplier && !row.retired {
            return Some(format!(
                "not retired: a {} counts only once retired (cancelled) for the site",
                row.kind.name()
            ));
        }
        if row.kind.is_certificate() && row.tracking_id.is_none() {
            return Some(format!(
                "no tracking id: a {} without one cannot be checked against claims on other sites",
                row.kind.name()
            ));
        }
        match (row.kind, row.source, row.g_per_kwh) {
            (InstrumentKind::Supplier, _, None) => {
                Some("a supplier rate needs g_per_kwh (the supplier's emission rate)".to_string())
            }
            (_, Some(s), None) if s.is_fossil() => Some(format!(
                "an instrument from {} needs g_per_kwh (its plant's emission rate): none is guessed",
                s.name()
            )),
            (InstrumentKind::Supplier, ..) => None,
            (_, None, _) => Some("no source: a certificate or PPA names its generation source".to_string()),
            _ => None,
        }
    }

    /// Whether any row names this site.
    pub fn has_site(&self, site_id: &str) -> bool {
        self.by_site.contains_key(site_id)
    }

    /// The rate a usable row counts at, gCO2e/kWh: its `g_per_kwh`, else 0 for a renewable or
    /// nuclear source (the file check refuses a fossil source without one).
    fn rate(row: &InstrumentRow) -> f64 {
        row.g_per_kwh.unwrap_or(0.0)
    }

    fn verdict(row: &InstrumentRow, used_mwh: f64, status: VerdictStatus, reason: String) -> Verdict {
        Verdict {
            line: row.line,
            site_id: Some(row.site_id.clone()),
            kind: Some(row.kind),
            source: row.source,
            tracking_id: row.tracking_id.clone(),
            mwh: row.mwh,
            used_mwh,
            g_per_kwh: Self::rate(row),
            status,
            reason,
            on_site_row: true,
        }
    }

    fn rejected(entry: &InstrumentEntry, reason: String) -> Verdict {
        match entry {
            InstrumentEntry::Row(row) => Self::verdict(row, 0.0, VerdictStatus::Rejected, reason),
            InstrumentEntry::Unreadable {
                line,
                site_id,
                tracking_id,
                ..
            } => Verdict {
                line: *line,
                site_id: site_id.clone(),
                kind: None,
                source: None,
                tracking_id: tracking_id.clone(),
                mwh: 0.0,
                used_mwh: 0.0,
                g_per_kwh: 0.0,
                status: VerdictStatus::Rejected,
                reason,
                on_site_row: true,
            },
        }
    }

    /// Settle the instruments of site `site_id` (its row at `line` of the sites file) against
    /// its grid consumption `grid_mwh` (none: the row failed) and the codes of its market
    /// (grid zone, region, country, most specific first): the verdicts of its instruments,
    /// used ones first in the order they count (certificates and PPAs, then supplier rates).
    /// A site id settled before is not settled again: its instruments stay with its first row.
    pub fn settle(&mut self, site_id: &str, line: u64, grid_mwh: Option<f64>, markets: &[&str]) -> Vec<Verdict> {
        let Some(rows) = self.by_site.get(site_id) else {
            return Vec::new();
        };
        if self.settled.contains_key(site_id) {
            self.repeated.entry(site_id.to_string()).or_default().push(line);
            return Vec::new();
        }
        self.settled.insert(site_id.to_string(), line);
        // Certificates and PPAs first, then supplier rates, each in file order.
        let mut order: Vec<usize> = rows.clone();
        order.sort_by_key(|&i| match &self.entries[i] {
            InstrumentEntry::Row(r) => (u8::from(r.kind == InstrumentKind::Supplier), i),
            InstrumentEntry::Unreadable { .. } => (2, i),
        });
        let mut left = grid_mwh.unwrap_or(0.0);
        let mut verdicts = Vec::with_capacity(order.len());
        for i in order {
            let entry = &self.entries[i];
            let verdict = match (entry, &self.ruled_out[i], grid_mwh) {
                (_, Some(reason), _) => Self::rejected(entry, reason.clone()),
                (_, None, None) => Self::rejected(
                    entry,
                    format!("the site's row (line {line}) failed: there is no consumption to set it against"),
                ),
                (InstrumentEntry::Row(row), None, Some(consumption)) => {
                    if !markets.iter().any(|m| m.eq_ignore_ascii_case(row.market.trim())) {
                        Self::rejected(
                            entry,
                            format!("market {} is not the site's ({})", row.market, markets.join(", ")),
                        )
                    } else if left <= 0.0 {
                        Self::rejected(
                            entry,
                            format!(
                                "the site's grid consumption ({} MWh) is already covered by the instruments before it",
                                mwh(consumption)
                            ),
                        )
                    } else if row.mwh > left {
                        let used = left;
                        left = 0.0;
                        Self::verdict(
                            row,
                            used,
                            VerdictStatus::PartlyUsed,
                            format!(
                                "the site's grid consumption ({} MWh) is covered: {} of {} MWh used",
                                mwh(consumption),
                                mwh(used),
                                mwh(row.mwh)
                            ),
                        )
                    } else {
                        left -= row.mwh;
                        Self::verdict(row, row.mwh, VerdictStatus::Used, String::new())
                    }
                }
                (InstrumentEntry::Unreadable { .. }, None, Some(_)) => Self::rejected(entry, "unreadable".to_string()),
            };
            self.verdicts[i] = Some(verdict.clone());
            verdicts.push(verdict);
        }
        verdicts
    }

    /// A verdict for every row of the file, in file order: those of sites never settled (no
    /// row of the sites file has the id, or its row failed before it was placed) rejected,
    /// and those of a site id that appears again in the sites file saying on which line they
    /// count.
    pub fn finish(self) -> Vec<Verdict> {
        let Ledger {
            entries,
            ruled_out,
            settled,
            repeated,
            verdicts,
            ..
        } = self;
        verdicts
            .into_iter()
            .zip(entries.iter().zip(ruled_out))
            .map(|(verdict, (entry, ruled_out))| match verdict {
                Some(mut v) => {
                    let counted = v.status != VerdictStatus::Rejected;
                    let again = entry
                        .site_id()
                        .filter(|_| counted)
                        .and_then(|id| repeated.get(id).map(|lines| (id, lines)));
                    if let Some((id, lines)) = again {
                        let at = settled.get(id).copied().unwrap_or_default();
                        let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
                        let note = format!(
                            "site id {id} appears again on line(s) {} of the sites file: counted on line {at} only",
                            lines.join(", ")
                        );
                        v.reason = if v.reason.is_empty() {
                            note
                        } else {
                            format!("{}; {note}", v.reason)
                        };
                    }
                    v
                }
                None => {
                    let reason = match (ruled_out, entry.site_id()) {
                        (Some(reason), _) => reason,
                        (None, Some(id)) => {
                            format!("no row of the sites file has id {id}, or its row failed before it was placed")
                        }
                        (None, None) => "no site_id".to_string(),
                    };
                    Verdict {
                        on_site_row: false,
                        ..Self::rejected(entry, reason)
                    }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::instruments::{Vintage, YearMonth};
    use crate::source::Source;

    fn row(
        line: u64,
        site: &str,
        kind: InstrumentKind,
        mwh: f64,
        vintage: &str,
        tracking: Option<&str>,
    ) -> InstrumentEntry {
        InstrumentEntry::Row(InstrumentRow {
            line,
            site_id: site.into(),
            kind,
            mwh,
            source: (kind != InstrumentKind::Supplier).then_some(Source::Hydro),
            vintage: Vintage::parse(vintage).unwrap(),
            market: "NO".into(),
            tracking_id: tracking.map(String::from),
            retired: true,
            g_per_kwh: (kind == InstrumentKind::Supplier).then_some(300.0),
        })
    }

    const NO: &[&str] = &["NO-NO4", "NO4", "NO-18", "NO"];

    #[test]
    fn a_go_of_the_year_before_counts_only_within_a_documented_window() {
        let entries = || vec![row(2, "s", InstrumentKind::Go, 100.0, "2023-10..2023-12", Some("GO-1"))];
        let mut strict = Ledger::new(entries(), Period::year(2024, 0));
        let v = strict.settle("s", 2, Some(1000.0), NO);
        assert_eq!(v[0].status, VerdictStatus::Rejected);
        assert_eq!(
            v[0].reason,
            "vintage 2023-10..2023-12 is outside the reporting period 2024-01..2024-12"
        );
        let mut window = Ledger::new(entries(), Period::year(2024, 6));
        assert_eq!(window.settle("s", 2, Some(1000.0), NO)[0].status, VerdictStatus::Used);
        assert_eq!(Period::year(2024, 6).to_string(), "2023-07..2025-06");
    }

    #[test]
    fn a_tracking_id_claimed_twice_stays_with_its_first_row() {
        let mut ledger = Ledger::new(
            vec![
                row(2, "a", InstrumentKind::Go, 100.0, "2024", Some("GO-1")),
                row(3, "b", InstrumentKind::Go, 100.0, "2024", Some("go-1")),
            ],
            Period::year(2024, 0),
        );
        assert_eq!(
            ledger.settle("b", 5, Some(1000.0), NO)[0].reason,
            "tracking id go-1 is claimed on line 2 (site a)"
        );
        assert_eq!(ledger.settle("a", 6, Some(1000.0), NO)[0].status, VerdictStatus::Used);
        // A first claim that is itself rejected still holds the id, and the later row's reason
        // says so.
        let mut ledger = Ledger::new(
            vec![
                row(2, "a", InstrumentKind::Go, 100.0, "2022", Some("GO-1")),
                row(3, "b", InstrumentKind::Go, 100.0, "2024", Some("GO-1")),
            ],
            Period::year(2024, 0),
        );
        assert_eq!(
            ledger.settle("b", 5, Some(1000.0), NO)[0].reason,
            "tracking id GO-1 is claimed on line 2 (site a), itself rejected (vintage 2022 is outside the reporting period 2024-01..2024-12): a certificate counts once, so the file must say which row holds it"
        );
    }

    #[test]
    fn instruments_above_the_consumption_are_partly_used_then_rejected_certificates_before_supplier_rates() {
        let mut ledger = Ledger::new(
            vec![
                row(2, "s", InstrumentKind::Supplier, 500.0, "2024", None),
                row(3, "s", InstrumentKind::Go, 600.0, "2024", Some("GO-1")),
                row(4, "s", InstrumentKind::Go, 600.0, "2024", Some("GO-2")),
            ],
            Period::year(2024, 0),
        );
        let v = ledger.settle("s", 2, Some(1000.0), NO);
        // GO-1 600 MWh used; GO-2 400 of 600; the supplier rate nothing left.
        let got: Vec<(u64, VerdictStatus, f64)> = v.iter().map(|v| (v.line, v.status, v.used_mwh)).collect();
        assert_eq!(
            got,
            vec![
                (3, VerdictStatus::Used, 600.0),
                (4, VerdictStatus::PartlyUsed, 400.0),
                (2, VerdictStatus::Rejected, 0.0),
            ]
        );
        assert_eq!(
            v[1].reason,
            "the site's grid consumption (1,000 MWh) is covered: 400 of 600 MWh used"
        );
        assert_eq!(v[0].g_per_kwh, 0.0);
    }

    #[test]
    fn the_wrong_market_an_unretired_certificate_and_a_fossil_ppa_without_a_rate_are_rejected() {
        let mut entries = vec![row(2, "s", InstrumentKind::Go, 10.0, "2024", Some("GO-1"))];
        if let InstrumentEntry::Row(r) = &mut entries[0] {
            r.market = "SE".into();
        }
        let mut unretired = row(3, "s", InstrumentKind::Rec, 10.0, "2024", Some("R-1"));
        if let InstrumentEntry::Row(r) = &mut unretired {
            r.retired = false;
        }
        let mut gas = row(4, "s", InstrumentKind::Ppa, 10.0, "2024", None);
        if let InstrumentEntry::Row(r) = &mut gas {
            r.source = Some(Source::Gas);
        }
        entries.extend([unretired, gas]);
        let mut ledger = Ledger::new(entries, Period::year(2024, 0));
        let reasons: Vec<String> = ledger
            .settle("s", 2, Some(100.0), NO)
            .into_iter()
            .map(|v| v.reason)
            .collect();
        assert_eq!(
            reasons,
            vec![
                "market SE is not the site's (NO-NO4, NO4, NO-18, NO)",
                "not retired: a REC counts only once retired (cancelled) for the site",
                "an instrument from gas needs g_per_kwh (its plant's emission rate): none is guessed",
            ]
        );
    }

    #[test]
    fn nothing_is_dropped_unknown_sites_unreadable_rows_and_repeated_site_ids_are_reported() {
        let entries = vec![
            row(2, "s", InstrumentKind::Go, 10.0, "2024", Some("GO-1")),
            row(3, "ghost", InstrumentKind::Go, 10.0, "2024", Some("GO-2")),
            InstrumentEntry::Unreadable {
                line: 4,
                site_id: Some("s".into()),
                tracking_id: None,
                message: "line 4, column 'mwh', value 'abc': expected a number of MWh above 0".into(),
            },
        ];
        let mut ledger = Ledger::new(entries, Period::year(2024, 0));
        assert_eq!(ledger.settle("s", 2, Some(100.0), NO).len(), 2);
        assert!(ledger.settle("s", 9, Some(100.0), NO).is_empty());
        let v = ledger.finish();
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0].reason,
            "site id s appears again on line(s) 9 of the sites file: counted on line 2 only"
        );
        assert_eq!(
            v[1].reason,
            "no row of the sites file has id ghost, or its row failed before it was placed"
        );
        assert_eq!(
            v[2].reason,
            "unreadable: line 4, column 'mwh', value 'abc': expected a number of MWh above 0"
        );
        assert_eq!(YearMonth { year: 2024, month: 1 }.to_string(), "2024-01");
    }
}
