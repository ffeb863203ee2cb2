//! Boundaries and the spatial index: which region does a point lie in?
//!
//! Polygons are indexed once by bounding box (an R-tree over every polygon part, so a
//! country's far-flung islands do not make its box span the globe, and a one-degree grid of
//! the same boxes for finding a point's candidates) and tested with geo's point-in-polygon
//! (sped up as prepared.rs describes). Semantics, stated exactly:
//! - a point inside or on the boundary of a region's polygon is `inside` that region;
//! - a point on a border shared by several regions goes to the one whose code sorts first,
//!   so the answer never depends on the order of the data;
//! - a point outside every polygon but within [`NEAREST_MAX_KM`] of one (coastal towns on a
//!   coarse coastline) goes to the nearest region, with the distance;
//! - farther out it is outside every region.
//!
//! The same index holds the grid zones, found within a site's country (zones.rs).
//!
//! Longitudes must lie in -180..=180. The boundaries are split at the antimeridian, so
//! Chukotka at -170 and Fiji's eastern islands resolve like any other point; the nearest
//! search also looks across the antimeridian.

use geo::{BoundingRect, Closest, ClosestPoint, Distance, Haversine, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::Error;

mod binary;
mod prepared;
mod zones;

pub use zones::{Zone, country_of};

/// How far from the nearest polygon a point may lie and still be matched to it, km. Natural
/// Earth's 10m coastline, simplified to about 1 km, puts some coastal towns a few hundred
/// metres to a few km offshore; 10 km catches them without reaching across open sea.
pub const NEAREST_MAX_KM: f64 = 10.0;

/// Kilometres per degree of latitude (mean Earth radius 6371.0 km x pi / 180).
const KM_PER_DEGREE: f64 = 111.195;

/// A region with a boundary.
#[derive(Debug, Clone)]
pub struct Region {
    /// ISO code.
    pub code: String,
    /// English name.
    pub name: String,
    /// The country a subdivision or a grid zone belongs to (property `parent`), none for
    /// countries.
    pub parent: Option<String>,
}

/// Where a point lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Located {
    /// Inside (or on the boundary of) the region with this index.
    Inside(usize),
    /// Outside every polygon, this many km from the nearest region's boundary.
    Nearest(usize, f64),
    /// More than [`NEAREST_MAX_KM`] from every region.
    Outside,
}

/// A polygon part's bounding box, with the part's index.
type PartBox = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Region polygons with an R-tree over their parts.
pub struct RegionIndex {
    regions: Vec<Region>,
    /// The `parent` codes that have at least one region.
    parents: rustc_hash::FxHashSet<String>,
    /// Each polygon part and the index of its region.
    parts: Vec<(usize, Polygon<f64>)>,
    /// Each part prepared for point tests, the first time a point falls in its box.
    prepared: Vec<std::sync::OnceLock<prepared::PreparedPolygon>>,
    /// The parts whose box meets each cell of a one-degree grid, to find a point's candidates.
    degree_grid: DegreeGrid,
    tree: RTree<PartBox>,
}

/// The parts whose bounding box meets each one-degree cell of the globe, with their boxes:
/// a point's candidate parts are a lookup away instead of a walk down the R-tree (measured when
/// it landed: 1,000,000 sites, user CPU 5.17-5.27 -> 4.63-4.73 s; BENCHMARKS.md's ledger).
/// It used to learn, per cell and part, whether the part held the whole cell or none of it;
/// that saved about 16 ns a point on land (criterion `locate_land_grid`), too little to see end
/// to end (issue 21), and went.
struct DegreeGrid {
    /// Cell k's parts are `parts[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    parts: Vec<u32>,
    /// Each part's box: min x, min y, max x, max y.
    boxes: Vec<[f64; 4]>,
}

impl DegreeGrid {
    const COLUMNS: usize = 360;
    const ROWS: usize = 180;

    /// The cell of a point; the same function places boxes, so a box holding a point always
    /// lists its part in the point's cell.
    fn cell(lon: f64, lat: f64) -> (usize, usize) {
        let i = ((lon + 180.0).max(0.0) as usize).min(Self::COLUMNS - 1);
        let j = ((lat + 90.0).max(0.0) as usize).min(Self::ROWS - 1);
        (i, j)
    }

    /// The grid of parts with these boxes (none for a part without points).
    fn new(boxes: Vec<Option<[f64; 4]>>) -> DegreeGrid {
        // A part without points holds nothing: it gets a box that no point is in.
        let boxes: Vec<[f64; 4]> = boxes
            .into_iter()
            .map(|b| b.unwrap_or([f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY]))
            .collect();
        let cells = |b: &[f64; 4]| {
            let (i0, j0) = Self::cell(b[0], b[1]);
            let (i1, j1) = Self::cell(b[2], b[3]);
            (j0..=j1).flat_map(move |j| (i0..=i1).map(move |i| j * Self::COLUMNS + i))
        };
        let indices: Vec<u32> = (0..boxes.len() as u32).collect();
        let (starts, parts) = prepared::buckets(Self::COLUMNS * Self::ROWS, &indices, |&p| cells(&boxes[p as usize]));
        DegreeGrid { starts, parts, boxes }
    }

    /// The parts whose box holds the point (edges included), in part order.
    fn parts_at(&self, lon: f64, lat: f64) -> impl Iterator<Item = usize> + '_ {
        let (i, j) = Self::cell(lon, lat);
        let k = j * Self::COLUMNS + i;
        self.parts[self.starts[k] as usize..self.starts[k + 1] as usize]
            .iter()
            .map(|&p| p as usize)
            .filter(move |&p| {
                let b = &self.boxes[p];
                b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3]
            })
    }
}

include!("geojson_types.rs");

fn ring(coords: &[[f64; 2]]) -> geo::LineString<f64> {
    coords.iter().map(|c| geo::coord! { x: c[0], y: c[1] }).collect()
}

impl RegionIndex {
    /// Build the index from a GeoJSON FeatureCollection of MultiPolygons with properties
    /// `region` and `name` (grid-data/countries.geojson).
    pub fn from_geojson(text: &str, file: &str) -> Result<RegionIndex, Error> {
        let fc: FeatureCollection = serde_json::from_str(text).map_err(|e| Error::GridData {
            file: file.into(),
            message: e.to_string(),
        })?;
        let mut features = fc.features;
        features.sort_by(|a, b| a.properties.region.cmp(&b.properties.region));
        let mut regions = Vec::with_capacity(features.len());
        let mut parts = Vec::new();
        for (i, f) in features.into_iter().enumerate() {
            for poly in &f.geometry.coordinates {
                let Some((outer, holes)) = poly.split_first() else {
                    continue;
                };
                parts.push((i, Polygon::new(ring(outer), holes.iter().map(|h| ring(h)).collect())));
            }
            regions.push(Region {
                code: f.properties.region,
                name: f.properties.name,
                parent: f.properties.parent,
            });
        }
        Ok(RegionIndex::from_parts(regions, parts))
    }

    /// Build the index from the binary that build.rs prepared from the same GeoJSON.
    pub fn from_binary(data: &[u8], file: &str) -> Result<RegionIndex, Error> {
        let (regions, parts) = binary::decode(data).ok_or_else(|| Error::GridData {
            file: file.into(),
            message: "the prepared boundary index is incomplete; rebuild hashmix".into(),
        })?;
        Ok(RegionIndex::from_parts(regions, parts))
    }

    fn from_parts(regions: Vec<Region>, mut parts: Vec<(usize, Polygon<f64>)>) -> RegionIndex {
        // Parts in region order, so that a point's candidates come in region order and the
        // first one that holds it is the region whose code sorts first (see `locate_where`).
        if !parts.is_sorted_by_key(|(r, _)| *r) {
            parts.sort_by_key(|(r, _)| *r);
        }
        let boxes: Vec<Option<[f64; 4]>> = parts
            .iter()
            .map(|(_, p)| p.bounding_rect().map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]))
            .collect();
        let entries = boxes
            .iter()
            .enumerate()
            .filter_map(|(k, b)| b.map(|b| GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), k)))
            .collect();
        let parents = regions.iter().filter_map(|r| r.parent.clone()).collect();
        RegionIndex {
            regions,
            parents,
            degree_grid: DegreeGrid::new(boxes),
            prepared: parts.iter().map(|_| std::sync::OnceLock::new()).collect(),
            parts,
            tree: RTree::bulk_load(entries),
        }
    }

    /// Every region, ordered by code.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Every polygon part, with the index of its region.
    pub fn parts(&self) -> &[(usize, Polygon<f64>)] {
        &self.parts
    }

    /// The region with this index (from [`Located`]).
    pub fn region(&self, index: usize) -> &Region {
        &self.regions[index]
    }

    /// Locate a point given in degrees (`lat` -90..=90, `lon` -180..=180).
    pub fn locate(&self, lat: f64, lon: f64) -> Located {
        self.locate_where(lat, lon, |_| true)
    }

    /// Locate a point among the subdivisions of one country only (their `parent`), so that a
    /// subdivision always lies in the country found for the point.
    pub fn locate_within(&self, lat: f64, lon: f64, country: &str) -> Located {
        self.locate_where(lat, lon, |r| r.parent.as_deref() == Some(country))
    }

    /// The polygon parts whose bounding box meets a box of longitudes and latitudes, each
    /// with its region's index, in the index's order (for drawing maps).
    pub fn parts_in_box(&self, min: [f64; 2], max: [f64; 2]) -> Vec<(usize, &Polygon<f64>)> {
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found.into_iter().map(|k| (self.parts[k].0, &self.parts[k].1)).collect()
    }

    /// Does any region have this parent?
    pub fn has_children(&self, country: &str) -> bool {
        self.parents.contains(country)
    }

    fn locate_where(&self, lat: f64, lon: f64, in_scope: impl Fn(&Region) -> bool) -> Located {
        // Candidates come in part order, which is region order (`from_parts`), and regions are
        // ordered by code: the first part that holds the point is the one whose code sorts
        // first, so the rest need no test.
        let inside = self
            .degree_grid
            .parts_at(lon, lat)
            .filter(|&k| in_scope(&self.regions[self.parts[k].0]))
            .find(|&k| {
                let poly = &self.parts[k].1;
                self.prepared[k]
                    .get_or_init(|| prepared::PreparedPolygon::new(poly))
                    .intersects(poly, lon, lat)
            })
            .map(|k| self.parts[k].0);
        if let Some(r) = inside {
            return Located::Inside(r);
        }
        match self.nearest(lat, lon, &in_scope) {
            Some((r, km)) if km <= NEAREST_MAX_KM => Located::Nearest(r, km),
            _ => Located::Outside,
        }
    }

    /// The nearest region within the search radius and its distance in km, looking across
    /// the antimeridian where the radius reaches it.
    fn nearest(&self, lat: f64, lon: f64, in_scope: &impl Fn(&Region) -> bool) -> Option<(usize, f64)> {
        let dlat = NEAREST_MAX_KM / KM_PER_DEGREE;
        let dlon = (dlat / lat.to_radians().cos().max(0.01)).min(180.0);
        let mut shifts = vec![0.0];
        if lon - dlon < -180.0 {
            shifts.push(360.0);
        }
        if lon + dlon > 180.0 {
            shifts.push(-360.0);
        }
        let mut best: Option<(usize, f64)> = None;
        for shift in shifts {
            let q = Point::new(lon + shift, lat);
            let envelope = AABB::from_corners([q.x() - dlon, lat - dlat], [q.x() + dlon, lat + dlat]);
            for e in self.tree.locate_in_envelope_intersecting(&envelope) {
                let (r, poly) = &self.parts[e.data];
                if !in_scope(&self.regions[*r]) || !boundary_near(poly, q, 2.0 * dlon, 2.0 * dlat) {
                    continue;
                }
                let c = match poly.closest_point(&q) {
                    Closest::Intersection(c) | Closest::SinglePoint(c) => c,
                    Closest::Indeterminate => continue,
                };
                let km = Haversine.distance(q, c) / 1000.0;
                let better = match best {
                    None => true,
                    Some((br, bkm)) => km < bkm || (km == bkm && *r < br),
                };
                if better {
                    best = Some((*r, km));
                }
            }
        }
        best
    }
}

/// Does any edge of the polygon have its box within `dlon` and `dlat` degrees of `q`? When
/// none has, with twice the search box's half-widths, every boundary point is more than
/// NEAREST_MAX_KM away, so the polygon cannot be the nearest within that distance and its
/// closest point (an exact search over every edge, most of a nearest search's time for a
/// point far inside a large box, such as Russia's east outside every price zone) need not be
/// computed.
fn boundary_near(poly: &Polygon<f64>, q: Point<f64>, dlon: f64, dlat: f64) -> bool {
    let (x0, x1, y0, y1) = (q.x() - dlon, q.x() + dlon, q.y() - dlat, q.y() + dlat);
    std::iter::once(poly.exterior()).chain(poly.interiors()).any(|ring| {
        ring.lines().any(|l| {
            l.start.x.max(l.end.x) >= x0
                && l.start.x.min(l.end.x) <= x1
                && l.start.y.max(l.end.y) >= y0
                && l.start.y.min(l.end.y) <= y1
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prepared_binary_holds_exactly_the_geojson_boundaries() {
        let files = crate::grid::GridFiles::embedded();
        for (bin, text) in [
            (files.countries_bin.unwrap(), &files.countries),
            (files.subdivisions_bin.unwrap(), &files.subdivisions),
            (files.zones_bin.unwrap(), &files.zones),
        ] {
            let a = RegionIndex::from_binary(bin, "bin").unwrap();
            let b = RegionIndex::from_geojson(text, "geojson").unwrap();
            assert_eq!(a.regions.len(), b.regions.len());
            for (x, y) in a.regions.iter().zip(&b.regions) {
                assert_eq!((&x.code, &x.name, &x.parent), (&y.code, &y.name, &y.parent));
            }
            assert_eq!(a.parts, b.parts);
        }
        assert!(RegionIndex::from_binary(b"HMXR1", "bin").is_err());
    }

    #[test]
    fn the_degree_grid_finds_the_same_candidate_parts_as_the_r_tree() {
        let files = crate::grid::GridFiles::embedded();
        let index = RegionIndex::from_binary(files.countries_bin.unwrap(), "countries").unwrap();
        let mut points = 0;
        let mut found = 0;
        // Every half degree, so that half the points lie on cell borders, and the poles and
        // the antimeridian.
        for j in 0..=360 {
            for i in 0..=720 {
                let (lon, lat) = (-180.0 + i as f64 * 0.5, -90.0 + j as f64 * 0.5);
                let mut grid: Vec<usize> = index.degree_grid.parts_at(lon, lat).collect();
                let mut tree: Vec<usize> = index.tree.locate_all_at_point(&[lon, lat]).map(|e| e.data).collect();
                grid.sort_unstable();
                tree.sort_unstable();
                assert_eq!(grid, tree, "({lon}, {lat})");
                points += 1;
                found += grid.len();
            }
        }
        assert_eq!(points, 361 * 721);
        // Most of the globe's land is inside some part's box; the test is not vacuous.
        assert!(found > points / 2, "{found}");
    }

    #[test]
    fn located_regions_are_the_ones_geo_alone_gives() {
        use geo::Intersects;
        let files = crate::grid::GridFiles::embedded();
        let index = RegionIndex::from_binary(files.countries_bin.unwrap(), "countries").unwrap();
        // Every point's region by geo alone: the first region, by code, of the parts that hold it.
        let by_geo = |lat: f64, lon: f64| {
            index
                .tree
                .locate_all_at_point(&[lon, lat])
                .filter(|e| index.parts[e.data].1.intersects(&Point::new(lon, lat)))
                .map(|e| index.parts[e.data].0)
                .min()
        };
        let inside = |lat: f64, lon: f64| match index.locate(lat, lon) {
            Located::Inside(r) => Some(r),
            _ => None,
        };
        // Central Europe, many borders close together, every half degree (so that half the
        // points lie on degree-cell borders), and a hair to one side of every other point.
        let mut points = Vec::new();
        for j in 0..=20 {
            for i in 0..=40 {
                let (lat, lon) = (45.0 + j as f64 * 0.5, 5.0 + i as f64 * 0.5);
                points.push((lat, lon));
                if i % 2 == 0 {
                    points.push((lat + 1e-9, lon - 1e-9));
                }
            }
        }
        let mut found = 0;
        for &(lat, lon) in &points {
            let want = by_geo(lat, lon);
            assert_eq!(inside(lat, lon), want, "({lat}, {lon})");
            found += usize::from(want.is_some());
        }
        // Nearly every point is on land: the test is not vacuous.
        assert!(found * 10 > points.len() * 9, "{found} of {}", points.len());
    }

    fn square(code: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"region":"{code}","name":"{code} land"}},"geometry":{{"type":"MultiPolygon","coordinates":[[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]]}}}}"#
        )
    }

    fn two_squares() -> RegionIndex {
        // BB is listed first on purpose: the shared-border rule must not depend on order.
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            square("BB", 1.0, 0.0, 2.0, 1.0),
            square("AA", 0.0, 0.0, 1.0, 1.0)
        );
        RegionIndex::from_geojson(&text, "test").unwrap()
    }

    #[test]
    fn a_point_inside_a_square_is_inside_it() {
        let idx = two_squares();
        assert_eq!(idx.locate(0.5, 1.5), Located::Inside(1));
        assert_eq!(idx.region(1).code, "BB");
    }

    #[test]
    fn a_point_on_a_shared_border_goes_to_the_code_that_sorts_first() {
        let idx = two_squares();
        assert_eq!(idx.locate(0.5, 1.0), Located::Inside(0));
        assert_eq!(idx.region(0).code, "AA");
    }

    #[test]
    fn overlapping_parts_given_out_of_order_still_go_to_the_code_that_sorts_first() {
        let region = |code: &str| Region {
            code: code.into(),
            name: code.into(),
            parent: None,
        };
        let square = |x0: f64, x1: f64| geo::Rect::new((x0, 0.0), (x1, 1.0)).to_polygon();
        // BB's part comes first and overlaps AA's on 0.5..1.0.
        let idx = RegionIndex::from_parts(
            vec![region("AA"), region("BB")],
            vec![(1, square(0.5, 2.0)), (0, square(0.0, 1.0))],
        );
        assert_eq!(idx.locate(0.5, 0.75), Located::Inside(0));
        assert_eq!(idx.locate(0.5, 1.5), Located::Inside(1));
        assert_eq!(idx.locate(0.5, 0.25), Located::Inside(0));
    }

    #[test]
    fn a_point_just_offshore_gets_the_nearest_region_with_its_distance() {
        let idx = two_squares();
        // 0.05 degrees of latitude north of AA's edge is 5.56 km.
        match idx.locate(1.05, 0.5) {
            Located::Nearest(0, km) => assert!((km - 5.5597).abs() < 0.01, "{km}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(idx.locate(1.2, 0.5), Located::Outside);
    }

    #[test]
    fn the_nearest_search_looks_across_the_antimeridian() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            square("FJ", -180.0, -17.0, -179.0, -16.0)
        );
        let idx = RegionIndex::from_geojson(&text, "test").unwrap();
        // 179.95 E is 0.05 degrees of longitude from -180 at 16.5 S: about 5.3 km.
        match idx.locate(-16.5, 179.95) {
            Located::Nearest(0, km) => assert!((km - 5.33).abs() < 0.02, "{km}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_polygon_whose_edges_are_all_outside_the_search_box_is_not_near() {
        // The unit square's edges: a point 0.5 degree east of it is near with a box of 0.6
        // degree, not with 0.4; a point in its middle (0.5 from every edge) likewise.
        let square = Polygon::new(
            geo::LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]),
            vec![],
        );
        assert!(boundary_near(&square, Point::new(1.5, 0.5), 0.6, 0.6));
        assert!(!boundary_near(&square, Point::new(1.5, 0.5), 0.4, 0.4));
        assert!(!boundary_near(&square, Point::new(0.5, 0.5), 0.4, 0.4));
        assert!(boundary_near(&square, Point::new(0.5, 0.5), 0.5, 0.1));
    }
}
