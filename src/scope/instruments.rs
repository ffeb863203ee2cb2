//! The instruments file (`--instruments FILE`, CSV or XLSX): one contractual instrument per
//! row, with the header `site_id,type,mwh,source,vintage,market,tracking_id,retired` and an
//! optional `g_per_kwh` (a supplier's rate, or a PPA from a fossil plant).
//!
//! A row that cannot be read is not dropped: it becomes an [`InstrumentEntry::Unreadable`],
//! which the ledger lists as rejected with the message (line, column, value, what was
//! expected). Only a file that cannot be used at all (unreadable, no header, a required
//! column missing) stops the run.

use crate::source::Source;

/// The largest instrument taken, MWh: a billion (1,000 TWh, more than any site draws).
const MAX_INSTRUMENT_MWH: f64 = 1e9;

/// What kind of contractual instrument a row is (the `type` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstrumentKind {
    /// A US renewable energy certificate.
    Rec,
    /// A European guarantee of origin.
    Go,
    /// An International REC Standard certificate.
    IRec,
    /// A power purchase agreement (its certificates are expected to come with it).
    Ppa,
    /// A supplier-specific emission rate for part of the site's supply (`g_per_kwh` required).
    Supplier,
}

impl InstrumentKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [InstrumentKind; 5] = [
        InstrumentKind::Rec,
        InstrumentKind::Go,
        InstrumentKind::IRec,
        InstrumentKind::Ppa,
        InstrumentKind::Supplier,
    ];

    /// As written in the file and in output: `REC`, `GO`, `I-REC`, `PPA`, `supplier`.
    pub fn name(self) -> &'static str {
        match self {
            InstrumentKind::Rec => "REC",
            InstrumentKind::Go => "GO",
            InstrumentKind::IRec => "I-REC",
            InstrumentKind::Ppa => "PPA",
            InstrumentKind::Supplier => "supplier",
        }
    }

    /// The kind a `type` cell names, case-insensitive (`irec` and `I-REC(E)` are I-RECs).
    pub fn from_name(text: &str) -> Option<InstrumentKind> {
        let t: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match t.as_str() {
            "rec" | "recs" => Some(InstrumentKind::Rec),
            "go" | "gos" | "guaranteeoforigin" => Some(InstrumentKind::Go),
            "irec" | "irece" | "irecs" => Some(InstrumentKind::IRec),
            "ppa" | "vppa" => Some(InstrumentKind::Ppa),
            "supplier" | "suppliermix" | "supplierrate" => Some(InstrumentKind::Supplier),
            _ => None,
        }
    }

    /// Whether the kind is an energy attribute certificate (REC, GO, I-REC): it must carry a
    /// tracking id and be retired to count.
    pub fn is_certificate(self) -> bool {
        matches!(self, InstrumentKind::Rec | InstrumentKind::Go | InstrumentKind::IRec)
    }
}

/// A month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// The year.
    pub year: u16,
    /// The month, 1-12.
    pub month: u8,
}

impl YearMonth {
    /// Months since year 0: for arithmetic on windows.
    pub fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    /// The month `index` counts to.
    pub fn from_index(index: i32) -> YearMonth {
        YearMonth {
            year: index.div_euclid(12) as u16,
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// When the energy behind an instrument was generated: a year (`2024`, all its months) or a
/// range of months (`2023-07..2024-06`), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vintage {
    /// The first month.
    pub from: YearMonth,
    /// The last month.
    pub to: YearMonth,
}

impl Vintage {
    /// Parse `YYYY` or `YYYY-MM..YYYY-MM` (also `YYYY-MM` alone: one month).
    pub fn parse(text: &str) -> Option<Vintage> {
        let text = text.trim();
        let month = |t: &str| -> Option<YearMonth> {
            let (y, m) = t.trim().split_once('-')?;
            let (year, month) = (y.parse::<u16>().ok()?, m.parse::<u8>().ok()?);
            ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(YearMonth { year, month })
        };
        if let Some((a, b)) = text.split_once("..") {
            let (from, to) = (month(a)?, month(b)?);
            return (from <= to).then_some(Vintage { from, to });
        }
        if let Some(m) = month(text) {
            return Some(Vintage { from: m, to: m });
        }
        let year = text.parse::<u16>().ok().filter(|y| (1900..=2200).contains(y))?;
        Some(Vintage {
            from: YearMonth { year, month: 1 },
            to: YearMonth { year, month: 12 },
        })
    }
}

impl std::fmt::Display for Vintage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.from.year == self.to.year && self.from.month == 1 && self.to.month == 12 {
            write!(f, "{}", self.from.year)
        } else if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}..{}", self.from, self.to)
        }
    }
}

/// One readable row of the instruments file.
#[derive(Debug, Clone, PartialEq)]
pub struct InstrumentRow {
    /// The file's line (a sheet's row number).
    pub line: u64,
    /// The site it is claimed for: the `id` of a row of the sites file.
    pub site_id: String,
    /// REC, GO, I-REC, PPA or supplier.
    pub kind: InstrumentKind,
    /// MWh it covers, > 0.
    pub mwh: f64,
    /// The generation source (none for a supplier's rate, where the column may be blank).
    pub source: Option<Source>,
    /// When the energy was generated.
    pub vintage: Vintage,
    /// The market it was issued in: a country (`US`), a region (`US-TX`, `CA-QC`) or a grid
    /// zone code (`ERCT`, `NO-NO1`), upper case.
    pub market: String,
    /// The registry's id (blank allowed only for PPAs and supplier rates).
    pub tracking_id: Option<String>,
    /// Whether it was retired (cancelled) for the site.
    pub retired: bool,
    /// Its emission rate where it has one: a supplier's rate, a PPA from a fossil plant.
    pub g_per_kwh: Option<f64>,
}

/// A row of the instruments file as read: usable, or why not.
#[derive(Debug, Clone, PartialEq)]
pub enum InstrumentEntry {
    /// Every cell read.
    Row(InstrumentRow),
    /// A cell could not be read.
    Unreadable {
        /// The file's line.
        line: u64,
        /// The row's `site_id`, if it could be read.
        site_id: Option<String>,
        /// The row's `tracking_id`, if any.
        tracking_id: Option<String>,
        /// Line, column, value and what was expected.
        message: String,
    },
}

impl InstrumentEntry {
    /// The file's line.
    pub fn line(&self) -> u64 {
        match self {
            InstrumentEntry::Row(r) => r.line,
            InstrumentEntry::Unreadable { line, .. } => *line,
        }
    }

    /// The site it names, if readable.
    pub fn site_id(&self) -> Option<&str> {
        match self {
            InstrumentEntry::Row(r) => Some(&r.site_id),
            InstrumentEntry::Unreadable { site_id, .. } => site_id.as_deref(),
        }
    }
}

/// The generation source a `source` cell names: the output's source names (`coal`, `gas`,
/// `hydro`, `other_renewables`...) and the words certificates use (`geothermal`, `biomass`,
/// `biogas`, `natural gas`, `pv`, `onshore wind`...), case-insensitive.
pub fn source_from_name(text: &str) -> Option<Source> {
    let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if let Some(s) = Source::from_name(&t) {
        return Some(s);
    }
    Some(match t.as_str() {
        "geothermal" | "tidal" | "wave" | "marine" | "ocean" => Source::OtherRenewables,
        "biomass" | "biogas" | "bio" | "biofuel" | "landfill_gas" => Source::Bioenergy,
        "natural_gas" | "ng" => Source::Gas,
        "pv" | "solar_pv" | "photovoltaic" => Source::Solar,
        "onshore_wind" | "offshore_wind" => Source::Wind,
        "hydropower" | "hydroelectric" | "run_of_river" => Source::Hydro,
        "lignite" | "hard_coal" => Source::Coal,
        "diesel" | "fuel_oil" | "petroleum" => Source::Oil,
        _ => return None,
    })
}

/// The required columns of an instruments file, in the documented order.
pub const INSTRUMENT_COLUMNS: [&str; 8] = [
    "site_id",
    "type",
    "mwh",
    "source",
    "vintage",
    "market",
    "tracking_id",
    "retired",
];

/// Read an instruments file (CSV or a spreadsheet's first sheet; see `scope::table`): every
/// row, readable or not. An unusable file (unreadable, empty, a required column missing) is an
/// error that stops the run.
pub fn read_instruments(path: &str) -> Result<Vec<InstrumentEntry>, crate::Error> {
    let table = super::table::read(path, "--instruments")?;
    let mut at = [0usize; 8];
    for (k, name) in INSTRUMENT_COLUMNS.iter().enumerate() {
        let aliases: &[&str] = match *name {
            "site_id" => &["site_id", "id", "site"],
            _ => std::slice::from_ref(name),
        };
        at[k] = table.column(aliases).ok_or_else(|| crate::Error::UnusableInput {
            input: format!("--instruments {path}"),
            message: format!(
                "no column {name}: the header must name {} (and may add g_per_kwh)",
                INSTRUMENT_COLUMNS.join(",")
            ),
        })?;
    }
    let rate_at = table.column(&["g_per_kwh"]);
    Ok(table
        .rows
        .iter()
        .map(|(line, cells)| entry(*line, cells, &at, rate_at, &table))
        .collect())
}

/// One row of the instruments file.
fn entry(
    line: u64,
    cells: &[String],
    at: &[usize; 8],
    rate_at: Option<usize>,
    table: &super::table::Table,
) -> InstrumentEntry {
    let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
    let get = |k: usize| cell(at[k]);
    let site_id = Some(get(0).to_string()).filter(|s| !s.is_empty());
    let tracking_id = Some(get(6).to_string()).filter(|s| !s.is_empty());
    let bad = |column: &str, value: &str, expected: &str| InstrumentEntry::Unreadable {
        line,
        site_id: site_id.clone(),
        tracking_id: tracking_id.clone(),
        message: format!("line {line}, column '{column}', value '{value}': {expected}"),
    };
    let Some(site) = site_id.clone() else {
        return bad("site_id", "", "expected the id of a row of the sites file");
    };
    let Some(kind) = InstrumentKind::from_name(get(1)) else {
        return bad("type", get(1), "expected REC, GO, I-REC, PPA or supplier");
    };
    // At most a billion MWh (1,000 TWh, more than any site draws): a larger figure is a slip.
    let mwh = match super::table::number(get(2), table.decimals) {
        Ok(v) if v > 0.0 && v <= MAX_INSTRUMENT_MWH => v,
        Ok(_) => {
            return bad(
                "mwh",
                get(2),
                "expected a number of MWh above 0 and at most 1,000,000,000",
            );
        }
        Err(e) => return bad("mwh", get(2), &format!("{e}, expected a number of MWh above 0")),
    };
    let source = match (get(3), kind) {
        ("", InstrumentKind::Supplier) => None,
        ("", _) => {
            return bad(
                "source",
                "",
                "expected the generation source (wind, solar, hydro, geothermal, gas...)",
            );
        }
        (text, _) => match source_from_name(text) {
            Some(s) => Some(s),
            None => {
                return bad(
                    "source",
                    text,
                    "expected a generation source: coal, gas, oil, nuclear, hydro, wind, solar, bioenergy, geothermal",
                );
            }
        },
    };
    let Some(vintage) = Vintage::parse(get(4)) else {
        return bad(
            "vintage",
            get(4),
            "expected a year (YYYY, such as 2023) or months (YYYY-MM..YYYY-MM, such as 2023-01..2023-12)",
        );
    };
    let market = get(5).to_ascii_uppercase();
    if market.is_empty() {
        return bad(
            "market",
            "",
            "expected the market's code: a country (US), region (US-TX) or grid zone (ERCT)",
        );
    }
    let retired = match get(7).to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "retired" | "cancelled" => true,
        "no" | "n" | "false" | "0" | "" => false,
        other => return bad("retired", other, "expected yes or no"),
    };
    let g_per_kwh = match rate_at.map(cell).filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => match super::table::number(text, table.decimals) {
            Ok(v) if v >= 0.0 => Some(v),
            Ok(_) => return bad("g_per_kwh", text, "expected a rate of 0 or more gCO2e/kWh"),
            Err(e) => return bad("g_per_kwh", text, &format!("{e}; expected a rate in gCO2e/kWh")),
        },
    };
    InstrumentEntry::Row(InstrumentRow {
        line,
        site_id: site,
        kind,
        mwh,
        source,
        vintage,
        market,
        tracking_id,
        retired,
        g_per_kwh,
    })
}
