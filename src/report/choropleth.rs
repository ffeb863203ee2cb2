//! `hashmix map`: every region (or one country's, or the grid zones) shaded by a figure a site
//! there would get: grid intensity, coal share, low-carbon share or crackdown-risk score, as a
//! self-contained SVG (or an HTML page around it) with a legend, each region's figure and data
//! year on hover (`<title>`), and regions without data of their own hatched.
//!
//! Each region's figure is the one `hashmix compare` gives for it ([`crate::compare::compare`],
//! read through the column table), so the map, compare and assess never disagree.

use std::collections::HashMap;
use std::fmt::Write;

use geo::{BoundingRect, Polygon, Simplify};

use super::map::Projection;
use super::svg::escape;
use crate::compare::compare;
use crate::defaults::DEFAULT_EFFICIENCY_J_PER_TH;
use crate::output::fields::{Cell, SITE_COLUMNS};
use crate::pipeline::Assessor;
use crate::regions::RegionIndex;

/// The figure that shades the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapFigure {
    /// Grid intensity on the run's basis, gCO2e/kWh.
    Intensity,
    /// Coal's share of generation.
    Coal,
    /// Low-carbon (nuclear and renewable) share of generation.
    LowCarbon,
    /// Crackdown-risk score, 0-100.
    Risk,
}

impl MapFigure {
    /// The output field the figure is, in the column table.
    pub fn field(self) -> &'static str {
        match self {
            MapFigure::Intensity => "intensity_g_per_kwh",
            MapFigure::Coal => "coal_share",
            MapFigure::LowCarbon => "low_carbon_share",
            MapFigure::Risk => "risk_score",
        }
    }

    /// What the legend calls it, with its unit.
    pub fn label(self) -> &'static str {
        match self {
            MapFigure::Intensity => "grid intensity, gCO2e/kWh",
            MapFigure::Coal => "coal share of generation, %",
            MapFigure::LowCarbon => "low-carbon share of generation (nuclear and renewables), %",
            MapFigure::Risk => "crackdown-risk score, 0-100",
        }
    }

    /// The class breaks: class k holds values from `breaks[k]` up to (not including)
    /// `breaks[k + 1]`; the last class holds everything from its lower break up. Fixed, so
    /// maps of different years or countries read alike.
    pub fn breaks(self) -> [f64; 9] {
        match self {
            MapFigure::Intensity => [0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0],
            MapFigure::Coal | MapFigure::LowCarbon => [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
            MapFigure::Risk => [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0],
        }
    }

    /// A value as the legend and the hover text write it.
    fn show(self, v: f64) -> String {
        match self {
            MapFigure::Intensity => format!("{v:.0}"),
            MapFigure::Coal | MapFigure::LowCarbon => format!("{:.0}", v * 100.0),
            MapFigure::Risk => format!("{v:.0}"),
        }
    }

    /// The unit after a value in the hover text.
    fn unit(self) -> &'static str {
        match self {
            MapFigure::Intensity => " gCO2e/kWh",
            MapFigure::Coal | MapFigure::LowCarbon => "%",
            MapFigure::Risk => " of 100",
        }
    }
}

/// Viridis (matplotlib's default colour map, van der Walt and Smith 2015, designed to be
/// read by colour-blind readers and in grey print) at nine even steps, light for the lowest
/// class and dark for the highest: more of the figure is always darker.
pub const CLASS_COLOURS: [&str; 9] = [
    "#fde725", "#addc30", "#5ec962", "#28ae80", "#21918c", "#2c728e", "#3b528b", "#472d7b", "#440154",
];
/// Regions without any data.
const NO_DATA: &str = "#ffffff";
/// Map width, px.
const WIDTH: f64 = 1200.0;
/// Most height of the map, px.
const MAX_HEIGHT: f64 = 700.0;

/// Which regions the map draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapScope {
    /// One country (ISO 3166-1 alpha-2), or the world.
    pub country: Option<String>,
    /// The grid zones (eGRID subregions, bidding zones) instead of states and provinces.
    pub zones: bool,
}

/// One region's figure on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionFigure {
    /// The figure, `None` without data.
    pub value: Option<f64>,
    /// The year of the data the figure comes from.
    pub data_year: Option<u64>,
    /// The region whose data the figure comes from, when not the region's own (a parent's
    /// or the world's mix).
    pub borrowed: Option<String>,
    /// Why the region has no figure.
    pub no_data: Option<String>,
}

/// One drawn shape: a region's code and name and one polygon of its boundary.
pub struct Shape<'a> {
    /// Region code.
    pub code: &'a str,
    /// Region name.
    pub name: &'a str,
    /// One polygon of the boundary, degrees.
    pub polygon: &'a Polygon<f64>,
    /// Degrees added to the polygon's longitudes to draw it: 360 for a part of a country
    /// across the antimeridian (the Aleutians, Chukotka) drawn east of the rest, else 0.
    pub shift_lon: f64,
}

/// What the map draws, gathered once from the assessor; the drawing then looks nothing up.
pub struct MapData<'a> {
    /// The shapes, in drawing order: countries without subdivisions (or with, when zones are
    /// drawn or a country has no subdivision), then subdivisions or zones.
    pub shapes: Vec<Shape<'a>>,
    /// Each region's figure, by code.
    pub figures: HashMap<&'a str, RegionFigure>,
    /// The box drawn, degrees: (min lon, min lat, max lon, max lat).
    pub bounds: [f64; 4],
    /// The figure shown.
    pub figure: MapFigure,
}

fn in_scope(code: &str, parent: Option<&str>, country: Option<&str>) -> bool {
    match country {
        None => true,
        Some(c) => code == c || parent == Some(c),
    }
}

/// The figure of one region or zone, as `hashmix compare` gives it.
pub fn region_figure(assessor: &Assessor, code: &str, figure: MapFigure) -> RegionFigure {
    let record = match compare(assessor, code, DEFAULT_EFFICIENCY_J_PER_TH, None) {
        Ok(r) => r,
        Err(e) => {
            return RegionFigure {
                value: None,
                data_year: None,
                borrowed: None,
                no_data: Some(e.to_string()),
            };
        }
    };
    let site = record.site();
    let cell = |name: &str| {
        SITE_COLUMNS
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.json_value(&site))
    };
    let value = match cell(figure.field()) {
        Some(Cell::Number(v)) => v,
        Some(Cell::Integer(v)) => v.map(|n| n as f64),
        _ => None,
    };
    let data_year = match cell("data_year") {
        Some(Cell::Integer(v)) => v,
        _ => None,
    };
    let data_region = match cell("data_region") {
        Some(Cell::Text(Some(d))) => Some(d.to_string()),
        _ => None,
    };
    let region = match cell("region") {
        Some(Cell::Text(Some(r))) => Some(r.to_string()),
        _ => None,
    };
    let is_zone = record.zone.is_some();
    let borrowed = match (data_region, region) {
        // A zone's row has its own published rate; its shares and risk are its country's.
        _ if is_zone && figure != MapFigure::Intensity => Some(format!(
            "a grid zone has a published rate only; {} is its country's",
            figure.field()
        )),
        (Some(d), Some(r)) if d != r => Some(format!("mix of {d}")),
        _ => None,
    };
    let (value, no_data) = if is_zone && figure != MapFigure::Intensity && figure != MapFigure::Risk {
        (None, borrowed.clone())
    } else {
        (value, None)
    };
    RegionFigure {
        value,
        data_year,
        borrowed: if no_data.is_some() { None } else { borrowed },
        no_data,
    }
}

/// Gather the shapes in scope and their figures. `None` when the scope has no shape (an
/// unknown country code).
pub fn gather<'a>(assessor: &'a Assessor, scope: &MapScope, figure: MapFigure) -> Option<MapData<'a>> {
    let country = scope.country.as_deref();
    let mut shapes = Vec::new();
    let mut push = |index: &'a RegionIndex, keep: &dyn Fn(&crate::regions::Region) -> bool| {
        for (i, polygon) in index.parts() {
            let region = index.region(*i);
            if keep(region) {
                shapes.push(Shape {
                    code: &region.code,
                    name: &region.name,
                    polygon,
                    shift_lon: 0.0,
                });
            }
        }
    };
    let detail = if scope.zones {
        &assessor.zones
    } else {
        &assessor.subdivisions
    };
    // A country is drawn whole where the detail layer has nothing of it: under the zones,
    // a country without zones; else a country without subdivisions.
    push(&assessor.index, &|r| {
        in_scope(&r.code, r.parent.as_deref(), country) && !detail.has_children(&r.code)
    });
    push(detail, &|r| in_scope(&r.code, r.parent.as_deref(), country));
    if shapes.is_empty() {
        return None;
    }
    let mut figures = HashMap::new();
    for shape in &shapes {
        figures
            .entry(shape.code)
            .or_insert_with(|| region_figure(assessor, shape.code, figure));
    }
    let bounds = match country {
        None => [-180.0, -58.0, 180.0, 84.0],
        Some(_) => {
            keep_together(&mut shapes);
            box_of(&shapes)
        }
    };
    Some(MapData {
        shapes,
        figures,
        bounds,
        figure,
    })
}

/// Shift the parts of a country that lie across the antimeridian from the rest, so that the
/// country is drawn in one piece: the parts' middle longitudes are sorted, and where the
/// widest gap between neighbours is not the one across 180 degrees, the parts west of that gap
/// are drawn 360 degrees east (the US's Aleutians beside Alaska, not at the far left).
fn keep_together(shapes: &mut [Shape]) {
    let middle = |s: &Shape| s.polygon.bounding_rect().map_or(0.0, |r| (r.min().x + r.max().x) / 2.0);
    let mut lons: Vec<f64> = shapes.iter().map(middle).collect();
    lons.sort_by(f64::total_cmp);
    let (Some(first), Some(last)) = (lons.first().copied(), lons.last().copied()) else {
        return;
    };
    // The gap across the antimeridian, and the widest gap inside -180..180.
    let across = first + 360.0 - last;
    let widest = lons
        .windows(2)
        .map(|w| (w[1] - w[0], w[1]))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((gap, start)) = widest
        && gap > across
    {
        for shape in shapes.iter_mut() {
            if middle(shape) < start {
                shape.shift_lon = 360.0;
            }
        }
    }
}

/// The box around the shapes (as drawn, shifted), padded by 2% of its size, in degrees.
fn box_of(shapes: &[Shape]) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for s in shapes {
        if let Some(r) = s.polygon.bounding_rect() {
            b = [
                b[0].min(r.min().x + s.shift_lon),
                b[1].min(r.min().y),
                b[2].max(r.max().x + s.shift_lon),
                b[3].max(r.max().y),
            ];
        }
    }
    let pad_x = (b[2] - b[0]) * 0.02;
    let pad_y = (b[3] - b[1]) * 0.02;
    [
        b[0] - pad_x,
        (b[1] - pad_y).max(-85.0),
        b[2] + pad_x,
        (b[3] + pad_y).min(85.0),
    ]
}

/// The class of a value: the index of the highest break it reaches.
pub fn class_of(figure: MapFigure, v: f64) -> usize {
    figure.breaks().iter().rposition(|b| v >= *b).unwrap_or(0)
}

fn path(p: &Projection, poly: &Polygon<f64>, shift_lon: f64) -> String {
    let mut d = String::new();
    for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
        let mut last = None;
        for c in ring.coords() {
            let (x, y) = p.xy(c.x + shift_lon, c.y);
            let point = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
            if last == Some(point) {
                continue;
            }
            let _ = write!(d, "{}{x:.1} {y:.1}", if last.is_none() { "M" } else { "L" });
            last = Some(point);
        }
        d.push('Z');
    }
    d
}

/// The lines printed above the map: the title, then what the figures are of.
pub struct Heading<'a> {
    /// The map's title.
    pub title: &'a str,
    /// The lines under it: version, data year and as-of date; the factors and basis.
    pub subtitle: &'a [String],
}

/// The map as an SVG document.
pub fn svg(data: &MapData, heading: &Heading) -> String {
    let p = Projection::fit(data.bounds, WIDTH, MAX_HEIGHT);
    let (w, h) = p.xy(data.bounds[2], data.bounds[1]);
    let (w, h) = (w.max(360.0), h);
    let top = 30.0 + 18.0 * heading.subtitle.len() as f64 + 6.0;
    let legend_h = 74.0;
    let total_h = top + h + legend_h;
    let degrees_per_px = 1.0 / (p.k * p.cos);
    let figure = data.figure;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {total_h:.0}" width="{w:.0}" height="{total_h:.0}" role="img" font-family="sans-serif" font-size="12"><title>{}</title><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="1.2"/></pattern><clipPath id="map-area"><rect width="{w:.0}" height="{h:.0}"/></clipPath></defs><rect width="{w:.0}" height="{total_h:.0}" fill="#fff"/><text x="6" y="20" font-size="17" font-weight="bold">{}</text>{}<rect y="{top}" width="{w:.0}" height="{h:.0}" fill="#e8eef3"/><g clip-path="url(#map-area)" transform="translate(0 {top})">"##,
        escape(heading.title),
        escape(heading.title),
        heading
            .subtitle
            .iter()
            .enumerate()
            .map(|(i, line)| format!(
                r##"<text x="6" y="{}" fill="#333">{}</text>"##,
                40.0 + 18.0 * i as f64,
                escape(line)
            ))
            .collect::<String>(),
    );
    // One path per region, its parts as subpaths, in the order the regions first come.
    let mut order: Vec<(&str, &str)> = Vec::new();
    let mut paths: HashMap<&str, String> = HashMap::new();
    for shape in &data.shapes {
        let simple = shape.polygon.simplify(degrees_per_px);
        let Some(r) = simple.bounding_rect() else { continue };
        if (r.max().x - r.min().x) < degrees_per_px && (r.max().y - r.min().y) < degrees_per_px {
            continue;
        }
        let d = paths.entry(shape.code).or_insert_with(|| {
            order.push((shape.code, shape.name));
            String::new()
        });
        d.push_str(&path(&p, &simple, shape.shift_lon));
    }
    for (code, name) in order {
        let (Some(f), Some(d)) = (data.figures.get(code), paths.get(code)) else {
            continue;
        };
        let fill = f.value.map(|v| CLASS_COLOURS[class_of(figure, v)]).unwrap_or(NO_DATA);
        let value_text = match (f.value, &f.no_data) {
            (Some(v), _) => format!("{}{}", figure.show(v), figure.unit()),
            (None, Some(why)) => format!("no data ({why})"),
            (None, None) => "no data".to_string(),
        };
        let year = f.data_year.map(|y| format!(", data {y}")).unwrap_or_default();
        let own = match &f.borrowed {
            Some(why) => format!(" (not its own data: {why})"),
            None => String::new(),
        };
        let _ = write!(
            s,
            r##"<path d="{d}" fill="{fill}" stroke="#666" stroke-width="0.3" fill-rule="evenodd"><title>{} ({code}): {}{year}{}</title></path>"##,
            escape(name),
            escape(&value_text),
            escape(&own),
        );
        if f.borrowed.is_some() || f.value.is_none() {
            let _ = write!(
                s,
                r##"<path d="{d}" fill="url(#hatch)" fill-rule="evenodd" pointer-events="none"/>"##
            );
        }
    }
    s.push_str("</g>");
    legend(&mut s, figure, top + h + 10.0, w);
    s.push_str("</svg>");
    s
}

/// The legend under the map: one box per class with its range, then the hatch and no-data keys.
fn legend(s: &mut String, figure: MapFigure, y: f64, width: f64) {
    let _ = write!(s, r#"<text x="6" y="{}">{}</text>"#, y + 10.0, escape(figure.label()));
    let breaks = figure.breaks();
    // Nine boxes and the two keys in the width: at least 360 px wide.
    let step = ((width - 12.0) / 11.0).min(90.0);
    let yb = y + 18.0;
    for (k, colour) in CLASS_COLOURS.iter().enumerate() {
        let x = 6.0 + k as f64 * step;
        let text = match breaks.get(k + 1) {
            Some(next) => format!("{}-{}", figure.show(breaks[k]), figure.show(*next)),
            None => format!("{}+", figure.show(breaks[k])),
        };
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{yb}" width="{:.1}" height="14" fill="{colour}" stroke="#666" stroke-width="0.4"/><text x="{x:.1}" y="{}" font-size="11">{text}</text>"##,
            step - 2.0,
            yb + 28.0
        );
    }
    let x = 6.0 + 9.0 * step + 6.0;
    let _ = write!(
        s,
        r##"<rect x="{x:.1}" y="{yb}" width="{w:.1}" height="14" fill="#bbb" stroke="#666" stroke-width="0.4"/><rect x="{x:.1}" y="{yb}" width="{w:.1}" height="14" fill="url(#hatch)"/><text x="{x:.1}" y="{}" font-size="11">not its own data</text><rect x="{x2:.1}" y="{yb}" width="{w:.1}" height="14" fill="{NO_DATA}" stroke="#666" stroke-width="0.4"/><rect x="{x2:.1}" y="{yb}" width="{w:.1}" height="14" fill="url(#hatch)"/><text x="{x2:.1}" y="{}" font-size="11">no data</text>"##,
        yb + 28.0,
        yb + 28.0,
        w = (step - 8.0).max(20.0),
        x2 = x + step,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_start_at_their_lower_break() {
        assert_eq!(class_of(MapFigure::Intensity, 0.0), 0);
        assert_eq!(class_of(MapFigure::Intensity, 99.9), 0);
        assert_eq!(class_of(MapFigure::Intensity, 100.0), 1);
        assert_eq!(class_of(MapFigure::Intensity, 1200.0), 8);
        assert_eq!(class_of(MapFigure::Coal, 0.653), 6);
        assert_eq!(class_of(MapFigure::LowCarbon, 1.0), 8);
        assert_eq!(class_of(MapFigure::Risk, 61.0), 6);
    }
}
