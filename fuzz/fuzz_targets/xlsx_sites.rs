//! The .xlsx site reader (zip checks, streamed sheet), validation and assessment, from
//! arbitrary bytes.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::assess_all(hashmix::sites::SiteReader::from_xlsx_bytes(data.to_vec(), "fuzz.xlsx"));
});
