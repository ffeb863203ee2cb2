//! The Scope 1/2 table in the shape filings report it (issue 24): ESRS E1-6's GHG emissions
//! (gross Scope 1, Scope 2 location-based and market-based, totals both ways) and E1-5's
//! energy consumption and mix (fossil, nuclear, renewable), each line with the paragraph of
//! ESRS E1 and of IFRS S2 it answers. `--format esrs`, the table, the workbook and the report
//! all write these rows.

use serde::Serialize;

use crate::scope::ScopeTotals;
use crate::source::Source;

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EsrsLine {
    /// `E1-6` (GHG emissions) or `E1-5` (energy consumption and mix).
    pub table: &'static str,
    /// The disclosure requirement's paragraph, and IFRS S2's where it asks the same.
    pub reference: &'static str,
    /// What the line reports.
    pub label: &'static str,
    /// The value (none where hashmix cannot know it: the note says why).
    pub value: Option<f64>,
    /// Its unit.
    pub unit: &'static str,
    /// How it was worked out, or why it is empty.
    pub note: String,
}

/// Decimals of the table's values: tonnes and MWh to 3 decimals as the site fields, percents to
/// 2, counts of sites none.
pub fn decimals(unit: &str) -> i32 {
    match unit {
        "%" => 2,
        "sites" => 0,
        _ => 3,
    }
}

fn line(
    table: &'static str,
    reference: &'static str,
    label: &'static str,
    value: Option<f64>,
    unit: &'static str,
    note: impl Into<String>,
) -> EsrsLine {
    EsrsLine {
        table,
        reference,
        label,
        // Rounded here, so every format writes the same figure.
        value: value.map(|v| crate::round::to(v, decimals(unit))),
        unit,
        note: note.into(),
    }
}

/// Percent of `part` in `total` (none without a total).
fn percent(part: f64, total: f64) -> Option<f64> {
    (total > 0.0).then(|| part / total * 100.0)
}

/// The table's lines for these totals, `failed` rows of the sites file being left out of them;
/// empty when no site has Scope figures.
pub fn lines(t: &ScopeTotals, failed: u64) -> Vec<EsrsLine> {
    if t.sites == 0 {
        return Vec::new();
    }
    const T: &str = "t CO2e";
    const MWH: &str = "MWh";
    let e = &t.energy;
    let s2_market = t.scope2_market_t();
    let fallback = match t.sites_falling_back {
        0 => "instruments, supplier rates and residual mixes in the Scope 2 Guidance's order".to_string(),
        n => format!(
            "{} MWh ({}) have no instrument, supplier rate or residual mix: counted at the location-based factor, disclosed as such",
            crate::round::to(t.market.location.mwh, 3),
            if n == 1 {
                "1 site".to_string()
            } else {
                format!("{n} sites")
            }
        ),
    };
    let mut lines = vec![
        line(
            "E1-6",
            "ESRS E1-6 44(a); IFRS S2 29(a)(i)(1)",
            "Gross Scope 1 GHG emissions",
            Some(t.scope1_t),
            T,
            "on-site generation at its direct factor: the plant's measured onsite_g_per_kwh where given, else EPA fuel factors (CO2, CH4, N2O at AR5 GWPs) over the generators' efficiency",
        ),
        line(
            "E1-6",
            "ESRS E1-6 44(a), 45(a)",
            "Percentage of Scope 1 GHG emissions from regulated emission trading schemes",
            None,
            "%",
            "not known to hashmix: whether a site's plant is under an ETS is for the reporter to state",
        ),
        line(
            "E1-6",
            "ESRS E1-6 44(b); IFRS S2 29(a)(i)(2)",
            "Gross location-based Scope 2 GHG emissions",
            Some(t.scope2_location_t),
            T,
            "grid MWh x each site's location-based grid factor, direct basis (each row's intensity_source names it: a published rate where one exists, by default)",
        ),
        line(
            "E1-6",
            "ESRS E1-6 44(b)",
            "Gross market-based Scope 2 GHG emissions",
            Some(s2_market),
            T,
            fallback,
        ),
        line(
            "E1-6",
            "ESRS E1-6 44(c); IFRS S2 29(a)(i)(3)",
            "Scope 3 category 3: upstream of purchased electricity",
            Some(t.scope3_upstream_t),
            T,
            "grid MWh x the mix's IPCC AR5 lifecycle minus direct factors; the only Scope 3 category hashmix covers",
        ),
        line(
            "E1-6",
            "ESRS E1-6 44(d)",
            "Total GHG emissions (location-based), Scope 1 + 2",
            Some(t.scope1_t + t.scope2_location_t),
            T,
            "Scope 3 not included",
        ),
        line(
            "E1-6",
            "ESRS E1-6 44(d)",
            "Total GHG emissions (market-based), Scope 1 + 2",
            Some(t.scope1_t + s2_market),
            T,
            "Scope 3 not included",
        ),
        line(
            "E1-6",
            "hashmix (reconciliation)",
            "Sites the table covers",
            Some(t.sites as f64),
            "sites",
            match failed {
                0 => "every row of the sites file".to_string(),
                n => format!(
                    "{n} row(s) of the sites file failed and are not in these totals: see their errors (exit code 1)"
                ),
            },
        ),
        line(
            "E1-6",
            "hashmix (reconciliation)",
            "Grid electricity both Scope 2 figures cover",
            Some(t.grid_mwh),
            MWH,
            format!(
                "market-based: {} MWh instruments, {} MWh supplier rates, {} MWh residual mix, {} MWh location-based fallback",
                crate::round::to(t.market.instruments.mwh, 3),
                crate::round::to(t.market.supplier.mwh, 3),
                crate::round::to(t.market.residual.mwh, 3),
                crate::round::to(t.market.location.mwh, 3)
            ),
        ),
        line(
            "E1-5",
            "ESRS E1-5 38",
            "Fuel consumption from coal and coal products",
            Some(e.fuel_mwh[Source::Coal.index()]),
            MWH,
            "fuel heat (HHV) burnt on site",
        ),
        line(
            "E1-5",
            "ESRS E1-5 38",
            "Fuel consumption from crude oil and petroleum products",
            Some(e.fuel_mwh[Source::Oil.index()]),
            MWH,
            "fuel heat (HHV) burnt on site",
        ),
        line(
            "E1-5",
            "ESRS E1-5 38",
            "Fuel consumption from natural gas",
            Some(e.fuel_mwh[Source::Gas.index()]),
            MWH,
            "fuel heat (HHV) burnt on site, flare gas included",
        ),
        line(
            "E1-5",
            "ESRS E1-5 38",
            "Consumption of purchased electricity from fossil sources",
            Some(e.purchased_fossil_mwh),
            MWH,
            "instruments by their source; the rest by the grid's generation mix",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Total fossil energy consumption",
            Some(e.fossil_mwh()),
            MWH,
            "",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Share of fossil sources in total energy consumption",
            percent(e.fossil_mwh(), e.total_mwh()),
            "%",
            "",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Consumption from nuclear sources",
            Some(e.purchased_nuclear_mwh),
            MWH,
            "purchased electricity",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Share of nuclear sources in total energy consumption",
            percent(e.purchased_nuclear_mwh, e.total_mwh()),
            "%",
            "",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Consumption of purchased electricity from renewable sources",
            Some(e.purchased_renewable_mwh),
            MWH,
            "accepted renewable instruments, and the grid mix's renewable part of the rest",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Consumption of self-generated non-fuel renewable energy",
            Some(e.self_generated_renewable_mwh),
            MWH,
            "",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Total renewable energy consumption",
            Some(e.renewable_mwh()),
            MWH,
            "",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Share of renewable sources in total energy consumption",
            percent(e.renewable_mwh(), e.total_mwh()),
            "%",
            "",
        ),
        line(
            "E1-5",
            "ESRS E1-5 37",
            "Total energy consumption",
            Some(e.total_mwh()),
            MWH,
            "fuel heat burnt on site plus grid electricity",
        ),
    ];
    // Flare gas: the methane its engines burn that a flare would have let through, on a line of
    // its own after the GHG lines, never netted; empty where no factor is cited.
    if t.flare_sites > 0 {
        let (value, note) = match t.flare_sites_without_methane {
            0 => (
                Some(t.methane_avoided_t),
                "reported apart from Scope 1; never subtracted".to_string(),
            ),
            n => (
                None,
                format!(
                    "not estimated for {n} flare-gas site(s): no checked factor for the methane engines let through; never subtracted"
                ),
            ),
        };
        let at = lines.iter().position(|l| l.table == "E1-5").unwrap_or(lines.len());
        lines.insert(
            at,
            line(
                "E1-6",
                "hashmix",
                "Methane a flare would have let through, burnt in the site's engines (not netted)",
                value,
                T,
                note,
            ),
        );
    }
    lines
}

/// An instrument's verdict as output writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictRecord {
    /// The instruments file's line.
    pub line: u64,
    /// The site it was claimed for.
    pub site_id: Option<String>,
    /// REC, GO, I-REC, PPA or supplier.
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    /// Its generation source.
    pub source: Option<&'static str>,
    /// Its tracking id.
    pub tracking_id: Option<String>,
    /// MWh as given.
    pub mwh: f64,
    /// MWh that count.
    pub used_mwh: f64,
    /// The rate they count at, gCO2e/kWh.
    pub g_per_kwh: f64,
    /// `used`, `partly used` or `rejected`.
    pub status: &'static str,
    /// Why it was rejected or partly used.
    pub reason: String,
}

impl VerdictRecord {
    /// The record of a verdict.
    pub fn of(v: &crate::scope::Verdict) -> VerdictRecord {
        VerdictRecord {
            line: v.line,
            site_id: v.site_id.clone(),
            kind: v.kind.map(|k| k.name()),
            source: v.source.map(Source::name),
            tracking_id: v.tracking_id.clone(),
            mwh: crate::round::to(v.mwh, 3),
            used_mwh: crate::round::to(v.used_mwh, 3),
            g_per_kwh: crate::round::to(v.g_per_kwh, 3),
            status: v.status.name(),
            reason: v.reason.clone(),
        }
    }
}

/// What the output says of the accounting after the sites (v8): the reporting year, the
/// filing table and every instrument's verdict.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScopeTail {
    /// The reporting year (`--year`), which instruments and residual mixes are checked
    /// against; none when not given.
    pub reporting_year: Option<u16>,
    /// The ESRS E1-6 and E1-5 lines.
    pub esrs: Vec<EsrsLine>,
    /// Every row of the instruments file, in file order, with its verdict.
    pub instruments: Vec<VerdictRecord>,
}

impl ScopeTail {
    /// The tail of a run.
    pub fn of(
        totals: &ScopeTotals,
        failed: u64,
        reporting_year: Option<u16>,
        verdicts: &[crate::scope::Verdict],
    ) -> ScopeTail {
        ScopeTail {
            reporting_year,
            esrs: lines(totals, failed),
            instruments: verdicts.iter().map(VerdictRecord::of).collect(),
        }
    }
}

/// `--format esrs`: the filing table alone, as CSV (`table,reference,label,value,unit,note`).
/// The sites are assessed and counted, not written.
pub struct EsrsWriter<'a> {
    out: Box<dyn std::io::Write + 'a>,
    formulas: super::Formulas,
}

impl<'a> EsrsWriter<'a> {
    /// A writer with nothing written yet.
    pub fn new(out: Box<dyn std::io::Write + 'a>, formulas: super::Formulas) -> Self {
        EsrsWriter { out, formulas }
    }
}

impl super::Writer for EsrsWriter<'_> {
    fn site(&mut self, _result: &crate::assess::SiteResult) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, tail: &super::Tail) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(&mut self.out);
        w.write_record(["table", "reference", "label", "value", "unit", "note"])?;
        for l in &tail.scope.esrs {
            let value = l
                .value
                .map(|v| crate::round::to(v, decimals(l.unit)).to_string())
                .unwrap_or_default();
            let note = super::text::neutralise(&l.note, self.formulas);
            w.write_record([l.table, l.reference, l.label, &value, l.unit, &note])?;
        }
        w.flush()?;
        drop(w);
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{EnergySplit, MarketPart, MarketParts};

    #[test]
    fn the_totals_add_up_both_ways_and_the_shares_to_one_hundred() {
        let mut fuel = [0.0; crate::source::SOURCE_COUNT];
        fuel[Source::Gas.index()] = 18_750.0;
        let t = ScopeTotals {
            sites: 2,
            sites_falling_back: 1,
            grid_mwh: 12_500.0,
            onsite_mwh: 7_500.0,
            scope1_t: 4_500.0,
            scope2_location_t: 6_250.0,
            market: MarketParts {
                instruments: MarketPart { mwh: 4_000.0, t: 0.0 },
                location: MarketPart {
                    mwh: 8_500.0,
                    t: 4_250.0,
                },
                ..Default::default()
            },
            scope3_upstream_t: 500.0,
            methane_avoided_t: 0.0,
            flare_sites: 0,
            flare_sites_without_methane: 0,
            energy: EnergySplit {
                fuel_mwh: fuel,
                purchased_fossil_mwh: 4_250.0,
                purchased_nuclear_mwh: 1_700.0,
                purchased_renewable_mwh: 6_550.0,
                self_generated_renewable_mwh: 0.0,
            },
        };
        let l = lines(&t, 0);
        let value = |label: &str| l.iter().find(|x| x.label == label).and_then(|x| x.value);
        // 4,500 + 6,250 = 10,750 t location-based; 4,500 + 4,250 = 8,750 t market-based.
        assert_eq!(
            value("Total GHG emissions (location-based), Scope 1 + 2"),
            Some(10_750.0)
        );
        assert_eq!(value("Total GHG emissions (market-based), Scope 1 + 2"), Some(8_750.0));
        // 18,750 + 4,250 = 23,000 MWh fossil of 31,250: 73.6%; nuclear 5.44%; renewable 20.96%.
        assert_eq!(value("Total energy consumption"), Some(31_250.0));
        assert_eq!(value("Share of fossil sources in total energy consumption"), Some(73.6));
        let shares: f64 = l.iter().filter(|x| x.unit == "%").filter_map(|x| x.value).sum();
        assert!((shares - 100.0).abs() < 1e-9, "{shares}");
        assert!(l.iter().any(|x| x.note.starts_with("8500 MWh (1 site) have")));
    }
}
