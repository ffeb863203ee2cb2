//! On-site generation: the fuels a site may burn or the renewable plant it may own
//! (`onsite_fuel`), and the direct factor of each per kWh generated.

pub use crate::source::OnsiteFuel;

use crate::Error;

/// kWh in one million Btu (1 MMBtu = 293.07107 kWh; NIST SP 811: 1 Btu_IT = 1055.05585262 J).
pub const KWH_PER_MMBTU: f64 = 293.071_070_2;

/// One row of grid-data/onsite-fuels.csv: a fuel's direct factor and the default efficiency of
/// the generators that burn it, each with its source.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct FuelRow {
    /// The fuel, as `OnsiteFuel::name` writes it.
    pub fuel: String,
    /// Direct emissions per kWh of fuel heat burnt (higher heating value), gCO2e/kWh:
    /// CO2 + CH4 + N2O at their GWPs. Blank for a plant that burns nothing.
    pub fuel_g_per_kwh_heat: Option<f64>,
    /// Default electrical efficiency of the generators (electricity out / fuel heat in, HHV).
    /// Blank where no default can be cited: the site must give `onsite_efficiency`.
    pub efficiency: Option<f64>,
    /// Direct emissions per kWh generated of a plant that burns nothing, gCO2e/kWh. Blank where
    /// they vary too much to default (geothermal): the site must give `onsite_g_per_kwh`.
    pub direct_g_per_kwh: Option<f64>,
    /// For flare gas: CO2e per kWh generated of the methane a flare would have let through that
    /// the engines burn, gCO2e/kWh (reported apart, never netted). Blank otherwise.
    pub methane_avoided_g_per_kwh: Option<f64>,
    /// Where the numbers come from.
    pub source: String,
}

/// The fuels' factors, ordered like `OnsiteFuel::ALL`.
#[derive(Debug, Clone)]
pub struct FuelTable {
    rows: Vec<FuelRow>,
}

impl FuelTable {
    /// Parse grid-data/onsite-fuels.csv; every fuel must have a row.
    pub fn parse(text: &str) -> Result<FuelTable, Error> {
        let bad = |message: String| Error::GridData {
            file: "onsite-fuels.csv".into(),
            message,
        };
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for row in rdr.deserialize::<FuelRow>() {
            rows.push(row.map_err(|e| bad(e.to_string()))?);
        }
        let ordered = OnsiteFuel::ALL
            .iter()
            .map(|f| {
                rows.iter()
                    .find(|r| r.fuel == f.name())
                    .cloned()
                    .ok_or_else(|| bad(format!("no row for fuel {}", f.name())))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FuelTable { rows: ordered })
    }

    /// The row of a fuel.
    pub fn row(&self, fuel: OnsiteFuel) -> &FuelRow {
        let i = OnsiteFuel::ALL.iter().position(|f| *f == fuel).unwrap_or_default();
        &self.rows[i]
    }
}
