//! Small SVG charts for reports: stacked bars of the mix, a scatter of intensity against risk,
//! and the 90% intervals. Each chart is a pure function from values to an SVG string with its
//! axis labels (with units) and legend, so it can be checked by hand and opens offline.

use std::fmt::Write;

use crate::source::{SOURCE_COUNT, Source};

/// Colours of the sources, ordered like `Source::ALL` (fossil dark and warm, low-carbon cool).
pub const SOURCE_COLOURS: [&str; SOURCE_COUNT] = [
    "#3b3b3b", "#e07b39", "#8c564b", "#9467bd", "#1f77b4", "#17becf", "#f2c12e", "#2ca02c", "#98df8a",
];

/// Colours of the risk levels `low`, `elevated`, `high`, `severe`: Okabe and Ito's palette
/// (bluish green, orange, vermillion, black), which readers with any common colour-vision
/// deficiency tell apart. Each level also has its own shape ([`risk_marker`]), so a grey print
/// reads too.
pub const RISK_COLOURS: [&str; 4] = ["#009E73", "#E69F00", "#D55E00", "#000000"];

/// The risk levels' names, in the order of [`RISK_COLOURS`].
pub const RISK_NAMES: [&str; 4] = ["low", "elevated", "high", "severe"];

/// The width of `text` in px at font size `size`, estimated on the generous side for a
/// sans-serif face (DejaVu Sans, Chromium's default on Linux, is one of the widest), so that
/// labels laid out with it do not touch when drawn.
pub fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | '\'' | ':' | ';' | '!' | '|' => 0.32,
            ' ' | '(' | ')' | 'f' | 't' | 'r' | 'I' | '-' => 0.45,
            'm' | 'w' | 'M' | 'W' => 1.0,
            c if c.is_ascii_uppercase() => 0.78,
            c if c.is_ascii() => 0.66,
            c if c.is_alphabetic() && (c as u32) < 0x2E80 => 0.78,
            _ => 1.0,
        })
        .sum();
    em * size
}

/// `text` cut to fit in `max` px at font size `size`, ending with an ellipsis when cut.
pub fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let budget = max - text_width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// A label's text element: `text` cut to `max` px, with the whole text as a tooltip when cut.
fn label_text(x: f64, y: f64, anchor: &str, size: f64, text: &str, max: f64) -> String {
    let shown = fit(text, size, max);
    let tip = if shown == text {
        String::new()
    } else {
        format!("<title>{}</title>", escape(text))
    };
    format!(
        r#"<text x="{x:.2}" y="{y:.2}" text-anchor="{anchor}" font-size="{size}">{}{tip}</text>"#,
        escape(&shown)
    )
}

/// A risk level's marker centred on (`cx`, `cy`): a circle (low), square (elevated), triangle
/// (high) or diamond (severe), each of the area of a circle of radius `r`, filled with the
/// level's colour, outlined in black over a white halo so that it stands out on any fill, with
/// `title` as its tooltip.
pub fn risk_marker(level: usize, cx: f64, cy: f64, r: f64, title: &str) -> String {
    let level = level.min(3);
    let shape = match level {
        0 => format!(r#"circle cx="{cx:.2}" cy="{cy:.2}" r="{r:.2}""#),
        1 => {
            let h = r * std::f64::consts::PI.sqrt() / 2.0;
            format!(
                r#"path d="M{:.2} {:.2}h{:.2}v{:.2}h{:.2}z""#,
                cx - h,
                cy - h,
                2.0 * h,
                2.0 * h,
                -2.0 * h
            )
        }
        2 => {
            // An equilateral triangle of area pi r^2 about its centroid.
            let side = r * (4.0 * std::f64::consts::PI / 3f64.sqrt()).sqrt();
            let up = side / 3f64.sqrt();
            format!(
                r#"path d="M{:.2} {:.2}L{:.2} {:.2}L{:.2} {:.2}z""#,
                cx,
                cy - up,
                cx + side / 2.0,
                cy + up / 2.0,
                cx - side / 2.0,
                cy + up / 2.0
            )
        }
        _ => {
            let d = r * (std::f64::consts::PI / 2.0).sqrt();
            format!(
                r#"path d="M{:.2} {:.2}L{:.2} {:.2}L{:.2} {:.2}L{:.2} {:.2}z""#,
                cx,
                cy - d,
                cx + d,
                cy,
                cx,
                cy + d,
                cx - d,
                cy
            )
        }
    };
    format!(
        r##"<g><title>{}</title><{shape} fill="none" stroke="#fff" stroke-width="3"/><{shape} fill="{}" fill-opacity="0.8" stroke="#000" stroke-width="1"/></g>"##,
        escape(title),
        RISK_COLOURS[level]
    )
}

/// An axis-aligned box, for laying out labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Bounds {
    /// Whether the two boxes share any area.
    pub fn overlaps(&self, other: &Bounds) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// Whether `other` lies wholly inside this box.
    pub fn contains(&self, other: &Bounds) -> bool {
        other.x0 >= self.x0 && other.x1 <= self.x1 && other.y0 >= self.y0 && other.y1 <= self.y1
    }

    /// The box of a text drawn at (`x`, baseline `y`) with `anchor` (`start`, `middle`,
    /// `end`) at font size `size`.
    pub fn of_text(x: f64, y: f64, anchor: &str, size: f64, text: &str) -> Bounds {
        let w = text_width(text, size);
        let x0 = match anchor {
            "middle" => x - w / 2.0,
            "end" => x - w,
            _ => x,
        };
        Bounds {
            x0,
            y0: y - 0.8 * size,
            x1: x0 + w,
            y1: y + 0.25 * size,
        }
    }
}

/// Text safe inside SVG or HTML, in an element or a double-quoted attribute: `&`, `<`, `>`
/// and `"` as entities, and the control characters XML forbids (all but tab, newline and
/// carriage return; an SVG file holding one does not open) and DEL and the C1 controls as
/// visible escapes such as `\u{1b}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// About `count` round tick values covering `0..=max` (steps of 1, 2 or 5 times a power of ten).
pub fn ticks(max: f64, count: usize) -> Vec<f64> {
    if max.is_nan() || max <= 0.0 || max.is_infinite() {
        return vec![0.0];
    }
    let raw = max / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let n = (max / step).ceil() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// A number for an axis label: no trailing zeros.
fn label(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn open(out: &mut String, width: f64, height: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11"><title>{}</title>"#,
        escape(title)
    );
}

/// Widest label column of the bar and interval charts, px; longer labels are cut with an
/// ellipsis and keep their whole text as a tooltip.
const MAX_LABEL_WIDTH: f64 = 230.0;

/// The left margin that holds the widest of `labels` at 11 px, between 60 px and
/// [`MAX_LABEL_WIDTH`] plus the gap.
fn label_margin<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    labels
        .map(|l| text_width(l, 11.0))
        .fold(0.0, f64::max)
        .clamp(50.0, MAX_LABEL_WIDTH)
        .ceil()
        + 10.0
}

/// One row of a stacked-bar chart: a label and the shares of the nine sources.
pub struct MixBar<'a> {
    /// The row's label.
    pub label: &'a str,
    /// Shares, fractions summing to 1, ordered like `Source::ALL`.
    pub shares: [f64; SOURCE_COUNT],
}

/// Horizontal bars, one per row, each split into the nine sources' shares, with an axis in
/// percent and a legend that wraps to the chart's width.
pub fn stacked_bars(title: &str, rows: &[MixBar]) -> String {
    let (top, bar, gap, width) = (30.0, 14.0, 5.0, 440.0);
    let left = label_margin(rows.iter().map(|r| r.label));
    let total = left + width + 20.0;
    let plot_bottom = top + rows.len() as f64 * (bar + gap);
    // The legend: items laid out left to right, wrapping at the chart's width.
    let mut legend = Vec::new();
    let (mut x, mut y) = (10.0, plot_bottom + 46.0);
    for (k, src) in Source::ALL.iter().enumerate() {
        let name = src.name().replace('_', " ");
        let item = 13.0 + text_width(&name, 11.0) + 14.0;
        if x + item > total && x > 10.0 {
            x = 10.0;
            y += 18.0;
        }
        legend.push(format!(
            r#"<rect x="{x:.2}" y="{y:.2}" width="10" height="10" fill="{}"/><text x="{:.2}" y="{:.2}">{name}</text>"#,
            SOURCE_COLOURS[k],
            x + 13.0,
            y + 9.0
        ));
        x += item;
    }
    let height = y + 18.0;
    let mut s = String::new();
    open(&mut s, total, height, title);
    let _ = write!(s, r#"<text x="10" y="16" font-weight="bold">{}</text>"#, escape(title));
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as f64 * (bar + gap);
        s.push_str(&label_text(
            left - 6.0,
            y + bar * 0.8,
            "end",
            11.0,
            row.label,
            left - 10.0,
        ));
        let mut x = left;
        for src in Source::ALL {
            let w = row.shares[src.index()] * width;
            if w > 0.0 {
                let _ = write!(
                    s,
                    r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{bar}" fill="{}"><title>{}: {:.1}%</title></rect>"#,
                    SOURCE_COLOURS[src.index()],
                    src.name(),
                    row.shares[src.index()] * 100.0
                );
            }
            x += w;
        }
    }
    for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = left + t / 100.0 * width;
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#999"/><text x="{x}" y="{}" text-anchor="middle">{t}</text>"##,
            top - 4.0,
            plot_bottom,
            plot_bottom + 14.0
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">share of generation, %</text>"#,
        left + width / 2.0,
        plot_bottom + 30.0
    );
    s.extend(legend);
    s.push_str("</svg>");
    s
}

/// One point of the scatter of intensity against risk.
pub struct RiskPoint<'a> {
    /// The point's label.
    pub label: &'a str,
    /// Carbon intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// Risk score, 0-100.
    pub risk_score: f64,
    /// Risk level index (0 low .. 3 severe).
    pub level: usize,
    /// Power, MW (sets the marker's area).
    pub power_mw: f64,
}

/// A drawn scatter: the SVG and the points whose label found no free place, which the
/// report lists under the chart.
pub struct Scatter {
    /// The chart.
    pub svg: String,
    /// Indices of the points drawn without a label.
    pub unlabelled: Vec<usize>,
}

/// Font size of the scatter's point labels.
const POINT_LABEL_SIZE: f64 = 9.0;

/// Intensity (x) against risk score (y): a marker per point, its area proportional to power
/// and its colour and shape the risk level, labelled where a label fits without touching
/// another label, another marker, the axes or the legend (the largest points first; a long
/// label is shortened before it is given up).
pub fn scatter(title: &str, points: &[RiskPoint]) -> Scatter {
    let (left, top, width, height) = (60.0, 44.0, 460.0, 260.0);
    let legend_x = left + width + 24.0;
    let total = legend_x + 140.0;
    let x_max = points
        .iter()
        .map(|p| p.intensity_g_per_kwh)
        .fold(0.0, f64::max)
        .max(100.0);
    let xt = ticks(x_max, 6);
    let x_top = *xt.last().unwrap_or(&x_max);
    let p_max = points.iter().map(|p| p.power_mw).fold(0.0, f64::max);
    let radius = |mw: f64| {
        if p_max > 0.0 {
            3.0 + 15.0 * (mw.max(0.0) / p_max).sqrt()
        } else {
            5.0
        }
    };
    let mut s = String::new();
    open(&mut s, total, top + height + 50.0, title);
    let _ = write!(s, r#"<text x="10" y="16" font-weight="bold">{}</text>"#, escape(title));
    let px = |v: f64| left + v / x_top * width;
    let py = |v: f64| top + height - v.clamp(0.0, 100.0) / 100.0 * height;
    for t in &xt {
        let _ = write!(
            s,
            r##"<line x1="{0:.2}" y1="{top}" x2="{0:.2}" y2="{1}" stroke="#ddd"/><text x="{0:.2}" y="{2}" text-anchor="middle">{3}</text>"##,
            px(*t),
            top + height,
            top + height + 14.0,
            label(*t)
        );
    }
    for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{0:.2}" x2="{1}" y2="{0:.2}" stroke="#ddd"/><text x="{2}" y="{3:.2}" text-anchor="end">{t}</text>"##,
            py(t),
            left + width,
            left - 6.0,
            py(t) + 4.0
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">carbon intensity, gCO2e/kWh</text><text transform="translate(16 {}) rotate(-90)" text-anchor="middle">risk score, 0-100</text>"#,
        left + width / 2.0,
        top + height + 34.0,
        top + height / 2.0
    );
    // The largest markers first, so that smaller ones stay visible on top of them.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[b].power_mw.total_cmp(&points[a].power_mw).then(a.cmp(&b)));
    let spots: Vec<(f64, f64, f64)> = points
        .iter()
        .map(|p| (px(p.intensity_g_per_kwh), py(p.risk_score), radius(p.power_mw)))
        .collect();
    for &i in &order {
        let p = &points[i];
        let (cx, cy, r) = spots[i];
        s.push_str(&risk_marker(
            p.level,
            cx,
            cy,
            r,
            &format!(
                "{}: {:.1} gCO2e/kWh, risk {} ({}), {} MW",
                p.label,
                p.intensity_g_per_kwh,
                p.risk_score,
                RISK_NAMES[p.level.min(3)],
                super::format::grouped(p.power_mw, 1)
            ),
        ));
    }
    // Labels may reach left of the plot, clear of the y axis's title and its tick labels.
    let ticks_text: Vec<Bounds> = [0.0, 25.0, 50.0, 75.0, 100.0]
        .iter()
        .map(|t| Bounds::of_text(left - 6.0, py(*t) + 4.0, "end", 11.0, &label(*t)))
        .collect();
    let area = Bounds {
        x0: 24.0,
        y0: 24.0,
        x1: legend_x - 6.0,
        y1: top + height + 3.0,
    };
    let placed = place_labels(points, &spots, &order, area, ticks_text);
    let mut unlabelled = Vec::new();
    for (i, spot) in placed.iter().enumerate() {
        match spot {
            Some(label) => {
                if let Some([x1, y1, x2, y2]) = label.leader {
                    let _ = write!(
                        s,
                        r##"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="#666" stroke-width="0.6"/>"##
                    );
                }
                let _ = write!(
                    s,
                    r#"<text x="{:.2}" y="{:.2}" font-size="{POINT_LABEL_SIZE}">{}</text>"#,
                    label.x,
                    label.y,
                    escape(&label.text)
                );
            }
            None => unlabelled.push(i),
        }
    }
    scatter_legend(&mut s, legend_x, top, p_max, radius);
    s.push_str("</svg>");
    Scatter { svg: s, unlabelled }
}

/// A point's label as placed: its start and baseline, its text, the leader line from the
/// marker when it stands off, and its box.
#[derive(Clone)]
struct Label {
    x: f64,
    y: f64,
    text: String,
    leader: Option<[f64; 4]>,
    bounds: Bounds,
}

/// Where each point's label goes: for the points in `order`, the first of eight places
/// around its marker (then eight a little further out, with a leader line) where the label
/// (or, failing that, its shortened form) lies inside `area` and touches no marker, nothing
/// in `taken` (the axis labels) and no label already placed; `None` where none does.
fn place_labels(
    points: &[RiskPoint],
    spots: &[(f64, f64, f64)],
    order: &[usize],
    area: Bounds,
    mut taken: Vec<Bounds>,
) -> Vec<Option<Label>> {
    let size = POINT_LABEL_SIZE;
    let marker_box = |(cx, cy, r): (f64, f64, f64)| Bounds {
        x0: cx - r * 1.3,
        y0: cy - r * 1.3,
        x1: cx + r * 1.3,
        y1: cy + r * 1.3,
    };
    let mut placed = vec![None; points.len()];
    for &i in order {
        let (cx, cy, r) = spots[i];
        // `Name (CODE), 3 sites`: the marker's size tells the sites, so the label is
        // `Name (CODE)`, or where that finds no place, `Name` (cut to 90 px).
        let full = points[i].label;
        let named = full.split(", ").next().unwrap_or(full).trim();
        let short = fit(named.split(" (").next().unwrap_or(named).trim(), size, 90.0);
        let mut texts = vec![named.to_string()];
        if short != named {
            texts.push(short);
        }
        // Beside the marker first; then 16 px further out, with a leader line to the marker.
        let d = r * 1.3 + 2.0;
        let found = [(d, false), (d + 16.0, true)].into_iter().find_map(|(d, leader)| {
            texts.iter().find_map(|text| {
                let w = text_width(text, size);
                let diagonal = std::f64::consts::FRAC_1_SQRT_2;
                // (x of the text's start, baseline, direction from the marker) for right, left,
                // above, below and the diagonals.
                let places = [
                    (cx + d, cy + 3.0, (1.0, 0.0)),
                    (cx - d - w, cy + 3.0, (-1.0, 0.0)),
                    (cx - w / 2.0, cy - d - 2.0, (0.0, -1.0)),
                    (cx - w / 2.0, cy + d + 7.5, (0.0, 1.0)),
                    (cx + d * 0.75, cy - d * 0.75 - 1.0, (diagonal, -diagonal)),
                    (cx + d * 0.75, cy + d * 0.75 + 7.0, (diagonal, diagonal)),
                    (cx - d * 0.75 - w, cy - d * 0.75 - 1.0, (-diagonal, -diagonal)),
                    (cx - d * 0.75 - w, cy + d * 0.75 + 7.0, (-diagonal, diagonal)),
                ];
                places.into_iter().find_map(|(x, y, (ux, uy))| {
                    let b = Bounds::of_text(x, y, "start", size, text);
                    let free = area.contains(&b)
                        && !taken.iter().any(|t| t.overlaps(&b))
                        && !spots
                            .iter()
                            .enumerate()
                            .any(|(j, spot)| j != i && marker_box(*spot).overlaps(&b));
                    let line = leader.then(|| {
                        let reach = if ux != 0.0 && uy != 0.0 { d * 0.75 / diagonal } else { d } - 3.0;
                        [cx + ux * r, cy + uy * r, cx + ux * reach, cy + uy * reach]
                    });
                    free.then(|| Label {
                        x,
                        y,
                        text: text.clone(),
                        leader: line,
                        bounds: b,
                    })
                })
            })
        });
        if let Some(label) = found {
            taken.push(label.bounds);
            placed[i] = Some(label);
        }
    }
    placed
}

/// The scatter's legend at `x` (right of the plot): each risk level's marker, and what a
/// marker's area means with two reference sizes in MW.
fn scatter_legend(s: &mut String, x: f64, top: f64, p_max: f64, radius: impl Fn(f64) -> f64) {
    for (k, name) in RISK_NAMES.iter().enumerate() {
        let y = top + 8.0 + k as f64 * 20.0;
        s.push_str(&risk_marker(k, x + 7.0, y, 6.0, name));
        let _ = write!(s, r#"<text x="{}" y="{}">{name}</text>"#, x + 20.0, y + 4.0);
    }
    let mut y = top + 96.0;
    let _ = write!(s, r#"<text x="{x}" y="{y}">area: power, MW</text>"#);
    if p_max > 0.0 {
        for mw in [p_max, p_max / 4.0] {
            let r = radius(mw);
            y += r + 12.0;
            let _ = write!(
                s,
                r##"<circle cx="{:.2}" cy="{y:.2}" r="{r:.2}" fill="none" stroke="#555"/><text x="{:.2}" y="{:.2}">{}</text>"##,
                x + 20.0,
                x + 42.0,
                y + 4.0,
                super::format::grouped(mw, if mw < 10.0 { 1 } else { 0 })
            );
            y += r;
        }
    }
}

/// One row of an interval chart.
pub struct IntervalRow<'a> {
    /// The row's label.
    pub label: &'a str,
    /// The headline value.
    pub value: f64,
    /// 5th and 95th percentiles.
    pub low: f64,
    /// 95th percentile.
    pub high: f64,
}

/// Horizontal 90% intervals (a line from p05 to p95) with the headline as a dot.
pub fn intervals(title: &str, unit: &str, rows: &[IntervalRow]) -> String {
    let (top, row_h, width) = (30.0, 17.0, 440.0);
    let left = label_margin(rows.iter().map(|r| r.label));
    let x_max = rows.iter().map(|r| r.high.max(r.value)).fold(0.0, f64::max);
    let xt = ticks(x_max, 6);
    let x_top = xt.last().copied().filter(|t| *t > 0.0).unwrap_or(1.0);
    let bottom = top + rows.len() as f64 * row_h;
    let caption = format!("{unit}; line: 90% interval (5th-95th percentile), dot: headline");
    let half = text_width(&caption, 11.0) / 2.0;
    let total = (left + width + 20.0).max(2.0 * half + 20.0);
    let mut s = String::new();
    open(&mut s, total, bottom + 44.0, title);
    let _ = write!(s, r#"<text x="10" y="16" font-weight="bold">{}</text>"#, escape(title));
    let px = |v: f64| left + v / x_top * width;
    for t in &xt {
        let _ = write!(
            s,
            r##"<line x1="{0:.2}" y1="{top}" x2="{0:.2}" y2="{bottom}" stroke="#ddd"/><text x="{0:.2}" y="{1}" text-anchor="middle">{2}</text>"##,
            px(*t),
            bottom + 14.0,
            label(*t)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h + row_h / 2.0;
        s.push_str(&label_text(left - 6.0, y + 4.0, "end", 11.0, r.label, left - 10.0));
        let _ = write!(
            s,
            r##"<line x1="{:.2}" y1="{y}" x2="{:.2}" y2="{y}" stroke="#0072B2" stroke-width="3"/><circle cx="{:.2}" cy="{y}" r="4" fill="#D55E00" stroke="#000" stroke-width="0.5"><title>{}: {} (90%: {}-{})</title></circle>"##,
            px(r.low),
            px(r.high),
            px(r.value),
            escape(r.label),
            label(r.value),
            label(r.low),
            label(r.high)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="middle">{}</text>"##,
        (left + width / 2.0).clamp(half + 4.0, total - half - 4.0),
        bottom + 32.0,
        escape(&caption)
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_chart_of_two_fixed_rows_matches_its_snapshot() {
        let mut kz = [0.0; SOURCE_COUNT];
        kz[Source::Coal.index()] = 0.7;
        kz[Source::Gas.index()] = 0.2;
        kz[Source::Hydro.index()] = 0.1;
        let mut qc = [0.0; SOURCE_COUNT];
        qc[Source::Hydro.index()] = 0.95;
        qc[Source::Wind.index()] = 0.05;
        insta::assert_snapshot!(stacked_bars(
            "mix",
            &[
                MixBar {
                    label: "coal grid",
                    shares: kz
                },
                MixBar {
                    label: "hydro grid",
                    shares: qc
                }
            ]
        ));
    }

    #[test]
    fn markup_and_control_characters_are_escaped() {
        // Issue 20: a name that would close the element, or make the SVG file invalid XML.
        assert_eq!(
            escape("<script>\"a\" & b</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; b&lt;/script&gt;"
        );
        assert_eq!(
            escape("a\u{1b}]8;;x\u{7}\u{9b}\tb\nc"),
            "a\\u{1b}]8;;x\\u{7}\\u{9b}\tb\nc"
        );
        assert_eq!(escape("Québec"), "Québec");
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(650.5, 6), [0.0, 200.0, 400.0, 600.0, 800.0]);
        assert_eq!(ticks(100.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 5), [0.0]);
    }

    #[test]
    fn a_half_coal_half_hydro_bar_is_split_in_the_middle() {
        let mut shares = [0.0; SOURCE_COUNT];
        shares[Source::Coal.index()] = 0.5;
        shares[Source::Hydro.index()] = 0.5;
        let svg = stacked_bars("mix", &[MixBar { label: "A & B", shares }]);
        // The label "A & B" is narrower than the 50 px floor, so the plot starts at 60 px and
        // is 440 px wide: coal 60-280, hydro 280-500.
        assert!(svg.contains(r##"<rect x="60.00" y="30.00" width="220.00" height="14" fill="#3b3b3b"><title>coal: 50.0%</title></rect>"##), "{svg}");
        assert!(svg.contains(r##"<rect x="280.00" y="30.00" width="220.00" height="14" fill="#1f77b4"><title>hydro: 50.0%</title></rect>"##));
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains("share of generation, %"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_scatter_places_points_on_both_axes_sized_by_power() {
        let chart = scatter(
            "risk",
            &[
                RiskPoint {
                    label: "Pavlodar (KZ-55), 1 site",
                    intensity_g_per_kwh: 400.0,
                    risk_score: 50.0,
                    level: 2,
                    power_mw: 100.0,
                },
                RiskPoint {
                    label: "Quebec (CA-QC), 1 site",
                    intensity_g_per_kwh: 0.0,
                    risk_score: 0.0,
                    level: 0,
                    power_mw: 25.0,
                },
            ],
        );
        let svg = &chart.svg;
        // x axis 0-400 (ticks of 100) over 460 px from 60: 400 -> 520; y 50 -> 44 + 130 = 174.
        // The largest site has the largest marker, r = 18; a triangle (high) of area pi 18^2
        // has sides of 18 sqrt(4 pi / sqrt 3) = 48.48 px, its apex 27.99 px above the centre.
        assert!(
            svg.contains(r##"<path d="M520.00 146.01L544.24 188.00L495.76 188.00z" fill="#D55E00""##),
            "{svg}"
        );
        // A quarter of the power: r = 3 + 15 sqrt(1/4) = 10.5, a circle (low) at (60, 304).
        assert!(svg.contains(r##"<circle cx="60.00" cy="304.00" r="10.50" fill="#009E73""##));
        assert!(svg.contains("<title>Pavlodar (KZ-55), 1 site: 400.0 gCO2e/kWh, risk 50 (high), 100.0 MW</title>"));
        // Both labelled, without the site count. Pavlodar's label (9.53 em = 85.77 px at 9 px)
        // would run into the legend on the right, so it goes left: 520 - (18 x 1.3 + 2) - 85.77. Quebec's
        // sits in the corner: right and below leave the plot, left and above cross the axis,
        // so it goes up and right, 0.75 x (10.5 x 1.3 + 2) = 11.74 px each way.
        assert!(chart.unlabelled.is_empty());
        assert!(
            svg.contains(r#"<text x="408.83" y="177.00" font-size="9">Pavlodar (KZ-55)</text>"#),
            "{svg}"
        );
        assert!(svg.contains(r#"<text x="71.74" y="291.26" font-size="9">Quebec (CA-QC)</text>"#));
        assert!(svg.contains("carbon intensity, gCO2e/kWh"));
        assert!(svg.contains("risk score, 0-100"));
        // The legend's reference sizes: the largest power and a quarter of it.
        assert!(svg.contains(">100</text>") && svg.contains(">25</text>"));
    }

    /// Every `<text>` of an SVG that is not rotated: its box (estimated as the layout does) and
    /// its text; and the SVG's view box.
    fn text_boxes(svg: &str) -> (Bounds, Vec<(Bounds, String)>) {
        let attr = |tag: &str, name: &str| -> Option<String> {
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[start..].split('"').next()?.to_string())
        };
        let view: Vec<f64> = attr(svg, "viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        let view = Bounds {
            x0: view[0],
            y0: view[1],
            x1: view[2],
            y1: view[3],
        };
        let mut out = Vec::new();
        for piece in svg.split("<text").skip(1) {
            let (tag, rest) = piece.split_once('>').unwrap();
            if tag.contains("transform") {
                continue;
            }
            let body = rest.split("</text>").next().unwrap();
            let text = body.split("<title>").next().unwrap().replace("&amp;", "&");
            let num = |n: &str| attr(tag, n).map(|v| v.parse::<f64>().unwrap());
            let size = num("font-size").unwrap_or(11.0);
            let anchor = attr(tag, "text-anchor").unwrap_or_else(|| "start".into());
            let b = Bounds::of_text(num("x").unwrap(), num("y").unwrap(), &anchor, size, &text);
            out.push((b, text));
        }
        (view, out)
    }

    /// Asserts that every text of `svg` lies inside its view box and touches no other text.
    fn assert_text_fits_and_never_overlaps(svg: &str) {
        let (view, texts) = text_boxes(svg);
        assert!(!texts.is_empty());
        for (b, text) in &texts {
            assert!(view.contains(b), "{text:?} at {b:?} leaves the chart {view:?}");
        }
        for (i, (a, ta)) in texts.iter().enumerate() {
            for (b, tb) in &texts[i + 1..] {
                assert!(!a.overlaps(b), "{ta:?} at {a:?} overlaps {tb:?} at {b:?}");
            }
        }
    }

    /// `n` points in clusters, as a fleet's regions fall: many low-risk regions near each
    /// other, a few at the same spot, long names, powers from 1 to 500 MW.
    /// A point's intensity, score, level and power.
    type Spot = (f64, f64, usize, f64);

    fn crowd(n: usize) -> (Vec<String>, Vec<Spot>) {
        let names = (0..n)
            .map(|i| format!("Region number {i} with a long name (XX-{i:02}), {} sites", i % 7 + 1))
            .collect();
        let values = (0..n)
            .map(|i| {
                let cluster = (i % 4) as f64;
                let intensity = 40.0 + cluster * 180.0 + (i % 5) as f64 * 7.0;
                let score = [5.0, 12.0, 60.0, 100.0][i % 4] + (i % 3) as f64;
                (intensity, score.min(100.0), i % 4, 1.0 + (i * 37 % 500) as f64)
            })
            .collect();
        (names, values)
    }

    #[test]
    fn scatter_labels_stay_inside_and_apart_from_1_to_500_points() {
        // Issue 26: labels smeared into one another and ran off the chart.
        for n in [1, 2, 5, 40, 500] {
            let (names, values) = crowd(n);
            let points: Vec<RiskPoint> = names
                .iter()
                .zip(&values)
                .map(|(label, &(x, y, level, mw))| RiskPoint {
                    label,
                    intensity_g_per_kwh: x,
                    risk_score: y,
                    level,
                    power_mw: mw,
                })
                .collect();
            let chart = scatter("Carbon intensity against crackdown risk", &points);
            assert_text_fits_and_never_overlaps(&chart.svg);
            // Every point is drawn; those without a label are the ones the report lists.
            assert_eq!(chart.svg.matches("<g><title>Region number").count(), n);
            let labelled = chart.svg.matches(r#"font-size="9">Region"#).count();
            assert_eq!(labelled + chart.unlabelled.len(), n, "n = {n}");
            assert!(labelled >= n.min(4), "n = {n}: only {labelled} labelled");
        }
    }

    #[test]
    fn bar_and_interval_labels_are_cut_to_their_column_and_the_legend_wraps() {
        let (names, values) = crowd(40);
        let mut shares = [0.0; SOURCE_COUNT];
        shares[Source::Coal.index()] = 1.0;
        let bars: Vec<MixBar> = names.iter().map(|label| MixBar { label, shares }).collect();
        let svg = stacked_bars("Generation mix of each region's grid", &bars);
        assert_text_fits_and_never_overlaps(&svg);
        // The longest label is cut with an ellipsis and keeps its whole text as a tooltip.
        assert!(
            svg.contains("…<title>Region number 10 with a long name (XX-10), 4 sites</title></text>"),
            "{svg:.3000}"
        );
        let rows: Vec<IntervalRow> = names
            .iter()
            .zip(&values)
            .map(|(label, v)| IntervalRow {
                label,
                value: v.0,
                low: v.0 * 0.8,
                high: v.0 * 1.3,
            })
            .collect();
        assert_text_fits_and_never_overlaps(&intervals("Carbon intensity with its 90% interval", "gCO2e/kWh", &rows));
        // One short label: the legend of nine sources wraps to the narrow chart.
        let svg = stacked_bars("mix", &bars[..1]);
        assert_text_fits_and_never_overlaps(&svg);
    }

    #[test]
    fn a_label_is_cut_to_its_width_with_an_ellipsis() {
        let cut = fit("Applied Digital Ellendale, North Dakota", 11.0, 100.0);
        assert!(cut.ends_with('…') && cut.starts_with("Applied"), "{cut}");
        assert!(text_width(&cut, 11.0) <= 100.0);
        assert_eq!(fit("Texas", 11.0, 100.0), "Texas");
    }

    #[test]
    fn an_interval_row_draws_its_line_and_dot() {
        let svg = intervals(
            "i",
            "gCO2e/kWh",
            &[IntervalRow {
                label: "kz",
                value: 650.0,
                low: 600.0,
                high: 700.0,
            }],
        );
        // The label "kz" is narrower than the 50 px floor: the plot starts at 60 px, 440 px
        // wide. Ticks to 800: 600 -> 60 + 330 = 390, 700 -> 445, 650 -> 417.5; row 1 at 38.5.
        assert!(svg.contains(r#"x1="390.00" y1="38.5" x2="445.00" y2="38.5""#), "{svg}");
        assert!(svg.contains(r#"<circle cx="417.50" cy="38.5" r="4""#));
    }
}
