//! Small SVG charts for reports: stacked bars of the mix, a scatter of intensity against risk,
//! and the 90% intervals. Each chart is a pure function from values to an SVG string with its
//! axis labels (with units) and legend, so it can be checked by hand and opens offline.

use std::fmt::Write;

use crate::source::{SOURCE_COUNT, Source};

/// Colours of the sources, ordered like `Source::ALL` (fossil dark and warm, low-carbon cool).
pub const SOURCE_COLOURS: [&str; SOURCE_COUNT] = [
    "#3b3b3b", "#e07b39", "#8c564b", "#9467bd", "#1f77b4", "#17becf", "#f2c12e", "#2ca02c", "#98df8a",
];

/// Colours of the risk levels `low`, `elevated`, `high`, `severe`.
pub const RISK_COLOURS: [&str; 4] = ["#2b8a3e", "#d4a017", "#e8590c", "#c92a2a"];

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

/// One row of a stacked-bar chart: a label and the shares of the nine sources.
pub struct MixBar<'a> {
    /// The row's label.
    pub label: &'a str,
    /// Shares, fractions summing to 1, ordered like `Source::ALL`.
    pub shares: [f64; SOURCE_COUNT],
}

/// Horizontal bars, one per row, each split into the nine sources' shares, with an axis in
/// percent and a legend.
pub fn stacked_bars(title: &str, rows: &[MixBar]) -> String {
    let (left, top, bar, gap, width) = (190.0, 30.0, 16.0, 6.0, 460.0);
    let plot_bottom = top + rows.len() as f64 * (bar + gap);
    let height = plot_bottom + 70.0;
    let mut s = String::new();
    open(&mut s, left + width + 30.0, height, title);
    let _ = write!(
        s,
        r#"<text x="{left}" y="16" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as f64 * (bar + gap);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + bar * 0.75,
            escape(row.label)
        );
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
    for (k, src) in Source::ALL.iter().enumerate() {
        let x = 10.0 + k as f64 * 72.0;
        let y = plot_bottom + 46.0;
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{y}" width="10" height="10" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            SOURCE_COLOURS[k],
            x + 13.0,
            y + 9.0,
            src.name().replace("other_renewables", "other ren.")
        );
    }
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
    /// Hashrate, TH/s (sets the area of the circle).
    pub hashrate_ths: f64,
}

/// Intensity (x) against risk score (y), circles sized by hashrate and coloured by risk level.
pub fn scatter(title: &str, points: &[RiskPoint]) -> String {
    let (left, top, width, height) = (60.0, 44.0, 460.0, 260.0);
    let x_max = points
        .iter()
        .map(|p| p.intensity_g_per_kwh)
        .fold(0.0, f64::max)
        .max(100.0);
    let xt = ticks(x_max, 6);
    let x_top = *xt.last().unwrap_or(&x_max);
    let h_max = points.iter().map(|p| p.hashrate_ths).fold(0.0, f64::max);
    let mut s = String::new();
    open(&mut s, left + width + 150.0, top + height + 50.0, title);
    let _ = write!(
        s,
        r#"<text x="{left}" y="16" font-weight="bold">{}</text>"#,
        escape(title)
    );
    let px = |v: f64| left + v / x_top * width;
    let py = |v: f64| top + height - v / 100.0 * height;
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
    for p in points {
        // Area proportional to hashrate: radius 3-18 px.
        let r = if h_max > 0.0 {
            3.0 + 15.0 * (p.hashrate_ths / h_max).sqrt()
        } else {
            5.0
        };
        let _ = write!(
            s,
            r##"<circle cx="{:.2}" cy="{:.2}" r="{r:.2}" fill="{}" fill-opacity="0.6" stroke="#333"><title>{}: {:.1} gCO2e/kWh, risk {}</title></circle>"##,
            px(p.intensity_g_per_kwh),
            py(p.risk_score),
            RISK_COLOURS[p.level.min(3)],
            escape(p.label),
            p.intensity_g_per_kwh,
            p.risk_score
        );
        // The site's name beside its circle, so the chart reads on paper too.
        let _ = write!(
            s,
            r#"<text x="{:.2}" y="{:.2}" font-size="9">{}</text>"#,
            px(p.intensity_g_per_kwh) + r + 2.0,
            py(p.risk_score) + 3.0,
            escape(p.label.split(',').next().unwrap_or(p.label))
        );
    }
    scatter_legend(&mut s, left + width, top);
    s.push_str("</svg>");
    s
}

/// The scatter's legend, right of the plot (whose right edge is `right`): the risk levels'
/// colours and what a circle's area means.
fn scatter_legend(s: &mut String, right: f64, top: f64) {
    for (k, name) in ["low", "elevated", "high", "severe"].iter().enumerate() {
        let y = top + 10.0 + k as f64 * 18.0;
        let x = right + 20.0;
        let _ = write!(
            s,
            r#"<circle cx="{x}" cy="{y}" r="6" fill="{}" fill-opacity="0.6"/><text x="{}" y="{}">{name}</text>"#,
            RISK_COLOURS[k],
            x + 12.0,
            y + 4.0
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}">circle area: hashrate</text>"#,
        right + 14.0,
        top + 90.0
    );
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
    let (left, top, row_h, width) = (190.0, 30.0, 20.0, 460.0);
    let x_max = rows.iter().map(|r| r.high.max(r.value)).fold(0.0, f64::max);
    let xt = ticks(x_max, 6);
    let x_top = xt.last().copied().filter(|t| *t > 0.0).unwrap_or(1.0);
    let bottom = top + rows.len() as f64 * row_h;
    let mut s = String::new();
    open(&mut s, left + width + 30.0, bottom + 60.0, title);
    let _ = write!(
        s,
        r#"<text x="{left}" y="16" font-weight="bold">{}</text>"#,
        escape(title)
    );
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
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end">{}</text><line x1="{:.2}" y1="{y}" x2="{:.2}" y2="{y}" stroke="#1f4e79" stroke-width="3"/><circle cx="{:.2}" cy="{y}" r="4" fill="#c92a2a"><title>{}: {} (90%: {}-{})</title></circle>"##,
            left - 6.0,
            y + 4.0,
            escape(r.label),
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
        r##"<text x="{}" y="{}" text-anchor="middle">{}; line: 90% interval (5th-95th percentile), dot: headline</text>"##,
        left + width / 2.0,
        bottom + 32.0,
        escape(unit)
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
        // 460 px wide plot from x = 190: coal 0-230, hydro 230-460.
        assert!(svg.contains(r##"<rect x="190.00" y="30.00" width="230.00" height="16" fill="#3b3b3b"><title>coal: 50.0%</title></rect>"##));
        assert!(svg.contains(r##"<rect x="420.00" y="30.00" width="230.00" height="16" fill="#1f77b4"><title>hydro: 50.0%</title></rect>"##));
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains("share of generation, %"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_scatter_places_points_on_both_axes() {
        let svg = scatter(
            "risk",
            &[RiskPoint {
                label: "kz",
                intensity_g_per_kwh: 400.0,
                risk_score: 50.0,
                level: 2,
                hashrate_ths: 10.0,
            }],
        );
        // x axis 0-400 (ticks of 100) over 460 px: 400 -> 60 + 460 = 520; y 50 -> 44 + 130 = 174.
        assert!(
            svg.contains(r##"<circle cx="520.00" cy="174.00" r="18.00" fill="#e8590c""##),
            "{svg}"
        );
        assert!(svg.contains("carbon intensity, gCO2e/kWh"));
        assert!(svg.contains("risk score, 0-100"));
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
        // Ticks to 800: 600 -> 190 + 345 = 535, 700 -> 592.5, 650 -> 563.75.
        assert!(svg.contains(r#"x1="535.00" y1="40" x2="592.50" y2="40""#), "{svg}");
        assert!(svg.contains(r#"<circle cx="563.75" cy="40" r="4""#));
    }
}
