//! Windows line ends (`\r\n`, what Excel writes) read as `\n` before the CSV parser sees them.
//!
//! The csv crate counts a line when it consumes a `\n`, but a record ending in `\r\n` stops at
//! the `\r`: the `\n` is taken at the start of the next record, after that record's position was
//! noted. Every row of a CRLF file was then reported one line early (BurntSushi/rust-csv issue
//! 395), so a message sent the user to the wrong row. Reading `\r\n` as `\n` keeps every line
//! number right; a lone `\r` is left as it is.

use std::io::{self, Read};

/// Bytes read from the inner reader at a time.
const BUFFER: usize = 64 * 1024;

/// A reader that gives `inner`'s bytes with each `\r\n` turned into `\n`.
pub struct CrlfToLf<R> {
    inner: R,
    buf: Box<[u8]>,
    /// The bytes of `buf` not given yet: `buf[pos..len]`.
    pos: usize,
    len: usize,
    eof: bool,
}

impl<R: Read> CrlfToLf<R> {
    /// Wrap `inner`.
    pub fn new(inner: R) -> CrlfToLf<R> {
        CrlfToLf {
            inner,
            buf: vec![0; BUFFER].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
        }
    }

    /// Keep the bytes not given yet and read more after them, until at least two are held (so
    /// that a `\r` is always seen with the byte after it) or the input ends.
    fn fill(&mut self) -> io::Result<()> {
        self.buf.copy_within(self.pos..self.len, 0);
        self.len -= self.pos;
        self.pos = 0;
        while self.len < 2 && !self.eof {
            match self.inner.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.len - self.pos < 2 {
            self.fill()?;
        }
        let mut written = 0;
        while written < out.len() && self.pos < self.len {
            let held = &self.buf[self.pos..self.len];
            let room = out.len() - written;
            match memchr::memchr(b'\r', &held[..held.len().min(room)]) {
                None => {
                    let n = held.len().min(room);
                    out[written..written + n].copy_from_slice(&held[..n]);
                    written += n;
                    self.pos += n;
                }
                Some(at) => {
                    out[written..written + at].copy_from_slice(&held[..at]);
                    written += at;
                    self.pos += at;
                    match self.buf.get(self.pos + 1).filter(|_| self.pos + 1 < self.len) {
                        // `\r\n`: drop the `\r`; the `\n` is given next.
                        Some(b'\n') => self.pos += 1,
                        // A lone `\r`, or the last byte held at the end of the input.
                        Some(_) => {
                            out[written] = b'\r';
                            written += 1;
                            self.pos += 1;
                        }
                        None if self.eof => {
                            out[written] = b'\r';
                            written += 1;
                            self.pos += 1;
                        }
                        // The byte after the `\r` is not read yet: give what is ready.
                        None => break,
                    }
                }
            }
        }
        if written == 0 && self.pos < self.len {
            // Only a `\r` is held, its next byte unread: read on and try again.
            self.fill()?;
            return self.read(out);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands over at most `step` bytes a call, to cut `\r\n` across reads.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn through(bytes: &[u8], step: usize, out_size: usize) -> Vec<u8> {
        let mut reader = CrlfToLf::new(Trickle { bytes, step });
        let mut all = Vec::new();
        let mut out = vec![0; out_size];
        loop {
            let n = reader.read(&mut out).unwrap();
            if n == 0 {
                return all;
            }
            all.extend_from_slice(&out[..n]);
        }
    }

    #[test]
    fn crlf_becomes_lf_and_a_lone_cr_stays_whatever_the_reads_cut() {
        let input = b"id,name\r\na,\"x\r\ny\"\r\nb,old mac\rc\r\r\n\r";
        let want = b"id,name\na,\"x\ny\"\nb,old mac\rc\r\n\r";
        for step in 1..8 {
            for out_size in 1..8 {
                assert_eq!(through(input, step, out_size), want, "step {step}, out {out_size}");
            }
        }
        assert_eq!(through(input, 1000, 1000), want);
        assert_eq!(through(b"", 3, 3), b"");
    }

    // Issue 20: a CRLF file's rows were reported one line early.
    #[test]
    fn the_csv_reader_counts_the_lines_of_a_crlf_file_as_of_an_lf_file() {
        let input = b"id,lat\r\na,1\r\nb,2\r\n";
        let mut reader = csv::Reader::from_reader(CrlfToLf::new(&input[..]));
        let lines: Vec<u64> = reader
            .byte_records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, [2, 3]);
    }
}
