//! hashmix: what electricity does a Bitcoin mining site really run on?
//!
//! The library holds the whole pipeline so that other programs can use it without the
//! command line. Data flows one way:
//!
//! read ([`sites`]) -> locate ([`regions`]) -> look up ([`grid`]) -> compute ([`assess`])
//! -> intervals ([`uncertainty`]) -> score ([`risk`]) -> write ([`output`]).
//!
//! [`pipeline::Assessor`] ties the steps together for one row at a time, so memory does not
//! grow with the number of sites. It gives a typed [`assess::SiteResult`], which borrows what
//! its region shares with other sites from the assessor; [`assess::Portfolio`] adds results;
//! the writers of [`output`] turn results into bytes by walking one column table
//! ([`output::fields::SITE_COLUMNS`]). [`stream`] runs it over a whole input on all cores, in
//! input order (see [`stream::assess_all`]). [`settings`] checks the command line's flags into
//! typed options once, and [`commands`] composes the library for the CLI.
//!
//! # The dependency rule
//!
//! A module may `use` modules of its own layer and of the layers below it, never one above:
//! no stage reaches back up the chain. From the bottom:
//!
//! 0. the foundation: [`error`], [`source`], [`months`], [`miners`], [`round`] (the output's
//!    rounding, which warnings print with too) and [`defaults`] (every assumption with its
//!    source, so no layer takes a default from another);
//! 1. read: [`sites`];
//! 2. locate: [`regions`];
//! 3. look up: [`grid`];
//! 4. compute: [`assess`], [`uncertainty`], [`risk`], [`scope`] (Scope 1, 2 and 3 for filings);
//! 5. one row (or region) through the steps: [`pipeline`];
//! 6. write: [`output`], and [`compare`], which writes regions through the column table;
//! 7. run a whole input: [`stream`], and [`report`], which runs the same engine; [`mica`], a
//!    network's regions through the assessor (as [`compare`] gets them) and their indicators;
//! 8. the command line: [`cli`], [`settings`], [`commands`].
//!
//! A module also never adds methods to another module's type: [`compare`] and the backtest
//! use the [`pipeline::Assessor`]'s public, read-only API. Unit tests may reach up to build
//! a whole pipeline. The integration test `tests/cli/layers.rs` reads the sources and keeps
//! this rule; it has no exception.
//!
//! ```
//! use hashmix::assess::{Portfolio, Status};
//! use hashmix::{pipeline::Assessor, sites::SiteReader};
//! let assessor = Assessor::embedded(Default::default()).unwrap();
//! let input = "id,region,hashrate_ths,efficiency_j_per_th\nkz,KZ,1000,38\n";
//! let mut reader = SiteReader::from_bytes(input.as_bytes().to_vec(), "example").unwrap();
//! let row = reader.next_row().unwrap().unwrap();
//! let result = assessor.assess(row);
//! assert_eq!(result.region_code(), Some("KZ"));
//! assert_eq!(result.status(), Status::Ok);
//! let mut portfolio = Portfolio::default();
//! portfolio.add(&result);
//! assert_eq!(portfolio.sites_ok, 1);
//! ```

pub mod assess;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod defaults;
pub mod error;
pub mod grid;
pub mod mica;
pub mod miners;
pub mod months;
pub mod output;
pub mod pipeline;
pub mod regions;
pub mod report;
pub mod risk;
pub mod round;
pub mod scope;
pub mod settings;
pub mod sites;
pub mod source;
pub mod stream;
pub mod uncertainty;

pub use error::Error;
