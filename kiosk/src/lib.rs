//! Rubric Kiosk: the command line, the results store and the app.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer_file;
pub mod app;
pub mod attempt;
pub mod cli;
pub mod fsutil;
pub mod library;
pub mod report;
pub mod store;
