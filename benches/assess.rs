//! Criterion benchmarks: locating one point in the embedded country polygons, locating a grid
//! of points on land (point-in-polygon on real boundaries), one whole row
//! through validate -> locate -> look up -> compute, with and without Monte Carlo draws, and
//! the draws themselves.

use criterion::{Criterion, criterion_group, criterion_main};
use hashmix::assess::Portfolio;
use hashmix::grid::GridFiles;
use hashmix::grid::factors::{FactorChoice, Factors};
use hashmix::pipeline::Assessor;
use hashmix::regions::Located;
use hashmix::settings::Options;
use hashmix::sites::SiteReader;
use hashmix::uncertainty::{Config, DEFAULT_DRAWS, FactorModel, MonteCarlo};

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
    // Point-in-polygon on real boundaries: the points of a one-degree grid (offset so that none
    // lies on a cell border) that fall inside a country (14,674 of them), located one after another.
    let land: Vec<(f64, f64)> = (0..130)
        .flat_map(|j| (0..360).map(move |i| (-55.63 + j as f64, -179.63 + i as f64)))
        .filter(|&(lat, lon)| matches!(assessor.index.locate(lat, lon), Located::Inside(_)))
        .collect();
    c.bench_function("locate_land_grid", |b| {
        b.iter(|| {
            land.iter()
                .filter(|&&(lat, lon)| matches!(assessor.index.locate(lat, lon), Located::Inside(_)))
                .count()
        })
    });
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
    // The same row with 1,000 draws: after the first row its class of draws is known, so a
    // site costs a lookup and three scalings, whatever the number of draws.
    let drawing = Assessor::embedded(Options {
        draws: DEFAULT_DRAWS,
        seed: 1,
        ..Options::default()
    })
    .expect("embedded data loads");
    c.bench_function("assess_row_1000_draws", |b| {
        let mut portfolio = Portfolio::default();
        b.iter(|| drawing.assess_into(row.clone(), &mut portfolio))
    });
    let files = GridFiles::embedded();
    let config = Config::parse(&files.uncertainty).unwrap();
    let lifecycle = Factors::load(&FactorChoice::Ipcc, hashmix::grid::published::Basis::Lifecycle, &files).unwrap();
    let factors = FactorModel::of(&lifecycle, &config).unwrap();
    c.bench_function("sample_1000_draws", |b| {
        b.iter(|| MonteCarlo::new(DEFAULT_DRAWS, 1, config.clone(), factors.clone(), 2025, "bench"))
    });
    c.bench_function("portfolio_intervals_1000_draws", |b| {
        let mut portfolio = Portfolio::default();
        drawing.assess_into(row.clone(), &mut portfolio);
        b.iter(|| hashmix::output::PortfolioRecord::of(&drawing, &portfolio))
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
