//! The miner catalogue: nameplate hashrate and efficiency of common ASIC models, so a site
//! can be described as "10,300 AvalonMiner 1246" instead of by its hashrate.
//!
//! Lookup forgives case, spaces, punctuation and vendor prefixes ("S19 Pro",
//! "Antminer S19 Pro", "AvalonMiner 1246", "A1246"). A name that fits several catalogue
//! rows ("S9": 13.5 and 14 TH bins) is ambiguous and names them all.
//!
//! Every letter, digit and `+` of a name is significant: `S21`, `S21+`, `M30S+` and
//! `M30S++` are different machines with different efficiencies, so they are different
//! keys. A name matches only when its key is exactly a catalogue key; there is no fuzzy
//! match. An unknown name is an error that suggests the closest catalogue names (issue 20:
//! `M30S+` used to lose its `+` and silently became the M30S).

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

/// Words that are another spelling of part of a model name: "S21 Plus" is the S21+, and
/// "S21 Hydro" the S21 Hyd (Bitmain's own abbreviation, as in "Antminer S21 Hyd.").
const SYNONYMS: [(&str, &str); 2] = [("plus", "+"), ("hydro", "hyd")];

/// Lower-case, keep letters, digits and `+` (the `+` distinguishes models: `S21+`).
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '+')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The lookup key of a name: without vendor words, without a trailing "(90 TH)" bin unless
/// `keep_bin`, lower-case letters, digits and `+` only, with [`SYNONYMS`] replaced.
fn key_of(name: &str, keep_bin: bool) -> String {
    let text = match name.find('(') {
        Some(i) if !keep_bin => &name[..i],
        _ => name,
    };
    text.split_whitespace()
        .map(squash)
        .filter(|w| !VENDOR_WORDS.contains(&w.as_str()))
        .map(|w| match SYNONYMS.iter().find(|(word, _)| *word == w) {
            Some((_, same)) => (*same).to_string(),
            None => w,
        })
        .collect()
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
        // A word that reads like a vendor's name misspelled ("Antminr", "Whatsminer" typed
        // "Whatminer") is left out as a vendor's name is, so that the model's own words decide
        // the suggestions. Only suggestions: a lookup never forgives a misspelling.
        let bare: Vec<&str> = name
            .split_whitespace()
            .filter(|w| {
                let w = squash(w);
                w.len() < 5 || !VENDOR_WORDS.iter().any(|v| strsim::jaro_winkler(&w, v) >= 0.9)
            })
            .collect();
        let wanted = key_of(&bare.join(" "), false);
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

    /// The row a name resolves to, with its hashrate and efficiency.
    fn resolved(c: &Catalogue, name: &str) -> (String, Option<f64>, f64) {
        let m = c.lookup(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        (m.model.clone(), m.hashrate_ths, m.efficiency_j_per_th)
    }

    // Issue 20: the `+` was dropped from names, so "M30S+" and "M30S++" silently became the
    // M30S (38 J/TH instead of 34 and 31). Values as cited in miners.csv.
    #[test]
    fn a_plus_distinguishes_models_and_each_name_resolves_to_exactly_its_row() {
        let c = catalogue();
        let cases: [(&str, &str, f64, f64); 7] = [
            ("M30S", "WhatsMiner M30S (88 TH)", 88.0, 38.0),
            ("M30S+", "WhatsMiner M30S+ (100 TH)", 100.0, 34.0),
            ("M30S++", "WhatsMiner M30S++ (106 TH)", 106.0, 31.0),
            ("Whatsminer M30S++", "WhatsMiner M30S++ (106 TH)", 106.0, 31.0),
            ("MicroBT WhatsMiner M30S++", "WhatsMiner M30S++ (106 TH)", 106.0, 31.0),
            ("S19j Pro", "Antminer S19j Pro (104 TH)", 104.0, 29.5),
            ("S19j Pro+", "Antminer S19j Pro+ (120 TH)", 120.0, 27.5),
        ];
        for (name, model, ths, eff) in cases {
            assert_eq!(resolved(&c, name), (model.to_string(), Some(ths), eff), "{name}");
        }
    }

    #[test]
    fn case_spacing_and_vendor_prefixes_are_forgiven() {
        let c = catalogue();
        for name in [
            "Antminer S21 Pro",
            "s21 pro",
            "S21PRO",
            "antminer  s21  pro",
            "Bitmain Antminer S21 Pro",
            "S21 Pro (234 TH)",
        ] {
            assert_eq!(
                resolved(&c, name),
                ("Antminer S21 Pro (234 TH)".to_string(), Some(234.0), 15.0),
                "{name}"
            );
        }
    }

    #[test]
    fn the_models_in_service_today_resolve_with_their_cited_values() {
        let c = catalogue();
        let cases: [(&str, &str, f64, f64); 8] = [
            ("S21", "Antminer S21 (200 TH)", 200.0, 17.5),
            ("S21 Hyd", "Antminer S21 Hyd (335 TH)", 335.0, 16.0),
            ("Antminer S21 Hyd.", "Antminer S21 Hyd (335 TH)", 335.0, 16.0),
            ("S21 Hydro", "Antminer S21 Hyd (335 TH)", 335.0, 16.0),
            ("S21 XP", "Antminer S21 XP (270 TH)", 270.0, 13.5),
            ("T21", "Antminer T21 (190 TH)", 190.0, 19.0),
            ("M31S", "WhatsMiner M31S (74 TH)", 74.0, 46.0),
            ("AvalonMiner A1466", "Avalon A1466 (150 TH)", 150.0, 21.53),
        ];
        for (name, model, ths, eff) in cases {
            assert_eq!(resolved(&c, name), (model.to_string(), Some(ths), eff), "{name}");
        }
        for name in ["A1466", "Canaan Avalon A1466", "1466"] {
            assert_eq!(c.lookup(name).unwrap().model, "Avalon A1466 (150 TH)", "{name}");
        }
    }

    /// The suggestions of an unknown name; panics if the name resolved.
    fn suggestions(c: &Catalogue, name: &str) -> Vec<String> {
        match c.lookup(name) {
            Err(LookupError::Unknown(close)) => close,
            other => panic!("{name}: expected an unknown model, got {other:?}"),
        }
    }

    // Issue 20: a name that differs from a catalogue model by a distinguishing character is a
    // different machine, never silently the catalogue one.
    #[test]
    fn a_misspelled_vendor_suggests_the_model_and_is_never_substituted() {
        let c = catalogue();
        // "Antminr" is no vendor word, so the name is unknown; its model words lead.
        assert_eq!(suggestions(&c, "Antminr S19 Pro")[0], "Antminer S19 Pro (110 TH)");
        assert_eq!(suggestions(&c, "Whatminer M30S++")[0], "WhatsMiner M30S++ (106 TH)");
    }

    #[test]
    fn a_name_one_distinguishing_character_away_is_unknown_not_substituted() {
        let c = catalogue();
        // No S21++ exists: it is unknown, and the S21+ (now in the catalogue) is the closest name.
        let close = suggestions(&c, "S21++");
        assert_eq!(close[0], "Antminer S21+ (216 TH)", "{close:?}");
        // The M56S has no citable nameplate figures (see SOURCES.md): never the M56S++.
        assert_eq!(suggestions(&c, "M56S")[0], "WhatsMiner M56S++ (immersion)");
        assert_eq!(suggestions(&c, "M30S+++")[0], "WhatsMiner M30S++ (106 TH)");
        for name in ["M53S", "S21j", "S19k", "M60", "A1566 Pro"] {
            suggestions(&c, name);
        }
    }

    // Issue 20: the M63S and M63S++ (hydro) were not in the catalogue, so naming one was a row
    // error. Values as cited in miners.csv: MicroBT's shop lists the M63S at 408 TH/s and 18 J/TH,
    // the M63S++ at 464 TH/s and 7192 W (15.5 J/TH).
    #[test]
    fn the_m63s_and_m63s_plus_plus_resolve_to_their_own_rows() {
        let c = catalogue();
        let cases: [(&str, &str, f64, f64); 5] = [
            ("M63S", "WhatsMiner M63S (408 TH)", 408.0, 18.0),
            ("Whatsminer M63S", "WhatsMiner M63S (408 TH)", 408.0, 18.0),
            ("M63S (408 TH)", "WhatsMiner M63S (408 TH)", 408.0, 18.0),
            ("M63S++", "WhatsMiner M63S++ (464 TH)", 464.0, 15.5),
            (
                "MicroBT WhatsMiner M63S Plus Plus",
                "WhatsMiner M63S++ (464 TH)",
                464.0,
                15.5,
            ),
        ];
        for (name, model, ths, eff) in cases {
            assert_eq!(resolved(&c, name), (model.to_string(), Some(ths), eff), "{name}");
        }
        let m63s = c.lookup("M63S").unwrap();
        assert_eq!((m63s.power_w, m63s.power_derived.as_str()), (Some(7344.0), "yes"));
        let m63spp = c.lookup("M63S++").unwrap();
        assert_eq!((m63spp.power_w, m63spp.power_derived.as_str()), (Some(7192.0), ""));
        // The M63S+ has no cited row: it is unknown, never the M63S or M63S++. Jaro-Winkler on
        // the keys ranks "m63s++" (all 5 characters of "m63s+" match) above "m63s" (4 of 5).
        let close = suggestions(&c, "M63S+");
        assert_eq!(
            close[..2],
            ["WhatsMiner M63S++ (464 TH)", "WhatsMiner M63S (408 TH)"],
            "{close:?}"
        );
    }

    // Issue 20: the catalogue had no row for these models in service today (the M50S had no
    // hashrate), so naming one was a row error. Values as cited in miners.csv.
    #[test]
    fn the_newly_cited_models_resolve_to_their_rows_with_the_cited_values() {
        let c = catalogue();
        let cases: [(&str, &str, f64, f64); 11] = [
            ("S21+", "Antminer S21+ (216 TH)", 216.0, 16.5),
            ("Antminer S21 Plus", "Antminer S21+ (216 TH)", 216.0, 16.5),
            ("S19k Pro", "Antminer S19k Pro (120 TH)", 120.0, 23.0),
            ("Antminer S19K PRO", "Antminer S19k Pro (120 TH)", 120.0, 23.0),
            ("S19 XP Hyd", "Antminer S19 XP Hyd (257 TH)", 257.0, 20.8),
            ("S19 XP Hydro", "Antminer S19 XP Hyd (257 TH)", 257.0, 20.8),
            ("M50S", "WhatsMiner M50S (126 TH)", 126.0, 26.0),
            ("M60S", "WhatsMiner M60S (186 TH)", 186.0, 18.5),
            ("Whatsminer M60S", "WhatsMiner M60S (186 TH)", 186.0, 18.5),
            ("A1566", "Avalon A1566 (185 TH)", 185.0, 18.38),
            ("AvalonMiner 1566", "Avalon A1566 (185 TH)", 185.0, 18.38),
        ];
        for (name, model, ths, eff) in cases {
            assert_eq!(resolved(&c, name), (model.to_string(), Some(ths), eff), "{name}");
        }
        // The new rows do not capture their neighbours: each plain name keeps its own row.
        assert_eq!(
            resolved(&c, "S21"),
            ("Antminer S21 (200 TH)".to_string(), Some(200.0), 17.5)
        );
        assert_eq!(
            resolved(&c, "S19 XP"),
            ("Antminer S19 XP (140 TH)".to_string(), Some(140.0), 21.5)
        );
    }

    // Issue 20: the S21, S21 Hyd, S21 Pro and S21 XP powers were hashrate x efficiency
    // (`power_derived` = yes); two public lists now quote them (hi3-hashkit MinerSpecs.kt and
    // the miningshop.ru catalogue draft, see miners.csv), and the S21+ power has its second
    // source. Values as cited in miners.csv.
    #[test]
    fn the_s21_family_powers_are_quoted_figures_not_derived_ones() {
        let c = catalogue();
        let cases: [(&str, f64, f64); 5] = [
            ("S21", 200.0, 3500.0),
            ("S21 Hyd", 335.0, 5360.0),
            ("S21 Pro", 234.0, 3510.0),
            ("S21 XP", 270.0, 3645.0),
            ("S21+", 216.0, 3564.0),
        ];
        for (name, ths, watts) in cases {
            let m = c.lookup(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(
                (m.hashrate_ths, m.power_w, m.power_derived.as_str()),
                (Some(ths), Some(watts), ""),
                "{name}"
            );
            assert!(m.source.contains("miningshop"), "{name}: {}", m.source);
        }
    }

    #[test]
    fn every_catalogue_row_has_a_hashrate_and_a_source() {
        let c = catalogue();
        for m in c.miners() {
            assert!(m.hashrate_ths.is_some_and(|t| t > 0.0), "{}", m.model);
            assert!(m.efficiency_j_per_th > 0.0, "{}", m.model);
            assert!(!m.source.trim().is_empty(), "{}", m.model);
        }
    }

    #[test]
    fn every_catalogue_row_resolves_to_itself_by_its_full_name() {
        let c = catalogue();
        for m in c.miners() {
            assert_eq!(c.lookup(&m.model).unwrap().model, m.model);
            let with_vendor = format!("{} {}", m.vendor, m.model);
            assert_eq!(c.lookup(&with_vendor).unwrap().model, m.model, "{with_vendor}");
        }
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
