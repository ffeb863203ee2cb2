//! A risk-rules file (`--risk-rules FILE`), from arbitrary text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hashmix::risk::rules::Rules::parse(text);
    }
});
