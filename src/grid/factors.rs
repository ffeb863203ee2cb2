//! Emission factors: grams of CO2-equivalent per kWh generated, per source.
//!
//! The defaults are the IPCC AR5 WG3 Annex III (2014) lifecycle medians, with their min and max
//! for the intervals; `direct` uses combustion-only values; a user's own CSV
//! (`source,g_per_kwh`, optionally `min,max`) replaces both.

use crate::Error;
use crate::grid::data::GridFiles;
use crate::grid::published::Basis;
use crate::source::{SOURCE_COUNT, Source};

/// Where a site's intensity comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorChoice {
    /// The published rate of the site's grid zone or region on the run's basis where one
    /// exists, else the mix times the basis' IPCC factors (`grid::published`).
    Published,
    /// The mix times the basis' IPCC AR5 per-source factors (lifecycle medians, or direct
    /// combustion values).
    Ipcc,
    /// The mix times the user's CSV file with columns `source,g_per_kwh`, on the basis the run
    /// declares (`--basis`).
    File(String),
}

/// One set of factors, gCO2e/kWh, ordered like [`Source::ALL`].
#[derive(Debug, Clone, PartialEq)]
pub struct Factors {
    /// gCO2e per kWh of each source.
    pub g_per_kwh: [f64; SOURCE_COUNT],
    /// What the factors are, for the output's `sources`.
    pub label: String,
    /// (min, max) of each source where a range is published or given, gCO2e/kWh: the
    /// intervals draw within it (`uncertainty`). None: the factor is held fixed.
    pub ranges: [Option<(f64, f64)>; SOURCE_COUNT],
}

/// One row of grid-data/emission-factors.csv.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct FactorRow {
    /// Source name.
    pub source: String,
    /// IPCC lifecycle minimum, gCO2e/kWh (blank where none is published).
    pub lifecycle_min: Option<f64>,
    /// IPCC lifecycle median, gCO2e/kWh.
    pub lifecycle_median: f64,
    /// IPCC lifecycle maximum, gCO2e/kWh (blank where none is published).
    pub lifecycle_max: Option<f64>,
    /// Direct-combustion value, gCO2e/kWh.
    pub direct: f64,
    /// The IPCC technology that stands for the source.
    pub ipcc_technology: String,
    /// Citation.
    pub citation: String,
}

/// Parse grid-data/emission-factors.csv.
pub fn factor_rows(text: &str) -> Result<Vec<FactorRow>, Error> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<FactorRow> = rdr
        .deserialize()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| Error::GridData {
                file: "emission-factors.csv".into(),
                message: format!("line {}: {e}", i + 2),
            })
        })
        .collect::<Result<_, _>>()?;
    for (i, r) in rows.iter().enumerate() {
        let numbers = [
            ("lifecycle_min", r.lifecycle_min),
            ("lifecycle_median", Some(r.lifecycle_median)),
            ("lifecycle_max", r.lifecycle_max),
            ("direct", Some(r.direct)),
        ];
        if let Some((column, v)) = numbers
            .into_iter()
            .find_map(|(c, v)| v.filter(|v| !(v.is_finite() && *v >= 0.0)).map(|v| (c, v)))
        {
            return Err(Error::GridData {
                file: "emission-factors.csv".into(),
                message: format!(
                    "line {}, column {column}: '{v}': expected a finite number of gCO2e/kWh, 0 or more",
                    i + 2
                ),
            });
        }
    }
    for s in Source::ALL {
        if !rows.iter().any(|r| r.source == s.name()) {
            return Err(Error::GridData {
                file: "emission-factors.csv".into(),
                message: format!("no row for {}", s.name()),
            });
        }
    }
    Ok(rows)
}

/// The start of the label of a user's factors.
const USER_LABEL: &str = "user factors from";

impl Factors {
    /// Whether these are a user's own factors (their ranges, if any, are the user's too).
    pub fn is_user(&self) -> bool {
        self.label.starts_with(USER_LABEL)
    }

    /// Load the per-source factors of a choice on a basis: the basis' IPCC factors (for
    /// `Published`, those of the mix where no rate is published), or the user's file.
    pub fn load(choice: &FactorChoice, basis: Basis, files: &GridFiles) -> Result<Factors, Error> {
        match choice {
            FactorChoice::Published | FactorChoice::Ipcc => {
                let rows = factor_rows(&files.emission_factors)?;
                let mut g = [0.0; SOURCE_COUNT];
                let mut ranges = [None; SOURCE_COUNT];
                for s in Source::ALL {
                    let row = rows
                        .iter()
                        .find(|r| r.source == s.name())
                        .expect("factor_rows checked every source");
                    g[s.index()] = if basis == Basis::Direct {
                        row.direct
                    } else {
                        ranges[s.index()] = row.lifecycle_min.zip(row.lifecycle_max);
                        row.lifecycle_median
                    };
                }
                let label = if basis == Basis::Direct {
                    "direct combustion (IPCC 2014 medians as used by Electricity Maps)"
                } else {
                    "lifecycle medians (IPCC AR5 WG3 Annex III, 2014)"
                };
                Ok(Factors {
                    g_per_kwh: g,
                    label: label.into(),
                    ranges,
                })
            }
            FactorChoice::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.into(),
                    source,
                })?;
                Factors::parse_user(&text, path)
            }
        }
    }

    /// Parse a user's `source,g_per_kwh` CSV; every source must appear exactly once. Optional
    /// columns `min,max` give a source's range for the intervals (both or neither, with
    /// 0 < min <= g_per_kwh <= max).
    pub fn parse_user(text: &str, path: &str) -> Result<Factors, Error> {
        let err = |message: String| Error::Factors {
            path: path.into(),
            message,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = rdr.headers().map_err(|e| err(e.to_string()))?.clone();
        let columns = UserColumns::find(&header).map_err(err)?;
        let mut g = [f64::NAN; SOURCE_COUNT];
        let mut ranges = [None; SOURCE_COUNT];
        for (i, row) in rdr.records().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| err(format!("line {line}: {e}")))?;
            let (s, v) = columns.source_and_factor(&row, line).map_err(err)?;
            if !g[s.index()].is_nan() {
                return Err(err(format!(
                    "line {line}: source '{}' is given twice",
                    columns.name(&row)
                )));
            }
            g[s.index()] = v;
            ranges[s.index()] = columns.range(&row, line, v).map_err(err)?;
        }
        let missing: Vec<&str> = Source::ALL
            .into_iter()
            .filter(|s| g[s.index()].is_nan())
            .map(|s| s.name())
            .collect();
        if !missing.is_empty() {
            return Err(err(format!(
                "no factor for {}; every source needs a row",
                missing.join(", ")
            )));
        }
        Ok(Factors {
            g_per_kwh: g,
            label: format!("{USER_LABEL} {path}"),
            ranges,
        })
    }
}

/// Where the columns of a user's factor file are (any order, any case).
struct UserColumns {
    source: usize,
    g_per_kwh: usize,
    /// `min` and `max`: both or neither.
    min: Option<usize>,
    max: Option<usize>,
}

impl UserColumns {
    /// Find `source` and `g_per_kwh` (required) and `min`, `max` (together) in the header.
    fn find(header: &csv::StringRecord) -> Result<UserColumns, String> {
        let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(source), Some(g_per_kwh)) = (col("source"), col("g_per_kwh")) else {
            return Err(format!(
                "expected columns source,g_per_kwh; found {}",
                header.iter().collect::<Vec<_>>().join(",")
            ));
        };
        let (min, max) = (col("min"), col("max"));
        if min.is_some() != max.is_some() {
            return Err("give both columns min and max, or neither".into());
        }
        Ok(UserColumns {
            source,
            g_per_kwh,
            min,
            max,
        })
    }

    /// The row's source name as written.
    fn name<'r>(&self, row: &'r csv::StringRecord) -> &'r str {
        row.get(self.source).unwrap_or("")
    }

    /// The row's source (a known name) and its factor (a finite number, 0 or more).
    fn source_and_factor(&self, row: &csv::StringRecord, line: usize) -> Result<(Source, f64), String> {
        let name = self.name(row);
        let s = Source::from_name(name).ok_or_else(|| {
            format!(
                "line {line}: unknown source '{name}'; expected one of {}",
                Source::ALL.map(|s| s.name()).join(", ")
            )
        })?;
        let text = row.get(self.g_per_kwh).unwrap_or("");
        let v: f64 = text
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("line {line}, column g_per_kwh: '{text}' is not a number of at least 0"))?;
        Ok((s, v))
    }

    /// The row's range for the intervals, none when both cells are blank; with
    /// 0 < min <= factor `v` <= max.
    fn range(&self, row: &csv::StringRecord, line: usize, v: f64) -> Result<Option<(f64, f64)>, String> {
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).filter(|t| !t.is_empty());
        match (cell(self.min), cell(self.max)) {
            (None, None) => Ok(None),
            (Some(lo), Some(hi)) => {
                let range = lo.parse::<f64>().ok().zip(hi.parse::<f64>().ok());
                match range {
                    Some((lo, hi)) if lo > 0.0 && lo <= v && v <= hi && hi.is_finite() => Ok(Some((lo, hi))),
                    _ => Err(format!(
                        "line {line}, columns min,max: '{lo}', '{hi}' must be numbers with 0 < min <= g_per_kwh ({v}) <= max"
                    )),
                }
            }
            _ => Err(format!(
                "line {line}: give both min and max for '{}', or neither",
                self.name(row)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_defaults_are_the_ipcc_medians() {
        let f = Factors::load(&FactorChoice::Ipcc, Basis::Lifecycle, &GridFiles::embedded()).unwrap();
        assert_eq!(f.g_per_kwh, [820.0, 490.0, 650.0, 12.0, 24.0, 11.0, 48.0, 230.0, 38.0]);
    }

    #[test]
    fn direct_factors_count_only_combustion() {
        let f = Factors::load(&FactorChoice::Ipcc, Basis::Direct, &GridFiles::embedded()).unwrap();
        assert_eq!(f.g_per_kwh, [760.0, 370.0, 406.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn a_user_file_missing_a_source_is_an_error_naming_it() {
        let text =
            "source,g_per_kwh\ncoal,900\ngas,400\noil,700\nnuclear,5\nhydro,10\nwind,10\nsolar,30\nbioenergy,200\n";
        let e = Factors::parse_user(text, "f.csv").unwrap_err().to_string();
        assert_eq!(
            e,
            "emission factors f.csv: no factor for other_renewables; every source needs a row"
        );
    }

    #[test]
    fn a_user_file_may_give_ranges_for_the_intervals() {
        let text = "source,g_per_kwh,min,max\ncoal,900,800,1000\ngas,400,,\noil,700,,\nnuclear,5,,\n\
                    hydro,10,2,30\nwind,10,,\nsolar,30,,\nbioenergy,200,,\nother_renewables,20,,\n";
        let f = Factors::parse_user(text, "f.csv").unwrap();
        assert_eq!(f.ranges[Source::Coal.index()], Some((800.0, 1000.0)));
        assert_eq!(f.ranges[Source::Hydro.index()], Some((2.0, 30.0)));
        assert_eq!(f.ranges[Source::Gas.index()], None);
        let bad = text.replace("hydro,10,2,30", "hydro,10,12,30");
        let e = Factors::parse_user(&bad, "f.csv").unwrap_err().to_string();
        assert_eq!(
            e,
            "emission factors f.csv: line 6, columns min,max: '12', '30' must be numbers with 0 < min <= g_per_kwh (10) <= max"
        );
        let half = text.replace("hydro,10,2,30", "hydro,10,2,");
        assert!(
            Factors::parse_user(&half, "f.csv")
                .unwrap_err()
                .to_string()
                .contains("give both min and max for 'hydro'")
        );
    }

    #[test]
    fn lifecycle_factors_carry_the_ipcc_ranges_and_direct_ones_none() {
        let f = Factors::load(&FactorChoice::Ipcc, Basis::Lifecycle, &GridFiles::embedded()).unwrap();
        assert_eq!(f.ranges[Source::Hydro.index()], Some((1.0, 2200.0)));
        assert_eq!(f.ranges[Source::Oil.index()], None);
        let d = Factors::load(&FactorChoice::Ipcc, Basis::Direct, &GridFiles::embedded()).unwrap();
        assert_eq!(d.ranges, [None; SOURCE_COUNT]);
    }

    #[test]
    fn a_user_file_with_a_typo_names_the_line_and_the_known_sources() {
        let e = Factors::parse_user("source,g_per_kwh\ncaol,900\n", "f.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("emission factors f.csv: line 2: unknown source 'caol'; expected one of coal, gas"),
            "{e}"
        );
    }
}
