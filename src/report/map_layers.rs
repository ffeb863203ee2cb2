//! What the report's map draws, prepared once from the run: the region shapes in the box
//! around the sites and each region's grid intensity. The drawing ([`super::map`]) then works
//! from these layers and the sites' markers alone, and never looks anything up itself
//! (issue 21: layers one way).

use std::collections::HashMap;

use geo::Polygon;

use super::map::{Marker, bounds};
use crate::pipeline::Assessor;

/// One part of a region's boundary on the map.
pub struct RegionShape<'a> {
    /// The region's code.
    pub code: &'a str,
    /// The region's name.
    pub name: &'a str,
    /// One polygon of the region's boundary, in degrees.
    pub polygon: &'a Polygon<f64>,
}

/// The map's layers: the box it shows, the region shapes in drawing order, and the grid
/// intensity of each region drawn.
pub struct MapLayers<'a> {
    /// The box around the sites, padded, in degrees: (min lon, min lat, max lon, max lat).
    pub bounds: [f64; 4],
    /// Countries without subdivisions, then subdivisions, each in the boundary index's order.
    pub shapes: Vec<RegionShape<'a>>,
    /// gCO2e/kWh of each region's own grid mix in the report's year (`None`: no data).
    pub intensity_g_per_kwh: HashMap<&'a str, Option<f64>>,
}

impl<'a> MapLayers<'a> {
    /// The layers around the markers, from the assessor's boundaries and grid data in `year`
    /// (`None`: each region's latest); `None` without any marker.
    pub fn prepare(assessor: &'a Assessor, year: Option<u16>, markers: &[Marker]) -> Option<MapLayers<'a>> {
        let bounds = bounds(markers)?;
        let (min, max) = ([bounds[0], bounds[1]], [bounds[2], bounds[3]]);
        let countries = assessor
            .index
            .parts_in_box(min, max)
            .into_iter()
            .filter_map(|(i, polygon)| {
                let region = assessor.index.region(i);
                let whole = !assessor.subdivisions.has_children(&region.code);
                whole.then_some(RegionShape {
                    code: &region.code,
                    name: &region.name,
                    polygon,
                })
            });
        let subdivisions = assessor
            .subdivisions
            .parts_in_box(min, max)
            .into_iter()
            .map(|(i, polygon)| {
                let region = assessor.subdivisions.region(i);
                RegionShape {
                    code: &region.code,
                    name: &region.name,
                    polygon,
                }
            });
        let shapes: Vec<RegionShape> = countries.chain(subdivisions).collect();
        let mut intensity_g_per_kwh = HashMap::new();
        for shape in &shapes {
            intensity_g_per_kwh.entry(shape.code).or_insert_with(|| {
                // The intensity a site there with no zone gets: the region's published rate
                // where one exists, else its mix x the factors (issue 22).
                let mix = assessor.grid.site_mix(shape.code, year, None, None)?;
                Some(assessor.region_intensity(shape.code, &mix).g_per_kwh)
            });
        }
        Some(MapLayers {
            bounds,
            shapes,
            intensity_g_per_kwh,
        })
    }
}
