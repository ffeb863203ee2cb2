//! Grid zones: the eGRID subregion, bidding zone or price zone a site draws its power from,
//! which a filing names and an administrative region does not (Texas' ERCOT is not the state of
//! Texas; Nordic power is priced and reported by bidding zone).
//!
//! The zones (grid-data/zones.geojson, see SOURCES.md) are a third [`RegionIndex`], each zone's
//! `parent` its country. A site's zone is found within the country the site was located in,
//! never across a border, by the same rules as a province: the zone polygon holding the point,
//! else the nearest zone of that country within [`NEAREST_MAX_KM`](super::NEAREST_MAX_KM)
//! (both sources are coarse at coasts and borders: Luleå lies about 1.8 km outside SE1's
//! polygon), else none. A country without zones (Kazakhstan, China) has none.

use super::{Located, Region, RegionIndex};

/// The grid zone a site lies in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zone<'a> {
    /// The zone's code with its country prefix: `US-ERCT` (eGRID subregion ERCT), `NO-NO5`,
    /// `SE-SE1`, `MY-EM`, `RU-2`.
    pub code: &'a str,
    /// The zone's name ("ERCOT All", "Norway bidding zone NO5 (Bergen)").
    pub name: &'a str,
    /// The country the zone belongs to (ISO 3166-1 alpha-2).
    pub country: &'a str,
    /// How far outside the zone's polygon the site lies, km, when it was given the nearest zone;
    /// none when a zone polygon holds it.
    pub km_outside: Option<f64>,
}

/// The country of a region a point was located in: the code of a country, or the ISO 3166-2
/// prefix of a province or state (`US` of `US-TX`), which is its `parent` in
/// subdivisions.geojson (checked for every subdivision by a test below).
pub fn country_of(located: &str) -> &str {
    located.split_once('-').map_or(located, |(cc, _)| cc)
}

impl RegionIndex {
    /// The grid zone of a point (degrees) located in `country` (ISO 3166-1 alpha-2): the zone
    /// of that country whose polygon holds the point, else its nearest zone within
    /// [`NEAREST_MAX_KM`](super::NEAREST_MAX_KM), else none. Meant for the zones' index, whose
    /// regions' `parent` is their country.
    pub fn zone_of(&self, lat: f64, lon: f64, country: &str) -> Option<Zone<'_>> {
        // Most sites are in a country without zones: one set lookup, no polygon search.
        if !self.has_children(country) {
            return None;
        }
        let (index, km_outside) = match self.locate_within(lat, lon, country) {
            Located::Inside(i) => (i, None),
            Located::Nearest(i, km) => (i, Some(km)),
            Located::Outside => return None,
        };
        let Region { code, name, parent } = self.region(index);
        Some(Zone {
            code,
            name,
            // Always `country`: only zones whose parent it is were searched.
            country: parent.as_deref()?,
            km_outside,
        })
    }

    /// The region with this code, if any (a zone code such as `US-ERCT`, given in any case).
    pub fn find(&self, code: &str) -> Option<&Region> {
        let code = code.trim();
        self.regions
            .binary_search_by(|r| r.code.as_str().cmp(code))
            .ok()
            .or_else(|| {
                let upper = code.to_uppercase();
                self.regions.binary_search_by(|r| r.code.cmp(&upper)).ok()
            })
            .map(|i| &self.regions[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones() -> RegionIndex {
        let files = crate::grid::GridFiles::embedded();
        RegionIndex::from_binary(files.zones_bin.unwrap(), "zones.geojson").unwrap()
    }

    /// The zone's code and its distance outside the polygon, km to 0.001 (none: inside).
    fn zone<'a>(index: &'a RegionIndex, lat: f64, lon: f64, country: &str) -> Option<(&'a str, Option<f64>)> {
        index
            .zone_of(lat, lon, country)
            .map(|z| (z.code, z.km_outside.map(|km| (km * 1000.0).round() / 1000.0)))
    }

    // Issue 22. Each expected zone was checked against zones.geojson with shapely (the polygon
    // that holds the point; else the nearest, by the haversine distance to the nearest point of
    // the polygon). Coordinates: Wikipedia's, or the US Census Gazetteer's where named.

    #[test]
    fn abilene_texas_is_in_ercot() {
        // Abilene, Texas: 32°26′56″N 99°44′00″W.
        assert_eq!(zone(&zones(), 32.4489, -99.7333, "US"), Some(("US-ERCT", None)));
    }

    #[test]
    fn massena_and_plattsburgh_new_york_are_in_upstate_new_york() {
        let z = zones();
        // Massena, New York: 44°55′42″N 74°53′31″W; Plattsburgh: 44°41′58″N 73°27′10″W.
        assert_eq!(zone(&z, 44.9283, -74.8919, "US"), Some(("US-NYUP", None)));
        assert_eq!(zone(&z, 44.6995, -73.4529, "US"), Some(("US-NYUP", None)));
    }

    #[test]
    fn north_dakota_east_of_williston_is_in_mro_west_and_williston_in_wecc_northwest() {
        let z = zones();
        // Bismarck: 46°48′48″N 100°47′14″W; Minot: 48°13′59″N 101°17′32″W.
        assert_eq!(zone(&z, 46.8133, -100.7872, "US"), Some(("US-MROW", None)));
        assert_eq!(zone(&z, 48.2330, -101.2923, "US"), Some(("US-MROW", None)));
        // Williston, 48°08′49″N 103°37′15″W, lies in eGRID2023's NWPP polygon (MROW's edge is
        // 14.9 km east): the data's answer, not the state's.
        assert_eq!(zone(&z, 48.1469, -103.6208, "US"), Some(("US-NWPP", None)));
    }

    #[test]
    fn bergen_is_in_norway_bidding_zone_no5() {
        // Bergen: 60°23′22″N 5°19′48″E.
        assert_eq!(zone(&zones(), 60.3894, 5.33, "NO"), Some(("NO-NO5", None)));
    }

    #[test]
    fn lulea_outside_se1s_coarse_coast_gets_se1_by_the_nearest_rule_and_boden_lies_inside() {
        let z = zones();
        // Luleå: 65°35′04″N 22°09′14″E, 1.785 km outside SE1's polygon.
        assert_eq!(zone(&z, 65.58444, 22.15389, "SE"), Some(("SE-SE1", Some(1.785))));
        // Boden: 65°49′30″N 21°41′20″E.
        assert_eq!(zone(&z, 65.825, 21.689, "SE"), Some(("SE-SE1", None)));
    }

    #[test]
    fn bintulu_sarawak_is_in_east_malaysia_and_kuala_lumpur_in_west_malaysia() {
        let z = zones();
        // Bintulu: 3°10′N 113°02′E; Kuala Lumpur: 3°08′52″N 101°41′43″E.
        assert_eq!(zone(&z, 3.1667, 113.0333, "MY"), Some(("MY-EM", None)));
        assert_eq!(zone(&z, 3.1478, 101.6953, "MY"), Some(("MY-WM", None)));
    }

    #[test]
    fn el_paso_is_in_wecc_southwest_not_ercot() {
        // El Paso, US Census Gazetteer: 31.790208, -106.423242.
        assert_eq!(zone(&zones(), 31.790208, -106.423242, "US"), Some(("US-AZNM", None)));
    }

    #[test]
    fn columbus_ohio_is_in_rfc_west() {
        // Columbus, Ohio: 39°57′44″N 82°59′19″W.
        assert_eq!(zone(&zones(), 39.9622, -82.9886, "US"), Some(("US-RFCW", None)));
    }

    #[test]
    fn irkutsk_is_in_russias_second_price_zone() {
        // Irkutsk: 52°17′N 104°18′E.
        assert_eq!(zone(&zones(), 52.2833, 104.3, "RU"), Some(("RU-2", None)));
    }

    #[test]
    fn a_site_in_a_country_without_zones_has_none() {
        let z = zones();
        // Ekibastuz, Kazakhstan: 51°43′N 75°19′E (RU-2 is 205 km away); Ordos, China.
        assert_eq!(zone(&z, 51.7167, 75.3167, "KZ"), None);
        assert_eq!(zone(&z, 39.6086, 109.781, "CN"), None);
    }

    #[test]
    fn a_zone_across_the_border_is_never_taken() {
        let z = zones();
        // Cornwall, Ontario (45°01′N 74°44′W) lies 0.252 km from NYUP's polygon, in Canada.
        assert_eq!(zone(&z, 45.0167, -74.7333, "CA"), None);
        // The same point, were it located in the US, would get NYUP by the nearest rule.
        assert_eq!(zone(&z, 45.0167, -74.7333, "US"), Some(("US-NYUP", Some(0.252))));
    }

    // Issue 22 (review): Puerto Rico is a country of its own in countries.geojson, so eGRID's
    // PRMS has parent PR and San Juan (18°27′59″N 66°06′21″W), 0.363 km off PRMS's coarse
    // coast, is placed in it by the nearest rule; were PRMS's parent US, no site in Puerto Rico
    // could reach it.
    #[test]
    fn san_juan_puerto_rico_is_in_egrids_prms() {
        let z = zones();
        assert_eq!(zone(&z, 18.4663, -66.1057, "PR"), Some(("US-PRMS", Some(0.363))));
        assert_eq!(z.zone_of(18.4663, -66.1057, "PR").unwrap().country, "PR");
    }

    #[test]
    fn a_point_farther_than_the_nearest_rule_reaches_has_no_zone() {
        // The Gulf of Mexico south-east of Galveston, 36.8 km from ERCT's polygon.
        assert_eq!(zone(&zones(), 29.1, -94.6, "US"), None);
    }

    #[test]
    fn the_zone_carries_its_name_and_country() {
        let z = zones();
        let ercot = z.zone_of(32.4489, -99.7333, "US").unwrap();
        assert_eq!((ercot.name, ercot.country), ("ERCOT All", "US"));
        let bergen = z.zone_of(60.3894, 5.33, "NO").unwrap();
        assert_eq!(bergen.name, "Norway bidding zone NO5 (Bergen)");
    }

    #[test]
    fn every_zone_belongs_to_a_country_and_carries_its_prefix() {
        let z = zones();
        assert_eq!(z.regions().len(), 41);
        for r in z.regions() {
            // eGRID's codes keep the publisher's prefix; PRMS lies in Puerto Rico, a country here.
            let country = if r.code == "US-PRMS" { "PR" } else { country_of(&r.code) };
            assert_eq!(Some(country), r.parent.as_deref(), "{}", r.code);
        }
    }

    #[test]
    fn every_subdivision_code_starts_with_its_country() {
        let files = crate::grid::GridFiles::embedded();
        let subdivisions = RegionIndex::from_binary(files.subdivisions_bin.unwrap(), "subdivisions").unwrap();
        for r in subdivisions.regions() {
            assert_eq!(Some(country_of(&r.code)), r.parent.as_deref(), "{}", r.code);
        }
        assert_eq!(country_of("KZ"), "KZ");
        assert_eq!(country_of("US-TX"), "US");
    }

    #[test]
    fn a_zone_is_found_by_its_code_in_any_case() {
        let z = zones();
        assert_eq!(z.find("US-ERCT").map(|r| r.name.as_str()), Some("ERCOT All"));
        assert_eq!(z.find(" se-se1 ").map(|r| r.code.as_str()), Some("SE-SE1"));
        assert!(z.find("US-TX").is_none());
    }
}
