// The layout of grid-data's boundary GeoJSON: a FeatureCollection of MultiPolygons with
// properties `region`, `name` and `parent`. Shared by the library and build.rs (which
// `include!`s this file), so both read the boundaries the same way.

#[derive(serde::Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(serde::Deserialize)]
struct Feature {
    properties: Properties,
    geometry: MultiPolygonGeometry,
}

#[derive(serde::Deserialize)]
struct Properties {
    region: String,
    name: String,
    #[serde(default)]
    parent: Option<String>,
}

#[derive(serde::Deserialize)]
struct MultiPolygonGeometry {
    coordinates: Vec<Vec<Vec<[f64; 2]>>>,
}
