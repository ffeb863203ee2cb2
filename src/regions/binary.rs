//! Reading the boundaries that build.rs prepared: a compact binary embedded in the program,
//! decoded without parsing text (see build.rs for the format).

use geo::{LineString, Polygon};

use super::Region;

/// A cursor over the bytes.
struct ByteCursor<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> ByteCursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.data.get(self.at..self.at + n)?;
        self.at += n;
        Some(s)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<Option<String>> {
        let n = self.u16()?;
        if n == u16::MAX {
            return Some(None);
        }
        Some(Some(String::from_utf8(self.take(n as usize)?.to_vec()).ok()?))
    }
}

/// Polygon parts, each with the index of its region.
pub type Parts = Vec<(usize, Polygon<f64>)>;

/// The regions (sorted by code) and their polygon parts; `None` if the bytes are not a
/// complete index.
pub fn decode(data: &[u8]) -> Option<(Vec<Region>, Parts)> {
    let mut b = ByteCursor { data, at: 0 };
    if b.take(5)? != b"HMXR1" {
        return None;
    }
    let n = b.u32()?;
    let mut regions = Vec::with_capacity(n);
    for _ in 0..n {
        regions.push(Region {
            code: b.str()??,
            name: b.str()??,
            parent: b.str()?,
        });
    }
    let n_parts = b.u32()?;
    let mut parts = Vec::with_capacity(n_parts);
    for _ in 0..n_parts {
        let region = b.u32()?;
        let n_rings = b.u32()?;
        let mut rings = Vec::with_capacity(n_rings);
        for _ in 0..n_rings {
            let n_points = b.u32()?;
            let mut coords = Vec::with_capacity(n_points);
            for _ in 0..n_points {
                coords.push(geo::coord! { x: b.f64()?, y: b.f64()? });
            }
            rings.push(LineString::new(coords));
        }
        let mut rings = rings.into_iter();
        let outer = rings.next()?;
        parts.push((region, Polygon::new(outer, rings.collect())));
    }
    (b.at == data.len()).then_some((regions, parts))
}
