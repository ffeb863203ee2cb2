//! Reading the input a chunk of rows at a time, each chunk nearby sites first: the engine's
//! first stage (see [`super`]).

use crate::Error;
use crate::pipeline::{nearby_key, nearby_order};
use crate::sites::{RawRow, SiteReader};

/// A chunk of rows as the reader hands it over: nearby sites first.
pub(super) struct Chunk {
    pub(super) rows: Vec<RawRow>,
    /// Where each row was in the input, as an index into the chunk's input rows.
    pub(super) order: Vec<u32>,
}

/// Reads the input in chunks of rows, each with its rows nearby sites first (see [`Chunk`]).
/// Rows are read into the reader's own rows, then copied in their new order into rows given
/// back once assessed: reading allocates nothing per row, and the copy, one row after another,
/// waits on memory far less than the assessing would if it took the rows in a random order.
pub(super) struct ChunkReader {
    reader: SiteReader,
    /// Rows per chunk ([`super::CHUNK_ROWS`]; fewer in tests, to cross chunk boundaries).
    chunk_rows: usize,
    read: Vec<RawRow>,
    /// Each row's key in the order, taken as the row is read (see [`nearby_key`]).
    keys: Vec<u64>,
    /// The error that cut the last chunk short, to be given next.
    unusable: Option<Error>,
    finished: bool,
}

impl ChunkReader {
    pub(super) fn new(reader: SiteReader, chunk_rows: usize) -> ChunkReader {
        ChunkReader {
            reader,
            chunk_rows,
            read: Vec::with_capacity(chunk_rows),
            keys: Vec::with_capacity(chunk_rows),
            unusable: None,
            finished: false,
        }
    }

    /// The next chunk, copied into `rows`; none at the end of the input. When the rest of
    /// the input is unusable, its error comes after the rows read before it.
    pub(super) fn next(&mut self, mut rows: Vec<RawRow>) -> Option<Result<Chunk, Error>> {
        if let Some(e) = self.unusable.take() {
            return Some(Err(e));
        }
        if self.finished {
            return None;
        }
        let n = self.read_chunk();
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

    /// Read up to a chunk of rows into the reader's own, with their keys; the number read.
    fn read_chunk(&mut self) -> usize {
        let mut n = 0;
        self.keys.clear();
        while n < self.chunk_rows {
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
        self.finished = n < self.chunk_rows || self.unusable.is_some();
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::Field;
    use crate::stream::CHUNK_ROWS;

    /// `n` sites, site k at latitude k / 1000 on the prime meridian.
    fn reader_of(n: usize) -> ChunkReader {
        let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
        for k in 0..n {
            text.push_str(&format!("s{k},{},0,100,20\n", k as f64 / 1000.0));
        }
        let reader = SiteReader::from_reader(Box::new(std::io::Cursor::new(text.into_bytes())), "test").unwrap();
        ChunkReader::new(reader, CHUNK_ROWS)
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

    /// Sites scattered over the globe in input order, so that nearby-first order moves them.
    fn scattered_site(k: usize) -> String {
        format!(
            "s{k},{},{}",
            (k * 37 % 179) as f64 - 89.0,
            (k * 101 % 359) as f64 - 179.0
        )
    }

    #[test]
    fn a_chunk_comes_in_the_order_nearby_first_gives_its_rows() {
        // And one site without readable coordinates.
        let mut text = String::from("id,lat,lon,hashrate_ths,efficiency_j_per_th\n");
        for k in 0..1000 {
            text.push_str(&format!("{},100,20\n", scattered_site(k)));
        }
        text.push_str("bad,north,east,100,20\n");
        let reader = SiteReader::from_reader(Box::new(std::io::Cursor::new(text.into_bytes())), "test").unwrap();
        let mut chunks = ChunkReader::new(reader, CHUNK_ROWS);
        let chunk = chunks.next(Vec::new()).unwrap().unwrap();
        let want = crate::pipeline::nearby_first(&chunks.read[..1001]);
        assert_ne!(want, (0..1001).collect::<Vec<u32>>());
        assert_eq!(want.last(), Some(&1000));
        assert_eq!(chunk.order, want);
    }
}
