//! `hashmix assess`: read sites, assess each as it arrives, write, then the portfolio.

use std::io::Write;

use crate::Error;
use crate::assess::{Contribution, Portfolio, SiteResult};
use crate::cli::AssessArgs;
use crate::commands::Outcome;
use crate::commands::target::{Inputs, Output, PendingFile};
use crate::grid::factors::FactorChoice;
use crate::output::text::visible;
use crate::output::{self, Tail, Writer};
use crate::pipeline::{Assessor, nearby_key, nearby_order};
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

/// Rows assessed together on all cores: enough that many sites find a neighbour among them
/// (they are assessed nearby sites first, see [`crate::pipeline::nearby_first`]) and that two cores stay busy,
/// few enough that memory stays flat.
const CHUNK_ROWS: usize = 8192;

/// Rows assessed as one task.
const RUN_ROWS: usize = 64;

/// A chunk of rows as the reader hands it over: nearby sites first.
struct Chunk {
    rows: Vec<RawRow>,
    /// Where each row was in the input, as an index into the chunk's input rows.
    order: Vec<u32>,
}

/// Assess and encode a chunk of rows on all cores, nearby sites one after another (their
/// boundaries and region data are then still in the cores' caches), in runs of RUN_ROWS rows,
/// one task each. Each run encodes into one buffer, so that a row's bytes cost no allocation
/// of their own; the writer puts them back in input order.
fn assess_chunk<'a>(
    assessor: &'a Assessor,
    chunk: &Chunk,
    encode: Option<&output::Encoder>,
) -> std::io::Result<Assessed<'a>> {
    let runs = chunk
        .rows
        .par_chunks(RUN_ROWS)
        .map(|run| {
            let mut bytes = Vec::with_capacity(run.len() * 1024);
            let mut rows = Vec::with_capacity(run.len());
            for row in run {
                let record = assessor.assess_row(row);
                rows.push(match encode {
                    Some(encode) => {
                        let start = bytes.len();
                        encode(&record, &mut bytes)?;
                        Done::Encoded {
                            contribution: Contribution::of(&record),
                            messages: Messages::of(record.error, record.warnings),
                            position: record.position,
                            bytes: start..bytes.len(),
                        }
                    }
                    None => Done::Record(Box::new(record)),
                });
            }
            Ok(Run { rows, bytes })
        })
        .collect::<std::io::Result<_>>()?;
    // Where each input row went: its place in the order.
    let mut place = vec![0; chunk.order.len()];
    for (at, &i) in chunk.order.iter().enumerate() {
        place[i as usize] = at as u32;
    }
    Ok(Assessed { runs, place })
}

/// A chunk's rows once assessed.
struct Assessed<'a> {
    /// The runs, in the order the rows were assessed.
    runs: Vec<Run<'a>>,
    /// Each input row's place in that order.
    place: Vec<u32>,
}

impl<'a> Assessed<'a> {
    /// The rows in input order, each with the buffer of the run that encoded it.
    fn in_input_order(&self) -> impl Iterator<Item = (&Done<'a>, &[u8])> {
        self.place.iter().map(|&at| {
            let run = &self.runs[at as usize / RUN_ROWS];
            (&run.rows[at as usize % RUN_ROWS], run.bytes.as_slice())
        })
    }
}

/// Rows assessed as one task, and their encoded bytes in one buffer.
struct Run<'a> {
    rows: Vec<Done<'a>>,
    bytes: Vec<u8>,
}

/// An assessed row as the writing thread gets it.
enum Done<'a> {
    /// Its bytes are encoded: what it adds to the portfolio, its error and warnings, and where its bytes
    /// lie in the run's buffer. The record itself is dropped where it was made.
    Encoded {
        contribution: Contribution,
        messages: Option<Box<Messages>>,
        position: Position,
        bytes: std::ops::Range<usize>,
    },
    /// The format writes results itself.
    Record(Box<SiteResult<'a>>),
}

/// A row's error and warnings, for standard error: boxed, and only for a row that has either, so
/// that a row without any costs no allocation and its [`Done`] stays small.
struct Messages {
    error: Option<String>,
    warnings: String,
}

impl Messages {
    fn of(error: Option<String>, warnings: String) -> Option<Box<Messages>> {
        (error.is_some() || !warnings.is_empty()).then(|| Box::new(Messages { error, warnings }))
    }
}

/// Reads the input in chunks of rows, each with its rows nearby sites first (see [`Chunk`]).
/// Rows are read into the reader's own rows, then copied in their new order into rows given
/// back once assessed: reading allocates nothing per row, and the copy, one row after another,
/// waits on memory far less than the assessing would if it took the rows in a random order.
struct ChunkReader {
    reader: SiteReader,
    read: Vec<RawRow>,
    /// Each row's key in the order, taken as the row is read (see [`nearby_key`]).
    keys: Vec<u64>,
    /// The error that cut the last chunk short, to be given next.
    unusable: Option<Error>,
    finished: bool,
}

impl ChunkReader {
    fn new(reader: SiteReader) -> ChunkReader {
        ChunkReader {
            reader,
            read: Vec::with_capacity(CHUNK_ROWS),
            keys: Vec::with_capacity(CHUNK_ROWS),
            unusable: None,
            finished: false,
        }
    }

    /// The next chunk, copied into `rows`; none at the end of the input. When the rest of
    /// the input is unusable, its error comes after the rows read before it.
    fn next(&mut self, mut rows: Vec<RawRow>) -> Option<Result<Chunk, Error>> {
        if let Some(e) = self.unusable.take() {
            return Some(Err(e));
        }
        if self.finished {
            return None;
        }
        let mut n = 0;
        self.keys.clear();
        while n < CHUNK_ROWS {
            let next = match self.read.get_mut(n) {
                Some(row) => self.reader.read_into(row),
                None => self.reader.next_row().map(|r| r.map(|row| self.read.push(row))),
            };
            match next {
                Some(Ok(())) => {
                    self.keys.push(nearby_key(&self.read[n], n as u32));
                    n += 1;
                }
                Some(Err(e)) => {
                    self.unusable = Some(e);
                    break;
                }
                None => break,
            }
        }
        self.finished = n < CHUNK_ROWS || self.unusable.is_some();
        if n == 0 {
            return self.unusable.take().map(Err);
        }
        let read = &self.read[..n];
        let order = nearby_order(&mut self.keys);
        rows.truncate(n);
        for (at, &i) in order.iter().enumerate() {
            match rows.get_mut(at) {
                Some(row) => row.clone_from(&read[i as usize]),
                None => rows.push(read[i as usize].clone()),
            }
        }
        Some(Ok(Chunk { rows, order }))
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
    let csv = super::csv_options(&args.csv, args.format == output::Format::Csv)?;
    // The output is checked and started before any work: a target that cannot be written, or
    // must not be (an input), fails now and names itself. A file is written aside and put in
    // place only once complete (see `target`): a failed or stopped run leaves none.
    let inputs = Inputs::default().sites(&args.sites).model(&args.model);
    let workbook = match (args.format, super::output_file(&args.output)) {
        (output::Format::Xlsx, Some(path)) => Some(path),
        (output::Format::Xlsx, None) => {
            return Err(Error::Usage(
                "--format xlsx writes a workbook: give -o FILE.xlsx".into(),
            ));
        }
        _ => None,
    };
    let to_stdout = super::output_file(&args.output).is_none();
    let mut out = match workbook {
        Some(path) => Output::File(PendingFile::for_workbook(path, &inputs)?),
        None => Output::open(&args.output, &inputs)?,
    };
    // A workbook is saved by its writer, not through `out`: its errors name it here.
    let failed = |e: std::io::Error| match workbook {
        Some(path) => Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
        None => Error::Write(e),
    };
    let built = Assessor::embedded(options)?;
    let reader = SiteReader::open(&args.sites)?;
    super::print_input_notes(&reader);
    let mut writer: Box<dyn Writer> = match &mut out {
        Output::File(file) if workbook.is_some() => Box::new(output::xlsx::XlsxWriter::new(file.path(), &columns)?),
        out => output::writer(args.format, Box::new(out), &columns, csv)?,
    };
    let bar = super::progress(args.quiet);

    let mut portfolio = Portfolio::default();
    let mut stderr = std::io::stderr().lock();
    let name = visible(&reader.name).into_owned();
    let encode = writer.encoder();
    let encode = encode.as_ref();
    // Three stages run at once: the cores assess and encode a chunk while one of them reads
    // the next and orders it nearby sites first (reading is one more task of the same two
    // threads, so that no third thread competes with them for the cores); this thread writes
    // the chunk before and adds it to the portfolio, back in input order, so the output is the
    // same on any number of cores. Each assessed chunk is handed straight to the writing (the
    // channel holds none): memory stays flat.
    let (assessed, to_write) = std::sync::mpsc::sync_channel(0);
    let assessor = &built;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut chunks = ChunkReader::new(reader);
            // Rows to copy the next chunk into: the rows of the chunk assessed before.
            let mut spare = Vec::new();
            let mut next = chunks.next(Vec::new());
            while let Some(chunk) = next {
                let chunk = match chunk {
                    Ok(chunk) => chunk,
                    Err(e) => {
                        let _ = assessed.send(Err(e));
                        return;
                    }
                };
                let (following, done) = rayon::join(
                    || chunks.next(std::mem::take(&mut spare)),
                    || assess_chunk(assessor, &chunk, encode).map_err(Error::from),
                );
                spare = chunk.rows;
                if assessed.send(done).is_err() {
                    return;
                }
                next = following;
            }
        });
        for chunk in to_write {
            let chunk = chunk?;
            for (done, run_bytes) in chunk.in_input_order() {
                let (error, warnings, position) = match done {
                    Done::Encoded {
                        contribution,
                        messages,
                        position,
                        bytes: range,
                    } => {
                        portfolio.add_contribution(contribution);
                        writer.encoded(&run_bytes[range.clone()])?;
                        match messages {
                            Some(m) => (&m.error, m.warnings.as_str(), position),
                            None => (&None, "", position),
                        }
                    }
                    Done::Record(record) => {
                        portfolio.add(record);
                        writer.site(record).map_err(failed)?;
                        (&record.error, record.warnings.as_str(), &record.position)
                    }
                };
                if let Some(message) = error {
                    // Errors also go to standard error as FILE:LINE (GeoJSON: FILE, then the
                    // feature), with control characters made visible: a value in the message
                    // cannot drive the terminal or forge a line.
                    let message = visible(message);
                    let _ = match position {
                        Position::Line(n) => writeln!(stderr, "{name}:{n}: {message}"),
                        Position::Feature(_) => writeln!(stderr, "{name}: {message}"),
                    };
                }
                // Then each warning on a line of its own, as FILE:LINE: warning: ... (GeoJSON:
                // FILE: feature N: warning: ...).
                for warning in warnings.split("; ").filter(|w| !w.is_empty()) {
                    let warning = visible(warning);
                    let _ = match position {
                        Position::Line(n) => writeln!(stderr, "{name}:{n}: warning: {warning}"),
                        p => writeln!(stderr, "{name}: {p}: warning: {warning}"),
                    };
                }
                if let Some(message) = error
                    && args.strict
                {
                    // Under --strict, standard output ends with the first failed row; a
                    // file is not written at all (`out` is dropped without being put in place).
                    if to_stdout {
                        finish(&mut *writer, assessor, &portfolio)?;
                    }
                    return Err(Error::Strict(format!("{name}: {}", visible(message))));
                }
            }
            bar.set_position(portfolio.sites);
        }
        Ok(())
    })?;
    finish(&mut *writer, assessor, &portfolio).map_err(failed)?;
    drop(writer);
    out.commit()?;
    bar.finish_and_clear();
    // The run is over, and with it the process (see `commands::run`): the boundaries and the
    // lookups, tens of megabytes in many small allocations, are left to the process's exit to
    // return at once, instead of being freed one by one (some 20 ms at the end of a large run).
    std::mem::forget(built);
    Ok(if portfolio.sites_failed > 0 {
        Outcome::SomeRowsFailed
    } else {
        Outcome::AllOk
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::Field;

    /// `n` sites, site k at latitude k / 1000 on the prime meridian.
    fn reader_of(n: usize) -> ChunkReader {
        let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
        for k in 0..n {
            text.push_str(&format!("s{k},{},0,100,20\n", k as f64 / 1000.0));
        }
        let reader = SiteReader::from_reader(Box::new(std::io::Cursor::new(text.into_bytes())), "test").unwrap();
        ChunkReader::new(reader)
    }

    #[test]
    fn chunks_hold_every_row_once_in_nearby_order_and_reuse_the_rows_given() {
        let mut chunks = reader_of(CHUNK_ROWS + 3);
        let first = chunks.next(Vec::new()).unwrap().unwrap();
        assert_eq!(first.rows.len(), CHUNK_ROWS);
        // Each row is the input row its place in the order names.
        for (row, &i) in first.rows.iter().zip(&first.order) {
            assert_eq!(row.get(Field::Id), Some(format!("s{i}").as_str()));
        }
        let mut seen = first.order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..CHUNK_ROWS as u32).collect::<Vec<_>>());
        // The last three rows, copied into the first chunk's rows (the vector is reused).
        let at = first.rows.as_ptr();
        let last = chunks.next(first.rows).unwrap().unwrap();
        assert_eq!(last.rows.as_ptr(), at);
        let ids: Vec<_> = last
            .rows
            .iter()
            .map(|r| r.get(Field::Id).unwrap().to_string())
            .collect();
        // Latitudes 8.192, 8.193 and 8.194 on one meridian: south to north.
        assert_eq!(ids, ["s8192", "s8193", "s8194"]);
        assert_eq!(last.order, [0, 1, 2]);
        assert!(chunks.next(Vec::new()).is_none());
        assert!(reader_of(0).next(Vec::new()).is_none());
    }

    #[test]
    fn a_chunk_comes_in_the_order_nearby_first_gives_its_rows() {
        // Sites scattered over the globe in input order, and one without readable coordinates.
        let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
        for k in 0..1000 {
            text.push_str(&format!(
                "s{k},{},{},100,20\n",
                (k * 37 % 179) as f64 - 89.0,
                (k * 101 % 359) as f64 - 179.0
            ));
        }
        text.push_str("bad,north,east,100,20\n");
        let reader = SiteReader::from_reader(Box::new(std::io::Cursor::new(text.into_bytes())), "test").unwrap();
        let mut chunks = ChunkReader::new(reader);
        let chunk = chunks.next(Vec::new()).unwrap().unwrap();
        let want = crate::pipeline::nearby_first(&chunks.read[..1001]);
        assert_ne!(want, (0..1001).collect::<Vec<u32>>());
        assert_eq!(want.last(), Some(&1000));
        assert_eq!(chunk.order, want);
    }
}
