//! What `hashmix mica` reads: where the hashrate is (a geography file or CCAF's published map)
//! and the network's hashrate over the period (a mean, or a dated series).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::MicaError;

/// CCAF's Cambridge Bitcoin Mining Map, monthly country shares (grid-data/hashrate-map.csv,
/// Sep 2019 - Aug 2021 and Jan 2022; sources and URLs in each row and in grid-data/SOURCES.md).
pub const HASHRATE_MAP: &str = include_str!("../../grid-data/hashrate-map.csv");

/// The map's code for the hashrate CCAF could not place in a country.
const MAP_OTHER: &str = "OTHER";

/// China's code, and the `share_of` of the map's province rows.
const CHINA: &str = "CN";

/// How CCAF marks a country whose share is likely hashrate behind proxy addresses ("Germany *").
const PROXY_MARK: &str = " *";

/// The region whose grid stands in for hashrate no map places: the world's mix.
pub const UNPLACED_REGION: &str = "WORLD";

/// Shares that sum to within this of 1 are accepted (the map's percentages are rounded to
/// 0.01 over about twenty countries); further off is an error, never rescaled silently.
const SHARE_SUM_TOLERANCE: f64 = 0.005;

/// One region's part of the network's hashrate.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionShare {
    /// Region code as hashmix knows it (`CN`, `US-TX`, `WORLD`).
    pub region: String,
    /// Share of the network's hashrate, 0-1.
    pub share: f64,
    /// Share of the region's mining power generated off the grid on site, 0-1 (Scope 1).
    pub off_grid_share: f64,
    /// The off-grid power's emission factor, gCO2e/kWh (required where `off_grid_share` > 0).
    pub off_grid_g_per_kwh: Option<f64>,
    /// The row's line in a geography file (none for the published map).
    pub line: Option<usize>,
}

/// Where the hashrate is, with a label saying where that came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Geography {
    /// A file path or `CCAF Cambridge Bitcoin Mining Map, YYYY-MM`.
    pub label: String,
    /// The regions, in the input's order.
    pub shares: Vec<RegionShare>,
    /// What was assumed reading it (unplaced hashrate, rounding).
    pub notes: Vec<String>,
}

/// The months the built-in map covers, `YYYY-MM`, in order.
pub fn map_months() -> Vec<String> {
    let mut months: Vec<String> = HASHRATE_MAP
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .collect();
    months.dedup();
    months
}

/// CCAF's country shares for one month (`YYYY-MM`), the unplaced share ("Other") and the
/// countries CCAF marks as proxy addresses on the world's grid, and China split into its
/// provinces where the map gives them (to June 2021), as the network replays do. Province shares
/// are rescaled by their own sum (they add to 100 within rounding).
pub fn published_map(month: &str) -> Result<Geography, MicaError> {
    let mut reader = csv::Reader::from_reader(HASHRATE_MAP.as_bytes());
    let mut shares = Vec::new();
    let mut notes = Vec::new();
    let mut provinces: Vec<(String, f64)> = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| MicaError::Data(format!("grid-data/hashrate-map.csv: {e}")))?;
        if row.get(0) != Some(month) {
            continue;
        }
        if row.get(4) == Some(CHINA) {
            let pct = row.get(3).unwrap_or_default().parse::<f64>().map_err(|_| {
                MicaError::Data(format!(
                    "grid-data/hashrate-map.csv: a province share of {month} is not a number"
                ))
            })?;
            let code = row.get(1).unwrap_or_default();
            // "Other" provinces take China's mix, as in the network replays.
            let code = if code == MAP_OTHER { CHINA } else { code };
            provinces.push((code.to_string(), pct / 100.0));
            continue;
        }
        if row.get(4) != Some("WORLD") {
            continue;
        }
        let code = row.get(1).unwrap_or_default();
        let pct: f64 = row.get(3).unwrap_or_default().parse().map_err(|_| {
            MicaError::Data(format!(
                "grid-data/hashrate-map.csv: share of {code} in {month} is not a number"
            ))
        })?;
        if pct <= 0.0 {
            continue;
        }
        let name = row.get(2).unwrap_or_default();
        let region = if code == MAP_OTHER {
            notes.push(format!(
                "{pct}% of the hashrate CCAF could not place in a country is on the world's grid mix ({UNPLACED_REGION})"
            ));
            UNPLACED_REGION.to_string()
        } else if name.ends_with(PROXY_MARK) {
            // As the network replays do (METHOD.md, "Network replays"), following Cambridge's
            // GHG method: CCAF marks these countries as likely proxy (VPN) addresses.
            notes.push(format!(
                "{pct}% of the hashrate in {code}, marked by CCAF as likely proxy addresses ({name}), is on the world's grid mix ({UNPLACED_REGION})"
            ));
            UNPLACED_REGION.to_string()
        } else {
            code.to_string()
        };
        shares.push(RegionShare {
            region,
            share: pct / 100.0,
            off_grid_share: 0.0,
            off_grid_g_per_kwh: None,
            line: None,
        });
    }
    let province_sum: f64 = provinces.iter().map(|(_, p)| p).sum();
    if let Some(china) = shares.iter().position(|s| s.region == CHINA)
        && !provinces.is_empty()
    {
        let china_share = shares.remove(china).share;
        notes.push(format!(
            "China's {:.2}% split into its provinces by CCAF's province shares of {month} (its other provinces on China's mix)",
            100.0 * china_share
        ));
        for (code, p) in provinces {
            shares.push(RegionShare {
                region: code,
                share: china_share * p / province_sum,
                off_grid_share: 0.0,
                off_grid_g_per_kwh: None,
                line: None,
            });
        }
    }
    // January 2022: only the five largest countries were published; the rest is unattributed
    // and, as in the network replays, on the world's mix.
    let named: f64 = shares.iter().map(|s| s.share).sum();
    if !shares.is_empty() && 1.0 - named > SHARE_SUM_TOLERANCE {
        notes.push(format!(
            "{:.2}% of the hashrate the map of {month} does not attribute to a country is on the world's grid mix ({UNPLACED_REGION})",
            100.0 * (1.0 - named)
        ));
        shares.push(RegionShare {
            region: UNPLACED_REGION.to_string(),
            share: 1.0 - named,
            off_grid_share: 0.0,
            off_grid_g_per_kwh: None,
            line: None,
        });
    }
    merge_same_regions(&mut shares);
    if shares.is_empty() {
        return Err(MicaError::Usage(format!(
            "the published map has no month {month}; its months: {} (CCAF has published no country shares since; give --geography FILE for a newer one)",
            map_months().join(", ")
        )));
    }
    notes.extend(check_sum(&mut shares, &format!("the published map of {month}"))?);
    notes.push(format!(
        "shares: CCAF Cambridge Bitcoin Mining Map, {month} (published maps are old: the last is January 2022)"
    ));
    Ok(Geography {
        label: format!("CCAF Cambridge Bitcoin Mining Map, {month}"),
        shares,
        notes,
    })
}

/// One row per region: the world's rows (unplaced, proxy) add up into the first.
fn merge_same_regions(shares: &mut Vec<RegionShare>) {
    let mut merged: Vec<RegionShare> = Vec::with_capacity(shares.len());
    for s in shares.drain(..) {
        match merged.iter_mut().find(|m| m.region == s.region) {
            Some(m) => m.share += s.share,
            None => merged.push(s),
        }
    }
    *shares = merged;
}

/// Read a geography CSV: `region,share` (a fraction 0-1 or a percentage with `%`), optionally
/// `off_grid_share` and `off_grid_g_per_kwh`. A bad cell names its line, column and value.
pub fn read_geography(label: &str, text: &str) -> Result<Geography, MicaError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| MicaError::Input(format!("{label}: {e}")))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(region_col), Some(share_col)) = (col("region"), col("share")) else {
        return Err(MicaError::Input(format!(
            "{label}: expected columns region,share (optionally off_grid_share,off_grid_g_per_kwh); found {}",
            header.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let (og_col, og_factor_col) = (col("off_grid_share"), col("off_grid_g_per_kwh"));
    let mut shares = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| MicaError::Input(format!("{label}:{line}: {e}")))?;
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or_default();
        let number = |c: Option<usize>, name: &str, what: &str| -> Result<Option<f64>, MicaError> {
            let text = cell(c);
            if text.is_empty() {
                return Ok(None);
            }
            let (digits, pct) = match text.strip_suffix('%') {
                Some(d) => (d.trim(), 100.0),
                None => (text, 1.0),
            };
            match digits.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v / pct)),
                _ => Err(MicaError::Input(format!(
                    "{label}:{line}: column {name}: {text:?} is not {what}"
                ))),
            }
        };
        let region = cell(Some(region_col)).to_uppercase();
        if region.is_empty() {
            return Err(MicaError::Input(format!("{label}:{line}: column region is empty")));
        }
        let share = number(Some(share_col), "share", "a share (0-1, or a percentage with %)")?
            .ok_or_else(|| MicaError::Input(format!("{label}:{line}: column share is empty")))?;
        let off_grid = number(og_col, "off_grid_share", "a share (0-1, or a percentage with %)")?.unwrap_or(0.0);
        if share > 1.0 || off_grid > 1.0 {
            return Err(MicaError::Input(format!(
                "{label}:{line}: a share above 1 ({}); give fractions 0-1 or percentages with %",
                if share > 1.0 { "share" } else { "off_grid_share" }
            )));
        }
        let factor = number(og_factor_col, "off_grid_g_per_kwh", "gCO2e/kWh (0 or more)")?;
        if off_grid > 0.0 && factor.is_none() {
            return Err(MicaError::Input(format!(
                "{label}:{line}: off_grid_share {off_grid} needs off_grid_g_per_kwh: hashmix has no sourced factor for on-site generation (it depends on the fuel), so it does not guess one"
            )));
        }
        shares.push(RegionShare {
            region,
            share,
            off_grid_share: off_grid,
            off_grid_g_per_kwh: factor,
            line: Some(line),
        });
    }
    let scaled = check_sum(&mut shares, label)?;
    Ok(Geography {
        label: label.to_string(),
        shares,
        notes: std::iter::once(format!("shares: {label}")).chain(scaled).collect(),
    })
}

/// Shares must sum to 1 within [`SHARE_SUM_TOLERANCE`]; shares a rounding away from 1 are
/// scaled to sum to 1, so that every kWh of S.8 is placed on a grid (S.10 and S.13 would
/// otherwise leave the rest out), and the note returned says so.
fn check_sum(shares: &mut [RegionShare], label: &str) -> Result<Option<String>, MicaError> {
    let sum: f64 = shares.iter().map(|s| s.share).sum();
    if (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
        return Err(MicaError::Input(format!(
            "{label}: the shares sum to {sum:.4}, expected 1 (100%) within {SHARE_SUM_TOLERANCE}"
        )));
    }
    if (sum - 1.0).abs() <= 1e-9 {
        return Ok(None);
    }
    for s in shares.iter_mut() {
        s.share /= sum;
    }
    Ok(Some(format!(
        "{label}: the shares sum to {sum:.4}; each is scaled by 1/{sum:.4} to place all the energy"
    )))
}

/// What a hashrate series file gives for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The mean hashrate of the rows dated in the period, EH/s.
    pub mean_ehs: f64,
    /// The sum of the optional `transactions` column over the period, when the file has it.
    pub transactions: Option<f64>,
}

/// The largest network hashrate taken, EH/s: a hundred times Bitcoin's of 2025 (about 1,000
/// EH/s); a larger figure is a unit slip (TH/s or H/s given as EH/s), not a network.
pub const MAX_HASHRATE_EHS: f64 = 100_000.0;

/// Whether `ehs` can be a network's hashrate in EH/s: above 0, at most [`MAX_HASHRATE_EHS`].
pub fn plausible_ehs(ehs: f64) -> bool {
    ehs.is_finite() && ehs > 0.0 && ehs <= MAX_HASHRATE_EHS
}

/// The mean of a daily hashrate series (`date,hashrate_ehs`) over the days from `from` to `to`
/// inclusive, and the sum of its optional `transactions` column (the transactions validated that
/// day); rows outside the period are skipped. A mean of fewer days is not the period's, and a
/// sum short of a day is not its total: every day of the period needs its row, and a gap is
/// refused, never averaged over or summed short.
pub fn read_series(label: &str, text: &str, from: NaiveDate, to: NaiveDate) -> Result<Series, MicaError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| MicaError::Input(format!("{label}: {e}")))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(date_col), Some(h_col)) = (col("date"), col("hashrate_ehs")) else {
        return Err(MicaError::Input(format!(
            "{label}: expected columns date,hashrate_ehs (hashrate in EH/s), optionally transactions"
        )));
    };
    let tx_col = col("transactions");
    let mut by_day = BTreeMap::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| MicaError::Input(format!("{label}:{line}: {e}")))?;
        let d = row.get(date_col).unwrap_or_default();
        let day: NaiveDate = d
            .parse()
            .map_err(|_| MicaError::Input(format!("{label}:{line}: column date: {d:?} is not a date (YYYY-MM-DD)")))?;
        let h = row.get(h_col).unwrap_or_default();
        let v: f64 = match h.parse() {
            Ok(v) if plausible_ehs(v) => v,
            _ => {
                return Err(MicaError::Input(format!(
                    "{label}:{line}: column hashrate_ehs: {h:?} is not a hashrate in EH/s (above 0, at most {MAX_HASHRATE_EHS}; a figure in TH/s or H/s is too large)"
                )));
            }
        };
        let tx = match tx_col {
            None => 0.0,
            Some(c) => {
                let t = row.get(c).unwrap_or_default();
                match t.parse::<f64>() {
                    Ok(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 => n,
                    _ => {
                        return Err(MicaError::Input(format!(
                            "{label}:{line}: column transactions: {t:?} is not a count of transactions (a whole number, 0 or more)"
                        )));
                    }
                }
            }
        };
        if (from..=to).contains(&day)
            && let Some(first) = by_day.insert(day, (v, tx, line))
        {
            return Err(MicaError::Input(format!(
                "{label}:{line}: column date: {day} is also on line {}; expected one row per date",
                first.2
            )));
        }
    }
    if by_day.is_empty() {
        return Err(MicaError::Input(format!("{label}: no row dated from {from} to {to}")));
    }
    // A day missing would make the mean the mean of fewer days, and the transactions a sum
    // short of the period's: one row per day of the period, or no figure.
    let days = (to - from).num_days() + 1;
    if let Some(gap) = from
        .iter_days()
        .take_while(|d| *d <= to)
        .find(|d| !by_day.contains_key(d))
    {
        return Err(MicaError::Input(format!(
            "{label}: no row for {gap}; the period's {} one row per day ({days} days from {from} to {to}, {} given)",
            match tx_col {
                Some(_) => "mean hashrate and its transactions need",
                None => "mean hashrate needs",
            },
            by_day.len()
        )));
    }
    let mean_ehs = by_day.values().map(|(v, _, _)| v).sum::<f64>() / by_day.len() as f64;
    let transactions = tx_col.map(|_| by_day.values().map(|(_, t, _)| t).sum::<f64>());
    Ok(Series { mean_ehs, transactions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_map_of_april_2021_sums_to_one_with_other_and_proxies_on_the_world_grid() {
        let g = published_map("2021-04").unwrap();
        let sum: f64 = g.shares.iter().map(|s| s.share).sum();
        assert!((sum - 1.0).abs() < SHARE_SUM_TOLERANCE);
        // April 2021: Other 5.92% + Germany * 2.81% + Ireland * 2.27% = 11.00% on the world's grid.
        let world = g.shares.iter().find(|s| s.region == "WORLD").unwrap();
        assert!((world.share - 0.11).abs() < 1e-9, "{}", world.share);
        assert!(!g.shares.iter().any(|s| s.region == "DE" || s.region == "IE"));
        // China (46.04%) is split into provinces; Sichuan's share is 46.04% x its share of China.
        assert!(g.shares.iter().any(|s| s.region == "CN-SC"));
        assert_eq!(g.shares.iter().filter(|s| s.region == "WORLD").count(), 1);
    }

    #[test]
    fn january_2022s_unattributed_rest_is_on_the_world_grid() {
        let g = published_map("2022-01").unwrap();
        // Published: US 37.84 + CN 21.11 + KZ 13.22 + CA 6.48 + RU 4.66 = 83.31%; the rest, 16.69%.
        let world = g.shares.iter().find(|s| s.region == "WORLD").unwrap();
        assert!((world.share - 0.1669).abs() < 1e-9, "{}", world.share);
    }

    #[test]
    fn a_month_outside_the_map_is_refused_with_its_months() {
        let e = published_map("2024-01").unwrap_err().to_string();
        assert!(e.contains("2021-08"), "{e}");
    }

    #[test]
    fn an_off_grid_share_without_a_factor_is_refused() {
        let e = read_geography("g.csv", "region,share,off_grid_share\nUS,1,0.2\n").unwrap_err();
        assert!(e.to_string().contains("g.csv:2"), "{e}");
    }

    #[test]
    fn percentages_and_fractions_read_alike() {
        let g = read_geography("g.csv", "region,share\nus,60%\nKZ,0.4\n").unwrap();
        assert_eq!(g.shares[0].region, "US");
        assert!((g.shares[0].share - 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_bad_share_names_line_column_and_value() {
        let e = read_geography("g.csv", "region,share\nUS,lots\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "g.csv:2: column share: \"lots\" is not a share (0-1, or a percentage with %)"
        );
    }

    #[test]
    fn a_date_given_twice_is_refused_naming_both_lines() {
        let text = "date,hashrate_ehs\n2021-01-01,100\n2021-01-01,200\n";
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let e = read_series("h.csv", text, from, from).unwrap_err().to_string();
        assert_eq!(
            e,
            "h.csv:3: column date: 2021-01-01 is also on line 2; expected one row per date"
        );
    }

    #[test]
    fn the_mean_hashrate_keeps_only_the_period() {
        let text = "date,hashrate_ehs\n2021-01-01,100\n2021-01-02,200\n2021-02-01,900\n";
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2021, 1, 2).unwrap();
        // (100 + 200) / 2 = 150; February is outside.
        let series = read_series("h.csv", text, from, to).unwrap();
        assert_eq!(
            series,
            Series {
                mean_ehs: 150.0,
                transactions: None
            }
        );
    }

    #[test]
    fn transactions_are_the_sum_of_the_periods_days() {
        let text = "date,hashrate_ehs,transactions\n2020-12-31,50,7\n2021-01-01,100,250000\n2021-01-02,200,300000\n";
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2021, 1, 2).unwrap();
        // Hashrate (100 + 200) / 2 = 150; transactions 250,000 + 300,000 = 550,000 (the 31st is outside).
        let series = read_series("h.csv", text, from, to).unwrap();
        assert_eq!(
            series,
            Series {
                mean_ehs: 150.0,
                transactions: Some(550_000.0)
            }
        );
    }

    #[test]
    fn a_missing_day_is_refused() {
        let text = "date,hashrate_ehs\n2021-01-01,100\n2021-01-03,200\n";
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2021, 1, 3).unwrap();
        let e = read_series("h.csv", text, from, to).unwrap_err().to_string();
        assert_eq!(
            e,
            "h.csv: no row for 2021-01-02; the period's mean hashrate needs one row per day (3 days from 2021-01-01 to 2021-01-03, 2 given)"
        );
    }

    #[test]
    fn a_missing_day_is_refused_when_transactions_are_summed() {
        let text = "date,hashrate_ehs,transactions\n2021-01-01,100,250000\n2021-01-03,200,300000\n";
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2021, 1, 3).unwrap();
        let e = read_series("h.csv", text, from, to).unwrap_err().to_string();
        assert_eq!(
            e,
            "h.csv: no row for 2021-01-02; the period's mean hashrate and its transactions need one row per day (3 days from 2021-01-01 to 2021-01-03, 2 given)"
        );
    }

    #[test]
    fn a_fractional_transaction_count_names_line_and_value() {
        let text = "date,hashrate_ehs,transactions\n2021-01-01,100,2.5\n";
        let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let e = read_series("h.csv", text, from, from).unwrap_err().to_string();
        assert_eq!(
            e,
            "h.csv:2: column transactions: \"2.5\" is not a count of transactions (a whole number, 0 or more)"
        );
    }
}
