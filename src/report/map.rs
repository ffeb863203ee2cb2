//! The report's map: region polygons around the sites shaded by the intensity of their grid
//! mix, and the sites as markers coloured by risk level, zoomed to the sites, with a legend.
//! Polygons are simplified to about one pixel, so the SVG stays small at any zoom.

use std::fmt::Write;

use geo::{BoundingRect, Polygon, Simplify};

use super::map_layers::MapLayers;
use super::svg::{RISK_NAMES, escape, risk_marker};

/// ColorBrewer "Oranges" (9 classes): one step per 100 gCO2e/kWh, the last for 800 and more.
pub const INTENSITY_COLOURS: [&str; 9] = [
    "#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#a63603", "#7f2704",
];
/// Regions without data.
const NO_DATA: &str = "#d9d9d9";
/// Width of the map, px.
const WIDTH: f64 = 720.0;
/// Most height of the map, px.
const MAX_HEIGHT: f64 = 460.0;

/// The colour of an intensity.
pub fn intensity_colour(g_per_kwh: f64) -> &'static str {
    INTENSITY_COLOURS[((g_per_kwh / 100.0).floor().max(0.0) as usize).min(8)]
}

/// A site on the map.
pub struct Marker<'a> {
    /// Label.
    pub label: &'a str,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Risk level index (0 low .. 3 severe).
    pub level: usize,
}

/// The box around the sites, padded, in degrees: (min lon, min lat, max lon, max lat).
pub fn bounds(markers: &[Marker]) -> Option<[f64; 4]> {
    let first = markers.first()?;
    let mut b = [first.lon, first.lat, first.lon, first.lat];
    for m in markers {
        b = [b[0].min(m.lon), b[1].min(m.lat), b[2].max(m.lon), b[3].max(m.lat)];
    }
    let pad_lon = ((b[2] - b[0]) * 0.1).max(3.0);
    let pad_lat = ((b[3] - b[1]) * 0.25).max(3.0);
    Some([
        (b[0] - pad_lon).max(-180.0),
        (b[1] - pad_lat).max(-85.0),
        (b[2] + pad_lon).min(180.0),
        (b[3] + pad_lat).min(85.0),
    ])
}

/// Width of the map's legend, px: the map's SVG is never narrower.
const LEGEND_WIDTH: f64 = 640.0;

/// Equirectangular projection of a box onto at most a width x height in px, with longitudes
/// scaled by the cosine of the middle latitude (the report's map and `hashmix map`).
pub(super) struct Projection {
    b: [f64; 4],
    /// Cosine of the middle latitude.
    pub(super) cos: f64,
    /// Pixels per degree of latitude.
    pub(super) k: f64,
}

impl Projection {
    fn new(b: [f64; 4]) -> Projection {
        Projection::fit(b, WIDTH, MAX_HEIGHT)
    }

    /// The box `b` (min lon, min lat, max lon, max lat) fitted into `width` x `max_height` px.
    pub(super) fn fit(b: [f64; 4], width: f64, max_height: f64) -> Projection {
        let cos = ((b[1] + b[3]) / 2.0).to_radians().cos().max(0.2);
        let k = (width / ((b[2] - b[0]) * cos)).min(max_height / (b[3] - b[1]));
        Projection { b, cos, k }
    }

    /// A point's position in px.
    pub(super) fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.b[0]) * self.cos * self.k, (self.b[3] - lat) * self.k)
    }

    fn size(&self) -> (f64, f64) {
        self.xy(self.b[2], self.b[1])
    }
}

fn path(p: &Projection, poly: &Polygon<f64>) -> String {
    let mut d = String::new();
    for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
        for (i, c) in ring.coords().enumerate() {
            let (x, y) = p.xy(c.x, c.y);
            let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
    }
    d
}

/// The map as SVG: the prepared layers shaded by intensity, the sites marked by risk level.
pub fn map(layers: &MapLayers, markers: &[Marker]) -> String {
    let p = Projection::new(layers.bounds);
    let (w, h) = p.size();
    let degrees_per_px = 1.0 / (p.k * p.cos);
    // A tall, narrow map (a fleet in one long country) still leaves the legend its width.
    let total = w.max(LEGEND_WIDTH);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total:.0} {:.0}" width="{total:.0}" height="{:.0}" role="img" font-family="sans-serif" font-size="11"><title>Sites on a map of grid intensity</title><clipPath id="map-area"><rect width="{w:.0}" height="{h:.0}"/></clipPath><rect width="{w:.0}" height="{h:.0}" fill="#eef4f8"/><g clip-path="url(#map-area)">"##,
        h + 70.0,
        h + 70.0
    );
    for shape in &layers.shapes {
        let simple = shape.polygon.simplify(degrees_per_px);
        let Some(r) = simple.bounding_rect() else { continue };
        if (r.max().x - r.min().x) < degrees_per_px && (r.max().y - r.min().y) < degrees_per_px {
            continue;
        }
        let value = layers.intensity_g_per_kwh.get(shape.code).copied().flatten();
        let fill = value.map(intensity_colour).unwrap_or(NO_DATA);
        let tip = value
            .map(|v| format!("{v:.0} gCO2e/kWh"))
            .unwrap_or_else(|| "no data".into());
        let _ = write!(
            s,
            r##"<path d="{}" fill="{fill}" stroke="#888" stroke-width="0.4" fill-rule="evenodd"><title>{} ({}): {tip}</title></path>"##,
            path(&p, &simple),
            escape(shape.name),
            shape.code
        );
    }
    s.push_str("</g>");
    for m in markers {
        let (x, y) = p.xy(m.lon, m.lat);
        s.push_str(&risk_marker(m.level, x, y, 5.0, m.label));
    }
    let y = h + 12.0;
    let _ = write!(s, r#"<text x="4" y="{}">grid intensity, gCO2e/kWh:</text>"#, y + 9.0);
    for (k, colour) in INTENSITY_COLOURS.iter().enumerate() {
        let x = 175.0 + k as f64 * 42.0;
        let text = if k == 8 {
            "800+".to_string()
        } else {
            format!("{}", k * 100)
        };
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="40" height="10" fill="{colour}" stroke="#888" stroke-width="0.4"/><text x="{x}" y="{}">{text}</text>"##,
            y + 22.0
        );
    }
    let _ = write!(
        s,
        r##"<rect x="560" y="{y}" width="20" height="10" fill="{NO_DATA}"/><text x="584" y="{}">no data</text>"##,
        y + 9.0
    );
    let y = h + 48.0;
    let _ = write!(s, r#"<text x="4" y="{}">sites by risk level:</text>"#, y + 4.0);
    for (k, name) in RISK_NAMES.iter().enumerate() {
        let x = 175.0 + k as f64 * 80.0;
        s.push_str(&risk_marker(k, x, y, 5.0, name));
        let _ = write!(s, r#"<text x="{}" y="{}">{name}</text>"#, x + 9.0, y + 4.0);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intensities_fall_in_steps_of_100() {
        assert_eq!(intensity_colour(0.0), "#fff5eb");
        assert_eq!(intensity_colour(650.5), "#d94801");
        assert_eq!(intensity_colour(2000.0), "#7f2704");
    }

    #[test]
    fn the_box_is_padded_and_kept_on_the_globe() {
        let m = |lat, lon| Marker {
            label: "",
            lat,
            lon,
            level: 0,
        };
        // One site: 3 degrees around it.
        assert_eq!(bounds(&[m(51.0, 75.0)]), Some([72.0, 48.0, 78.0, 54.0]));
        // Sites 100 degrees of longitude and 20 of latitude apart: padded by 10 and 5, clamped at 180.
        assert_eq!(bounds(&[m(0.0, 75.0), m(20.0, 175.0)]), Some([65.0, -5.0, 180.0, 25.0]));
        assert_eq!(bounds(&[]), None);
    }

    #[test]
    fn a_map_of_one_kazakh_site_shades_kazakhstan_and_marks_the_site() {
        // Pinned to the IPCC lifecycle factors its value was checked with (issue 22 changed
        // the default).
        let a = crate::pipeline::Assessor::embedded(crate::pipeline::Options {
            factors: Some(crate::grid::factors::FactorChoice::Ipcc),
            basis: Some(crate::grid::published::Basis::Lifecycle),
            ..Default::default()
        })
        .unwrap();
        let markers = [Marker {
            label: "Ekibastuz",
            lat: 51.7236,
            lon: 75.3233,
            level: 2,
        }];
        let layers = MapLayers::prepare(&a, Some(2023), &markers).unwrap();
        let svg = map(&layers, &markers);
        // Pavlodar region (KZ-55) has a mix modelled from its plants (issue 23), coal units
        // only: 820 g/kWh, the IPCC lifecycle median for coal, 800+.
        assert!(svg.contains(r##"fill="#7f2704" stroke="#888" stroke-width="0.4" fill-rule="evenodd"><title>Pavlodar (KZ-55): 820 gCO2e/kWh</title>"##), "{svg:.2000}");
        assert!(svg.contains("<title>Ekibastuz</title>"));
        assert!(svg.len() < 400_000, "{}", svg.len());
    }

    // Issue 22: the map shades a region by the intensity a site there gets, the published rate
    // where one exists (MEE's 156.4 g/kWh for Sichuan, 2023), not its mix x the factors (167.5
    // on the lifecycle basis, 135.0 direct).
    #[test]
    fn the_map_shades_a_province_by_its_published_rate() {
        let a = crate::pipeline::Assessor::embedded(crate::pipeline::Options::default()).unwrap();
        let markers = [Marker {
            label: "Leshan",
            lat: 29.5521,
            lon: 103.7656,
            level: 3,
        }];
        let layers = MapLayers::prepare(&a, Some(2023), &markers).unwrap();
        assert_eq!(layers.intensity_g_per_kwh["CN-SC"], Some(156.4));
        let svg = map(&layers, &markers);
        assert!(
            svg.contains("<title>Sichuan (CN-SC): 156 gCO2e/kWh</title>"),
            "{svg:.2000}"
        );
    }
}
