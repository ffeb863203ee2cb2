//! Prepares the region boundaries at build time: the GeoJSON in grid-data/ is parsed here once
//! and written as a compact binary that the program reads without parsing text at start-up.
//!
//! Format (little-endian), read by `regions::binary::decode`:
//! `HMXR1`, u32 regions, per region: code, name, parent (u16 length + UTF-8; parent length
//! 0xFFFF = none); u32 parts, per part: u32 region index, u32 rings, per ring: u32 points, then
//! each point as f64 x (longitude), f64 y (latitude), bit for bit as parsed from the GeoJSON.
//! Regions are sorted by code, as `RegionIndex::from_geojson` sorts them.

use std::path::Path;

include!("src/regions/geojson_types.rs");

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.extend_from_slice(&(s.len() as u16).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        None => out.extend_from_slice(&u16::MAX.to_le_bytes()),
    }
}

fn encode(geojson: &str) -> Vec<u8> {
    let mut fc: FeatureCollection = serde_json::from_str(geojson).expect("grid-data GeoJSON parses");
    fc.features
        .sort_by(|a, b| a.properties.region.cmp(&b.properties.region));
    let mut out = b"HMXR1".to_vec();
    out.extend_from_slice(&(fc.features.len() as u32).to_le_bytes());
    for f in &fc.features {
        put_str(&mut out, Some(&f.properties.region));
        put_str(&mut out, Some(&f.properties.name));
        put_str(&mut out, f.properties.parent.as_deref());
    }
    let parts: Vec<(usize, &Vec<Vec<[f64; 2]>>)> = fc
        .features
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            f.geometry
                .coordinates
                .iter()
                .filter(|p| !p.is_empty())
                .map(move |p| (i, p))
        })
        .collect();
    out.extend_from_slice(&(parts.len() as u32).to_le_bytes());
    for (i, rings) in parts {
        out.extend_from_slice(&(i as u32).to_le_bytes());
        out.extend_from_slice(&(rings.len() as u32).to_le_bytes());
        for ring in rings {
            out.extend_from_slice(&(ring.len() as u32).to_le_bytes());
            for [x, y] in ring {
                out.extend_from_slice(&x.to_le_bytes());
                out.extend_from_slice(&y.to_le_bytes());
            }
        }
    }
    out
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["countries", "subdivisions", "zones"] {
        let src = format!("grid-data/{name}.geojson");
        println!("cargo:rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).expect("grid-data GeoJSON is readable");
        std::fs::write(Path::new(&out_dir).join(format!("{name}.bin")), encode(&text)).expect("OUT_DIR is writable");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/regions/geojson_types.rs");
}
