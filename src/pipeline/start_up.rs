//! Starting a run: reading the grid data, the factors, the risk model and the boundaries once,
//! and checking the options against them.

use chrono::NaiveDate;

use super::Assessor;
use super::Options;
use super::options::{DEFAULT_BASIS, DEFAULT_FACTORS};
use super::region_lookup::{RegionLookups, RegionSlot};
use crate::Error;
use crate::error::OptionsError;
use crate::grid::factors::{FactorChoice, Factors};
use crate::grid::published::{Basis, PublishedFactors};
use crate::grid::{GridData, GridFiles};
use crate::miners::Catalogue;
use crate::regions::RegionIndex;
use crate::risk::RiskModel;
use crate::risk::events::year_of;
use crate::uncertainty::{self, FactorModel, MonteCarlo};

impl Assessor {
    /// Build from the embedded grid data (or `options.grid_data`).
    pub fn embedded(options: Options) -> Result<Assessor, Error> {
        let dir = options.grid_data.clone();
        Assessor::embedded_from(options).map_err(|e| e.in_grid_dir(dir.as_deref()))
    }

    fn embedded_from(options: Options) -> Result<Assessor, Error> {
        let files = match &options.grid_data {
            Some(dir) => GridFiles::from_dir(dir)?,
            None => GridFiles::embedded(),
        };
        // The boundaries are most of the start-up: each index is built on a thread of its own
        // while this one reads the rest.
        std::thread::scope(|scope| {
            let countries = scope.spawn(|| region_index(files.countries_bin, &files.countries, "countries.geojson"));
            let subdivisions =
                scope.spawn(|| region_index(files.subdivisions_bin, &files.subdivisions, "subdivisions.geojson"));
            let join = |index: std::thread::ScopedJoinHandle<'_, Result<RegionIndex, Error>>| {
                index.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            };
            Assessor::build(options, &files, || Ok((join(countries)?, join(subdivisions)?)))
        })
    }

    /// Build from these files; `indexes` gives the countries' and the subdivisions' boundaries.
    /// The options are checked in the order a user meets them: the year and month, the risk
    /// rules and the as-of date, the draws, then the year against the as-of date.
    fn build(
        options: Options,
        files: &GridFiles,
        indexes: impl FnOnce() -> Result<(RegionIndex, RegionIndex), Error>,
    ) -> Result<Assessor, Error> {
        let choice = options.factors.clone().unwrap_or(DEFAULT_FACTORS);
        let basis = options.basis.unwrap_or(DEFAULT_BASIS);
        let factors = Factors::load(&choice, basis, files)?;
        // The risk rules' intensity thresholds are written on the IPCC lifecycle basis: under
        // published rates the risk keeps reading the mix x those factors (issue 22).
        let risk_factors = match choice {
            FactorChoice::Published => Factors::load(&FactorChoice::Ipcc, Basis::Lifecycle, files)?.g_per_kwh,
            _ => factors.g_per_kwh,
        };
        let mut grid = GridData::parse(files)?;
        check_year_and_month(&options, &grid)?;
        let risk = risk_model(&options, files, &grid)?;
        let as_of = as_of_date(&options, &risk, files)?;
        let monte_carlo = monte_carlo(&options, files, &factors, as_of)?;
        let mix_source = mix_source(&choice, basis, &factors);
        let year = data_year(&options)?;
        // No data newer than the as-of day's year, not even a region's own nearest later year
        // (issue 20: a backtest or a filing as of a day must not look ahead).
        if let Some(day) = options.as_of {
            grid.use_no_year_after(year_of(day));
        }
        let lookups = RegionLookups {
            slots: grid.regions().map(|_| RegionSlot::default()).collect(),
            by_code: grid.regions().enumerate().map(|(i, r)| (r.code.clone(), i)).collect(),
        };
        let (index, subdivisions) = indexes()?;
        let subdivided = index
            .regions()
            .iter()
            .map(|r| subdivisions.has_children(&r.code))
            .collect();
        let slots_of = |regions: &[crate::regions::Region]| regions.iter().map(|r| lookups.place(&r.code)).collect();
        let datasets = super::sources::RunDatasets::new(&grid, files, &subdivisions);
        // Scope 2 is reported on the direct basis: instruments on the lifecycle basis would
        // each be rejected for a reason that is not theirs.
        if basis != Basis::Direct {
            let given = [
                (options.accounting.instruments.is_some(), "--instruments"),
                (options.accounting.residual.is_some(), "--residual-mix"),
            ];
            if let Some((_, what)) = given.into_iter().find(|(given, _)| *given) {
                return Err(OptionsError::MarketBasedOnLifecycle { what }.into());
            }
        }
        let accounting = super::accounting::Accounting::new(options.accounting, year, files)?;
        Ok(Assessor {
            country_slots: slots_of(index.regions()),
            subdivision_slots: slots_of(subdivisions.regions()),
            index,
            subdivisions,
            zones: region_index(files.zones_bin, &files.zones, "zones.geojson")?,
            subdivided,
            catalogue: Catalogue::parse(&files.miners)?,
            grid,
            factors,
            published: PublishedFactors::parse(&files.published_factors)?,
            risk,
            as_of,
            as_of_text: as_of.to_string(),
            lookups,
            monte_carlo,
            year,
            month: options.month,
            user_factors: matches!(choice, FactorChoice::File(_)),
            published_first: choice == FactorChoice::Published,
            mix_source,
            basis,
            risk_factors,
            grid_data: options.grid_data,
            datasets,
            accounting,
        })
    }
}

/// `intensity_source` of an intensity worked out from the mix under these factors.
fn mix_source(choice: &FactorChoice, basis: Basis, factors: &Factors) -> String {
    match choice {
        FactorChoice::File(_) => format!("mix x {} ({} basis)", factors.label, basis.name()),
        _ => format!("mix x IPCC AR5 {} factors", basis.name()),
    }
}

/// A year the grid data covers, and a month 1-12.
fn check_year_and_month(options: &Options, grid: &GridData) -> Result<(), Error> {
    if let (Some(y), Some(first), Some(last)) = (options.year, grid.earliest_year(), grid.latest_year())
        && !(first..=last).contains(&y)
    {
        return Err(OptionsError::YearOutOfRange { asked: y, first, last }.into());
    }
    if let Some(m) = options.month
        && !(1..=12).contains(&m)
    {
        return Err(OptionsError::MonthOutOfRange(m).into());
    }
    Ok(())
}

/// The policy events and the risk rules: the rules from `options.risk_rules`, else those
/// shipped with the grid data.
fn risk_model(options: &Options, files: &GridFiles, grid: &GridData) -> Result<RiskModel, Error> {
    let (rules_text, rules_label) = match &options.risk_rules {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?,
            path.display().to_string(),
        ),
        // Issue 20: rules read from --grid-data are labelled with their path, not as embedded.
        None => (
            files.risk_rules.to_string(),
            match &options.grid_data {
                Some(dir) => dir.join("risk-rules.toml").display().to_string(),
                None => "embedded risk-rules.toml".to_string(),
            },
        ),
    };
    RiskModel::parse(
        &rules_text,
        &rules_label,
        &files.policy_events,
        &files.neighbours,
        &files.mining_regions,
        grid,
    )
}

/// The day risk is scored as of: the one asked for, else the rules' default; never after the
/// policy events' end.
fn as_of_date(options: &Options, risk: &RiskModel, files: &GridFiles) -> Result<NaiveDate, Error> {
    // A day after the events' end would count every measure as lapsed or absent that the
    // data cannot see. The end is the events' own (issue 20), whatever rules are given.
    let events_end = events_end(&risk.events, &files.risk_rules);
    if let Some(day) = options.as_of
        && day > events_end
    {
        return Err(OptionsError::AsOfAfterEvents {
            asked: day,
            events_end,
            default: risk.rules.default_as_of().min(events_end),
        }
        .into());
    }
    let default_as_of = risk.rules.default_as_of();
    if options.as_of.is_none() && default_as_of > events_end {
        return Err(OptionsError::DefaultAsOfAfterEvents {
            rules: risk.rules_label.clone(),
            default_as_of,
            events_end,
        }
        .into());
    }
    Ok(options.as_of.unwrap_or(default_as_of))
}

/// The draws behind the intervals, when asked for.
fn monte_carlo(
    options: &Options,
    files: &GridFiles,
    factors: &Factors,
    as_of: NaiveDate,
) -> Result<Option<MonteCarlo>, Error> {
    match options.draws {
        0 => Ok(None),
        n if n > uncertainty::MAX_DRAWS => Err(OptionsError::TooManyDraws {
            asked: n,
            most: uncertainty::MAX_DRAWS,
        }
        .into()),
        n => {
            let config = uncertainty::Config::parse(&files.uncertainty)?;
            let model = FactorModel::of(factors, &config)?;
            let year_asked = options.year.unwrap_or_else(|| year_of(as_of));
            let label = match &options.grid_data {
                Some(dir) => dir.join("uncertainty.toml").display().to_string(),
                None => "embedded uncertainty.toml".to_string(),
            };
            Ok(Some(MonteCarlo::new(
                n,
                options.seed,
                config,
                model,
                year_asked,
                &label,
            )))
        }
    }
}

/// The year of the data: the one asked for, else the last full year before the as-of date
/// (what was knowable on the day), else none (each region's latest).
fn data_year(options: &Options) -> Result<Option<u16>, Error> {
    match (options.as_of, options.year) {
        (Some(day), Some(y)) if y > year_of(day) => Err(OptionsError::YearAfterAsOf { year: y, as_of: day }.into()),
        (Some(day), None) => Ok(Some(year_of(day).saturating_sub(1))),
        (_, y) => Ok(y),
    }
}

/// The boundaries: from the binary build.rs prepared when there is one, else parsed from GeoJSON.
fn region_index(prepared: Option<&[u8]>, geojson: &str, file: &str) -> Result<RegionIndex, Error> {
    match prepared {
        Some(bytes) => RegionIndex::from_binary(bytes, file),
        None => RegionIndex::from_geojson(geojson, file),
    }
}

/// The date the policy events run to: the day up to which they were compiled, as the
/// risk-rules.toml shipped with them says (`shipped_rules`, the embedded file or the one in
/// `--grid-data`; never a `--risk-rules` file, which says nothing of the events), and never
/// before the last day an event was public. A month without events is still covered: the
/// compiler checked it.
fn events_end(events: &[crate::risk::PolicyEvent], shipped_rules: &str) -> NaiveDate {
    let last_event = events.iter().map(|e| e.known).max();
    let compiled = crate::risk::Rules::parse(shipped_rules).ok().map(|r| r.default_as_of());
    match (last_event, compiled) {
        (Some(e), Some(c)) => e.max(c),
        (Some(e), None) => e,
        (None, Some(c)) => c,
        // The events are never empty (see `parse_events`).
        (None, None) => NaiveDate::MIN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of grid-data/ with some files replaced.
    fn grid_data_with(replaced: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let source = concat!(env!("CARGO_MANIFEST_DIR"), "/grid-data");
        for entry in std::fs::read_dir(source).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
        for (file, text) in replaced {
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        dir
    }

    fn error_of(dir: &tempfile::TempDir) -> String {
        let options = Options {
            grid_data: Some(dir.path().to_path_buf()),
            ..Options::default()
        };
        // The message names the file by its path in DIR; the tests compare the file's name.
        match Assessor::embedded(options) {
            Ok(_) => "no error".into(),
            Err(e) => e.to_string().replace(&format!("{}/", dir.path().display()), ""),
        }
    }

    #[test]
    fn a_broken_boundary_file_built_on_its_own_thread_is_reported_by_name() {
        for file in ["countries.geojson", "subdivisions.geojson"] {
            let dir = grid_data_with(&[(file, "{")]);
            assert!(
                error_of(&dir).starts_with(&format!("grid data {file}: ")),
                "{}",
                error_of(&dir)
            );
        }
        // Both broken: the countries are reported, as when the indexes were built in turn; and a
        // broken mix table is reported before either, as before.
        let both = [("countries.geojson", "{"), ("subdivisions.geojson", "{")];
        assert!(error_of(&grid_data_with(&both)).starts_with("grid data countries.geojson: "));
        let mix = [("countries.geojson", "{"), ("mix-annual.csv", "region\n")];
        assert!(
            error_of(&grid_data_with(&mix)).starts_with("grid data mix-annual.csv: "),
            "{}",
            error_of(&grid_data_with(&mix))
        );
    }
}
