//! `assess --columns`: which site fields a run writes. The names and their order are the
//! column table's ([`SITE_COLUMNS`]); a selection only leaves fields out, so a file written
//! with `--columns` reads like the full one with columns dropped.

use super::fields::SITE_COLUMNS;
use crate::error::OptionsError;

/// Fields written whatever the selection: a row that failed always says so, and why.
pub const ALWAYS: [&str; 2] = ["status", "error"];

/// The site fields a run writes, in contract order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The columns written, as indexes into `SITE_COLUMNS`, in order.
    kept: Vec<usize>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns::all()
    }
}

impl Columns {
    /// Every field.
    pub fn all() -> Columns {
        Columns {
            kept: (0..SITE_COLUMNS.len()).collect(),
        }
    }

    /// The fields named in a comma-separated list (spaces around names are ignored), plus
    /// `status` and `error`. An unknown or repeated name is an error that says which.
    pub fn parse(list: &str) -> Result<Columns, OptionsError> {
        let mut keep = vec![false; SITE_COLUMNS.len()];
        let at = |name: &str| SITE_COLUMNS.iter().position(|c| c.name == name);
        for name in list.split(',').map(str::trim) {
            if name.is_empty() {
                return Err(OptionsError::EmptyFieldName { list: list.to_string() });
            }
            let Some(i) = at(name) else {
                return Err(OptionsError::UnknownField { name: name.to_string() });
            };
            if keep[i] {
                return Err(OptionsError::FieldNamedTwice { name: name.to_string() });
            }
            keep[i] = true;
        }
        for i in ALWAYS.into_iter().filter_map(at) {
            keep[i] = true;
        }
        Ok(Columns {
            kept: (0..keep.len()).filter(|i| keep[*i]).collect(),
        })
    }

    /// Whether every field is written.
    pub fn is_all(&self) -> bool {
        self.kept.len() == SITE_COLUMNS.len()
    }

    /// The columns written, as indexes into [`SITE_COLUMNS`], in order.
    pub fn kept(&self) -> &[usize] {
        &self.kept
    }

    /// The names written, in contract order.
    pub fn names(&self) -> Vec<&'static str> {
        self.kept.iter().map(|&i| SITE_COLUMNS[i].name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fields::site_field_names;

    #[test]
    fn a_selection_keeps_contract_order_and_always_has_status_and_error() {
        let c = Columns::parse("co2_t_per_year, region,id").unwrap();
        assert_eq!(c.names(), ["id", "region", "co2_t_per_year", "status", "error"]);
        assert!(!c.is_all());
        assert_eq!(c.kept().len(), 5);
        assert!(Columns::all().is_all());
        assert_eq!(Columns::all().names(), site_field_names());
        assert_eq!(Columns::parse(&site_field_names().join(",")).unwrap(), Columns::all());
    }

    #[test]
    fn unknown_repeated_and_empty_names_are_refused_by_name() {
        // The wording with the flag is settings' (see its tests).
        assert_eq!(
            Columns::parse("id,co2_per_year").unwrap_err(),
            OptionsError::UnknownField {
                name: "co2_per_year".into()
            }
        );
        assert_eq!(
            Columns::parse("id,region,id").unwrap_err(),
            OptionsError::FieldNamedTwice { name: "id".into() }
        );
        assert_eq!(
            Columns::parse("id,,region").unwrap_err(),
            OptionsError::EmptyFieldName {
                list: "id,,region".into()
            }
        );
    }
}
