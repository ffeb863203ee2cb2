//! `hashmix._hashmix`: the hashmix library for Python. Every figure comes from the library's
//! own engine; this crate only moves options in and columns out:
//!
//! - [`assess_columns`] runs `hashmix assess` on CSV bytes (a DataFrame written by pandas, or a
//!   file's bytes) and returns each output field as a typed column (floats as little-endian
//!   f64 bytes, text as codes into a list of distinct values), and the portfolio, sources,
//!   draws and Scope tail as the JSON `hashmix assess --format json` ends with;
//! - [`run`] runs any other command line (`compare`, `regions`, `miners`, `mica`, `report`,
//!   `backtest`) to a file, as the binary does.
//!
//! Errors that stop a run raise `hashmix.Error` subclasses with the binary's message.

use std::collections::HashMap;
use std::fmt::Write as _;

use clap::Parser;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use hashmix::Error as CoreError;

// The library's engine allocates many small rows on one thread and frees them on others:
// mimalloc keeps that cheap, as in the binary (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use hashmix::assess::SiteResult;
use hashmix::cli::{Cli, Command};
use hashmix::output::fields::{Cell, SITE_COLUMNS};
use hashmix::output::{Columns, Tail, Writer};
use hashmix::settings::{self, AssessSettings};
use hashmix::sites::SiteReader;
use hashmix::stream;

create_exception!(
    _hashmix,
    Error,
    PyException,
    "A run of hashmix could not be done; the message is the command line's."
);
create_exception!(
    _hashmix,
    UsageError,
    Error,
    "An option was not valid (the command line's exit code 2)."
);
create_exception!(
    _hashmix,
    InputError,
    Error,
    "The sites (or another input file) cannot be used at all."
);
create_exception!(
    _hashmix,
    DataError,
    Error,
    "Grid data, emission factors or risk rules could not be read."
);
create_exception!(_hashmix, OutputError, Error, "The output could not be written.");

/// The binary's message for an error: the error, then each cause on its own line.
fn message(e: &CoreError) -> String {
    hashmix::error::error_lines(e).join("\n  caused by: ")
}

/// The Python exception for a library error, by what went wrong.
fn to_py(e: CoreError) -> PyErr {
    let text = message(&e);
    match e {
        CoreError::Usage(_) | CoreError::Options(_) | CoreError::Strict(_) => UsageError::new_err(text),
        CoreError::Read { .. } | CoreError::UnusableInput { .. } => InputError::new_err(text),
        CoreError::GridData { .. } | CoreError::Factors { .. } | CoreError::RiskRules { .. } => {
            DataError::new_err(text)
        }
        CoreError::Write(_) | CoreError::Output { .. } => OutputError::new_err(text),
        #[allow(unreachable_patterns)]
        _ => Error::new_err(text),
    }
}

/// The command line `argv` (without the program's name) parsed as the binary parses it.
fn parse(argv: &[String]) -> PyResult<Cli> {
    let args = std::iter::once("hashmix".to_string()).chain(argv.iter().cloned());
    Cli::try_parse_from(args).map_err(|e| UsageError::new_err(e.to_string().trim_end().to_string()))
}

/// One output field gathered over the rows.
enum Column {
    /// Numbers (integers too), NaN where empty; `integer` when the field holds whole numbers.
    Number { values: Vec<f64>, integer: bool },
    /// Text as codes into `distinct` (-1: empty), so that a region's long notes are one string.
    Text {
        codes: Vec<i32>,
        distinct: Vec<String>,
        index: HashMap<String, i32>,
        /// The last value's code: a region's text repeats from row to row, and comparing it
        /// with the last value is cheaper than hashing it.
        last: Option<i32>,
    },
}

impl Column {
    fn push_text(&mut self, value: Option<&str>) {
        if let Column::Text {
            codes,
            distinct,
            index,
            last,
        } = self
        {
            let code = match value {
                None => -1,
                Some(v) if last.is_some_and(|c| distinct.get(c as usize).is_some_and(|d| d == v)) => last.unwrap_or(-1),
                Some(v) => match index.get(v) {
                    Some(c) => *c,
                    None => {
                        let c = i32::try_from(distinct.len()).unwrap_or(i32::MAX);
                        distinct.push(v.to_string());
                        index.insert(v.to_string(), c);
                        c
                    }
                },
            };
            if code >= 0 {
                *last = Some(code);
            }
            codes.push(code);
        }
    }

    fn push_number(&mut self, value: Option<f64>, whole: bool) {
        if let Column::Number { values, integer } = self {
            values.push(value.unwrap_or(f64::NAN));
            *integer |= whole && value.is_some();
        }
    }
}

/// A [`Writer`] that keeps each field as a column, with the values JSON writes (numbers
/// rounded to the field's decimals), and the tail as JSON.
struct Collector {
    kept: Vec<usize>,
    columns: Vec<Column>,
    tail: Option<String>,
}

impl Collector {
    fn new(columns: &Columns) -> Collector {
        let kept = columns.kept().to_vec();
        let columns = kept
            .iter()
            .map(|i| match SITE_COLUMNS[*i].unit {
                Some(_) => Column::Number {
                    values: Vec::new(),
                    integer: false,
                },
                None => Column::Text {
                    codes: Vec::new(),
                    distinct: Vec::new(),
                    index: HashMap::new(),
                    last: None,
                },
            })
            .collect();
        Collector {
            kept,
            columns,
            tail: None,
        }
    }
}

impl Writer for Collector {
    fn site(&mut self, result: &SiteResult) -> std::io::Result<()> {
        for (column, i) in self.columns.iter_mut().zip(&self.kept) {
            match SITE_COLUMNS[*i].json_value(result) {
                Cell::Text(v) => column.push_text(v),
                Cell::Reasons(v) => column.push_text(v.map(|r| r.summary.as_str())),
                Cell::Number(v) => column.push_number(v, false),
                Cell::Integer(v) => column.push_number(v.map(|n| n as f64), true),
            }
        }
        Ok(())
    }

    fn finish(&mut self, tail: &Tail) -> std::io::Result<()> {
        self.tail = Some(serde_json::to_string(tail)?);
        Ok(())
    }
}

/// A column of a DataFrame, as Python hands it over: numbers as buffers, text as strings.
#[derive(FromPyObject)]
enum FrameColumn {
    /// (name, "float", little-endian f64 bytes; NaN is empty)
    #[pyo3(annotation = "tuple[str, str, bytes]")]
    Numbers(String, String, Vec<u8>),
    /// (name, text cells; None is empty)
    #[pyo3(annotation = "tuple[str, list[str | None]]")]
    Texts(String, Vec<Option<String>>),
}

/// The CSV a sites file would hold for these columns: header, then one line per row. Numbers
/// are written as Rust writes an f64 (the shortest text that reads back as the same number),
/// whole numbers without a decimal point; empty cells for NaN and None.
fn frame_csv(columns: &[FrameColumn]) -> Result<Vec<u8>, String> {
    let len = |c: &FrameColumn| match c {
        FrameColumn::Numbers(_, _, bytes) => bytes.len() / 8,
        FrameColumn::Texts(_, values) => values.len(),
    };
    let n = columns.first().map_or(0, len);
    for column in columns {
        if len(column) != n {
            return Err("the frame's columns are not all as long".into());
        }
        if let FrameColumn::Numbers(name, kind, _) = column
            && kind != "int"
            && kind != "float"
        {
            return Err(format!(
                "column {name}: {kind:?} is not a kind of numbers (int or float)"
            ));
        }
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header: Vec<&str> = columns
        .iter()
        .map(|c| match c {
            FrameColumn::Numbers(name, _, _) | FrameColumn::Texts(name, _) => name.as_str(),
        })
        .collect();
    w.write_record(&header).map_err(|e| e.to_string())?;
    let mut record: Vec<String> = vec![String::new(); columns.len()];
    for row in 0..n {
        for (out, column) in record.iter_mut().zip(columns) {
            out.clear();
            match column {
                FrameColumn::Numbers(_, kind, bytes) => {
                    let at = row * 8;
                    let raw: [u8; 8] = bytes[at..at + 8].try_into().map_err(|_| "short buffer")?;
                    let _ = match kind.as_str() {
                        "int" => write!(out, "{}", i64::from_le_bytes(raw)),
                        _ => match f64::from_le_bytes(raw) {
                            x if x.is_nan() => Ok(()),
                            x => write!(out, "{x}"),
                        },
                    };
                }
                FrameColumn::Texts(_, values) => {
                    if let Some(v) = &values[row] {
                        out.push_str(v);
                    }
                }
            }
        }
        w.write_record(&record).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The CSV the library reads for a DataFrame's columns (what `assess` reads, and what the
/// functions that run a command write to a file for it).
#[pyfunction]
#[pyo3(name = "frame_csv")]
fn frame_csv_py<'py>(py: Python<'py>, frame: Vec<FrameColumn>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py.detach(|| frame_csv(&frame)).map_err(InputError::new_err)?;
    Ok(PyBytes::new(py, &bytes))
}

/// One column for Python: (name, kind, data, distinct values). `kind` is "float" or "int"
/// (data: little-endian f64, NaN empty) or "text" (data: little-endian i32 codes, -1 empty).
type PyColumn<'py> = (String, &'static str, Bound<'py, PyBytes>, Option<Vec<String>>);

/// Assess the sites of `argv` (`assess FILE ...` as on the command line) or, when `frame` is
/// given, the sites in those columns (a DataFrame's; `name` names it in messages, and its
/// header is line 1).
/// Returns the columns, the tail's JSON and the exit code the binary would give (0 or 1).
#[pyfunction]
fn assess_columns<'py>(
    py: Python<'py>,
    argv: Vec<String>,
    frame: Option<Vec<FrameColumn>>,
    name: &str,
) -> PyResult<(Vec<PyColumn<'py>>, String, u8)> {
    let cli = parse(&argv)?;
    let Command::Assess(args) = cli.command else {
        return Err(UsageError::new_err("assess_columns runs `assess` only"));
    };
    let settings = AssessSettings::from_args(&args).map_err(to_py)?;
    let name = name.to_string();
    let csv = match frame {
        Some(columns) => Some(py.detach(|| frame_csv(&columns)).map_err(InputError::new_err)?),
        None => None,
    };
    let (collector, failed) = py
        .detach(move || -> Result<(Collector, u64), CoreError> {
            let assessor = settings::assessor(settings.options.clone())?;
            let reader = match csv {
                Some(bytes) => SiteReader::from_bytes(bytes, &name)?,
                None => SiteReader::open(&settings.sites)?,
            };
            let mut collector = Collector::new(&settings.columns);
            let streamed = stream::assess_rows(reader, &assessor, &mut collector, |_| {
                std::ops::ControlFlow::Continue(())
            })?;
            stream::finish(&mut collector, &assessor, &streamed.portfolio)?;
            Ok((collector, streamed.portfolio.sites_failed))
        })
        .map_err(to_py)?;
    let mut out = Vec::with_capacity(collector.columns.len());
    for (column, i) in collector.columns.into_iter().zip(&collector.kept) {
        let field = SITE_COLUMNS[*i].name.to_string();
        out.push(match column {
            Column::Number { values, integer } => {
                let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
                (
                    field,
                    if integer { "int" } else { "float" },
                    PyBytes::new(py, &bytes),
                    None,
                )
            }
            Column::Text { codes, distinct, .. } => {
                let bytes: Vec<u8> = codes.iter().flat_map(|c| c.to_le_bytes()).collect();
                (field, "text", PyBytes::new(py, &bytes), Some(distinct))
            }
        });
    }
    let tail = collector.tail.unwrap_or_else(|| "{}".to_string());
    Ok((out, tail, u8::from(failed > 0)))
}

/// Run a command line (without the program's name) as the binary does, output to the file its
/// `-o` names. Returns the exit code (0, or 1 when some rows failed).
#[pyfunction]
fn run(py: Python<'_>, argv: Vec<String>) -> PyResult<u8> {
    let cli = parse(&argv)?;
    let outcome = py.detach(move || hashmix::commands::run(cli)).map_err(to_py)?;
    Ok(outcome.exit_code())
}

/// The miner catalogue as `hashmix miners --format json` writes it.
#[pyfunction]
fn miners_json() -> PyResult<String> {
    let catalogue = hashmix::miners::Catalogue::parse(&hashmix::grid::GridFiles::embedded().miners).map_err(to_py)?;
    serde_json::to_string(catalogue.miners()).map_err(|e| Error::new_err(e.to_string()))
}

/// The schema of `assess`'s fields, as the JSON output names it.
#[pyfunction]
fn assess_schema() -> &'static str {
    hashmix::pipeline::ASSESS_SCHEMA
}

/// The hashmix version this module was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _hashmix(m: &Bound<'_, PyModule>) -> PyResult<()> {
    hashmix::commands::target::run_embedded();
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add_function(wrap_pyfunction!(assess_columns, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(assess_schema, m)?)?;
    m.add_function(wrap_pyfunction!(miners_json, m)?)?;
    m.add_function(wrap_pyfunction!(frame_csv_py, m)?)?;
    Ok(())
}
