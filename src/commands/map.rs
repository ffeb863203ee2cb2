//! `hashmix map`: every region shaded by a figure, as SVG or a self-contained HTML page.

use std::io::Write;

use crate::Error;
use crate::cli::{MapArgs, MapBy};
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output};
use crate::report::choropleth::{CLASS_COLOURS, Heading, MapData, MapFigure, MapScope, gather, svg};
use crate::report::svg::escape;
use crate::settings::{self, output_file};

/// Run `hashmix map`.
pub fn run(args: &MapArgs) -> Result<Outcome, Error> {
    let figure = match args.by {
        MapBy::Intensity => MapFigure::Intensity,
        MapBy::Coal => MapFigure::Coal,
        MapBy::LowCarbon => MapFigure::LowCarbon,
        MapBy::Risk => MapFigure::Risk,
    };
    let html = match output_file(&args.output)
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
    {
        None => false,
        Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => true,
        Some(e) if e.eq_ignore_ascii_case("svg") => false,
        Some(e) => {
            return Err(Error::Usage(format!(
                "-o: .{e} is not a map format; expected a file ending in .html or .svg"
            )));
        }
    };
    let mut options = settings::model_options(&args.model)?;
    // Each region's figure is its headline; no interval is drawn.
    options.draws = 0;
    let inputs = Inputs::default().options(&options);
    let mut out = Output::open(&args.output, &inputs)?;
    let assessor = settings::assessor(options)?;
    let country = args.country.as_ref().map(|c| c.trim().to_uppercase());
    let scope = MapScope {
        country: country.clone(),
        zones: args.zones,
    };
    let data = gather(&assessor, &scope, figure).ok_or_else(|| {
        Error::Usage(format!(
            "--country {}: no region of that code has a boundary (see `hashmix regions --level 0`)",
            country.as_deref().unwrap_or_default()
        ))
    })?;
    let place = match &country {
        Some(c) => assessor
            .index
            .regions()
            .iter()
            .find(|r| &r.code == c)
            .map_or(c.clone(), |r| r.name.clone()),
        None => "the world".to_string(),
    };
    let layer = if args.zones { "grid zones" } else { "regions" };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("{}: {layer} of {place}", capitalised(figure.label())));
    let year = match (args.model.year, args.model.month) {
        (Some(y), Some(m)) => format!("data of {y}-{m:02} where monthly, else {y}"),
        (Some(y), None) => format!("data of {y} (or a region's nearest earlier year)"),
        (None, _) => "each region's newest data".to_string(),
    };
    let subtitle = [
        format!(
            "hashmix {} · {year} · risk as of {}",
            env!("CARGO_PKG_VERSION"),
            assessor.as_of
        ),
        format!("intensity: {}", assessor.intensity_text()),
    ];
    let heading = Heading {
        title: &title,
        subtitle: &subtitle,
    };
    let drawing = svg(&data, &heading);
    if html {
        write_page(&mut out, &drawing, &heading, &data)?;
    } else {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, "{drawing}")?;
    }
    out.commit()?;
    Ok(Outcome::AllOk)
}

fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The page: the map, what it shows, and every region's figure in a table (for reading
/// aloud, searching and print).
fn write_page(out: &mut Output, drawing: &str, heading: &Heading, data: &MapData) -> Result<(), Error> {
    let figure = data.figure;
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{}</title>
<style>
body {{ font-family: sans-serif; margin: 16px; color: #222; max-width: 1240px; }}
svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 12px; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
thead {{ display: table-header-group; }}
@media print {{ body {{ margin: 0; }} details {{ display: block; }} }}
@page {{ size: A4 landscape; margin: 12mm; }}
</style></head><body>
{drawing}
<p>{} Hover a region for its figure and data year. Each region's figure is the one <code>hashmix compare</code> gives it: its own data where it has them; a
hatched region shows the figure of the region whose data it uses (its country's, or the world's), and a white
hatched region has no data. Classes are fixed ({}), so maps of different years or countries read alike. Colours:
viridis, readable by colour-blind readers and in grey print.</p>
<details><summary>Every region's figure ({} regions)</summary>
<table><thead><tr><th>code</th><th>region</th><th>{}</th><th>data year</th><th>data</th></tr></thead><tbody>
"#,
        escape(heading.title),
        heading
            .subtitle
            .iter()
            .map(|l| format!("{}.", escape(l)))
            .collect::<Vec<_>>()
            .join(" "),
        classes_text(figure),
        distinct_regions(data).len(),
        escape(figure.label()),
    )?;
    for (code, name) in distinct_regions(data) {
        let Some(f) = data.figures.get(code) else { continue };
        let value = f
            .value
            .map(|v| match figure {
                MapFigure::Coal | MapFigure::LowCarbon => format!("{:.1}", v * 100.0),
                _ => format!("{v:.1}"),
            })
            .unwrap_or_else(|| "no data".into());
        let year = f.data_year.map(|y| y.to_string()).unwrap_or_default();
        let own = match (&f.borrowed, &f.no_data) {
            (Some(b), _) => b.as_str(),
            (None, Some(why)) => why.as_str(),
            (None, None) => "its own",
        };
        writeln!(
            out,
            r#"<tr><td>{code}</td><td>{}</td><td class="n">{value}</td><td class="n">{year}</td><td>{}</td></tr>"#,
            escape(name),
            escape(own)
        )?;
    }
    writeln!(out, "</tbody></table></details>\n</body></html>")?;
    Ok(())
}

/// The regions drawn, once each, in drawing order.
fn distinct_regions<'a>(data: &'a MapData) -> Vec<(&'a str, &'a str)> {
    let mut seen = std::collections::HashSet::new();
    data.shapes
        .iter()
        .filter(|s| seen.insert(s.code))
        .map(|s| (s.code, s.name))
        .collect()
}

fn classes_text(figure: MapFigure) -> String {
    let b = figure.breaks();
    let scale = |v: f64| match figure {
        MapFigure::Coal | MapFigure::LowCarbon => v * 100.0,
        _ => v,
    };
    format!(
        "{} classes from {} to {}+ in steps of {}",
        CLASS_COLOURS.len(),
        scale(b[0]),
        scale(b[8]),
        scale(b[1] - b[0])
    )
}
