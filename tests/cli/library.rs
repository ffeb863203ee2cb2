//! The library's streaming engine (`hashmix::stream`) gives a program what the binary gives.

use super::*;
use hashmix::output::{self, Columns, CsvOptions, Format};
use hashmix::pipeline::Assessor;
use hashmix::settings::Options;
use hashmix::sites::SiteReader;

/// What `stream::assess_all` writes for `path` in `format`, and the portfolio's failed rows.
fn through_the_library(path: &str, format: Format) -> (Vec<u8>, u64) {
    // The command line's defaults: the intervals' draws and seed.
    let options = Options {
        draws: hashmix::uncertainty::DEFAULT_DRAWS,
        seed: hashmix::uncertainty::DEFAULT_SEED,
        ..Options::default()
    };
    let assessor = Assessor::embedded(options).unwrap();
    let reader = SiteReader::open(path).unwrap();
    let mut out = Vec::new();
    let mut writer = output::writer(format, Box::new(&mut out), &Columns::all(), CsvOptions::default()).unwrap();
    let portfolio = hashmix::stream::assess_all(reader, &assessor, &mut *writer).unwrap();
    drop(writer);
    (out, portfolio.sites_failed)
}

// issue 21: the engine moved from the binary into the library; a program calling it gets the
// binary's bytes, for rows that pass, fail and warn.
#[test]
fn the_library_engine_writes_what_hashmix_assess_writes() {
    let path = data("row-checks.csv");
    for (format, flag) in [(Format::Csv, "csv"), (Format::Json, "json")] {
        let cli = hashmix().args(["assess", &path, "--format", flag]).output().unwrap();
        assert_eq!(cli.status.code(), Some(1), "row-checks.csv has failed rows");
        let (library, failed) = through_the_library(&path, format);
        assert!(failed > 0);
        assert_eq!(
            String::from_utf8(library).unwrap(),
            String::from_utf8(cli.stdout).unwrap()
        );
    }
}
