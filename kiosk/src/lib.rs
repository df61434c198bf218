//! Rubric Kiosk: the command line, the results store and the app.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "gui")]
pub mod app;
pub mod attempt;
pub mod cli;
pub mod fsutil;
pub mod guide;
pub mod library;
pub mod media;
pub mod plans;
pub mod records;
pub mod serve;
pub mod sheet;
pub mod store;
pub mod workshop;
