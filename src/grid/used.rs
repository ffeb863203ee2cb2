//! Which datasets of datasets.csv a run used, so that the output's `sources` lists only those
//! (issue 22). A site's datasets are a fixed set of bits, one per row of datasets.csv: copied
//! into its result and merged into the portfolio without an allocation, so the hot path pays
//! one `or` per row.

use crate::Error;

/// The most rows datasets.csv may have: one bit of [`UsedDatasets`] each, and two bits for
/// what the output lists besides them (the emission factors and the risk rules).
pub const MAX_DATASETS: usize = 62;

/// A dataset's place in datasets.csv (0 for its first row), resolved once when the data is
/// read so that marking it costs no lookup by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DatasetIndex(u8);

impl DatasetIndex {
    /// The run's emission factors, whichever set: hashmix's (`ipcc-ar5` in datasets.csv) or a
    /// user's file, which datasets.csv does not list.
    pub const EMISSION_FACTORS: DatasetIndex = DatasetIndex(62);
    /// The risk rules of the run (which datasets.csv does not list) scored a risk.
    pub const RISK_RULES: DatasetIndex = DatasetIndex(63);

    /// The dataset on row `i` of datasets.csv (0 for the first), if a set can hold it.
    pub fn of_row(i: usize) -> Option<DatasetIndex> {
        u8::try_from(i).ok().filter(|_| i < MAX_DATASETS).map(DatasetIndex)
    }

    /// The dataset's place in datasets.csv.
    pub fn get(self) -> usize {
        usize::from(self.0)
    }
}

/// A set of datasets of datasets.csv, by their place in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsedDatasets(u64);

impl UsedDatasets {
    /// No dataset.
    pub const NONE: UsedDatasets = UsedDatasets(0);

    /// The set of one dataset.
    pub const fn of(dataset: DatasetIndex) -> UsedDatasets {
        UsedDatasets(1 << dataset.0)
    }

    /// Add a dataset.
    pub fn mark(&mut self, dataset: DatasetIndex) {
        self.0 |= 1 << dataset.0;
    }

    /// Add a dataset, if the data names one (a `--grid-data` copy may lack a row).
    pub fn mark_if(&mut self, dataset: Option<DatasetIndex>) {
        if let Some(d) = dataset {
            self.mark(d);
        }
    }

    /// Add every dataset of `other`.
    pub fn merge(&mut self, other: UsedDatasets) {
        self.0 |= other.0;
    }

    /// `self` with every dataset of `other`.
    #[must_use]
    pub fn with(self, other: UsedDatasets) -> UsedDatasets {
        UsedDatasets(self.0 | other.0)
    }

    /// Whether the set holds a dataset.
    pub fn contains(self, dataset: DatasetIndex) -> bool {
        self.0 & (1 << dataset.0) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The place of each dataset id in datasets.csv, checked once: at most [`MAX_DATASETS`] rows,
/// each id given once.
pub(super) fn check_ids(ids: &[&str]) -> Result<(), Error> {
    let err = |message: String| Error::GridData {
        file: "datasets.csv".into(),
        message,
    };
    if ids.len() > MAX_DATASETS {
        return Err(err(format!(
            "{} datasets: expected at most {MAX_DATASETS} (one bit each in a run's record of the datasets it used)",
            ids.len()
        )));
    }
    for (i, id) in ids.iter().enumerate() {
        if let Some(first) = ids[..i].iter().position(|other| other == id) {
            return Err(err(format!(
                "line {}: dataset {id} is given twice (first on line {}): expected each id once",
                i + 2,
                first + 2
            )));
        }
    }
    Ok(())
}

/// The place of dataset `id` among `ids` (datasets.csv's rows in order), if it is there.
pub(super) fn index_of(ids: impl IntoIterator<Item = impl AsRef<str>>, id: &str) -> Option<DatasetIndex> {
    DatasetIndex::of_row(ids.into_iter().position(|d| d.as_ref() == id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_holds_what_was_marked_and_merged_and_nothing_else() {
        let (a, b, c) = (DatasetIndex(0), DatasetIndex(5), DatasetIndex::RISK_RULES);
        let mut used = UsedDatasets::NONE;
        assert!(used.is_empty());
        used.mark(a);
        used.mark_if(None);
        let mut other = UsedDatasets::NONE;
        other.mark(c);
        used.merge(other);
        assert!(used.contains(a) && used.contains(c) && !used.contains(b));
        assert_eq!(UsedDatasets::NONE.with(other), other);
    }

    #[test]
    fn datasets_csv_with_a_repeated_id_or_too_many_rows_is_refused() {
        let e = check_ids(&["a", "b", "a"]).unwrap_err().to_string();
        assert_eq!(
            e,
            "grid data datasets.csv: line 4: dataset a is given twice (first on line 2): expected each id once"
        );
        let many: Vec<String> = (0..=MAX_DATASETS).map(|i| format!("d{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(
            check_ids(&many)
                .unwrap_err()
                .to_string()
                .contains("63 datasets: expected at most 62")
        );
        assert!(check_ids(&many[..MAX_DATASETS]).is_ok());
        assert_eq!(index_of(["x", "y"], "y"), Some(DatasetIndex(1)));
        assert_eq!(index_of(["x", "y"], "z"), None);
        assert_eq!(DatasetIndex::of_row(MAX_DATASETS), None);
    }
}
