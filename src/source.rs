//! The generation sources hashmix reports, in one fixed order used by every table and output.

/// A source of electricity generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Hard coal and lignite.
    Coal,
    /// Natural gas.
    Gas,
    /// Oil and other petroleum products.
    Oil,
    /// Nuclear fission.
    Nuclear,
    /// Hydropower (excluding pumped storage in Ember's accounting).
    Hydro,
    /// Onshore and offshore wind.
    Wind,
    /// Solar photovoltaic and concentrated solar.
    Solar,
    /// Biomass and biogas.
    Bioenergy,
    /// Geothermal, tidal and wave.
    OtherRenewables,
}

/// Number of sources; arrays indexed by [`Source::index`] have this length.
pub const SOURCE_COUNT: usize = 9;

impl Source {
    /// Every source, in output order.
    pub const ALL: [Source; SOURCE_COUNT] = [
        Source::Coal,
        Source::Gas,
        Source::Oil,
        Source::Nuclear,
        Source::Hydro,
        Source::Wind,
        Source::Solar,
        Source::Bioenergy,
        Source::OtherRenewables,
    ];

    /// The name used in data files and output field names (`coal`, `other_renewables`).
    pub fn name(self) -> &'static str {
        match self {
            Source::Coal => "coal",
            Source::Gas => "gas",
            Source::Oil => "oil",
            Source::Nuclear => "nuclear",
            Source::Hydro => "hydro",
            Source::Wind => "wind",
            Source::Solar => "solar",
            Source::Bioenergy => "bioenergy",
            Source::OtherRenewables => "other_renewables",
        }
    }

    /// Position of this source in arrays ordered like [`Source::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parse a source name as written in data files.
    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Coal, gas and oil.
    pub fn is_fossil(self) -> bool {
        matches!(self, Source::Coal | Source::Gas | Source::Oil)
    }

    /// Hydro, wind, solar, bioenergy and other renewables.
    pub fn is_renewable(self) -> bool {
        matches!(
            self,
            Source::Hydro | Source::Wind | Source::Solar | Source::Bioenergy | Source::OtherRenewables
        )
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_output_order() {
        for (i, s) in Source::ALL.into_iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(Source::from_name(s.name()), Some(s));
        }
        assert_eq!(Source::from_name("lignite"), None);
    }

    #[test]
    fn nuclear_is_neither_fossil_nor_renewable() {
        assert!(!Source::Nuclear.is_fossil());
        assert!(!Source::Nuclear.is_renewable());
        assert_eq!(Source::ALL.iter().filter(|s| s.is_fossil()).count(), 3);
        assert_eq!(Source::ALL.iter().filter(|s| s.is_renewable()).count(), 5);
    }
}
