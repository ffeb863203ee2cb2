//! Making user-supplied text safe where it is shown: site ids, names, notes and messages come
//! from files hashmix does not control, and each place they reach reads some characters as
//! commands. A spreadsheet runs a CSV cell beginning with `=` as a formula; a terminal obeys
//! escape sequences and a newline starts a new table row; Markdown and HTML read tags, links
//! and table bars. Each function here turns text into what its destination shows as plain text.

use std::borrow::Cow;

/// The UTF-8 byte-order mark: written first (`--bom`), it tells Excel a CSV file is UTF-8.
/// Without it Excel reads the file in the system's code page and shows `Québec` as `QuÃ©bec`.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How CSV text cells that a spreadsheet would read as a formula are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formulas {
    /// Such a cell gets a leading `'`, so that a spreadsheet shows it as text (the default).
    #[default]
    Neutralise,
    /// Cells are written as they are (`--allow-formulas`).
    Allow,
}

/// Whether a spreadsheet reads text beginning like this as a formula: it begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return. These are the characters OWASP lists for CSV
/// injection (<https://owasp.org/www-community/attacks/CSV_Injection>); only the first byte
/// is looked at, so a cell that does not begin with one costs a single comparison.
pub fn starts_formula(text: &[u8]) -> bool {
    matches!(text.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// A text cell as `formulas` writes it: with a leading `'` when it would be read as a formula
/// (OWASP's advice), else as it is. For text cells only: a number such as `-5` stays a number.
pub fn neutralise(text: &str, formulas: Formulas) -> Cow<'_, str> {
    if formulas == Formulas::Neutralise && starts_formula(text.as_bytes()) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a character changes what a terminal shows rather than showing itself: the C0
/// controls (newline, tab, escape...), DEL, the C1 controls (including the single-byte CSI,
/// U+009B), and the bidirectional overrides and isolates that reorder the rest of a line.
fn is_terminal_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text safe to print on a terminal: every control character (see [`is_terminal_control`]) as
/// a visible escape, `\n`, `\r`, `\t` or `\u{1b}`, so that a name cannot colour the screen,
/// write a hyperlink or forge a row of a table. Text without one is returned as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_terminal_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text that Markdown shows as it is, in a paragraph or a table cell: `&`, `<` and `>` as
/// HTML entities (no tag, comment or autolink), the characters of links, images, code and
/// emphasis (`\`, `` ` ``, `*`, `_`, `[`, `]`) and the table's `|` escaped with a backslash,
/// line breaks, which would end a table row, as spaces, and other control characters but tab
/// as visible escapes (as [`visible`] writes them).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            '\t' => out.push(c),
            c if is_terminal_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_quote_and_others_stay() {
        // Issue 20: the characters OWASP lists, each at the start of a cell.
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+1", "'+1"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(neutralise(cell, Formulas::Neutralise), want);
            assert_eq!(neutralise(cell, Formulas::Allow), cell);
        }
        // Only the first character counts; an empty cell stays empty.
        for cell in ["a=1", "Québec", "5-6", "", " =1", "'=1"] {
            assert!(matches!(neutralise(cell, Formulas::Neutralise), Cow::Borrowed(c) if c == cell));
        }
    }

    #[test]
    fn control_characters_become_visible_escapes() {
        // Issue 20: an OSC 8 hyperlink, an ANSI colour, a forged row, C1's CSI and a bidi override.
        assert_eq!(
            visible("a\u{1b}]8;;http://evil\u{7}b"),
            "a\\u{1b}]8;;http://evil\\u{7}b"
        );
        assert_eq!(visible("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(visible("two\nlines\r\tx"), "two\\nlines\\r\\tx");
        assert_eq!(visible("del\u{7f} csi\u{9b}"), "del\\u{7f} csi\\u{9b}");
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(matches!(visible("Québec, 北京"), Cow::Borrowed("Québec, 北京")));
    }

    #[test]
    fn markdown_shows_tags_links_and_bars_as_text() {
        // Issue 20.
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            markdown("![x](http://t/p.png) [a](javascript:b)"),
            "!\\[x\\](http://t/p.png) \\[a\\](javascript:b)"
        );
        assert_eq!(
            markdown("a | b\nc &amp; `d` *e* _f_ \\"),
            "a \\| b c &amp;amp; \\`d\\` \\*e\\* \\_f\\_ \\\\"
        );
        assert_eq!(markdown("Québec-Nord (CA-QC)"), "Québec-Nord (CA-QC)");
        assert_eq!(markdown("a\u{1b}[31m\tb"), "a\\u{1b}\\[31m\tb");
    }
}
