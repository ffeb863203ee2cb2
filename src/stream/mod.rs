//! The streaming, parallel engine: a reader of sites, an assessor and a sink give the
//! portfolio. It exists so that a program using the library gets the throughput of
//! `hashmix assess`, not only one row at a time through [`Assessor::assess`].
//!
//! Rows are read in chunks of [`CHUNK_ROWS`]; each chunk is put in nearby-first order (see
//! [`crate::pipeline::nearby_first`]), assessed and, where the format allows, encoded on all
//! cores, while the next chunk is read; the calling thread then hands each row to the sink
//! and adds it to the portfolio back in input order, so the output is the same on any number
//! of cores. Memory holds two chunks, whatever the number of sites.
//!
//! ```
//! use hashmix::output::{self, Columns, CsvOptions, Format};
//! use hashmix::{pipeline::Assessor, sites::SiteReader, stream};
//!
//! let assessor = Assessor::embedded(Default::default())?;
//! let input = "id,region,hashrate_ths,efficiency_j_per_th\nkz,KZ,1000,38\nbad,KZ,1000,0\n";
//! let reader = SiteReader::from_bytes(input.as_bytes().to_vec(), "example")?;
//! let mut csv = Vec::new();
//! let mut writer = output::writer(Format::Csv, Box::new(&mut csv), &Columns::all(), CsvOptions::default())?;
//! let portfolio = stream::assess_all(reader, &assessor, &mut *writer)?;
//! drop(writer);
//! assert_eq!((portfolio.sites_ok, portfolio.sites_failed), (1, 1));
//! let csv = String::from_utf8(csv)?;
//! assert!(csv.lines().nth(1).unwrap().starts_with("kz,,,,KZ,Kazakhstan,"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::ops::ControlFlow;

use crate::Error;
use crate::assess::{Contribution, Portfolio, SiteResult};
use crate::output::{Encoder, Tail, Writer};
use crate::pipeline::Assessor;
use crate::sites::{Position, SiteReader};

mod chunks;
use chunks::{Chunk, ChunkReader};
use rayon::prelude::*;

/// Rows assessed together on all cores: enough that many sites find a neighbour among them
/// (they are assessed nearby sites first) and that two cores stay busy, few enough that
/// memory stays flat.
pub const CHUNK_ROWS: usize = 8192;

/// Rows assessed as one task.
const RUN_ROWS: usize = 64;

/// Encoded rows put back in input order as one task and handed to the sink in one write: about
/// 0.9 MB of every-field CSV, more than the output's buffer, which then passes it straight on.
const PIECE_ROWS: usize = 1024;

/// Where the engine puts each assessed site, in input order. Every [`Writer`] is one; so is
/// [`Collected`], which keeps the results in memory.
pub trait Sink<'a> {
    /// How to encode a site on the assessing threads; `None`: [`Sink::site`] gets each result.
    fn encoder(&self) -> Option<Encoder>;
    /// Take a site that the encoder turned into bytes.
    fn encoded(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Take an assessed site.
    fn site(&mut self, result: &SiteResult<'a>) -> std::io::Result<()>;
}

impl<'a, W: Writer + ?Sized> Sink<'a> for W {
    fn encoder(&self) -> Option<Encoder> {
        Writer::encoder(self)
    }
    fn encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        Writer::encoded(self, bytes)
    }
    fn site(&mut self, result: &SiteResult<'a>) -> std::io::Result<()> {
        Writer::site(self, result)
    }
}

/// A sink that keeps every result, in input order: for a report, which shows them all.
/// Its memory grows with the number of sites.
#[derive(Debug, Default)]
pub struct Collected<'a> {
    /// The results so far, in input order.
    pub sites: Vec<SiteResult<'a>>,
}

impl<'a> Sink<'a> for Collected<'a> {
    fn encoder(&self) -> Option<Encoder> {
        None
    }
    fn encoded(&mut self, _bytes: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other("collected results are never encoded"))
    }
    fn site(&mut self, result: &SiteResult<'a>) -> std::io::Result<()> {
        self.sites.push(result.clone());
        Ok(())
    }
}

/// What the caller learns of each row, in input order, once the sink has it: what to tell
/// the user, and how far the run is.
#[derive(Debug, Clone, Copy)]
pub struct RowOutcome<'r> {
    /// Rows handed to the sink so far, this one included.
    pub rows_done: u64,
    /// Where the row is in the input.
    pub position: Position,
    /// Why the row failed (its status is then `error`).
    pub error: Option<&'r str>,
    /// What looks wrong in the row, joined with "; " (empty: nothing).
    pub warnings: &'r str,
}

impl<'r> RowOutcome<'r> {
    /// Each warning on its own.
    pub fn warnings(&self) -> impl Iterator<Item = &'r str> {
        self.warnings.split("; ").filter(|w| !w.is_empty())
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every row of the input went to the sink.
    Complete,
    /// The caller stopped the run after a row: the rows up to it went to the sink.
    Stopped,
}

/// A run's totals and how it ended.
#[derive(Debug)]
pub struct Streamed {
    /// The portfolio of the rows that went to the sink.
    pub portfolio: Portfolio,
    /// Whether every row went.
    pub ending: Ending,
}

/// Assess every site of `reader` into `writer`, then write the portfolio and the sources and
/// close the document: the whole of `hashmix assess` for a program.
pub fn assess_all(reader: SiteReader, assessor: &Assessor, writer: &mut dyn Writer) -> Result<Portfolio, Error> {
    let streamed = assess_rows(reader, assessor, writer, |_| ControlFlow::Continue(()))?;
    finish(writer, assessor, &streamed.portfolio)?;
    Ok(streamed.portfolio)
}

/// Assess every site of `reader` into `sink`, calling `on_row` after each row in input order;
/// `on_row` stops the run by breaking. The document is not closed: call [`finish`] for that.
/// An input that becomes unusable part way is an error, after the rows before it.
pub fn assess_rows<'a, S: Sink<'a> + ?Sized>(
    reader: SiteReader,
    assessor: &'a Assessor,
    sink: &mut S,
    mut on_row: impl FnMut(&RowOutcome) -> ControlFlow<()>,
) -> Result<Streamed, Error> {
    assess_in_chunks(ChunkReader::new(reader, CHUNK_ROWS), assessor, sink, &mut on_row)
}

/// Write the portfolio, the sources and the draws' description after the sites, and close the
/// document.
pub fn finish(writer: &mut dyn Writer, assessor: &Assessor, portfolio: &Portfolio) -> std::io::Result<()> {
    let uncertainty = assessor.uncertainty();
    let scope = crate::output::esrs::ScopeTail::of(
        &portfolio.scope,
        portfolio.sites_failed,
        assessor.year(),
        assessor.instrument_verdicts(),
    );
    writer.finish(&Tail {
        portfolio: &crate::output::PortfolioRecord::of(assessor, portfolio),
        sources: &assessor.sources(portfolio.datasets),
        uncertainty: uncertainty.as_ref(),
        scope: &scope,
    })
}

/// Three stages run at once: the cores assess and encode a chunk while one of them reads the
/// next and orders it nearby sites first (reading is one more task of the same threads, so
/// that no third thread competes with them for the cores); this thread hands the chunk before
/// to the sink and adds it to the portfolio, in input order. Each assessed chunk is handed
/// straight over (the channel holds none): memory stays flat.
fn assess_in_chunks<'a, S: Sink<'a> + ?Sized>(
    chunks: ChunkReader,
    assessor: &'a Assessor,
    sink: &mut S,
    on_row: &mut dyn FnMut(&RowOutcome) -> ControlFlow<()>,
) -> Result<Streamed, Error> {
    // Instruments are settled in input order (a tracking id or a site id claimed twice is
    // decided the same way on any number of cores), before a row is written: such a run
    // hands results, not bytes, to the sink.
    let encoder = match assessor.has_instruments() {
        true => None,
        false => sink.encoder(),
    };
    let encode = encoder.as_ref();
    let (assessed, to_write) = std::sync::mpsc::sync_channel(0);
    let mut portfolio = Portfolio::default();
    let mut rows_done = 0;
    let ending = std::thread::scope(|scope| {
        scope.spawn(move || read_and_assess(chunks, assessor, encode, assessed));
        for chunk in to_write {
            match chunk? {
                AssessedChunk::Encoded(pieces) => {
                    for piece in &pieces {
                        for row in &piece.rows {
                            portfolio.add_contribution(&row.contribution);
                            rows_done += 1;
                            if on_row(&row.outcome(rows_done)).is_break() {
                                sink.encoded(&piece.bytes[..row.bytes.end])?;
                                return Ok(Ending::Stopped);
                            }
                        }
                        sink.encoded(&piece.bytes)?;
                    }
                }
                AssessedChunk::Results(results) => {
                    for mut result in results {
                        assessor.settle_instruments(&mut result);
                        let result = &result;
                        portfolio.add(result);
                        sink.site(result)?;
                        rows_done += 1;
                        let outcome = RowOutcome {
                            rows_done,
                            position: result.position,
                            error: result.error.as_deref(),
                            warnings: &result.warnings,
                        };
                        if on_row(&outcome).is_break() {
                            return Ok(Ending::Stopped);
                        }
                    }
                }
            }
        }
        Ok::<_, Error>(Ending::Complete)
    })?;
    Ok(Streamed { portfolio, ending })
}

/// The reading and assessing stage: each chunk is assessed while the next is read, and sent
/// to the writing stage, until the input ends, becomes unusable, or the writing stops.
fn read_and_assess<'a>(
    mut chunks: ChunkReader,
    assessor: &'a Assessor,
    encode: Option<&Encoder>,
    assessed: std::sync::mpsc::SyncSender<Result<AssessedChunk<'a>, Error>>,
) {
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
}

/// Assess and encode a chunk of rows on all cores, nearby sites one after another (their
/// boundaries and region data are then still in the cores' caches), in runs of RUN_ROWS rows,
/// one task each. Each run encodes into one buffer, so that a row's bytes cost no allocation
/// of their own; the rows are then put back in input order on the same cores (see
/// [`in_input_order`]).
fn assess_chunk<'a>(
    assessor: &'a Assessor,
    chunk: &Chunk,
    encode: Option<&Encoder>,
) -> std::io::Result<AssessedChunk<'a>> {
    let Some(encode) = encode else {
        let runs: Vec<Vec<SiteResult<'a>>> = chunk
            .rows
            .par_chunks(RUN_ROWS)
            .map(|run| run.iter().map(|row| assessor.assess_row(row)).collect())
            .collect();
        // Each result to its input row's place.
        let mut results: Vec<Option<SiteResult<'a>>> =
            std::iter::repeat_with(|| None).take(chunk.order.len()).collect();
        for (result, &i) in runs.into_iter().flatten().zip(&chunk.order) {
            results[i as usize] = Some(result);
        }
        return Ok(AssessedChunk::Results(results.into_iter().flatten().collect()));
    };
    let runs = chunk
        .rows
        .par_chunks(RUN_ROWS)
        .map(|run| {
            let mut bytes = Vec::with_capacity(run.len() * 1024);
            let mut rows = Vec::with_capacity(run.len());
            for row in run {
                let result = assessor.assess_row(row);
                let start = bytes.len();
                encode(&result, &mut bytes)?;
                rows.push(EncodedRow {
                    contribution: Contribution::of(&result),
                    messages: RowMessages::of(result.error, result.warnings),
                    position: result.position,
                    bytes: start..bytes.len(),
                });
            }
            Ok(Run { rows, bytes })
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    Ok(AssessedChunk::Encoded(in_input_order(&runs, &chunk.order)))
}

/// The encoded rows of `runs` (in the order `order` gives) in input order, in pieces of
/// PIECE_ROWS rows, each with its rows' bytes in one buffer. Done on all cores while the rows
/// are still in their caches: the writing stage then reads each piece front to back and
/// hands it on in one write, instead of fetching each row's bytes from wherever its run left
/// them.
fn in_input_order(runs: &[Run], order: &[u32]) -> Vec<Piece> {
    // Where each input row went: its place in the order.
    let mut place = vec![0; order.len()];
    for (at, &i) in order.iter().enumerate() {
        place[i as usize] = at as u32;
    }
    place
        .par_chunks(PIECE_ROWS)
        .map(|places| {
            let rows_of = |at: u32| {
                let run = &runs[at as usize / RUN_ROWS];
                (&run.rows[at as usize % RUN_ROWS], run.bytes.as_slice())
            };
            let size = places.iter().map(|&at| rows_of(at).0.bytes.len()).sum();
            let mut bytes = Vec::with_capacity(size);
            let rows = places
                .iter()
                .map(|&at| {
                    let (row, run_bytes) = rows_of(at);
                    let start = bytes.len();
                    bytes.extend_from_slice(&run_bytes[row.bytes.clone()]);
                    EncodedRow {
                        messages: row.messages.clone(),
                        bytes: start..bytes.len(),
                        ..*row
                    }
                })
                .collect();
            Piece { rows, bytes }
        })
        .collect()
}

/// A chunk's rows once assessed, in input order.
enum AssessedChunk<'a> {
    /// Encoded: in pieces of [`PIECE_ROWS`] rows.
    Encoded(Vec<Piece>),
    /// The sink takes results themselves.
    Results(Vec<SiteResult<'a>>),
}

/// Rows assessed as one task, in the order assessed, and their encoded bytes in one buffer.
struct Run {
    rows: Vec<EncodedRow>,
    bytes: Vec<u8>,
}

/// Encoded rows in input order, and their bytes, one after another, in one buffer.
struct Piece {
    rows: Vec<EncodedRow>,
    bytes: Vec<u8>,
}

/// An encoded row as the writing stage gets it: what it adds to the portfolio, its error and
/// warnings, and where its bytes lie in its buffer. The result itself is dropped where it was
/// made.
struct EncodedRow {
    contribution: Contribution,
    messages: Option<Box<RowMessages>>,
    position: Position,
    bytes: std::ops::Range<usize>,
}

impl EncodedRow {
    /// What the caller learns of the row.
    fn outcome(&self, rows_done: u64) -> RowOutcome<'_> {
        let (error, warnings) = match &self.messages {
            Some(m) => (m.error.as_deref(), m.warnings.as_str()),
            None => (None, ""),
        };
        RowOutcome {
            rows_done,
            position: self.position,
            error,
            warnings,
        }
    }
}

/// A row's error and warnings: boxed, and only for a row that has either, so that a row
/// without any costs no allocation and its [`EncodedRow`] stays small.
#[derive(Clone)]
struct RowMessages {
    error: Option<String>,
    warnings: String,
}

impl RowMessages {
    fn of(error: Option<String>, warnings: String) -> Option<Box<RowMessages>> {
        (error.is_some() || !warnings.is_empty()).then(|| Box::new(RowMessages { error, warnings }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{self, Columns, CsvOptions, Format};

    /// Sites scattered over Central and East Asia (40-50°N, 60-120°E, all within reach of a
    /// region) in input order, so that nearby-first order moves them.
    fn asian_site(k: usize) -> String {
        format!("s{k},{},{}", 40 + k * 37 % 10, 60 + k * 101 % 60)
    }

    /// 250 scattered sites: every fifth warned (5 J/TH is implausibly efficient), every
    /// seventh failed (0 J/TH), and one without readable coordinates.
    fn mixed_input() -> Vec<u8> {
        let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
        for k in 0..250 {
            let efficiency = match k {
                _ if k % 7 == 3 => "0",
                _ if k % 5 == 1 => "5",
                _ => "25",
            };
            match k {
                120 => text.push_str("s120,north,east,100,25\n"),
                _ => text.push_str(&format!("{},1000,{efficiency}\n", asian_site(k))),
            }
        }
        text.into_bytes()
    }

    /// The document that assessing one row at a time with [`Assessor::assess`] writes.
    fn one_row_at_a_time(assessor: &Assessor, format: Format) -> Vec<u8> {
        let mut reader = SiteReader::from_bytes(mixed_input(), "mixed").unwrap();
        let mut out = Vec::new();
        let mut writer = output::writer(format, Box::new(&mut out), &Columns::all(), CsvOptions::default()).unwrap();
        let mut portfolio = Portfolio::default();
        while let Some(row) = reader.next_row() {
            let result = assessor.assess(row.unwrap());
            portfolio.add(&result);
            writer.site(&result).unwrap();
        }
        finish(&mut *writer, assessor, &portfolio).unwrap();
        drop(writer);
        out
    }

    /// A row's outcome, owned: rows done, position, error and warnings.
    type Outcome = (u64, String, Option<String>, String);

    /// The document the engine writes in chunks of 100 rows, and the outcomes it reports.
    fn in_chunks_of_100(assessor: &Assessor, format: Format) -> (Vec<u8>, Vec<Outcome>) {
        let reader = SiteReader::from_bytes(mixed_input(), "mixed").unwrap();
        let mut out = Vec::new();
        let mut writer = output::writer(format, Box::new(&mut out), &Columns::all(), CsvOptions::default()).unwrap();
        let mut outcomes = Vec::new();
        let mut on_row = |row: &RowOutcome| {
            let at = row.position.to_string();
            outcomes.push((
                row.rows_done,
                at,
                row.error.map(str::to_string),
                row.warnings.to_string(),
            ));
            ControlFlow::Continue(())
        };
        let streamed = assess_in_chunks(ChunkReader::new(reader, 100), assessor, &mut *writer, &mut on_row).unwrap();
        assert_eq!(streamed.ending, Ending::Complete);
        finish(&mut *writer, assessor, &streamed.portfolio).unwrap();
        drop(writer);
        (out, outcomes)
    }

    // issue 21: the engine moved into the library; it must write what one row at a time
    // writes, across chunk boundaries and back in input order, for encoded rows (CSV) and for
    // rows the writer takes as results (JSON).
    #[test]
    fn the_engine_writes_the_same_bytes_as_assessing_one_row_at_a_time() {
        let assessor = Assessor::embedded(Default::default()).unwrap();
        for format in [Format::Csv, Format::Json] {
            let (streamed, outcomes) = in_chunks_of_100(&assessor, format);
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(one_row_at_a_time(&assessor, format)).unwrap()
            );
            assert_eq!(outcomes.len(), 250);
            for (k, (done, at, error, warnings)) in outcomes.iter().enumerate() {
                assert_eq!((*done, at.as_str()), (k as u64 + 1, format!("line {}", k + 2).as_str()));
                let failed = k % 7 == 3 || k == 120;
                assert_eq!(error.is_some(), failed, "row {k}: {error:?}");
                assert_eq!(!warnings.is_empty(), !failed && k % 5 == 1, "row {k}: {warnings}");
            }
        }
    }

    #[test]
    fn breaking_in_on_row_stops_the_run_after_that_row() {
        let assessor = Assessor::embedded(Default::default()).unwrap();
        let reader = SiteReader::from_bytes(mixed_input(), "mixed").unwrap();
        let mut sites = Collected::default();
        let streamed = assess_rows(reader, &assessor, &mut sites, |row| match row.error {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        })
        .unwrap();
        // Row 3 (0 J/TH) is the first to fail: it and the three before it are kept.
        assert_eq!(streamed.ending, Ending::Stopped);
        assert_eq!(sites.sites.len(), 4);
        assert_eq!(sites.sites[3].id.as_deref(), Some("s3"));
        assert_eq!((streamed.portfolio.sites_ok, streamed.portfolio.sites_failed), (3, 1));
    }

    // issue 21: encoded rows are put back in input order on the assessing threads, in pieces
    // of PIECE_ROWS rows; a chunk of 2,500 rows assessed in reverse makes three pieces, whose
    // bytes, one after another, are the rows in input order.
    #[test]
    fn encoded_rows_come_back_in_input_order_in_pieces_of_1024_rows() {
        let n = 2500;
        // Input row i was assessed at place n - 1 - i; its bytes are "i\n".
        let order: Vec<u32> = (0..n as u32).rev().collect();
        let runs: Vec<Run> = order
            .chunks(RUN_ROWS)
            .map(|run| {
                let mut bytes = Vec::new();
                let rows = run
                    .iter()
                    .map(|&i| {
                        let start = bytes.len();
                        bytes.extend_from_slice(format!("{i}\n").as_bytes());
                        let position = Position::Line(u64::from(i) + 2);
                        EncodedRow {
                            contribution: Contribution::of(&SiteResult::new(position)),
                            messages: None,
                            position,
                            bytes: start..bytes.len(),
                        }
                    })
                    .collect();
                Run { rows, bytes }
            })
            .collect();
        let pieces = in_input_order(&runs, &order);
        let sizes: Vec<usize> = pieces.iter().map(|p| p.rows.len()).collect();
        assert_eq!(sizes, [1024, 1024, 452]);
        let written: Vec<u8> = pieces.iter().flat_map(|p| p.bytes.iter().copied()).collect();
        let expected: String = (0..n).map(|i| format!("{i}\n")).collect();
        assert_eq!(String::from_utf8(written).unwrap(), expected);
        // Each row's range is its own line in its piece.
        let last = &pieces[2].rows[451];
        assert_eq!(last.position, Position::Line(2501));
        assert_eq!(&pieces[2].bytes[last.bytes.clone()], b"2499\n");
    }

    // issue 21: a run stopped after a row writes the encoded rows up to that one and no more,
    // though the rows after it are encoded in the same piece.
    #[test]
    fn breaking_in_on_row_writes_the_encoded_rows_up_to_that_row() {
        let assessor = Assessor::embedded(Default::default()).unwrap();
        let reader = SiteReader::from_bytes(mixed_input(), "mixed").unwrap();
        let mut out = Vec::new();
        let mut writer =
            output::writer(Format::Csv, Box::new(&mut out), &Columns::all(), CsvOptions::default()).unwrap();
        let streamed = assess_rows(reader, &assessor, &mut *writer, |row| match row.error {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        })
        .unwrap();
        assert_eq!(streamed.ending, Ending::Stopped);
        drop(writer);
        // The header and rows s0 to s3 (the first to fail).
        let text = String::from_utf8(out).unwrap();
        let ids: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(ids, ["s0", "s1", "s2", "s3"]);
    }
}
