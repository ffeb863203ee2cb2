//! The one column table of `hashmix assess`: each output field once, with its name, unit,
//! decimals and how to read its value from a [`SiteResult`]. Every format walks it: CSV,
//! JSON, NDJSON, GeoJSON properties, the workbook (its headers' units), `--columns`, and
//! `compare` (which writes the fields of a region under the same definitions). A new output
//! field is one entry of [`SITE_COLUMNS`].

use serde::ser::{SerializeMap, Serializer};

use super::round;
use crate::assess::result::{Match, SharedRisk, SiteFigures, SiteResult, SiteSize};
use crate::source::Source;
use crate::uncertainty::Interval;

/// A field's value in one result, as the formats read it.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Text (JSON string), or empty (null).
    Text(Option<&'a str>),
    /// A number, rounded to the column's decimals when written.
    Number(Option<f64>),
    /// A whole number.
    Integer(Option<u64>),
    /// The risk's reasons: objects in JSON, their summaries joined with "; " in CSV.
    Reasons(Option<&'a SharedRisk>),
}

/// How a column reads its value from a result.
pub type ReadCell = for<'r> fn(&'r SiteResult<'r>) -> Cell<'r>;

/// One output field.
#[derive(Clone, Copy)]
pub struct Column {
    /// The field's name in every format.
    pub name: &'static str,
    /// Its unit, as the workbook's header gives it.
    pub unit: Option<&'static str>,
    /// The decimals a number is rounded to (halves away from zero); none = as given.
    pub decimals: Option<u8>,
    /// Whether every site of one region and set of operating months has the same value (the
    /// CSV writer encodes such cells once per region).
    pub shared: bool,
    /// How to read the value from a result.
    pub value: ReadCell,
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Column {
    /// The value as JSON writes it: numbers rounded to the decimals.
    pub fn json_value<'a>(&self, r: &'a SiteResult) -> Cell<'a> {
        match (self.value)(r) {
            Cell::Number(Some(x)) => Cell::Number(Some(self.rounded(x))),
            cell => cell,
        }
    }

    /// `x` rounded to this column's decimals.
    pub fn rounded(&self, x: f64) -> f64 {
        match self.decimals {
            Some(d) => round::to(x, i32::from(d)),
            None => x,
        }
    }
}

const fn text(name: &'static str, shared: bool, value: ReadCell) -> Column {
    Column {
        name,
        unit: None,
        decimals: None,
        shared,
        value,
    }
}

const fn number(name: &'static str, unit: &'static str, decimals: Option<u8>, shared: bool, value: ReadCell) -> Column {
    Column {
        name,
        unit: Some(unit),
        decimals,
        shared,
        value,
    }
}

/// Share, intensity and interval decimals.
const SHARE: Option<u8> = Some(6);
const FRACTION: &str = "fraction";

fn size<'a>(r: &'a SiteResult) -> Option<&'a SiteSize> {
    r.size.as_ref()
}

fn figures<'a>(r: &'a SiteResult) -> Option<&'a SiteFigures> {
    r.figures.as_ref()
}

fn scope<'a>(r: &'a SiteResult) -> Option<&'a crate::scope::SiteScope> {
    r.scope.as_deref()
}

fn share(r: &SiteResult, source: Source) -> Cell<'static> {
    Cell::Number(r.mix().and_then(|m| m.shares).map(|s| s[source.index()]))
}

fn interval(v: Option<Option<Interval>>, percentile: fn(&Interval) -> f64) -> Cell<'static> {
    Cell::Number(v.flatten().as_ref().map(percentile))
}

/// Every site field, in contract order (see README "Output fields").
pub const SITE_COLUMNS: &[Column] = &[
    text("id", false, |r| Cell::Text(r.id.as_deref())),
    text("name", false, |r| Cell::Text(r.name.as_deref())),
    number("lat", "degrees", None, false, |r| Cell::Number(r.lat)),
    number("lon", "degrees", None, false, |r| Cell::Number(r.lon)),
    text("region", true, |r| Cell::Text(r.region_code())),
    text("region_name", true, |r| {
        Cell::Text(r.region.map(|g| g.region_name.as_str()))
    }),
    text("region_level", true, |r| Cell::Text(r.region.map(|g| g.level.name()))),
    text("match", false, |r| Cell::Text(r.matched.map(Match::name))),
    number("data_year", "year", None, true, |r| {
        Cell::Integer(r.region.map(|g| u64::from(g.data_year)))
    }),
    text("data_month", true, |r| {
        Cell::Text(r.region.and_then(|g| g.data_month.as_deref()))
    }),
    number("coal_share", FRACTION, SHARE, true, |r| share(r, Source::Coal)),
    number("gas_share", FRACTION, SHARE, true, |r| share(r, Source::Gas)),
    number("oil_share", FRACTION, SHARE, true, |r| share(r, Source::Oil)),
    number("nuclear_share", FRACTION, SHARE, true, |r| share(r, Source::Nuclear)),
    number("hydro_share", FRACTION, SHARE, true, |r| share(r, Source::Hydro)),
    number("wind_share", FRACTION, SHARE, true, |r| share(r, Source::Wind)),
    number("solar_share", FRACTION, SHARE, true, |r| share(r, Source::Solar)),
    number("bioenergy_share", FRACTION, SHARE, true, |r| {
        share(r, Source::Bioenergy)
    }),
    number("other_renewables_share", FRACTION, SHARE, true, |r| {
        share(r, Source::OtherRenewables)
    }),
    number("fossil_share", FRACTION, SHARE, true, |r| {
        Cell::Number(r.mix().and_then(|m| m.fossil_share))
    }),
    number("renewable_share", FRACTION, SHARE, true, |r| {
        Cell::Number(r.mix().and_then(|m| m.renewable_share))
    }),
    number("low_carbon_share", FRACTION, SHARE, true, |r| {
        Cell::Number(r.mix().and_then(|m| m.low_carbon_share))
    }),
    number("intensity_g_per_kwh", "gCO2e/kWh", Some(3), true, |r| {
        Cell::Number(r.mix().and_then(|m| m.intensity_g_per_kwh))
    }),
    number("hashrate_ths", "TH/s", Some(6), false, |r| {
        Cell::Number(size(r).and_then(|s| s.hashrate_ths))
    }),
    number("efficiency_j_per_th", "J/TH", Some(6), false, |r| {
        Cell::Number(size(r).and_then(|s| s.efficiency_j_per_th))
    }),
    number("power_mw", "MW", Some(6), false, |r| {
        Cell::Number(figures(r).map(|f| f.power_mw))
    }),
    number("energy_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(figures(r).map(|f| f.energy_mwh_per_year))
    }),
    number("co2_t_per_year", "t CO2e/yr", Some(3), false, |r| {
        Cell::Number(r.co2_t_per_year())
    }),
    number("co2_g_per_th", "g CO2e/TH", Some(9), false, |r| {
        Cell::Number(figures(r).and_then(|f| f.co2_g_per_th))
    }),
    number("co2_kg_per_ths_day", "kg CO2e per TH/s-day", Some(6), false, |r| {
        Cell::Number(figures(r).and_then(|f| f.co2_kg_per_ths_day))
    }),
    text("status", false, |r| Cell::Text(Some(r.status().name()))),
    text("error", false, |r| Cell::Text(r.error.as_deref())),
    text("notes", false, |r| Cell::Text(Some(&r.notes))),
    text("warnings", false, |r| Cell::Text(Some(&r.warnings))),
    number("uptime", FRACTION, Some(6), false, |r| {
        Cell::Number(size(r).map(|s| s.uptime))
    }),
    number("pue", "ratio", Some(6), false, |r| {
        Cell::Number(size(r).and_then(|s| s.pue))
    }),
    text("data_region", true, |r| Cell::Text(r.data_region())),
    text("months", false, |r| {
        Cell::Text(size(r).and_then(|s| s.months.as_deref()))
    }),
    number("risk_score", "0-100", None, true, |r| {
        Cell::Integer(r.risk_score().map(u64::from))
    }),
    text("risk_level", true, |r| Cell::Text(r.risk_level().map(|l| l.name()))),
    text("risk_as_of", true, |r| {
        Cell::Text(r.region.map(|g| g.risk_as_of.as_str()))
    }),
    // CSV has the reasons' summary, where JSON has one object per reason.
    text("risk_reasons", true, |r| Cell::Reasons(r.region.map(|g| &g.risk))),
    number("intensity_g_per_kwh_p05", "gCO2e/kWh", Some(3), false, |r| {
        interval(figures(r).map(|f| f.intervals.intensity_g_per_kwh), |i| i.p05)
    }),
    number("intensity_g_per_kwh_p50", "gCO2e/kWh", Some(3), false, |r| {
        interval(figures(r).map(|f| f.intervals.intensity_g_per_kwh), |i| i.p50)
    }),
    number("intensity_g_per_kwh_p95", "gCO2e/kWh", Some(3), false, |r| {
        interval(figures(r).map(|f| f.intervals.intensity_g_per_kwh), |i| i.p95)
    }),
    number("co2_t_per_year_p05", "t CO2e/yr", Some(3), false, |r| {
        interval(figures(r).map(|f| f.intervals.co2_t_per_year), |i| i.p05)
    }),
    number("co2_t_per_year_p50", "t CO2e/yr", Some(3), false, |r| {
        interval(figures(r).map(|f| f.intervals.co2_t_per_year), |i| i.p50)
    }),
    number("co2_t_per_year_p95", "t CO2e/yr", Some(3), false, |r| {
        interval(figures(r).map(|f| f.intervals.co2_t_per_year), |i| i.p95)
    }),
    number("co2_g_per_th_p05", "g CO2e/TH", Some(9), false, |r| {
        interval(figures(r).map(|f| f.intervals.co2_g_per_th), |i| i.p05)
    }),
    number("co2_g_per_th_p50", "g CO2e/TH", Some(9), false, |r| {
        interval(figures(r).map(|f| f.intervals.co2_g_per_th), |i| i.p50)
    }),
    number("co2_g_per_th_p95", "g CO2e/TH", Some(9), false, |r| {
        interval(figures(r).map(|f| f.intervals.co2_g_per_th), |i| i.p95)
    }),
    // v6 (issue 22): what the intensity counts, where it comes from, and the site's grid zone.
    text("basis", true, |r| Cell::Text(r.region.map(|g| g.basis.name()))),
    text("intensity_source", true, |r| {
        Cell::Text(r.region.map(|g| g.intensity_source.as_str()))
    }),
    // Not shared: sites of one region and months lie in different zones.
    text("grid_zone", false, |r| Cell::Text(r.zone.map(|z| z.code))),
    // v7 (issue 23): the edition of the dataset behind `data_year`.
    text("data_edition", true, |r| {
        Cell::Text(r.region.map(|g| g.data_edition.as_str()))
    }),
    // v8 (issue 24): Scope 1, 2 and 3 (category 3) and the energy mix as filings report them.
    number("onsite_share", FRACTION, SHARE, false, |r| {
        Cell::Number(scope(r).map(|s| s.base.onsite_share))
    }),
    text("onsite_fuel", false, |r| {
        Cell::Text(scope(r).and_then(|s| s.figures.onsite_fuel).map(|f| f.name()))
    }),
    number("grid_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.grid_mwh))
    }),
    number("onsite_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.onsite_mwh))
    }),
    number("scope1_t_per_year", "t CO2e/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.scope1_t))
    }),
    number("scope2_location_g_per_kwh", "gCO2e/kWh", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.location_g_per_kwh))
    }),
    number("scope2_location_t_per_year", "t CO2e/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.scope2_location_t))
    }),
    number("scope2_market_t_per_year", "t CO2e/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.scope2_market_t()))
    }),
    text("scope2_market_basis", false, |r| {
        Cell::Text(scope(r).map(|s| s.figures.market_basis.as_ref()))
    }),
    number("market_instruments_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.market.instruments.mwh))
    }),
    number("market_supplier_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.market.supplier.mwh))
    }),
    number("market_residual_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.market.residual.mwh))
    }),
    number("market_location_fallback_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.market.location.mwh))
    }),
    number("scope3_upstream_t_per_year", "t CO2e/yr", Some(3), false, |r| {
        Cell::Number(scope(r).and_then(|s| s.figures.scope3_upstream_t))
    }),
    number("flare_methane_avoided_t_per_year", "t CO2e/yr", Some(3), false, |r| {
        Cell::Number(scope(r).and_then(|s| s.figures.methane_avoided_t))
    }),
    number("claimed_renewable_share", FRACTION, SHARE, false, |r| {
        Cell::Number(scope(r).and_then(|s| s.figures.claimed_renewable_share))
    }),
    number("grid_renewable_share", FRACTION, SHARE, false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.grid_renewable_share))
    }),
    number("supported_renewable_share", FRACTION, SHARE, false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.supported_renewable_share))
    }),
    number("energy_fossil_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.energy.fossil_mwh()))
    }),
    number("energy_nuclear_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.energy.purchased_nuclear_mwh))
    }),
    number("energy_renewable_mwh_per_year", "MWh/yr", Some(3), false, |r| {
        Cell::Number(scope(r).map(|s| s.figures.energy.renewable_mwh()))
    }),
];

/// The column of a field name.
pub fn column(name: &str) -> Option<&'static Column> {
    SITE_COLUMNS.iter().find(|c| c.name == name)
}

/// The names of every site field, in contract order.
pub fn site_field_names() -> Vec<&'static str> {
    SITE_COLUMNS.iter().map(|c| c.name).collect()
}

/// A site as a JSON object of the columns at `kept` (indexes into [`SITE_COLUMNS`], in order).
pub struct SiteJson<'r, 'a> {
    /// The result.
    pub result: &'r SiteResult<'a>,
    /// The columns written.
    pub kept: &'r [usize],
}

impl serde::Serialize for SiteJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.kept.len()))?;
        for &i in self.kept {
            let column = &SITE_COLUMNS[i];
            map.serialize_entry(column.name, &JsonCell(column.json_value(self.result)))?;
        }
        map.end()
    }
}

/// A cell as a JSON value: null when empty.
struct JsonCell<'a>(Cell<'a>);

impl serde::Serialize for JsonCell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(Some(t)) => s.serialize_str(t),
            Cell::Number(Some(x)) => s.serialize_f64(x),
            Cell::Integer(Some(n)) => s.serialize_u64(n),
            Cell::Reasons(Some(r)) => r.risk.reasons.serialize(s),
            Cell::Text(None) | Cell::Number(None) | Cell::Integer(None) | Cell::Reasons(None) => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_named_once_and_numbers_have_units() {
        let names = site_field_names();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(names.len(), 76);
        assert_eq!(column("co2_g_per_th_p95").and_then(|c| c.decimals), Some(9));
        assert_eq!(column("coal_share").and_then(|c| c.unit), Some("fraction"));
        assert!(column("no_such_field").is_none());
    }

    #[test]
    fn a_selection_writes_the_risk_reasons_as_the_full_output_does() {
        // Before the column table, `--columns` went through serde_json::Value, which sorted
        // the keys of each reason object: the same reasons were spelt two ways.
        let assessor = crate::pipeline::Assessor::embedded(Default::default()).unwrap();
        let mut reader = crate::sites::SiteReader::open("examples/seed-sites.csv").unwrap();
        let result = assessor.assess(reader.next_row().unwrap().unwrap());
        let all: Vec<usize> = (0..SITE_COLUMNS.len()).collect();
        let reasons = SITE_COLUMNS.iter().position(|c| c.name == "risk_reasons").unwrap();
        let json = |kept: &[usize]| serde_json::to_string(&SiteJson { result: &result, kept }).unwrap();
        let full = json(&all);
        let selected = json(&[reasons]);
        let objects = selected
            .strip_prefix("{\"risk_reasons\":")
            .and_then(|s| s.strip_suffix('}'))
            .unwrap();
        assert!(objects.starts_with("[{\"rule\":"), "{objects}");
        assert!(full.contains(&format!(",\"risk_reasons\":{objects},")));
    }
}
