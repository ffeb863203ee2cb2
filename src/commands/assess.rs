//! `hashmix assess`: read sites, assess each as it arrives, write, then the portfolio.

use std::io::Write;

use crate::Error;
use crate::assess::Portfolio;
use crate::cli::AssessArgs;
use crate::commands::Outcome;
use crate::grid::factors::FactorChoice;
use crate::output::{self, Tail, Writer};
use crate::pipeline::{Assessor, SiteRecord, Tally};
use crate::sites::{Position, RawRow, SiteReader};
use rayon::prelude::*;

/// Turn `--factors` into a typed choice.
pub fn factor_choice(text: &str) -> FactorChoice {
    match text {
        "lifecycle" => FactorChoice::Lifecycle,
        "direct" => FactorChoice::Direct,
        path => FactorChoice::File(path.to_string()),
    }
}

/// Write the portfolio, the sources and the draws' description, and close the output.
fn finish(writer: &mut dyn Writer, assessor: &Assessor, portfolio: &Portfolio) -> std::io::Result<()> {
    let uncertainty = assessor.uncertainty();
    writer.finish(&Tail {
        portfolio: &assessor.portfolio_record(portfolio),
        sources: &assessor.sources(),
        uncertainty: uncertainty.as_ref(),
    })
}

/// Rows assessed together on all cores: enough to keep two cores busy, few enough that
/// memory stays flat.
const CHUNK_ROWS: usize = 2048;

/// A chunk of rows as the reader hands it over: in runs of PART_ROWS, one task each.
type Chunk = Vec<Vec<RawRow>>;

/// Assess and encode a chunk of rows on all cores, keeping their order: one task per run of
/// rows, each encoding into one buffer so that a row's bytes cost no allocation of their own.
/// The chunk's rows are handed back to be refilled.
fn assess_chunk<'a>(
    assessor: &'a Assessor,
    chunk: &Chunk,
    encode: Option<&output::Encoder>,
) -> std::io::Result<Vec<Part<'a>>> {
    chunk
        .par_iter()
        .map(|part| {
            let mut bytes = Vec::with_capacity(part.len() * 1024);
            let mut rows = Vec::with_capacity(part.len());
            for row in part {
                let record = assessor.assess_row(row);
                rows.push(match encode {
                    Some(encode) => {
                        encode(&record, &mut bytes)?;
                        Done::Encoded {
                            tally: Tally::of(&record),
                            error: record.error,
                            position: record.position,
                            end: bytes.len(),
                        }
                    }
                    None => Done::Record(Box::new(record)),
                });
            }
            Ok(Part { rows, bytes })
        })
        .collect()
}

/// Rows assessed as one task, and their encoded bytes in one buffer.
struct Part<'a> {
    rows: Vec<Done<'a>>,
    bytes: Vec<u8>,
}

/// An assessed row as the writing thread gets it.
enum Done<'a> {
    /// Its bytes are encoded: what it adds to the portfolio, its error, and where its bytes
    /// end in the task's buffer. The record itself is dropped where it was made.
    Encoded {
        tally: Tally,
        error: Option<String>,
        position: Option<Position>,
        end: usize,
    },
    /// The format writes records itself.
    Record(Box<SiteRecord<'a>>),
}

/// Rows per task within a chunk.
const PART_ROWS: usize = 64;

/// Read the input in chunks of rows and send them on, then an error if the rest of the input
/// is unusable. Stops when the receiver has gone (the run stopped early). Rows come back from
/// `spare` once assessed and are refilled, so that reading allocates nothing per row.
fn read_chunks(
    mut reader: SiteReader,
    chunks: std::sync::mpsc::SyncSender<Result<Chunk, Error>>,
    spare: std::sync::mpsc::Receiver<Chunk>,
) {
    loop {
        let mut old = spare.try_recv().unwrap_or_default().into_iter().flatten();
        let mut rows: Chunk = Vec::with_capacity(CHUNK_ROWS / PART_ROWS);
        let mut read = 0;
        let mut unusable = None;
        while read < CHUNK_ROWS {
            let next = match old.next() {
                Some(mut row) => reader.read_into(&mut row).map(|r| r.map(|()| row)),
                None => reader.next_row(),
            };
            match next {
                Some(Ok(row)) => {
                    match rows.last_mut() {
                        Some(part) if part.len() < PART_ROWS => part.push(row),
                        _ => {
                            let mut part = Vec::with_capacity(PART_ROWS);
                            part.push(row);
                            rows.push(part);
                        }
                    }
                    read += 1;
                }
                Some(Err(e)) => {
                    unusable = Some(e);
                    break;
                }
                None => break,
            }
        }
        let last = read < CHUNK_ROWS || unusable.is_some();
        if !rows.is_empty() && chunks.send(Ok(rows)).is_err() {
            return;
        }
        if let Some(e) = unusable {
            let _ = chunks.send(Err(e));
        }
        if last {
            return;
        }
    }
}

/// Run `hashmix assess`.
pub fn run(args: &AssessArgs) -> Result<Outcome, Error> {
    let options = super::options(&args.model);
    let columns = match &args.columns {
        None => output::Columns::all(),
        Some(_) if args.format == output::Format::Table => {
            return Err(Error::Usage(
                "--columns chooses the fields of csv, json, ndjson, geojson and xlsx; the table has its own".into(),
            ));
        }
        Some(list) => output::Columns::parse(list).map_err(Error::Usage)?,
    };
    let assessor = Assessor::embedded(options)?;
    let reader = SiteReader::open(&args.sites)?;
    let mut writer: Box<dyn Writer> = match (args.format, &args.output) {
        (output::Format::Xlsx, Some(path)) => Box::new(output::xlsx::XlsxWriter::new(path, &columns)?),
        (output::Format::Xlsx, None) => {
            return Err(Error::Usage(
                "--format xlsx writes a workbook: give -o FILE.xlsx".into(),
            ));
        }
        (format, path) => output::writer(format, super::open_output(path)?, &columns)?,
    };
    let bar = super::progress(args.quiet);

    let mut portfolio = Portfolio::default();
    let mut stderr = std::io::stderr().lock();
    let name = reader.name.clone();
    let encode = writer.encoder();
    let encode = encode.as_ref();
    // Three stages run at once: one thread reads chunks of rows; another has all cores assess
    // and encode a chunk; this thread writes the chunk before and adds it to the portfolio, in
    // input order, so the output is the same on any number of cores.
    let (chunks, to_assess) = std::sync::mpsc::sync_channel(2);
    let (assessed, to_write) = std::sync::mpsc::sync_channel(2);
    // Assessed rows go back to the reader to be refilled; when it has enough, the rest drop.
    let (spare, to_refill) = std::sync::mpsc::sync_channel(2);
    let assessor = &assessor;
    std::thread::scope(|scope| {
        scope.spawn(move || read_chunks(reader, chunks, to_refill));
        scope.spawn(move || {
            for chunk in to_assess {
                let done = chunk.map(|rows| {
                    let done = assess_chunk(assessor, &rows, encode);
                    let _ = spare.try_send(rows);
                    done
                });
                if assessed.send(done).is_err() {
                    return;
                }
            }
        });
        for chunk in to_write {
            for part in chunk?? {
                // A task's rows go out in one write (under --strict, up to its first failed row).
                for done in &part.rows {
                    let (error, position, end) = match done {
                        Done::Encoded {
                            tally,
                            error,
                            position,
                            end,
                        } => {
                            tally.add_to(&mut portfolio);
                            (error, position, *end)
                        }
                        Done::Record(record) => {
                            assessor.add_to(record, &mut portfolio);
                            writer.site(record)?;
                            (&record.error, &record.position, 0)
                        }
                    };
                    if let Some(message) = error {
                        // Errors also go to standard error as FILE:LINE (GeoJSON: FILE, then the feature).
                        let _ = match position {
                            Some(Position::Line(n)) => writeln!(stderr, "{name}:{n}: {message}"),
                            _ => writeln!(stderr, "{name}: {message}"),
                        };
                        if args.strict {
                            if encode.is_some() {
                                writer.encoded(&part.bytes[..end])?;
                            }
                            finish(&mut *writer, assessor, &portfolio)?;
                            return Err(Error::Strict(format!("{name}: {message}")));
                        }
                    }
                }
                if encode.is_some() {
                    writer.encoded(&part.bytes)?;
                }
            }
            bar.set_position(portfolio.sites);
        }
        Ok(())
    })?;
    finish(&mut *writer, assessor, &portfolio)?;
    bar.finish_and_clear();
    Ok(if portfolio.sites_failed > 0 {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}
