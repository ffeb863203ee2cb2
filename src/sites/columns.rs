//! Input column names and their aliases. Matching ignores case and surrounding spaces.

/// A column hashmix understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Site identifier.
    Id,
    /// Site name.
    Name,
    /// Latitude, degrees north.
    Lat,
    /// Longitude, degrees east.
    Lon,
    /// Declared region code (ISO 3166-1 alpha-2, ISO 3166-2 or WORLD).
    Region,
    /// Hashrate in TH/s.
    HashrateThs,
    /// Hashrate in PH/s.
    HashratePhs,
    /// Hashrate in EH/s.
    HashrateEhs,
    /// Number of machines.
    Machines,
    /// Miner model from the catalogue.
    Model,
    /// Measured power draw, MW.
    PowerMw,
    /// Efficiency, J/TH.
    Efficiency,
    /// Power usage effectiveness.
    Pue,
    /// Fraction of the year running.
    Uptime,
    /// Operating months (`5-10`, `11-4`), for seasonal sites.
    Months,
    /// Fraction of the site's energy it generates itself, 0-1 (issue 24).
    OnsiteShare,
    /// What its own generation runs on (`gas`, `flare_gas`, `diesel`, `coal`, `solar`...).
    OnsiteFuel,
    /// Its own generation's direct emissions, gCO2e/kWh, where measured.
    OnsiteGPerKwh,
    /// Its own generators' electrical efficiency, 0-1.
    OnsiteEfficiency,
    /// The supplier's emission rate for its grid power, gCO2e/kWh.
    SupplierGPerKwh,
    /// The renewable share the site claims, 0-1.
    ClaimedRenewableShare,
}

/// Number of fields; arrays indexed by `Field as usize` have this length.
pub const FIELD_COUNT: usize = 21;

/// Accepted header names per field; the first is the canonical one.
pub const ALIASES: [(Field, &[&str]); FIELD_COUNT] = [
    (Field::Id, &["id"]),
    (Field::Name, &["name"]),
    (Field::Lat, &["lat", "latitude"]),
    (Field::Lon, &["lon", "longitude", "lng", "long"]),
    (Field::Region, &["region"]),
    (Field::HashrateThs, &["hashrate_ths"]),
    (Field::HashratePhs, &["hashrate_phs"]),
    (Field::HashrateEhs, &["hashrate_ehs"]),
    (Field::Machines, &["machines"]),
    (Field::Model, &["model"]),
    (Field::PowerMw, &["power_mw"]),
    (
        Field::Efficiency,
        &["efficiency_j_per_th", "efficiency_j_th", "j_per_th"],
    ),
    (Field::Pue, &["pue"]),
    (Field::Uptime, &["uptime"]),
    (Field::Months, &["months", "operating_months"]),
    (
        Field::OnsiteShare,
        &["onsite_share", "on_site_share", "offgrid_share", "off_grid_share"],
    ),
    (
        Field::OnsiteFuel,
        &["onsite_fuel", "on_site_fuel", "offgrid_fuel", "off_grid_fuel"],
    ),
    (Field::OnsiteGPerKwh, &["onsite_g_per_kwh", "on_site_g_per_kwh"]),
    (Field::OnsiteEfficiency, &["onsite_efficiency", "on_site_efficiency"]),
    (Field::SupplierGPerKwh, &["supplier_g_per_kwh"]),
    (
        Field::ClaimedRenewableShare,
        &["claimed_renewable_share", "renewable_claim"],
    ),
];

impl Field {
    /// The field a header names, if any.
    pub fn from_header(header: &str) -> Option<Field> {
        let h = header.trim().to_lowercase();
        ALIASES
            .iter()
            .find(|(_, names)| names.contains(&h.as_str()))
            .map(|(f, _)| *f)
    }

    /// The canonical column name.
    pub fn canonical(self) -> &'static str {
        ALIASES[self as usize].1[0]
    }

    /// Every accepted name, for error messages.
    pub fn accepted(self) -> String {
        ALIASES[self as usize].1.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_match_in_any_case() {
        assert_eq!(Field::from_header(" Latitude "), Some(Field::Lat));
        assert_eq!(Field::from_header("LNG"), Some(Field::Lon));
        assert_eq!(Field::from_header("j_per_th"), Some(Field::Efficiency));
        assert_eq!(Field::from_header("elevation"), None);
    }

    #[test]
    fn the_alias_table_is_in_field_order() {
        for (i, (f, _)) in ALIASES.iter().enumerate() {
            assert_eq!(*f as usize, i);
        }
    }
}
