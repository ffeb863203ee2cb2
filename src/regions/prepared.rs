//! Fast point-in-polygon for large polygons, in two steps:
//! - a grid of cells over the part's box: a cell that no edge comes near is wholly inside or
//!   wholly outside, which its centre tells once, so a point there needs no edge test;
//! - otherwise, the part's edges grouped by horizontal band, so a test looks at the few edges
//!   in the point's band instead of every edge of a country.
//!
//! Measured when each landed (BENCHMARKS.md's ledger): the bands, 100,000 sites 3.12 -> 1.98 s
//! wall; the grid, 1,000,000 sites, user CPU 5.81 -> 5.37 s.
//!
//! A point that falls on (or within rounding of) an edge is left to geo's exact test, so
//! results on borders are geo's, as before.
//!
//! Why not geo's own: geo 0.33's indexed polygon for this question,
//! `geo::algorithm::indexed::IntervalTreeMultiPolygon` (edges in an interval tree by latitude),
//! took 3.69 ms against 0.92 ms here to locate the 14,674 land points of the criterion bench
//! `locate_land_grid` (4.0 times as long; end to end, 1,000,000 sites took 8-9% more CPU),
//! and its public test is `contains` (the interior only), while the border rule needs
//! `intersects` (the boundary too). geo's `PreparedGeometry` answers through `relate`, a
//! DE-9IM matrix per query, and holds an `Rc`, so it cannot be shared between threads.

use geo::{Intersects, Point, Polygon};

/// Edges per band, on average, that the band count aims at.
const EDGES_PER_BAND: usize = 4;
/// Most bands per part.
const MAX_BANDS: usize = 16384;

/// One edge: x1, y1, x2, y2.
type Edge = [f64; 4];

/// Grid cells per edge of the part.
const CELLS_PER_EDGE: usize = 4;
/// Parts with fewer edges than this have no grid: their bands are already short.
const MIN_EDGES_FOR_CELLS: usize = 64;

/// A polygon part prepared for many point tests: its edges by band, stored band after band in
/// one vector, and, for a large part, a grid of cells over its box.
#[derive(Debug)]
pub struct PreparedPolygon {
    y0: f64,
    band_height: f64,
    /// Band k's edges are `edges[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    edges: Vec<Edge>,
    cells: Option<CellGrid>,
}

/// What a grid cell is known to be: two bits.
const NEAR_AN_EDGE: u8 = 0;
const OUTSIDE: u8 = 1;
const INSIDE: u8 = 2;
/// Cells per byte of a grid's states: four of two bits, so that the grids of all the parts
/// take a quarter of the memory and more of them stay in the cache between sites.
const CELLS_PER_BYTE: usize = 4;
/// A byte of four cells, each outside.
const FOUR_OUTSIDE: u8 = OUTSIDE * 0b0101_0101;

/// A grid over a part's bounding box. Every cell that the box of an edge touches is near an
/// edge; all the points of any other cell are inside the part or all are outside, as its centre
/// is. That holds for the cell a point is put in by rounding, too: a point's cell is worked out
/// by [`CellGrid::index`], which never puts a larger coordinate in a smaller cell, so each point of
/// the segment between the point and its cell's centre is put in the same cell, and an edge
/// crossing that segment would have had its box touch the cell.
#[derive(Debug)]
struct CellGrid {
    x0: f64,
    y0: f64,
    width: f64,
    height: f64,
    nx: usize,
    ny: usize,
    /// Cell `j * nx + i`'s state is in the two bits at [`CellGrid::bits`] of byte
    /// `(j * nx + i) / CELLS_PER_BYTE`.
    states: Vec<u8>,
}

impl CellGrid {
    /// The grid over `bounds` of a part with these edges, its cells near an edge marked, the
    /// others to be filled in (see [`PreparedPolygon::fill`]).
    fn new(edges: &[Edge], [x0, y0, x1, y1]: Edge) -> Option<CellGrid> {
        if edges.len() < MIN_EDGES_FOR_CELLS {
            return None;
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if !(w > 0.0 && h > 0.0) {
            return None;
        }
        // About CELLS_PER_EDGE cells per edge, as square as the box allows.
        let n = (edges.len() * CELLS_PER_EDGE) as f64;
        let nx = ((n * w / h).sqrt().ceil() as usize).clamp(1, edges.len() * CELLS_PER_EDGE);
        let ny = ((n / nx as f64).ceil() as usize).max(1);
        let mut cells = CellGrid {
            x0,
            y0,
            width: w / nx as f64,
            height: h / ny as f64,
            nx,
            ny,
            states: vec![FOUR_OUTSIDE; (nx * ny).div_ceil(CELLS_PER_BYTE)],
        };
        for e in edges {
            let (i0, j0) = cells.index(e[0].min(e[2]), e[1].min(e[3]));
            let (i1, j1) = cells.index(e[0].max(e[2]), e[1].max(e[3]));
            for j in j0..=j1 {
                for i in i0..=i1 {
                    cells.set(j * nx + i, NEAR_AN_EDGE);
                }
            }
        }
        Some(cells)
    }

    /// Where cell `k`'s two bits are in its byte.
    fn bits(k: usize) -> u32 {
        2 * (k % CELLS_PER_BYTE) as u32
    }

    /// The state of cell `k` (`j * nx + i`).
    fn get(&self, k: usize) -> u8 {
        (self.states[k / CELLS_PER_BYTE] >> Self::bits(k)) & 0b11
    }

    /// Set the state of cell `k` (`j * nx + i`).
    fn set(&mut self, k: usize, state: u8) {
        let byte = &mut self.states[k / CELLS_PER_BYTE];
        *byte = (*byte & !(0b11 << Self::bits(k))) | (state << Self::bits(k));
    }

    /// The cell of a point, clamped to the grid.
    fn index(&self, x: f64, y: f64) -> (usize, usize) {
        let i = ((x - self.x0) / self.width).max(0.0) as usize;
        let j = ((y - self.y0) / self.height).max(0.0) as usize;
        (i.min(self.nx - 1), j.min(self.ny - 1))
    }

    /// What is known of the point's cell; none outside the grid.
    fn state(&self, x: f64, y: f64) -> Option<u8> {
        let in_grid = x >= self.x0
            && y >= self.y0
            && x <= self.x0 + self.width * self.nx as f64
            && y <= self.y0 + self.height * self.ny as f64;
        if !in_grid {
            return None;
        }
        let (i, j) = self.index(x, y);
        Some(self.get(j * self.nx + i))
    }
}

impl PreparedPolygon {
    /// Group the edges of every ring of `poly` by the bands their latitudes span.
    pub fn new(poly: &Polygon<f64>) -> PreparedPolygon {
        let edges: Vec<Edge> = std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .flat_map(|ring| ring.lines().map(|l| [l.start.x, l.start.y, l.end.x, l.end.y]))
            .collect();
        // The edges' bounds: min x, min y, max x, max y.
        let bounds = edges.iter().fold(
            [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
            |[x0, y0, x1, y1], e| {
                [
                    x0.min(e[0].min(e[2])),
                    y0.min(e[1].min(e[3])),
                    x1.max(e[0].max(e[2])),
                    y1.max(e[1].max(e[3])),
                ]
            },
        );
        let (lo, hi) = (bounds[1], bounds[3]);
        let n = (edges.len() / EDGES_PER_BAND).clamp(1, MAX_BANDS);
        let band_height = ((hi - lo) / n as f64).max(f64::MIN_POSITIVE);
        let span = |e: &Edge| {
            let (a, b) = (e[1].min(e[3]), e[1].max(e[3]));
            let first = (((a - lo) / band_height) as usize).min(n - 1);
            let last = (((b - lo) / band_height) as usize).min(n - 1);
            first..=last
        };
        let (starts, placed) = buckets(n, &edges, |e| span(e));
        let mut prepared = PreparedPolygon {
            y0: lo,
            band_height,
            starts,
            edges: placed,
            cells: None,
        };
        prepared.cells = CellGrid::new(&edges, bounds).map(|cells| prepared.fill(cells));
        prepared
    }

    /// Learn whether each cell far from every edge is inside, from its centre: along each row
    /// of centres, the band test's crossings, sorted, tell every cell at once.
    fn fill(&self, mut cells: CellGrid) -> CellGrid {
        let mut xs = Vec::new();
        for j in 0..cells.ny {
            let y = cells.y0 + (j as f64 + 0.5) * cells.height;
            xs.clear();
            xs.extend(self.band(y).iter().filter_map(|e| crossing(e, y)));
            xs.sort_unstable_by(f64::total_cmp);
            // The band test counts the crossings to the right of the point (x < crossing).
            let mut passed = 0;
            for i in 0..cells.nx {
                let x = cells.x0 + (i as f64 + 0.5) * cells.width;
                while passed < xs.len() && xs[passed] <= x {
                    passed += 1;
                }
                let k = j * cells.nx + i;
                if cells.get(k) != NEAR_AN_EDGE {
                    cells.set(k, if (xs.len() - passed) % 2 == 1 { INSIDE } else { OUTSIDE });
                }
            }
        }
        cells
    }

    /// Is the point inside the part or on its boundary (geo's `intersects`)?
    pub fn intersects(&self, poly: &Polygon<f64>, x: f64, y: f64) -> bool {
        match self.cells.as_ref().and_then(|c| c.state(x, y)) {
            Some(INSIDE) => true,
            Some(OUTSIDE) => false,
            _ => self.crossings(poly, x, y),
        }
    }

    /// The edges of the band that holds latitude `y` (none outside the part's latitudes).
    fn band(&self, y: f64) -> &[Edge] {
        let k = (y - self.y0) / self.band_height;
        let n = self.starts.len() - 1;
        if k.is_nan() || k < 0.0 || k as usize > n {
            return &[];
        }
        let k = (k as usize).min(n - 1);
        &self.edges[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The band test: count the edges of the point's band that a ray to the right crosses.
    fn crossings(&self, poly: &Polygon<f64>, x: f64, y: f64) -> bool {
        let mut inside = false;
        for e @ &[x1, y1, x2, y2] in self.band(y) {
            // On or within rounding of this edge: let geo decide exactly.
            let cross = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
            let scale = (x2 - x1).abs() + (y2 - y1).abs() + (x - x1).abs() + (y - y1).abs();
            if cross.abs() <= scale * 1e-12 && x >= x1.min(x2) && x <= x1.max(x2) && y >= y1.min(y2) && y <= y1.max(y2)
            {
                return poly.intersects(&Point::new(x, y));
            }
            if crossing(e, y).is_some_and(|c| x < c) {
                inside = !inside;
            }
        }
        inside
    }
}

/// Items grouped into `n` buckets, each item into every bucket `buckets_of` gives, stored
/// bucket after bucket in one vector: bucket k is `items[starts[k]..starts[k + 1]]` of the
/// returned (starts, items). Each bucket keeps the items' order.
pub(super) fn buckets<T: Copy, K: IntoIterator<Item = usize>>(
    n: usize,
    items: &[T],
    buckets_of: impl Fn(&T) -> K,
) -> (Vec<u32>, Vec<T>) {
    // Count each bucket's items, then place them: bucket k ends where bucket k + 1 starts.
    let mut starts = vec![0u32; n + 1];
    for item in items {
        for k in buckets_of(item) {
            starts[k + 1] += 1;
        }
    }
    for k in 0..n {
        starts[k + 1] += starts[k];
    }
    let mut next = starts.clone();
    // Every slot is overwritten below; the first item only fills them until then.
    let Some(&filler) = items.first() else {
        return (starts, Vec::new());
    };
    let mut placed = vec![filler; starts[n] as usize];
    for item in items {
        for k in buckets_of(item) {
            placed[next[k] as usize] = *item;
            next[k] += 1;
        }
    }
    (starts, placed)
}

/// Where an edge crosses latitude `y`, if it does (counting an end at `y` on one side only).
fn crossing(&[x1, y1, x2, y2]: &Edge, y: f64) -> Option<f64> {
    ((y1 > y) != (y2 > y)).then(|| x1 + (y - y1) * (x2 - x1) / (y2 - y1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn prepared_polygons_agree_with_geo_inside_outside_in_holes_and_on_edges() {
        let poly = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        );
        let s = PreparedPolygon::new(&poly);
        for (x, y) in [
            (1.0, 1.0),
            (5.0, 5.0),
            (11.0, 5.0),
            (10.0, 5.0),
            (0.0, 0.0),
            (4.0, 5.0),
            (5.0, 4.0),
            (9.999_999, 9.999_999),
            (-0.000_001, 3.0),
            (3.0, 10.0),
            (3.0, 10.000_001),
        ] {
            assert_eq!(
                s.intersects(&poly, x, y),
                poly.intersects(&Point::new(x, y)),
                "({x}, {y})"
            );
        }
    }

    /// A ring of `n` points on a circle.
    fn circle(cx: f64, cy: f64, r: f64, n: usize) -> geo::LineString<f64> {
        (0..=n)
            .map(|k| {
                let a = std::f64::consts::TAU * (k % n) as f64 / n as f64;
                geo::coord! { x: cx + r * a.cos(), y: cy + r * a.sin() }
            })
            .collect()
    }

    #[test]
    fn grid_cells_answer_most_points_and_agree_with_geo_everywhere() {
        let poly = Polygon::new(circle(0.0, 0.0, 10.0, 200), vec![circle(1.0, 0.0, 3.0, 100)]);
        let s = PreparedPolygon::new(&poly);
        let cells = s.cells.as_ref().expect("a part of 300 edges has a grid");
        let (mut by_cell, mut in_grid) = (0, 0);
        let mut points = Vec::new();
        for i in 0..=220 {
            for j in 0..=220 {
                points.push((-11.0 + i as f64 * 0.1, -11.0 + j as f64 * 0.1));
            }
        }
        // Every vertex, and the middle of every edge: on the boundary.
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for l in ring.lines() {
                points.push((l.start.x, l.start.y));
                points.push(((l.start.x + l.end.x) / 2.0, (l.start.y + l.end.y) / 2.0));
            }
        }
        for &(x, y) in &points {
            assert_eq!(
                s.intersects(&poly, x, y),
                poly.intersects(&Point::new(x, y)),
                "({x}, {y})"
            );
            match cells.state(x, y) {
                Some(INSIDE | OUTSIDE) => (by_cell, in_grid) = (by_cell + 1, in_grid + 1),
                Some(_) => in_grid += 1,
                None => {}
            }
        }
        // Most points of the box are a cell away from the boundary and need no edge test (a
        // part this small has a coarse grid: 1,200 cells for 300 edges, 35 by 35 of 20/35 degrees).
        assert_eq!((cells.nx, cells.ny), (35, 35));
        assert!(by_cell * 2 > in_grid, "{by_cell} of {in_grid}");
        // A point in a cell near an edge is tested against the edges.
        assert_eq!(cells.state(10.0, 0.0), Some(NEAR_AN_EDGE));
        assert_eq!(cells.state(-7.0, 0.0), Some(INSIDE));
        assert_eq!(cells.state(1.0, 0.0), Some(OUTSIDE));
        assert_eq!(cells.state(-11.0, 0.0), None);
    }

    #[test]
    fn only_the_cells_an_edge_touches_are_near_an_edge() {
        // A 10 by 10 square, each side cut into 16 edges: 64 edges, so 256 cells of 0.625
        // degrees, 16 by 16. Every edge lies on the square's sides, in the rim of cells; the 14
        // by 14 cells within it are inside, even those next to the rim.
        let side = |k: usize| k as f64 * 0.625;
        let ring: Vec<(f64, f64)> = (0..16)
            .map(|k| (side(k), 0.0))
            .chain((0..16).map(|k| (10.0, side(k))))
            .chain((0..16).map(|k| (10.0 - side(k), 10.0)))
            .chain((0..16).map(|k| (0.0, 10.0 - side(k))))
            .chain([(0.0, 0.0)])
            .collect();
        let poly = Polygon::new(ring.into(), vec![]);
        let s = PreparedPolygon::new(&poly);
        let cells = s.cells.as_ref().expect("a part of 64 edges has a grid");
        assert_eq!((cells.nx, cells.ny), (16, 16));
        // Four cells a byte (issue 21): 256 cells in 64 bytes.
        assert_eq!(cells.states.len(), 64);
        let count = |state| (0..cells.nx * cells.ny).filter(|&k| cells.get(k) == state).count();
        assert_eq!((count(NEAR_AN_EDGE), count(INSIDE), count(OUTSIDE)), (60, 196, 0));
        assert_eq!(cells.state(0.7, 0.7), Some(INSIDE));
        assert_eq!(cells.state(0.6, 5.0), Some(NEAR_AN_EDGE));
        // Points on the line between the rim and the cells within it, and a hair either side of
        // it and of the square's sides, agree with geo.
        for d in [
            0.0,
            1e-12,
            -1e-12,
            0.625,
            0.625 + 1e-12,
            0.625 - 1e-12,
            9.375,
            10.0 - 1e-12,
            10.0,
        ] {
            for (x, y) in [(d, 5.0), (5.0, d), (d, d)] {
                assert_eq!(
                    s.intersects(&poly, x, y),
                    poly.intersects(&Point::new(x, y)),
                    "({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn prepared_polygons_agree_with_geo_on_the_largest_country_parts_for_a_grid_of_points() {
        let files = crate::grid::GridFiles::embedded();
        let index = super::super::RegionIndex::from_binary(files.countries_bin.unwrap(), "countries").unwrap();
        let mut checked = 0;
        for (_, poly) in index.parts().iter().filter(|(_, p)| p.exterior().0.len() > 2000) {
            let s = PreparedPolygon::new(poly);
            let b = geo::BoundingRect::bounding_rect(poly).unwrap();
            for i in 0..25 {
                for j in 0..25 {
                    let x = b.min().x + b.width() * (i as f64 + 0.5) / 25.0;
                    let y = b.min().y + b.height() * (j as f64 + 0.5) / 25.0;
                    assert_eq!(
                        s.intersects(poly, x, y),
                        poly.intersects(&Point::new(x, y)),
                        "({x}, {y})"
                    );
                    checked += 1;
                }
            }
        }
        // The parts of more than 2,000 points (Russia, Canada, China and others), 625 points each.
        assert!(checked > 4_000, "{checked}");
    }
}
