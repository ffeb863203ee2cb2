//! A seeded generator of synthetic mining sites on land, for the end-to-end benchmark: each
//! site lies inside one of the embedded country polygons of a country with electricity data
//! (not Antarctica, nor a territory without data: those are row errors, and a benchmark of
//! mostly valid sites measures the work users ask for), drawn with probability in proportion
//! to the polygon's area on the sphere, at a uniform point within it.
//!
//! `cargo run --release --example gen_sites -- N [SEED] > sites.csv` writes the columns the
//! reference pipeline reads (id,name,lat,lon,hashrate_ths,efficiency_j_th).

use geo::{BoundingRect, ChamberlainDuquetteArea, Contains, Point};
use hashmix::grid::{GridData, GridFiles, Level};
use hashmix::regions::RegionIndex;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{BufWriter, Write};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let files = GridFiles::embedded();
    let index = RegionIndex::from_binary(files.countries_bin.expect("embedded"), "countries").expect("index");
    let grid = GridData::parse(&files).expect("the embedded grid data parses");
    let has_data = |code: &str| {
        grid.choose(code, None, None)
            .is_some_and(|c| c.data_region.level != Level::World)
    };
    let parts: Vec<_> = index
        .parts()
        .iter()
        .filter(|(r, _)| has_data(&index.region(*r).code))
        .collect();
    let mut cumulative = Vec::with_capacity(parts.len());
    let mut total = 0.0;
    for (_, p) in &parts {
        total += p.chamberlain_duquette_unsigned_area();
        cumulative.push(total);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let _ = writeln!(out, "id,name,lat,lon,hashrate_ths,efficiency_j_th");
    for i in 0..n {
        let pick = rng.random::<f64>() * total;
        let k = cumulative.partition_point(|c| *c < pick).min(parts.len() - 1);
        let (region, poly) = parts[k];
        let Some(b) = poly.bounding_rect() else { continue };
        let point = loop {
            let p = Point::new(
                b.min().x + rng.random::<f64>() * b.width(),
                b.min().y + rng.random::<f64>() * b.height(),
            );
            if poly.contains(&p) {
                break p;
            }
        };
        let _ = writeln!(
            out,
            "s{i},site {i} in {},{:.6},{:.6},{:.1},{:.1}",
            index.region(*region).code,
            point.y(),
            point.x(),
            100.0 + rng.random::<f64>() * 99_900.0,
            15.0 + rng.random::<f64>() * 25.0
        );
    }
}
