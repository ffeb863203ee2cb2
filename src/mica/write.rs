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

/// The HTML page: the filled template, ready to publish, one table row per indicator.
pub fn html(doc: &Doc) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sustainability indicators (MiCA, Delegated Regulation (EU) 2025/422)</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}td.n{text-align:right;white-space:nowrap}</style></head><body>\n<h1>Sustainability indicators in relation to adverse impacts on the climate</h1>\n",
    );
    out.push_str(&format!(
        "<p>Geography: {}. Made by hashmix ({MICA_SCHEMA}).</p>\n",
        escape(doc.geography)
    ));
    if let Some((label, _)) = doc.compared {
        out.push_str(&format!(
            "<p>Compared with: {}, on the same draws (the change's interval keeps the uncertainty both share).</p>\n",
            escape(label)
        ));
    }
    out.push_str("<table><tr><th>Code</th><th>Field</th><th>Value</th><th>Unit</th><th>90% interval</th>");
    if doc.compared.is_some() {
        out.push_str("<th>Compared</th><th>Change (90% interval)</th>");
    }
    out.push_str("</tr>\n");
    for (k, i) in doc.main.iter().enumerate() {
        let interval = i
            .interval
            .map_or(String::new(), |(a, b)| format!("{} – {}", fixed(i, a), fixed(i, b)));
        let value = match i.definition {
            Some(d) => format!("{} ({d})", i.formatted()),
            None => i.formatted(),
        };
        let class = if i.number().is_some() { " class=\"n\"" } else { "" };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td{class}>{}</td><td>{}</td><td class=\"n\">{}</td>",
            i.code,
            escape(i.name),
            escape(&value),
            escape(i.unit),
            interval
        ));
        if let Some((_, other)) = doc.compared {
            let o = &other[k];
            let change = match change(i, o) {
                Some((c, Some((a, b)))) => format!("{} ({} – {})", fixed(i, c), fixed(i, a), fixed(i, b)),
                Some((c, None)) => fixed(i, c),
                None => String::new(),
            };
            out.push_str(&format!(
                "<td{class}>{}</td><td class=\"n\">{}</td>",
                escape(&o.formatted()),
                change
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
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
