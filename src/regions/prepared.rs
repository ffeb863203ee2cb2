//! Fast point-in-polygon for large polygons: a part's edges grouped by horizontal band, so a
//! test looks at the few edges in the point's band instead of every edge of a country.
//! A point that falls on (or within rounding of) an edge is left to geo's exact test, so
//! results on borders are geo's, as before.

use geo::{Intersects, Point, Polygon};

/// Edges per band, on average, that the band count aims at.
const EDGES_PER_BAND: usize = 4;
/// Most bands per part.
const MAX_BANDS: usize = 16384;

/// One edge: x1, y1, x2, y2.
type Edge = [f64; 4];

/// A polygon part's edges by band, stored band after band in one vector.
#[derive(Debug)]
pub struct Strips {
    y0: f64,
    band_height: f64,
    /// Band k's edges are `edges[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    edges: Vec<Edge>,
}

impl Strips {
    /// Group the edges of every ring of `poly` by the bands their latitudes span.
    pub fn new(poly: &Polygon<f64>) -> Strips {
        let edges: Vec<Edge> = std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .flat_map(|ring| ring.lines().map(|l| [l.start.x, l.start.y, l.end.x, l.end.y]))
            .collect();
        let (lo, hi) = edges.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
            (lo.min(e[1].min(e[3])), hi.max(e[1].max(e[3])))
        });
        let n = (edges.len() / EDGES_PER_BAND).clamp(1, MAX_BANDS);
        let band_height = ((hi - lo) / n as f64).max(f64::MIN_POSITIVE);
        let span = |e: &Edge| {
            let (a, b) = (e[1].min(e[3]), e[1].max(e[3]));
            let first = (((a - lo) / band_height) as usize).min(n - 1);
            let last = (((b - lo) / band_height) as usize).min(n - 1);
            first..=last
        };
        // Count each band's edges, then place them: band k ends where band k + 1 starts.
        let mut starts = vec![0u32; n + 1];
        for e in &edges {
            for k in span(e) {
                starts[k + 1] += 1;
            }
        }
        for k in 0..n {
            starts[k + 1] += starts[k];
        }
        let mut next = starts.clone();
        let mut placed = vec![[0.0; 4]; starts[n] as usize];
        for e in &edges {
            for k in span(e) {
                placed[next[k] as usize] = *e;
                next[k] += 1;
            }
        }
        Strips {
            y0: lo,
            band_height,
            starts,
            edges: placed,
        }
    }

    /// Is the point inside the part or on its boundary (geo's `intersects`)?
    pub fn contains(&self, poly: &Polygon<f64>, x: f64, y: f64) -> bool {
        let k = (y - self.y0) / self.band_height;
        let n = self.starts.len() - 1;
        if k.is_nan() || k < 0.0 || k as usize > n {
            return false;
        }
        let k = (k as usize).min(n - 1);
        let band = &self.edges[self.starts[k] as usize..self.starts[k + 1] as usize];
        let mut inside = false;
        for &[x1, y1, x2, y2] in band {
            // On or within rounding of this edge: let geo decide exactly.
            let cross = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
            let scale = (x2 - x1).abs() + (y2 - y1).abs() + (x - x1).abs() + (y - y1).abs();
            if cross.abs() <= scale * 1e-12 && x >= x1.min(x2) && x <= x1.max(x2) && y >= y1.min(y2) && y <= y1.max(y2)
            {
                return poly.intersects(&Point::new(x, y));
            }
            if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
                inside = !inside;
            }
        }
        inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn strips_agree_with_geo_inside_outside_in_holes_and_on_edges() {
        let poly = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        );
        let s = Strips::new(&poly);
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
                s.contains(&poly, x, y),
                poly.intersects(&Point::new(x, y)),
                "({x}, {y})"
            );
        }
    }

    #[test]
    fn strips_agree_with_geo_on_every_country_for_a_grid_of_points() {
        let files = crate::grid::GridFiles::embedded();
        let index = super::super::RegionIndex::from_binary(files.countries_bin.unwrap(), "countries").unwrap();
        let mut checked = 0;
        for (_, poly) in index.parts().iter().filter(|(_, p)| p.exterior().0.len() > 2000) {
            let s = Strips::new(poly);
            let b = geo::BoundingRect::bounding_rect(poly).unwrap();
            for i in 0..40 {
                for j in 0..40 {
                    let x = b.min().x + b.width() * (i as f64 + 0.5) / 40.0;
                    let y = b.min().y + b.height() * (j as f64 + 0.5) / 40.0;
                    assert_eq!(s.contains(poly, x, y), poly.intersects(&Point::new(x, y)), "({x}, {y})");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}
