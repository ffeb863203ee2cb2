//! The order in which to assess a batch of rows so that sites near each other come one after
//! another.
//!
//! A site's assessment reads the boundaries and the region data where it lies: a few cache
//! lines out of tens of megabytes. Sites in input order (a random sample of the world's land,
//! say) each find those lines cold. In this order, neighbours share them while they are still
//! in the core's cache. The results do not depend on the order: callers write them in input
//! order.

use crate::sites::{Field, RawRow};

/// Cells of the key's grid per degree (each about 1.7 km of latitude).
const CELLS_PER_DEGREE: f64 = 64.0;

/// The rows' indexes, ordered so that nearby sites are next to each other: along a Z-order
/// curve over a grid of longitude and latitude. Rows without readable coordinates come last,
/// in input order; so do rows of equal key.
pub fn nearby_first(rows: &[RawRow]) -> Vec<u32> {
    let mut keys: Vec<u64> = rows.iter().zip(0..).map(|(row, i)| nearby_key(row, i)).collect();
    nearby_order(&mut keys)
}

/// The key that places the row at `index` of a batch in [`nearby_first`]'s order: a caller
/// that reads rows one by one can take each row's key while the row is at hand.
pub fn nearby_key(row: &RawRow, index: u32) -> u64 {
    let point = super::coordinate(row, Field::Lat).zip(super::coordinate(row, Field::Lon));
    let curve = point.map_or(u64::from(u32::MAX), |(lat, lon)| u64::from(z_order(lat, lon)));
    (curve << 32) | u64::from(index)
}

/// The indexes in [`nearby_first`]'s order, from the batch's keys (sorted in place).
pub fn nearby_order(keys: &mut [u64]) -> Vec<u32> {
    keys.sort_unstable();
    keys.iter().map(|&k| k as u32).collect()
}

/// The point's place on a Z-order curve over a grid of 1/64 degree: the bits of the
/// longitude's and the latitude's cell numbers, interleaved. Points out of range are clamped.
fn z_order(lat: f64, lon: f64) -> u32 {
    let cell = |degrees: f64| (degrees * CELLS_PER_DEGREE).clamp(0.0, f64::from(u16::MAX)) as u16;
    (spread(cell(lon + 180.0)) << 1) | spread(cell(lat + 90.0))
}

/// The bits of `v`, each moved to twice its place (bit k to bit 2k).
fn spread(v: u16) -> u32 {
    let mut n = u32::from(v);
    n = (n | (n << 8)) & 0x00FF_00FF;
    n = (n | (n << 4)) & 0x0F0F_0F0F;
    n = (n | (n << 2)) & 0x3333_3333;
    (n | (n << 1)) & 0x5555_5555
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::Position;

    fn row(line: u64, lat: Option<&str>, lon: Option<&str>) -> RawRow {
        let mut row = RawRow::new(
            Position::Line(line),
            Default::default(),
            crate::sites::Decimals::Point,
            0,
        );
        row.set(Field::Lat, lat);
        row.set(Field::Lon, lon);
        row
    }

    #[test]
    fn spreading_moves_each_bit_to_twice_its_place() {
        assert_eq!(spread(0), 0);
        assert_eq!(spread(1), 1);
        assert_eq!(spread(0b11), 0b101);
        assert_eq!(spread(0b1010), 0b100_0100);
        assert_eq!(spread(u16::MAX), 0x5555_5555);
    }

    #[test]
    fn the_curve_interleaves_the_cells_of_longitude_and_latitude() {
        // (-90, -180) is cell (0, 0); one cell east sets bit 1, one cell north bit 0.
        assert_eq!(z_order(-90.0, -180.0), 0);
        assert_eq!(z_order(-90.0, -180.0 + 1.0 / 64.0), 0b10);
        assert_eq!(z_order(-90.0 + 1.0 / 64.0, -180.0), 0b01);
        // (0, 0) is cell 11520 of longitude and 5760 of latitude.
        assert_eq!(z_order(0.0, 0.0), (spread(11520) << 1) | spread(5760));
        // Off the globe: west of -180 is cell 0; 95 degrees north is cell 11840, still in order.
        assert_eq!(z_order(95.0, -200.0), spread(11840));
    }

    #[test]
    fn nearby_sites_come_together_and_rows_without_coordinates_last() {
        let rows = [
            row(2, Some("51.7"), Some("75.3")),  // Pavlodar
            row(3, Some("29.5"), Some("103.7")), // Sichuan
            row(4, None, None),                  // a declared region
            row(5, Some("51.6"), Some("75.4")),  // Pavlodar again
            row(6, Some("29,6"), Some("103,8")), // Sichuan, with decimal commas
            row(7, Some("north"), Some("75")),   // unreadable
        ];
        // Pavlodar's two sites, then Sichuan's (higher longitude, the curve's top bit), then the
        // rows without a point.
        assert_eq!(nearby_first(&rows), vec![0, 3, 1, 4, 2, 5]);
        assert_eq!(nearby_first(&[]), Vec::<u32>::new());
    }
}
