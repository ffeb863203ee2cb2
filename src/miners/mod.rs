//! The miner catalogue: nameplate hashrate and efficiency of common ASIC models, so a site
//! can be described as "10,300 AvalonMiner 1246" instead of by its hashrate.
//!
//! Lookup forgives case, spaces, punctuation and vendor prefixes ("S19 Pro",
//! "Antminer S19 Pro", "AvalonMiner 1246", "A1246"). A name that fits several catalogue
//! rows ("S9": 13.5 and 14 TH bins) is ambiguous and names them all.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Error;

/// One miner model as published.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Miner {
    /// Manufacturer (Bitmain, MicroBT, Canaan).
    pub vendor: String,
    /// Model name with its hashrate bin, as in the source.
    pub model: String,
    /// Nameplate hashrate per machine, TH/s; `None` where no citable value exists.
    pub hashrate_ths: Option<f64>,
    /// Power per machine, W (informative only; hashmix uses hashrate x efficiency).
    pub power_w: Option<f64>,
    /// `yes` when power was derived as hashrate x efficiency rather than quoted.
    pub power_derived: String,
    /// Nameplate efficiency, J/TH.
    pub efficiency_j_per_th: f64,
    /// Release date as given by the source (may say UNCERTAIN).
    pub release: String,
    /// How the values were obtained (published dataset, trade press, ...).
    pub value_status: String,
    /// Where the values come from.
    pub source: String,
}

/// Vendor and series words dropped when matching a model name.
const VENDOR_WORDS: [&str; 7] = [
    "bitmain",
    "microbt",
    "canaan",
    "antminer",
    "whatsminer",
    "avalonminer",
    "avalon",
];

/// The catalogue with its lookup keys.
#[derive(Debug, Clone)]
pub struct Catalogue {
    miners: Vec<Miner>,
    keys: BTreeMap<String, Vec<usize>>,
}

/// Why a model name did not resolve to one machine.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupError {
    /// No model matches; the closest names, best first.
    Unknown(Vec<String>),
    /// Several models match; their names.
    Ambiguous(Vec<String>),
}

/// Lower-case, keep letters and digits only.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The lookup key of a name: without vendor words, without a trailing "(90 TH)" bin,
/// letters and digits only.
fn key_of(name: &str, keep_bin: bool) -> String {
    let text = if keep_bin {
        name.to_string()
    } else {
        match name.find('(') {
            Some(i) => name[..i].to_string(),
            None => name.to_string(),
        }
    };
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !VENDOR_WORDS.contains(&squash(w).as_str()))
        .collect();
    squash(&words.join(" "))
}

impl Catalogue {
    /// Parse grid-data/miners.csv.
    pub fn parse(text: &str) -> Result<Catalogue, Error> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut miners = Vec::new();
        for (i, row) in reader.deserialize::<Miner>().enumerate() {
            let miner = row.map_err(|e| Error::GridData {
                file: "miners.csv".into(),
                message: format!("row {}: {e}", i + 2),
            })?;
            // Issue 20: a NaN or infinite value would pass into every site that names the model.
            let numbers = [
                ("efficiency_j_per_th", Some(miner.efficiency_j_per_th)),
                ("hashrate_ths", miner.hashrate_ths),
                ("power_w", miner.power_w),
            ];
            for (column, value) in numbers {
                if let Some(v) = value.filter(|v| !(v.is_finite() && *v > 0.0)) {
                    return Err(Error::GridData {
                        file: "miners.csv".into(),
                        message: format!(
                            "line {}, column {column}: '{v}': expected a positive finite number",
                            i + 2
                        ),
                    });
                }
            }
            miners.push(miner);
        }
        let mut keys: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, m) in miners.iter().enumerate() {
            let mut own = vec![key_of(&m.model, true), key_of(&m.model, false)];
            // Canaan sells the AvalonMiner 1246 as the "A1246": accept both spellings.
            if m.vendor == "Canaan" {
                let base = key_of(&m.model, false);
                if base.starts_with(|c: char| c.is_ascii_digit()) {
                    own.push(format!("a{base}"));
                } else if let Some(rest) = base.strip_prefix('a') {
                    own.push(rest.to_string());
                }
            }
            own.sort();
            own.dedup();
            for k in own {
                keys.entry(k).or_default().push(i);
            }
        }
        Ok(Catalogue { miners, keys })
    }

    /// Every model, in catalogue order.
    pub fn miners(&self) -> &[Miner] {
        &self.miners
    }

    /// Find one model by a forgiving name.
    pub fn lookup(&self, name: &str) -> Result<&Miner, LookupError> {
        for keep_bin in [true, false] {
            if let Some(hits) = self.keys.get(&key_of(name, keep_bin)) {
                return match hits.as_slice() {
                    [one] => Ok(&self.miners[*one]),
                    many => Err(LookupError::Ambiguous(
                        many.iter().map(|&i| self.miners[i].model.clone()).collect(),
                    )),
                };
            }
        }
        Err(LookupError::Unknown(self.closest(name, 3)))
    }

    /// The `n` catalogue names closest to `name` (Jaro-Winkler on the lookup keys).
    fn closest(&self, name: &str, n: usize) -> Vec<String> {
        let wanted = key_of(name, false);
        let mut scored: Vec<(f64, &str)> = self
            .miners
            .iter()
            .map(|m| {
                (
                    strsim::jaro_winkler(&wanted, &key_of(&m.model, false)),
                    m.model.as_str(),
                )
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(n).map(|(_, m)| m.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::parse(include_str!("../../grid-data/miners.csv")).expect("embedded catalogue parses")
    }

    #[test]
    fn lookup_forgives_case_spaces_and_vendor_prefix() {
        let c = catalogue();
        for name in ["S19 Pro", "Antminer S19 Pro", "antminer s19pro", "S19 PRO (110 TH)"] {
            assert_eq!(c.lookup(name).unwrap().model, "Antminer S19 Pro (110 TH)", "{name}");
        }
    }

    #[test]
    fn avalon_models_answer_to_both_spellings() {
        let c = catalogue();
        for name in ["AvalonMiner 1246", "A1246", "avalon 1246", "1246"] {
            let m = c.lookup(name).unwrap();
            assert_eq!(m.model, "AvalonMiner 1246 (90 TH)", "{name}");
            assert_eq!(m.efficiency_j_per_th, 38.0);
            assert_eq!(m.hashrate_ths, Some(90.0));
        }
        assert_eq!(c.lookup("A1366").unwrap().model, "Avalon A1366");
    }

    #[test]
    fn a_name_with_several_bins_is_ambiguous() {
        let c = catalogue();
        assert_eq!(
            c.lookup("S9").unwrap_err(),
            LookupError::Ambiguous(vec!["Antminer S9 (13.5 TH)".into(), "Antminer S9 (14 TH)".into()])
        );
        assert_eq!(c.lookup("S9 (14 TH)").unwrap().efficiency_j_per_th, 85.0);
    }

    #[test]
    fn an_unknown_model_suggests_close_names() {
        let c = catalogue();
        match c.lookup("S19 Prp") {
            Err(LookupError::Unknown(s)) => assert_eq!(s[0], "Antminer S19 Pro (110 TH)"),
            other => panic!("expected unknown, got {other:?}"),
        }
    }
}
