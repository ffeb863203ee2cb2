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
    /// Read a residual-mix file (CSV or a spreadsheet's first sheet; header
    /// `region,year,g_per_kwh,source`). A small option file, like `--factors`: any bad row, or
    /// a region and year given twice, is an error naming the line, column and value.
    pub fn read(path: &str) -> Result<ResidualMixes, crate::Error> {
        let table = super::table::read(path, "--residual-mix")?;
        let error = |message: String| crate::Error::UnusableInput {
            input: format!("--residual-mix {path}"),
            message,
        };
        let names = ["region", "year", "g_per_kwh", "source"];
        let mut at = [0usize; 4];
        for (k, name) in names.iter().enumerate() {
            at[k] = table.column(&[name]).ok_or_else(|| {
                error(format!(
                    "no column {name}: the header must name region,year,g_per_kwh,source"
                ))
            })?;
        }
        let mut rows: Vec<ResidualRow> = Vec::with_capacity(table.rows.len());
        for (line, cells) in &table.rows {
            let get = |k: usize| cells.get(at[k]).map(String::as_str).unwrap_or("");
            let bad = |k: usize, expected: &str| {
                error(format!(
                    "line {line}, column '{}', value '{}': {expected}",
                    names[k],
                    get(k)
                ))
            };
            let region = get(0).to_ascii_uppercase();
            if region.is_empty() {
                return Err(bad(0, "expected a country, region or grid-zone code"));
            }
            let year = get(1)
                .parse::<u16>()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
                .ok_or_else(|| bad(1, "expected a year"))?;
            let g_per_kwh = match super::table::number(get(2), table.decimals) {
                Ok(v) if v >= 0.0 => v,
                _ => return Err(bad(2, "expected a rate of 0 or more gCO2e/kWh")),
            };
            let source = get(3).to_string();
            if source.is_empty() {
                return Err(bad(
                    3,
                    "expected where the residual mix comes from (publisher, edition)",
                ));
            }
            if let Some(first) = rows.iter().find(|r| r.region == region && r.year == year) {
                return Err(error(format!(
                    "line {line}: {region} {year} is given twice (first on line {}); keep one",
                    first.line
                )));
            }
            rows.push(ResidualRow {
                line: *line,
                region,
                year,
                g_per_kwh,
                source,
            });
        }
        Ok(ResidualMixes { rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixes() -> ResidualMixes {
        let row = |line, region: &str, year, g| ResidualRow {
            line,
            region: region.into(),
            year,
            g_per_kwh: g,
            source: "test".into(),
        };
        ResidualMixes {
            rows: vec![
                row(2, "NO", 2022, 400.0),
                row(3, "NO", 2023, 420.0),
                row(4, "NO-NO4", 2021, 30.0),
            ],
        }
    }

    #[test]
    fn the_most_specific_code_with_a_mix_in_or_before_the_year_wins() {
        let m = mixes();
        // NO4 has only 2021: it is used for 2023 (the most specific code), with a note.
        let (row, note) = m.find(&["NO-NO4", "NO"], 2023).unwrap();
        assert_eq!((row.line, note.is_some()), (4, true));
        // Without the zone: Norway's 2023.
        let (row, note) = m.find(&["NO"], 2023).unwrap();
        assert_eq!((row.g_per_kwh, note), (420.0, None));
        // No mix before 2020 anywhere.
        assert!(m.find(&["NO-NO4", "NO"], 2020).is_none());
    }
}
