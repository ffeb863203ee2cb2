//! `hashmix mica`'s outputs: CSV (one row per indicator, the template's formatted text), JSON
//! (`hashmix.mica.v1`, keyed by indicator code, values as numbers) and an HTML page with the
//! filled template. Writers turn results into bytes; they compute nothing but the change
//! between two geographies, draw by draw.

use serde_json::{Map, Value as Json, json};

use super::indicators::{Indicator, Value};
use super::{MICA_SCHEMA, change};

/// One run's indicators, and those of a compared geography.
pub struct Doc<'a> {
    /// The indicators of the main geography.
    pub main: &'a [Indicator],
    /// The geography's label.
    pub geography: &'a str,
    /// The compared geography: label and indicators.
    pub compared: Option<(&'a str, &'a [Indicator])>,
    /// Settings and inputs, for the JSON's `inputs`.
    pub inputs: Json,
    /// Notes on what was assumed.
    pub notes: &'a [String],
    /// Datasets used (JSON array).
    pub sources: Json,
    /// The draws' description.
    pub uncertainty: Json,
}

/// A figure of `i` (its value, a bound or a change) in `i`'s format.
fn fixed(i: &Indicator, v: f64) -> String {
    format!("{v:.*}", i.format.decimals())
}

fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The CSV: `code,name,value,unit,format,p05,p95,definition`, and with a compared geography
/// `compared_value,compared_p05,compared_p95,change,change_p05,change_p95`.
pub fn csv(doc: &Doc) -> String {
    let mut out = String::from("code,name,value,unit,format,p05,p95,definition");
    if doc.compared.is_some() {
        out.push_str(",compared_value,compared_p05,compared_p95,change,change_p05,change_p95");
    }
    out.push('\n');
    let interval = |i: &Indicator| match i.interval {
        Some((a, b)) => (fixed(i, a), fixed(i, b)),
        None => (String::new(), String::new()),
    };
    for (k, i) in doc.main.iter().enumerate() {
        let (p05, p95) = interval(i);
        let row = [
            i.code,
            i.name,
            &i.formatted(),
            i.unit,
            i.format.name(),
            &p05,
            &p95,
            i.definition.unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        if let Some((_, other)) = doc.compared {
            let o = &other[k];
            let (op05, op95) = interval(o);
            let (c, c05, c95) = match change(i, o) {
                Some((c, Some((a, b)))) => (fixed(i, c), fixed(i, a), fixed(i, b)),
                Some((c, None)) => (fixed(i, c), String::new(), String::new()),
                None => Default::default(),
            };
            for c in [o.formatted(), op05, op95, c, c05, c95] {
                out.push(',');
                out.push_str(&cell(&c));
            }
        }
        out.push('\n');
    }
    out
}

fn indicator_json(i: &Indicator) -> Json {
    let (p05, p95) = match i.interval {
        Some((a, b)) => (json!(a), json!(b)),
        None => (Json::Null, Json::Null),
    };
    let value = match &i.value {
        Value::Number(v) => json!(v),
        Value::Text(t) => json!(t),
        Value::NoData(_) => Json::Null,
    };
    let mut m = Map::new();
    m.insert("name".into(), json!(i.name));
    m.insert("value".into(), value);
    m.insert("formatted".into(), json!(i.formatted()));
    m.insert("unit".into(), json!(i.unit));
    m.insert("format".into(), json!(i.format.name()));
    m.insert("p05".into(), p05);
    m.insert("p95".into(), p95);
    // No concept of ESMA's MiCA taxonomy could be checked (METHOD.md, "MiCA indicators").
    m.insert("concept".into(), Json::Null);
    m.insert("definition".into(), json!(i.definition));
    Json::Object(m)
}

fn indicators_json(list: &[Indicator]) -> Json {
    Json::Object(list.iter().map(|i| (i.code.to_string(), indicator_json(i))).collect())
}

/// The JSON document (`hashmix.mica.v1`).
pub fn json(doc: &Doc) -> Json {
    let mut m = Map::new();
    m.insert("schema".into(), json!(MICA_SCHEMA));
    m.insert("geography".into(), json!(doc.geography));
    m.insert("inputs".into(), doc.inputs.clone());
    m.insert("indicators".into(), indicators_json(doc.main));
    if let Some((label, other)) = doc.compared {
        let changes: Map<String, Json> = doc
            .main
            .iter()
            .zip(other)
            .filter_map(|(a, b)| {
                let (c, interval) = change(a, b)?;
                let (p05, p95) = interval.map_or((Json::Null, Json::Null), |(x, y)| (json!(x), json!(y)));
                Some((
                    a.code.to_string(),
                    json!({"value": c, "unit": a.unit, "p05": p05, "p95": p95}),
                ))
            })
            .collect();
        m.insert(
            "compared".into(),
            json!({"geography": label, "indicators": indicators_json(other), "change": changes}),
        );
    }
    m.insert("notes".into(), json!(doc.notes));
    m.insert("sources".into(), doc.sources.clone());
    m.insert("uncertainty".into(), doc.uncertainty.clone());
    Json::Object(m)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page's style: the table within the page's width on screen and in print (A4 or Letter
/// portrait), numbers right-aligned and never broken, a long text wrapped in its cell.
const HTML_STYLE: &str = "@page{margin:14mm 12mm}body{font-family:sans-serif;max-width:60em;margin:2em auto;\
padding:0 1em;color:#222;line-height:1.35}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\
table{border-collapse:collapse;width:100%;font-size:.9em}th{background:#f2f2f2}\
td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left;overflow-wrap:break-word}\
td:first-child{white-space:nowrap}td:nth-child(2){min-width:9em}\
td.n{text-align:right;white-space:nowrap;overflow-wrap:normal;font-variant-numeric:tabular-nums}\
td.i{text-align:right;font-variant-numeric:tabular-nums}td.n .d{white-space:normal;text-align:left;font-size:.85em;color:#555}tr{break-inside:avoid}\
thead{display:table-header-group}h2,h3{break-after:avoid}@media print{body{margin:0;max-width:none;font-size:9pt}}";

/// A figure's interval as the page writes it: `low – high`.
fn interval_text(i: &Indicator) -> String {
    i.interval
        .map_or(String::new(), |(a, b)| format!("{} – {}", fixed(i, a), fixed(i, b)))
}

/// An indicator's value cell: a figure right-aligned, with its definition (per-transaction
/// figures) under it; a text as it is.
fn value_cell(i: &Indicator) -> String {
    match (i.number(), i.definition) {
        (Some(_), Some(d)) => format!(
            "<td class=\"n\">{}<div class=\"d\">{}</div></td>",
            escape(&i.formatted()),
            escape(d)
        ),
        (Some(_), None) => format!("<td class=\"n\">{}</td>", escape(&i.formatted())),
        (None, _) => format!("<td>{}</td>", escape(&i.formatted())),
    }
}

/// The HTML page: the filled template, ready to publish, one table row per indicator; with a
/// compared geography, a second table of the figures for both and the change, and the texts
/// that differ.
pub fn html(doc: &Doc) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sustainability indicators (MiCA, Delegated Regulation (EU) 2025/422)</title>\n<style>{HTML_STYLE}</style></head><body>\n<h1>Sustainability indicators in relation to adverse impacts on the climate</h1>\n"
    );
    out.push_str(&format!(
        "<p>Geography: {}. Made by hashmix ({MICA_SCHEMA}).</p>\n",
        escape(doc.geography)
    ));
    out.push_str(
        "<table><thead><tr><th>Code</th><th>Field</th><th>Value</th><th>Unit</th><th>90% interval</th></tr></thead>\n<tbody>\n",
    );
    for i in doc.main {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>{}<td>{}</td><td class=\"i\">{}</td></tr>\n",
            i.code,
            escape(i.name),
            value_cell(i),
            escape(i.unit),
            interval_text(i)
        ));
    }
    out.push_str("</tbody></table>\n");
    if let Some((label, other)) = doc.compared {
        compared_html(&mut out, doc.main, label, other);
    }
    if !doc.notes.is_empty() {
        out.push_str("<h2>Notes</h2><ul>\n");
        for n in doc.notes {
            out.push_str(&format!("<li>{}</li>\n", escape(n)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The comparison: each figure for both geographies and the change with its interval (draw by
/// draw), then the texts that differ; texts that are the same for both are not repeated.
fn compared_html(out: &mut String, main: &[Indicator], label: &str, other: &[Indicator]) {
    out.push_str(&format!(
        "<h2>Compared with: {}</h2>\n<p>The same period, hashrate, machines and draws with this geography: the change's \
         interval keeps the uncertainty both share. Indicators not listed are the same for both.</p>\n",
        escape(label)
    ));
    out.push_str(
        "<table><thead><tr><th>Code</th><th>Field</th><th>Value</th><th>Compared</th><th>Change (90% interval)</th><th>Unit</th></tr></thead>\n<tbody>\n",
    );
    for (i, o) in main.iter().zip(other).filter(|(i, _)| i.number().is_some()) {
        let change = match change(i, o) {
            Some((c, Some((a, b)))) => format!(
                "{}<div class=\"d\">{} – {}</div>",
                fixed(i, c),
                fixed(i, a),
                fixed(i, b)
            ),
            Some((c, None)) => fixed(i, c),
            None => String::new(),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{change}</td><td>{}</td></tr>\n",
            i.code,
            escape(i.name),
            escape(&i.formatted()),
            escape(&o.formatted()),
            escape(i.unit)
        ));
    }
    out.push_str("</tbody></table>\n");
    let differing: Vec<&Indicator> = main
        .iter()
        .zip(other)
        .filter(|(i, o)| i.number().is_none() && i.formatted() != o.formatted())
        .map(|(_, o)| o)
        .collect();
    if !differing.is_empty() {
        out.push_str("<h3>Texts for the compared geography</h3>\n<table><thead><tr><th>Code</th><th>Field</th><th>Compared</th></tr></thead>\n<tbody>\n");
        for o in differing {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                o.code,
                escape(o.name),
                escape(&o.formatted())
            ));
        }
        out.push_str("</tbody></table>\n");
    }
}

/// The workbook: a sheet `Indicators` (the CSV's columns; figures as numbers, with the
/// template's decimals as the cell format) and a sheet `Notes`.
pub fn workbook(doc: &Doc, path: &std::path::Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let sheet = book.add_worksheet().set_name("Indicators")?;
    let mut header = vec!["code", "name", "value", "unit", "format", "p05", "p95", "definition"];
    if doc.compared.is_some() {
        header.extend([
            "compared_value",
            "compared_p05",
            "compared_p95",
            "change",
            "change_p05",
            "change_p95",
        ]);
    }
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (k, i) in doc.main.iter().enumerate() {
        let row = k as u32 + 1;
        let number = CellFormat::new().set_num_format(format!("0.{}", "0".repeat(i.format.decimals())));
        let put =
            |sheet: &mut rust_xlsxwriter::Worksheet, col: u16, ind: &Indicator, v: Option<f64>| match (v, &ind.value) {
                (Some(v), _) => sheet.write_number_with_format(row, col, v, &number).map(|_| ()),
                (None, _) => sheet.write_string(row, col, ind.formatted()).map(|_| ()),
            };
        sheet.write_string(row, 0, i.code)?;
        sheet.write_string(row, 1, i.name)?;
        put(sheet, 2, i, i.number())?;
        sheet.write_string(row, 3, i.unit)?;
        sheet.write_string(row, 4, i.format.name())?;
        if let Some((a, b)) = i.interval {
            sheet.write_number_with_format(row, 5, a, &number)?;
            sheet.write_number_with_format(row, 6, b, &number)?;
        }
        sheet.write_string(row, 7, i.definition.unwrap_or_default())?;
        if let Some((_, other)) = doc.compared {
            let o = &other[k];
            put(sheet, 8, o, o.number())?;
            if let Some((a, b)) = o.interval {
                sheet.write_number_with_format(row, 9, a, &number)?;
                sheet.write_number_with_format(row, 10, b, &number)?;
            }
            if let Some((c, interval)) = change(i, o) {
                sheet.write_number_with_format(row, 11, c, &number)?;
                if let Some((a, b)) = interval {
                    sheet.write_number_with_format(row, 12, a, &number)?;
                    sheet.write_number_with_format(row, 13, b, &number)?;
                }
            }
        }
    }
    let notes = book.add_worksheet().set_name("Notes")?;
    notes.write_string_with_format(0, 0, "note", &bold)?;
    notes.write_string(1, 0, format!("geography: {}", doc.geography))?;
    if let Some((label, _)) = doc.compared {
        notes.write_string(2, 0, format!("compared geography: {label}"))?;
    }
    for (k, n) in doc.notes.iter().enumerate() {
        notes.write_string(k as u32 + 3, 0, n)?;
    }
    book.save(path)
}
