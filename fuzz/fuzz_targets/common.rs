//! What the site-reader targets share: one assessor over the embedded data, built once, and
//! the loop that reads every row and assesses it as `hashmix assess` does.

use std::sync::OnceLock;

use hashmix::pipeline::Assessor;
use hashmix::sites::SiteReader;

static ASSESSOR: OnceLock<Assessor> = OnceLock::new();

/// Read and assess every row of `reader`; an error that makes the rest unusable ends it.
pub fn assess_all(reader: Result<SiteReader, hashmix::Error>) {
    let assessor = ASSESSOR.get_or_init(|| Assessor::embedded(Default::default()).expect("the embedded data loads"));
    let Ok(mut reader) = reader else { return };
    while let Some(row) = reader.next_row() {
        let Ok(row) = row else { return };
        let record = assessor.assess(row);
        std::hint::black_box(&record);
    }
}
