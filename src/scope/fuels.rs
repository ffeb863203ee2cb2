//! On-site generation: the fuels a site may burn or the renewable plant it may own
//! (`onsite_fuel`), and the direct factor of each per kWh generated.

use crate::source::Source;

/// What a site's own generation runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnsiteFuel {
    /// Pipeline natural gas.
    Gas,
    /// Associated gas that would otherwise be flared or vented at an oil well.
    FlareGas,
    /// Diesel (distillate fuel oil) generators.
    Diesel,
    /// Coal.
    Coal,
    /// Solar panels.
    Solar,
    /// Wind turbines.
    Wind,
    /// A hydro plant.
    Hydro,
    /// A geothermal plant.
    Geothermal,
}

impl OnsiteFuel {
    /// Every fuel, in the order the docs list them.
    pub const ALL: [OnsiteFuel; 8] = [
        OnsiteFuel::Gas,
        OnsiteFuel::FlareGas,
        OnsiteFuel::Diesel,
        OnsiteFuel::Coal,
        OnsiteFuel::Solar,
        OnsiteFuel::Wind,
        OnsiteFuel::Hydro,
        OnsiteFuel::Geothermal,
    ];

    /// As written in input and output: `gas`, `flare_gas`, `diesel`, `coal`, `solar`, `wind`,
    /// `hydro`, `geothermal`.
    pub fn name(self) -> &'static str {
        match self {
            OnsiteFuel::Gas => "gas",
            OnsiteFuel::FlareGas => "flare_gas",
            OnsiteFuel::Diesel => "diesel",
            OnsiteFuel::Coal => "coal",
            OnsiteFuel::Solar => "solar",
            OnsiteFuel::Wind => "wind",
            OnsiteFuel::Hydro => "hydro",
            OnsiteFuel::Geothermal => "geothermal",
        }
    }

    /// The fuel a cell names, case-insensitive (`natural gas`, `flare gas`, `flared gas`,
    /// `oil` for diesel generators).
    pub fn from_name(text: &str) -> Option<OnsiteFuel> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        if let Some(f) = OnsiteFuel::ALL.into_iter().find(|f| f.name() == t) {
            return Some(f);
        }
        Some(match t.as_str() {
            "natural_gas" | "ng" | "pipeline_gas" => OnsiteFuel::Gas,
            "flared_gas" | "associated_gas" | "stranded_gas" | "flare" => OnsiteFuel::FlareGas,
            "oil" | "gas_oil" | "distillate" => OnsiteFuel::Diesel,
            "pv" | "solar_pv" => OnsiteFuel::Solar,
            _ => return None,
        })
    }

    /// The generation source it counts as in the energy mix (E1-5).
    pub fn source(self) -> Source {
        match self {
            OnsiteFuel::Gas | OnsiteFuel::FlareGas => Source::Gas,
            OnsiteFuel::Diesel => Source::Oil,
            OnsiteFuel::Coal => Source::Coal,
            OnsiteFuel::Solar => Source::Solar,
            OnsiteFuel::Wind => Source::Wind,
            OnsiteFuel::Hydro => Source::Hydro,
            OnsiteFuel::Geothermal => Source::OtherRenewables,
        }
    }

    /// Whether it is burnt (its energy consumption is the fuel's heat, not the electricity).
    pub fn is_combustion(self) -> bool {
        matches!(
            self,
            OnsiteFuel::Gas | OnsiteFuel::FlareGas | OnsiteFuel::Diesel | OnsiteFuel::Coal
        )
    }
}
