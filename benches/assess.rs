//! Criterion benchmarks: locating one point in the embedded country polygons, and one whole
//! row through validate -> locate -> look up -> compute.

use criterion::{Criterion, criterion_group, criterion_main};
use hashmix::assess::Portfolio;
use hashmix::pipeline::{Assessor, Options};
use hashmix::sites::SiteReader;

fn bench(c: &mut Criterion) {
    let assessor = Assessor::embedded(Options::default()).expect("embedded data loads");
    // Ekibastuz (inside Kazakhstan), Baie-Comeau (offshore on the coarse coastline: the
    // nearest-region search), and a point in the open Pacific (searched, nothing found).
    for (name, lat, lon) in [
        ("inside", 51.7236, 75.3233),
        ("nearest", 49.2167, -68.15),
        ("ocean", 0.0, -150.0),
    ] {
        c.bench_function(&format!("locate_{name}"), |b| {
            b.iter(|| {
                assessor
                    .index
                    .locate(std::hint::black_box(lat), std::hint::black_box(lon))
            })
        });
    }
    let csv = b"id,lat,lon,machines,model\nekibastuz,51.7236,75.3233,10300,AvalonMiner 1246\n".to_vec();
    let row = SiteReader::from_bytes(csv, "bench")
        .unwrap()
        .next_row()
        .unwrap()
        .unwrap();
    c.bench_function("assess_row", |b| {
        let mut portfolio = Portfolio::default();
        b.iter(|| assessor.assess_into(row.clone(), &mut portfolio))
    });
    c.bench_function("startup_load_embedded_data", |b| {
        b.iter(|| Assessor::embedded(Options::default()).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
