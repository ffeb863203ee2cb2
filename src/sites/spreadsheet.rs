//! Site files from spreadsheets (calamine): the first sheet becomes CSV text, so every column
//! rule, alias and message of the CSV reader applies, and line N is the sheet's row N.

use calamine::{Data, Reader, open_workbook_auto};

use crate::Error;

/// The text of a cell as CSV would hold it: numbers in a form that reads as the same number
/// whatever the sheet's text cells show of its decimal mark (see [`super::numbers::cell_text`]).
fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => super::numbers::cell_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => t.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The first sheet of a workbook as CSV bytes.
pub fn first_sheet_as_csv(path: &str) -> Result<Vec<u8>, Error> {
    let unusable = |message: String| Error::UnusableInput {
        input: path.into(),
        message,
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| unusable(format!("not a readable spreadsheet: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unusable("the workbook has no sheet".into()))?
        .map_err(|e| unusable(format!("the first sheet cannot be read: {e}")))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        out.write_record(row.iter().map(cell))
            .map_err(|e| unusable(e.to_string()))?;
    }
    out.into_inner().map_err(|e| unusable(e.to_string()))
}
