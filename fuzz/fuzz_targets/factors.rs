//! A user's emission-factor file (`--factors FILE`), from arbitrary text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hashmix::grid::factors::Factors::parse_user(text, "fuzz.csv");
    }
});
