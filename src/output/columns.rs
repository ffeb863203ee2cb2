//! `assess --columns`: which site fields a run writes. The names and their order are the
//! contract's (`SITE_FIELDS`); a selection only leaves fields out, so a file written with
//! `--columns` reads like the full one with columns dropped.

use super::cells::Keep;
use crate::pipeline::SITE_FIELDS;

/// Fields written whatever the selection: a row that failed always says so, and why.
pub const ALWAYS: [&str; 2] = ["status", "error"];

/// The site fields a run writes, in contract order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// For each of `SITE_FIELDS`, whether it is written.
    keep: Keep,
}

impl Default for Columns {
    fn default() -> Self {
        Columns::all()
    }
}

impl Columns {
    /// Every field.
    pub fn all() -> Columns {
        Columns { keep: Keep::ALL }
    }

    /// The fields named in a comma-separated list (spaces around names are ignored), plus
    /// `status` and `error`. An unknown or repeated name is an error that says which.
    pub fn parse(list: &str) -> Result<Columns, String> {
        let mut keep = Keep::NONE;
        for name in list.split(',').map(str::trim) {
            if name.is_empty() {
                return Err(format!(
                    "--columns {list}: an empty name; separate names with single commas"
                ));
            }
            let Some(i) = SITE_FIELDS.iter().position(|f| *f == name) else {
                return Err(format!(
                    "--columns: unknown field '{name}'; expected names from: {}",
                    SITE_FIELDS.join(",")
                ));
            };
            if keep.has(i) {
                return Err(format!("--columns: '{name}' is named twice"));
            }
            keep = keep.with(i);
        }
        for name in ALWAYS {
            if let Some(i) = SITE_FIELDS.iter().position(|f| *f == name) {
                keep = keep.with(i);
            }
        }
        Ok(Columns { keep })
    }

    /// Whether every field is written.
    pub fn is_all(&self) -> bool {
        self.keep == Keep::ALL
    }

    /// For each of `SITE_FIELDS`, whether it is written.
    pub fn keep(&self) -> &Keep {
        &self.keep
    }

    /// The names written, in contract order.
    pub fn names(&self) -> Vec<&'static str> {
        SITE_FIELDS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.keep.has(*i))
            .map(|(_, f)| *f)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_keeps_contract_order_and_always_has_status_and_error() {
        let c = Columns::parse("co2_t_per_year, region,id").unwrap();
        assert_eq!(c.names(), ["id", "region", "co2_t_per_year", "status", "error"]);
        assert!(!c.is_all());
        assert_eq!(c.keep().count(), 5);
        assert!(Columns::all().is_all());
        assert_eq!(Columns::all().names(), SITE_FIELDS);
        assert_eq!(Columns::parse(&SITE_FIELDS.join(",")).unwrap(), Columns::all());
    }

    #[test]
    fn unknown_repeated_and_empty_names_are_refused_by_name() {
        let e = Columns::parse("id,co2_per_year").unwrap_err();
        assert!(
            e.starts_with("--columns: unknown field 'co2_per_year'; expected names from: id,name,lat,"),
            "{e}"
        );
        assert_eq!(
            Columns::parse("id,region,id").unwrap_err(),
            "--columns: 'id' is named twice"
        );
        assert_eq!(
            Columns::parse("id,,region").unwrap_err(),
            "--columns id,,region: an empty name; separate names with single commas"
        );
    }
}
