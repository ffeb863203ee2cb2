//! Residual mixes the user gives (`--residual-mix FILE`, CSV or XLSX, header
//! `region,year,g_per_kwh,source`): the emission rate of the electricity left once the
//! claimed attributes are taken out, which the market-based Scope 2 uses for consumption no
//! instrument or supplier rate covers. The AIB's and Green-e's residual mixes cannot be
//! redistributed, so hashmix embeds none.

/// One row of the residual-mix file.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidualRow {
    /// The file's line.
    pub line: u64,
    /// A country, region or grid-zone code, upper case.
    pub region: String,
    /// The year it describes.
    pub year: u16,
    /// gCO2e/kWh.
    pub g_per_kwh: f64,
    /// Where it comes from ("AIB European Residual Mixes 2024, v1.0").
    pub source: String,
}

/// The residual mixes of a run.
#[derive(Debug, Clone, Default)]
pub struct ResidualMixes {
    /// The rows, in file order.
    pub rows: Vec<ResidualRow>,
}

impl ResidualMixes {
    /// The residual mix for a site whose codes are `codes` (grid zone, region, country, most
    /// specific first) in reporting year `year`: the first code that has one, of that year, else
    /// of the latest year before it (with a note saying so); none where no code has one in
    /// or before the year.
    pub fn find(&self, codes: &[&str], year: u16) -> Option<(&ResidualRow, Option<String>)> {
        for code in codes {
            let best = self
                .rows
                .iter()
                .filter(|r| r.region.eq_ignore_ascii_case(code) && r.year <= year)
                .max_by_key(|r| (r.year, std::cmp::Reverse(r.line)));
            if let Some(row) = best {
                let note = (row.year != year).then(|| {
                    format!(
                        "no residual mix of {year} for {}: that of {} ({}, line {}) is used",
                        row.region, row.year, row.source, row.line
                    )
                });
                return Some((row, note));
            }
        }
        None
    }
}

impl ResidualMixes {
    /// Read a residual-mix file (integration stub, replaced by the reader).
    pub fn read(path: &str) -> Result<ResidualMixes, crate::Error> {
        Err(crate::Error::Usage(format!("--residual-mix {path}: not read yet")))
    }
}
