//! The GeoJSON site reader, validation and assessment, from arbitrary bytes.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Only input that opens with `{` or `[` is read as GeoJSON.
    if !matches!(data.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[')) {
        return;
    }
    common::assess_all(hashmix::sites::SiteReader::from_bytes(data.to_vec(), "fuzz.geojson"));
});
