//! Published regional emission rates: the figure a filing uses (eGRID's subregion and state
//! rates, MEE's provincial factors, NIR's provincial generation intensity, Khepri's Nordic
//! zones, Ember's country intensities), read once from grid-data/published-factors.csv.
//!
//! Only the `headline` rows are kept: the one rate per region, year and basis that
//! SOURCES.md names (NIR's consumption rows, for example, are kept in the file for reference
//! and not used). A rate is looked up by region or zone code, basis and a cap year: the latest
//! published year not after the cap.

use rustc_hash::FxHashMap;

use crate::Error;

/// What an intensity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Basis {
    /// Combustion CO2e at the power plant: the GHG Protocol's Scope 2 basis, what eGRID, MEE
    /// and NIR publish.
    #[default]
    Direct,
    /// With upstream and construction emissions: IPCC AR5 lifecycle medians, Ember's
    /// intensities.
    Lifecycle,
}

impl Basis {
    /// Both bases, in the order of [`Basis::index`].
    pub const ALL: [Basis; 2] = [Basis::Direct, Basis::Lifecycle];

    /// As written in output and on the command line: `direct` or `lifecycle`.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Direct => "direct",
            Basis::Lifecycle => "lifecycle",
        }
    }

    /// The basis named `direct` or `lifecycle`.
    pub fn from_name(name: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.name() == name)
    }

    /// 0 for direct, 1 for lifecycle.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One published headline rate.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRate {
    /// The year the rate is for.
    pub year: u16,
    /// The rate, gCO2e/kWh (CO2 only where the source publishes no CO2e; `note` says so).
    pub g_per_kwh: f64,
    /// Where the rate comes from, as the output's `intensity_source` writes it:
    /// `{edition} {field}, {published region}`, with `, {year}` added when the edition does not
    /// name the year ("eGRID2023 rev2 SRC2ERTA, ERCT"; "Ember data API, May 2025
    /// emissions_intensity_gco2_per_kwh, Kazakhstan, 2023").
    pub source: String,
    /// What the rate counts that the shares do not (consumption basis, CO2 only), from the
    /// row's `note`; none where nothing needs saying.
    pub note: Option<String>,
    /// The dataset id (see published-datasets.csv).
    pub dataset: String,
}

/// The headline rates of every region and zone, by basis, ascending by year.
#[derive(Debug, Clone, Default)]
pub struct PublishedFactors {
    rates: FxHashMap<String, [Vec<PublishedRate>; 2]>,
}

/// The columns read from published-factors.csv, by name.
const COLUMNS: [&str; 10] = [
    "region",
    "year",
    "basis",
    "g_per_kwh",
    "headline",
    "dataset",
    "edition",
    "field",
    "published_region",
    "note",
];

/// The file's name in errors.
const FILE: &str = "published-factors.csv";

fn err(line: usize, column: &str, value: &str, expected: &str) -> Error {
    Error::GridData {
        file: FILE.into(),
        message: format!("line {line}, column {column}: '{value}': expected {expected}"),
    }
}

/// `{edition} {field}, {region}`, with `, {year}` unless the edition is named after the data
/// year (eGRID's: `eGRID2023 rev2` holds 2023's rates). Other editions name a publication year
/// or a range (`NIR 2024 (1990-2022)`), which does not say the row's year.
fn source_text(edition: &str, field: &str, region: &str, year: u16) -> String {
    let mut s = format!("{edition} {field}, {region}");
    if !edition.starts_with(&format!("eGRID{year}")) {
        s.push_str(&format!(", {year}"));
    }
    s
}

impl PublishedFactors {
    /// Parse published-factors.csv; an error names the file, line, column and value.
    pub fn parse(text: &str) -> Result<PublishedFactors, Error> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let header = rdr.headers().map_err(|e| err(1, "header", "", &e.to_string()))?.clone();
        let mut at = [0; COLUMNS.len()];
        for (slot, name) in at.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| err(1, name, "", "a column of this name"))?;
        }
        let mut rates: FxHashMap<String, [Vec<PublishedRate>; 2]> = FxHashMap::default();
        for (i, row) in rdr.records().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| err(line, "row", "", &e.to_string()))?;
            let cell = |k: usize| row.get(at[k]).unwrap_or("");
            match cell(4) {
                "true" => {}
                "false" => continue,
                v => return Err(err(line, "headline", v, "true or false")),
            }
            let year: u16 = cell(1).parse().map_err(|_| err(line, "year", cell(1), "a year"))?;
            let basis = Basis::from_name(cell(2)).ok_or_else(|| err(line, "basis", cell(2), "direct or lifecycle"))?;
            let g_per_kwh = cell(3)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| err(line, "g_per_kwh", cell(3), "a finite number of gCO2e/kWh, 0 or more"))?;
            let list = &mut rates.entry(cell(0).to_string()).or_default()[basis.index()];
            if list.iter().any(|r| r.year == year) {
                let what = format!(
                    "one headline row per region, year and basis ({} {year} {} is given twice)",
                    cell(0),
                    basis.name()
                );
                return Err(err(line, "headline", "true", &what));
            }
            list.push(PublishedRate {
                year,
                g_per_kwh,
                source: source_text(cell(6), cell(7), cell(8), year),
                note: Some(cell(9)).filter(|n| !n.is_empty()).map(str::to_string),
                dataset: cell(5).to_string(),
            });
        }
        for lists in rates.values_mut() {
            for list in lists.iter_mut() {
                list.sort_by_key(|r| r.year);
            }
        }
        Ok(PublishedFactors { rates })
    }

    /// The headline rate of a region or zone code on a basis: of the latest published year not
    /// after `cap` (every year when `None`); none where the code has no rate up to then.
    pub fn rate(&self, code: &str, basis: Basis, cap: Option<u16>) -> Option<&PublishedRate> {
        let list = &self.rates.get(code)?[basis.index()];
        let usable = match cap {
            Some(cap) => &list[..list.partition_point(|r| r.year <= cap)],
            None => list,
        };
        usable.last()
    }

    /// The newest year of each dataset of a region's or zone's headline rates, either basis,
    /// by dataset id (for `regions` and the report's freshness table).
    pub fn newest_by_dataset(&self, code: &str) -> std::collections::BTreeMap<&str, u16> {
        let mut newest = std::collections::BTreeMap::new();
        for r in self.rates.get(code).into_iter().flatten().flatten() {
            let e = newest.entry(r.dataset.as_str()).or_insert(r.year);
            *e = (*e).max(r.year);
        }
        newest
    }

    /// Whether a code has any headline rate on a basis.
    pub fn has(&self, code: &str, basis: Basis) -> bool {
        self.rates.get(code).is_some_and(|l| !l[basis.index()].is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> PublishedFactors {
        PublishedFactors::parse(&crate::grid::GridFiles::embedded().published_factors).unwrap()
    }

    #[test]
    fn ercot_direct_2023_is_egrid2023s_subregion_rate() {
        // eGRID2023 rev2 SRC2ERTA ERCT 736.629 lb/MWh x 0.45359237 g/lb = 334.129... g/kWh.
        let p = embedded();
        let r = p.rate("US-ERCT", Basis::Direct, Some(2023)).unwrap();
        assert_eq!((r.year, r.g_per_kwh), (2023, 334.12929392073));
        assert_eq!(r.source, "eGRID2023 rev2 SRC2ERTA, ERCT");
        assert!(r.note.is_none());
    }

    #[test]
    fn the_cap_year_picks_the_latest_published_year_not_after_it() {
        let p = embedded();
        assert_eq!(p.rate("US-ERCT", Basis::Direct, Some(2022)).unwrap().year, 2022);
        assert_eq!(p.rate("US-ERCT", Basis::Direct, None).unwrap().year, 2023);
        // eGRID's subregion rates start in 2018.
        assert!(p.rate("US-ERCT", Basis::Direct, Some(2017)).is_none());
        assert!(p.rate("US-ERCT", Basis::Lifecycle, None).is_none());
    }

    #[test]
    fn nir_rates_name_the_edition_field_province_and_year() {
        let p = embedded();
        let r = p.rate("CA-QC", Basis::Direct, Some(2021)).unwrap();
        // The generation intensity (1.3), not the consumption intensity (1.8).
        assert_eq!(r.g_per_kwh, 1.3);
        assert_eq!(
            r.source,
            "NIR 2024 (1990-2022), Annex 13 Generation Intensity (g CO2 eq / kWh), Quebec (Table A13-6), 2021"
        );
    }

    #[test]
    fn mee_rates_carry_the_note_of_what_they_count() {
        let p = embedded();
        let r = p.rate("CN-SC", Basis::Direct, None).unwrap();
        assert_eq!((r.year, r.g_per_kwh), (2023, 156.4));
        assert_eq!(
            r.note.as_deref(),
            Some("CO2 only; consumed electricity: counts inter-provincial transfers")
        );
    }

    #[test]
    fn a_bad_rate_is_an_error_naming_the_file_line_column_and_value() {
        let text = "region,year,basis,g_per_kwh,gases,headline,dataset,edition,field,published_region,published_value,published_unit,note\n\
                    KZ,2023,lifecycle,lots,CO2e,true,ember-api,e,f,Kazakhstan,1,g,\n";
        let e = PublishedFactors::parse(text).unwrap_err().to_string();
        assert!(
            e.contains("published-factors.csv") && e.contains("line 2, column g_per_kwh: 'lots'"),
            "{e}"
        );
    }

    #[test]
    fn two_headline_rows_for_one_region_year_and_basis_are_refused() {
        let head = "region,year,basis,g_per_kwh,gases,headline,dataset,edition,field,published_region,published_value,published_unit,note\n";
        let row = "KZ,2023,lifecycle,821,CO2e,true,ember-api,e,f,Kazakhstan,821,g,\n";
        let e = PublishedFactors::parse(&format!("{head}{row}{row}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3, column headline"), "{e}");
    }

    // Issue 22: NIR's edition "NIR 2024 (1990-2022)" names a range, not the row's year: its 2022
    // row said no year, its 2021 row ", 2021". Only eGRID's editions are named after the year.
    #[test]
    fn the_source_names_the_year_unless_the_edition_is_named_after_it() {
        let nir = "NIR 2024 (1990-2022), Annex 13";
        assert_eq!(
            source_text(nir, "Generation Intensity", "Quebec", 2022),
            "NIR 2024 (1990-2022), Annex 13 Generation Intensity, Quebec, 2022"
        );
        assert_eq!(
            source_text("eGRID2023 rev2", "SRC2ERTA", "ERCT", 2023),
            "eGRID2023 rev2 SRC2ERTA, ERCT"
        );
    }
}
